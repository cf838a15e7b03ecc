/**
 * git's abbreviated long options, spelled out. git's parse-options takes any unique prefix of a
 * long option (`git reset --har` is `git reset --hard`, `git switch --orph=x` is `--orphan=x`);
 * an exact name wins, and a prefix that several options share is refused by git (nothing runs).
 * The guard's readers of git commands (guard/git-writes.ts, guard/git-stash.ts) match options by
 * their full names, so each command's words are first rewritten here: a `--PREFIX[=VALUE]` that
 * is a prefix of exactly one long option git gives that subcommand becomes that option; a prefix
 * several share stays as written (git refuses it). The lists are git 2.39's own (`git SUB
 * --git-completion-helper-all`; `git stash push` with pop's `--index`), negations included. Pure.
 */

export const LONG_OPTIONS: Record<string, readonly string[]> = {
  reset: ['quiet', 'no-refresh', 'mixed', 'soft', 'hard', 'merge', 'keep', 'recurse-submodules', 'patch', 'intent-to-add', 'pathspec-from-file', 'pathspec-file-nul', 'refresh', 'no-quiet', 'no-mixed', 'no-soft', 'no-hard', 'no-merge', 'no-keep', 'no-recurse-submodules', 'no-patch', 'no-intent-to-add', 'no-pathspec-from-file', 'no-pathspec-file-nul'],
  checkout: ['guess', 'overlay', 'quiet', 'recurse-submodules', 'progress', 'merge', 'conflict', 'detach', 'track', 'force', 'orphan', 'overwrite-ignore', 'ignore-other-worktrees', 'ours', 'theirs', 'patch', 'ignore-skip-worktree-bits', 'pathspec-from-file', 'pathspec-file-nul', 'no-guess', 'no-overlay', 'no-quiet', 'no-recurse-submodules', 'no-progress', 'no-merge', 'no-conflict', 'no-detach', 'no-track', 'no-force', 'no-orphan', 'no-overwrite-ignore', 'no-ignore-other-worktrees', 'no-patch', 'no-ignore-skip-worktree-bits', 'no-pathspec-from-file', 'no-pathspec-file-nul'],
  switch: ['create', 'force-create', 'guess', 'discard-changes', 'quiet', 'recurse-submodules', 'progress', 'merge', 'conflict', 'detach', 'track', 'force', 'orphan', 'overwrite-ignore', 'ignore-other-worktrees', 'no-create', 'no-force-create', 'no-guess', 'no-discard-changes', 'no-quiet', 'no-recurse-submodules', 'no-progress', 'no-merge', 'no-conflict', 'no-detach', 'no-track', 'no-force', 'no-orphan', 'no-overwrite-ignore', 'no-ignore-other-worktrees'],
  restore: ['source', 'staged', 'worktree', 'ignore-unmerged', 'overlay', 'quiet', 'recurse-submodules', 'progress', 'merge', 'conflict', 'ours', 'theirs', 'patch', 'ignore-skip-worktree-bits', 'pathspec-from-file', 'pathspec-file-nul', 'no-source', 'no-staged', 'no-worktree', 'no-ignore-unmerged', 'no-overlay', 'no-quiet', 'no-recurse-submodules', 'no-progress', 'no-merge', 'no-conflict', 'no-patch', 'no-ignore-skip-worktree-bits', 'no-pathspec-from-file', 'no-pathspec-file-nul'],
  'read-tree': ['index-output', 'empty', 'verbose', 'trivial', 'aggressive', 'reset', 'prefix', 'exclude-per-directory', 'dry-run', 'no-sparse-checkout', 'debug-unpack', 'recurse-submodules', 'quiet', 'sparse-checkout', 'no-empty', 'no-verbose', 'no-trivial', 'no-aggressive', 'no-reset', 'no-dry-run', 'no-debug-unpack', 'no-recurse-submodules', 'no-quiet'],
  'checkout-index': ['all', 'ignore-skip-worktree-bits', 'force', 'quiet', 'no-create', 'index', 'stdin', 'temp', 'prefix', 'stage', 'create', 'no-all', 'no-ignore-skip-worktree-bits', 'no-force', 'no-quiet', 'no-index', 'no-stdin', 'no-temp', 'no-prefix'],
  clean: ['quiet', 'dry-run', 'force', 'interactive', 'exclude', 'no-quiet', 'no-dry-run', 'no-force', 'no-interactive'],
  rm: ['dry-run', 'quiet', 'cached', 'force', 'ignore-unmatch', 'sparse', 'pathspec-from-file', 'pathspec-file-nul', 'no-dry-run', 'no-quiet', 'no-cached', 'no-force', 'no-ignore-unmatch', 'no-sparse', 'no-pathspec-from-file', 'no-pathspec-file-nul'],
  mv: ['verbose', 'dry-run', 'force', 'sparse', 'no-verbose', 'no-dry-run', 'no-force', 'no-sparse'],
  stash: ['keep-index', 'staged', 'patch', 'quiet', 'include-untracked', 'all', 'message', 'pathspec-from-file', 'pathspec-file-nul', 'no-keep-index', 'no-staged', 'no-patch', 'no-quiet', 'no-include-untracked', 'no-all', 'no-message', 'no-pathspec-from-file', 'no-pathspec-file-nul', 'index', 'no-index'],
};

/** `--PREFIX[=VALUE]` spelled out as the one long option of `sub` it abbreviates, else as written. */
export function spelledOut(sub: string, arg: string): string {
  const names = LONG_OPTIONS[sub];
  if (names === undefined || !arg.startsWith('--') || arg.length < 3) return arg;
  const eq = arg.indexOf('=');
  const name = arg.slice(2, eq === -1 ? undefined : eq);
  if (names.includes(name)) return arg;
  const matches = names.filter((full) => full.startsWith(name));
  return matches.length === 1 ? `--${matches[0]}${eq === -1 ? '' : arg.slice(eq)}` : arg;
}

/** Every option word of `git SUB ARGS` before `--` spelled out (see spelledOut). */
export function spelledOutArgs(sub: string, args: readonly string[]): string[] {
  const dashes = args.indexOf('--');
  return args.map((arg, i) => (dashes !== -1 && i >= dashes ? arg : spelledOut(sub, arg)));
}
