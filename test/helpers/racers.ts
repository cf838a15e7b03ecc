/**
 * Real processes for the concurrency tests, written once:
 * - `gatedCli`: the built CLI behind a start gate (test/helpers/start-gate.mjs). Each process loads
 *   the CLI, says "ready", and waits; `race` releases them all at once (through their stdin, or
 *   through a go-file when stdin carries the CLI's own input, as a hook's JSON does), so they race
 *   on the decision under test, not on start-up.
 * - `startWriter`: a child process posting entries through the built library
 *   (test/store/fixtures/writer.mjs), optionally SIGKILLed right after it reported its Nth entry.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLI } from './cli.js';

const GATE = fileURLToPath(new URL('./start-gate.mjs', import.meta.url));
const WRITER = fileURLToPath(new URL('../store/fixtures/writer.mjs', import.meta.url));

export interface RaceResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Racer {
  child: ChildProcess;
  /** Resolves once the process is loaded and waits at the gate (or has exited). */
  ready: Promise<void>;
  /** Lets this process through the gate. */
  release: () => void;
  done: Promise<RaceResult>;
}

export interface GateOptions {
  cwd?: string;
  /** Variables added to (or, when undefined, removed from) the test's environment. */
  env?: Record<string, string | undefined>;
  /** The CLI's stdin (a hook's JSON); the gate then waits for `goFile` to exist instead of stdin. */
  stdin?: { input: string; goFile: string };
}

/** `cos ...args` (the built CLI) as a real process held at the start gate until `race` releases it. */
export function gatedCli(args: string[], { cwd, env, stdin }: GateOptions = {}): Racer {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const [name, value] of Object.entries(env ?? {})) {
    if (value === undefined) delete childEnv[name];
    else childEnv[name] = value;
  }
  const child = spawn(process.execPath, [GATE, stdin?.goFile ?? '-', CLI, ...args], {
    ...(cwd !== undefined ? { cwd } : {}),
    stdio: ['pipe', 'pipe', 'pipe'],
    env: childEnv,
  });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    if (stderr.includes('ready\n')) markReady();
  });
  child.stdin!.on('error', () => {}); // the CLI may stop reading early
  if (stdin !== undefined) child.stdin!.end(stdin.input);
  const release = stdin !== undefined ? () => writeFileSync(stdin.goFile, 'go\n') : () => child.stdin!.end('go\n');
  const done = new Promise<RaceResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      markReady();
      resolve({ code: code ?? -1, stdout, stderr: stderr.replace('ready\n', '') });
    });
  });
  return { child, ready, release, done };
}

/** Wait until every racer is at the gate, release them together, and collect their results (in order). */
export async function race(racers: readonly Racer[]): Promise<RaceResult[]> {
  await Promise.all(racers.map((r) => r.ready));
  for (const r of racers) r.release();
  return Promise.all(racers.map((r) => r.done));
}

export interface Writer {
  agent: string;
  /** The file names it reported, one per entry written. */
  lines: string[];
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/**
 * A writer process posting `count` entries as `agent` (on `sprint`, default "load"), killed with
 * SIGKILL right after it reported its `killAfter`th entry — in the middle of writing the next one.
 */
export function startWriter(root: string, agent: string, count: number, { sprint, killAfter }: { sprint?: string; killAfter?: number } = {}): Writer {
  const child = spawn(process.execPath, [WRITER, root, agent, String(count), ...(sprint !== undefined ? [sprint] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buffered = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
    if (killAfter !== undefined && lines.length >= killAfter && child.exitCode === null && !child.killed) child.kill('SIGKILL');
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { agent, lines, done };
}
