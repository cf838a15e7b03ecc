/**
 * `.agent/config/notion-sync.yaml`: load (defaults < file) and resolve into a complete config.
 * Cheap: no Notion client here. Sync is off until `database_id` is set.
 */
import { fsProblem, InputError } from '../errors.js';
import { parseYaml } from '../protocol/frontmatter.js';
import { agentPaths } from '../store/paths.js';
import { readConfinedText } from '../trust/read.js';
import { repositoryRoots } from '../trust/roots.js';
import { FIELDS, type Field } from './mapping.js';

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

const KNOWN_KEYS = ['database_id', 'data_source_id', 'token_env', 'properties', ...Object.keys(DEFAULTS).filter((k) => k !== 'token_env')];

const ID = /^[A-Za-z0-9-]{1,64}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The only variables a committed notion-sync.yaml may name (PRODUCT.md, "Trust"). */
export const TOKEN_ENV_PREFIX = /^(?:NOTION_|COS_)[A-Za-z0-9_]*$/;
/** Notion integration secrets: `secret_…` (older) and `ntn_…` (current), both long. */
const LOOKS_LIKE_TOKEN = /^(?:secret|ntn)_[A-Za-z0-9]{20,}$/;

export interface LoadedNotionConfig {
  config: NotionConfig;
  warnings: string[];
}

/** Raw text of the config file, or null when there is none. */
function readConfigText(root: string): string | null {
  const paths = agentPaths(root);
  return readConfinedText(paths.notionConfig, repositoryRoots(paths.root), paths.rel(paths.notionConfig));
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
  if (!parsed.ok || parsed.value === null || typeof parsed.value !== 'object') return true;
  const id = (parsed.value as Record<string, unknown>).database_id;
  return !(id === undefined || id === null || (typeof id === 'string' && id.trim() === ''));
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

/** Pure: raw YAML value → complete config. */
export function resolveNotionConfig(raw: unknown, file: string): LoadedNotionConfig {
  if (raw === null || raw === undefined) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(`${file} must be a mapping of keys (database_id, token_env, properties, ...).`);
  const data = raw as Record<string, unknown>;
  const warnings: string[] = [];
  for (const key of Object.keys(data)) {
    if (!KNOWN_KEYS.includes(key)) warnings.push(`${file}: unknown key ${JSON.stringify(key)} is ignored (known: ${KNOWN_KEYS.join(', ')})`);
  }
  // Every problem is collected and reported at once, in one sentence per key.
  const problems: string[] = [];
  const bad = (key: string, what: string): void => {
    problems.push(`${key} ${what}`);
  };

  const databaseId = data.database_id;
  if (databaseId === undefined || databaseId === null || (typeof databaseId === 'string' && databaseId.trim() === '')) {
    throw new InputError(`Notion sync is not configured: set database_id in ${file} (the 32-character id in the database's URL).`);
  }
  const databaseOk = typeof databaseId === 'string' && ID.test(databaseId.trim());
  if (!databaseOk) {
    bad('database_id', `is ${JSON.stringify(databaseId)}; give the 32-character id from the database's URL, e.g. database_id: 1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6`);
  }
  let dataSourceId: string | null = null;
  if (data.data_source_id !== undefined && data.data_source_id !== null && data.data_source_id !== '') {
    if (typeof data.data_source_id !== 'string' || !ID.test(data.data_source_id.trim())) {
      bad('data_source_id', `is ${JSON.stringify(data.data_source_id)}; give the data source's id, or remove the key to discover it from the database`);
    } else dataSourceId = data.data_source_id.trim();
  }
  let tokenEnv: string = DEFAULTS.token_env;
  if (typeof data.token_env === 'string' && LOOKS_LIKE_TOKEN.test(data.token_env.trim())) {
    // Never echo it: it is most likely the secret itself.
    bad('token_env', 'holds what looks like a Notion token itself; put the token in an environment variable and give that variable\'s name here, e.g. token_env: NOTION_TOKEN (and take the token out of this file: it is a secret)');
  } else if (data.token_env !== undefined && data.token_env !== null) {
    if (typeof data.token_env !== 'string' || !ENV_NAME.test(data.token_env)) {
      bad('token_env', `is ${JSON.stringify(data.token_env)}; give the name of an environment variable, e.g. token_env: NOTION_TOKEN (never the token itself)`);
    } else if (!TOKEN_ENV_PREFIX.test(data.token_env)) {
      // A committed file names the variable: it must not be able to send another secret
      // (GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY) to Notion as the bearer token.
      bad('token_env', `is ${JSON.stringify(data.token_env)}; cos reads the Notion token only from an environment variable whose name starts with NOTION_ or COS_, e.g. token_env: NOTION_TOKEN`);
    } else tokenEnv = data.token_env;
  }

  const properties: Partial<Record<Field, string>> = {};
  for (const spec of FIELDS) properties[spec.field] = spec.name;
  if (data.properties !== undefined && data.properties !== null) {
    const mapping = typeof data.properties === 'object' && !Array.isArray(data.properties) ? (data.properties as Record<string, unknown>) : {};
    if (mapping !== data.properties) bad('properties', 'must be a mapping of our field to a Notion property name, e.g. properties: { state: Status }');
    const known = FIELDS.map((f) => f.field) as string[];
    for (const [field, name] of Object.entries(mapping)) {
      if (!known.includes(field)) {
        bad(`properties.${field}`, `is not a field cos syncs (fields: ${known.join(', ')})`);
        continue;
      }
      if (name === null || name === false || name === '') {
        if (field === 'sprint') bad('properties.sprint', 'cannot be turned off: it is the key each page is found by');
        else delete properties[field as Field];
        continue;
      }
      if (typeof name !== 'string' || name.trim() === '' || name.length > 100) {
        bad(`properties.${field}`, `is ${JSON.stringify(name)}; give a Notion property name (or null to leave the field out)`);
        continue;
      }
      properties[field as Field] = name.trim();
    }
    const seen = new Map<string, string>();
    for (const [field, name] of Object.entries(properties)) {
      const other = seen.get(name);
      if (other) bad(`properties.${field}`, `maps to ${JSON.stringify(name)}, which properties.${other} uses too; give each field its own property`);
      seen.set(name, field);
    }
  }

  const num = (key: keyof typeof DEFAULTS, { min, max, integer }: { min: number; max: number; integer?: boolean }): number => {
    const value = data[key];
    if (value === undefined || value === null) return DEFAULTS[key] as number;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      bad(key, `is ${JSON.stringify(value)}; give ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
      return DEFAULTS[key] as number;
    }
    return value;
  };
  const config: NotionConfig = {
    file,
    database_id: databaseOk ? (databaseId as string).trim() : '',
    data_source_id: dataSourceId,
    token_env: tokenEnv,
    properties,
    rate_per_second: num('rate_per_second', { min: 0.01, max: 1000 }),
    burst: num('burst', { min: 1, max: 1000, integer: true }),
    concurrency: num('concurrency', { min: 1, max: 16, integer: true }),
    timeout_seconds: num('timeout_seconds', { min: 0.05, max: 600 }),
    max_retries: num('max_retries', { min: 0, max: 20, integer: true }),
    retry_base_seconds: num('retry_base_seconds', { min: 0.001, max: 60 }),
  };
  if (problems.length > 0 || !databaseOk) throw new InputError(`${file}: ${problems.join('; ')}.`);
  return { config, warnings };
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
