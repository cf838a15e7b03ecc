/**
 * The repository a cos root belongs to, read from git's own files (no git process: this is on the
 * start-up path of every command).
 *
 * - `<dir>/.git` is a folder (a main worktree: it is the git dir and the common dir) or a file
 *   `gitdir: <path>` (a linked worktree or a submodule). A linked worktree's git dir holds
 *   `commondir` (a path, relative to the git dir unless absolute) naming the shared common dir.
 * - The linked worktrees are `<common>/worktrees/<id>/gitdir`, each naming `<worktree>/.git`. A
 *   worktree counts only when that `.git` file exists and points back to `<common>/worktrees/<id>`
 *   (git's own test: otherwise it is "prunable", its folder gone or moved).
 * - The main worktree is the folder holding the common dir when that is named `.git` and the
 *   repository is not bare.
 *
 * A cos root may sit below the worktree's top level (`.agent/` in a sub-folder): the same
 * sub-folder of every other worktree is that worktree's root. A folder outside any git work tree
 * has no repository: cos behaves as before (one checkout, claims under `.agent/status/.claims`).
 */
import { lstatSync, readdirSync, realpathSync } from 'node:fs';
import { readBoundedText } from '../trust/read.js';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** A worktree of the repository: its name, top level and cos root. */
export interface Worktree {
  /** A short name for output: the linked worktree's id in `<common>/worktrees/`, or the main worktree's folder name. */
  name: string;
  /** The worktree's top level (absolute). */
  top: string;
  /** The cos root in this worktree (top + the same sub-folder as the root cos runs in). */
  root: string;
  /** The worktree cos runs in. */
  here: boolean;
}

/** The repository cos runs in: its git common dir and worktrees, read from git's own files. */
export interface Repository {
  /** The git common dir, shared by every worktree (absolute). */
  commonDir: string;
  /** The worktree cos runs in. */
  here: Worktree;
  /** Every worktree of the repository on this machine, the one cos runs in included; main first, then by name. */
  worktrees: Worktree[];
}

/** Small text files of git's own (a few hundred bytes at most); a larger one is not git's. */
const MAX_POINTER_BYTES = 4096;

// `throwIfNoEntry: false`: most folders have no `.git`, and a thrown ENOENT costs ~0.2 ms each.
function readPointer(path: string): string | null {
  try {
    const stats = lstatSync(path, { throwIfNoEntry: false });
    if (!stats?.isFile() || stats.size > MAX_POINTER_BYTES) return null;
    const read = readBoundedText(path, MAX_POINTER_BYTES);
    return read.ok ? read.text.trim() : null;
  } catch {
    return null;
  }
}

function isDirectory(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

/** Whether two paths name the same folder (resolving links only when the spelling differs). */
function same(a: string, b: string): boolean {
  return resolve(a) === resolve(b) || real(a) === real(b);
}

/** Resolve symbolic links where possible, so paths compare equal however they were written. */
function real(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return resolve(path);
  }
}

/** The git dir of the work tree whose top is `top` (`.git` a folder, or a `gitdir:` file), or null. */
function gitDirOf(top: string): string | null {
  const dotGit = join(top, '.git');
  if (isDirectory(dotGit)) return dotGit;
  const pointer = readPointer(dotGit);
  if (pointer === null || !pointer.startsWith('gitdir:')) return null;
  const target = pointer.slice('gitdir:'.length).trim();
  if (target === '') return null;
  const dir = isAbsolute(target) ? target : resolve(top, target);
  return isDirectory(dir) ? dir : null;
}

/**
 * Whether `dir` is the top level of a linked worktree (its `.git` is a `gitdir:` file naming a git
 * dir that holds `commondir`). Not a submodule (no `commondir`), not a main worktree (`.git` a folder).
 */
export function isLinkedWorktreeTop(dir: string): boolean {
  if (isDirectory(join(dir, '.git'))) return false;
  const gitDir = gitDirOf(dir);
  return gitDir !== null && readPointer(join(gitDir, 'commondir')) !== null;
}

function commonDirOf(gitDir: string): string {
  const pointer = readPointer(join(gitDir, 'commondir'));
  if (pointer === null || pointer === '') return gitDir;
  const dir = isAbsolute(pointer) ? pointer : resolve(gitDir, pointer);
  return isDirectory(dir) ? dir : gitDir;
}

function isBare(commonDir: string): boolean {
  const config = readPointer(join(commonDir, 'config'));
  return config !== null && /^\s*bare\s*=\s*true\s*$/im.test(config);
}

