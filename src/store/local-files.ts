/**
 * Small files cos keeps for itself (ledgers, records, settings it merges) and its local logs.
 * One implementation of "replace atomically" and "append with rotation" for every module.
 */
import { appendFileSync, mkdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
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
    appendFileSync(path, text);
  } catch {
    // nowhere to log
  }
}
