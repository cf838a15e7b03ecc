/**
 * The files `git clean` removes, as git itself says: the same selection run as a dry run
 * (`git clean -n …`, built by guard/git-writes.ts: pathspecs, `-d`, `-x`, `-X`, `-e`), its
 * `Would remove PATH` lines placed from the directory it runs in. A dry run removes nothing and
 * runs nothing from the repository; it is started only when the guard sees a `git clean`, never
 * on the hook's fast path. Null when git does not answer (too slow, git missing): the guard then
 * denies the command as too complex to check. A repository git refuses (`fatal`) removes nothing:
 * no paths.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { SAFE_CONFIG } from '../git/run.js';

export function cleanFilesOf(dir: string, dryRun: readonly string[]): string[] | null {
  if (!dryRun.includes('-n')) return null;
  let out: string;
  try {
    // The hardening of every git cos runs (git/run.ts); paths printed as they are (no C quoting).
    out = execFileSync('git', ['-c', SAFE_CONFIG, '-c', 'core.quotePath=false', 'clean', ...dryRun], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000, maxBuffer: 8 << 20, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } });
  } catch (error) {
    // git ran and refused (not a repository, a bad option): the real git clean removes nothing either.
    return typeof (error as { status?: number | null }).status === 'number' ? [] : null;
  }
  return out.split('\n').flatMap((line) => {
    const match = /^Would remove (.+)$/.exec(line);
    return match ? [resolve(dir, match[1]!.replace(/\/$/, ''))] : [];
  });
}
