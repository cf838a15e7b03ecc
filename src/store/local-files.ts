/**
 * Small files cos keeps for itself (ledgers, records, settings it merges) and its local logs.
 * One implementation of "replace atomically" and "append with rotation" for every module.
 */
import { closeSync, constants, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { confine, type Roots } from '../trust/confine.js';

/** Create `path` exclusively (never through a link) and write all of `content` to it, fsynced; `mode` sets its permissions. */
export function writeTemp(path: string, content: string | Buffer, mode?: number): void {
  const fd = openSync(path, 'wx', 0o644);
  try {
    if (mode !== undefined) fchmodSync(fd, mode);
    const buffer = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let offset = 0;
    while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsync a folder, so a rename or link in it survives a crash. */
export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every platform lets a directory be fsynced; the rename or link itself is already atomic.
  }
}

let tempCounter = 0;

/**
 * A hidden temp name next to the final one: `.<name>.<pid>.<hex>.tmp` (what `cos cleanup` lists
 * once old). Unique enough (pid, counter, random): it is created with O_EXCL anyway. Math.random
 * rather than node:crypto, which costs ~3 ms to load on `cos post`.
 */
export function tempName(finalName: string): string {
  const random = Math.floor(Math.random() * 0x1_0000_0000).toString(16).padStart(8, '0');
  return `.${finalName}.${process.pid}.${(tempCounter++).toString(16)}${random}.tmp`;
}

/**
 * Replace `path` atomically and durably — the one implementation for every file cos rewrites in
 * place (a heartbeat, a plan, a ledger, a session record, merged settings, a synced role, a board
 * snapshot): the complete content goes to a hidden temp file beside it (exclusive create,
 * fsynced), is renamed over `path`, and the folder is fsynced. A reader sees the old file or the
 * new one, never a part; a writer killed half-way leaves only the temp file, which `cos cleanup`
 * lists. The folder must exist. No confinement: for a path the user gave on the command line;
 * anything a repository or client can steer goes through writeFileAtomic.
 */
export function replaceFile(path: string, data: string | Buffer, { mode }: { mode?: number } = {}): void {
  const dir = dirname(path);
  const temp = join(dir, tempName(basename(path)));
  try {
    writeTemp(temp, data, mode);
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone, or never made
    }
    throw error;
  }
  fsyncDir(dir);
}

/**
 * replaceFile for a path inside `inside`: its folder is confined first (before any folder is
 * made, so a committed link on the way cannot carry the write elsewhere), then created.
 */
export function writeFileAtomic(path: string, data: string | Buffer, inside: Roots, { mode, shown }: { mode?: number; shown?: string } = {}): void {
  const dir = dirname(path);
  confine(dir, inside, shown ?? dir);
  mkdirSync(dir, { recursive: true });
  replaceFile(path, data, mode === undefined ? {} : { mode });
}

/** Append, never through a link as the last name, creating the file (0644) when missing. */
const APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0);

/**
 * Append `text` to `path` (a ledger, a log) whose folder lies inside `inside`, never through a
 * link: a committed `spawned.jsonl` that links to ~/.bashrc is an error (ELOOP), not an append.
 */
export function appendConfined(path: string, text: string, inside: Roots): void {
  confine(dirname(path), inside, dirname(path));
  mkdirSync(dirname(path), { recursive: true });
  appendText(path, text);
}

function appendText(path: string, text: string): void {
  const fd = openSync(path, APPEND, 0o644);
  try {
    const buffer = Buffer.from(text, 'utf8');
    let offset = 0;
    while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
  } finally {
    closeSync(fd);
  }
}

/** A descriptor to append to `path` (a child's log), confined as appendConfined; the caller closes it. */
export function openAppend(path: string, inside: Roots): number {
  confine(dirname(path), inside, dirname(path));
  mkdirSync(dirname(path), { recursive: true });
  return openSync(path, APPEND, 0o644);
}

/**
 * Append text to a local log, moving it to `<log>.1` first once it passes `maxBytes`. Never
 * throws: a log that cannot be written must not fail the work it describes.
 */
export function appendLog(path: string, text: string, inside: Roots, maxBytes = 1024 * 1024): void {
  try {
    confine(path, inside, path);
    mkdirSync(dirname(path), { recursive: true });
    try {
      if (statSync(path).size > maxBytes) renameSync(path, `${path}.1`);
    } catch {
      // no log yet
    }
    appendText(path, text);
  } catch {
    // nowhere to log
  }
}
