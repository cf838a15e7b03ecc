/**
 * Which working files a git command rewrites, for the guard's protected places (guard/protected.ts):
 * the pathspecs of `git checkout [REV] -- PATH`, `git restore`, `git rm` (also `--cached`: the
 * next commit deletes it for the team), `git mv`, `git clean`, `git checkout-index`, and a stash
 * push (guard/git-stash.ts); or the stash a `git stash pop|apply|branch` writes back. Pure.
 *
 * - A list of pathspecs that only excludes (`git restore ':!src'`) names the whole tree but them,
 *   as git reads it (from the top, wherever it runs): `:/` is added; so do `git restore -p` and
 *   `git checkout -p [REV]` without a path, and a stash push without one.
 * - `git clean` removes untracked files only: which ones, git's own dry run tells (`git clean -n`
 *   with the same selection: pathspecs, `-d`, `-x`, `-X`, `-e`, `-f -f`), so `git clean -fd` passes
 *   unless an untracked file in a protected place would go.
 * - `--pathspec-from-file=FILE` (and `git checkout-index --stdin`) names its paths in a file: read
 *   when it is `-` and the line gives the input (a here-string, a here-document, `echo … |`), a
 *   line in double quotes unquoted as git does; otherwise (another file, NUL-separated, a
 *   backslash in the text) the command is too complex for the guard to check (guard/too-complex.ts).
 * - `git reset --hard`, `git checkout -f`, `git switch --discard-changes`, `git read-tree --reset
 *   -u` throw away the uncommitted changes of the whole tree: they count when a protected file has
 *   one (git says which). `git switch --orphan` and `git sparse-checkout set|add|reapply|init`
 *   take files out of the tree: the whole tree.
 * - Files an argument names: `--output=FILE`, `git archive -o`, `git clone URL DIR`, `git init
 *   DIR`, `git worktree add PATH`, ... (GitWrite `files`).
 * - Long options are read as git reads them: any unique prefix (`git reset --har`) is the option
 *   (guard/git-options.ts).
 * - Only the index, or nothing, is left alone: `git restore --staged` (without `--worktree`), dry
 *   runs of `git clean`/`git mv`, `git stash list|show|drop|clear|create|store`.
 */
import { unquoted } from './c-quote.js';
import { spelledOutArgs } from './git-options.js';
import { stashAction } from './git-stash.js';
import { parsePathspec } from './pathspec.js';
import { TooComplex } from './too-complex.js';

export type GitWrite =
  /**
   * It rewrites the working files these pathspecs name (relative to the directory git runs in);
   * `whole` says why they name the whole tree when the line does not show it (`:/` is then among them).
   */
  | { kind: 'pathspecs'; specs: string[]; whole: string | null }
  /** It writes back what this stash holds. */
  | { kind: 'stash'; ref: string }
  /**
   * `git clean`: it removes the untracked files `git clean -n` with these arguments names (its
   * pathspecs, `-d`, `-x`, `-X`, `-e`), which git tells exactly; `specs` stand for them where git
   * cannot be asked (the whole tree below where it runs without one).
   */
  | { kind: 'clean'; dryRun: string[]; specs: string[] }
  /**
   * It throws away every uncommitted change of a tracked file (`git reset --hard [REV]`, `git
   * checkout -f BRANCH`, `git switch --discard-changes`): a protected file counts when it has one
   * (guard/changed-files.ts asks git). What REV brings is history moving, not this rule's.
   */
  | { kind: 'discard'; what: string }
  /**
   * It writes files or folders its arguments name (relative to where git runs): `--output=FILE`
   * (diff, log, show, format-patch), `git archive -o FILE`, `git bundle create FILE`, `git clone
   * URL DIR`, `git init DIR`, `git worktree add PATH`, `git worktree move WT PATH`, `git
   * format-patch -o DIR`, `git merge-file FILE …`.
   */
  | { kind: 'files'; paths: string[] };

/** git subcommands that rewrite (or remove) the working files their pathspecs name. */
const PATH_WRITERS = new Set(['rm', 'restore', 'checkout', 'mv', 'clean', 'checkout-index']);
const WITH_VALUE = new Set(['-s', '--source', '-b', '-B', '--orphan', '-e', '--exclude', '--conflict', '--pathspec-from-file', '--prefix']);

