/**
 * Cruft: what crashed or finished processes leave behind, found read-only and deleted only on
 * request, and only if it still qualifies at that moment.
 *
 * - temp-file: `.<entry>.<pid>.<hex>.tmp` in status/current and status/archive/** — a writer or
 *   heartbeat killed between writing its temp file and linking/renaming it. Only files older than
 *   a minute: a live writer holds its temp for milliseconds.
 * - stale-lock: a `*.lock/` folder in status/ whose mtime is older than the lock's stale time:
 *   a live holder refreshes it every few seconds (proper-lockfile), so an old one is abandoned.
 * - old-claim: a sequence claim in status/.claims/ more than CLAIM_KEEP below the newest and
 *   older than CLAIM_PRUNE_AGE — the same rule cos post applies when it prunes now and then.
 *   A dispatch claim's `sprint-<sprint>.lock/` folder there is a stale-lock by the rule above.
 * - old-session: a hook session record `.agent/state/sessions/*.json` not written for
 *   SESSION_MAX_AGE (a session that ended long ago; a live one is rewritten as it heartbeats);
 *   a session temp file left by a killed hook is a temp-file.
 * - empty-todo: a `todos/*.json` of the local agent directory holding nothing (empty, `[]`,
 *   `{}`, `null`), older than a minute (agent CLIs leave hundreds of them).
 * A valid entry never matches any of these (entries are not dot-files, not folders, not in
 * .claims/), and every deletion re-checks the file first.
 */
import { lstatSync, readdirSync, rmdirSync, unlinkSync, type Stats } from 'node:fs';
import { readBoundedText } from '../trust/read.js';
import { join } from 'node:path';
import { looksLikeEntry } from '../protocol/filename.js';
import { agentPaths } from '../store/paths.js';
import { localRootFolders } from '../localsync/local-root.js';
import { confined } from '../trust/confine.js';

/** The kinds of cruft `cos cleanup` finds. */
export type CruftKind = 'temp-file' | 'stale-lock' | 'old-claim' | 'empty-todo' | 'old-session';

/** One piece of cruft `cos cleanup` found: its kind, path, size and age. */
export interface Cruft {
  kind: CruftKind;
  /** Absolute path. */
  abs: string;
  /** For output: relative to the repository root inside it, else absolute. */
  path: string;
  bytes: number;
  ageMs: number;
}

/** A temp file younger than this may belong to a live writer. */
export const TEMP_MIN_AGE_MS = 60_000;
/** store/lock.ts takes a lock over after this long without a refresh. */
export const LOCK_STALE_MS = 10_000;
/** Mirrors store/write.ts: claims kept below the newest, and the age before one may go. */
export const CLAIM_KEEP = 256;
export const CLAIM_PRUNE_AGE_MS = 10 * 60_000;
export const TODO_MIN_AGE_MS = 60_000;
/** A hook session record not written for this long belongs to a session that ended. */
export const SESSION_MAX_AGE_MS = 7 * 24 * 3_600_000;

const TEMP_NAME = /^\..+\.\d+\.[0-9a-f]+\.tmp$/;
/** Session records are written through writeFileAtomic: `.<session>.json.<pid>.<hex>.tmp` (TEMP_NAME), then renamed; older cos wrote `.<pid>.<n>`. */
const SESSION_TEMP_NAME = /^\.?[^/]+\.json\.\d+\.\d+\.tmp$/;

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function stat(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

function isEmptyTodo(path: string): boolean {
  const read = readBoundedText(path, 1024 * 1024);
  if (!read.ok) return false;
  const text = read.text.trim();
  if (text === '') return true;
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || value === '') return true;
    if (Array.isArray(value)) return value.length === 0;
    return typeof value === 'object' && Object.keys(value as object).length === 0;
  } catch {
    return false;
  }
}

