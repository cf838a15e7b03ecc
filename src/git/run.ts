/**
 * Running git for reads (where the repository is, review's diffs and logs): the git binary
 * directly (execFile, no shell, arguments as an array), with no library to load. Commits go
 * through simple-git (simple.ts), with commands that print so none waits on its 50 ms
 * silent-command delay. Every git failure becomes an ExternalError (exit 5) naming the command;
 * callers that expect a failure (a ref that does not resolve) use `tryGit`.
 */
import { execFile } from 'node:child_process';
import { ExternalError, InputError } from '../errors.js';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface GitOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
}

/**
 * Given to every git cos runs. A repository can commit a folder that looks like a bare repository
 * (HEAD, config, objects/, refs/); git run inside it would use it, and its committed `config`
 * (a remote whose `ext::` URL runs a command, hooks, fsmonitor). With this, git uses a bare
 * repository only when named by --git-dir or GIT_DIR, which cos never does (docs/security.md).
 */
const SAFE = ['-c', 'safe.bareRepository=explicit'];

/** Run git in `cwd`; resolves with the exit code instead of throwing on a non-zero exit. */
export function tryGit(cwd: string, args: string[], options: GitOptions = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      [...SAFE, ...args],
      {
        cwd,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        // Never prompt (credentials, editors): cos runs unattended inside agents.
        env: { ...(options.env ?? process.env), GIT_TERMINAL_PROMPT: '0', GIT_EDITOR: 'true', LC_ALL: 'C' },
      },
      (error, stdout, stderr) => {
        if (error && typeof (error as NodeJS.ErrnoException).code === 'string') {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') {
            reject(new ExternalError('git is not installed or not on PATH; install git to use this command.', { cause: error }));
            return;
          }
          if (code !== undefined && !/^\d+$/.test(code)) {
            reject(new ExternalError(`git ${args[0]} could not run (${code}).`, { cause: error }));
            return;
          }
        }
        if (/cannot use bare repository/.test(stderr)) {
          reject(new InputError(`${cwd} is a bare git repository that git will not use here (a folder holding HEAD, config, objects/ and refs/, as a repository can commit one); cos runs git only in a work tree, so run it at the top of your clone.`));
          return;
        }
        const exit = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code: exit, stdout, stderr });
      },
    );
    // git may exit before reading its stdin: a closed pipe is not an error here.
    child.stdin?.on('error', () => {});
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** The first line of git's complaint, for a message. */
export function gitComplaint(result: GitResult): string {
  const line = result.stderr.split('\n').map((l) => l.trim()).find((l) => l !== '');
  return line ?? `exit ${result.code}`;
}

/** Run git; a non-zero exit is an ExternalError naming the command and git's first complaint. */
export async function git(cwd: string, args: string[], options: GitOptions = {}): Promise<string> {
  const result = await tryGit(cwd, args, options);
  if (result.code !== 0) throw new ExternalError(`git ${args[0]} failed: ${gitComplaint(result)}.`);
  return result.stdout;
}

export interface RepoInfo {
  /** The work tree's top level (absolute). */
  top: string;
  /** The git common dir (shared by every worktree of the repository), absolute. */
  commonDir: string;
  /** `root` relative to `top`, with `/`, '' when they are the same. */
  prefix: string;
}

/** Where the repository is, or an InputError when `root` is not inside a git work tree. */
export async function repoInfo(root: string, options: GitOptions = {}): Promise<RepoInfo> {
  const result = await tryGit(root, ['rev-parse', '--show-toplevel', '--path-format=absolute', '--git-common-dir', '--show-prefix'], options);
  if (result.code !== 0) {
    if (/not a git repository/i.test(result.stderr)) {
      throw new InputError(`${root} is not inside a git repository; run git init there (or pass --dir to a clone) first.`);
    }
    throw new ExternalError(`git rev-parse failed in ${root}: ${gitComplaint(result)}.`);
  }
  const [top = '', commonDir = '', prefix = ''] = result.stdout.split('\n');
  return { top, commonDir, prefix: prefix.replace(/\/$/, '') };
}

/** A ref given by a user must not be read as an option by git. */
export function assertRef(ref: string, flag: string): void {
  if (ref === '' || ref.startsWith('-') || /[\u0000-\u001f\u007f]/.test(ref)) {
    throw new InputError(`Invalid ${flag} ${JSON.stringify(ref)}: give a git ref such as HEAD~5, main or a commit id.`);
  }
}
