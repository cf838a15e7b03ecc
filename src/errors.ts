import { mkdirSync } from 'node:fs';

/**
 * Errors that carry their exit code. Library code throws these; only the CLI entry turns them
 * into a message on stderr and a process exit code (PRODUCT.md, "Exit codes").
 */
export const EXIT = {
  ok: 0,
  usage: 1,
  findings: 2,
  refused: 3,
  preflight: 4,
  external: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CosError extends Error {
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Bad usage or bad input (exit 1): a flag, a slug, a file that cannot be used. */
export class InputError extends CosError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT.usage, options);
  }
}

/** Refused: a dispatch conflict, an open escalation, another watcher running (exit 3). */
export class RefusedError extends CosError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT.refused, options);
  }
}

/** A preflight check failed (exit 4). `missing` lists every item that is not there. */
export class PreflightError extends CosError {
  readonly missing: string[];
  constructor(message: string, missing: string[]) {
    super(message, EXIT.preflight);
    this.missing = missing;
  }
}

/** An external service (Notion, git) failed; nothing was lost locally (exit 5). */
export class ExternalError extends CosError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT.external, options);
  }
}

export function isCosError(error: unknown): error is CosError {
  return error instanceof CosError;
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
