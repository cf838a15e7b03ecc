/**
 * The allowed roots of a repository: every worktree of it and its git common directory (where
 * claims and ledgers shared by the worktrees live). Found without running git: `.git` is the
 * common directory itself, or a file `gitdir: <dir>` whose `commondir` names it.
 */
import { join, resolve } from 'node:path';
import { readBoundedText } from './read.js';
import { realRoots, type Roots } from './confine.js';
import { repositoryRoots as allWorktreeRoots } from '../store/worktrees.js';

/** The git common directory of the worktree at `root`, or null when it is not a git worktree. */
export function gitCommonDir(root: string): string | null {
  const dotGit = join(resolve(root), '.git');
  const file = readBoundedText(dotGit, 4096);
  if (file.ok) {
    const match = /^gitdir:\s*(.+?)\s*$/m.exec(file.text);
    if (!match) return null;
    const gitdir = resolve(root, match[1]!);
    const common = readBoundedText(join(gitdir, 'commondir'), 4096);
    return common.ok ? resolve(gitdir, common.text.trim()) : gitdir;
  }
  return file.kind === 'not-regular' ? dotGit : null;
}

/**
 * Where cos may read and write for the repository at `root`: the worktree itself and its git
 * common directory (more worktrees can be passed in `worktrees`). A handful of system calls.
 */
export function repositoryRoots(root: string, worktrees: readonly string[] = []): Roots {
  // store/worktrees.ts knows every worktree of the repository and its common dir (cached).
  const common = gitCommonDir(root);
  return realRoots([root, ...allWorktreeRoots(root), ...worktrees, ...(common ? [common] : [])]);
}

/** Only the worktree(s): for files a repository commits (setup targets, body files), never the git directory. */
export function worktreeRoots(root: string, worktrees: readonly string[] = []): Roots {
  return realRoots([root, ...worktrees]);
}
