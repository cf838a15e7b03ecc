/**
 * What the guard and the leases need from git, read from its files without starting a git process
 * (the pre-tool-use hook runs before every tool call): the git directory of a worktree, the common
 * directory shared by all worktrees, the branch checked out, a remote's default branch.
 * Every function returns null when it cannot tell (not a git repository, detached HEAD, ...).
 */
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readBoundedText } from '../trust/read.js';

const MAX_BYTES = 4096;

/** Bounded, regular file only (never through a link, never a FIFO): null when it cannot tell. */
function readSmall(path: string): string | null {
  const read = readBoundedText(path, MAX_BYTES);
  return read.ok ? read.text : null;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The git directory of the worktree holding `start` (`.git`, or where a `.git` file points). */
export function gitDirOf(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    const dotGit = join(dir, '.git');
    if (isDir(dotGit)) return dotGit;
    const text = readSmall(dotGit);
    if (text !== null) {
      const match = /^gitdir:\s*(.+?)\s*$/m.exec(text);
      return match ? resolve(dir, match[1]!) : null;
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The common directory of every worktree of the repository holding `start`. */
export function gitCommonDirOf(start: string): string | null {
  const gitDir = gitDirOf(start);
  if (gitDir === null) return null;
  const common = readSmall(join(gitDir, 'commondir'));
  return common === null ? gitDir : resolve(gitDir, common.trim());
}

/** The branch checked out in the worktree holding `start`, or null (detached, not git). */
export function currentBranchOf(start: string): string | null {
  const gitDir = gitDirOf(start);
  const head = gitDir === null ? null : readSmall(join(gitDir, 'HEAD'));
  const match = head === null ? null : /^ref:\s*refs\/heads\/(.+?)\s*$/m.exec(head);
  return match ? match[1]! : null;
}

/** The default branch of a remote as the last fetch or clone recorded it (`refs/remotes/<r>/HEAD`). */
export function remoteDefaultBranchOf(start: string, remote: string): string | null {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(remote)) return null;
  const common = gitCommonDirOf(start);
  const head = common === null ? null : readSmall(join(common, 'refs', 'remotes', remote, 'HEAD'));
  const match = head === null ? null : new RegExp(`^ref:\\s*refs/remotes/${remote.replace(/\./g, '\\.')}/(.+?)\\s*$`, 'm').exec(head);
  return match ? match[1]! : null;
}
