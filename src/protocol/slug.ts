import { InputError } from '../errors.js';

/**
 * Sprint and agent names: safe as path segments and file-name parts. Beyond the pattern,
 * slugProblem refuses a name ending in `.lock` or `.tmp`: cos's own ignore patterns
 * (`status/**\/*.lock/` in .agent/.gitignore, the watcher skipping lock folders) would hide
 * `status/archive/<sprint>/` from git and from cos watch.
 */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
export const SLUG_MAX = 64;

/** Why `value` is not a slug, or null when it is one. */
export function slugProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'it is not a string';
  // The common case first: the pattern excludes control characters and separators.
  if (value.length <= SLUG_MAX && SLUG_PATTERN.test(value) && !value.endsWith('.lock') && !value.endsWith('.tmp')) return null;
  if (value.length === 0) return 'it is empty';
  if (value.length > SLUG_MAX) return `it is ${value.length} characters long (at most ${SLUG_MAX})`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'it contains a control character';
  if (value.includes('/') || value.includes('\\')) return 'it contains a path separator';
  if (/\.(?:lock|tmp)$/.test(value)) return `it ends in "${value.slice(value.lastIndexOf('.'))}", which cos keeps for its own lock and temp files`;
  if (!SLUG_PATTERN.test(value)) return 'it must match [a-z0-9][a-z0-9._-]* (lower-case letters, digits, ".", "_", "-")';
  return null;
}

/** Print a value for an error message without letting it break the line or hide characters. */
export function showValue(value: unknown): string {
  return JSON.stringify(typeof value === 'string' ? value : String(value));
}

/** A valid name of this kind, for error messages: an agent is not called "results-wiring-v1". */
export function slugExample(kind: string): string {
  return kind === 'sprint' ? 'results-wiring-v1' : 'developer';
}

/** The value if it is a slug, else an InputError naming `kind` and the problem. */
export function assertSlug(kind: string, value: unknown): string {
  const problem = slugProblem(value);
  if (problem) {
    throw new InputError(`Invalid ${kind} ${showValue(value)}: ${problem}; for example "${slugExample(kind)}".`);
  }
  return value as string;
}
