/**
 * Entries: validation of parsed front matter, and serialization with a fixed key order so that
 * `git diff` stays quiet and an entry round-trips byte for byte. Pure.
 */
import { parseFrontmatter, setOwn, stringifyFrontmatter } from './frontmatter.js';
import { FIELDS, KEY_ORDER, type Entry, type EntryFields, type FieldSpec } from './fields.js';
import { MAX_SEQ, parseEntryFileName, type ParsedFileName } from './filename.js';
import { KINDS } from './kinds.js';

/** Entry fields validated, or the reason they are not valid. */
export type ValidationResult = { ok: true; fields: EntryFields } | { ok: false; reason: string };

const KNOWN = new Set<string>(KEY_ORDER);
const IDENTITY = new Set(['file', 'name', 'seq']);

/** Each field in key order with its kind's read rule and whether it is required: looked up once, not per entry. */
const RULES = KEY_ORDER.map((key) => ({ key, read: KINDS[(FIELDS[key] as FieldSpec).kind].read, required: (FIELDS[key] as FieldSpec).required === true }));

/** Check every rule of the protocol (each field's kind, from FIELDS); the first broken one is the reason. */
export function validateFields(data: Record<string, unknown>): ValidationResult {
  let missing: string[] | undefined;
  for (const rule of RULES) if (rule.required && (data[rule.key] === undefined || data[rule.key] === null)) (missing ??= []).push(rule.key);
  if (missing !== undefined) return { ok: false, reason: `missing required field${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` };
  const fields: Record<string, unknown> = {};
  for (const rule of RULES) {
    const value = data[rule.key];
    if (value === undefined || value === null) continue;
    const problem = rule.read(value);
    if (problem) return { ok: false, reason: `${rule.key} ${problem}` };
    fields[rule.key] = value;
  }
  const extra: Record<string, unknown> = {};
  for (const key of Object.keys(data)) if (!KNOWN.has(key)) setOwn(extra, key, data[key]);
  fields.extra = extra;
  return { ok: true, fields: fields as EntryFields };
}

/** An entry parsed from its text, or the reason it is malformed. */
export type EntryParseResult = { ok: true; entry: Entry } | { ok: false; reason: string };

/** Where an entry's text was read from: its file name, its path, and current/ or archive/. */
export type EntrySource = { file: string; path: string; location: Entry['location'] };

/** Parse and validate one entry file's text. Never throws. */
export function parseEntry(text: string, where: EntrySource): EntryParseResult {
  const named = nameOf(where.file);
  if ('reason' in named) return { ok: false, reason: named.reason };
  const parsed = parseFrontmatter(text);
  if (!parsed.ok) return parsed;
  return fromMatter(parsed.data, parsed.body, where, named.seq, named.agent);
}

/**
 * An entry from front matter already split and parsed (the store's read cache keeps it so), held
 * to every rule parseEntry applies after parsing: what it accepts, parseEntry of the file accepts
 * too. Never throws.
 */
export function entryFromMatter(data: Record<string, unknown>, body: string, where: EntrySource, parsedName?: ParsedFileName | null): EntryParseResult {
  // The caller may have parsed the file name already (the store reader does, for every name it lists).
  const named = parsedName ?? nameOf(where.file);
  if ('reason' in named) return { ok: false, reason: named.reason };
  return fromMatter(data, body, where, named.seq, named.agent);
}

function nameOf(file: string): { seq: number; agent: string } | { reason: string } {
  const name = parseEntryFileName(file);
  if (name) return name;
  if (/^\d{13,}-/.test(file)) return { reason: `its sequence number is larger than ${MAX_SEQ}, the largest cos accepts` };
  return { reason: 'its name is not <seq>-<timestamp>-<agent>.md (e.g. 001-2026-01-14T03-45-00Z-developer.md)' };
}

function fromMatter(data: Record<string, unknown>, body: string, where: EntrySource, seq: number, agent: string): EntryParseResult {
  const valid = validateFields(data);
  if (!valid.ok) return valid;
  if (valid.fields.agent !== agent) {
    return { ok: false, reason: `its agent field ${JSON.stringify(valid.fields.agent)} does not match the agent ${JSON.stringify(agent)} in its file name` };
  }
  // The fields object is this call's own: completed in place (the order of { ...fields, ...where, seq, body }).
  const entry = Object.assign(valid.fields as Entry, where);
  entry.seq = seq;
  entry.body = body;
  return { ok: true, entry };
}

/** The front matter pairs of an entry, in the protocol's key order, unknown keys last. */
export function entryPairs(fields: EntryFields): Array<[string, unknown]> {
  const record = fields as unknown as Record<string, unknown>;
  const pairs: Array<[string, unknown]> = KEY_ORDER.map((key) => [key, record[key]]);
  for (const [key, value] of Object.entries(fields.extra)) {
    if (!KNOWN.has(key)) pairs.push([key, value]);
  }
  return pairs;
}

/** An entry's text: front matter in the protocol's key order, then the body. */
export function serializeEntry(fields: EntryFields, body: string): string {
  return stringifyFrontmatter(entryPairs(fields), body);
}

/** The entry's own fields, without file identity (for JSON output and rewriting). */
export function entryFields(entry: Entry): EntryFields {
  const { file: _file, path: _path, seq: _seq, location: _location, body: _body, worktree: _worktree, ...fields } = entry;
  return fields;
}

/** An entry as a JSON object: identity, then every front matter field (unknown ones included). */
export function entryToJson(entry: Entry): Record<string, unknown> {
  const out: Record<string, unknown> = { file: entry.path, name: entry.file, seq: entry.seq, ...(entry.worktree !== undefined ? { worktree: entry.worktree } : {}) };
  // Identity wins over an unknown front matter field of the same name.
  for (const [key, value] of entryPairs(entryFields(entry))) if (value !== undefined && !IDENTITY.has(key)) setOwn(out, key, value);
  return out;
}

/** A default human-readable body, as in the protocol's example. */
export function defaultBody(fields: EntryFields, message?: string): string {
  const heading = [fields.timestamp, fields.title ?? fields.sprint, fields.phase].filter(Boolean).join(' | ');
  let body = `## ${heading}\n**Agent:** ${fields.agent}\n**Status:** ${fields.status}\n`;
  if (fields.severity !== 'INFO') body += `**Severity:** ${fields.severity}\n`;
  if (fields.error) body += `**Error:** ${fields.error}\n`;
  if (message && message.trim() !== '') body += `\n${message.replace(/\s+$/, '')}\n`;
  return body;
}
