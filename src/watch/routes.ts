/**
 * Notify routes (`notify:` in coordination.yaml) are shell commands that the repository chooses,
 * so a cloned repository must not get them run by `cos watch` on its own say (docs/security.md).
 * Like direnv's `allow`, a route runs only once a person approved that exact command for that
 * severity on this machine (`cos notify allow`); a route changed since (after a pull, say) waits
 * for a new approval. `--exec`, typed by the user, needs none.
 *
 * An approval is the sha256 of `<SEVERITY>\n<command>`, kept where a clone cannot put it: the git
 * common directory (`cos/notify-approved.json`, shared by every worktree; git never clones it),
 * or, outside git, the user's state directory (`$XDG_STATE_HOME`, else `~/.local/state`) under
 * `cos/notify-approved/<sha256 of the repository's real path>.json` — never `.agent/state/`, which
 * an archive of the repository could carry.
 */
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, sep } from 'node:path';
import { SEVERITIES, type Severity } from '../protocol/fields.js';
import { writeFileAtomic } from '../store/local-files.js';
import { findRepository } from '../store/worktrees.js';
import { realRoots, resolveReal, type Roots } from '../trust/confine.js';
import { readBoundedText } from '../trust/read.js';

export const CONFIG_FILE = '.agent/config/coordination.yaml';

export interface Route {
  severity: Severity;
  command: string;
  /** sha256 of `<severity>\n<command>`: what an approval records. */
  sha256: string;
}

export function routeHash(severity: Severity, command: string): string {
  return createHash('sha256').update(`${severity}\n${command}`).digest('hex');
}

/** The routes of a config's `notify:`, in severity order. Pure. */
export function listRoutes(notify: Partial<Record<Severity, string>>): Route[] {
  return SEVERITIES.flatMap((severity) => {
    const command = notify[severity];
    return command === undefined ? [] : [{ severity, command, sha256: routeHash(severity, command) }];
  });
}

/** The routes no approval covers. Pure. */
export function unapproved(routes: readonly Route[], approved: ReadonlySet<string>): Route[] {
  return routes.filter((route) => !approved.has(route.sha256));
}

/** What `cos watch` says, once, about routes it does not run: one sentence. Pure. */
export function unapprovedSentence(routes: readonly Route[]): string {
  const which = routes.map((route) => route.severity).join(', ');
  const one = routes.length === 1;
  return `The notify route${one ? '' : 's'} for ${which} in ${CONFIG_FILE} ${one ? 'is' : 'are'} not approved on this machine (new, or changed since approved), so cos watch does not run ${one ? 'it' : 'them'}; review with cos notify and approve with cos notify allow.`;
}

export interface ApprovalStore {
  /** The record's path. */
  file: string;
  /** How to name it to the user: relative to the repository when inside it. */
  shown: string;
  /** Where writing it is allowed (the record's folder is confined to these first). */
  roots: Roots;
}

/** Where this repository's approvals are kept on this machine. */
export function approvalStore(root: string, env: NodeJS.ProcessEnv): ApprovalStore {
  const common = findRepository(root)?.commonDir ?? null;
  if (common !== null) {
    const file = join(common, 'cos', 'notify-approved.json');
    const rel = relative(root, file);
    return { file, shown: rel.startsWith('..') || isAbsolute(rel) ? file : rel.split(sep).join('/'), roots: realRoots([common]) };
  }
  const stateHome = env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : join(env.HOME || homedir(), '.local', 'state');
  const key = createHash('sha256').update(resolveReal(root)).digest('hex');
  const dir = join(stateHome, 'cos', 'notify-approved');
  return { file: join(dir, `${key}.json`), shown: join(dir, `${key}.json`), roots: realRoots([join(stateHome, 'cos')]) };
}

const MAX_BYTES = 256 * 1024;
const HASH = /^[0-9a-f]{64}$/;

/** The approved hashes (none when there is no record, or it is not a usable one). */
export function readApprovals(store: ApprovalStore): Set<string> {
  const read = readBoundedText(store.file, MAX_BYTES);
  if (!read.ok) return new Set();
  try {
    const data = JSON.parse(read.text) as { approved_sha256?: unknown };
    const list = Array.isArray(data?.approved_sha256) ? data.approved_sha256 : [];
    return new Set(list.filter((item): item is string => typeof item === 'string' && HASH.test(item)));
  } catch {
    return new Set();
  }
}

/** Record `routes` as approved, beside those approved before. */
export function approveRoutes(store: ApprovalStore, routes: readonly Route[]): void {
  const approved = readApprovals(store);
  for (const route of routes) approved.add(route.sha256);
  write(store, approved);
}

/** Forget every approval of this repository: no route runs until approved again. */
export function revokeApprovals(store: ApprovalStore): void {
  write(store, new Set());
}

function write(store: ApprovalStore, approved: ReadonlySet<string>): void {
  const text = `${JSON.stringify({ version: 1, approved_sha256: [...approved].sort() }, null, 2)}\n`;
  writeFileAtomic(store.file, text, store.roots);
}
