/**
 * The tracked files with uncommitted changes — in the index or the work tree, against HEAD — of
 * the repository holding a folder, as absolute paths: what `git reset --hard`, `git checkout -f`
 * and `git switch --discard-changes` throw away. Asked only when the guard sees one of those
 * commands, through guard/guard-git.ts (read-only, nothing run from the repository).
 *
 * Read with the plumbing `git diff-index --name-only HEAD`, never the porcelain `git diff`: `git
 * diff` refreshes the index and writes it back (git 2.39 does so even with --no-optional-locks),
 * which runs a post-index-change hook, and races a concurrent `git add` for index.lock. diff-index
 * never writes the index. It does not refresh either, so a file whose stat data changed but whose
 * content did not (touched, copied) is listed too: that only makes the guard deny more, never less.
 * A file git finds racily clean (changed within the index's own second) has its content compared
 * by git, which would run a clean filter: every filter driver the configuration names is switched
 * off for this call (`filter.NAME.clean=`, `process=`, `required=false`), so the content compared is
 * the file's bytes.
 *
 * Null when git does not answer (too slow, git missing); none where git refuses (not a
 * repository, no commit yet).
 */
import { resolve } from 'node:path';
import { parseConfigList } from './git-config.js';
import { guardGit } from './guard-git.js';

/** `-c` items switching off every filter driver the configuration defines. */
function filtersOff(dir: string): string[] | null {
  const listed = guardGit(dir, ['config', '-z', '--get-regexp', '^filter\\.']);
  if (listed === null) return null;
  // Exit 1: no filter configured.
  if (listed.stdout === null) return [];
  const names = new Set<string>();
  for (const key of parseConfigList(listed.stdout).keys()) {
    const at = key.lastIndexOf('.');
    if (at > 'filter.'.length) names.add(key.slice('filter.'.length, at));
  }
  return [...names].flatMap((name) => [`filter.${name}.clean=`, `filter.${name}.process=`, `filter.${name}.required=false`]);
}

export function changedFilesOf(dir: string): string[] | null {
  const top = guardGit(dir, ['rev-parse', '--show-toplevel']);
  if (top === null) return null;
  if (top.stdout === null) return [];
  const off = filtersOff(dir);
  if (off === null) return null;
  // --ignore-submodules=all: for a checked-out submodule git would otherwise run `git status`
  // inside it, and with it whatever clean filter the submodule's own config names (filtersOff
  // reaches only this repository's). .agent/config/ is never a submodule's.
  const changed = guardGit(dir, ['diff-index', '--name-only', '-z', '--no-renames', '--ignore-submodules=all', 'HEAD', '--'], off);
  if (changed === null) return null;
  if (changed.stdout === null) return [];
  return changed.stdout.split('\0').filter(Boolean).map((path) => resolve(top.stdout.trim(), path));
}
