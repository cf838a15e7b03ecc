/**
 * The watcher's view of the status folders, one file at a time: which files count (the same rule
 * as readStore — `current/*.md`, `archive/*.md`, `archive/<sprint>/*.md`, never hidden names),
 * reading and parsing one of them, and a stat signature so a reconcile re-parses only what
 * changed. A file that does not parse is a problem record, never an exception.
 */
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { readBounded } from '../trust/read.js';
import { basename, dirname, join } from 'node:path';
import type { Entry } from '../protocol/fields.js';
import { parseEntry } from '../protocol/entry.js';
import { looksLikeEntry } from '../protocol/filename.js';
import type { AgentPaths } from '../store/paths.js';
import { MAX_ENTRY_BYTES, NOT_UTF8, NOT_UTF8_FOLDER, notRegular, type Problem } from '../store/read.js';

/** Where a watched entry file is: current/ or archive/. */
export type Location = Entry['location'];

/** A watched file as the watch engine holds it: path, location, signature and parsed entry. */
export interface FileRecord {
  /** Path relative to the repository root (the key of the in-memory store). */
  rel: string;
  location: Location;
  /** `ino:size:mtimeMs`: when it is unchanged, the file need not be parsed again. */
  signature: string;
  entry: Entry | null;
  problem: Problem | null;
  /** A symbolic link: reported, never followed, and not counted as a file in `current/` (as readStore). */
  link?: true;
  /** In another worktree than the one cos runs in: not counted against this worktree's archive bound. */
  foreign?: true;
}

export interface ListedFile {
  abs: string;
  location: Location;
}

/** Whether the file watcher should skip a path: hidden names (temp files, `.claims/`) and lock dirs. */
export function isIgnoredName(path: string): boolean {
  const name = basename(path);
  return name.startsWith('.') || name.endsWith('.lock');
}

/** `status/archive/<name>` that is a symbolic link (under the watched `status` folder): never entered. */
export function isLinkedArchiveFolder(status: string, path: string): boolean {
  if (dirname(path) !== join(status, 'archive')) return false;
  try {
    return lstatSync(path).isSymbolicLink() && !looksLikeEntry(basename(path));
  } catch {
    return false;
  }
}

/** Where an entry file at `abs` belongs, or null when it is not an entry location. */
export function locate(paths: AgentPaths, abs: string): Location | null {
  const name = basename(abs);
  if (!looksLikeEntry(name)) return null;
  const dir = dirname(abs);
  if (dir === paths.current) return 'current';
  if (dir === paths.archive) return 'archive';
  if (dirname(dir) === paths.archive && !basename(dir).startsWith('.')) return 'archive';
  return null;
}

/** Names in `dir`, folders with a trailing `/`; links, FIFOs, sockets and devices are listed (readStore reports them). */
function list(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).map((d) => (d.isDirectory() ? `${d.name}/` : d.name));
  } catch {
    return [];
  }
}

/** Every entry-like file, current and archive (the files readStore reads). */
export function listEntryFiles(paths: AgentPaths): ListedFile[] {
  const out: ListedFile[] = [];
  for (const name of list(paths.current)) if (!name.endsWith('/') && looksLikeEntry(name)) out.push({ abs: join(paths.current, name), location: 'current' });
  for (const name of list(paths.archive)) {
    if (name.endsWith('/')) {
      if (name.startsWith('.')) continue;
      const dir = join(paths.archive, name.slice(0, -1));
      // A folder whose name is not UTF-8 cannot be listed by that name: the folder itself is reported (readEntryFile).
      if (name.includes('\uFFFD')) {
        out.push({ abs: dir, location: 'archive' });
        continue;
      }
      for (const inner of list(dir)) if (!inner.endsWith('/') && looksLikeEntry(inner)) out.push({ abs: join(dir, inner), location: 'archive' });
    } else if (looksLikeEntry(name)) {
      out.push({ abs: join(paths.archive, name), location: 'archive' });
    }
  }
  return out;
}

export function signatureOf(stats: Stats): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

/**
 * The signature of a file now (of the link itself for a symbolic link, which is never followed;
 * of a FIFO, socket or device too, which are reported), or null when it is gone or a folder.
 */
export function statSignature(abs: string): string | null {
  try {
    const stats = lstatSync(abs);
    return stats.isDirectory() ? null : signatureOf(stats);
  } catch {
    return null;
  }
}

function linkRecord(rel: string, location: Location, abs: string): FileRecord | null {
  try {
    const stats = lstatSync(abs);
    if (!stats.isSymbolicLink()) return null;
    return { rel, location, signature: signatureOf(stats), entry: null, problem: { file: rel, reason: 'it is a symbolic link; an entry must be a regular file' }, link: true };
  } catch {
    return null;
  }
}

/** A FIFO, socket or device where an entry should be: a problem record (lstat only), as in readStore. */
function specialRecord(rel: string, location: Location, abs: string): FileRecord | null {
  try {
    const stats = lstatSync(abs);
    if (stats.isFile() || stats.isDirectory() || stats.isSymbolicLink()) return null;
    return { rel, location, signature: signatureOf(stats), entry: null, problem: { file: rel, reason: notRegular(stats) } };
  } catch {
    return null;
  }
}

/**
 * Read (bounded, never through a final link: trust/read.ts) and parse one entry file; null when
 * it is gone or is a folder. A symbolic link, a FIFO, a socket or a device is a problem record,
 * found with lstat and never opened, as in readStore; so is a name that is not UTF-8.
 */
export function readEntryFile(paths: AgentPaths, abs: string, location: Location): FileRecord | null {
  const rel = paths.rel(abs);
  const name = basename(abs);
  if (name.includes('\uFFFD')) {
    const folder = dirname(abs) === paths.archive && !looksLikeEntry(name);
    return { rel, location, signature: 'not-utf8', entry: null, problem: { file: rel, reason: folder ? NOT_UTF8_FOLDER : NOT_UTF8 } };
  }
  const special = specialRecord(rel, location, abs);
  if (special !== null) return special;
  const read = readBounded(abs, MAX_ENTRY_BYTES);
  if (!read.ok) {
    if (read.kind === 'link') return linkRecord(rel, location, abs);
    if (read.kind === 'missing' || read.kind === 'not-regular') return null;
    const signature = read.stats ? signatureOf(read.stats) : `unreadable:${read.reason}`;
    return { rel, location, signature, entry: null, problem: { file: rel, reason: read.reason } };
  }
  const signature = signatureOf(read.stats);
  const parsed = parseEntry(read.bytes.toString('utf8'), { file: basename(abs), path: rel, location });
  if (parsed.ok) return { rel, location, signature, entry: parsed.entry, problem: null };
  return { rel, location, signature, entry: null, problem: { file: rel, reason: parsed.reason } };
}
