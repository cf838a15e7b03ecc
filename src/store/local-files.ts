/**
 * Small files cos keeps for itself (ledgers, records, settings it merges) and its local logs.
 * One implementation of "replace atomically" and "append with rotation" for every module.
 */
import { closeSync, constants, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { confine, type Roots } from '../trust/confine.js';

let counter = 0;

/**
 * Replace `path` atomically: write a hidden temp file beside it (`.<name>.<pid>.<n>.tmp`, exclusive
 * create), then rename it over `path`. A reader sees the old file or the new one, never a part;
 * a writer killed half-way leaves only the temp file, which `cos cleanup` lists.
 */
export function writeFileAtomic(path: string, data: string | Buffer, inside: Roots): void {
  const dir = dirname(path);
  // Before any folder is made: a committed link on the way must not carry the write elsewhere.
  confine(dir, inside, dir);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${++counter}.tmp`);
  try {
    writeFileSync(temp, data, { flag: 'wx' });
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw error;
  }
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
