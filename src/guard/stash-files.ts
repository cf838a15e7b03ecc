/**
 * The files a stash writes back when it is applied (`git stash pop|apply|branch`): those its
 * working-tree commit changes from the commit it was made on, and the untracked files it holds
 * (its third parent, `git stash -u`), from the top of the work tree. Read with git's plumbing
 * (`git diff-tree`, `git ls-tree`: no diff driver, no textconv) through guard/guard-git.ts
 * (nothing written, nothing run from the repository, no lazy fetch in a partial clone), only when
 * the guard sees a stash applied — never on the hook's fast path. None when there is no such
 * stash (git stash fails the same way: nothing is written). Null when git cannot tell (not a
 * repository, git missing, too slow), and in a partial clone for a commit named otherwise than
 * the stash ref that it lacks (git stash would fetch it from the promisor remote and apply it; the
 * guard does not fetch): the guard then denies the command as too complex to check.
 */
import { stashIndex } from './git-stash.js';
import { guardGit } from './guard-git.js';

/** git's output; 'absent' when `rev-parse --verify --quiet` says the name names nothing (exit 1). */
function git(cwd: string, args: string[]): string | null | 'absent' {
  const result = guardGit(cwd, args);
  if (result === null) return null;
  if (result.stdout !== null) return result.stdout;
  return args[0] === 'rev-parse' && result.status === 1 ? 'absent' : null;
}

/** Whether the repository is a partial clone (a promisor remote git fetches missing objects from); null when git cannot tell. */
function promisor(cwd: string): boolean | null {
  const listed = guardGit(cwd, ['config', '--get-regexp', '^(extensions\\.partialclone|remote\\..*\\.promisor)$']);
  if (listed === null) return null;
  return listed.stdout !== null && listed.stdout.trim() !== '';
}

/** `stash@{N}`, a number or a commit name; never an option (git is given `--end-of-options`). */
export function stashFilesOf(cwd: string, ref: string): string[] | null {
  const stash = /^\d+$/.test(ref) ? `stash@{${ref}}` : ref;
  const found = git(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${stash}^{commit}`]);
  // Absent: git stash fails and writes nothing — except that in a partial clone git would fetch a
  // commit named otherwise than stash@{N} from the promisor remote and apply it: unknown there.
  if (found === 'absent') return stashIndex(ref) === null && !/^(?:refs\/)?stash$/.test(ref) && promisor(cwd) !== false ? null : [];
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
