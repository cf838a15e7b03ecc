/**
 * The only module that touches gray-matter and yaml.
 *
 * Parsing has two paths. The fast path reads the flat `key: value` front matter that cos itself
 * writes, with a strict grammar whose every accepted line means the same under YAML 1.2 core
 * (property-tested against `yaml`). Anything else goes to the full parser: gray-matter with the
 * `yaml` package as its engine, hardened — front matter in any language but YAML is refused and
 * never executed (gray-matter would `eval` `---js`), aliases are capped, duplicate keys refused,
 * timestamps stay strings. Both libraries are loaded lazily and synchronously, so the start-up of
 * `cos post` and `cos status` never pays for them when the files are cos's own.
 */
import { createRequire } from 'node:module';

export type FrontmatterResult =
  | { ok: true; data: Record<string, unknown>; body: string }
  | { ok: false; reason: string };

/** Front matter larger than this is refused: nobody writes 64 KiB of status fields by hand. */
export const MAX_FRONTMATTER_BYTES = 64 * 1024;
const MAX_ALIASES = 50;

const require = createRequire(import.meta.url);
type YamlModule = typeof import('yaml');
let yamlModule: YamlModule | undefined;
function yaml(): YamlModule {
  yamlModule ??= require('yaml') as YamlModule;
  return yamlModule;
}

// ---------------------------------------------------------------------------------------------
// Scalars

const INT = /^-?(?:0|[1-9][0-9]{0,14})$/;
const FLOAT = /^-?(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const ENTRY_FILE = /^\d{3,}-[0-9A-Za-z._-]*\.md$/;
/** Letter-led words of `[A-Za-z0-9._/+-]` separated by single spaces: plain strings in YAML 1.2 core. */
const PLAIN = /^[A-Za-z][A-Za-z0-9._/+-]*(?: [A-Za-z0-9._/+-]+)*$/;
/** Words that YAML 1.2 core reads as something other than a string. */
const RESERVED = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL']);

function isPlainSafe(value: string): boolean {
  if (RESERVED.has(value)) return false;
  return PLAIN.test(value) || TIMESTAMP.test(value) || ENTRY_FILE.test(value);
}

const NOT_PARSED = Symbol('not-parsed');

/** A scalar of the fast-path grammar, or NOT_PARSED when the full parser must decide. */
function readScalar(raw: string): unknown {
  if (raw === '' || raw === 'null' || raw === '~') return null;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw.charCodeAt(0) === 34 /* " */) {
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

/** YAML double-quoted is a superset of JSON strings; escape what YAML would not accept raw. */
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

/** Split `---\n…\n---\n` off the text; null if the text has no closed front matter block. */
function split(text: string): { front: string; body: string } | { reason: string } {
  if (!text.startsWith('---')) {
    return { reason: 'it has no YAML front matter (an entry must start with a "---" line)' };
  }
  const firstBreak = text.indexOf('\n');
  const opener = (firstBreak === -1 ? text : text.slice(0, firstBreak)).replace(/\r$/, '');
  if (opener.trim() !== '---') {
    const language = opener.slice(3).trim();
    return { reason: `its front matter is declared as ${JSON.stringify(language)}; only YAML front matter is allowed and nothing in an entry is ever executed` };
  }
  if (firstBreak === -1) return { reason: 'its front matter is not closed by a "---" line' };
  const close = text.indexOf('\n---', firstBreak);
  if (close === -1) return { reason: 'its front matter is not closed by a "---" line' };
  const front = text.slice(firstBreak + 1, close + 1);
  if (front.length > MAX_FRONTMATTER_BYTES) {
    return { reason: `its front matter is ${front.length} bytes long (at most ${MAX_FRONTMATTER_BYTES})` };
  }
  const lineEnd = text.indexOf('\n', close + 1);
  const closer = (lineEnd === -1 ? text.slice(close + 1) : text.slice(close + 1, lineEnd)).replace(/\r$/, '');
  if (closer !== '---') return { reason: `its front matter is closed by ${JSON.stringify(closer)} instead of a "---" line` };
  return { front, body: lineEnd === -1 ? '' : text.slice(lineEnd + 1) };
}

function fastParse(front: string): Record<string, unknown> | null {
  if (front.includes('\r')) return null;
  const data: Record<string, unknown> = {};
  const lines = front.split('\n');
  // `front` ends with the newline before the closing `---`.
  for (let i = 0; i < lines.length - 1; i++) {
    const match = KEY_LINE.exec(lines[i]!);
    if (!match) return null;
    const key = match[1]!;
    if (Object.prototype.hasOwnProperty.call(data, key)) return null;
    const value = readScalar(match[2] ?? '');
    if (value === NOT_PARSED) return null;
    data[key] = value;
  }
  return data;
}

function refuseLanguage(name: string) {
  return () => {
    throw new Error(`front matter in ${name} is refused; only YAML is allowed`);
  };
}

function fullParse(text: string): FrontmatterResult {
  type Matter = (input: string, options: object) => { data: unknown; content: string };
  const matter = require('gray-matter') as Matter;
  const YAML = yaml();
  const refuse = (name: string) => ({ parse: refuseLanguage(name), stringify: refuseLanguage(name) });
  try {
    const file = matter(text, {
      language: 'yaml',
      excerpt: false,
      engines: {
        // The yaml engine receives gray-matter's options as its second argument: wrap the call.
        yaml: {
          parse: (source: string) =>
            YAML.parse(source, { schema: 'core', maxAliasCount: MAX_ALIASES, uniqueKeys: true, prettyErrors: false }),
          stringify: refuseLanguage('yaml'),
        },
        javascript: refuse('javascript'),
        js: refuse('js'),
        json: refuse('json'),
        coffee: refuse('coffee'),
        coffeescript: refuse('coffeescript'),
        cson: refuse('cson'),
        toml: refuse('toml'),
      },
    });
    const data = file.data;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      const what = data === null ? 'empty' : Array.isArray(data) ? 'a list' : `a ${typeof data}`;
      return { ok: false, reason: `its front matter is ${what}, not a mapping of fields` };
    }
    return { ok: true, data: data as Record<string, unknown>, body: file.content };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, reason: `its front matter is not valid YAML (${message})` };
  }
}

