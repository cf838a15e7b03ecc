/**
 * Entries: validation of parsed front matter, and serialization with a fixed key order so that
 * `git diff` stays quiet and an entry round-trips byte for byte. Pure.
 */
import { parseFrontmatter, setOwn, stringifyFrontmatter } from './frontmatter.js';
import {
  KEY_ORDER,
  OPTIONAL_FIELDS,
  REQUIRED_FIELDS,
  SEVERITIES,
  STATUSES,
  type Entry,
  type EntryFields,
  type Severity,
  type Status,
} from './fields.js';
import { parseEntryFileName } from './filename.js';
import { slugProblem } from './slug.js';
import { isTimestamp } from './time.js';

export type ValidationResult = { ok: true; fields: EntryFields } | { ok: false; reason: string };

const KNOWN = new Set<string>(KEY_ORDER);
const IDENTITY = new Set(['file', 'name', 'seq']);
const STRING_FIELDS = new Set(['phase', 'title', 'role', 'error', 'verifies']);

function fileListProblem(value: unknown): boolean {
  if (typeof value === 'string') return false;
  return !(Array.isArray(value) && value.every((item) => typeof item === 'string'));
}

/** Check every rule of the protocol; the first broken one is the reason. */
export function validateFields(data: Record<string, unknown>): ValidationResult {
  const missing = REQUIRED_FIELDS.filter((key) => data[key] === undefined || data[key] === null);
  if (missing.length > 0) return { ok: false, reason: `missing required field${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` };
  for (const key of ['timestamp', 'heartbeat'] as const) {
    if (!isTimestamp(data[key])) return { ok: false, reason: `${key} ${JSON.stringify(data[key])} is not an ISO 8601 time with a zone (e.g. 2026-01-14T04:30:00Z)` };
  }
  for (const key of ['sprint', 'agent'] as const) {
    const problem = slugProblem(data[key]);
    if (problem) return { ok: false, reason: `${key} ${JSON.stringify(data[key])} is not a valid name: ${problem}` };
  }
  if (!STATUSES.includes(data.status as Status)) return { ok: false, reason: `status ${JSON.stringify(data.status)} is not one of ${STATUSES.join(', ')}` };
  if (!SEVERITIES.includes(data.severity as Severity)) return { ok: false, reason: `severity ${JSON.stringify(data.severity)} is not one of ${SEVERITIES.join(', ')}` };
  const ttl = data.ttl_minutes;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl <= 0) return { ok: false, reason: `ttl_minutes ${JSON.stringify(ttl)} is not a positive whole number of minutes` };
  for (const key of STRING_FIELDS) {
    const value = data[key];
    if (value !== undefined && value !== null && typeof value !== 'string') return { ok: false, reason: `${key} must be text, not ${JSON.stringify(value)}` };
  }
  for (const key of ['supersedes', 'resolves'] as const) {
    const value = data[key];
    if (value !== undefined && value !== null && fileListProblem(value)) return { ok: false, reason: `${key} must be a file name or a list of file names` };
  }
  const cost = data.cost_usd;
  if (cost !== undefined && cost !== null && (typeof cost !== 'number' || !Number.isFinite(cost) || cost < 0)) {
    return { ok: false, reason: `cost_usd ${JSON.stringify(cost)} is not a non-negative number` };
  }
  const extra: Record<string, unknown> = {};
  for (const key of Object.keys(data)) if (!KNOWN.has(key)) setOwn(extra, key, data[key]);
  const fields: EntryFields = {
    timestamp: data.timestamp as string,
    sprint: data.sprint as string,
    agent: data.agent as string,
    status: data.status as Status,
    severity: data.severity as Severity,
    heartbeat: data.heartbeat as string,
    ttl_minutes: ttl,
    extra,
  };
  for (const key of OPTIONAL_FIELDS) {
    const value = data[key];
    if (value !== undefined && value !== null) (fields as unknown as Record<string, unknown>)[key] = value;
  }
  return { ok: true, fields };
}

export type EntryParseResult = { ok: true; entry: Entry } | { ok: false; reason: string };

/** Parse and validate one entry file's text. Never throws. */
export function parseEntry(
  text: string,
  where: { file: string; path: string; location: Entry['location'] },
): EntryParseResult {
  const name = parseEntryFileName(where.file);
  if (!name) return { ok: false, reason: 'its name is not <seq>-<timestamp>-<agent>.md (e.g. 001-2026-01-14T03-45-00Z-developer.md)' };
  const parsed = parseFrontmatter(text);
  if (!parsed.ok) return parsed;
  const valid = validateFields(parsed.data);
  if (!valid.ok) return valid;
  if (valid.fields.agent !== name.agent) {
    return { ok: false, reason: `its agent field ${JSON.stringify(valid.fields.agent)} does not match the agent ${JSON.stringify(name.agent)} in its file name` };
  }
  return { ok: true, entry: { ...valid.fields, ...where, seq: name.seq, body: parsed.body } };
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

export function serializeEntry(fields: EntryFields, body: string): string {
  return stringifyFrontmatter(entryPairs(fields), body);
}

/** The entry's own fields, without file identity (for JSON output and rewriting). */
export function entryFields(entry: Entry): EntryFields {
  const { file: _file, path: _path, seq: _seq, location: _location, body: _body, ...fields } = entry;
  return fields;
}

/** An entry as a JSON object: identity, then every front matter field (unknown ones included). */
export function entryToJson(entry: Entry): Record<string, unknown> {
  const out: Record<string, unknown> = { file: entry.path, name: entry.file, seq: entry.seq };
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
