/**
 * The watcher's view of the status folders, one file at a time: which files count (the same rule
 * as readStore — `current/*.md`, `archive/*.md`, `archive/<sprint>/*.md`, never hidden names),
 * reading and parsing one of them, and a stat signature so a reconcile re-parses only what
 * changed. A file that does not parse is a problem record, never an exception.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Entry } from '../protocol/fields.js';
import { parseEntry } from '../protocol/entry.js';
import { looksLikeEntry } from '../protocol/filename.js';
import type { AgentPaths } from '../store/paths.js';
import { MAX_ENTRY_BYTES, type Problem } from '../store/read.js';

export type Location = Entry['location'];

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

/** Whether chokidar should skip a path: hidden names (temp files, `.claims/`) and lock dirs. */
export function isIgnoredName(path: string): boolean {
  const name = basename(path);
  return name.startsWith('.') || name.endsWith('.lock');
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

/** Names in `dir`, folders with a trailing `/`; symbolic links are listed (readStore reports them). */
function list(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isFile() || d.isSymbolicLink() || d.isDirectory())
      .map((d) => (d.isDirectory() ? `${d.name}/` : d.name));
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
 * The signature of a file now (of the link itself for a symbolic link, which is never followed),
 * or null when it is gone or is something else (a folder, a FIFO, a device).
 */
export function statSignature(abs: string): string | null {
  try {
    const stats = lstatSync(abs);
    return stats.isFile() || stats.isSymbolicLink() ? signatureOf(stats) : null;
  } catch {
    return null;
  }
}

/**
 * Opening never blocks and never follows a link: a FIFO opened for reading without O_NONBLOCK waits
 * for a writer (and would freeze the watcher, signals included); a link could point anywhere.
 * Both flags are 0 where the platform has none.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

function linkRecord(rel: string, location: Location, abs: string): FileRecord | null {
  try {
    const stats = lstatSync(abs);
    if (!stats.isSymbolicLink()) return null;
    return { rel, location, signature: signatureOf(stats), entry: null, problem: { file: rel, reason: 'it is a symbolic link; an entry must be a regular file' }, link: true };
  } catch {
    return null;
  }
}

/**
 * Read and parse one entry file; null when it is gone or is not a regular file (a folder, a FIFO,
 * a device). A symbolic link is a problem record, as in readStore.
 */
export function readEntryFile(paths: AgentPaths, abs: string, location: Location): FileRecord | null {
  const rel = paths.rel(abs);
  let fd: number;
  try {
    fd = openSync(abs, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') return linkRecord(rel, location, abs);
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return null;
    return { rel, location, signature: `unreadable:${code}`, entry: null, problem: { file: rel, reason: `it cannot be read (${code ?? (error as Error).message})` } };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return null;
    const signature = signatureOf(stats);
    if (stats.size > MAX_ENTRY_BYTES) {
      return { rel, location, signature, entry: null, problem: { file: rel, reason: `it is ${stats.size} bytes long (at most ${MAX_ENTRY_BYTES})` } };
    }
    const buffer = Buffer.allocUnsafe(stats.size);
    let offset = 0;
    while (offset < stats.size) {
      const n = readSync(fd, buffer, offset, stats.size - offset, offset);
      if (n === 0) break;
      offset += n;
    }
    const parsed = parseEntry(buffer.toString('utf8', 0, offset), { file: basename(abs), path: rel, location });
    if (parsed.ok) return { rel, location, signature, entry: parsed.entry, problem: null };
    return { rel, location, signature, entry: null, problem: { file: rel, reason: parsed.reason } };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { rel, location, signature: `unreadable:${code}`, entry: null, problem: { file: rel, reason: `it cannot be read (${code ?? (error as Error).message})` } };
  } finally {
    closeSync(fd);
  }
}
