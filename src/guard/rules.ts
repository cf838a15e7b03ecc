/**
 * The guard's decision on one tool call: allow, or deny naming the rule and why. Pure — what it
 * needs to know about git (the current branch, a remote's default branch) comes in as functions,
 * asked only when a force push is actually seen.
 *
 * Rules (docs/guard.md):
 * - `force-push`: `git push` with `--force`, `-f`, `--force-with-lease` or a `+refspec`, or a
 *   deletion (`--delete`, `:branch`), whose target is a shared branch — the remote's default branch
 *   or one of `guard.protected_branches` — or every branch (`--all`, `--mirror`). A force push to
 *   the agent's own branch passes. A push run in another checkout (`git -C DIR`, `cd DIR && …`,
 *   `--git-dir`) has a current branch the guard does not read: unless it names the branch, it is
 *   denied. A push naming no refspec goes where git's configuration sends it (push.default, the
 *   branch's upstream, remote.<name>.push). `--force-with-lease` is treated as a force push on purpose: the
 *   lease only protects work the pusher has not seen; it still rewrites a branch others build on.
 * - `recursive-delete-outside-repo`: `rm -r`/`-R`/`--recursive` of a path outside the repository,
 *   of the repository itself, of everything at its top (`rm -rf *`) or of its `.git`, or of a path
 *   the guard cannot place (`$VAR`, paths read by xargs or find -exec).
 *   Relative paths count from the agent's cwd, following `cd` earlier in the same line.
 * - `drop-database`: `DROP DATABASE` / `SCHEMA` / `TABLE` given to a database client (as an
 *   argument, a here-string or here-document, or piped in by echo/printf; also in a container or
 *   over ssh), `dropdb`, `mysqladmin drop`, `rails|rake db:drop`, mongo's `dropDatabase()`.
 * - Any other item of `guard.deny` is a command pattern: its first word is the program, the others
 *   must appear in that order among the arguments (`*` is any one word): `git reset --hard`.
 * - Always on: an agent's own `cos approve` (through any launcher: npx, npm exec, node …/cli.js),
 *   and writes to `.agent/config/` and `.agent/status/` (guard/protected.ts: Bash redirects,
 *   writing commands, git restores and stashes covering them, the Write/Edit/MultiEdit/NotebookEdit tools).
 * Paths are placed through symbolic links when the context brings `realPath` (guard/real-path.ts).
 */
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parse } from 'shell-quote';
import type { GitConfig } from './git-config.js';
import { globSegment, isInside, mayName, placePath, type RealPath } from './paths.js';
import { stashCandidates, stashChange, stashIndex, type StashChange } from './git-stash.js';
import { gitWrites } from './git-writes.js';
import { approvalsUsedArea, type GitPaths, protectedFile, protectedWrite, type PlaceContext } from './protected.js';
import { literal } from './marks.js';
import { cwdInAgent, mayBeDenied } from './prefilter.js';
import { basename, normaliseCommand, splitCommands, type SimpleCommand } from './shell.js';
import { sqlCode } from './sql.js';
import { TooComplex } from './too-complex.js';

export interface GuardContext {
  /** The repository root (absolute). */
  root: string;
  /** The agent's working directory (absolute). */
  cwd: string;
  home: string;
  /** `guard.deny`: built-in rule names and command patterns. */
  deny: readonly string[];
  /** `guard.protected_branches`. */
  protectedBranches: readonly string[];
  /** The branch checked out in `cwd`, or null when it cannot be told. */
  currentBranch: () => string | null;
  /** The default branch of a remote (its `refs/remotes/<remote>/HEAD`), or null. */
  remoteDefaultBranch: (remote: string) => string | null;
  /**
   * The git configuration in effect in `cwd` (guard/git-config.ts): asked only for a force push
   * that names no refspec, whose target `push.default`, the branch's upstream and
   * `remote.<name>.push` decide.
   */
  gitConfig: () => GitConfig;
  /**
   * The real path of a path (symbolic links on its existing part resolved: guard/real-path.ts);
   * without it, paths are taken as written.
   */
  realPath?: RealPath;
  /** Where used approvals are recorded (guard/approval-use.ts), protected like `.agent/status/`; asked once a command is parsed. */
  approvalsUsedDir?: () => string | null;
  /** The files under a folder, relative to it (guard/files-under.ts): asked only for a git pathspec glob. */
  filesUnder?: (dir: string) => readonly string[];
  /**
   * The files a stash writes back when applied (guard/stash-files.ts), from the top of the work
   * tree; null when git cannot tell. Asked only for `git stash pop|apply|branch`; without it such a
   * command is too complex for the guard to check.
   */
  stashFiles?: (ref: string) => readonly string[] | null;
  /**
   * The absolute paths `git clean ARGS` (a dry run: `-n` among them) says it removes when run in
   * `dir` (guard/clean-files.ts); null when git does not answer. Asked only for `git clean`;
   * without it the command's pathspecs count.
   */
  cleanFiles?: (dir: string, dryRun: readonly string[]) => readonly string[] | null;
  /**
   * The absolute paths of tracked files with uncommitted changes (index or work tree against
   * HEAD) in the repository holding `dir` (guard/changed-files.ts); null when git does not answer.
   * Asked only for `git reset --hard`, `git checkout -f`, `git switch --discard-changes`.
   */
  changedFiles?: (dir: string) => readonly string[] | null;
}