/** Parse an entry's text. Never throws: a bad file is a reason. */
export function parseFrontmatter(input: string): FrontmatterResult {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const parts = split(text);
  if ('reason' in parts) return { ok: false, reason: parts.reason };
  const fast = fastParse(parts.front);
  if (fast) return { ok: true, data: fast, body: parts.body };
  const full = fullParse(text);
  if (!full.ok) return full;
  // gray-matter's own body split can differ on odd delimiters; ours was validated above.
  return { ok: true, data: full.data, body: parts.body };
}

// ---------------------------------------------------------------------------------------------
// Serializing

/** Front matter from ordered pairs (undefined values omitted), then the body, verbatim. */
export function stringifyFrontmatter(pairs: ReadonlyArray<readonly [string, unknown]>, body: string): string {
  let out = '---\n';
  for (const [key, value] of pairs) {
    if (value === undefined) continue;
    const scalar = writeScalar(value);
    if (scalar !== null) {
      out += `${key}: ${scalar}\n`;
    } else {
      out += yaml().stringify({ [key]: value }, { lineWidth: 0, aliasDuplicateObjects: false });
    }
  }
  return `${out}---\n${body}`;
}

/** Parse a standalone YAML document (config files) with the same hardening. */
export function parseYaml(source: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    const value: unknown = yaml().parse(source, { schema: 'core', maxAliasCount: MAX_ALIASES, uniqueKeys: true, prettyErrors: false });
    return { ok: true, value };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, reason: message ?? 'invalid YAML' };
  }
}

export function stringifyYaml(value: unknown): string {
  return yaml().stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}