function has(args: readonly string[], ...flags: string[]): boolean {
  return args.some((arg) => flags.includes(arg) || (/^-[a-zA-Z]+$/.test(arg) && flags.some((flag) => /^-[a-zA-Z]$/.test(flag) && arg.includes(flag[1]!))));
}

/**
 * Whether the last of the options `on` and `off` given before `--` is one of `on`: git lets a
 * later option undo an earlier one (`git clean -n --no-dry-run` removes files). Short options may
 * be bundled (`-nfd`); the value of an option that takes one is skipped, whether it is the next
 * word (`-e -n` excludes "-n") or the rest of the bundle (`-en` excludes "n", `-sS` restores from
 * S).
 */
function lastSays(args: readonly string[], on: readonly string[], off: readonly string[]): boolean {
  let says = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') break;
    if (WITH_VALUE.has(arg)) i++;
    else if (off.includes(arg)) says = false;
    else if (on.includes(arg)) says = true;
    else if (/^-[a-zA-Z]/.test(arg)) {
      for (let k = 1; k < arg.length; k++) {
        const letter = `-${arg[k]}`;
        if (on.includes(letter)) says = true;
        if (WITH_VALUE.has(letter)) {
          // The rest of the bundle is its value; with none left, the next word is.
          if (k === arg.length - 1) i++;
          break;
        }
      }
    }
  }
  return says;
}

/** Whether this git command leaves the working files as they are (`git restore --staged`, `git rm --cached` not: see above, dry runs). */
function onlyTheIndex(sub: string, args: readonly string[]): boolean {
  if (sub === 'restore') return lastSays(args, ['--staged', '-S'], ['--no-staged']) && !lastSays(args, ['--worktree', '-W'], ['--no-worktree']);
  if (sub === 'clean' || sub === 'mv') return lastSays(args, ['--dry-run', '-n'], ['--no-dry-run']);
  return false;
}

/** The value of `--name VALUE` / `--name=VALUE`, or null. */
function longValue(args: readonly string[], name: string): string | null {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--') break;
    if (args[i] === name && i + 1 < args.length) return args[i + 1]!;
    if (args[i]!.startsWith(`${name}=`)) return args[i]!.slice(name.length + 1);
  }
  return null;
}

/** The pathspecs of a git command that changes the files it names (after `--`, or every non-option word). */
function pathspecsOf(args: readonly string[]): string[] {
  const dashes = args.indexOf('--');
  if (dashes !== -1) return args.slice(dashes + 1);
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (WITH_VALUE.has(arg)) i++;
    else if (!arg.startsWith('-')) paths.push(arg);
  }
  return paths;
}

/** Paths read from a file: `-` with the input the line gives, split as git splits them; otherwise too complex. */
function fromFile(sub: string, file: string, args: readonly string[], stdin: readonly string[]): string[] {
  // An empty text is a pipe from a program that is not echo/printf (guard/shell.ts): its output is not known.
  if (file !== '-' || stdin.length === 0 || stdin.includes('')) {
    throw new TooComplex(`git ${sub} reads the paths it rewrites from ${file === '-' ? 'its input' : file}, which the guard does not read — name them on the command line`);
  }
  const nul = has(args, '--pathspec-file-nul') || (sub === 'checkout-index' && has(args, '-z'));
  // NUL-separated paths come from printf escapes, which the guard does not expand; a backslash is an
  // escape to printf, to `echo` in sh, and inside a quoted line to git: not read, too complex.
  if (nul || stdin.some((text) => text.includes('\\'))) {
    throw new TooComplex(`git ${sub} reads the paths it rewrites from its input ${nul ? 'split at NUL bytes' : 'with backslash escapes'}, which the guard does not read — name them on the command line`);
  }
  // git unquotes a line that starts with a double quote (`".agent"` is .agent).
  return stdin.flatMap((text) => text.split('\n')).filter((line) => line !== '').map(unquoted);
}

const NO_PATHSPEC = 'the whole tree (no pathspec)';

