/**
 * `.agent/.gitignore` written by cos before the anchored `/state/` line had `state/`, which git
 * matches at any depth: it also ignores `status/archive/state/`, the archive of a sprint named
 * `state`, so that sprint's archived entries are never committed. `cos init` rewrites exactly
 * that line (nothing else in the file); `cos scan`, `status` and `brief` report it as a
 * malformed `.agent/.gitignore` until then.
 */
import { join } from 'node:path';
import { writeFileAtomic } from './local-files.js';
import type { Problem } from './read.js';
import { worktreeRoots } from '../trust/roots.js';
import { readBoundedText } from '../trust/read.js';

export const GITIGNORE = '.agent/.gitignore';
const OLD_LINE = /^state\/\r?$/m;

export const OLD_STATE_LINE_REASON =
  'its line state/ (written by an older cos) also ignores status/archive/state/, the archive of a sprint named state, so git never sees it';

/** The old unanchored line, as a problem of `.agent/.gitignore`, or null. */
export function gitignoreProblems(root: string): Problem[] {
  const read = readBoundedText(join(root, GITIGNORE), 64 * 1024);
  return read.ok && OLD_LINE.test(read.text) ? [{ file: GITIGNORE, reason: OLD_STATE_LINE_REASON, action: 'cos init (it rewrites only that line), then commit .agent/.gitignore' }] : [];
}

/** Rewrite the old `state/` line as `/state/` (only that line); true when the file changed. */
export function anchorStateLine(root: string): boolean {
  const path = join(root, GITIGNORE);
  const read = readBoundedText(path, 64 * 1024);
  if (!read.ok || !OLD_LINE.test(read.text)) return false;
  const text = read.text.replace(/^state\/(\r?)$/gm, '/state/$1');
  writeFileAtomic(path, text, worktreeRoots(root), { shown: GITIGNORE });
  return true;
}
