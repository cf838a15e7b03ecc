/**
 * `.agent/config/notion-sync.yaml`: load (defaults < file) and resolve into a complete config.
 * Cheap: no Notion client here. Sync is off until `database_id` is set.
 */
import * as z from 'zod/mini';
import { checkConfig, isRecord, problemsMessage } from '../config/problems.js';
import { fsProblem, InputError } from '../errors.js';
import { parseYaml, setOwn } from '../protocol/frontmatter.js';
import { agentPaths } from '../store/paths.js';
import { readConfinedText } from '../trust/read.js';
import { repositoryRoots } from '../trust/roots.js';
import { FIELDS, type Field } from './mapping.js';

/** The Notion sync settings: database, token variable, property names, rate limits and retries. */
export interface NotionConfig {
  /** Repository-relative path of the config file, for messages. */
  file: string;
  database_id: string;
  /** Null: discovered from the database (its first data source). */
  data_source_id: string | null;
  token_env: string;
  /** Our field → Notion property name; a disabled field is absent (the key `sprint` never is). */
  properties: Partial<Record<Field, string>>;
  /** Client-side average request rate (Notion allows about 3 per second). */
  rate_per_second: number;
  /** Requests that may go out at once before the average applies. */
  burst: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Per-request timeout. */
  timeout_seconds: number;
  /** Retries of a failed request (429, 5xx, timeout, network) before the sprint counts as failed. */
  max_retries: number;
  /** First back-off delay; doubles on each retry (with jitter), capped at 30 s. */
  retry_base_seconds: number;
}

export const DEFAULTS = {
  token_env: 'NOTION_TOKEN',
  rate_per_second: 3,
  burst: 3,
  concurrency: 3,
  timeout_seconds: 30,
  max_retries: 4,
  retry_base_seconds: 1,
} as const;

const ID = /^[A-Za-z0-9-]{1,64}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The only variables a committed notion-sync.yaml may name (PRODUCT.md, "Trust"). */
export const TOKEN_ENV_PREFIX = /^(?:NOTION_|COS_)[A-Za-z0-9_]*$/;
/** Notion integration secrets: `secret_…` (older) and `ntn_…` (current), both long. */
const LOOKS_LIKE_TOKEN = /^(?:secret|ntn)_[A-Za-z0-9]{20,}$/;

const DATABASE_ID = "must be the 32-character id from the database's URL, e.g. database_id: 1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6";
const DATA_SOURCE_ID = "must be the data source's id; or remove the key to discover it from the database";
const ENV_VARIABLE = 'must be the name of an environment variable, e.g. token_env: NOTION_TOKEN (never the token itself)';
const NOTION_OR_COS = 'must name an environment variable whose name starts with NOTION_ or COS_ (cos reads the Notion token only from one), e.g. token_env: NOTION_TOKEN';
const PROPERTY_NAME = 'must be a Notion property name of at most 100 characters, or null to leave the field out';

const id = (error: string) => z.string({ error }).check(z.trim(), z.regex(ID, { error }));
/** A number of `min` to `max` (whole when `integer`), its default when absent. */
function bounded(key: keyof typeof DEFAULTS, min: number, max: number, integer = false) {
  const error = `must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`;
  const number = integer ? z.int({ error }) : z.number({ error });
  return z._default(number.check(z.gte(min, { error }), z.lte(max, { error })), DEFAULTS[key] as number);
}
/** A property name, or `false` for a field left out (null and '' in the file become false first: see offFields). */
const propertyName = z.union([z.literal(false), z.string({ error: PROPERTY_NAME }).check(z.trim(), z.minLength(1, { error: PROPERTY_NAME }), z.maxLength(100, { error: PROPERTY_NAME }))], {
  error: PROPERTY_NAME,
});

/**
 * notion-sync.yaml: one zod schema (zod/mini, as coordination.yaml's) gives every key its type,
 * rule and default; config/problems.ts collects every problem at once. The rules a schema cannot
 * say (a field that is not synced, `sprint` turned off, two fields on one property, a token
 * pasted where its variable's name goes) are the small functions below.
 */
