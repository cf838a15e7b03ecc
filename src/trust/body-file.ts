/**
 * A body file named by a caller. On the command line the user names a file of their own (links
 * followed, read bounded, a regular file only — `-` is stdin); through MCP a client names it, and
 * it must be a relative path inside the repository's worktree: no absolute path, no `..`, no link
 * leading out, nothing in the git directory (a prompt-injected agent must not post ~/.ssh/id_ed25519
 * or a token in .git/config into the shared history).
 */
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { MAX_ENTRY_BYTES } from '../store/read.js';
import { confined, isPlainRelative, realRoots, within } from './confine.js';
import { readBoundedText } from './read.js';
import { gitCommonDir, worktreeRoots } from './roots.js';

function problem(shown: string, reason: string): InputError {
  return new InputError(`Cannot read ${shown}: ${reason}.`);
}

/** `--body-file F` on the command line: the user's own file, wherever it is. */
export function readUserBodyFile(path: string, shown: string): string {
  let real: string;
  try {
    real = realpathSync.native(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw problem(shown, code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' : `it cannot be resolved (${code})`);
  }
  const read = readBoundedText(real, MAX_ENTRY_BYTES);
  if (read.ok) return read.text;
  throw problem(shown, read.kind === 'not-regular' && !read.reason.includes('directory') ? `${read.reason}; give - to read the body from stdin` : read.reason);
}

/** MCP `body_file`: a relative path inside the repository's worktree, read bounded. */
export function readRepositoryBodyFile(root: string, value: unknown): string {
  const shown = `body_file ${JSON.stringify(value)}`;
  if (typeof value !== 'string' || !isPlainRelative(value.replace(/^\.\//, ''))) {
    throw new InputError(`Invalid ${shown}: give a path relative to the repository, without .. (for example notes/report.md).`);
  }
  const path = join(root, ...value.replace(/^\.\//, '').split('/'));
  const real = confined(path, worktreeRoots(root));
  if (real === null) throw new InputError(`Invalid ${shown}: it leads outside the repository (a symbolic link); give a file inside it.`);
  // The git directory lies inside the worktree but is not the repository's content: its config
  // can hold credentials (a token in a remote URL, CI's auth header), and it is never committed.
  const common = gitCommonDir(root);
  if (realRoots([join(root, '.git'), ...(common ? [common] : [])]).some((dir) => within(real, dir))) {
    throw new InputError(`Invalid ${shown}: it is inside the git directory (.git), which may hold credentials; give a file of the repository's work tree.`);
  }
  const read = readBoundedText(path, MAX_ENTRY_BYTES);
  if (read.ok) return read.text;
  throw problem(shown, read.reason);
}
