/**
 * The lock that makes "is this denial already noted?" and "write its NOTE" one step: parallel tool
 * calls of one agent retrying one command (Claude Code runs them at once) must write one BLOCKER
 * NOTE, not one each. Keyed by a hash of the worktree, the agent and the command (whitespace
 * normalised), so different commands or agents never wait on each other; it lives in the git
 * common directory (`cos/denials/`), beside the approvals' use records, or in
 * `.agent/state/denials/` when the directory is not a git repository.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { makeDirectory } from '../errors.js';
import { agentPaths } from '../store/paths.js';
import { confine } from '../trust/confine.js';
import { repositoryRoots } from '../trust/roots.js';
import { gitCommonDirOf } from './git-files.js';

/** The file to lock (store/lock.ts) around one agent's denial of one command; its folder exists. */
export function denialLockFile(root: string, agent: string, command: string): string {
  const common = gitCommonDirOf(root);
  const dir = common !== null ? join(common, 'cos', 'denials') : join(agentPaths(root).state, 'denials');
  // Before any folder is made: a committed link on the way must not carry the lock elsewhere.
  confine(dir, repositoryRoots(root), dir);
  makeDirectory(dir, dir);
  const key = createHash('sha256').update(`${root}\0${agent}\0${command}`).digest('hex').slice(0, 40);
  return join(dir, key);
}
