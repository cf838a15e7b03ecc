/**
 * What a `git stash` command does to the working files and to the list of stashes, as git 2.x
 * runs it (git-stash(1)); tried against real git in test/guard/git-writes.test.ts. Pure.
 *
 * - Stashing (`git stash`, `git stash push [PATHSPEC…]`, `git stash save MSG`, `git stash -p`,
 *   `git stash -u`, `-m MSG`, `--staged`, `--keep-index`, ...) puts the changes of its pathspecs
 *   (the whole tree without one; `save` takes none) away and writes their files back as HEAD has
 *   them: it rewrites the working files of its pathspecs, as `git restore` does.
 * - Applying (`git stash pop|apply [--index] [STASH]`, `git stash branch NAME [STASH]`) writes the
 *   files the stash holds (guard/stash-files.ts reads them from git).
 * - `list`, `show`, `create`, `store`, `drop` and `clear` leave the working files as they are;
 *   `push`, `save`, `store`, `pop`, `drop` and `clear` renumber the list, which a later `stash@{N}`
 *   in the same line counts from (StashChange, stashCandidates).
 */

/** What a `git stash` command does. */
export type StashAction =
  | { kind: 'stash'; specs: string[]; pathspecFile: string | null }
  | { kind: 'apply'; ref: string }
  | { kind: 'other' };

/** How a `git stash` command changes the list of stashes (stash@{0} is the newest). */
export type StashChange = { kind: 'push' } | { kind: 'drop'; index: number | null } | { kind: 'clear' };

const PUSH_WITH_VALUE = new Set(['-m', '--message', '--pathspec-from-file']);

/** A stash push's pathspecs (after `--`, or every non-option word) and its `--pathspec-from-file`. */
function pushed(args: readonly string[]): StashAction {
  const specs: string[] = [];
  let pathspecFile: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      specs.push(...args.slice(i + 1));
      break;
    }
    if (arg === '--pathspec-from-file' && i + 1 < args.length) pathspecFile = args[i + 1]!;
    else if (arg.startsWith('--pathspec-from-file=')) pathspecFile = arg.slice('--pathspec-from-file='.length);
    if (PUSH_WITH_VALUE.has(arg) || (/^-[a-zA-Z]*m$/.test(arg) && !arg.startsWith('--'))) i++;
    else if (!arg.startsWith('-')) specs.push(arg);
  }
  return { kind: 'stash', specs, pathspecFile };
}

/** The arguments after a `git stash` subcommand's options: the stash it names, or null for the newest. */
function stashArgument(args: readonly string[], skip: number): string | null {
  return args.filter((arg) => !arg.startsWith('-')).slice(skip)[0] ?? null;
}

/** What `git stash ARGS` does to the working files. */
export function stashAction(args: readonly string[]): StashAction {
  const sub = args[0];
  // No subcommand, or options first (`git stash -u`, `git stash -- PATH`): a push.
  if (sub === undefined || sub.startsWith('-')) return pushed(args);
  if (sub === 'push') return pushed(args.slice(1));
  if (sub === 'save') return { kind: 'stash', specs: [], pathspecFile: null };
  if (sub === 'pop' || sub === 'apply') return { kind: 'apply', ref: stashArgument(args.slice(1), 0) ?? 'stash@{0}' };
  if (sub === 'branch') return { kind: 'apply', ref: stashArgument(args.slice(1), 1) ?? 'stash@{0}' };
  return { kind: 'other' };
}

/** How `git stash ARGS` renumbers the list of stashes (null: it leaves it as it is). */
export function stashChange(args: readonly string[]): StashChange | null {
  const sub = args[0];
  if (sub === undefined || sub.startsWith('-') || sub === 'push' || sub === 'save' || sub === 'store') return { kind: 'push' };
  if (sub === 'pop' || sub === 'drop' || sub === 'branch') {
    const ref = stashArgument(args.slice(1), sub === 'branch' ? 1 : 0);
    return { kind: 'drop', index: ref === null ? 0 : stashIndex(ref) };
  }
  if (sub === 'clear') return { kind: 'clear' };
  return null;
}

/** The N of `stash@{N}` or of a bare number, or null for any other name of a commit. */
export function stashIndex(ref: string): number | null {
  const match = /^(?:(?:refs\/)?stash@\{(\d+)\}|(\d+))$/.exec(ref);
  return match ? Number(match[1] ?? match[2]) : null;
}

/**
 * Which stashes of the list as it is now `stash@{index}` may be once the earlier stash commands of
 * the line have run: numbers into today's list, or 'new' for one a stash push made on this line
 * (which the guard let through, so it holds nothing of a protected place). A push that found
 * nothing to save and a pop that failed leave the list alone, so each change is read both ways.
 */
export function stashCandidates(index: number, earlier: readonly StashChange[]): Array<number | 'new'> {
  let now = new Set<number | 'new'>([index]);
  for (const change of [...earlier].reverse()) {
    const before = new Set<number | 'new'>();
    for (const at of now) {
      if (at === 'new') before.add('new');
      else if (change.kind === 'clear') before.add('new');
      else if (change.kind === 'push') {
        before.add(at);
        before.add(at === 0 ? 'new' : at - 1);
      } else {
        before.add(at);
        // Unknown which one was dropped (a stash named otherwise): any later one may have moved up.
        if (change.index === null || at >= change.index) before.add(at + 1);
      }
    }
    now = before;
  }
  return [...now];
}
