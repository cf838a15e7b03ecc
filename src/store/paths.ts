/** Where everything lives under a repository root. */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

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
  /** Sequence-number claims: hidden, git-ignored. */
  claims: string;
  /** Local, git-ignored state (Notion ledger, logs, watcher lock). */
  state: string;
  runbook: string;
  /** Path relative to the root with `/` separators, for messages and JSON. */
  rel(path: string): string;
}

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
    claims: join(status, '.claims'),
    state: join(agent, 'state'),
    runbook: join(absRoot, 'runbook.md'),
    rel: (path: string) => relative(absRoot, path).split(sep).join('/'),
  };
}

/** The nearest ancestor of `start` holding `.agent/`, else `start` itself. */
export function findRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, '.agent');
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start);
    dir = parent;
  }
}
