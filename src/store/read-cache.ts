/**
 * The read cache: per archive folder, its listing and the parsed front matter and body of its
 * entries, so that reading a large archive costs a stat per folder and per file instead of a
 * listing per folder and an open, a read and a parse per file (BENCHMARKS.md, `cos scan` over
 * 10,000 entries).
 *
 * Where: `<git common dir>/cos/read-cache.json` (sharedDir), on this machine only: a clone never
 * carries it, and outside git there is none (every file is read). Archived entries only: current/
 * is small and changes all the time.
 *
 * When a folder's listing counts: the folder's identity now (device, inode, mtime and ctime, from
 * lstat taken before it was listed) is the identity it had when it was listed. Adding, removing
 * or renaming a name in a folder changes its mtime; editing a file in place does not, which is
 * why every file is still lstat'ed.
 *
 * When a file's record counts: the file's identity now (the folder's device, inode, size, mtime
 * and ctime) is the identity the file had when it was read and parsed whole. A change of content
 * changes the ctime, which nobody can set back.
 *
 * A folder or file changed within the same clock tick as the read it was cached from would not
 * show, so one changed less than RACY_MS before it was read is not cached (git's "racily clean"
 * rule): such a folder is listed again next time, such a file read again.
 *
 * What a folder settles (checks/settled.ts) is kept with it, worked out from exactly its records:
 * `cos scan` leaves a settled folder unread when nothing else reaches it (store/read.ts), which is
 * why the file is an index line and then each folder's data, parsed only for the folders a read
 * needs (docs/worktrees.md, "The read cache").
 *
 * What a record is trusted for: nothing more than a folder's listing and a file's text are. The
 * cache is read bounded (MAX_CACHE_BYTES, a regular file, never through a link), every folder and
 * file record is checked for shape, and every entry then goes through every rule of the protocol
 * (entryFromMatter) as a parsed file would; a record that fails either is ignored and the folder
 * listed or the file read. So a corrupt or hostile cache costs speed, never a value cos would
 * refuse; a record forged with a folder's or file's exact identity (which takes write access to
 * the git directory, where hooks run code anyway) is the limit of what it can do.
 */
import { lstatSync, type Dirent, type Stats } from 'node:fs';
import { join } from 'node:path';
import { realRoots } from '../trust/confine.js';
import { readBounded } from '../trust/read.js';
import { COS_VERSION } from '../version.js';
import { writeFileAtomic } from './local-files.js';
import { findRepository, sharedDir } from './worktrees.js';

/** Version 1 kept one record per file with its absolute path; version 2 keeps folders; version 3 adds what a folder settles (checks/settled.ts). */
export const READ_CACHE_VERSION = 3;
/** A cache larger than this is ignored and not written: about 150,000 entries of this size of body. */
export const MAX_CACHE_BYTES = 64 * 1024 * 1024;
/** A file or folder changed this recently (ms, before it was read) is not cached: coarse clocks and 2-second file systems. */
export const RACY_MS = 3000;

/** What a name of a folder is, as a listing says: what readers decide from without opening it. */
export type Listed = Pick<Dirent, 'name' | 'isFile' | 'isDirectory' | 'isSymbolicLink' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>;

/** [front matter, body] of a file record: the folder's data is a JSON list of them, in the order of its file records. */
type MatterRecord = [Record<string, unknown>, string];

/**
 * [sprint, updatedMs, fingerprint]: the folder's entries are a settled sprint (checks/settled.ts);
 * the fingerprint (SHA-256 of its records) tells whether two worktrees hold the same copy. 0: they
 * are not; null: not known yet. It counts only while every file record of the folder does.
 */
type SettledRecord = [string, number, string] | 0 | null;

/**
 * [path, dev, inode, mtimeMs, ctimeMs, others, names, identities, settled, data bytes]: a folder
 * (absolute path) as it was listed. `others` is every name of the listing that has no file record,
 * each as its type code and name, joined by `/` (a name never holds one), or null when the listing
 * is not known (the folder was changed too recently when it was listed): then it is listed again.
 * `names` are the names of its file records (files read whole), joined by `/`; `identities` holds
 * four numbers per name (inode, size, mtimeMs, ctimeMs): two objects a folder rather than one per
 * file, which is what parsing 10,000 records costs (BENCHMARKS.md).
 *
 * The file is the index (every folder record, as JSON on the first line) then each folder's data,
 * one after the other, as many bytes as its record says: a read parses the index, and the data of
 * just the folders whose entries it needs (a scan leaves settled folders unread).
 */
