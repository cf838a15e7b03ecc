/**
 * The files a stash writes back when it is applied (`git stash pop|apply|branch`): those its
 * working-tree commit changes from the commit it was made on, and the untracked files it holds
 * (its third parent, `git stash -u`), from the top of the work tree. Read with git's plumbing
 * (`git diff-tree`, `git ls-tree`: no diff driver, no textconv) through guard/guard-git.ts
 * (nothing written, nothing run from the repository, no lazy fetch in a partial clone), only when
 * the guard sees a stash applied — never on the hook's fast path. None when there is no such
 * stash (git stash fails the same way: nothing is written; a partial clone lacking the commit
 * answers so too, as its fetch is not made); null when git cannot tell (not a repository, git
 * missing, too slow): the guard then denies the command as too complex to check.
 */
import { guardGit } from './guard-git.js';

/** git's output; 'absent' when `rev-parse --verify --quiet` says the name names nothing (exit 1). */
function git(cwd: string, args: string[]): string | null | 'absent' {
  const result = guardGit(cwd, args);
  if (result === null) return null;
  if (result.stdout !== null) return result.stdout;
  return args[0] === 'rev-parse' && result.status === 1 ? 'absent' : null;
}

/** `stash@{N}`, a number or a commit name; never an option (git is given `--end-of-options`). */
export function stashFilesOf(cwd: string, ref: string): string[] | null {
  const stash = /^\d+$/.test(ref) ? `stash@{${ref}}` : ref;
  const found = git(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${stash}^{commit}`]);
  if (found === 'absent') return [];
  const commit = found?.trim() ?? '';
  if (!/^[0-9a-f]{40,64}$/.test(commit)) return null;
  const changed = git(cwd, ['diff-tree', '-r', '-z', '--no-renames', '--name-only', `${commit}^1`, commit]);
  if (changed === null || changed === 'absent') return null;
  const files = changed.split('\0').filter(Boolean);
  // The untracked files of `git stash -u` / `-a`: the third parent's tree, when there is one.
  const untracked = git(cwd, ['rev-parse', '--verify', '--quiet', `${commit}^3`]);
  if (untracked === null) return null;
  if (untracked !== 'absent') {
    const listed = git(cwd, ['ls-tree', '-r', '-z', '--name-only', untracked.trim()]);
    if (listed === null || listed === 'absent') return null;
    files.push(...listed.split('\0').filter(Boolean));
  }
  return files;
}
