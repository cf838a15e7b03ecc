/**
 * What a `--json` command prints on stdout when it refuses or fails with a CosError, beside its
 * one sentence on stderr and its exit code: `{ "ok": false, "error": { "code", "exit_code",
 * "message" } }` (the command's printJson adds "version"), as `cos plan check --json` and
 * `cos plan apply --json` answer `"ok": false` with their problems. A preflight failure adds
 * `missing`. `code` is the error's typed kind when it has one, else the kind of its exit code.
 */
import { PreflightError, type CosError } from '../errors.js';

const KIND_OF_EXIT: Record<number, string> = { 1: 'invalid', 3: 'refused', 4: 'preflight', 5: 'external' };

export interface Refusal {
  ok: false;
  error: { code: string; exit_code: number; message: string; missing?: string[] };
}

export function refusalJson(error: CosError): Refusal {
  const typed = (error as { code?: unknown }).code;
  const code = typeof typed === 'string' ? typed : (KIND_OF_EXIT[error.exitCode] ?? 'error');
  return { ok: false, error: { code, exit_code: error.exitCode, message: error.message, ...(error instanceof PreflightError ? { missing: [...error.missing] } : {}) } };
}
