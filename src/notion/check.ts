/**
 * `cos notion check` and `cos notion setup`: the config, the token, reachability, and the data
 * source's schema against the mapping. Setup adds what is missing with one `dataSources.update`.
 */
import { ExternalError } from '../errors.js';
import { loadNotionConfig, type NotionConfig } from './config.js';
import { readLedgerFile } from './ledger.js';
import { redact } from './log.js';
import { NotionFailure, type DataSourceInfo } from './client.js';
import { compareSchema, setupPatch, type SchemaProblem } from './schema.js';
import { openSession, resolveDataSource } from './session.js';

/** What `checkNotion` found: the config, the data source, its schema problems and what it changed. */
export interface CheckReport {
  config: NotionConfig;
  warnings: string[];
  dataSource: { id: string; title: string; source: 'config' | 'ledger' | 'database'; others: number };
  problems: SchemaProblem[];
  /** What setup changed, one sentence each (setup only). */
  changed: string[];
}

function external(error: unknown, token: string, what: string): never {
  if (error instanceof NotionFailure) {
    const hint =
      error.code === 'unauthorized'
        ? ' (check the token, and that the integration is connected to the database)'
        : error.code === 'object_not_found'
          ? ' (check database_id, and share the database with the integration)'
          : '';
    throw new ExternalError(redact(`${what} failed: ${error.code}: ${error.message}${hint}.`, token), { cause: error });
  }
  throw error;
}

async function inspect(root: string, env: NodeJS.ProcessEnv) {
  const { config, warnings } = loadNotionConfig(root);
  const { api, token } = await openSession(config, env);
  let schema: DataSourceInfo;
  let resolved;
  try {
    resolved = await resolveDataSource(api, config, null);
    schema = await api.retrieveDataSource(resolved.id);
  } catch (error) {
    external(error, token, 'Reaching the Notion data source');
  }
  const dataSource = { id: resolved.id, title: schema.title, source: resolved.source, others: Math.max(0, resolved.all.length - 1) };
  return { config, warnings, api, token, schema, dataSource };
}

/** Never throws for schema problems: they are the report. Throws InputError (config, token) or ExternalError (Notion). */
export async function checkNotion(root: string, env: NodeJS.ProcessEnv = process.env): Promise<CheckReport> {
  const { config, warnings, schema, dataSource } = await inspect(root, env);
  return { config, warnings, dataSource, problems: compareSchema(schema, config.properties), changed: [] };
}

/** Add the properties (and select options) the sync needs to the Notion data source. */
export async function setupNotion(root: string, env: NodeJS.ProcessEnv = process.env): Promise<CheckReport> {
  const { config, warnings, api, token, schema, dataSource } = await inspect(root, env);
  const before = compareSchema(schema, config.properties);
  const patch = setupPatch(schema, before);
  if (!patch) return { config, warnings, dataSource, problems: before, changed: [] };
  let after: DataSourceInfo;
  try {
    after = await api.updateDataSource(dataSource.id, patch);
  } catch (error) {
    external(error, token, 'Updating the data source');
  }
  const changed = before
    .filter((p) => p.fixable)
    .map((p) =>
      p.kind === 'missing'
        ? `added "${p.property}" (${p.expected})`
        : p.kind === 'title-name'
          ? `renamed the title property to "${p.property}"`
          : `added the options ${p.options.join(', ')} to "${p.property}"`,
    );
  return { config, warnings, dataSource, problems: compareSchema(after, config.properties), changed };
}

/** For `check`: whether a sync has run here before, and when. */
export function lastSynced(root: string, config: NotionConfig): { sprints: number; at: string | null } {
  const ledger = readLedgerFile(root);
  if (!ledger || ledger.database_id !== config.database_id) return { sprints: 0, at: null };
  const times = Object.values(ledger.sprints).map((r) => r.synced_at).sort();
  return { sprints: Object.keys(ledger.sprints).length, at: times[times.length - 1] ?? null };
}
