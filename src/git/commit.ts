/**
 * Commit exactly some paths, and nothing else.
 *
 * `git add --verbose -- <paths>` then `git commit --only -- <paths>` (through simple-git, git/simple.ts:
 * every command here prints, so none waits on its silent-command delay): git builds the commit from HEAD plus
 * those paths alone, so whatever else is staged stays staged and uncommitted, and unstaged edits
 * stay where they are. A path that no longer exists on disk (the source of an archive move) is
 * committed as a deletion when git knows it, and skipped when it never was in git.
 *
 * Serialised across processes: concurrent `cos post --commit` would otherwise fail on git's
 * `index.lock`. Every cos commit in a repository takes one lock under the git common dir (shared
 * by all worktrees); a git command of the user's own that holds `index.lock` meanwhile is waited
 * out with a few retries. On any failure the files stay written; the error says so (exit 5).
 */
import { realpathSync } from 'node:fs';
import { pathExists } from '../store/paths.js';
import { isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { CosError, ExternalError } from '../errors.js';
import { withLock } from '../store/lock.js';
import { gitComplaint, repoInfo, type GitOptions, type GitResult } from './run.js';
import type { SimpleGitOptions } from './simple.js';

const INDEX_LOCK_RETRIES = 20;

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** Run git through simple-git (commands that print: no silent-command delay), retrying while another git process holds index.lock. */
async function gitRetrying(cwd: string, args: string[], options: GitOptions & SimpleGitOptions): Promise<GitResult> {
  const { runSimpleGit } = await import('./simple.js');
  for (let attempt = 0; ; attempt++) {
    const result = await runSimpleGit(cwd, args, options);
    if (result.code === 0 || attempt >= INDEX_LOCK_RETRIES || !/index\.lock/.test(result.stderr)) return result;
    await sleep(50 + Math.floor(Math.random() * 100) * Math.min(attempt + 1, 5));
  }
}

function fail(what: string, detail: string, paths: string[]): never {
  const shown = paths.length === 1 ? paths[0] : `${paths.length} paths`;
  // Not "retry": cos post again writes a second entry, cos archive again finds nothing left to
  // move, cos plan apply again finds the plan unchanged; none of them commits these files.
  const one = paths.length === 1;
  throw new ExternalError(`${what} (${detail}); ${shown} ${one ? 'is' : 'are'} written but not committed — commit ${one ? 'it' : 'them'} by hand (running the command again does not).`);
}

/** Options of `commitPaths`: the environment for git and an observer of each git command. */
export interface CommitOptions {
  env?: NodeJS.ProcessEnv;
  /** Told about each git command run and whether it printed (diagnostics; the tests check none is silent). */
  onGit?: (args: readonly string[], printed: boolean) => void;
}

/**
 * Commit exactly `paths` (relative to `root`, or absolute) with `message`; returns the new
 * commit's sha. Throws ExternalError (exit 5) when git fails; the files are never touched.
 */
export async function commitPaths(root: string, paths: string[], message: string, options: CommitOptions = {}): Promise<string> {
  const absRoot = resolve(root);
  const unique = [...new Set(paths)];
  if (unique.length === 0) throw new ExternalError('Nothing to commit: no paths were given.');
  // Paths are literal file names, never globs.
  const gitOptions: GitOptions & SimpleGitOptions = { env: { ...(options.env ?? process.env), GIT_LITERAL_PATHSPECS: '1' }, ...(options.onGit ? { onRun: options.onGit } : {}) };
  const { runSimpleGit } = await import('./simple.js');
  let info;
  try {
    info = await repoInfo(absRoot, gitOptions, runSimpleGit);
  } catch (error) {
    if (error instanceof CosError) fail('Cannot commit', error.message.replace(/\.$/, ''), unique);
    throw error;
  }
  // Run git at the work tree's top with top-relative paths: some commands (`git rm
  // --pathspec-from-file`) refuse to run from a subfolder, where cos's root may well be.
  const top = info.top;
  const realRoot = realpathSync(absRoot);
  const fromTop = unique.map((path) => {
    const rel = relative(top, resolve(realRoot, path)).split(sep).join('/');
    if (rel.startsWith('../') || isAbsolute(rel)) fail('Cannot commit', `${path} is outside the git work tree ${top}`, unique);
    return rel;
  });
  try {
    return await withLock(join(info.commonDir, 'cos-commit'), () => commitLocked(top, fromTop, message, gitOptions), { wait: 120_000 });
  } catch (error) {
    if (error instanceof ExternalError) throw error;
    if (error instanceof CosError) fail('Cannot commit', error.message.replace(/\.$/, ''), unique);
    throw error;
  }
}

/** Paths go to git on stdin (NUL-separated), so thousands of moves never hit the argument limit. */
function fromStdin(paths: string[], options: GitOptions & SimpleGitOptions): GitOptions & SimpleGitOptions {
  return { ...options, input: paths.map((path) => `${path}\0`).join('') };
}
const PATHSPEC_STDIN = ['--pathspec-from-file=-', '--pathspec-file-nul'];

async function commitLocked(root: string, paths: string[], message: string, options: GitOptions & SimpleGitOptions): Promise<string> {
  const present = paths.filter((path) => pathExists(join(root, path)));
  const absent = paths.filter((path) => !pathExists(join(root, path)));
  // Without --quiet: git prints the commit, or (no commit yet) its complaint — never nothing.
  const hasHead = (await gitRetrying(root, ['rev-parse', '--verify', 'HEAD'], options)).code === 0;
  let known: string[] = [];
  if (absent.length > 0) {
    // Deleted files that git knows (in HEAD or the index) are committed as deletions; list what
    // git knows under their folders and keep the absent paths among it.
    const dirs = [...new Set(absent.map((path) => posix.dirname(path.split(sep).join('/'))))];
    const listed = await gitRetrying(root, ['ls-files', '-z', ...(hasHead ? ['--with-tree=HEAD'] : []), '--', ...dirs], { ...options, silentOk: true });
    if (listed.code !== 0) fail('git ls-files failed', gitComplaint(listed), paths);
    const names = new Set(listed.stdout.split('\0').filter(Boolean));
    known = absent.filter((path) => names.has(path.split(sep).join('/')));
    if (known.length > 0) {
      const removed = await gitRetrying(root, ['rm', '--cached', '--ignore-unmatch', ...PATHSPEC_STDIN], fromStdin(known, options));
      if (removed.code !== 0) fail('git rm failed', gitComplaint(removed), paths);
    }
  }
  if (present.length > 0) {
    const added = await gitRetrying(root, ['add', '--verbose', ...PATHSPEC_STDIN], fromStdin(present, options));
    if (added.code !== 0) fail('git add failed', gitComplaint(added), paths);
  }
  const targets = [...present, ...known];
  if (targets.length === 0) fail('Nothing to commit', 'none of the paths exists or is known to git', paths);
  const committed = await gitRetrying(root, ['commit', '--only', '-m', message, ...PATHSPEC_STDIN], fromStdin(targets, options));
  if (committed.code !== 0) {
    const detail = /nothing to commit|no changes added/i.test(committed.stdout + committed.stderr) ? 'nothing changed' : gitComplaint(committed);
    fail('git commit failed', detail, paths);
  }
  const head = await gitRetrying(root, ['rev-parse', 'HEAD'], options);
  if (head.code !== 0) fail('git rev-parse failed', gitComplaint(head), paths);
  return head.stdout.trim();
}
