/**
 * The git configuration in effect in a directory (every scope git reads: system, global, the
 * repository's, the worktree's, includes), as `git config --list` prints it: key → values in the
 * order git reads them (the last one wins for a single-valued key). Section and variable names are
 * lower case, subsection names (a branch, a remote) as written.
 *
 * Started only when the guard needs it — a force push that names no refspec, whose target
 * `push.default`, the branch's upstream and `remote.<name>.push` decide — so one git process on a
 * rare path, never on the hook's fast path, through guard/guard-git.ts (its `-c` options are
 * among what it lists: harmless here). Reading configuration runs nothing from the repository. Empty when git cannot tell (not a repository, git missing): the caller falls back
 * to git's defaults.
 */
import { guardGit } from './guard-git.js';

export type GitConfig = ReadonlyMap<string, readonly string[]>;

/** `git config --list -z` output (`key\nvalue\0` per item; a key alone when it has no value) as a map. */
export function parseConfigList(text: string): Map<string, string[]> {
  const config = new Map<string, string[]>();
  for (const item of text.split('\0')) {
    if (item === '') continue;
    const at = item.indexOf('\n');
    const key = at === -1 ? item : item.slice(0, at);
    const value = at === -1 ? 'true' : item.slice(at + 1);
    const values = config.get(key);
    if (values) values.push(value);
    else config.set(key, [value]);
  }
  return config;
}

export function gitConfigOf(cwd: string): GitConfig {
  const listed = guardGit(cwd, ['config', '--list', '-z'], [], 1 << 20);
  return listed?.stdout ? parseConfigList(listed.stdout) : new Map();
}
