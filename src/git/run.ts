/**
 * Running git. Two ways, one hardening (below: `-c safe.bareRepository=explicit`, no prompts, C
 * locale, a bare repository refused with one sentence):
 *
 * - simple-git (git/simple.ts) for the git operations the design names: commits (git/commit.ts),
 *   reviews of every worktree (git/review.ts) and claims on a remote (git/claim-ref.ts). Loaded
 *   only when one of those runs.
 * - execFile here (no shell, arguments as an array, no library to load) for the small reads on
 *   paths where loading simple-git would cost more than the read, or where git legitimately
 *   prints nothing: where the repository is (`repoInfo`, before a commit or an archive), the
 *   ignore check of `cos archive` (`git check-ignore` prints nothing when nothing is ignored),
 *   the author of `cos resolve`/`ack`/`approve` (`git config user.name`, silent when unset), the
 *   diff `cos sync --pull` shows, and git's own hook paths (`cos setup git-hooks`, the
 *   pre-commit guard, which runs inside every `git commit`). Start-up paths read git's own files
 *   instead (store/worktrees.ts) and run no git at all.
 *
 * Every git failure becomes an ExternalError (exit 5) naming the command; callers that expect a
 * failure (a ref that does not resolve) use `tryGit`.
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
export const SAFE_CONFIG = 'safe.bareRepository=explicit';
const SAFE = ['-c', SAFE_CONFIG];

/** The environment every git cos runs gets: the caller's, never prompting (credentials, editors: cos runs unattended inside agents), git's messages in the C locale. */
export function gitEnvironment(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...(env ?? process.env), GIT_TERMINAL_PROMPT: '0', GIT_EDITOR: 'true', LC_ALL: 'C' };
}

/** git could not be started (not on PATH, or another spawn failure): an ExternalError saying so. */
export function gitNotRunning(args: readonly string[], error: unknown): ExternalError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || /\bENOENT\b/.test(String((error as Error | undefined)?.message))) {
    return new ExternalError('git is not installed or not on PATH; install git to use this command.', { cause: error });
  }
  return new ExternalError(`git ${args[0]} could not run (${typeof code === 'string' ? code : String((error as Error | undefined)?.message ?? error)}).`, { cause: error });
}

/** git refused a bare repository (one a clone committed): the InputError to throw, or null. */
export function bareRefusal(cwd: string, stderr: string): InputError | null {
  if (!/cannot use bare repository/.test(stderr)) return null;
  return new InputError(`${cwd} is a bare git repository that git will not use here (a folder holding HEAD, config, objects/ and refs/, as a repository can commit one); cos runs git only in a work tree, so run it at the top of your clone.`);
}

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
        env: gitEnvironment(options.env),
      },
      (error, stdout, stderr) => {
        if (error && typeof (error as NodeJS.ErrnoException).code === 'string') {
          const code = (error as NodeJS.ErrnoException).code;
          if (code !== undefined && !/^\d+$/.test(code)) {
            reject(gitNotRunning(args, error));
            return;
          }
        }
        const refused = bareRefusal(cwd, stderr);
        if (refused) {
          reject(refused);
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

/** How a module runs one git command: `tryGit` (execFile) or git/simple.ts's `runSimpleGit`. */
export type GitRunner = (cwd: string, args: string[], options?: GitOptions) => Promise<GitResult>;

/** Where the repository is, or an InputError when `root` is not inside a git work tree. */
export async function repoInfo(root: string, options: GitOptions = {}, run: GitRunner = tryGit): Promise<RepoInfo> {
  const result = await run(root, ['rev-parse', '--show-toplevel', '--path-format=absolute', '--git-common-dir', '--show-prefix'], options);
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
