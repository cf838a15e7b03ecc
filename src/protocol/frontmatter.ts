/**
 * The only module that touches the YAML engine (the `yaml` package, YAML 1.2 core schema).
 *
 * Splitting is ours and strict: the text (after an optional BOM) must open with a line that is
 * exactly `---` and the first line starting with `---` after it must be exactly `---`. A declared
 * language (`---js`, `--- javascript`, `---json`, `---coffee`, ...) is refused before anything
 * reads the block, so nothing in an entry is ever executed.
 *
 * Parsing the block has two paths. The fast path reads the flat `key: value` front matter that
 * cos itself writes, with a strict grammar whose every accepted line means the same as under
 * YAML 1.2 core (property-tested against `yaml`). Anything else (roles, skills, hand-edited or
 * foreign entries) goes through gray-matter, made safe in matter.ts, whose only engine is
 * `yaml`: core schema (timestamps stay strings, no code-executing or YAML 1.1 tags), no aliases
 * at all (billion laughs refused), duplicate keys refused, and the result must be a mapping.
 * gray-matter and `yaml` are loaded lazily and synchronously, so `cos post` and `cos status`
 * never pay for them when the files are cos's own.
 */
import { createRequire } from 'node:module';
import { readMatter } from './matter.js';

export type FrontmatterResult =
  | { ok: true; data: Record<string, unknown>; body: string }
  | { ok: false; reason: string };

/** Front matter longer than this is refused: nobody writes 64 KiB of status fields by hand. */
export const MAX_FRONTMATTER_CHARS = 64 * 1024;
const MAX_ALIASES = 50;

const require = createRequire(import.meta.url);
type YamlModule = typeof import('yaml');
let yamlModule: YamlModule | undefined;
function yaml(): YamlModule {
  yamlModule ??= require('yaml') as YamlModule;
  return yamlModule;
}

const STRINGIFY_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

/** Set an own property even when the key is `__proto__` (a plain key in YAML 1.2). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

// ---------------------------------------------------------------------------------------------
// Scalars of the fast path

const INT = /^-?(?:0|[1-9][0-9]{0,14})$/;
const FLOAT = /^-?(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const ENTRY_FILE = /^\d{3,}-[0-9A-Za-z._-]*\.md$/;
/** Letter-led words of `[A-Za-z0-9._/+-]` separated by single spaces: plain strings in YAML 1.2 core. */
const PLAIN = /^[A-Za-z][A-Za-z0-9._/+-]*(?: [A-Za-z0-9._/+-]+)*$/;
/** `~/x` and `/x` paths: plain strings in YAML 1.2 core (`~` alone is null). */
const PATH = /^~?\/[A-Za-z0-9._/+-]*$/;
/** Words that YAML 1.2 core reads as something other than a string. */
const RESERVED = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL']);
/** Keys the fast path reads and the writer writes bare. */
const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Characters written escaped inside double quotes (YAML would not keep them raw, or they hide). */
// eslint-disable-next-line no-control-regex
const ESCAPED = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/;

function isPlainSafe(value: string): boolean {
  if (RESERVED.has(value)) return false;
  return PLAIN.test(value) || TIMESTAMP.test(value) || ENTRY_FILE.test(value) || PATH.test(value);
}

function isBareKey(key: string): boolean {
  return KEY.test(key) && !RESERVED.has(key) && key !== '__proto__';
}

const NOT_PARSED = Symbol('not-parsed');

/** A scalar of the fast-path grammar, or NOT_PARSED when the full parser must decide. */
function readScalar(raw: string): unknown {
  if (raw === '' || raw === 'null' || raw === '~') return null;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw.charCodeAt(0) === 34 /* " */) {
    if (ESCAPED.test(raw)) return NOT_PARSED;
    try {
      const value: unknown = JSON.parse(raw);
      return typeof value === 'string' ? value : NOT_PARSED;
    } catch {
      return NOT_PARSED;
    }
  }
  if (INT.test(raw) || FLOAT.test(raw)) {
    const value = Number(raw);
    return Number.isSafeInteger(value) || !Number.isInteger(value) ? value : NOT_PARSED;
  }
  return isPlainSafe(raw) ? raw : NOT_PARSED;
}

