/**
 * The files a stash writes back when it is applied (`git stash pop|apply|branch`): those its
 * working-tree commit changes from the commit it was made on, and the untracked files it holds
 * (its third parent, `git stash -u`), from the top of the work tree. Read with git's plumbing
 * (`git diff-tree`, `git ls-tree`: no diff driver, no textconv, nothing from the repository is
 * run), only when the guard sees a stash applied — never on the hook's fast path. None when
 * there is no such stash (git stash fails the same way: nothing is written); null when git cannot
 * tell (not a repository, git missing, too slow): the guard then denies the command as too complex
 * to check.
 */
import { execFileSync } from 'node:child_process';
import { SAFE_CONFIG } from '../git/run.js';

/** git's output; 'absent' when `rev-parse --verify --quiet` says the name names nothing (exit 1). */
function git(cwd: string, args: string[]): string | null | 'absent' {
  try {
    // The hardening of every git cos runs (git/run.ts): a committed folder that looks like a bare repository is not used.
    return execFileSync('git', ['-c', SAFE_CONFIG, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000, maxBuffer: 8 << 20, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } });
  } catch (error) {
    const status = (error as { status?: number | null }).status;
    return args[0] === 'rev-parse' && status === 1 ? 'absent' : null;
  }
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
