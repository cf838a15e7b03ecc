/**
 * What a person approved on this machine for one repository, kept where a clone cannot put it:
 * the git common directory (`cos/notify-approved.json`, shared by every worktree; git never
 * clones it), or, outside git, the user's state directory (`$XDG_STATE_HOME`, else
 * `~/.local/state`) under `cos/notify-approved/<sha256 of the repository's real path>.json` —
 * never `.agent/state/`, which an archive of the repository could carry.
 *
 * One record, several lists of sha256 hashes: `approved_sha256` (notify routes, the first user
 * of the record, hence its name) and `local_root_sha256` (a `local_root` of coordination.yaml).
 * Writing one list keeps the others.
 */
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, sep } from 'node:path';
import { writeFileAtomic } from '../store/local-files.js';
import { findRepository } from '../store/worktrees.js';
import { realRoots, resolveReal, type Roots } from './confine.js';
import { readBoundedText } from './read.js';

export type ApprovalList = 'approved_sha256' | 'local_root_sha256';

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

/** Every list of the record (none when there is no record, or it is not a usable one). */
function readRecord(store: ApprovalStore): Partial<Record<ApprovalList, Set<string>>> {
  const read = readBoundedText(store.file, MAX_BYTES);
  if (!read.ok) return {};
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(read.text) as Record<string, unknown>;
  } catch {
    return {};
  }
  if (data === null || typeof data !== 'object') return {};
  const out: Partial<Record<ApprovalList, Set<string>>> = {};
  for (const list of ['approved_sha256', 'local_root_sha256'] as const) {
    const items = Array.isArray(data[list]) ? (data[list] as unknown[]) : [];
    out[list] = new Set(items.filter((item): item is string => typeof item === 'string' && HASH.test(item)));
  }
  return out;
}

/** The approved hashes of one list. */
export function readApprovals(store: ApprovalStore, list: ApprovalList = 'approved_sha256'): Set<string> {
  return readRecord(store)[list] ?? new Set();
}

/** Replace one list of the record (the others kept). */
export function writeApprovals(store: ApprovalStore, list: ApprovalList, approved: ReadonlySet<string>): void {
  const record = readRecord(store);
  record[list] = new Set(approved);
  const data: Record<string, unknown> = { version: 1 };
  for (const [name, set] of Object.entries(record)) if (name === list || set.size > 0) data[name] = [...set].sort();
  writeFileAtomic(store.file, `${JSON.stringify(data, null, 2)}\n`, store.roots);
}

/** Add `hashes` to one list. */
export function addApprovals(store: ApprovalStore, list: ApprovalList, hashes: readonly string[]): void {
  const approved = readApprovals(store, list);
  for (const hash of hashes) approved.add(hash);
  writeApprovals(store, list, approved);
}