export type GuardDecision =
  | { decision: 'allow' }
  | {
      decision: 'deny';
      /** The rule: a built-in name, `pattern:<pattern>`, `self-approval`, `config-edit` or `status-edit`. */
      rule: string;
      /** Why, in one clause the agent can act on. */
      why: string;
      /** The whole tool call, whitespace normalised: what an approval must name. */
      command: string;
    };

/** A word that runs cos: `cos`, `agent-cos` (also `agent-cos@1.2`), or its entry script (`dist/cli.js`, `node_modules/.bin/cos`). */
const COS_WORD = /^(?:(?:.*\/)?(?:cos|agent-cos)(?:@[^/\s]*)?|(?:.*\/)?cli\.[cm]?[jt]s)$/;
/** Programs that run another program named among their words: package runners and script runtimes. */
const LAUNCHERS = new Set(['npx', 'npm', 'pnpm', 'pnpx', 'yarn', 'bunx', 'bun', 'node', 'nodejs', 'deno', 'tsx', 'ts-node', 'corepack', 'volta']);

/**
 * Where cos's own words start (the index after the word that runs it), or -1: `cos …`, `agent-cos
 * …`, or a launcher that runs it — `npx [-y] cos`, `npx -p agent-cos cos`, `npm exec cos --`,
 * `npm x`, `pnpm exec|dlx`, `yarn [dlx]`, `bunx`, `node [options] dist/cli.js`, `node
 * node_modules/.bin/cos`, `tsx src/cli.ts`. A launcher's words are searched for the first word
 * that runs cos, whatever options come before it.
 */