export const NOTION_SCHEMA = z.object({
  database_id: z.optional(id(DATABASE_ID)),
  data_source_id: z.optional(z.union([z.literal(''), id(DATA_SOURCE_ID)], { error: DATA_SOURCE_ID })),
  token_env: z._default(z.string({ error: ENV_VARIABLE }).check(z.regex(ENV_NAME, { error: ENV_VARIABLE }), z.regex(TOKEN_ENV_PREFIX, { error: NOTION_OR_COS })), DEFAULTS.token_env),
  properties: z.optional(
    z.record(z.string(), propertyName, { error: 'must be a mapping of our field to a Notion property name, e.g. properties: { state: Status }' }),
  ),
  rate_per_second: bounded('rate_per_second', 0.01, 1000),
  burst: bounded('burst', 1, 1000, true),
  concurrency: bounded('concurrency', 1, 16, true),
  timeout_seconds: bounded('timeout_seconds', 0.05, 600),
  max_retries: bounded('max_retries', 0, 20, true),
  retry_base_seconds: bounded('retry_base_seconds', 0.001, 60),
});

export interface LoadedNotionConfig {
  config: NotionConfig;
  warnings: string[];
}

/** Raw text of the config file, or null when there is none. */
function readConfigText(root: string): string | null {
  const paths = agentPaths(root);
  return readConfinedText(paths.notionConfig, repositoryRoots(paths.root), paths.rel(paths.notionConfig));
}

