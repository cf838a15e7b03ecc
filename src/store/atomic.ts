/**
 * Atomic file replacement, written once for every module that rewrites a file in place (a
 * heartbeat, a plan, a ledger, a session record, a merged settings file, a synced role):
 * the complete content goes to a hidden temp file beside the target (exclusive create, fsynced),
 * is renamed over the target, and the folder is fsynced. A reader sees the old file or the new
 * one, never a part; a writer killed half-way leaves only a temp file, which `cos cleanup` lists
 * (`.<name>.<pid>.<hex>.tmp`).
 */
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Create `path` exclusively and write all of `content` to it, fsynced. */
export function writeTemp(path: string, content: string | Buffer): void {
  const fd = openSync(path, 'wx', 0o644);
  try {
    const buffer = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let offset = 0;
    while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every platform lets a directory be fsynced; the link itself is already atomic.
  }
}

let tempCounter = 0;

/**
 * A hidden temp name next to the final one. Unique enough (pid, counter, random): it is created
 * with O_EXCL anyway. Math.random rather than node:crypto, which costs ~3 ms to load on `cos post`.
 */
export function tempName(finalName: string): string {
  const random = Math.floor(Math.random() * 0x1_0000_0000).toString(16).padStart(8, '0');
  return `.${finalName}.${process.pid}.${(tempCounter++).toString(16)}${random}.tmp`;
}

/** Replace `path` with `content` atomically and durably; `mode` sets the new file's permissions. */
export function replaceFile(path: string, content: string | Buffer, { mode }: { mode?: number } = {}): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, tempName(basename(path)));
  try {
    writeTemp(temp, content);
    if (mode !== undefined) chmodSync(temp, mode);
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw error;
  }
  fsyncDir(dir);
}
