/**
 * The tracked files with uncommitted changes — in the index or the work tree, against HEAD — of
 * the repository holding a folder, as absolute paths: what `git reset --hard`, `git checkout -f`
 * and `git switch --discard-changes` throw away. Read with `git diff --name-only HEAD` (contents
 * compared, so a file only touched is not listed; no external diff, no fsmonitor, the index not
 * written: `--no-optional-locks`), only when the guard sees one of those commands. Null when git does
 * not answer (too slow, git missing); none where git refuses (not a repository, no commit yet).
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { SAFE_CONFIG } from '../git/run.js';

function git(dir: string, args: string[]): string | null | 'refused' {
  try {
    // The hardening of every git cos runs (git/run.ts).
    return execFileSync('git', ['--no-optional-locks', '-c', SAFE_CONFIG, '-c', 'core.fsmonitor=false', ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000, maxBuffer: 8 << 20, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } });
  } catch (error) {
    return typeof (error as { status?: number | null }).status === 'number' ? 'refused' : null;
  }
}

export function changedFilesOf(dir: string): string[] | null {
  const top = git(dir, ['rev-parse', '--show-toplevel']);
  if (top === null) return null;
  if (top === 'refused') return [];
  const changed = git(dir, ['diff', '--name-only', '-z', '--no-renames', '--no-ext-diff', 'HEAD', '--']);
  if (changed === null) return null;
  if (changed === 'refused') return [];
  return changed.split('\0').filter(Boolean).map((path) => resolve(top.trim(), path));
}