/** Whether a `database_id` value leaves sync off: absent, null or blank. */
function unset(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Whether sync is on: the file sets a non-empty `database_id`. A file that does not parse counts
 * as configured, so the sync (and `cos notion check`) report it instead of silently doing nothing.
 */
export function isConfigured(root: string): boolean {
  let text: string | null;
  try {
    text = readConfigText(root);
  } catch {
    return true;
  }
  if (text === null) return false;
  // The YAML reader's fast path reads the template cos init writes without loading `yaml`.
  const parsed = parseYaml(text);
  if (!parsed.ok || !isRecord(parsed.value)) return true;
  return !unset(parsed.value.database_id);
}

/** Load and resolve; an InputError naming the file and every key that is wrong (all at once). */
export function loadNotionConfig(root: string): LoadedNotionConfig {
  const paths = agentPaths(root);
  const file = paths.rel(paths.notionConfig);
  let text: string | null;
  try {
    text = readConfigText(root);
  } catch (error) {
    throw new InputError(`Cannot read ${file}: ${fsProblem(error)}.`, { cause: error });
  }
  if (text === null) {
    throw new InputError(`Notion sync is not configured: ${file} does not exist (run cos init, then set database_id in it).`);
  }
  const parsed = parseYaml(text);
  if (!parsed.ok) throw new InputError(`${file} is not valid YAML: ${parsed.reason}.`);
  return resolveNotionConfig(parsed.value, file);
}

/**
 * `properties: { failures: null }` (or '') leaves a field out: false, so the schema keeps it
 * (problems.ts reads a null as "not given" everywhere else).
 */
function offFields(raw: Record<string, unknown>): Record<string, unknown> {
  if (!isRecord(raw.properties)) return raw;
  const properties: Record<string, unknown> = {};
  for (const [field, name] of Object.entries(raw.properties)) setOwn(properties, field, name === null || name === '' ? false : name);
  return { ...raw, properties };
}

/** Pure: raw YAML value → complete config, or an InputError naming the file and every bad key. */
export function resolveNotionConfig(raw: unknown, file: string): LoadedNotionConfig {
  if (raw === null || raw === undefined) raw = {};
  if (!isRecord(raw)) throw new InputError(`${file} must be a mapping of keys (database_id, token_env, properties, ...).`);
  if (unset(raw.database_id)) {
    throw new InputError(`Notion sync is not configured: set database_id in ${file} (the 32-character id in the database's URL).`);
  }
  const errors: string[] = [];
  let document = offFields(raw);
  if (typeof document.token_env === 'string' && LOOKS_LIKE_TOKEN.test(document.token_env.trim())) {
    // Never echo it: it is most likely the secret itself. The schema does not see it.
    errors.push('"token_env" holds what looks like a Notion token itself; put the token in an environment variable and give that variable\'s name here, e.g. token_env: NOTION_TOKEN (and take the token out of this file: it is a secret)');
    document = { ...document, token_env: undefined };
  }
  const checked = checkConfig(NOTION_SCHEMA, document, `the file must be a mapping of keys (database_id, token_env, properties, ...)`);
  errors.push(...checked.errors);
  const value = checked.value;
  const properties = propertiesProblems(document.properties, errors);
  if (errors.length > 0) throw new InputError(problemsMessage(file, errors));
  const config: NotionConfig = {
    file,
    database_id: value.database_id ?? '',
    data_source_id: value.data_source_id ? value.data_source_id : null,
    token_env: value.token_env,
    properties,
    rate_per_second: value.rate_per_second,
    burst: value.burst,
    concurrency: value.concurrency,
    timeout_seconds: value.timeout_seconds,
    max_retries: value.max_retries,
    retry_base_seconds: value.retry_base_seconds,
  };
  return { config, warnings: checked.warnings.map((warning) => `${file}: ${warning}`) };
}

/**
 * The property of each synced field (defaults, then the file's), and the rules over `properties`
 * the schema cannot say, pushed onto `errors`: a field cos does not sync, `sprint` turned off, two
 * fields on one property.
 */
function propertiesProblems(raw: unknown, errors: string[]): Partial<Record<Field, string>> {
  const properties: Partial<Record<Field, string>> = {};
  for (const spec of FIELDS) properties[spec.field] = spec.name;
  if (!isRecord(raw)) return properties;
  const known = FIELDS.map((spec) => spec.field) as string[];
  for (const [field, name] of Object.entries(raw)) {
    // One sentence per key: the schema may have refused this one already.
    if (errors.some((error) => error.startsWith(`"properties.${field}" `))) continue;
    if (!known.includes(field)) errors.push(`"properties.${field}" is not a field cos syncs (fields: ${known.join(', ')})`);
    else if (name === false && field === 'sprint') errors.push('"properties.sprint" cannot be turned off: it is the key each page is found by');
    else if (name === false) delete properties[field as Field];
    else if (typeof name === 'string' && name.trim() !== '') properties[field as Field] = name.trim();
  }
  const seen = new Map<string, string>();
  for (const [field, name] of Object.entries(properties)) {
    const other = seen.get(name);
    if (other) errors.push(`"properties.${field}" maps to ${JSON.stringify(name)}, which properties.${other} uses too; give each field its own property`);
    seen.set(name, field);
  }
  return properties;
}

/**
 * `NOTION_BASE_URL` (a proxy, a test server), or undefined for the public API. An InputError for
 * a value that is not an http(s) address: a typo is bad input (exit 1), not an outage to retry.
 */
export function readBaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  const value = env.NOTION_BASE_URL?.trim();
  if (!value) return undefined;
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (url && (url.username !== '' || url.password !== '')) {
    throw new InputError('The environment variable NOTION_BASE_URL holds a user name or password; give the address alone, e.g. NOTION_BASE_URL=http://127.0.0.1:8080.');
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new InputError(`The environment variable NOTION_BASE_URL is ${JSON.stringify(value.slice(0, 200))}, not an http(s) address; give one such as http://127.0.0.1:8080, or unset it to use the Notion API.`);
  }
  return value;
}

/** The token from the environment variable the config names; an InputError naming it if unset. */
export function readToken(config: NotionConfig, env: NodeJS.ProcessEnv): string {
  if (!TOKEN_ENV_PREFIX.test(config.token_env)) {
    throw new InputError(`${config.file}: token_env is ${JSON.stringify(config.token_env)}; cos reads the Notion token only from an environment variable whose name starts with NOTION_ or COS_, e.g. token_env: NOTION_TOKEN.`);
  }
  const token = env[config.token_env];
  if (token === undefined || token.trim() === '') {
    throw new InputError(`The Notion token is missing: set the environment variable ${config.token_env} (named by token_env in ${config.file}) to your integration's secret.`);
  }
  const trimmed = token.trim();
  // A space, line break, control or non-ASCII character cannot go into the Authorization header:
  // fetch would fail with a message that quotes the header (and so the token) as a network error.
  if (!/^[\x21-\x7e]+$/.test(trimmed)) {
    throw new InputError(`The Notion token in the environment variable ${config.token_env} holds a space, line break or other character a token never has; copy your integration's secret into it again.`);
  }
  return trimmed;
}
