/** What every command receives: arguments, output channels and the clock, so tests can call it directly. */
import { repositoryRoots } from '../store/worktrees.js';
import { parseArgs } from 'node:util';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, type CosError } from '../errors.js';
import { visible } from '../output/visible.js';
import { findRoot } from '../store/paths.js';
import { parseArgsOptions, type Flags, type FlagValues } from './flags.js';
import { wholeNumber } from '../protocol/kinds.js';
import { checkLayout } from '../trust/layout.js';

export interface CommandContext {
  /** The command's name as typed (after alias resolution). */
  command: string;
  /** Arguments after the command name, global flags included. */
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: NodeJS.ReadableStream;
  isTTY: boolean;
  now: () => Date;
}

/**
 * What a command's operation needs besides its flag values. The CLI builds one from its context
 * (`operationIo`), the MCP server from its own; the operation never touches argv or stdout.
 */
export interface OperationIo {
  /** The repository root. */
  root: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  /** All of stdin as text (post's `--body-file -`). */
  readStdin: () => Promise<string>;
  /** A warning (a config key cos does not know, ...): stderr for the CLI, the log for MCP. */
  warn: (text: string) => void;
}

/** What an operation returns: the `--json` document (without `version`), its exit code, and data for the human text. */
export interface Outcome<T = undefined> {
  document: Record<string, unknown>;
  exitCode: number;
  data: T;
  /**
   * What failed after the operation's work was done and kept (post's `--commit` whose git commit
   * failed: the entry is written). The document then says so too (`"ok": false` and `"error"`,
   * output/refusal.ts) and `exitCode` is the failure's; each face shows the document AND the
   * failure's sentence (the CLI: stdout and stderr; MCP: an error result carrying the document).
   */
  failure?: CosError;
}

export function operationIo(context: CommandContext, root: string): OperationIo {
  return {
    root,
    cwd: context.cwd,
    env: context.env,
    now: context.now,
    readStdin: () => readStdin(context),
    // A warning may name repository files: it stays one line, its control characters escaped.
    warn: (text) => context.stderr(`cos ${context.command}: warning: ${visible(text, { oneLine: true })}\n`),
  };
}

export interface CommandModule {
  /** Usage text shown by `cos <command> --help`. */
  help: string;
  /** Returns the exit code (0 when omitted). Throws CosError for failures. */
  run(context: CommandContext): Promise<number | undefined>;
}

export interface ParsedCommand<V> {
  values: V;
  positionals: string[];
  /** The repository root: `--dir`, else the nearest ancestor holding `.agent/`, else the cwd. */
  root: string;
  json: boolean;
}

/** The sentence every project command gives outside a project. */
export const NO_PROJECT = 'No .agent/ here (or above); run cos init first.';

/**
 * Commands that work without a project: init creates one, setup/sync/cleanup/mcp do their own
 * thing, and hook/guard must stay silent in someone else's project (they check for themselves).
 */
export const OUTSIDE_PROJECT_OK: ReadonlySet<string> = new Set(['init', 'setup', 'sync', 'cleanup', 'mcp', 'hook', 'guard']);

/**
 * Parse a command's flags (plus the global `--dir`, `--json`) strictly: an unknown flag or a
 * missing value is one clear sentence and exit 1.
 */
export function parseCommand<const F extends Flags>(
  context: CommandContext,
  flags: F,
  { positionals: maxPositionals = 0 }: { positionals?: number } = {},
): ParsedCommand<FlagValues<F>> {
  let parsed;
  try {
    parsed = parseArgs({ args: context.argv, options: parseArgsOptions(flags), allowPositionals: true, strict: true });
  } catch (error) {
    // Node's messages run on ("To specify a positional argument…"): keep the first sentence.
    const message = (error as Error).message.split(/\.\s/)[0]!.replace(/\.?\s*$/, '');
    const ambiguous = /^Option '(--?[\w-]+)[^']*' argument is ambiguous/.exec(message);
    if (ambiguous) {
      throw new InputError(`The value of ${ambiguous[1]} starts with "-"; write it as ${ambiguous[1]}=<value>; see cos ${context.command} --help.`, { cause: error });
    }
    throw new InputError(`${message}; see cos ${context.command} --help.`, { cause: error });
  }
  if (parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals.slice(maxPositionals).map((p) => JSON.stringify(p)).join(' ');
    throw new InputError(`Unexpected argument ${extra}; see cos ${context.command} --help.`);
  }
  const values = parsed.values as Record<string, unknown>;
  const dir = values.dir as string | undefined;
  if (dir !== undefined && dir.trim() === '') throw new InputError(`--dir needs a directory.`);
  const root = dir !== undefined ? resolve(context.cwd, dir) : findRoot(context.cwd);
  // `cos init --dir new-folder` may create it; every other command needs a directory to read.
  if (dir !== undefined && context.command !== 'init' && !isDirectory(root)) {
    throw new InputError(`--dir ${JSON.stringify(dir)} is not a directory.`);
  }
  // Outside a project, a command that reads or writes the team's entries would report an empty
  // team as healthy (or leave a partial .agent/): say so instead (PRODUCT.md version 2). An
  // explicit --dir names the project: it is used as given.
  if (dir === undefined && !OUTSIDE_PROJECT_OK.has(context.command) && !inProject(root)) {
    throw new InputError(NO_PROJECT);
  }
  // Before any command reads or writes: cos's own folders must not lead out of the repository.
  // (Hooks check it themselves, in the repository their stdin names, and log instead of failing.)
  if (context.command !== 'hook') checkLayout(root);
  return { values: values as FlagValues<F>, positionals: parsed.positionals, root, json: values.json === true };
}

/** `.agent/` here, or in another worktree of the same repository (a fresh worktree has none yet). */
function inProject(root: string): boolean {
  if (isDirectory(resolve(root, '.agent'))) return true;
  return repositoryRoots(root).some((other) => isDirectory(resolve(other, '.agent')));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A whole number flag, or an InputError naming the flag and the value. */
export function intFlag(name: string, value: unknown, options: { min?: number } = {}): number | undefined {
  return value === undefined ? undefined : wholeNumber(name, value, options);
}

/** Print one JSON document with `"version": 1` first. */
export function printJson(context: CommandContext, document: Record<string, unknown>): void {
  context.stdout(`${JSON.stringify({ version: 1, ...document }, null, 2)}\n`);
}

/** Stdin is untrusted too (a hook's JSON, a piped body): never more than this is kept. */
export const MAX_STDIN_BYTES = 16 * 1024 * 1024;

/** The sentence for stdin past its bound (the CLI's refusal, and what a hook logs). */
export function stdinTooLong(maxBytes: number = MAX_STDIN_BYTES): string {
  return `Stdin is longer than ${maxBytes} bytes; cos reads at most that much.`;
}

/** Read all of stdin as text (for `--body-file -` and hook input), at most MAX_STDIN_BYTES. */
export async function readStdin(context: CommandContext, maxBytes = MAX_STDIN_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of context.stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > maxBytes) throw new InputError(stdinTooLong(maxBytes));
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
