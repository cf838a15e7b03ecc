/**
 * The one way the guard runs git itself (guard/changed-files.ts, clean-files.ts, stash-files.ts,
 * git-config.ts): read-only commands, each started only on a rare path, never on the hook's fast
 * path. Every call gets the same options, so that it writes nothing to the repository and runs
 * nothing a repository or a remote could name:
 *
 * - `--no-optional-locks`: no index refresh written back (the callers use plumbing that never
 *   writes the index anyway: `git diff-index`, not the porcelain `git diff`);
 * - `-c core.fsmonitor=false`: no fsmonitor command; `-c safe.bareRepository=explicit` (cos's
 *   SAFE_CONFIG, git/run.ts): a committed folder that looks like a bare repository is not used;
 * - `GIT_NO_LAZY_FETCH=1` (git 2.45 and later) and `GIT_ALLOW_PROTOCOL` set to allow no protocol
 *   (every git): a partial clone asked for an object it lacks does not fetch it — no promisor
 *   remote's `uploadpack` command, no network — git answers as if the object were absent;
 * - `GIT_TERMINAL_PROMPT=0`, the C locale, stdin closed, stderr dropped, a 5 s timeout after which
 *   git is killed (SIGKILL): the caller then treats the answer as unknown and fails closed.
 *
 * What the calls still honour is the user's own configuration (`~/.gitconfig`, `.git/config`,
 * includes) for what it says about reading: `core.quotePath` (the callers ask for `-z` or unquote),
 * `safe.directory`, `core.trustctime`, and the like.
 */
import { execFileSync } from 'node:child_process';
import { SAFE_CONFIG } from '../git/run.js';

/** git's answer: its output on exit 0, its exit status otherwise; null when git did not answer (too slow, killed, not installed). */
export type GuardGitResult = { stdout: string; status: 0 } | { stdout: null; status: number } | null;

/** The options every git the guard runs is given, before the command's own (`-c` values in `config` after them). */
export function guardGitArgs(args: readonly string[], config: readonly string[] = []): string[] {
  return ['--no-optional-locks', '-c', SAFE_CONFIG, '-c', 'core.fsmonitor=false', ...config.flatMap((item) => ['-c', item]), ...args];
}

/** The environment every git the guard runs is given. */
export function guardGitEnv(): NodeJS.ProcessEnv {
  // An empty GIT_ALLOW_PROTOCOL is a list naming no protocol: git refuses every transport.
  return { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', GIT_NO_LAZY_FETCH: '1', GIT_ALLOW_PROTOCOL: '', GIT_OPTIONAL_LOCKS: '0' };
}

/** Run `git ARGS` in `cwd` as the guard does (see above). */
export function guardGit(cwd: string, args: readonly string[], config: readonly string[] = [], maxBuffer = 8 << 20): GuardGitResult {
  try {
    const stdout = execFileSync('git', guardGitArgs(args, config), { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000, killSignal: 'SIGKILL', maxBuffer, env: guardGitEnv() });
    return { stdout, status: 0 };
  } catch (error) {
    const status = (error as { status?: number | null }).status;
    return typeof status === 'number' ? { stdout: null, status } : null;
  }
}
