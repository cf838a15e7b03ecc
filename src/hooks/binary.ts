/**
 * `cos hook <event>` as the binary runs it, on a path of its own: Claude Code runs the
 * pre-tool-use hook before every tool call, so its start-up is most of its cost. Compared with
 * the general CLI (src/cli.ts) it loads one file (build/bundle.mjs bundles this module and what it
 * reaches into dist/hook.js, lazily loaded work included, instead of the ~20 chunks the CLI path
 * loads), reads stdin with blocking reads of fd 0 and writes with one blocking write of fd 1 —
 * never creating process.stdin or process.stdout, whose streams cost more than the hook's own
 * work. Behaviour is the CLI's: same bound on stdin, same output (terminal controls escaped),
 * exit 0. Anything else (`--help`, an unknown event or flag) goes to the general CLI.
 */
import { fstatSync, readSync, writeSync } from 'node:fs';
import { MAX_STDIN_BYTES, stdinTooLong } from '../commands/context.js';
import { terminalText } from '../output/visible.js';
import { HOOK_EVENTS, runHook, STDIN_NOT_READ, type HookEvent } from './run.js';

/** Past the bound: what the hook logs (the general CLI path logs the same). */
const TOO_LONG = Symbol('too long');

/** The event and `--dir` of `hook <event> [--dir D]`, or null when the general CLI must handle the line. */
export function fastHookArgs(argv: readonly string[]): { event: HookEvent; dir?: string } | null {
  if (argv[0] !== 'hook' || !(HOOK_EVENTS as readonly string[]).includes(argv[1] ?? '')) return null;
  const event = argv[1] as HookEvent;
  const rest = argv.slice(2);
  if (rest.length === 0) return { event };
  if (rest.length === 2 && rest[0] === '--dir' && rest[1] !== '') return { event, dir: rest[1]! };
  if (rest.length === 1 && rest[0]!.startsWith('--dir=') && rest[0]!.length > 6) return { event, dir: rest[0]!.slice(6) };
  return null;
}

/** Stdin read to its end with blocking reads; TOO_LONG past the bound (the hook then logs so, naming it). */
async function readAllStdin(): Promise<string | typeof TOO_LONG> {
  // A terminal (or /dev/null) holds no hook JSON; node:tty would cost more than the check.
  if (isCharacterDevice(0)) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  const buffer = Buffer.allocUnsafe(64 * 1024);
  for (;;) {
    let read: number;
    try {
      read = readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EOF') break;
      // A non-blocking stdin (set so by whoever started us): read the rest as a stream.
      if (code === 'EAGAIN') return readRestAsStream(chunks, size);
      return '';
    }
    if (read === 0) break;
    size += read;
    if (size > MAX_STDIN_BYTES) return TOO_LONG;
    chunks.push(Buffer.from(buffer.subarray(0, read)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

function isCharacterDevice(fd: number): boolean {
  try {
    return fstatSync(fd).isCharacterDevice();
  } catch {
    return true; // no stdin at all
  }
}

async function readRestAsStream(chunks: Buffer[], size: number): Promise<string | typeof TOO_LONG> {
  for await (const chunk of process.stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_STDIN_BYTES) return TOO_LONG;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function writeOut(text: string): void {
  const bytes = Buffer.from(terminalText(text));
  let at = 0;
  while (at < bytes.length) {
    try {
      at += writeSync(1, bytes, at);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue; // a non-blocking pipe that is full: try again
      return; // the reader went away (EPIPE): nothing to tell it
    }
  }
}

/** Run the hook; the exit code is 0 whatever happened (a hook never breaks the agent's session). */
export async function runHookBinary(args: { event: HookEvent; dir?: string }): Promise<number> {
  const read = await readAllStdin();
  await runHook({
    event: args.event,
    stdin: read === TOO_LONG ? '' : read,
    ...(read === TOO_LONG ? { stdinProblem: `${STDIN_NOT_READ}${stdinTooLong()}` } : {}),
    env: process.env,
    cwd: process.cwd(),
    ...(args.dir !== undefined ? { dir: args.dir } : {}),
    now: new Date(),
    stdout: writeOut,
  });
  return 0;
}