/** The nearest ancestor of `start` (itself included) that is a work tree's top level, and its git dir. */
function findTop(start: string): { top: string; gitDir: string } | null {
  let dir = resolve(start);
  for (;;) {
    const gitDir = gitDirOf(dir);
    if (gitDir !== null) return { top: dir, gitDir };
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The linked worktrees registered in the common dir whose folders are really there. */
function linkedWorktrees(commonDir: string): Array<{ id: string; top: string }> {
  const base = join(commonDir, 'worktrees');
  let ids: string[];
  try {
    ids = readdirSync(base);
  } catch {
    return [];
  }
  const out: Array<{ id: string; top: string }> = [];
  for (const id of ids.sort()) {
    const pointer = readPointer(join(base, id, 'gitdir'));
    if (pointer === null || pointer === '') continue;
    const dotGit = isAbsolute(pointer) ? pointer : resolve(base, id, pointer);
    const top = dirname(dotGit);
    const back = gitDirOf(top);
    if (back === null || !same(back, join(base, id))) continue;
    out.push({ id, top });
  }
  return out;
}

function mtimeOf(path: string): number {
  try {
    return lstatSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -1;
  } catch {
    return -1;
  }
}

/**
 * Found repositories, per root. A command asks several times (the claim space, the highest seq,
 * the reader); a stat of `<common>/worktrees/` (its mtime changes when git adds or removes a
 * worktree), of the top's `.git` and of each worktree's `.git` (a folder deleted or moved by hand)
 * tell whether the answer still holds. Only repositories are
 * kept: a folder that is not in git is looked up again (it may be `git init`ed meanwhile).
 */
const found = new Map<string, { repo: Repository; dotGit: string; dotGitMtime: number; worktreesMtime: number }>();

/**
 * The repository `root` lives in, or null when it is not inside a git work tree. `root` is the
 * cos root (the folder holding `.agent/`, or where it would be).
 */
export function findRepository(root: string): Repository | null {
  const absRoot = resolve(root);
  const cached = found.get(absRoot);
  if (
    cached &&
    mtimeOf(cached.dotGit) === cached.dotGitMtime &&
    mtimeOf(join(cached.repo.commonDir, 'worktrees')) === cached.worktreesMtime &&
    cached.repo.worktrees.every((worktree) => mtimeOf(join(worktree.top, '.git')) !== -1)
  ) {
    return cached.repo;
  }
  const repo = lookUp(absRoot);
  if (repo === null) {
    found.delete(absRoot);
    return null;
  }
  const dotGit = join(repo.here.top, '.git');
  found.set(absRoot, { repo, dotGit, dotGitMtime: mtimeOf(dotGit), worktreesMtime: mtimeOf(join(repo.commonDir, 'worktrees')) });
  return repo;
}

function lookUp(root: string): Repository | null {
  const found = findTop(root);
  if (found === null) return null;
  const commonDir = real(commonDirOf(found.gitDir));
  const hereTop = real(found.top);
  const absRoot = resolve(root);
  const prefix = relative(found.top, absRoot);
  const rootIn = (top: string) => (prefix === '' ? top : join(top, prefix));
  const tops: Array<{ name: string; top: string }> = [];
  if (basename(commonDir) === '.git' && !isBare(commonDir)) tops.push({ name: basename(dirname(commonDir)) || 'main', top: dirname(commonDir) });
  for (const linked of linkedWorktrees(commonDir)) tops.push({ name: linked.id, top: real(linked.top) });
  // Names are unique among linked worktrees; the main worktree's folder name may clash with one.
  const names = new Set(tops.slice(1).map((t) => t.name));
  if (tops.length > 0 && basename(commonDir) === '.git' && names.has(tops[0]!.name)) tops[0]!.name = `${tops[0]!.name}-main`;
  let here: Worktree | undefined;
  const worktrees: Worktree[] = [];
  for (const { name, top } of tops) {
    const isHere = real(top) === hereTop;
    const worktree: Worktree = { name, top, root: isHere ? absRoot : rootIn(top), here: isHere };
    if (isHere) here = worktree;
    worktrees.push(worktree);
  }
  if (!here) {
    // A submodule, or a worktree not (yet) registered: it is still where cos runs.
    here = { name: basename(found.top), top: found.top, root: absRoot, here: true };
    worktrees.unshift(here);
  }
  return { commonDir, here, worktrees };
}

/**
 * The folder of the state every worktree of `root`'s repository shares (the claim space, the
 * watcher lock): `<common>/cos`, or `<common>/cos/in-<sub-folder>` for a root below the worktree's
 * top level; null outside git.
 */
export function sharedDir(root: string): string | null {
  const repo = findRepository(root);
  if (repo === null) return null;
  const prefix = relative(repo.here.top, repo.here.root);
  return prefix === '' ? join(repo.commonDir, 'cos') : join(repo.commonDir, 'cos', `in-${prefix.split(sep).join('-')}`);
}

/**
 * Where the claim space of `root` lives: `<shared>/claims` in a git repository (shared by every
 * worktree), else `.agent/status/.claims` as before.
 */
export function claimsDir(root: string): string {
  const shared = sharedDir(root);
  return shared === null ? join(resolve(root), '.agent', 'status', '.claims') : join(shared, 'claims');
}

/** Every folder cos may read or write for `root`: each worktree's root and the common dir. */
export function repositoryRoots(root: string): string[] {
  const repo = findRepository(root);
  if (repo === null) return [resolve(root)];
  return [...repo.worktrees.map((worktree) => worktree.root), repo.commonDir];
}