type FolderRecord = [string, number, number, number, number, string | null, string, number[], SettledRecord, number];

/** A settled sprint folder as the cache holds it (SettledRecord). */
export interface CachedSettled {
  sprint: string;
  updatedMs: number;
  fingerprint: string;
}

export interface CachedMatter {
  data: Record<string, unknown>;
  body: string;
}

/** One folder of the cache, for one read. */
export interface CachedFolder {
  /** The names of the folder: the cached listing when the folder is unchanged, else undefined (list it, then call `listed`). */
  readonly listing: Listed[] | undefined;
  /** Remember the listing just made of the folder (after `listing` was undefined). */
  listed(names: readonly Listed[]): void;
  /** The front matter and body cached for the file `name` when `stats` (its lstat now) is still its identity. */
  get(name: string, stats: Stats): CachedMatter | undefined;
  /** Forget the record of `name`: it did not pass the protocol's rules (a corrupt or forged record). */
  drop(name: string): void;
  /** Remember a file read whole now (its `stats` from the open descriptor) unless it changed too recently. */
  put(name: string, stats: Stats, data: Record<string, unknown>, body: string): void;
  /**
   * What the cache says the folder settles: a settled sprint, false when it is none, undefined when
   * not known (the folder or one of its records changed). Trust it only after `matches` held for
   * every entry name of the listing.
   */
  readonly settled: CachedSettled | false | undefined;
  /** Whether the record of `name` is still the file whose lstat now is `stats` (and keep it): `get` without the parse. */
  matches(name: string, stats: Stats): boolean;
  /** The record of `name` that `matches` held for. */
  matter(name: string): CachedMatter | undefined;
  /**
   * Remember what the folder settles, computed from the entries just read: when its listing is
   * cached and every one of `names` (its entry names) has a record, so that the answer stands for
   * exactly those records.
   */
  settle(settled: Omit<CachedSettled, 'fingerprint'> | null, names: readonly string[]): void;
}

export interface ReadCache {
  /**
   * The folder at `path` (absolute), whose lstat taken now, before any listing, is `stats`; null
   * when it is no folder (then it is read as without a cache).
   */
  folder(path: string, stats: Stats | null): CachedFolder | null;
  /** Write the cache back, holding just the folders and files met since it was opened, when that changed anything. Never throws. */
  save(): void;
}

/** Options of the read cache of parsed archived entries. */
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

/** A folder as loaded from the cache file. */
interface Loaded {
  record: FolderRecord;
  /** The names of its file records (none when the record's are of the wrong shape). */
  names: string[];
  /** name → position in `names`, built on first use for a large folder (a small one is searched). */
  positions: Map<string, number> | undefined;
  /** Where its data starts in the cache file's data part (its length is the record's). */
  at: number;
  /** The cache file's data part, read on first use. */
  data: DataPart;
  /** Its data parsed, one per name (undefined for a record whose data is unusable), once needed. */
  matters: (CachedMatter | undefined)[] | undefined;
}

/**
 * The part of the cache file after the index: every folder's data, read only when some folder's
 * is needed (a scan that leaves every folder unread never reads it), from the same file the index
 * came from (the cache is replaced whole, by rename, so another file means other offsets).
 */
interface DataPart {
  path: string;
  /** The cache file's identity when its index was read. */
  stats: Stats;
  /** Where the data part starts. */
  start: number;
  /** Its bytes once read; null when the file was replaced or cannot be read (every folder's data is then unusable). */
  bytes: Buffer | null | undefined;
}

/** A loaded folder's data, as stored; null when the data part cannot be had. */
function rawOf(loaded: Loaded): Buffer | null {
  const bytes = dataBytes(loaded.data);
  return bytes === null ? null : bytes.subarray(loaded.at, loaded.at + loaded.record[9]);
}

/** The data part's bytes, read on first use; null when the cache file was replaced or removed since its index was read, or cannot be read. */
function dataBytes(part: DataPart): Buffer | null {
  if (part.bytes === undefined) {
    const read = readBounded(part.path, MAX_CACHE_BYTES, { from: part.start });
    part.bytes = read.ok && sameFile(read.stats, part.stats) ? read.bytes : null;
  }
  return part.bytes;
}

