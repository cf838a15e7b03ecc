import { mkdirSync } from 'node:fs';

/**
 * Errors that carry a `code` (the kind of refusal) and the exit code that kind maps to. Library
 * code throws these; control flow looks at `code` — never at an exit number or a message's words.
 * Only the CLI entry turns them into a message on stderr and a process exit code (PRODUCT.md,
 * "Exit codes"); the MCP server turns them into a tool result with `isError`.
 *
 * How to add a kind: add it to ERROR_CODES with its exit code and a line saying when it is used,
 * then throw `new InputError(message, { code: 'the-kind' })` (or the class of its exit code).
 */
export const EXIT = {
  ok: 0,
  usage: 1,
  findings: 2,
  refused: 3,
  preflight: 4,
  external: 5,
} as const;

/** An exit code of the cos commands (EXIT). */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Every kind of failure, and the exit code it maps to. */
export const ERROR_CODES = {
  /** Bad usage or a bad value: a flag, an argument, a slug, a file that cannot be used. */
  invalid: EXIT.usage,
  /** Something named does not exist: an entry, a role, an agent's open entry, a git ref. */
  'not-found': EXIT.usage,
  /** A lock stayed taken by another process for longer than the wait. */
  locked: EXIT.usage,
  /** A dispatch conflict: the sprint is held by another agent. */
  conflict: EXIT.refused,
  /** Refused by the chief of staff's rules: an open escalation, a repeated failure, the attempt cap. */
  escalation: EXIT.refused,
  /** A plan step whose dependencies are not finished yet. */
  waiting: EXIT.refused,
  /** Another process does this job right now (a second cos watch, a concurrent Notion sync). */
  busy: EXIT.refused,
  /** A preflight check failed. */
  preflight: EXIT.preflight,
  /** An external service (Notion, git) failed; nothing was lost locally. */
  external: EXIT.external,
} as const satisfies Record<string, ExitCode>;

/** The code of a CosError: the kind of refusal (`invalid`, `conflict`, `not-found` ...). */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Options of a CosError: its code (the kind of refusal) and its cause. */
export interface CosErrorOptions {
  cause?: unknown;
  /** The kind of failure, when it is more specific than the class's default. */
  code?: ErrorCode;
}

/**
 * A failure's message: one sentence, or a list of lines when cos itself lists several problems
 * (every bad key of a config file, every problem of a plan), one per line.
 */
export type ErrorMessage = string | readonly string[];

/** A failure cos explains in one sentence; `code` says what kind, `exitCode` follows from it. */
export class CosError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: ExitCode;
  /**
   * The message's lines as cos means them: `[message]` for one sentence. A line break inside a
   * line came from the text it quotes (a file name, an entry's field): the CLI shows it escaped,
   * so a quoted value can never forge a line of the error (command-run.ts). `message` is these
   * lines joined by line breaks.
   */
  readonly lines: readonly string[];
  constructor(message: ErrorMessage, code: ErrorCode, options?: { cause?: unknown }) {
    const lines = typeof message === 'string' ? [message] : [...message];
    super(lines.join('\n'), options);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = ERROR_CODES[code];
    this.lines = lines;
  }
}

/** Bad usage or bad input (exit 1): `invalid` unless a more specific code is given. */
export class InputError extends CosError {
  constructor(message: ErrorMessage, options: CosErrorOptions = {}) {
    super(message, options.code ?? 'invalid', options);
  }
}

/** Refused (exit 3): a dispatch conflict (default), an open escalation, another watcher running. */
export class RefusedError extends CosError {
  constructor(message: string, options: CosErrorOptions = {}) {
    super(message, options.code ?? 'conflict', options);
  }
}

/** A preflight check failed (exit 4). `missing` lists every item that is not there. */
export class PreflightError extends CosError {
  readonly missing: string[];
  constructor(message: string, missing: string[]) {
    super(message, 'preflight');
    this.missing = missing;
  }
}

/** An external service (Notion, git) failed; nothing was lost locally (exit 5). */
export class ExternalError extends CosError {
  constructor(message: string, options: CosErrorOptions = {}) {
    super(message, options.code ?? 'external', options);
  }
}

/** Whether `error` is a CosError, and (when given) of one of these codes. */
export function isCosError(error: unknown, ...codes: ErrorCode[]): error is CosError {
  return error instanceof CosError && (codes.length === 0 || codes.includes(error.code));
}

/**
 * The one sentence a face (the CLI's stderr, an MCP tool's error) shows for a failure of
 * `cos <command>`, and the exit code it maps to. An error that is not a CosError is a bug or a
 * file system problem, said so.
 */
export function describeFailure(command: string, error: unknown): { message: string; exitCode: ExitCode } {
  if (isCosError(error)) return { message: `cos ${command}: ${error.message}`, exitCode: error.exitCode };
  const err = error as NodeJS.ErrnoException | undefined;
  const detail = err?.code ? `${err.code}: ${err.message}` : String(err?.message ?? err);
  return { message: `cos ${command}: unexpected error (${detail}); this is a bug in cos or a problem with the file system.`, exitCode: EXIT.usage };
}

/** Why a file operation failed, in words rather than an errno code (for one-sentence errors). */
export function fsProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a folder on its path is a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EEXIST':
      return 'a file is in the way';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EROFS':
      return 'the file system is read-only';
    default:
      return code ?? (error instanceof Error ? error.message : String(error));
  }
}

/**
 * `mkdir -p` that turns "a file is where a folder must be" (EEXIST, ENOTDIR) into one sentence
 * naming the folder, instead of an unexpected error.
 */
export function makeDirectory(path: string, shown: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new InputError(`Cannot create the folder ${shown}: it, or a folder above it, is a file; move that file aside and try again.`, { cause: error });
    }
    throw error;
  }
}