/** Completed as git reads them: a list of exclusions alone names the whole tree but them. */
function completed(specs: string[]): { kind: 'pathspecs'; specs: string[]; whole: string | null } {
  if (specs.length === 0 || !specs.every((spec) => parsePathspec(spec).exclude)) return { kind: 'pathspecs', specs, whole: null };
  return { kind: 'pathspecs', specs: [...specs, ':/'], whole: `${specs.join(' ')} (exclusions alone: the whole tree but them)` };
}

/** `git clean`'s arguments as a dry run that removes nothing: what selects files kept (`-f` given twice too), `-i`, `-q` dropped, `-n` added. */
function cleanDryRun(args: readonly string[]): { dryRun: string[]; specs: string[] } {
  const options: string[] = [];
  const specs: string[] = [];
  let forced = 0;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      specs.push(...args.slice(i + 1));
      break;
    }
    if (arg === '--force') forced++;
    if ((arg === '-e' || arg === '--exclude') && i + 1 < args.length) options.push('-e', args[++i]!);
    else if (arg.startsWith('--exclude=')) options.push('-e', arg.slice('--exclude='.length));
    else if (/^-[a-zA-Z]/.test(arg) && !arg.startsWith('--')) {
      // A cluster: `-fdx`, `-fde PATTERN`, `-ePATTERN` (getopt: the value is the rest of the word, or the next one).
      for (let k = 1; k < arg.length; k++) {
        const letter = arg[k]!;
        if (letter === 'e') {
          const value = k + 1 < arg.length ? arg.slice(k + 1) : args[++i];
          if (value !== undefined) options.push('-e', value);
          break;
        }
        if (letter === 'd' || letter === 'x' || letter === 'X') options.push(`-${letter}`);
        if (letter === 'f') forced++;
      }
    } else if (!arg.startsWith('-')) specs.push(arg);
  }
  // -f twice also removes nested repositories: the dry run lists them only when given it too.
  if (forced >= 2) options.push('-f', '-f');
  return { dryRun: ['-n', ...options, '--', ...specs], specs };
}

/** `git reset --hard`, `git checkout -f`/`--force` (without a path), `git switch -f`/`--discard-changes`: how it says so, or null. */
function discards(sub: string, args: readonly string[]): string | null {
  const before = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
  if (sub === 'reset' && before.includes('--hard')) return 'git reset --hard';
  if (sub === 'checkout' && !args.includes('--') && has(before, '-f', '--force')) return 'git checkout -f';
  if (sub === 'read-tree' && has(before, '-u') && before.includes('--reset')) return 'git read-tree --reset -u';
  if (sub === 'switch' && (has(before, '-f', '--force') || before.includes('--discard-changes'))) return 'git switch --discard-changes';
  return null;
}

/** The positional words of `args` (after `--` too), the values of the options in `valued` skipped. */
function positionalsOf(args: readonly string[], valued: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i + 1));
      break;
    }
    if (valued.includes(arg)) i++;
    else if (!arg.startsWith('-')) out.push(arg);
  }
  return out;
}

/** Files and folders a git command writes because an argument names them (see GitWrite `files`). */
function namedFiles(sub: string, args: readonly string[]): string[] {
  const paths: string[] = [];
  const output = longValue(args, '--output');
  if (output !== null) paths.push(output);
  if (sub === 'archive' || sub === 'format-patch') {
    const short = args.indexOf('-o');
    if (short !== -1 && short + 1 < args.length) paths.push(args[short + 1]!);
    paths.push(...args.filter((arg) => /^-o./.test(arg)).map((arg) => arg.slice(2)));
    const directory = longValue(args, '--output-directory');
    if (directory !== null) paths.push(directory);
  }
  if (sub === 'bundle' && args[0] === 'create') paths.push(...positionalsOf(args.slice(1), []).slice(0, 1));
  if (sub === 'clone') {
    const words = positionalsOf(args, ['-o', '--origin', '-b', '--branch', '-u', '--upload-pack', '--reference', '--reference-if-able', '--separate-git-dir', '--depth', '-c', '--config', '--filter', '--template', '-j', '--jobs', '--shallow-since', '--shallow-exclude', '--server-option', '--bundle-uri']);
    if (words.length >= 2) paths.push(words.at(-1)!);
  }
  if (sub === 'init') paths.push(...positionalsOf(args, ['--template', '--separate-git-dir', '-b', '--initial-branch', '--object-format']).slice(-1));
  if (sub === 'worktree' && args[0] === 'add') paths.push(...positionalsOf(args.slice(1), ['-b', '-B', '--reason']).slice(0, 1));
  if (sub === 'worktree' && args[0] === 'move') paths.push(...positionalsOf(args.slice(1), []).slice(1, 2));
  if (sub === 'merge-file' && !has(args, '-p', '--stdout')) paths.push(...positionalsOf(args, ['-L', '--marker-size']).slice(0, 1));
  return paths;
}

