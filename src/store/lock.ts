/**
 * Advisory locks (proper-lockfile, the only importer): a short critical section around a
 * read-modify-write of one file. Not reentrant; several locks are taken in sorted order. Stale
 * locks (a holder killed mid-section) are taken over after `stale` ms. Never the sole guard of a
 * sequence number — see write.ts for that.
 */
import { InputError } from '../errors.js';

export interface LockOptions {
  /** A lock older than this is considered abandoned (ms, at least 2000). */
  stale?: number;
  /** How long to keep trying before giving up (ms). */
  wait?: number;
}

export async function withLock<T>(file: string, fn: () => Promise<T> | T, options: LockOptions = {}): Promise<T> {
  const { default: lockfile } = await import('proper-lockfile');
  const wait = options.wait ?? 15_000;
  let release: (() => Promise<void>) | undefined;
  try {
    release = await lockfile.lock(file, {
      stale: options.stale ?? 10_000,
      realpath: false,
      retries: { retries: Math.max(1, Math.ceil(wait / 100)), factor: 1.2, minTimeout: 10, maxTimeout: 100, randomize: true },
      // The default throws from a timer and would crash the process; the section is short and
      // the write inside is atomic either way.
      onCompromised: () => {},
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new InputError(`${file} is locked by another process; if no cos process is running, remove ${file}.lock (see runbook: "A stuck lock").`, { cause: error, code: 'locked' });
    }
    throw error;
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => {});
  }
}

export async function withLocks<T>(files: string[], fn: () => Promise<T> | T, options: LockOptions = {}): Promise<T> {
  const sorted = [...new Set(files)].sort();
  const run = (i: number): Promise<T> => (i === sorted.length ? Promise.resolve(fn()) : withLock(sorted[i]!, () => run(i + 1), options));
  return run(0);
}
