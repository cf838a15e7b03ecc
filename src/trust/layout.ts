/**
 * cos's own folders in a repository (`.agent/` and the fixed folders under it) must resolve
 * inside the repository: a committed `.agent/state` that is a link to `~` would otherwise carry
 * every state file, lock and log cos writes out of it. Checked by every command before it reads
 * or writes (a few system calls), and again by the store on its own folders.
 */
import { join } from 'node:path';
import { agentPaths } from '../store/paths.js';
import { confine, type Roots } from './confine.js';
import { repositoryRoots } from './roots.js';

/** `.agent/` folders cos reads or writes, relative to `.agent/`. */
export const AGENT_FOLDERS = ['', 'config', 'roles', 'skills', 'plans', 'state', 'status', 'status/current', 'status/archive', 'status/.claims'] as const;

/** The repository's roots, after checking that none of cos's folders leads outside them. */
export function checkLayout(root: string): Roots {
  const paths = agentPaths(root);
  const roots = repositoryRoots(paths.root);
  for (const folder of AGENT_FOLDERS) {
    const path = folder === '' ? paths.agent : join(paths.agent, ...folder.split('/'));
    confine(path, roots, paths.rel(path));
  }
  return roots;
}