function isCosProgram(words: string[]): number {
  const program = basename(words[0] ?? '');
  // A program the line does not name (`$COS approve`, `"$(which cos)" approve`): taken to be cos
  // when its first word is cos's `approve`.
  const head = words[0]?.startsWith('`') ? words.findIndex((word, i) => (i > 0 || word.length > 1) && word.endsWith('`')) : 0;
  if (head !== -1 && /[$`]/.test(words[0] ?? '') && words.slice(head + 1).find((word) => !word.startsWith('-')) === 'approve') return head + 1;
  if (program === 'cos' || program === 'agent-cos' || /^agent-cos@/.test(program)) return 1;
  if (!LAUNCHERS.has(program)) return -1;
  const at = words.findIndex((word, i) => i > 0 && COS_WORD.test(word) && !/^-/.test(word));
  return at === -1 ? -1 : at + 1;
}

/**
 * A word after which `approve` is taken to be cos's: its basename (a version `@x` aside) is `cos`,
 * `agent-cos`, `cli`, `cli.js`/`.mjs`/`.cjs`/`.ts`, `hook.js`, or it lies in a folder named
 * `agent-cos`, or it holds a command substitution or variable (`$(pwd)/x`, `"$(which cos)"`, `$COS`).
 */
const APPROVER_WORD = /(?:^|\/)(?:(?:cos|agent-cos)(?:@[^/\s]*)?|cli(?:\.[cm]?[jt]s)?|hook\.[cm]?js)$|(?:^|\/)agent-cos(?:@[^/]*)?\/|[$`)]/;

/**
 * Self-approval, read broadly (qa-reviewer-h4): a simple command with `approve` right after a word
 * that may run cos (APPROVER_WORD), options and `--dir X` between them skipped — so `node
 * …/dist/cli approve` (node resolves the `.js`), `node $(pwd)/node_modules/agent-cos/dist/cli.js
 * approve` and any launcher not listed in LAUNCHERS are caught without knowing the launcher.
 * Decision: it also denies a line that only mentions it unquoted (`grep cos approve x`), except
 * after `echo`/`printf`, which print and run nothing; quoted text (`grep "cos approve" docs`) is
 * one word and passes.
 */
const PRINTERS: ReadonlySet<string> = new Set(['echo', 'printf']);

function approvesAfterCosWord(words: readonly string[]): boolean {
  if (PRINTERS.has(basename(words[0] ?? ''))) return false;
  for (let i = 1; i < words.length; i++) {
    if (words[i] !== 'approve') continue;
    let j = i - 1;
    while (j > 0 && (words[j]!.startsWith('-') || words[j - 1] === '--dir')) j--;
    if (APPROVER_WORD.test(words[j]!)) return true;
  }
  return false;
}

/** Whether a simple command runs (or may run) an agent's own `cos approve`. */
export function runsCosApprove(words: string[]): boolean {
  return cosSubcommand(words) === 'approve' || approvesAfterCosWord(words);
}

/** The cos subcommand a simple command runs, or null when it is not cos. */
export function cosSubcommand(words: string[]): string | null {
  const at = isCosProgram(words);
  if (at === -1) return null;
  for (let i = at; i < words.length; i++) {
    if (words[i] === '--dir') {
      i++;
      continue;
    }
    // `npx -p agent-cos cos approve`: the package, then the program.
    if (!words[i]!.startsWith('-') && !COS_WORD.test(words[i]!)) return words[i]!;
  }
  return '';
}

// --- force-push -------------------------------------------------------------------------------

const GIT_GLOBAL_WITH_VALUE = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env']);

interface GitCall {
  sub: string;
  args: string[];
  /**
   * `-c key=value` and `--config-env key=ENV` given on the command line, in order: they override
   * the configuration files for this command (a null value: read from the environment, unknown).
   */
  config: Array<[key: string, value: string | null]>;
  /** The `-C` directories, in order (each relative to the one before). */
  dirs: string[];
  /** `--git-dir` or `--work-tree` was given: the repository is not the one of the directory. */
  elsewhere: boolean;
  /** The `--work-tree` given (the last one), or null. */
  workTree: string | null;
}

function gitSubcommand(words: string[]): GitCall | null {
  if (basename(words[0] ?? '') !== 'git') return null;
  let i = 1;
  const dirs: string[] = [];
  const config: Array<[string, string | null]> = [];
  let elsewhere = false;
  let workTree: string | null = null;
  while (i < words.length && words[i]!.startsWith('-')) {
    const option = words[i]!;
    if (option === '--work-tree' && i + 1 < words.length) workTree = words[i + 1]!;
    if (option.startsWith('--work-tree=')) workTree = option.slice('--work-tree='.length);
    if (option === '-C' && i + 1 < words.length) dirs.push(words[i + 1]!);
    if (option === '-c' && i + 1 < words.length) {
      const item = words[i + 1]!;
      const eq = item.indexOf('=');
      config.push(eq === -1 ? [configKey(item), 'true'] : [configKey(item.slice(0, eq)), item.slice(eq + 1)]);
    }
    const env = option === '--config-env' ? words[i + 1] : option.startsWith('--config-env=') ? option.slice('--config-env='.length) : undefined;
    if (env?.includes('=')) config.push([configKey(env.slice(0, env.lastIndexOf('='))), null]);
    if (/^--(?:git-dir|work-tree)(?:=|$)/.test(option)) elsewhere = true;
    if (GIT_GLOBAL_WITH_VALUE.has(option)) i++;
    i++;
  }
  if (i >= words.length) return null;
  return { sub: words[i]!, args: words.slice(i + 1), dirs, config, elsewhere, workTree };
}

/** A config key as `git config --list` prints it: section and variable in lower case, a subsection as written. */
function configKey(key: string): string {
  const first = key.indexOf('.');
  const last = key.lastIndexOf('.');
  if (first === -1) return key.toLowerCase();
  return `${key.slice(0, first).toLowerCase()}${key.slice(first, last + 1)}${key.slice(last + 1).toLowerCase()}`;
}

/** The configuration a git command sees: the files' (when it runs here), then its `-c` values. */
function effectiveConfig(git: GitCall, here: boolean, context: GuardContext): { config: GitConfig; unknown: string | null } {
  const config = new Map<string, string[]>();
  if (here) for (const [key, values] of context.gitConfig()) config.set(key, [...values]);
  let unknown: string | null = null;
  for (const [key, value] of git.config) {
    if (value === null) unknown = key;
    else config.set(key, [...(config.get(key) ?? []), value]);
  }
  return { config, unknown };
}

/**
 * Whether a git command runs in this repository (so its current branch and remotes are the ones
 * the context knows): not when `-C`, a `cd` earlier in the line or `--git-dir`/`--work-tree` take
 * it to another checkout, or when the directory cannot be told.
 */
function runsHere(git: GitCall, cwd: string | null, context: GuardContext): boolean {
  if (git.elsewhere) return false;
  let dir = cwd;
  for (const step of git.dirs) dir = dir === null ? null : placePath(step, dir, context.home);
  const real = context.realPath ?? ((path: string) => path);
  return dir !== null && !dir.endsWith(`${sep}*`) && isInside(real(resolve(context.root)), real(dir));
}

/**
 * Whether a long option is `full` or a prefix of it at least `min` characters long: git and GNU
 * tools accept an unambiguous prefix (`--force-w` is `--force-with-lease`, `--rec` is
 * `--recursive`). An ambiguous prefix is refused by the tool, so reading it as the option is safe.
 */
function abbreviates(arg: string, full: string, min: number): boolean {
  return arg.length >= min && full.startsWith(arg);
}

const PUSH_WITH_VALUE = new Set(['--repo', '-o', '--push-option', '--receive-pack', '--exec', '--signed']);

function forcePush(words: string[], cwd: string | null, context: GuardContext): string | null {
  const git = gitSubcommand(words);
  if (git?.sub !== 'push') return null;
  // In another checkout (another worktree, another clone) the branch HEAD names is not ours to read.
  const here = runsHere(git, cwd, context);
  const currentBranch = () => (here ? context.currentBranch() : null);
  let force = false;
  let lease = false;
  let remove = false;
  let every: string | null = null;
  const positionals: string[] = [];
  for (let i = 0; i < git.args.length; i++) {
    const arg = git.args[i]!;
    if (arg === '--') {
      positionals.push(...git.args.slice(i + 1));
      break;
    }
    const name = arg.split('=')[0]!;
    if (abbreviates(name, '--force-with-lease', 9)) lease = force = true;
    else if (abbreviates(name, '--force', 4) || abbreviates(name, '--force-if-includes', 4)) force = true;
    else if (abbreviates(name, '--delete', 4)) remove = true;
    else if (abbreviates(name, '--all', 4) || abbreviates(name, '--mirror', 4) || abbreviates(name, '--branches', 3)) every = arg;
    else if (PUSH_WITH_VALUE.has(arg)) i++;
    else if (arg.startsWith('--')) continue;
    else if (/^-[a-zA-Z]+$/.test(arg)) {
      if (arg.includes('f')) force = true;
      if (arg.includes('d')) remove = true;
      if (/[o]$/.test(arg)) i++;
    } else positionals.push(arg);
  }
  // With no refspec, git's configuration decides where the push goes (git help push, push.default),
  // `git -c key=value` overriding the files for this one command. Read for a plain push too: a
  // configured refspec with `+` (remote.origin.push=+HEAD:main) forces, and remote.<name>.mirror
  // makes it a --mirror push, without -f on the line.
  const refspecLess = positionals.length <= 1;
  const effective = refspecLess && (here || git.config.length > 0) ? effectiveConfig(git, here, context) : null;
  if (effective?.unknown && /^(?:push|remote|branch)\./.test(effective.unknown) && (force || remove || /^remote\..*\.(?:push|mirror)$/.test(effective.unknown))) {
    return `a push naming no refspec whose ${effective.unknown} comes from --config-env (a value the guard cannot read) may rewrite a shared branch: name the branch`;
  }
  const config = effective?.config ?? null;
  const last = (key: string) => config?.get(key)?.at(-1);
  const branch = config ? currentBranch() : null;
  const remote = positionals[0] ?? (branch !== null ? last(`branch.${branch}.pushremote`) : undefined) ?? last('remote.pushdefault') ?? (branch !== null ? last(`branch.${branch}.remote`) : undefined) ?? 'origin';
  // remote.<name>.mirror=true: every push to it behaves as --mirror (git help config).
  if (every === null && /^(?:true|yes|on|1)$/i.test(last(`remote.${remote}.mirror`) ?? '')) every = `remote.${remote}.mirror`;
  let refspecs = positionals.slice(1);
  let mode = 'simple';
  if (config && refspecs.length === 0) {
    const configured = config.get(`remote.${remote}.push`) ?? [];
    if (configured.length > 0) refspecs = [...configured];
    else mode = (last('push.default') ?? 'simple').toLowerCase();
  }
  const kind = lease ? 'a force push (--force-with-lease still rewrites the branch)' : 'a force push';
  const shared = new Set(context.protectedBranches);
  const remoteDefault = here ? context.remoteDefaultBranch(remote) : null;
  if (remoteDefault) shared.add(remoteDefault);
  if (every !== null && (force || abbreviates(every, '--mirror', 4) || every.endsWith('.mirror'))) {
    const how = force ? kind : 'a mirror push (it force-updates and deletes remote branches to match the local ones)';
    return `${how} with ${every} rewrites every branch of ${remote}, shared ones included`;
  }
  if (force && mode === 'matching') return `${kind} with push.default=matching rewrites every branch of ${remote} that has a local branch of the same name, shared ones included`;
  const targets: Array<{ branch: string | null; force: boolean; remove: boolean; how?: string }> = [];
  if (refspecs.length === 0 && mode !== 'nothing') {
    // upstream (tracking): the branch it tracks on that remote; simple and current: its own name
    // (simple refuses a differently named upstream, so that push goes nowhere).
    const upstream = branch !== null && (mode === 'upstream' || mode === 'tracking') && last(`branch.${branch}.remote`) === remote ? last(`branch.${branch}.merge`) : undefined;
    if (upstream !== undefined) targets.push({ branch: upstream.replace(/^refs\/heads\//, ''), force, remove: false, how: ` (with no refspec git pushes ${branch} to its upstream: push.default=${mode})` });
    else targets.push({ branch: currentBranch(), force, remove: false });
  }
  const fromConfig = config !== null && positionals.length <= 1 && refspecs.length > 0 ? ` (remote.${remote}.push)` : '';
  for (const spec of refspecs) {
    const plus = spec.startsWith('+');
    const body = plus ? spec.slice(1) : spec;
    const colon = body.lastIndexOf(':');
    let dst = colon === -1 ? body : body.slice(colon + 1);
    const deletes = remove || (colon === 0 && dst !== '');
    if (dst === '' || dst === 'HEAD' || dst === '@') dst = colon === -1 || dst === 'HEAD' || dst === '@' ? (currentBranch() ?? '') : dst;
    if (dst.startsWith('refs/tags/')) continue;
    if (dst.includes('$') && (force || plus || deletes)) return `${kind} to ${spec}, a branch behind a variable the guard does not know, may rewrite a shared branch: name the branch`;
    if (dst.includes('*') && (force || plus)) return `${kind} of ${spec}${fromConfig} rewrites every branch it matches on ${remote}, shared ones included`;
    targets.push({ branch: dst === '' ? null : dst.replace(/^refs\/heads\//, ''), force: force || plus, remove: deletes, how: fromConfig });
  }
  for (const target of targets) {
    if (!target.force && !target.remove) continue;
    if (target.branch === null) return `${kind} to the current branch, which cannot be told here (a detached HEAD, or another checkout: name the branch), may rewrite a shared branch`;
    if (shared.has(target.branch)) {
      const what = target.remove ? 'deleting' : kind;
      return `${what} of ${target.branch} on ${remote}${target.how ?? ''} rewrites a shared branch (${remoteDefault === target.branch ? "the remote's default branch" : 'guard.protected_branches'})`;
    }
  }
  return null;
}

// --- recursive-delete-outside-repo ------------------------------------------------------------

/**
 * The targets a recursive delete names: outside the repository, the repository itself, everything
 * at its top, or its `.git` — the reason, or null. Targets arrive marked (guard/marks.ts: a quoted
 * `*` is a file name) and are placed where they really are (links resolved, `context.realPath`).
 * `unplaceable` says what a target the guard cannot place means (a reason to deny, or null to let
 * it pass).
 */
function deletedTargets(what: string, targets: readonly string[], cwd: string | null, context: GuardContext, unplaceable: string | null): string | null {
  const real = context.realPath ?? ((path: string) => path);
  const root = real(resolve(context.root));
  for (const marked of targets) {
    const target = literal(marked);
    const path = placePath(marked, cwd, context.home);
    if (path === null) {
      if (unplaceable !== null) {
        // Variables as the agent wrote them (`$T`, not the parser's `${T}`), named: their value is set when the line runs.
        const shown = target.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, '$$$1');
        const names = [...new Set([...target.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((match) => `$${match[1]}`))];
        const known = names.length === 0 ? '' : ` (${names.join(', ')}: ${names.length === 1 ? 'its value is' : 'their values are'} unknown at check time)`;
        return `${what} of ${shown} ${unplaceable}${known}`;
      }
      continue;
    }
    const glob = path.endsWith(`${sep}*`);
    const written = glob ? path.slice(0, -2) : path;
    // Where it really is: rm takes away a link itself, not what it leads to — unless the path ends
    // in `/` (`rm -rf link/` empties the folder the link leads to); a glob's folder is followed.
    const followed = glob || /\/\.?$/.test(target) || written === dirname(written);
    const place = followed ? real(written) : join(real(dirname(written)), basename(written));
    if (!glob && place === root) return `${what} of ${target} deletes the whole repository ${root}`;
    // `rm -rf *` (or `./*`, `/srv/project/*`) at the top deletes every file of the repository.
    if (glob && place === root && /^[*?]+$/.test(globSegment(marked, context.home) ?? '')) return `${what} of ${target} deletes everything in the repository ${root}`;
    if (!isInside(root, place)) return `${what} of ${target} deletes ${glob ? `everything in ${literal(place)}` : literal(place)}, outside the repository ${root}`;
    if (isInside(join(root, '.git'), place) || mayName(marked, cwd, context.home, join(root, '.git')) || mayName(place + (glob ? `${sep}${globSegment(marked, context.home)}` : ''), cwd, context.home, join(root, '.git'))) return `${what} of ${target} deletes the repository's git history (.git)`;
  }
  return null;
}

const UNPLACEABLE = 'deletes a path the guard cannot place (a variable, or after cd - / popd): it may be outside the repository';

function recursiveDelete(command: SimpleCommand, cwd: string | null, context: GuardContext): string | null {
  if (basename(command.words[0] ?? '') === 'find') return findDelete(command, cwd, context);
  if (basename(command.words[0] ?? '') !== 'rm') return null;
  let recursive = false;
  /** A variable the guard does not know stands where an option may: it may hold `-r`. */
  let maybe = false;
  const targets: string[] = [];
  let options = true;
  // The words as the shell globs them (guard/marks.ts): `rm -rf "*"` names the file `*`.
  for (const word of command.marked.slice(1)) {
    if (options && word === '--') options = false;
    else if (options && abbreviates(word, '--recursive', 3)) recursive = true; // `--rec`, `--recur`
    else if (options && /^-[a-zA-Z]+$/.test(word)) {
      if (/[rR]/.test(word)) recursive = true;
    } else if (options && word.startsWith('--')) continue;
    else {
      if (options && word.includes('${')) maybe = true;
      targets.push(word);
    }
  }
  // In a container or on another host the paths are not this machine's: not this rule's to judge.
  if (!(recursive || maybe) || command.elsewhere) return null;
  if (command.fromInput && recursive) return 'rm -r run by xargs or find -exec deletes paths read at run time, which the guard cannot place: they may be outside the repository';
  if (recursive) return deletedTargets('rm -r', targets, cwd, context, UNPLACEABLE);
  // Only maybe recursive: a target the guard places outside the repository is denied; `rm "$f"` passes.
  const why = deletedTargets('rm', targets, cwd, context, null);
  return why === null ? null : `${why} (a variable the guard does not know stands among rm's options and may hold -r)`;
}

/** find's tests that pick what it deletes by name, content or age (not `-type`, `-maxdepth`, ...). */
const FIND_UNFILTERED = new Set(['-type', '-xtype', '-maxdepth', '-mindepth', '-depth', '-d', '-mount', '-xdev', '-noleaf', '-ignore_readdir_race', '-noignore_readdir_race', '-follow', '-daystart', '-delete', '-print', '-print0', '-true', '-regextype', '-warn', '-nowarn', '-O']);
const FIND_WITH_VALUE = new Set(['-type', '-xtype', '-maxdepth', '-mindepth', '-regextype']);

const FIND_EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);
/** Programs that delete the files `find -exec` gives them. */
const FILE_REMOVERS = new Set(['rm', 'unlink', 'shred']);

/**
 * `find PATH… -delete` (or `-exec rm {} +`, `unlink`, `shred`) deletes what it finds under each
 * PATH, as `rm -r` does: denied when a start path is outside the repository (`find ~ -delete`,
 * `find .. -delete`, `find ~ -type f -exec rm {} +`), is its `.git`, or is its top with nothing
 * choosing what goes (`find . -delete`, `find . -type f -delete`); `find . -name '*.tmp' -delete`
 * passes.
 */
function findDelete(command: SimpleCommand, cwd: string | null, context: GuardContext): string | null {
  const marked = command.marked;
  if (command.elsewhere) return null;
  let i = 1;
  while (i < marked.length && /^-(?:[HLP]|D|O\d*)$/.test(marked[i]!)) i += marked[i] === '-D' ? 2 : 1;
  const starts: string[] = [];
  for (; i < marked.length && !/^[-(!),]/.test(marked[i]!); i++) starts.push(marked[i]!);
  if (starts.length === 0) starts.push('.');
  // What it does: -delete, or a remover run on what it finds; whether a test picks what goes.
  let action: string | null = null;
  let filtered = false;
  for (let j = i; j < marked.length; j++) {
    const word = marked[j]!;
    if (FIND_EXEC.has(word)) {
      const end = marked.findIndex((next, k) => k > j && (next === ';' || next === '+'));
      if (FILE_REMOVERS.has(basename(literal(marked[j + 1] ?? '')))) action ??= `find ${word} ${basename(literal(marked[j + 1]!))}`;
      j = end === -1 ? marked.length : end;
    } else if (word === '-delete') action ??= 'find -delete';
    else if (FIND_WITH_VALUE.has(word)) j++;
    else if (word.startsWith('-') && !FIND_UNFILTERED.has(word)) filtered = true;
  }
  if (action === null) return null;
  if (command.fromInput) return `${action} run by xargs deletes under paths read at run time, which the guard cannot place: they may be outside the repository`;
  const outside = deletedTargets(action, starts, cwd, context, UNPLACEABLE);
  if (outside === null) return null;
  // At the repository's top (not outside it, not .git): denied only when nothing picks what goes.
  const root = resolve(context.root);
  const atTop = starts.every((start) => placePath(start, cwd, context.home) === root);
  return filtered && atTop ? null : outside;
}

// --- drop-database ----------------------------------------------------------------------------

const DB_CLIENTS = new Set(['psql', 'mysql', 'mariadb', 'sqlite3', 'sqlcmd', 'cockroach', 'clickhouse-client', 'clickhouse', 'duckdb', 'mongo', 'mongosh', 'cqlsh', 'snowsql', 'bq']);
const DROP_SQL = /\bdrop\s+(?:database|schema|table)\b|\bdropDatabase\s*\(/i;

function dropDatabase(command: SimpleCommand, feeding: readonly SimpleCommand[]): string | null {
  const program = basename(command.words[0] ?? '');
  const args = command.words.slice(1);
  if (program === 'dropdb') return 'dropdb drops a database';
  if (program === 'mysqladmin' && args.some((arg) => arg === 'drop')) return 'mysqladmin drop drops a database';
  if ((program === 'rails' || program === 'rake' || program === 'bin/rails') && args.some((arg) => /^db:drop\b/.test(arg))) return `${program} db:drop drops the database`;
  if (!DB_CLIENTS.has(program)) return null;
  // What the database runs: not a DROP inside a string literal, a quoted identifier or a comment.
  const dialect = program === 'mongo' || program === 'mongosh' ? 'js' : 'sql';
  const drops = (text: string) => sqlCode(text, dialect).some((code) => DROP_SQL.test(code));
  if (args.some(drops)) return `${program} is given a DROP DATABASE/SCHEMA/TABLE statement${command.elsewhere ? ' (run in a container or on another host)' : ''}`;
  if (command.stdin.some(drops)) return `${program} is given a DROP DATABASE/SCHEMA/TABLE statement on its input (a here-string, a here-document or a pipe)`;
  for (const source of feeding) {
    const from = basename(source.words[0] ?? '');
    if ((from === 'echo' || from === 'printf') && drops(source.words.slice(1).join(' '))) return `${program} is piped a DROP DATABASE/SCHEMA/TABLE statement`;
  }
  return null;
}

// --- command patterns -------------------------------------------------------------------------

function patternWords(pattern: string): string[] {
  return parse(pattern).filter((token): token is string => typeof token === 'string');
}

function matchesPattern(words: string[], pattern: string[]): boolean {
  if (pattern.length === 0) return false;
  if (pattern[0] !== '*' && basename(words[0] ?? '') !== pattern[0]) return false;
  let at = 1;
  for (const want of pattern.slice(1)) {
    while (at < words.length && !(want === '*' || words[at] === want)) at++;
    if (at >= words.length) return false;
    at++;
  }
  return true;
}

// --- the decision -------------------------------------------------------------------------------

function placeContext(context: GuardContext): PlaceContext {
  const real = context.realPath ?? ((path: string) => path);
  const used = context.approvalsUsedDir?.() ?? null;
  return { root: real(resolve(context.root)), home: context.home, real, ...(used !== null ? { extra: [approvalsUsedArea(used)] } : {}), ...(context.filesUnder ? { files: context.filesUnder } : {}) };
}

/**
 * What a git command run in `dir` rewrites of this repository's working files (guard/git-writes.ts),
 * with the files of a stash it applies; null when it rewrites none here, undefined when it runs on
 * another work tree (`--work-tree`, or `--git-dir` from a folder that is not the top: git takes
 * the directory it runs in as the top then). A work tree or a stash the guard cannot read is too
 * complex to check.
 */
function gitWritesHere(git: GitCall, dir: string | null, simple: SimpleCommand, stashes: readonly StashChange[], place: PlaceContext, context: GuardContext): GitPaths | null | undefined {
  const { stdin } = simple;
  // An alias given on the line (`git -c alias.r=restore r .agent`, `-c alias.rh='reset --hard' rh`) runs a command the guard does not follow: too complex, whatever it names.
  if (git.config.some(([key]) => key === `alias.${git.sub.toLowerCase()}`)) throw new TooComplex(`git ${git.sub} is an alias given with -c, which the guard does not follow — run the git command itself`);
  let writes = gitWrites(git.sub, git.args, stdin);
  // Run by xargs or find -exec, it is also given words read at run time: the line's own (`echo PATH |
  // xargs git restore`) are read; others the guard cannot see, so a command that rewrites the files
  // of its paths is too complex to check.
  if (simple.fromInput && writes !== null && writes.kind !== 'discard' && writes.kind !== 'stash') {
    // An empty text is a pipe from a program that is not echo/printf: its output is not known.
    if (stdin.length === 0 || stdin.includes('')) throw new TooComplex(`git ${git.sub} run by xargs or find -exec is given paths read at run time, which the guard does not see — name the paths`);
    // xargs reads quotes and backslashes (`'.agent'`, `.ag""ent` are .agent), NULs (-0), a delimiter (-d) or another file (-a): not followed.
    if (simple.rawInput === true || stdin.some((text) => /["'\\]/.test(text))) throw new TooComplex(`git ${git.sub} run by xargs is given paths xargs reads with quotes, backslashes, -0, -d or -a, which the guard does not follow — name the paths`);
    writes = gitWrites(git.sub, [...git.args.filter((arg) => arg !== '{}'), ...stdin.flatMap((text) => text.split(/\s+/).filter(Boolean))], []);
  }
  if (git.elsewhere) {
    const top = git.workTree !== null ? (dir === null ? null : placePath(git.workTree, dir, context.home)) : dir;
    if (top === null || top.endsWith(`${sep}*`)) {
      if (writes !== null) throw new TooComplex(`git ${git.sub} runs on a work tree the guard cannot place (--work-tree ${git.workTree ?? 'not given, after cd - or popd'})`);
      return undefined;
    }
    if (place.real(top) !== place.root) return undefined;
  }
  if (writes === null) return null;
  const paths = { sub: git.sub, args: git.args, dir, writes, stashFiles: null, cleanFiles: null, changedFiles: null };
  if (writes.kind === 'pathspecs' || writes.kind === 'files') return paths;
  // Another repository's stash or untracked files are another work tree's: not this rule's.
  if (dir !== null && !isInside(place.root, place.real(dir))) return undefined;
  if (writes.kind === 'discard') {
    // Without the reader (or where the line does not say), a discard passes as history moving did before.
    if (dir === null || context.changedFiles === undefined) return paths;
    const files = context.changedFiles(dir);
    if (files === null) throw new TooComplex(`${writes.what} throws away uncommitted changes, and git did not say which`);
    return { ...paths, changedFiles: files };
  }
  if (writes.kind === 'clean') {
    // Asked of git only where it runs here; without the reader the pathspecs count (`.` without one).
    if (dir === null || context.cleanFiles === undefined) return paths;
    const files = context.cleanFiles(dir, writes.dryRun);
    if (files === null) throw new TooComplex('git clean -n, asked which files git clean removes, did not answer');
    return { ...paths, cleanFiles: files };
  }
  return { ...paths, stashFiles: stashedFiles(writes.ref, dir, stashes, context) };
}

/** The files the stash `ref` writes back, once the stash commands earlier in the line have run. */
function stashedFiles(ref: string, dir: string | null, stashes: readonly StashChange[], context: GuardContext): string[] {
  const unreadable = (why: string) => new TooComplex(`git stash applies ${ref}, whose files the guard cannot read (${why}) — apply it with its paths: git checkout ${ref} -- PATH`);
  if (context.stashFiles === undefined || dir === null) throw unreadable(dir === null ? 'it runs where the line does not say' : 'no repository to read it from');
  if (/[$`]/.test(ref)) throw unreadable('a variable names it');
  const index = stashIndex(ref);
  const refs = index === null ? [ref] : stashCandidates(index, stashes).flatMap((at) => (at === 'new' ? [] : [`stash@{${at}}`]));
  const files: string[] = [];
  for (const one of refs) {
    // A stash that is not there writes nothing (git fails); one git cannot read is unknown.
    const found = context.stashFiles(one);
    if (found === null) throw unreadable(`git cannot read ${one}`);
    files.push(...found);
  }
  return files;
}

const PROTECTED_WHY = {
  'config-edit': "the team's configuration is changed by a person",
  'status-edit': 'entries are written by cos — cos post, cos resolve — and approvals by a person with cos approve',
} as const;

function deny(rule: string, why: string, command: string): GuardDecision {
  return { decision: 'deny', rule, why, command: normaliseCommand(command) };
}

/**
 * The guard's decision on a Bash command line. Fails closed: a line the guard cannot read to the end
 * (a limit of the parser is hit, or reading it throws — a stack overflow included) is denied when
 * it holds a word some rule looks for (guard/prefilter.ts, brace punctuation taken out); a line
 * without one, run outside .agent/, cannot be denied by any rule, so it passes however large it is.
 */
export function decideBash(command: string, context: GuardContext): GuardDecision {
  try {
    return decideParsed(command, splitCommands(command), context);
  } catch (error) {
    // Brace punctuation taken out: `r{m,}` still shows `rm`, while `echo {1..2000}` (braces, no rule's word) passes.
    const place = placeContext(context);
    // A cwd in .agent/ makes any command a possible write of a protected file (guard/prefilter.ts).
    if (!mayBeDenied(command.replace(/[{},]/g, ''), context.deny) && !cwdInAgent(place.root, place.real(resolve(context.cwd)))) return { decision: 'allow' };
    const limit = error instanceof TooComplex ? error.limit : error instanceof RangeError ? 'it is too large or nests too deep for the parser' : `the parser failed (${error instanceof Error ? error.message : String(error)})`;
    return deny('too-complex', `it is too complex for the guard to check: ${limit}`, command);
  }
}

function decideParsed(command: string, commands: SimpleCommand[], context: GuardContext): GuardDecision {
  const rules = new Set(context.deny);
  const place = placeContext(context);
  const patterns = context.deny.filter((item) => !['force-push', 'recursive-delete-outside-repo', 'drop-database'].includes(item)).map((item) => ({ item, words: patternWords(item) }));
  // The directory relative paths count from, following cd/pushd; null after cd - or popd.
  let cwd: string | null = context.cwd;
  let pipeline: SimpleCommand[] = [];
  /** How the git stash commands earlier in the line renumbered the stashes (guard/git-stash.ts). */
  const stashes: StashChange[] = [];
  for (const simple of commands) {
    const words = simple.words;
    const program = basename(words[0] ?? '');
    if (program === 'cd' || program === 'pushd' || program === 'popd') {
      const to = words.slice(1).find((word) => word === '-' || !word.startsWith('-'));
      if (program === 'popd' || to === '-' || (program === 'pushd' && to === undefined)) cwd = null;
      else if (to === undefined) cwd = context.home;
      else {
        // A directory behind a variable is assumed to be here, as before: `cd "$(git rev-parse
        // --show-toplevel)"` is common; `cd -` and `popd` go back to where the line does not say.
        const next = placePath(to, cwd, context.home);
        if (next !== null && !next.endsWith('*')) cwd = next;
      }
    }
    // A wrapper may run the command in another directory (`env -C DIR`, `sudo -D DIR`).
    let here: string | null = cwd;
    for (const dir of simple.dirs) {
      const next = here === null ? null : placePath(dir, here, context.home);
      here = next === null || next.endsWith(`${sep}*`) ? null : next;
    }
    if (runsCosApprove(words)) return deny('self-approval', "an agent may not approve its own denied command: a person runs cos approve", command);
    const git = gitSubcommand(words);
    let gitDir: string | null = here;
    for (const step of git?.dirs ?? []) gitDir = gitDir === null ? null : placePath(step, gitDir, context.home);
    const gitPaths = git === null || simple.elsewhere ? null : gitWritesHere(git, gitDir, simple, stashes, place, context);
    if (git?.sub === 'stash' && gitPaths !== undefined) {
      const change = stashChange(git.args);
      if (change !== null) stashes.push(change);
    }
    const written = protectedWrite(simple, gitPaths ?? null, here, place);
    if (written) return deny(written.rule, `${written.why} (${PROTECTED_WHY[written.rule]})`, command);
    if (rules.has('force-push')) {
      const why = forcePush(words, here, context);
      if (why) return deny('force-push', why, command);
    }
    if (rules.has('recursive-delete-outside-repo')) {
      const why = recursiveDelete(simple, here, context);
      if (why) return deny('recursive-delete-outside-repo', why, command);
    }
    if (rules.has('drop-database')) {
      const why = dropDatabase(simple, pipeline);
      if (why) return deny('drop-database', why, command);
    }
    for (const pattern of patterns) {
      if (matchesPattern(words, pattern.words)) return deny(`pattern:${pattern.item}`, `it matches the pattern "${pattern.item}" in guard.deny`, command);
    }
    pipeline = simple.then === '|' || simple.then === '|&' ? [...pipeline, simple] : [];
  }
  return { decision: 'allow' };
}

const FILE_TOOLS: Record<string, string> = { Write: 'file_path', Edit: 'file_path', MultiEdit: 'file_path', NotebookEdit: 'notebook_path' };

/** The guard's decision on any tool call (Bash commands and file edits; everything else passes). */
export function decideTool(toolName: string, toolInput: Record<string, unknown>, context: GuardContext): GuardDecision {
  if (toolName === 'Bash') {
    const command = toolInput.command;
    return typeof command === 'string' ? decideBash(command, context) : { decision: 'allow' };
  }
  const key = FILE_TOOLS[toolName];
  if (key !== undefined) {
    const path = toolInput[key];
    if (typeof path === 'string') {
      const place = placeContext(context);
      const area = protectedFile(resolve(context.cwd, path), place);
      if (area !== null) {
        // Named from the repository's top where it really is (a path through a link included).
        const real = place.real(resolve(context.cwd, path));
        const rel = (isInside(place.root, real) ? relative(place.root, real) : relative(context.root, resolve(context.cwd, path))).split(sep).join('/');
        return deny(area.rule, `${toolName} of ${rel} changes ${area.label} (${PROTECTED_WHY[area.rule]})`, `${toolName} ${rel}`);
      }
    }
  }
  return { decision: 'allow' };
}

/** Whether a tool call only reports to cos (cos post, heartbeat, resolve, ... or the cos MCP server): never blocked by the budget. */
export function isCosReporting(toolName: string, toolInput: Record<string, unknown>): boolean {
  if (/^mcp__(?:cos|agent-cos)__/.test(toolName)) return true;
  if (toolName !== 'Bash' || typeof toolInput.command !== 'string') return false;
  let commands: SimpleCommand[];
  try {
    commands = splitCommands(toolInput.command).filter((simple) => simple.words.length > 0 && basename(simple.words[0]!) !== 'cd');
  } catch {
    return false;
  }
  return commands.length > 0 && commands.every((simple) => {
    const sub = cosSubcommand(simple.words);
    return sub !== null && sub !== 'approve' && !approvesAfterCosWord(simple.words);
  });
}