function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}

/** A file read whole in this run: its identity and its front matter and body. */
interface Fresh {
  ids: [number, number, number, number];
  matter: CachedMatter;
}

/** A folder met in this read: what will be written back. */
interface Kept {
  dev: number;
  ino: number;
  mtimeMs: number;
  ctimeMs: number;
  /** The listing, when it can be cached (not changed too recently). */
  listing: readonly Listed[] | null;
  /** The folder as loaded, when its records can count (the same device). */
  before: Loaded | undefined;
  /** Which of `before`'s records still hold (1), by position, and how many. */
  held: Uint8Array;
  heldCount: number;
  /** The files read whole in this run. */
  fresh: Map<string, Fresh>;
  settled: SettledRecord;
}

/** What the folders of one open cache share. */
interface OpenState {
  racyMs: number;
  now: () => number;
  kept: Map<string, Kept>;
  changed: boolean;
}

/** One folder of an open cache (a class, not closures: a thousand folders per read). */
class FolderView implements CachedFolder {
  readonly listing: Listed[] | undefined;
  private readonly keep: Kept;
  /** Where the record after the last one matched is: the next name asked for, mostly. */
  private next = 0;

  constructor(
    private readonly state: OpenState,
    dir: string,
    private readonly stats: Stats,
    before: Loaded | undefined,
  ) {
    // Records of a folder that changed still count for the files that did not (same device).
    const counts = before !== undefined && before.record[1] === stats.dev ? before : undefined;
    this.keep = { dev: stats.dev, ino: stats.ino, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, listing: null, before: counts, held: new Uint8Array(counts?.names.length ?? 0), heldCount: 0, fresh: new Map(), settled: null };
    state.kept.set(dir, this.keep);
    if (before !== undefined && before.record[5] !== null && folderIdentity(before.record, stats)) {
      this.listing = listingOf(before.record[5], before.names);
      this.keep.listing = this.listing;
      this.keep.settled = before.record[8];
    } else state.changed = true;
  }

  private racy(stats: Stats): boolean {
    return Math.max(stats.mtimeMs, stats.ctimeMs) > this.state.now() - this.state.racyMs;
  }

  listed(names: readonly Listed[]): void {
    if (!this.racy(this.stats)) this.keep.listing = names;
  }

  get(name: string, file: Stats): CachedMatter | undefined {
    return this.matches(name, file) ? this.matter(name) : undefined;
  }

  matches(name: string, file: Stats): boolean {
    const { before, held } = this.keep;
    if (before === undefined || file.dev !== this.stats.dev) return false;
    // Names are mostly asked for in the order of the records (a cached listing lists them so).
    const at = before.names[this.next] === name ? this.next : positionOf(before, name);
    if (at < 0) return false;
    this.next = at + 1;
    const ids = before.record[7];
    if (ids[4 * at] !== file.ino || ids[4 * at + 1] !== file.size || ids[4 * at + 2] !== file.mtimeMs || ids[4 * at + 3] !== file.ctimeMs) return false;
    if (held[at] === 0) {
      held[at] = 1;
      this.keep.heldCount++;
    }
    return true;
  }

  matter(name: string): CachedMatter | undefined {
    return matterOf(this.keep, name);
  }

  drop(name: string): void {
    release(this.keep, name);
    this.keep.settled = null;
    this.state.changed = true;
  }

  put(name: string, file: Stats, data: Record<string, unknown>, body: string): void {
    // Whatever the folder settled was worked out from another copy of this file.
    this.keep.settled = null;
    if (release(this.keep, name)) this.state.changed = true;
    if (file.dev !== this.stats.dev || this.racy(file) || !plainJson(data)) return;
    this.keep.fresh.set(name, { ids: [file.ino, file.size, file.mtimeMs, file.ctimeMs], matter: { data, body } });
    this.state.changed = true;
  }

  get settled(): CachedSettled | false | undefined {
    const settled = this.keep.settled;
    if (settled === null) return undefined;
    return settled === 0 ? false : { sprint: settled[0], updatedMs: settled[1], fingerprint: settled[2] };
  }

