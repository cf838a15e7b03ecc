/**
 * Bounded reads of regular files: the one way cos reads a file whose path or content a
 * repository, an MCP client or a hook's stdin can steer.
 *
 * The file is opened with O_NOFOLLOW (the last name may not be a symbolic link) and O_NONBLOCK
 * (opening a FIFO does not wait for a writer), then fstat'ed on the open descriptor: only a
 * regular file is read, and at most `maxBytes` of it — a file that grows while it is read is
 * cut at the bound and reported as too large, so `/dev/zero` or a multi-gigabyte file costs
 * nothing. Folders above the file are confined by the caller (confine.ts), once per folder.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../errors.js';
import { confine, type Roots } from './confine.js';

/** Config, roles, state files: far below this. */
export const SMALL_FILE_BYTES = 1024 * 1024;

export type BoundedFailure = {
  ok: false;
  kind: 'missing' | 'not-regular' | 'link' | 'too-large' | 'unreadable';
  reason: string;
  /** The file's stats, when it was opened (too large, not regular). */
  stats?: Stats;
};

export type BoundedBytes = { ok: true; bytes: Buffer; stats: Stats } | BoundedFailure;
export type BoundedText = { ok: true; text: string } | BoundedFailure;

const FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

function describe(mode: number): string {
  switch (mode & constants.S_IFMT) {
    case constants.S_IFDIR:
      return 'it is a directory';
    case constants.S_IFIFO:
      return 'it is a named pipe, not a regular file';
    case constants.S_IFCHR:
    case constants.S_IFBLK:
      return 'it is a device, not a regular file';
    case constants.S_IFSOCK:
      return 'it is a socket, not a regular file';
    default:
      return 'it is not a regular file';
  }
}

/** Which part of a file readBounded reads: all of it by default. */
export interface ReadPart {
  /** Start at this byte (the size bound still counts the whole file). */
  from?: number;
  /** Stop after the first byte of this value (it included): the head of a file whose rest may never be needed. */
  stop?: number;
}

/** The most read at once while looking for `stop`: the head of the read cache is about a megabyte per 10,000 entries. */
const HEAD_CHUNK = 256 * 1024;

/** Read at most `maxBytes` of the regular file at `path` (or the part of it `part` says); never follows a final symbolic link. */
export function readBounded(path: string, maxBytes: number = SMALL_FILE_BYTES, part: ReadPart = {}): BoundedBytes {
  let fd: number;
  try {
    fd = openSync(path, FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, kind: 'missing', reason: 'no such file' };
    if (code === 'ELOOP') return { ok: false, kind: 'link', reason: 'it is a symbolic link; cos reads only regular files here' };
    if (code === 'EISDIR') return { ok: false, kind: 'not-regular', reason: 'it is a directory' };
    if (code === 'ENXIO') return { ok: false, kind: 'not-regular', reason: 'it is a socket or device, not a regular file' };
    if (code === 'EACCES' || code === 'EPERM') return { ok: false, kind: 'unreadable', reason: 'permission denied' };
    return { ok: false, kind: 'unreadable', reason: `it cannot be read (${code ?? (error as Error).message})` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, kind: 'not-regular', reason: describe(stat.mode), stats: stat };
    if (stat.size > maxBytes) return { ok: false, kind: 'too-large', reason: `it is ${stat.size} bytes long (at most ${maxBytes})`, stats: stat };
    const from = Math.max(0, part.from ?? 0);
    // One byte more than the bound tells a file that grew meanwhile from one that fits.
    const length = Math.max(0, Math.min(stat.size, maxBytes) + 1 - from);
    if (part.stop !== undefined) return readHead(fd, stat, from, length, part.stop, maxBytes);
    const buffer = Buffer.allocUnsafe(length);
    let offset = 0;
    while (offset < buffer.length) {
      const n = readSync(fd, buffer, offset, buffer.length - offset, from + offset);
      if (n === 0) break;
      offset += n;
      if (from + offset > maxBytes) return tooLong(maxBytes, stat);
    }
    return { ok: true, bytes: buffer.subarray(0, offset), stats: stat };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, kind: 'missing', reason: 'no such file' };
    return { ok: false, kind: 'unreadable', reason: `it cannot be read (${code ?? (error as Error).message})` };
  } finally {
    closeSync(fd);
  }
}

/** readBounded's read up to the first `stop` byte, a chunk at a time, joined once at the end. */
function readHead(fd: number, stat: Stats, from: number, length: number, stop: number, maxBytes: number): BoundedBytes {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < length) {
    const chunk = Buffer.allocUnsafe(Math.min(HEAD_CHUNK, length - total));
    const n = readSync(fd, chunk, 0, chunk.length, from + total);
    if (n === 0) break;
    const stopAt = chunk.subarray(0, n).indexOf(stop);
    if (stopAt >= 0) {
      chunks.push(chunk.subarray(0, stopAt + 1));
      return { ok: true, bytes: Buffer.concat(chunks), stats: stat };
    }
    total += n;
    if (from + total > maxBytes) return tooLong(maxBytes, stat);
    chunks.push(chunk.subarray(0, n));
  }
  return { ok: true, bytes: Buffer.concat(chunks), stats: stat };
}

function tooLong(maxBytes: number, stats: Stats): BoundedFailure {
  return { ok: false, kind: 'too-large', reason: `it is longer than ${maxBytes} bytes`, stats };
}

/** As readBounded, decoded as UTF-8 (invalid sequences become U+FFFD). */
export function readBoundedText(path: string, maxBytes: number = SMALL_FILE_BYTES): BoundedText {
  const read = readBounded(path, maxBytes);
  return read.ok ? { ok: true, text: read.bytes.toString('utf8') } : read;
}

/**
 * The text of a file a repository (or a client) names: its path confined to `roots` (links in its
 * folders resolved), then read bounded as a regular file. Null when it does not exist; any other
 * problem is an InputError in one sentence naming `shown`.
 */
export function readConfinedText(path: string, roots: Roots, shown: string, maxBytes: number = SMALL_FILE_BYTES): string | null {
  confine(dirname(path), roots, shown);
  const read = readBoundedText(path, maxBytes);
  if (read.ok) return read.text;
  if (read.kind === 'missing') return null;
  throw new InputError(`Cannot read ${shown}: ${read.reason}.`);
}
