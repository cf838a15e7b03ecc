/**
 * The only code that reads the status folders. A file that does not parse or validate becomes a
 * problem (file, reason): it never throws, and it is never modified.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { Entry } from '../protocol/fields.js';
import { looksLikeEntry, parseEntryFileName } from '../protocol/filename.js';
import { parseEntry } from '../protocol/entry.js';
import { sortEntries } from '../protocol/order.js';
import { agentPaths, type AgentPaths } from './paths.js';

/** Larger files are reported, not read: an entry is a status note, not a log dump. */
export const MAX_ENTRY_BYTES = 16 * 1024 * 1024;

export interface Problem {
  /** Path relative to the repository root. */
  file: string;
  reason: string;
}

export interface StoreSnapshot {
  root: string;
  /** Valid entries, current and archive, ordered by (seq, timestamp, file). */
  entries: Entry[];
  problems: Problem[];
  /** Highest sequence number in any entry-like file name (valid or not). */
  maxSeq: number;
  /** How many entry files were read in current/ (valid or not). */
  currentCount: number;
}

export interface ReadOptions {
  /** Read `status/archive/**` too (default true). */
  archive?: boolean;
}

/** A folder's entries; a missing folder is empty. Other errors throw unless `problems` collects them. */
function list(dir: string, problems?: { rel: (path: string) => string; list: Problem[] }): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    if (code === 'ENOTDIR') {
      // A file where the folder should be: reported (cos post would refuse to write), not silently "all clear".
      problems?.list.push({ file: problems.rel(dir), reason: 'it, or a folder above it, is a file where a folder should be; move that file aside' });
      return [];
    }
    if (!problems) throw error;
    problems.list.push({ file: problems.rel(dir), reason: `the folder cannot be read (${code ?? (error as Error).message})` });
    return [];
  }
}

function readText(path: string): { text: string } | { reason: string } | { gone: true } {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    if (size > MAX_ENTRY_BYTES) return { reason: `it is ${size} bytes long (at most ${MAX_ENTRY_BYTES})` };
    const buffer = Buffer.allocUnsafe(size);
    let offset = 0;
    while (offset < size) {
      const n = readSync(fd, buffer, offset, size - offset, offset);
      if (n === 0) break;
      offset += n;
    }
    return { text: buffer.toString('utf8', 0, offset) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Moved or removed between listing and reading (cos archive, a git checkout): not a problem.
    if (code === 'ENOENT') return { gone: true };
    return { reason: `it cannot be read (${code ?? (error as Error).message})` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

interface ReadState {
  paths: AgentPaths;
  snapshot: StoreSnapshot;
}

function readDir(state: ReadState, dir: string, location: Entry['location'], dirents?: Dirent[]): void {
  const { paths, snapshot } = state;
  for (const dirent of dirents ?? list(dir, { rel: paths.rel, list: snapshot.problems })) {
    const name = dirent.name;
    if (!looksLikeEntry(name)) continue;
    const path = join(dir, name);
    const rel = paths.rel(path);
    if (dirent.isSymbolicLink()) {
      // Never followed: it could point anywhere (a device, a huge file, outside the repository).
      snapshot.problems.push({ file: rel, reason: 'it is a symbolic link; an entry must be a regular file' });
      continue;
    }
    if (!dirent.isFile()) continue;
    const read = readText(path);
    if ('gone' in read) continue;
    if (location === 'current') snapshot.currentCount++;
    const parsedName = parseEntryFileName(name);
    if (parsedName && parsedName.seq > snapshot.maxSeq) snapshot.maxSeq = parsedName.seq;
    if ('reason' in read) {
      snapshot.problems.push({ file: rel, reason: read.reason });
      continue;
    }
    const parsed = parseEntry(read.text, { file: name, path: rel, location });
    if (!parsed.ok) {
      snapshot.problems.push({ file: rel, reason: parsed.reason });
      continue;
    }
    // The same name in current/ and archive/ is kept twice: after a git merge one clone may have
    // archived an entry that another still has in current/ (cos archive resolves it).
    snapshot.entries.push(parsed.entry);
  }
}

export function readStore(root: string, options: ReadOptions = {}): StoreSnapshot {
  const paths = agentPaths(root);
  const snapshot: StoreSnapshot = { root: paths.root, entries: [], problems: [], maxSeq: 0, currentCount: 0 };
  const state: ReadState = { paths, snapshot };
  readDir(state, paths.current, 'current');
  if (options.archive !== false) {
    const archive = list(paths.archive, { rel: paths.rel, list: snapshot.problems });
    readDir(state, paths.archive, 'archive', archive);
    for (const dirent of archive) {
      if (dirent.isDirectory() && !dirent.name.startsWith('.')) readDir(state, join(paths.archive, dirent.name), 'archive');
    }
  }
  sortEntries(snapshot.entries);
  snapshot.problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return snapshot;
}

/** Highest sequence number used by any entry-like file name, current and archive, without parsing. */
export function scanMaxSeq(root: string): number {
  const paths = agentPaths(root);
  let max = 0;
  const visit = (dir: string) => {
    for (const dirent of list(dir)) {
      if (dirent.isDirectory()) {
        if (dir === paths.archive && !dirent.name.startsWith('.')) visit(join(dir, dirent.name));
        continue;
      }
      const parsed = parseEntryFileName(dirent.name);
      if (parsed && parsed.seq > max) max = parsed.seq;
    }
  };
  visit(paths.current);
  visit(paths.archive);
  return max;
}
