/**
 * The kinds of value a protocol field (or a command flag) can hold, each with its rules written
 * once: what a reader accepts, what a writer accepts (and how it normalises the input), how a
 * CLI flag's text becomes the value, and the JSON-schema shape an MCP input takes. Pure.
 *
 * A reader is lenient where version-1 entries written by hand may differ (a `role` is any text on
 * read, a slug on write); a writer never writes what a reader would refuse.
 */
import { InputError } from '../errors.js';
import { parseEntryFileName } from './filename.js';
import { assertSlug, showValue, slugProblem } from './slug.js';
import { isTimestamp } from './time.js';

/**
 * NOTE (version 2) is a remark on a sprint: it holds nothing and changes no state (resolutions,
 * acknowledgements, approvals, human decisions, entries cos writes on its own behalf). Its kinds
 * stay open: a NOTE carries whatever fields its feature needs (`resolves`, `acknowledges`, and
 * later `needs_human`, `approves`, `lease`, `releases`), unknown ones kept as they are.
 */
export const STATUSES = ['DISPATCHED', 'IN_PROGRESS', 'BLOCKED', 'FAILED', 'COMPLETE', 'VERIFIED', 'NOTE'] as const;
/** An entry status: DISPATCHED, IN_PROGRESS, BLOCKED, FAILED, COMPLETE, VERIFIED or NOTE. */
export type Status = (typeof STATUSES)[number];

/** Entry severities, lowest first (INFO, WARN, URGENT, BLOCKER). */
export const SEVERITIES = ['INFO', 'WARN', 'URGENT', 'BLOCKER'] as const;
/** An entry severity: INFO, WARN, URGENT or BLOCKER. */
export type Severity = (typeof SEVERITIES)[number];

/** The longest ttl anyone may set: a year of minutes. */
export const MAX_TTL_MINUTES = 525_600;

/** How an MCP input of this kind is described (mcp/schema.ts turns it into zod). */
export type InputShape =
  | { type: 'slug' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'integer'; min: number; max?: number }
  | { type: 'number'; min: number }
  | { type: 'text' }
  | { type: 'texts' }
  | { type: 'boolean' };

/** A kind of field value with its rules written once: read, write, flag parsing and MCP input. */
export interface Kind<T = unknown> {
  /** Why a value read from a file breaks the rule (completing "<field> ..."), or undefined. */
  read(value: unknown): string | undefined;
  /** Check and normalise an input value; throws InputError naming `name`. */
  write(value: unknown, name: string): T;
  /** Turn a CLI flag's text into an input value; throws InputError naming `--flag`. */
  fromFlag(text: string, flag: string): unknown;
  /** A repeatable CLI flag (`--resolves A --resolves B`). */
  multiple?: boolean;
  /** An input that is empty text leaves the field out. */
  emptyIsAbsent?: boolean;
  input: InputShape;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f]/;

const same = (text: string): string => text;
const show = (value: unknown): string => JSON.stringify(value);

/** The last segment of a path (`/` or `\\`): entries store the bare file name. */
export function baseName(value: string): string {
  return value.split(/[\\/]/).pop() ?? value;
}

function entryFile(value: unknown, name: string): string {
  const file = typeof value === 'string' ? baseName(value) : value;
  if (typeof file !== 'string' || !parseEntryFileName(file)) {
    throw new InputError(`Invalid ${name} ${showValue(value)}: it must be an entry file name such as "001-2026-01-14T03-45-00Z-developer.md".`);
  }
  return file;
}

function oneOf<T extends string>(values: readonly T[]): Kind<T> {
  return {
    read: (value) => (values.includes(value as T) ? undefined : `${show(value)} is not one of ${values.join(', ')}`),
    write(value, name) {
      const upper = String(value ?? '').toUpperCase();
      if (!values.includes(upper as T)) throw new InputError(`Invalid ${name} ${showValue(value)}: use one of ${values.join(', ')}.`);
      return upper as T;
    },
    fromFlag: same,
    input: { type: 'enum', values },
  };
}

function text(control: RegExp, lines: boolean): Kind<string> {
  return {
    read: (value) => (typeof value === 'string' ? undefined : `must be text, not ${show(value)}`),
    write(value, name) {
      if (typeof value !== 'string') throw new InputError(`Invalid ${name} ${showValue(value)}: it must be text.`);
      if (control.test(value)) throw new InputError(`Invalid ${name} ${showValue(value)}: it contains a control character${lines ? '' : ' or a line break'}.`);
      return value;
    },
    fromFlag: same,
    emptyIsAbsent: true,
    input: { type: 'text' },
  };
}

/** A whole number of minutes, 1 to MAX_TTL_MINUTES. */
export function minutesProblem(value: unknown): boolean {
  return typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > MAX_TTL_MINUTES;
}

