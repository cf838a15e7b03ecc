/**
 * Carrying out an archive plan: each move is a `rename` (git sees a move, the content is
 * untouched), into `status/archive/<sprint>/`.
 *
 * Concurrency:
 * - archive runs are serialised by a lock in `.agent/state/` (two runs would race for the same
 *   files);
 * - `cos post` only creates new files, which the plan never names; its sequence claim counts
 *   archive/ too, so numbers keep growing;
 * - `cos heartbeat` rewrites an entry (temp + rename) under `<entry>.lock`, and only an entry
 *   whose status is open. A move of such an entry takes the same lock, so a heartbeat either
 *   lands before the move (and moves with it) or finds the entry gone — it can never recreate
 *   the file in current/ behind the move. Entries of other statuses are never rewritten, so they
 *   move without a lock (5,000 locks would cost seconds).
 * - a destination that already exists (the same entry archived in another clone and merged) is
 *   never overwritten: with identical content the current copy is the duplicate and is removed;
 *   otherwise the move is skipped and reported.
 */
import { existsSync, lstatSync, mkdirSync, renameSync, rmdirSync, unlinkSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { loadConfig } from '../config/load.js';
import { isHolding } from '../protocol/fields.js';
import { withLock } from '../store/lock.js';
import { agentPaths, pathExists } from '../store/paths.js';
import { readStore, type StoreSnapshot } from '../store/read.js';
import type { Entry } from '../protocol/fields.js';
import { planArchive, type ArchiveBounds, type ArchiveMove, type ArchivePlan } from './policy.js';
import { InputError, makeDirectory } from '../errors.js';
import { MAX_ENTRY_BYTES } from '../store/read.js';
import { confined, type Roots } from '../trust/confine.js';
import { checkLayout } from '../trust/layout.js';
import { readBounded } from '../trust/read.js';

/** Options of `archiveStore` (`cos archive`): dry run, bounds, the verification rule, the clock and progress. */
export interface ArchiveOptions {
  now?: Date;
  dryRun?: boolean;
  /** Defaults to coordination.yaml `archive`. */
  bounds?: ArchiveBounds;
  /** Defaults to coordination.yaml `verification`. */
  verification?: 'required' | 'optional';
  /** Called after each move with how many of the planned moves are done (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
}

/** An archive move that was not made, and why. */
export interface SkippedMove {
  from: string;
  to: string;
  why: string;
}

/** What `archiveStore` did: the moves made (or planned, on a dry run), the ones skipped, the plan. */
export interface ArchiveResult {
  plan: ArchivePlan;
  /** Moves carried out (all planned moves on a dry run). */
  moved: ArchiveMove[];
  skipped: SkippedMove[];
  /** Files that are not valid entries: counted, never moved. */
  malformed: string[];
  dryRun: boolean;
}

function lstatKind(path: string): 'link' | 'other' | 'none' {
  try {
    return lstatSync(path).isSymbolicLink() ? 'link' : 'other';
  } catch {
    return 'none';
  }
}

function sameBytes(a: string, b: string): boolean {
  const x = readBounded(a, MAX_ENTRY_BYTES);
  const y = readBounded(b, MAX_ENTRY_BYTES);
  return x.ok && y.ok && x.bytes.equals(y.bytes);
}

/** status/archive/<sprint> committed as a link (to a folder elsewhere, or anywhere): refused. */
function checkDestination(root: string, roots: Roots, dir: string): void {
  const outside = confined(dir, roots) === null;
  if (lstatKind(dir) === 'link' || outside) {
    const shown = relative(root, dir).split(sep).join('/');
    throw new InputError(`${shown} is a symbolic link${outside ? ' leading outside the repository' : ''}; cos archive moves entries only into real folders inside the repository, so remove that link and run cos archive again.`);
  }
}

function moveOne(root: string, roots: Roots, move: ArchiveMove, made: Set<string>): SkippedMove | null {
  const from = join(root, move.from);
  const to = join(root, move.to);
  const dir = dirname(to);
  if (!made.has(dir)) {
    checkDestination(root, roots, dir);
    makeDirectory(dir, dirname(move.to));
    made.add(dir);
  }
  if (pathExists(to)) {
    if (!pathExists(from)) return { from: move.from, to: move.to, why: 'it is gone (moved or removed by someone else meanwhile)' };
    if (sameBytes(to, from)) {
      unlinkSync(from);
      return null;
    }
    return { from: move.from, to: move.to, why: `${move.to} already exists with different content` };
  }
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { from: move.from, to: move.to, why: 'it is gone (moved or removed by someone else meanwhile)' };
    throw error;
  }
  return null;
}

/**
 * Run `fn` holding the entry's heartbeat lock. The lock is proper-lockfile's `<entry>.lock/`
 * folder (store/lock.ts): uncontended, a bare mkdir/rmdir takes it in two system calls, which
 * keeps thousands of moves fast; when it is held (a heartbeat in flight) or stale, withLock waits
 * for it or takes it over as a heartbeat would.
 */
async function underEntryLock<T>(path: string, fn: () => T): Promise<T> {
  const lock = `${path}.lock`;
  try {
    mkdirSync(lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return withLock(path, fn);
    throw error;
  }
  try {
    return fn();
  } finally {
    rmdirSync(lock);
  }
}

/**
 * Archive moves only the files of the worktree it runs in (cos writes only there), and its bound
 * counts only that worktree's current/; the other worktrees' entries still decide which sprints are
 * finished. They are handed to the policy as if archived: counted for the lifecycle, never moved.
 */
function ownMovable(snapshot: StoreSnapshot): Entry[] {
  const here = snapshot.worktrees.find((worktree) => worktree.here)?.name;
  return snapshot.entries.map((entry) =>
    entry.worktree !== undefined && entry.worktree !== here && entry.location === 'current' ? { ...entry, location: 'archive' as const } : entry,
  );
}

/** Move what the archive policy selects into `status/archive/<sprint>/` (renames; `dryRun` moves nothing). */
export async function archiveStore(root: string, options: ArchiveOptions = {}): Promise<ArchiveResult> {
  const paths = agentPaths(root);
  const now = options.now ?? new Date();
  const config = options.bounds && options.verification ? null : loadConfig(paths.root).config;
  const bounds = options.bounds ?? config!.archive;
  const verification = options.verification ?? config!.verification;
  const plan = () => {
    const snapshot = readStore(paths.root);
    const malformed = snapshot.problems.filter((problem) => problem.file.startsWith('.agent/status/current/')).map((problem) => problem.file);
    return { plan: planArchive({ entries: ownMovable(snapshot), currentCount: snapshot.currentCount, bounds, now, verification }), malformed };
  };
  if (options.dryRun) {
    const { plan: planned, malformed } = plan();
    return { plan: planned, moved: planned.moves, skipped: [], malformed, dryRun: true };
  }
  if (!existsSync(paths.current)) {
    // Nothing can move, and a folder that was never initialised must not get a .agent/ now.
    const { plan: planned, malformed } = plan();
    return { plan: planned, moved: [], skipped: [], malformed, dryRun: false };
  }
  makeDirectory(paths.state, paths.rel(paths.state));
  const roots = checkLayout(paths.root);
  return withLock(join(paths.state, 'archive'), async () => {
    // Plan under the lock: another run may have moved files since.
    const { plan: planned, malformed } = plan();
    const moved: ArchiveMove[] = [];
    const skipped: SkippedMove[] = [];
    const made = new Set<string>();
    // Every destination is checked before the first move, so a refusal moves nothing.
    for (const dir of new Set(planned.moves.map((move) => dirname(join(paths.root, move.to))))) checkDestination(paths.root, roots, dir);
    const total = planned.moves.length;
    for (const move of planned.moves) {
      const run = () => moveOne(paths.root, roots, move, made);
      const outcome = isHolding(move.entry.status) ? await underEntryLock(join(paths.root, move.from), run) : run();
      if (outcome) skipped.push(outcome);
      else moved.push(move);
      options.onProgress?.(moved.length + skipped.length, total);
    }
    return { plan: planned, moved, skipped, malformed, dryRun: false };
  }, { wait: 60_000 });
}
