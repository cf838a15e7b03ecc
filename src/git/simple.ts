/**
 * simple-git, the only importer: the git commands that change the repository for cos (the
 * commit of exactly some paths). Loaded only when a command commits (`--commit`, plan apply),
 * never on the start-up path of `cos post` or `cos status`.
 *
 * Used so that it never waits: simple-git 4 waits a fixed 50 ms after every git command that
 * prints nothing on stdout or stderr, so every command run here prints (`add --verbose`,
 * `rm --cached` without `-q`, `commit` without `-q`, `rev-parse HEAD`).
 * The environment is inherited whole: simple-git 4 strips ambient GIT_* variables unless they are
 * allowed, and a git hook (`cos guard pre-commit`) or a test identity needs them, so every key of
 * the environment given is allowed and passed, plus what cos needs for unattended runs
 * (no prompts, literal pathspecs, C locale for git's messages).
 * Paths go to git on stdin (`--pathspec-from-file=-`, NUL-separated), so thousands of archive
 * moves never hit the argument limit.
 */
import { simpleGit } from 'simple-git';
import type { GitResult } from './run.js';

export interface SimpleGitOptions {
  env?: NodeJS.ProcessEnv;
  /** Text written to git's stdin. */
  input?: string;
  /** Told, after each command, whether git printed anything (a silent one costs simple-git's 50 ms). */
  onRun?: (args: readonly string[], printed: boolean) => void;
}

/** Run one git command through simple-git; resolves with `code` 0 or 1 (git's complaint in `stderr`), never throws for git's own failure. */
export async function runSimpleGit(cwd: string, args: string[], options: SimpleGitOptions = {}): Promise<GitResult> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env ?? process.env)) if (value !== undefined) env[key] = value;
  Object.assign(env, { GIT_TERMINAL_PROMPT: '0', GIT_EDITOR: 'true', LC_ALL: 'C' });
  const input = options.input;
  const git = simpleGit({
    baseDir: cwd,
    // As every git cos runs (git/run.ts): a bare repository committed inside a clone is never
    // taken for the repository (its config could run commands: docs/security.md).
    config: ['safe.bareRepository=explicit'],
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
  try {
    const stdout = await git.raw(args);
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { code: 1, stdout: '', stderr: message };
  } finally {
    options.onRun?.(args, printed);
  }
}