const KIND_TABLE = {
  /** An ISO 8601 time with a zone; cos writes UTC with whole seconds. */
  time: {
    read: (value) => (isTimestamp(value) ? undefined : `${show(value)} is not an ISO 8601 time with a zone (e.g. 2026-01-14T04:30:00Z)`),
    write(value, name) {
      if (!isTimestamp(value)) throw new InputError(`Invalid ${name} ${showValue(value)}: give an ISO 8601 time with a zone (e.g. 2026-01-14T04:30:00Z).`);
      return value;
    },
    fromFlag: same,
    input: { type: 'text' },
  } satisfies Kind<string>,
  /** `[a-z0-9][a-z0-9._-]*`, at most 64 characters: safe in paths and file names. */
  slug: {
    read(value) {
      const problem = slugProblem(value);
      return problem ? `${show(value)} is not a valid name: ${problem}` : undefined;
    },
    write: (value, name) => assertSlug(name, value),
    fromFlag: same,
    input: { type: 'slug' },
  } satisfies Kind<string>,
  /** Any text on read (hand-written version-1 entries), a slug on write. */
  name: {
    read: (value) => (typeof value === 'string' ? undefined : `must be text, not ${show(value)}`),
    write: (value, name) => assertSlug(name, value),
    fromFlag: same,
    input: { type: 'slug' },
  } satisfies Kind<string>,
  status: oneOf(STATUSES),
  severity: oneOf(SEVERITIES),
  /** Minutes of a ttl: a whole number from 1 to 525600 (a year), on read and on write. */
  minutes: {
    read: (value) => (minutesProblem(value) ? `${show(value)} is not a whole number of minutes between 1 and ${MAX_TTL_MINUTES}` : undefined),
    write(value, name) {
      if (minutesProblem(value)) throw new InputError(`Invalid ${name} ${showValue(value)}: give a whole number of minutes between 1 and ${MAX_TTL_MINUTES}.`);
      return value as number;
    },
    fromFlag: (text, flag) => wholeNumber(flag, text),
    input: { type: 'integer', min: 1, max: MAX_TTL_MINUTES },
  } satisfies Kind<number>,
  /** One line of text: no control characters, no line breaks. Empty input leaves the field out. */
  line: text(CONTROL, false),
  /** Text that may span lines (a failure signature); other control characters are refused. */
  text: text(CONTROL_EXCEPT_LINES, true),
  /** An entry's file name; a path is accepted on input and stored as its file name. */
  file: {
    read: (value) => (typeof value === 'string' ? undefined : `must be text, not ${show(value)}`),
    write: entryFile,
    fromFlag: same,
    input: { type: 'text' },
  } satisfies Kind<string>,
  /** One entry file name or a list of them. */
  files: {
    read: (value) => (typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string')) ? undefined : 'must be a file name or a list of file names'),
    write(value, name) {
      if (Array.isArray(value)) return value.map((item) => entryFile(item, name));
      return entryFile(value, name);
    },
    fromFlag: same,
    multiple: true,
    input: { type: 'texts' },
  } satisfies Kind<string | string[]>,
  /** Repository-relative path globs (leases): a non-empty list of one-line, non-empty texts. */
  globs: {
    read: (value) => (Array.isArray(value) && value.every((item) => typeof item === 'string' && item !== '') ? undefined : 'must be a list of path patterns'),
    write(value, name) {
      if (!Array.isArray(value) || value.length === 0 || value.some((item) => typeof item !== 'string' || item.trim() === '' || CONTROL.test(item))) {
        throw new InputError(`Invalid ${name} ${showValue(value)}: give a list of path patterns such as ["src/api/**"].`);
      }
      return [...value] as string[];
    },
    fromFlag: same,
    multiple: true,
    input: { type: 'texts' },
  } satisfies Kind<string[]>,
  /** US dollars: a finite, non-negative number. */
  usd: {
    read: (value) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? undefined : `${show(value)} is not a non-negative number`),
    write(value, name) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new InputError(`Invalid ${name} ${showValue(value)}: give a non-negative number of US dollars.`);
      return value;
    },
    fromFlag(text, flag) {
      const value = Number(text);
      if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new InputError(`Invalid --${flag} ${JSON.stringify(text)}: give a non-negative number of US dollars.`);
      return value;
    },
    input: { type: 'number', min: 0 },
  } satisfies Kind<number>,
} satisfies Record<string, Kind>;

/** The name of a field kind (a key of KINDS). */
export type KindName = keyof typeof KIND_TABLE;
/** The kinds whose CLI flag is repeatable. */
export type MultipleKind = { [K in KindName]: (typeof KIND_TABLE)[K] extends { multiple: true } ? K : never }[KindName];

/** Every kind, by name. A field or flag names its kind; the rules live only here. */
export const KINDS: Readonly<Record<KindName, Kind>> = KIND_TABLE;

/** The value type each kind holds. */
export interface KindValues {
  time: string;
  slug: string;
  name: string;
  status: Status;
  severity: Severity;
  minutes: number;
  line: string;
  text: string;
  file: string;
  files: string | string[];
  globs: string[];
  usd: number;
}

/** A whole number flag, or an InputError naming the flag and the value. */
export function wholeNumber(flag: string, value: unknown, { min = 1 }: { min?: number } = {}): number {
  const text = String(value);
  const n = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new InputError(`Invalid --${flag} ${JSON.stringify(text)}: give a whole number of at least ${min}.`);
  }
  return n;
}