/** Whether the file at `abs` is (still) cruft of `kind` at `now`. */
export function qualifies(kind: CruftKind, abs: string, now: number, maxClaim = Number.POSITIVE_INFINITY): Cruft | null {
  const s = stat(abs);
  if (!s) return null;
  const ageMs = now - s.mtimeMs;
  const name = abs.slice(abs.lastIndexOf('/') + 1);
  const item = (k: CruftKind): Cruft => ({ kind: k, abs, path: abs, bytes: s.isFile() ? s.size : 0, ageMs });
  switch (kind) {
    case 'temp-file':
      return s.isFile() && (TEMP_NAME.test(name) || (SESSION_TEMP_NAME.test(name) && abs.endsWith(`/state/sessions/${name}`))) && ageMs > TEMP_MIN_AGE_MS ? item(kind) : null;
    case 'stale-lock':
      return s.isDirectory() && name.endsWith('.lock') && ageMs > LOCK_STALE_MS ? item(kind) : null;
    case 'old-claim':
      return s.isFile() && /^\d+$/.test(name) && Number(name) < maxClaim - CLAIM_KEEP && ageMs > CLAIM_PRUNE_AGE_MS ? item(kind) : null;
    case 'empty-todo':
      return s.isFile() && name.endsWith('.json') && ageMs > TODO_MIN_AGE_MS && isEmptyTodo(abs) ? item(kind) : null;
    case 'old-session':
      return s.isFile() && name.endsWith('.json') && ageMs > SESSION_MAX_AGE_MS ? item(kind) : null;
  }
}

/** What `findCruft` (`cos cleanup`) found. */
export interface CruftReport {
  items: Cruft[];
  /** The local agent directory searched for todos, or null when none was given. */
  localRoot: string | null;
}

/** List stray temp files, stale locks, old claims and sessions, and empty todos; deletes nothing. */
export function findCruft(root: string, options: { now: Date; localRoot?: string | null }): CruftReport {
  const paths = agentPaths(root);
  const now = options.now.getTime();
  const items: Cruft[] = [];
  const add = (item: Cruft | null) => {
    if (!item) return;
    if (item.abs.startsWith(`${paths.root}/`)) item.path = paths.rel(item.abs);
    items.push(item);
  };
  const statusDirs = [paths.current, paths.archive, ...list(paths.archive).map((name) => join(paths.archive, name)).filter((dir) => stat(dir)?.isDirectory() && !dir.endsWith('.lock'))];
  for (const dir of statusDirs) {
    for (const name of list(dir)) {
      const abs = join(dir, name);
      add(qualifies('temp-file', abs, now) ?? qualifies('stale-lock', abs, now));
    }
  }
  const claims = list(paths.claims).filter((name) => /^\d+$/.test(name));
  const maxClaim = claims.reduce((max, name) => Math.max(max, Number(name)), 0);
  for (const name of claims.sort((a, b) => Number(a) - Number(b))) add(qualifies('old-claim', join(paths.claims, name), now, maxClaim));
  // Dispatch claims (dispatch/claim.ts): `sprint-<sprint>.lock/` left by a killed cos dispatch.
  for (const name of list(paths.claims).filter((n) => n.endsWith('.lock')).sort()) add(qualifies('stale-lock', join(paths.claims, name), now));
  const sessions = join(paths.state, 'sessions');
  for (const name of list(sessions).sort()) {
    const abs = join(sessions, name);
    add(qualifies('old-session', abs, now) ?? qualifies('temp-file', abs, now));
  }
  if (options.localRoot) {
    const todos = join(options.localRoot, 'todos');
    // A todos/ that leads out of a local agent directory lying in the repository is not looked in.
    if (confined(todos, localRootFolders(root, options.localRoot, ['todos'])) !== null) {
      for (const name of list(todos).sort()) add(qualifies('empty-todo', join(todos, name), now));
    }
  }
  return { items, localRoot: options.localRoot ?? null };
}

/** What `deleteCruft` (`cos cleanup --apply`) did. */
export interface ApplyResult {
  deleted: Cruft[];
  /** Listed but not deleted: it changed meanwhile, or the deletion failed. */
  kept: Array<{ item: Cruft; why: string }>;
}

/** Delete exactly the listed items, each only if it still qualifies now. */
export function deleteCruft(report: CruftReport, now: Date): ApplyResult {
  const result: ApplyResult = { deleted: [], kept: [] };
  for (const item of report.items) {
    const name = item.abs.slice(item.abs.lastIndexOf('/') + 1);
    if (looksLikeEntry(name) && item.kind !== 'empty-todo') {
      result.kept.push({ item, why: 'it looks like an entry' });
      continue;
    }
    // A claim's distance below the newest was judged when listed and only grows: re-check its age.
    const still = qualifies(item.kind, item.abs, now.getTime());
    if (!still) {
      result.kept.push({ item, why: 'it changed since it was listed' });
      continue;
    }
    try {
      if (item.kind === 'stale-lock') rmdirSync(item.abs);
      else unlinkSync(item.abs);
      result.deleted.push(item);
    } catch (error) {
      result.kept.push({ item, why: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
    }
  }
  return result;
}
