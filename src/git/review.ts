/**
 * `cos review`: the coordination changes between a git ref and the working tree (committed and
 * uncommitted alike, untracked files included), under `.agent/` and runbook.md.
 *
 * Default ref: the last commit made more than 24 hours before now (`--since 24h`), i.e. "what
 * changed in the coordination layer over the last day", the window of `cos brief`; the empty tree
 * when the repository is younger. `--since` takes a ref (HEAD~5, origin/main, a sha) or a
 * duration (90m, 24h, 7d) when no ref of that name exists.
 *
 * Every worktree of the repository (reviewWorktrees): the worktree cos runs in first, then each
 * other one, each compared with the same base commit (resolved once, in the worktree cos runs
 * in), so "since origin/main" or "since 24h" means the same point of history in all of them.
 */
import { dirname, join, relative, resolve } from 'node:path';
import { findRepository } from '../store/worktrees.js';
import { MAX_ENTRY_BYTES } from '../store/read.js';
import { confined } from '../trust/confine.js';
import { readBoundedText } from '../trust/read.js';
import { repositoryRoots } from '../trust/roots.js';
import { ExternalError, InputError } from '../errors.js';
import { parseEntry } from '../protocol/entry.js';
import type { Status } from '../protocol/fields.js';
import { isoSeconds, parseDuration } from '../protocol/time.js';
import { classifyChanges, type ChangeKind, type PathChange } from './changes.js';
import { assertRef, gitComplaint, repoInfo, type GitResult } from './run.js';
import type { SimpleGitOptions } from './simple.js';

/** Every git of a review runs through simple-git (git/simple.ts), each command one that prints or marked `silentOk`. */
async function tryGit(root: string, args: string[], options: SimpleGitOptions): Promise<GitResult> {
  const { runSimpleGit } = await import('./simple.js');
  return runSimpleGit(root, args, options);
}

/** As tryGit; a non-zero exit is an ExternalError naming the command and git's first complaint. */
async function git(root: string, args: string[], options: SimpleGitOptions): Promise<string> {
  const result = await tryGit(root, args, options);
  if (result.code !== 0) throw new ExternalError(`git ${args[0]} failed: ${gitComplaint(result)}.`);
  return result.stdout;
}

const SCOPE = ['.agent', 'runbook.md'];
const DEFAULT_WINDOW = '24h';

/** An entry file a review found added or changed, with its sprint, agent and status. */
export interface ReviewedEntry {
  file: string;
  sprint: string;
  agent: string;
  status: Status;
  heartbeat: string;
  uncommitted: boolean;
}

/** The coordination changes since a git ref: entries added, archived, heartbeats, other files. */
export interface ReviewResult {
  since: {
    /** What was asked for (the flag's value, or the default window). */
    ref: string;
    /** The commit compared against, or null for the empty tree (the very beginning). */
    commit: string | null;
  };
  added: ReviewedEntry[];
  archived: Array<{ file: string; name: string; from: string; to: string; sprint: string | null; uncommitted: boolean }>;
  restored: Array<{ file: string; name: string; from: string; to: string; uncommitted: boolean }>;
  heartbeats: ReviewedEntry[];
  removed: string[];
  /** Roles, config, skills, runbook.md (and any other file of .agent/ outside status/). */
  changed: Array<{ path: string; change: ChangeKind; uncommitted: boolean }>;
  /** Every path in scope whose change is not committed yet. */
  uncommitted: string[];
  /** Added or modified entry files that do not parse (file, reason). */
  problems: Array<{ file: string; reason: string }>;
}

/** Options of `reviewChanges` (`cos review`): the ref or window, the clock, the environment, a resolved base. */
export interface ReviewOptions {
  since?: string;
  now?: Date;
  env?: NodeJS.ProcessEnv;
  /** The base already resolved (by the review of another worktree): `since` is then not looked up. */
  base?: ReviewResult['since'];
  /** Told about each git command run and whether it printed (diagnostics; the tests check none is silent). */
  onGit?: (args: readonly string[], printed: boolean) => void;
}