/** YAML double-quoted is a superset of JSON strings; escape what YAML would not keep raw. */
function quote(value: string): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, (c) =>
    `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function writeScalar(value: unknown): string | null {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    const text = String(value);
    return INT.test(text) || FLOAT.test(text) ? text : null;
  }
  if (typeof value === 'string') return isPlainSafe(value) ? value : quote(value);
  return null;
}

// ---------------------------------------------------------------------------------------------
// Parsing

const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$/;

export interface FrontmatterSplit {
  /** The block between the delimiters, ending with the newline before the closing `---`. */
  front: string;
  body: string;
}

/**
 * Split `---\n…\n---\n` off the text (BOM already removed); a reason when it is not there.
 * `what` names the kind of file in that reason ("an entry", "a role file").
 */
export function splitFrontmatter(text: string, what = 'an entry'): FrontmatterSplit | { reason: string } {
  if (!text.startsWith('---')) {
    return { reason: `it has no YAML front matter (${what} must start with a "---" line)` };
  }
  const firstBreak = text.indexOf('\n');
  const opener = (firstBreak === -1 ? text : text.slice(0, firstBreak)).replace(/\r$/, '');
  if (opener.trimEnd() !== '---') {
    const language = opener.slice(3).trim();
    return {
      reason: `its front matter is declared as ${JSON.stringify(language)}; only YAML front matter is allowed and nothing in ${what} is ever executed`,
    };
  }
  if (firstBreak === -1) return { reason: 'its front matter is not closed by a "---" line' };
  const close = text.startsWith('---', firstBreak + 1) ? firstBreak : text.indexOf('\n---', firstBreak + 1);
  if (close === -1) return { reason: 'its front matter is not closed by a "---" line' };
  const front = text.slice(firstBreak + 1, close + 1);
  if (front.length > MAX_FRONTMATTER_CHARS) {
    return { reason: `its front matter is ${front.length} characters long (at most ${MAX_FRONTMATTER_CHARS})` };
  }
  const lineEnd = text.indexOf('\n', close + 1);
  const closer = (lineEnd === -1 ? text.slice(close + 1) : text.slice(close + 1, lineEnd)).replace(/\r$/, '');
  if (closer.trimEnd() !== '---') {
    return { reason: `its front matter is closed by ${JSON.stringify(closer)} instead of a "---" line` };
  }
  return { front, body: lineEnd === -1 ? '' : text.slice(lineEnd + 1) };
}

/**
 * The fast path: flat `key: scalar` lines only, in the grammar above. Null when any line is
 * outside it (the full parser decides then). Exported for the property test against `yaml`.
 */
export function fastParse(front: string): Record<string, unknown> | null {
  if (front.length === 0 || front.includes('\r')) return null;
  const data: Record<string, unknown> = {};
  const lines = front.split('\n');
  // `front` ends with the newline before the closing `---`: the last element is empty.
  const last = lines.length - 1;
  for (let i = 0; i < last; i++) {
    const match = KEY_LINE.exec(lines[i]!);
    if (!match) return null;
    const key = match[1]!;
    if (!isBareKey(key) || Object.hasOwn(data, key)) return null;
    const raw = match[2] ?? '';
    if (raw === '' && i + 1 < last && lines[i + 1]!.startsWith('  - ')) {
      // A block list of scalars, as cos writes `supersedes` and `resolves`.
      const items: unknown[] = [];
      while (i + 1 < last && lines[i + 1]!.startsWith('  - ')) {
        const item = readScalar(lines[++i]!.slice(4));
        if (item === NOT_PARSED) return null;
        items.push(item);
      }
      data[key] = items;
      continue;
    }
    const value = readScalar(raw);
    if (value === NOT_PARSED) return null;
    data[key] = value;
  }
  return data;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'invalid YAML';
}

/** `yaml`'s first error, with the key named when it is a duplicate (its own message does not say which). */
function yamlProblem(error: unknown, source: string): string {
  const message = firstLine(error);
  const { code, pos } = error as { code?: string; pos?: [number, number] };
  if (code !== 'DUPLICATE_KEY' || !Array.isArray(pos) || typeof pos[0] !== 'number') return message;
  const key = /^(?:"([^"\\\n]*)"|'([^'\n]*)'|([^\s"'#:][^:\n]*?))\s*:/.exec(source.slice(pos[0]));
  const name = key ? (key[1] ?? key[2] ?? key[3]) : undefined;
  if (name === undefined) return message;
  return `${message}: ${JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name)} appears twice`;
}

/**
 * `yaml` with every hardening: core schema, no YAML 1.1 tags (`!!timestamp` would make a Date,
 * `!!binary` a Buffer), an unknown tag refused rather than read as text, duplicate keys refused,
 * exactly one document, and at most `maxAliases` aliases (0: none at all, so no billion laughs
 * and no self-referencing structure).
 */
function parseHardened(source: string, maxAliases: number): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    const docs = yaml().parseAllDocuments(source, {
      schema: 'core',
      resolveKnownTags: false,
      uniqueKeys: true,
      prettyErrors: false,
      logLevel: 'silent',
    });
    if (docs.length === 0) return { ok: true, value: null };
    if (docs.length > 1) return { ok: false, reason: `it holds ${docs.length} YAML documents, not one` };
    const doc = docs[0]!;
    if (doc.errors.length > 0) return { ok: false, reason: yamlProblem(doc.errors[0], source) };
    if (doc.warnings.length > 0) return { ok: false, reason: firstLine(doc.warnings[0]) };
    return { ok: true, value: doc.toJS({ maxAliasCount: maxAliases }) };
  } catch (error) {
    return { ok: false, reason: firstLine(error) };
  }
}

class YamlFailure extends Error {}

/**
 * The front matter the fast path declines, through gray-matter (matter.ts) with the hardened
 * `yaml` parser as its only engine. The block goes back between plain `---` lines: it holds no
 * line starting with `---` (the splitter saw to that), so gray-matter ends it where we do.
 */
function fullParse(front: string): { ok: true; data: Record<string, unknown> } | { ok: false; reason: string } {
  // gray-matter reads a block of nothing but comments as {} without asking the engine: still empty.
  if (front.replace(/^\s*#[^\n]*/gm, '').trim() === '') return { ok: false, reason: 'its front matter is empty, not a mapping of fields' };
  let data: unknown;
  try {
    data = readMatter(`---\n${front}---\n`, (source) => {
      const parsed = parseHardened(source, 0);
      if (!parsed.ok) throw new YamlFailure(parsed.reason);
      return parsed.value;
    }).data;
  } catch (error) {
    return { ok: false, reason: `its front matter is not valid YAML (${error instanceof YamlFailure ? error.message : firstLine(error)})` };
  }
  if (data === null || data === undefined || typeof data !== 'object' || Array.isArray(data)) {
    const what = data === null || data === undefined ? 'empty' : Array.isArray(data) ? 'a list' : `a ${typeof data}`;
    return { ok: false, reason: `its front matter is ${what}, not a mapping of fields` };
  }
  return { ok: true, data: data as Record<string, unknown> };
}

/** Parse an entry's (or role's) text. Never throws: a bad file is a reason. */
export function parseFrontmatter(input: string, { what = 'an entry' }: { what?: string } = {}): FrontmatterResult {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const parts = splitFrontmatter(text, what);
  if ('reason' in parts) return { ok: false, reason: parts.reason };
  // CRLF files (git's autocrlf on Windows) take the fast path too: YAML reads CRLF as LF.
  const front = parts.front.includes('\r') ? parts.front.replace(/\r\n/g, '\n') : parts.front;
  const fast = fastParse(front);
  if (fast) return { ok: true, data: fast, body: parts.body };
  const full = fullParse(parts.front);
  if (!full.ok) return full;
  return { ok: true, data: full.data, body: parts.body };
}

// ---------------------------------------------------------------------------------------------
// Serializing

/** Front matter from ordered pairs (undefined values omitted), then the body, verbatim. */
export function stringifyFrontmatter(pairs: ReadonlyArray<readonly [string, unknown]>, body: string): string {
  let out = '---\n';
  for (const [key, value] of pairs) {
    if (value === undefined) continue;
    const scalar = isBareKey(key) ? writeScalar(value) : null;
    const list = isBareKey(key) && Array.isArray(value) && value.length > 0 ? value.map(writeScalar) : null;
    if (scalar !== null) {
      out += `${key}: ${scalar}\n`;
    } else if (list?.every((item) => item !== null)) {
      out += `${key}:\n${list.map((item) => `  - ${item}\n`).join('')}`;
    } else {
      const one: Record<string, unknown> = {};
      setOwn(one, key, value);
      out += yaml().stringify(one, STRINGIFY_OPTIONS);
    }
  }
  return `${out}---\n${body}`;
}

const BLOCK_KEY = /^( *)([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$/;

/**
 * The fast path for config files: blank lines, whole-line comments, `key: scalar` at the top and
 * one level of nested `key: scalar` lines under a `key:` line, at one indentation. Null for
 * anything else (the full parser decides then). Exported for the property test against `yaml`.
 */
export function fastParseBlock(source: string): Record<string, unknown> | null {
  if (source.includes('\r') || source.includes('\t') || source.startsWith('\ufeff')) return null;
  const data: Record<string, unknown> = {};
  let parent: Record<string, unknown> | null = null;
  let parentKey = '';
  let indent = 0;
  let keys = 0;
  for (const line of source.split('\n')) {
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const match = BLOCK_KEY.exec(line);
    if (!match) return null;
    const depth = match[1]!.length;
    const key = match[2]!;
    const raw = match[3] ?? '';
    if (!isBareKey(key)) return null;
    if (depth === 0) {
      if (parent && Object.keys(parent).length === 0) data[parentKey] = null;
      parent = null;
      if (Object.hasOwn(data, key)) return null;
      keys++;
      if (raw === '') {
        // A mapping if indented keys follow, else null (settled at the next top-level key or the end).
        parent = {};
        parentKey = key;
        indent = 0;
        data[key] = parent;
        continue;
      }
      const value = readScalar(raw);
      if (value === NOT_PARSED) return null;
      data[key] = value;
      continue;
    }
    if (!parent) return null;
    if (indent === 0) indent = depth;
    if (depth !== indent || Object.hasOwn(parent, key)) return null;
    const value = readScalar(raw);
    if (value === NOT_PARSED) return null;
    parent[key] = value;
  }
  if (parent && Object.keys(parent).length === 0) data[parentKey] = null;
  return keys === 0 ? null : data;
}

/** Parse a standalone YAML document (config files) with the same hardening. */
export function parseYaml(source: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  const fast = fastParseBlock(source);
  if (fast) return { ok: true, value: fast };
  return parseHardened(source, MAX_ALIASES);
}

export function stringifyYaml(value: unknown): string {
  return yaml().stringify(value, STRINGIFY_OPTIONS);
}