  settle(settled: Omit<CachedSettled, 'fingerprint'> | null, names: readonly string[]): void {
    const keep = this.keep;
    if (keep.listing === null || keep.settled !== null || names.length !== keep.heldCount + keep.fresh.size) return;
    const matters: CachedMatter[] = [];
    for (const name of names) {
      const matter = holds(keep, name) ? matterOf(keep, name) : undefined;
      if (matter === undefined) return;
      matters.push(matter);
    }
    keep.settled = settled === null ? 0 : [settled.sprint, settled.updatedMs, fingerprint(names, matters)];
    this.state.changed = true;
  }
}

/** Where `name` is among a loaded folder's records, or -1. */
function positionOf(loaded: Loaded, name: string): number {
  const { names } = loaded;
  if (names.length <= 16) return names.indexOf(name);
  if (loaded.positions === undefined) {
    loaded.positions = new Map();
    for (let i = names.length - 1; i >= 0; i--) loaded.positions.set(names[i]!, i);
  }
  return loaded.positions.get(name) ?? -1;
}

/** Whether the kept folder has a record of `name` that counts in this read. */
function holds(keep: Kept, name: string): boolean {
  if (keep.fresh.has(name)) return true;
  const at = keep.before === undefined ? -1 : positionOf(keep.before, name);
  return at >= 0 && keep.held[at] === 1;
}

/** Forget whatever record of `name` the kept folder had; whether it had one. */
function release(keep: Kept, name: string): boolean {
  const fresh = keep.fresh.delete(name);
  const at = keep.before === undefined ? -1 : positionOf(keep.before, name);
  if (at < 0 || keep.held[at] !== 1) return fresh;
  keep.held[at] = 0;
  keep.heldCount--;
  return true;
}

/** The front matter and body of a kept file: read in this run, or from the folder's data as loaded (parsed on first use). */
function matterOf(keep: Kept, name: string): CachedMatter | undefined {
  const fresh = keep.fresh.get(name);
  if (fresh !== undefined) return fresh.matter;
  const before = keep.before;
  const at = before === undefined ? -1 : positionOf(before, name);
  if (at < 0 || keep.held[at] !== 1) return undefined;
  before!.matters ??= parseMatters(before!);
  return before!.matters[at];
}

/** A loaded folder's data, one item per file record; an item (or the whole) of the wrong shape is undefined: that file is read again. */
function parseMatters(loaded: Loaded): (CachedMatter | undefined)[] {
  const count = loaded.names.length;
  const raw = rawOf(loaded);
  if (raw === null) return new Array<undefined>(count);
  let items: unknown;
  try {
    items = JSON.parse(raw.toString('utf8'));
  } catch {
    return new Array<undefined>(count);
  }
  if (!Array.isArray(items) || items.length !== count) return new Array<undefined>(count);
  return items.map((item: unknown) => (Array.isArray(item) && item.length === 2 && isObject(item[0]) && typeof item[1] === 'string' ? { data: item[0], body: item[1] } : undefined));
}

/**
 * A kept folder's records and data: as loaded when every record still holds and none was read
 * again, else written anew. A record whose data is unusable (garbage in its folder's data; a
 * cache replaced or removed since its index was read never gets here: save leaves it alone) is
 * let go here: its name then stays in the listing as a plain file (othersOf), to be read next
 * time, and what the folder settles is worked out again.
 */
function recordsOf(keep: Kept): { names: string[]; ids: number[]; data: Buffer } {
  const before = keep.before;
  if (keep.fresh.size === 0 && before !== undefined && before.names.length > 0 && keep.heldCount === before.names.length) {
    const raw = rawOf(before);
    if (raw !== null) return { names: before.names, ids: before.record[7], data: raw };
  }
  const names: string[] = [];
  const ids: number[] = [];
  const matters: MatterRecord[] = [];
  if (before !== undefined) {
    for (let at = 0; at < before.names.length; at++) {
      if (keep.held[at] !== 1) continue;
      const matter = matterOf(keep, before.names[at]!);
      if (matter === undefined) {
        keep.held[at] = 0;
        keep.heldCount--;
        keep.settled = null;
        continue;
      }
      names.push(before.names[at]!);
      ids.push(...before.record[7].slice(4 * at, 4 * at + 4));
      matters.push([matter.data, matter.body]);
    }
  }
  for (const [name, fresh] of keep.fresh) {
    names.push(name);
    ids.push(...fresh.ids);
    matters.push([fresh.matter.data, fresh.matter.body]);
  }
  return { names, ids, data: Buffer.from(JSON.stringify(matters)) };
}

