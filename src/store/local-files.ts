/**
 * Small files cos keeps for itself (ledgers, records, settings it merges) and its local logs.
 * One implementation of "replace atomically" and "append with rotation" for every module.
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { replaceFile } from './atomic.js';

/** Replace `path` atomically (store/atomic.ts). */
export function writeFileAtomic(path: string, data: string | Buffer): void {
  replaceFile(path, data);
}

/**
 * Append text to a local log, moving it to `<log>.1` first once it passes `maxBytes`. Never
 * throws: a log that cannot be written must not fail the work it describes.
 */
export function appendLog(path: string, text: string, maxBytes = 1024 * 1024): void {
  try {
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
