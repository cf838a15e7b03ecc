/** Run the built CLI (dist/cli.js) as a real child process, or in-process through main(). */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { main } from '../../src/cli.js';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Spawn `node dist/cli.js ...args` (run `npm run build` first; `npm test` does). The environment
 * is `baseEnv` (default: this process's) with NO_COLOR and `env` on top.
 */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; baseEnv?: NodeJS.ProcessEnv; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: { ...(options.baseEnv ?? process.env), NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    // The CLI may stop reading stdin early (a bound, a refusal): no EPIPE surfaces.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/**
 * Spawn `node dist/cli.js ...args` with its stdout closed at once, before the child (still
 * starting Node) writes anything: a reader that goes away (`cos status | head -0`).
 */
export function runCliIntoClosedPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

/** Call the CLI's main() in this process with captured output: fast, for behaviour tests. */
export async function cos(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; now?: Date | (() => Date) } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const now = options.now;
  const code = await main(args, {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    stdin: Readable.from([options.input ?? '']),
    isTTY: false,
    ...(now ? { now: typeof now === 'function' ? now : () => now } : {}),
  });
  return { code, stdout, stderr };
}