/** The read cache of `root`'s repository (empty when it has none yet, or an unusable one), or null outside git. */
export function openReadCache(root: string, options: ReadCacheOptions = {}): ReadCache | null {
  const repository = findRepository(root);
  const path = readCachePath(root);
  if (repository === null || path === null) return null;
  const racyMs = options.racyMs ?? RACY_MS;
  const now = options.now ?? Date.now;
  const loaded = load(path);
  const state: OpenState = { racyMs, now, kept: new Map(), changed: false };
  return {
    folder(dir, stats) {
      if (stats === null || !stats.isDirectory()) return null;
      return new FolderView(state, dir, stats, loaded.get(dir));
    },
    save() {
      const { kept } = state;
      if (!state.changed && kept.size === loaded.size && [...kept].every(([dir, folder]) => folder.fresh.size === 0 && folder.heldCount === loaded.get(dir)?.names.length)) return;
      // Nothing worth keeping (every folder and file changed too recently) and nothing to replace: no file.
      if (loaded.size === 0 && [...kept.values()].every((folder) => folder.listing === null && folder.fresh.size === 0 && folder.heldCount === 0)) return;
      // Records this run kept without reading their data are copied from the file the index came
      // from. When another cos has replaced (or someone removed) that file since, it is left as it
      // is: the newer cache is as good as this run's, and this run could only write its own with
      // those records let go, costing the next reader every one of their files.
      const part = [...kept.values()].find((folder) => folder.heldCount > 0)?.before?.data;
      if (part !== undefined && dataBytes(part) === null) return;
      try {
        const folders: FolderRecord[] = [];
        const parts: Buffer[] = [];
        let bytes = 0;
        for (const [dir, folder] of kept) {
          const { names, ids, data } = recordsOf(folder);
          folders.push([dir, folder.dev, folder.ino, folder.mtimeMs, folder.ctimeMs, othersOf(folder), names.join('/'), ids, folder.listing === null ? null : folder.settled, data.length]);
          parts.push(data);
          bytes += data.length;
        }
        const index = Buffer.from(`${JSON.stringify({ version: READ_CACHE_VERSION, cos: COS_VERSION, folders })}\n`);
        if (index.length + bytes > MAX_CACHE_BYTES) return;
        writeFileAtomic(path, Buffer.concat([index, ...parts], index.length + bytes), realRoots([repository.commonDir]));
      } catch {
        // A cache that cannot be written costs the next reader time, nothing else.
      }
    },
  };
}

function folderIdentity(record: FolderRecord, stats: Stats): boolean {
  return record[1] === stats.dev && record[2] === stats.ino && record[3] === stats.mtimeMs && record[4] === stats.ctimeMs;
}

/** The type codes of a listing. */
const CODES = 'fdlpscb?';

function codeOf(listed: Listed): string {
  if (listed.isFile()) return 'f';
  if (listed.isDirectory()) return 'd';
  if (listed.isSymbolicLink()) return 'l';
  if (listed.isFIFO()) return 'p';
  if (listed.isSocket()) return 's';
  if (listed.isCharacterDevice()) return 'c';
  if (listed.isBlockDevice()) return 'b';
  return '?';
}

/** A name of a cached listing: answers what a Dirent of that type answers. */
class CachedName implements Listed {
  constructor(
    readonly name: string,
    private readonly code: string,
  ) {}
  isFile(): boolean {
    return this.code === 'f';
  }
  isDirectory(): boolean {
    return this.code === 'd';
  }
  isSymbolicLink(): boolean {
    return this.code === 'l';
  }
  isFIFO(): boolean {
    return this.code === 'p';
  }
  isSocket(): boolean {
    return this.code === 's';
  }
  isCharacterDevice(): boolean {
    return this.code === 'c';
  }
  isBlockDevice(): boolean {
    return this.code === 'b';
  }
}

/** The listing a folder record stands for: its file records' names (files) and the others. */
function listingOf(others: string, files: readonly string[]): Listed[] {
  const names: Listed[] = [];
  for (const name of files) names.push(new CachedName(name, 'f'));
  if (others !== '') for (const item of others.split('/')) names.push(new CachedName(item.slice(1), item[0]!));
  return names;
}

