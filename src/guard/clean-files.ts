/**
 * The files `git clean` removes, as git itself says: the same selection run as a dry run
 * (`git clean -n …`, built by guard/git-writes.ts: pathspecs, `-d`, `-x`, `-X`, `-e`), its
 * `Would remove PATH` lines (unquoted as git quotes them) placed from the directory it runs in. A dry run removes nothing and
 * runs nothing from the repository (guard/guard-git.ts); it is started only when the guard sees a `git clean`, never
 * on the hook's fast path. Null when git does not answer (too slow, git missing): the guard then
 * denies the command as too complex to check. A repository git refuses (`fatal`) removes nothing:
 * no paths.
 */
import { resolve } from 'node:path';
import { unquoted } from './c-quote.js';
import { guardGit } from './guard-git.js';

export function cleanFilesOf(dir: string, dryRun: readonly string[]): string[] | null {
  if (!dryRun.includes('-n')) return null;
  // Through guard/guard-git.ts (no fsmonitor, nothing written); paths printed as they are (no C quoting of bytes above 0x7f).
  const result = guardGit(dir, ['clean', ...dryRun], ['core.quotePath=false']);
  if (result === null) return null;
  // git ran and refused (not a repository, a bad option): the real git clean removes nothing either.
  if (result.stdout === null) return [];
  return result.stdout.split('\n').flatMap((line) => {
    const match = /^Would remove (.+)$/.exec(line);
    return match ? [resolve(dir, unquoted(match[1]!).replace(/\/$/, ''))] : [];
  });
}
