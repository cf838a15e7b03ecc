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
import { existsSync, mkdirSync, readFileSync, renameSync, rmdirSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadConfig } from '../config/load.js';
import { isOpen } from '../protocol/fields.js';
import { withLock } from '../store/lock.js';
import { agentPaths, pathExists } from '../store/paths.js';
import { readStore, type StoreSnapshot } from '../store/read.js';
import type { Entry } from '../protocol/fields.js';
import { planArchive, type ArchiveBounds, type ArchiveMove, type ArchivePlan } from './policy.js';
import { makeDirectory } from '../errors.js';

export interface ArchiveOptions {
  now?: Date;
  dryRun?: boolean;
  /** Defaults to coordination.yaml `archive`. */
  bounds?: ArchiveBounds;
}

export interface SkippedMove {
  from: string;
  to: string;
  why: string;
}

export interface ArchiveResult {
  plan: ArchivePlan;
  /** Moves carried out (all planned moves on a dry run). */
  moved: ArchiveMove[];
  skipped: SkippedMove[];
  /** Files that are not valid entries: counted, never moved. */
  malformed: string[];
  dryRun: boolean;
}

function moveOne(root: string, move: ArchiveMove, made: Set<string>): SkippedMove | null {
  const from = join(root, move.from);
  const to = join(root, move.to);
  const dir = dirname(to);
  if (!made.has(dir)) {
    makeDirectory(dir, dirname(move.to));
    made.add(dir);
  }
  if (pathExists(to)) {
    if (!pathExists(from)) return { from: move.from, to: move.to, why: 'it is gone (moved or removed by someone else meanwhile)' };
    if (readFileSync(to).equals(readFileSync(from))) {
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
  const bounds = options.bounds ?? loadConfig(paths.root).config.archive;
  const plan = () => {
    const snapshot = readStore(paths.root);
    const malformed = snapshot.problems.filter((problem) => problem.file.startsWith('.agent/status/current/')).map((problem) => problem.file);
    return { plan: planArchive({ entries: ownMovable(snapshot), currentCount: snapshot.currentCount, bounds, now }), malformed };
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
  return withLock(join(paths.state, 'archive'), async () => {
    // Plan under the lock: another run may have moved files since.
    const { plan: planned, malformed } = plan();
    const moved: ArchiveMove[] = [];
    const skipped: SkippedMove[] = [];
    const made = new Set<string>();
    for (const move of planned.moves) {
      const run = () => moveOne(paths.root, move, made);
      const outcome = isOpen(move.entry.status) ? await underEntryLock(join(paths.root, move.from), run) : run();
      if (outcome) skipped.push(outcome);
      else moved.push(move);
    }
    return { plan: planned, moved, skipped, malformed, dryRun: false };
  }, { wait: 60_000 });
}