/** The review of another worktree of the repository. */
export interface WorktreeReview extends Omit<ReviewResult, 'since'> {
  /** Its name (as `cos status` shows it: the linked worktree's id, or the main worktree's folder name). */
  worktree: string;
  /** Its cos root, relative to the root the review ran in; the paths of its changes are relative to it. */
  path: string;
}

function parseNameStatus(output: string): PathChange[] {
  const parts = output.split('\0');
  const changes: PathChange[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const letter = parts[i]!.charAt(0);
    const path = parts[i + 1]!;
    if (letter === 'A' || letter === 'M' || letter === 'D') changes.push({ path, change: letter });
    else if (letter === 'T') changes.push({ path, change: 'M' });
  }
  return changes;
}

function untracked(output: string): PathChange[] {
  return output
    .split('\0')
    .filter(Boolean)
    .map((path) => ({ path, change: 'A' as const }));
}

async function resolveBase(root: string, since: string | undefined, now: Date, hasHead: boolean, options: SimpleGitOptions): Promise<{ ref: string; commit: string | null }> {
  const ref = since ?? DEFAULT_WINDOW;
  if (since !== undefined) {
    assertRef(since, '--since');
    // Without --quiet: git prints the commit or its complaint, never nothing.
    const resolved = await tryGit(root, ['rev-parse', '--verify', '--end-of-options', `${since}^{commit}`], options);
    if (resolved.code === 0) return { ref, commit: resolved.stdout.trim() };
  }
  const window = parseDuration(ref);
  if (Number.isNaN(window)) {
    throw new InputError(`Unknown git ref ${JSON.stringify(ref)} for --since: give a branch, tag, commit (e.g. HEAD~5, origin/main) or a duration such as 24h or 7d.`, { code: 'not-found' });
  }
  // A window reaching before 1970 (or past what a Date can hold) is the whole history.
  if (!hasHead || !(now.getTime() - window > 0)) return { ref, commit: null };
  const before = isoSeconds(new Date(now.getTime() - window));
  const found = await git(root, ['rev-list', '-1', `--before=${before}`, 'HEAD'], { ...options, silentOk: true });
  return { ref, commit: found.trim() || null };
}

function readEntry(root: string, path: string, uncommitted: boolean, problems: ReviewResult['problems']): ReviewedEntry | null {
  const name = path.slice(path.lastIndexOf('/') + 1);
  // A path git names is still repository content: its folders must stay inside, and the file
  // itself is read bounded, never through a link (a committed link to /dev/zero is a problem).
  const abs = join(root, path);
  if (confined(dirname(abs), repositoryRoots(root)) === null) {
    problems.push({ file: path, reason: 'it lies behind a symbolic link leading outside the repository' });
    return null;
  }
  const read = readBoundedText(abs, MAX_ENTRY_BYTES);
  if (!read.ok) {
    problems.push({ file: path, reason: read.reason });
    return null;
  }
  const text = read.text;
  const parsed = parseEntry(text, { file: name, path, location: path.startsWith('.agent/status/archive/') ? 'archive' : 'current' });
  if (!parsed.ok) {
    problems.push({ file: path, reason: parsed.reason });
    return null;
  }
  const { sprint, agent, status, heartbeat } = parsed.entry;
  return { file: path, sprint, agent, status, heartbeat, uncommitted };
}