/** What working files `git SUB ARGS` rewrites, or null when it rewrites none by a pathspec or stash. */
export function gitWrites(sub: string, written: readonly string[], stdin: readonly string[]): GitWrite | null {
  // `--har` is `--hard` to git (guard/git-options.ts).
  const args = spelledOutArgs(sub, written);
  const named = namedFiles(sub, args);
  if (named.length > 0) return { kind: 'files', paths: named };
  const discard = discards(sub, args);
  if (discard !== null) return { kind: 'discard', what: discard };
  // Every tracked file taken away, or which are checked out decided anew: the whole tree.
  if (sub === 'switch' && args.some((arg) => arg === '--orphan' || arg.startsWith('--orphan='))) return { kind: 'pathspecs', specs: [':/'], whole: 'the whole tree (git switch --orphan removes every tracked file)' };
  if (sub === 'sparse-checkout' && ['set', 'add', 'reapply', 'init'].includes(args[0] ?? '')) return { kind: 'pathspecs', specs: [':/'], whole: 'the whole tree (git sparse-checkout decides which files are checked out)' };
  if (sub === 'stash') {
    const action = stashAction(args);
    if (action.kind === 'apply') return { kind: 'stash', ref: action.ref };
    if (action.kind !== 'stash') return null;
    const specs = action.pathspecFile === null ? action.specs : [...action.specs, ...fromFile('stash', action.pathspecFile, args, stdin)];
    // Without a pathspec a stash push takes every change away: the whole tree.
    return specs.length === 0 ? { kind: 'pathspecs', specs: [':/'], whole: NO_PATHSPEC } : completed(specs);
  }
  if (!PATH_WRITERS.has(sub) || onlyTheIndex(sub, args)) return null;
  if (sub === 'checkout-index') {
    // Each file is written under --prefix when one is given (`--prefix=/tmp/export/` exports the tree).
    const prefix = longValue(args, '--prefix') ?? '';
    const files = has(args, '--stdin') ? fromFile(sub, '-', args, stdin) : pathspecsOf(args);
    if (has(args, '-a', '--all')) return { kind: 'pathspecs', specs: [prefix === '' ? ':/' : prefix], whole: prefix === '' ? 'the whole tree (-a)' : null };
    return { kind: 'pathspecs', specs: files.map((file) => `${prefix}${file}`), whole: null };
  }
  if (sub === 'clean') {
    const { dryRun, specs } = cleanDryRun(args);
    return { kind: 'clean', dryRun, specs: specs.length === 0 ? ['.'] : specs };
  }
  const file = longValue(args, '--pathspec-from-file');
  const specs = file === null ? pathspecsOf(args) : [...pathspecsOf(args), ...fromFile(sub, file, args, stdin)];
  // `git restore -p`, `git checkout -p [REV]` without a path: every change of the whole tree, hunk by hunk.
  if (has(args, '-p', '--patch') && (sub === 'restore' || sub === 'checkout')) {
    if (specs.length === 0) return { kind: 'pathspecs', specs: [':/'], whole: NO_PATHSPEC };
    if (sub === 'checkout' && !args.includes('--') && specs.length === 1) {
      return { kind: 'pathspecs', specs: [...specs, ':/'], whole: `the whole tree (${specs[0]} may name a revision: write -- before the paths)` };
    }
  }
  return completed(specs);
}
