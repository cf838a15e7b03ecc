/** Opening a connection for check, setup and sync: token, rate limiter, client, data source. */
import { readBaseUrl, readToken, type NotionConfig } from './config.js';
import { NotionFailure, openNotion, type NotionApi } from './client.js';
import { createRateLimiter } from './ratelimit.js';

export interface Session {
  api: NotionApi;
  token: string;
}

/** Throws InputError when the token is missing (naming the environment variable). */
export async function openSession(config: NotionConfig, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<Session> {
  const token = readToken(config, env);
  const limiter = createRateLimiter({ rate: config.rate_per_second, burst: config.burst });
  const baseUrl = readBaseUrl(env);
  const api = await openNotion({
    token,
    ...(baseUrl ? { baseUrl } : {}),
    timeoutMs: config.timeout_seconds * 1000,
    maxRetries: config.max_retries,
    retryBaseMs: config.retry_base_seconds * 1000,
    limiter,
    ...(signal ? { signal } : {}),
  });
  return { api, token };
}

export interface ResolvedDataSource {
  id: string;
  /** How it was found: named in the config, remembered in the ledger, or asked of the database. */
  source: 'config' | 'ledger' | 'database';
  /** Every data source of the database, when it was asked. */
  all: Array<{ id: string; name: string }>;
}

/** The data source to sync into: configured, remembered, else the database's first. */
export async function resolveDataSource(api: NotionApi, config: NotionConfig, remembered: string | null = null): Promise<ResolvedDataSource> {
  if (config.data_source_id) return { id: config.data_source_id, source: 'config', all: [] };
  if (remembered) return { id: remembered, source: 'ledger', all: [] };
  const all = await api.databaseDataSources(config.database_id);
  if (all.length === 0) {
    throw new NotionFailure('no_data_source', `database ${config.database_id} has no data source to sync into`, null, true);
  }
  return { id: all[0]!.id, source: 'database', all };
}