/** The coordination changes since a git ref: entries added, archived, heartbeats, roles/config/skills changed. */
export async function reviewChanges(root: string, options: ReviewOptions = {}): Promise<ReviewResult> {
  const gitOptions: SimpleGitOptions = { env: { ...(options.env ?? process.env), GIT_LITERAL_PATHSPECS: '1' }, ...(options.onGit ? { onRun: options.onGit } : {}) };
  const { runSimpleGit } = await import('./simple.js');
  await repoInfo(root, gitOptions, runSimpleGit);
  const now = options.now ?? new Date();
  const hasHead = (await tryGit(root, ['rev-parse', '--verify', 'HEAD'], gitOptions)).code === 0;
  const since = options.base ?? (await resolveBase(root, options.since, now, hasHead, gitOptions));
  const emptyTree = since.commit === null || !hasHead ? (await git(root, ['hash-object', '-t', 'tree', '/dev/null'], gitOptions)).trim() : '';
  const base = since.commit ?? emptyTree;
  const diffArgs = ['diff', '--no-renames', '--no-ext-diff', '--name-status', '-z', '--relative'];
  // A diff with no change and a listing of no file print nothing: silentOk (git/simple.ts).
  const quiet = { ...gitOptions, silentOk: true };
  const [fromBase, fromHead, others] = await Promise.all([
    git(root, [...diffArgs, base, '--', ...SCOPE], quiet),
    git(root, [...diffArgs, hasHead ? 'HEAD' : emptyTree, '--', ...SCOPE], quiet),
    git(root, ['ls-files', '--others', '--exclude-standard', '-z', '--', ...SCOPE], quiet),
  ]);
  const newFiles = untracked(others);
  const problems: ReviewResult['problems'] = [];
  // git prints names as bytes; one that is not UTF-8 reaches cos with U+FFFD in it and cannot be
  // opened by that name: it is reported, as readStore reports it, never read or skipped in silence.
  const changes = [...parseNameStatus(fromBase), ...newFiles].filter((change) => {
    if (!change.path.includes('\uFFFD')) return true;
    problems.push({ file: change.path, reason: 'its name (or a folder above it) is not valid UTF-8, so cos cannot read it by name — rename it' });
    return false;
  });
  const uncommittedSet = new Set([...parseNameStatus(fromHead), ...newFiles].map((change) => change.path));
  const classified = classifyChanges(changes);
  const fileName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
  const sprintOf = (to: string) => {
    const match = /^\.agent\/status\/archive\/([^/]+)\//.exec(to);
    return match ? match[1]! : null;
  };
  return {
    since,
    added: classified.added.map((path) => readEntry(root, path, uncommittedSet.has(path), problems)).filter((e): e is ReviewedEntry => e !== null),
    archived: classified.archived.map(({ from, to }) => ({ file: to, name: fileName(to), from, to, sprint: sprintOf(to), uncommitted: uncommittedSet.has(to) || uncommittedSet.has(from) })),
    restored: classified.restored.map(({ from, to }) => ({ file: to, name: fileName(to), from, to, uncommitted: uncommittedSet.has(to) || uncommittedSet.has(from) })),
    heartbeats: classified.modified.map((path) => readEntry(root, path, uncommittedSet.has(path), problems)).filter((e): e is ReviewedEntry => e !== null),
    removed: classified.removed,
    changed: classified.other.map((change) => ({ ...change, uncommitted: uncommittedSet.has(change.path) })),
    uncommitted: [...uncommittedSet].sort(),
    problems,
  };
}

/**
 * The review of every worktree of the repository on this machine: `here` is the worktree cos
 * runs in (as reviewChanges), `others` the other worktrees, each against the same base commit. A
 * worktree git cannot read (removed meanwhile) is left out; its problem is listed in `problems`.
 */
export async function reviewWorktrees(root: string, options: ReviewOptions = {}): Promise<{ here: ReviewResult; others: WorktreeReview[]; problems: Array<{ worktree: string; reason: string }> }> {
  const here = await reviewChanges(root, options);
  const repo = findRepository(root);
  const others: WorktreeReview[] = [];
  const problems: Array<{ worktree: string; reason: string }> = [];
  for (const worktree of repo?.worktrees ?? []) {
    if (worktree.here) continue;
    try {
      const { since: _since, ...result } = await reviewChanges(worktree.root, { ...options, base: here.since });
      others.push({ worktree: worktree.name, path: relative(resolve(root), worktree.root) || '.', ...result });
    } catch (error) {
      problems.push({ worktree: worktree.name, reason: (error as Error).message });
    }
  }
  return { here, others, problems };
}
