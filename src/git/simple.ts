/**
 * simple-git, its only importer: the git that cos runs for commits (git/commit.ts), reviews of the
 * coordination changes in every worktree (git/review.ts, `cos review`) and claims on a remote
 * (git/claim-ref.ts, `cos dispatch --remote` and the claim's heartbeats and release). Loaded
 * (dynamic import) only when one of those runs, never on the start-up path of `cos post` or
 * `cos status`. What stays on execFile (git/run.ts) and why is said there.
 *
 * Never waiting: simple-git 4 waits a fixed 50 ms after every git command that printed nothing
 * on stdout or stderr. So every command run here prints: most do by nature (`add --verbose`,
 * `rm --cached` without `-q`, `commit` without `-q`, `rev-parse --verify` without `--quiet`, which
 * prints the object or git's complaint, `push --porcelain`, `cat-file`, `mktree`). A command that
 * can succeed printing nothing (a `diff` with no change, `ls-files` of nothing, `ls-remote` of no
 * ref, `fetch --quiet`, `rev-list` with no match) is run with `silentOk`: git's own trace
 * (`GIT_TRACE=2`) then writes its first line to stderr as git starts, and those trace lines are
 * dropped from what is returned (a GIT_TRACE of the user's own is replaced for those commands). `onRun` tells, per command, whether git printed (the tests
 * check that none is silent).
 *
 * Hardened as every git cos runs (git/run.ts): `-c safe.bareRepository=explicit`, no prompts
 * (GIT_TERMINAL_PROMPT=0, GIT_EDITOR=true), C locale for git's messages, a bare repository
 * committed in a clone refused with one sentence, git missing from PATH an ExternalError. The
 * environment is otherwise inherited whole: simple-git 4 strips ambient GIT_* variables unless
 * they are allowed, and a git hook (`cos guard pre-commit`) or a test identity needs them, so
 * every key of the environment given is allowed and passed. Paths go to git on stdin
 * (`--pathspec-from-file=-`, NUL-separated), so thousands of archive moves never hit the
 * argument limit.
 */
import { simpleGit } from 'simple-git';
import { bareRefusal, gitEnvironment, gitNotRunning, SAFE_CONFIG, type GitResult } from './run.js';

export interface SimpleGitOptions {
  env?: NodeJS.ProcessEnv;
  /** Text written to git's stdin. */
  input?: string;
  /** The command can succeed printing nothing: make git trace to stderr so simple-git never waits. */
  silentOk?: boolean;
  /** Told, after each command, whether git printed anything (a silent one costs simple-git's 50 ms). */
  onRun?: (args: readonly string[], printed: boolean) => void;
}

const observers = new Set<(args: readonly string[], printed: boolean) => void>();

/**
 * Be told about every git command run through simple-git in this process, and whether it printed
 * (diagnostics: the tests check that none of commit, review or claim is silent). Returns the
 * function that stops it.
 */
export function observeSimpleGit(observer: (args: readonly string[], printed: boolean) => void): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

/** A line git's GIT_TRACE writes: `12:34:56.123456 git.c:460   trace: built-in: git …`. */
const TRACE_LINE = /^\d{2}:\d{2}:\d{2}\.\d{6} \S+:\d+ +trace: .*(?:\n|$)/gm;

/**
 * Run one git command through simple-git; resolves with git's exit code, stdout and stderr (never
 * throws for git's own failure). Throws ExternalError when git cannot run, InputError for a bare
 * repository git refuses (as git/run.ts's tryGit).
 */
export async function runSimpleGit(cwd: string, args: string[], options: SimpleGitOptions = {}): Promise<GitResult> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(gitEnvironment(options.env))) if (value !== undefined) env[key] = value;
  if (options.silentOk) env.GIT_TRACE = '2';
  const input = options.input;
  let outcome: GitResult | undefined;
  const git = simpleGit({
    baseDir: cwd,
    config: [SAFE_CONFIG],
    allowEnvironment: Object.keys(env),
    // The environment is the user's own (EDITOR, PAGER, GIT_ASKPASS, GIT_CONFIG_* ...), not the
    // repository's; the arguments are cos's own (no -c, no user text but NUL-separated paths on
    // stdin). simple-git's argument checks stay on; only its refusal of such variables is lifted.
    unsafe: {
      allowUnsafeEditor: true,
      allowUnsafePager: true,
      allowUnsafeAskPass: true,
      allowUnsafeConfigPaths: true,
      allowUnsafeConfigEnvCount: true,
      allowUnsafeCredentialHelper: true,
    },
    // Called after every run, success or not: keep git's exit code and both streams, and turn
    // git's own failure into a result rather than a rejection (a spawn error stays one).
    errors(error, result) {
      const stderr = Buffer.concat(result.stdErr).toString('utf8');
      // Trace lines are dropped whoever asked for them (silentOk, or a GIT_TRACE of the user's own).
      outcome = { code: result.exitCode, stdout: Buffer.concat(result.stdOut).toString('utf8'), stderr: stderr.replace(TRACE_LINE, '') };
      return result.exitCode >= 0 ? undefined : error;
    },
    ...(input !== undefined ? { input: () => input } : {}),
  }).env(env);
  let printed = false;
  git.outputHandler((_command, stdout, stderr) => {
    const seen = () => {
      printed = true;
    };
    stdout.once('data', seen);
    stderr.once('data', seen);
  });
  let stdout: string;
  try {
    stdout = await git.raw(args);
  } catch (error) {
    throw gitNotRunning(args, error);
  } finally {
    options.onRun?.(args, printed);
    for (const observer of observers) observer(args, printed);
  }
  const result = outcome ?? { code: 0, stdout, stderr: '' };
  const refused = bareRefusal(cwd, result.stderr);
  if (refused) throw refused;
  return result;
}
