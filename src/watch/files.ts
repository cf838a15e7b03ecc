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
import { MAX_ENTRY_BYTES, NOT_UTF8, type Problem } from '../store/read.js';

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
 * Read (bounded, never through a final link, never blocking on a FIFO: trust/read.ts) and parse
 * one entry file; null when it is gone or is not a regular file (a folder, a FIFO, a device). A
 * symbolic link is a problem record, as in readStore.
 */
export function readEntryFile(paths: AgentPaths, abs: string, location: Location): FileRecord | null {
  const rel = paths.rel(abs);
  if (basename(abs).includes('\uFFFD')) return { rel, location, signature: 'not-utf8', entry: null, problem: { file: rel, reason: NOT_UTF8 } };
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