/** The `others` of a kept folder: every name of its listing without a file record. */
function othersOf(folder: Kept): string | null {
  if (folder.listing === null) return null;
  const items: string[] = [];
  for (const listed of folder.listing) if (!(listed.isFile() && holds(folder, listed.name))) items.push(`${codeOf(listed)}${listed.name}`);
  return items.join('/');
}

/** The folder records of the cache file that have the right shape; anything unreadable is an empty cache. */
function load(path: string): Map<string, Loaded> {
  const folders = new Map<string, Loaded>();
  // The index only: the data part is read when a folder's data is needed (rawOf).
  const read = readBounded(path, MAX_CACHE_BYTES, { stop: 10 });
  if (!read.ok) return folders;
  const bytes = read.bytes;
  const newline = bytes.length - 1;
  if (newline < 0 || bytes[newline] !== 10) return folders;
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString('utf8', 0, newline));
  } catch {
    return folders;
  }
  if (!isObject(document) || document.version !== READ_CACHE_VERSION || !Array.isArray(document.folders)) return folders;
  // What a folder settles was worked out by the rules of the cos that wrote it: another release's
  // marks are dropped (the folders are read, and marked again), its records still count.
  const sameRules = document.cos === COS_VERSION;
  const data: DataPart = { path, stats: read.stats, start: newline + 1, bytes: undefined };
  const dataBytes = read.stats.size - data.start;
  let offset = 0;
  for (const record of document.folders as unknown[]) {
    // Where the next folder's data starts is known only from this record: one of the wrong shape ends the cache.
    if (!isFolderRecord(record) || offset + record[9] > dataBytes) break;
    const at = offset;
    offset += record[9];
    if (!sameRules) record[8] = null;
    const names = record[6] === '' ? [] : record[6].split('/');
    const loaded: Loaded = { record, names, positions: undefined, at, data, matters: undefined };
    // Records of the wrong shape (an empty name, a name twice, identities that do not add up) count for nothing.
    if (!fileRecords(names, record[7])) loaded.names = [];
    // A listing naming a file twice, or naming a file record again, is not one readdir gave.
    if (record[5] !== null && !consistentListing(record[5], loaded)) record[5] = null;
    folders.set(record[0], loaded);
  }
  return folders;
}

function consistentListing(others: string, loaded: Loaded): boolean {
  if (others === '') return true;
  const seen = new Set<string>();
  for (const item of others.split('/')) {
    const name = item.slice(1);
    if (name === '' || !CODES.includes(item[0]!) || positionOf(loaded, name) >= 0 || seen.has(name)) return false;
    seen.add(name);
  }
  return true;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFolderRecord(value: unknown): value is FolderRecord {
  if (!Array.isArray(value) || value.length !== 10 || typeof value[0] !== 'string') return false;
  for (let i = 1; i <= 4; i++) if (typeof value[i] !== 'number') return false;
  return (value[5] === null || typeof value[5] === 'string') && typeof value[6] === 'string' && Array.isArray(value[7]) && isSettledRecord(value[8]) && Number.isSafeInteger(value[9]) && value[9] >= 0;
}

function isSettledRecord(value: unknown): value is SettledRecord {
  if (value === null || value === 0) return true;
  return Array.isArray(value) && value.length === 3 && typeof value[0] === 'string' && value[0] !== '' && Number.isFinite(value[1]) && typeof value[2] === 'string';
}

/** SHA-256 of a folder's entries (names, front matter, bodies), in name order: equal for two worktrees' copies of the same entries. */
function fingerprint(names: readonly string[], matters: readonly CachedMatter[]): string {
  // Loaded here, on the path that writes the cache, not at start-up.
  const { createHash } = process.getBuiltinModule('node:crypto');
  const order = names.map((_, i) => i).sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(order.map((i) => [names[i], matters[i]!.data, matters[i]!.body]))).digest('base64');
}

/**
 * Whether a folder's record names and identities have the right shape: names non-empty, four
 * identities each. Identities of another type never equal an lstat's numbers, so they are not
 * checked one by one; a name recorded twice is read twice and kept once, as a listing would.
 */
function fileRecords(names: readonly string[], ids: readonly unknown[]): boolean {
  return ids.length === 4 * names.length && !names.includes('');
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
    // Without options: lstatSync's options object costs more than the rare exception.
    return lstatSync(path);
  } catch {
    return null;
  }
}
