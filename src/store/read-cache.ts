/**
 * The read cache: the parsed front matter and body of archived entries, so that reading a large
 * archive costs a stat per file instead of an open, a read and a parse (BENCHMARKS.md, `cos scan`
 * over 10,000 entries).
 *
 * Where: `<git common dir>/cos/read-cache.json` (sharedDir), on this machine only: a clone never
 * carries it, and outside git there is none (every file is read). Archived entries only: current/
 * is small and changes all the time.
 *
 * When a record counts: its file's identity now (device, inode, size, mtime and ctime, from lstat)
 * is the identity the file had when it was read and parsed whole. A change of content changes the
 * ctime, which nobody can set back; a file changed within the same clock tick as the read it was
 * cached from would not show, so a file changed less than RACY_MS before it was read is not cached
 * (git's "racily clean" rule).
 *
 * What a record is trusted for: nothing more than a file's text is. The cache is read bounded
 * (MAX_CACHE_BYTES, a regular file, never through a link), every record is checked for shape and
 * then goes through every rule of the protocol (entryFromMatter) as a parsed file would; a record
 * that fails either is ignored and the file is read. So a corrupt or hostile cache costs speed,
 * never a value cos would refuse; a record forged with a file's exact identity (which takes write
 * access to the git directory, where hooks run code anyway) is the limit of what it can do.
 */
import { lstatSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { realRoots } from '../trust/confine.js';
import { readBounded } from '../trust/read.js';
import { writeFileAtomic } from './local-files.js';
import { findRepository, sharedDir } from './worktrees.js';

const VERSION = 1;
/** A cache larger than this is ignored and not written: about 150,000 entries of this size of body. */
export const MAX_CACHE_BYTES = 64 * 1024 * 1024;
/** A file changed this recently (ms, before it was read) is not cached: coarse clocks and 2-second file systems. */
export const RACY_MS = 3000;

/** [path, dev, ino, size, mtimeMs, ctimeMs, front matter, body]. */
type CacheRecord = [string, number, number, number, number, number, Record<string, unknown>, string];

export interface CachedMatter {
  data: Record<string, unknown>;
  body: string;
}

export interface ReadCache {
  /** The front matter and body cached for the file at `path` (absolute) when `stats` is still its identity. */
  get(path: string, stats: Stats): CachedMatter | undefined;
  /** Forget the record of `path`: it did not pass the protocol's rules (a corrupt or forged record). */
  drop(path: string): void;
  /** Remember a file read whole now (its `stats` from the open descriptor) unless it changed too recently. */
  put(path: string, stats: Stats, data: Record<string, unknown>, body: string): void;
  /** Write the cache back, holding just the files met since it was opened, when that changed anything. Never throws. */
  save(): void;
}

export interface ReadCacheOptions {
  /** The racy window (ms); tests of the cache's equivalence set it, nothing else should. */
  racyMs?: number;
  /** The clock, for the racy window. */
  now?: () => number;
}

/** The cache file for the repository of `root`, or null outside git. */
export function readCachePath(root: string): string | null {
  const shared = sharedDir(root);
  return shared === null ? null : join(shared, 'read-cache.json');
}

/** The read cache of `root`'s repository (empty when it has none yet, or an unusable one), or null outside git. */
export function openReadCache(root: string, options: ReadCacheOptions = {}): ReadCache | null {
  const repository = findRepository(root);
  const path = readCachePath(root);
  if (repository === null || path === null) return null;
  const racyMs = options.racyMs ?? RACY_MS;
  const now = options.now ?? Date.now;
  const loaded = load(path);
  const kept = new Map<string, CacheRecord>();
  let changed = false;
  return {
    get(file, stats) {
      const record = loaded.get(file);
      if (record === undefined || !sameIdentity(record, stats)) return undefined;
      kept.set(file, record);
      return { data: record[6], body: record[7] };
    },
    drop(file) {
      if (kept.delete(file) || loaded.has(file)) changed = true;
    },
    put(file, stats, data, body) {
      if (Math.max(stats.mtimeMs, stats.ctimeMs) > now() - racyMs || !plainJson(data)) return;
      kept.set(file, [file, stats.dev, stats.ino, stats.size, stats.mtimeMs, stats.ctimeMs, data, body]);
      changed = true;
    },
    save() {
      if (!changed && kept.size === loaded.size) return;
      try {
        const text = JSON.stringify({ version: VERSION, files: [...kept.values()] });
        if (text.length > MAX_CACHE_BYTES) return;
        writeFileAtomic(path, text, realRoots([repository.commonDir]));
      } catch {
        // A cache that cannot be written costs the next reader time, nothing else.
      }
    },
  };
}

function sameIdentity(record: CacheRecord, stats: Stats): boolean {
  return record[1] === stats.dev && record[2] === stats.ino && record[3] === stats.size && record[4] === stats.mtimeMs && record[5] === stats.ctimeMs;
}

/** The records of the cache file that have the right shape; anything unreadable is an empty cache. */
function load(path: string): Map<string, CacheRecord> {
  const records = new Map<string, CacheRecord>();
  const read = readBounded(path, MAX_CACHE_BYTES);
  if (!read.ok) return records;
  let document: unknown;
  try {
    document = JSON.parse(read.bytes.toString('utf8'));
  } catch {
    return records;
  }
  if (!isObject(document) || document.version !== VERSION || !Array.isArray(document.files)) return records;
  for (const record of document.files as unknown[]) if (isRecord(record)) records.set(record[0], record);
  return records;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRecord(value: unknown): value is CacheRecord {
  if (!Array.isArray(value) || value.length !== 8 || typeof value[0] !== 'string') return false;
  for (let i = 1; i <= 5; i++) if (typeof value[i] !== 'number') return false;
  return isObject(value[6]) && typeof value[7] === 'string';
}

/**
 * Whether JSON gives `value` back unchanged: strings, booleans, null, finite numbers (not -0),
 * lists and plain mappings of them. YAML's `.nan`, `.inf` and `-0` would come back otherwise.
 */
function plainJson(value: unknown, depth = 0): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (depth > 32 || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.every((item) => plainJson(item, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).every((item) => plainJson(item, depth + 1));
}

/** The identity lstat gives a path now, or null when it is gone (or cannot be stat'ed). */
export function identityOf(path: string): Stats | null {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}
