/** Where everything lives under a repository root. */
import { existsSync, lstatSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { claimsDir, isLinkedWorktreeTop } from './worktrees.js';

/** The folders and files of `.agent/` under one repository root, as absolute paths. */
export interface AgentPaths {
  root: string;
  agent: string;
  config: string;
  coordinationConfig: string;
  notionConfig: string;
  roles: string;
  skills: string;
  status: string;
  current: string;
  archive: string;
  /**
   * The claim space (sequence-number and dispatch claims): in the git common dir, shared by every
   * worktree of the repository, else `.agent/status/.claims` (hidden, git-ignored). Found lazily:
   * it reads git's files.
   */
  readonly claims: string;
  /** Local, git-ignored state (Notion ledger, logs, watcher lock). */
  state: string;
  runbook: string;
  /** Path relative to the root with `/` separators, for messages and JSON. */
  rel(path: string): string;
}

/** Every path cos uses under `root` (`.agent/` folders, config files, runbook), and `rel()` for messages. */
export function agentPaths(root: string): AgentPaths {
  const absRoot = resolve(root);
  const agent = join(absRoot, '.agent');
  const status = join(agent, 'status');
  const config = join(agent, 'config');
  return {
    root: absRoot,
    agent,
    config,
    coordinationConfig: join(config, 'coordination.yaml'),
    notionConfig: join(config, 'notion-sync.yaml'),
    roles: join(agent, 'roles'),
    skills: join(agent, 'skills'),
    status,
    current: join(status, 'current'),
    archive: join(status, 'archive'),
    get claims() {
      return claimsDir(absRoot);
    },
    state: join(agent, 'state'),
    runbook: join(absRoot, 'runbook.md'),
    rel: (path: string) => relative(absRoot, path).split(sep).join('/'),
  };
}

/**
 * The nearest ancestor of `start` holding `.agent/`, else `start` itself. The search never leaves
 * a linked worktree: in one whose checkout has no `.agent/` yet (Claude Code's
 * `.claude/worktrees/<name>` sits inside the main worktree), the root is that worktree's top level,
 * so cos writes into the worktree it runs in, never into the enclosing one.
 */
export function findRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, '.agent');
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return dir;
    if (isLinkedWorktreeTop(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start);
    dir = parent;
  }
}

/** Whether anything (a file, a folder, a dangling symbolic link) is at `path`; existsSync follows links. */
export function pathExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
