/**
 * One chief of staff per repository: `watch.lock` in the git common dir (shared by every worktree;
 * `.agent/state/watch.lock` outside git) holds
 * `{ pid, host, started, token }` of the running watcher, whose mtime it refreshes every
 * REFRESH_MS.
 *
 * A lock is abandoned (and taken over) when
 * - it was written on this host and its pid is not alive (`process.kill(pid, 0)` → ESRCH, or a
 *   zombie): a watcher killed with SIGKILL blocks nothing;
 * - or its mtime is older than STALE_MS, whatever the host: a watcher on another host sharing the
 *   folder, or a pid since reused by an unrelated process, blocks for at most that long.
 * The inspect-and-replace runs under `withLock` (a short advisory section), so two watchers that
 * start together cannot both take over the same abandoned lock.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { readFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { readBoundedText } from '../trust/read.js';
import { makeDirectory, RefusedError } from '../errors.js';
import { withLock } from '../store/lock.js';
import type { AgentPaths } from '../store/paths.js';
import { sharedDir } from '../store/worktrees.js';
import { isoSeconds } from '../protocol/time.js';

export const REFRESH_MS = 10_000;
export const STALE_MS = 60_000;

export interface LockInfo {
  pid: number;
  host: string;
  /** ISO time the watcher started. */
  started: string;
  /** Tells this holder from a later one with the same pid. */
  token: string;
}

export interface WatchLock {
  file: string;
  info: LockInfo;
  /** Refresh the mtime; false when the lock is no longer ours (taken over or removed). */
  refresh(): boolean;
  /** Remove the lock if it is still ours. */
  release(): void;
}

/** One per repository: in the git common dir (shared by every worktree), else in `.agent/state/`. */
export function lockFile(paths: AgentPaths): string {
  const shared = sharedDir(paths.root);
  return shared === null ? join(paths.state, 'watch.lock') : join(shared, 'watch.lock');
}

function readInfo(file: string): { info: LockInfo | null; mtimeMs: number } | null {
  let text: string;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  // A lock file is a line of JSON; anything else (a link, a FIFO, a huge file) holds no lock info.
  const read = readBoundedText(file, 64 * 1024);
  if (!read.ok) {
    if (read.kind === 'missing') return null;
    return { info: null, mtimeMs };
  }
  text = read.text;
  try {
    const data = JSON.parse(text) as Partial<LockInfo>;
    if (typeof data.pid === 'number' && typeof data.host === 'string' && typeof data.started === 'string') {
      return { info: { pid: data.pid, host: data.host, started: data.started, token: String(data.token ?? '') }, mtimeMs };
    }
  } catch {
    // A torn or foreign file: treated as abandoned once it is old enough.
  }
  return { info: null, mtimeMs };
}

/**
 * Whether a process runs. A zombie — exited, not yet reaped by its parent — answers `kill -0` but
 * runs nothing: a watcher killed with SIGKILL stays one until its parent (a shell, or an init
 * that reaps lazily) waits for it, and must not block the next start meanwhile (Linux: /proc).
 */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ...": comm may hold spaces and parentheses; the state follows the last ')'.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true;
  }
}

/** Why the holder is considered gone, or null when it must be respected. */
export function abandoned(held: { info: LockInfo | null; mtimeMs: number }, now: number, host = hostname()): string | null {
  if (now - held.mtimeMs > STALE_MS) return `not refreshed for ${Math.round((now - held.mtimeMs) / 1000)} s`;
  if (!held.info) return null;
  if (held.info.host === host && !pidAlive(held.info.pid)) return `pid ${held.info.pid} is not running`;
  return null;
}

export function describeHolder(info: LockInfo | null): string {
  return info ? `pid ${info.pid} on host ${info.host}, started ${info.started}` : 'a process that left an unreadable lock';
}

/**
 * Take the repository's watcher lock or throw RefusedError naming the running watcher.
 * Returns what it replaced (for a log line), if anything.
 */
export async function acquireWatchLock(paths: AgentPaths, now: () => Date = () => new Date()): Promise<{ lock: WatchLock; replaced: string | null }> {
  const file = lockFile(paths);
  makeDirectory(dirname(file), paths.rel(dirname(file)));
  const info: LockInfo = { pid: process.pid, host: hostname(), started: isoSeconds(now()), token: randomBytes(8).toString('hex') };
  const replaced = await withLock(
    file,
    () => {
      const held = readInfo(file);
      let why: string | null = null;
      if (held) {
        why = abandoned(held, Date.now());
        if (why === null) {
          throw new RefusedError(
            `another cos watch is already running on this repository: ${describeHolder(held.info)} (lock ${paths.rel(file)}); stop it first — a lock whose process is gone is taken over at once on the same host, or after ${STALE_MS / 1000} s without refresh.`,
            { code: 'busy' },
          );
        }
        unlinkSync(file);
      }
      writeFileSync(file, `${JSON.stringify(info)}\n`, { flag: 'wx' });
      return held ? `replaced an abandoned watcher lock (${describeHolder(held.info)}: ${why})` : null;
    },
    { stale: 5_000, wait: 10_000 },
  );
  const ours = () => readInfo(file)?.info?.token === info.token;
  return {
    replaced,
    lock: {
      file,
      info,
      refresh() {
        try {
          if (!ours()) return false;
          const t = new Date();
          utimesSync(file, t, t);
          return true;
        } catch {
          return false;
        }
      },
      release() {
        try {
          if (ours()) unlinkSync(file);
        } catch {
          // Already gone.
        }
      },
    },
  };
}
