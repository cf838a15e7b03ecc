/**
 * The only importer of @notionhq/client (loaded lazily: `cos status` never pays for it).
 *
 * Every call goes through one private `request`: the rate limiter first, then the client with its
 * own retries off (they would compound with ours) and its logger silenced, then our retry policy
 * for every method: 429 waits for Retry-After (and pauses every other request), 5xx, 409,
 * timeouts and network errors back off exponentially with jitter. A create is not idempotent: a
 * create whose outcome is unknown (timeout, network, 5xx) is followed by a lookup by key before
 * it is tried again, so it never makes a second page.
 */
import type { RateLimiter } from './ratelimit.js';
import { sleep } from './ratelimit.js';
import type { PropertyType } from './mapping.js';
import { plainText } from './mapping.js';

export interface NotionApiOptions {
  token: string;
  /** `NOTION_BASE_URL`, e.g. http://127.0.0.1:PORT; the public API when absent. */
  baseUrl?: string;
  timeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  limiter: RateLimiter;
  signal?: AbortSignal;
}

export interface SchemaProperty {
  id: string;
  name: string;
  type: string;
  /** Option names of a select, multi_select or status property. */
  options: string[];
  /** Raw options (id, name, color) as Notion returned them, for updates that must keep them. */
  rawOptions: Array<Record<string, unknown>>;
}

export interface DataSourceInfo {
  id: string;
  title: string;
  properties: Map<string, SchemaProperty>;
}

export interface PageRef {
  id: string;
  key: string | null;
  created_time: string;
}

export interface ApiStats {
  requests: number;
  retries: number;
  rateLimited: number;
}

/** A Notion call that failed for good (after retries): what the log and the summary show. */
export class NotionFailure extends Error {
  readonly code: string;
  readonly status: number | null;
  /** The service as a whole is failing (auth, outage): later calls would fail the same way. */
  readonly global: boolean;
  constructor(code: string, message: string, status: number | null, global: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotionFailure';
    this.code = code;
    this.status = status;
    this.global = global;
  }
}

interface Classified {
  code: string;
  message: string;
  status: number | null;
  retryable: boolean;
  /** The request may have taken effect (a create must look up before trying again). */
  ambiguous: boolean;
  global: boolean;
  retryAfterMs: number | null;
}

function header(headers: unknown, name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  const record = headers as Record<string, unknown>;
  const value = record[name] ?? record[name.toLowerCase()];
  return typeof value === 'string' ? value : null;
}

function retryAfterMs(headers: unknown): number | null {
  const value = header(headers, 'retry-after');
  if (value === null) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** Sort any error from the client or fetch into what our policy needs. */
export function classify(error: unknown, signal?: AbortSignal): Classified {
  const e = error as { name?: string; code?: unknown; status?: unknown; message?: string; headers?: unknown; cause?: { code?: string; message?: string } };
  if (signal?.aborted) return { code: 'aborted', message: 'the sync was cancelled', status: null, retryable: false, ambiguous: true, global: true, retryAfterMs: null };
  if (e?.name === 'TimeoutError' || e?.code === 'notionhq_client_request_timeout') {
    return { code: 'timeout', message: 'Notion did not answer in time', status: null, retryable: true, ambiguous: true, global: true, retryAfterMs: null };
  }
  if (typeof e?.status === 'number') {
    const status = e.status;
    const api = typeof e.code === 'string' && e.code !== 'notionhq_client_response_error';
    const code = api ? (e.code as string) : `http_${status}`;
    const message = api ? oneLine(e.message ?? '') : `Notion answered HTTP ${status} without a JSON error body`;
    if (status === 429) return { code, message, status, retryable: true, ambiguous: false, global: true, retryAfterMs: retryAfterMs(e.headers) };
    if (status >= 500 || status === 409) return { code, message, status, retryable: true, ambiguous: status !== 409, global: status >= 500, retryAfterMs: retryAfterMs(e.headers) };
    // 401 unauthorized and 403 restricted_resource: every later call fails the same way.
    return { code, message, status, retryable: false, ambiguous: false, global: status === 401 || status === 403, retryAfterMs: null };
  }
  const cause = e?.cause?.code ?? e?.code;
  const detail = typeof cause === 'string' ? cause : oneLine(e?.cause?.message ?? e?.message ?? String(error));
  return { code: 'network_error', message: `cannot reach Notion (${detail})`, status: null, retryable: true, ambiguous: true, global: true, retryAfterMs: null };
}

type ClientModule = typeof import('@notionhq/client');

/* eslint-disable @typescript-eslint/no-explicit-any -- the client's typed params are far wider than what we send. */
type AnyClient = {
  databases: { retrieve(args: any): Promise<any> };
  dataSources: { retrieve(args: any): Promise<any>; update(args: any): Promise<any>; query(args: any): Promise<any> };
  pages: { create(args: any): Promise<any>; update(args: any): Promise<any> };
};

function toSchema(ds: any): DataSourceInfo {
  const properties = new Map<string, SchemaProperty>();
  for (const [name, raw] of Object.entries((ds?.properties ?? {}) as Record<string, any>)) {
    const type = String(raw?.type ?? '');
    const rawOptions = (raw?.[type]?.options ?? []) as Array<Record<string, unknown>>;
    properties.set(name, { id: String(raw?.id ?? name), name, type, rawOptions, options: rawOptions.map((o) => String(o.name)) });
  }
  const title = Array.isArray(ds?.title) ? ds.title.map((t: any) => t?.plain_text ?? t?.text?.content ?? '').join('') : '';
  return { id: String(ds?.id), title, properties };
}

export interface NotionApi {
  readonly stats: ApiStats;
  /** The database's data sources (2025-09-03: a database holds data sources). */
  databaseDataSources(databaseId: string): Promise<Array<{ id: string; name: string }>>;
  retrieveDataSource(dataSourceId: string): Promise<DataSourceInfo>;
  updateDataSource(dataSourceId: string, properties: Record<string, unknown>): Promise<DataSourceInfo>;
  /** Every page of the data source, paginated: key (title text) → oldest page with that key. */
  indexByKey(dataSourceId: string, keyProperty: string): Promise<Map<string, PageRef>>;
  findByKey(dataSourceId: string, keyProperty: string, key: string): Promise<PageRef | null>;
  /** Create a page, or adopt the one a lost earlier attempt made. */
  createPage(dataSourceId: string, keyProperty: string, key: string, properties: Record<string, unknown>): Promise<{ page: PageRef; adopted: boolean }>;
  updatePage(pageId: string, properties: Record<string, unknown>): Promise<PageRef>;
}

export async function openNotion(options: NotionApiOptions): Promise<NotionApi> {
  const notion: ClientModule = await import('@notionhq/client');
  const { signal, limiter } = options;
  const stats: ApiStats = { requests: 0, retries: 0, rateLimited: 0 };

  // Our own timeout, which (unlike the client's) aborts the socket: a hung request never keeps
  // the process alive.
  const timedFetch = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: unknown }) => {
    const signals = [AbortSignal.timeout(options.timeoutMs)];
    if (signal) signals.push(signal);
    return fetch(url, { method: init?.method, headers: init?.headers, body: init?.body as string | undefined, signal: AbortSignal.any(signals) });
  };
  const client = new notion.Client({
    auth: options.token,
    ...(options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/+$/, '') } : {}),
    timeoutMs: options.timeoutMs + 5_000,
    retry: false,
    logLevel: notion.LogLevel.ERROR,
    logger: () => {},
    fetch: timedFetch as never,
  }) as unknown as AnyClient;

  const pageRef = (page: any, keyProperty: string): PageRef => ({
    id: String(page?.id),
    key: plainText(page?.properties?.[keyProperty]),
    created_time: String(page?.created_time ?? ''),
  });

  /** The one private request function: limiter, call, retry policy. */
  async function request<T>(call: () => Promise<T>, { beforeRetry }: { beforeRetry?: () => Promise<T | null> } = {}): Promise<T> {
    let ambiguousBefore = false;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0 && ambiguousBefore && beforeRetry) {
        const found = await beforeRetry();
        if (found !== null) return found;
      }
      try {
        await limiter.acquire(signal);
      } catch (error) {
        const c = classify(error, signal);
        throw new NotionFailure(c.code, c.message, c.status, true, { cause: error });
      }
      stats.requests++;
      try {
        return await call();
      } catch (error) {
        const c = classify(error, signal);
        if (c.code === 'rate_limited' || c.status === 429) {
          stats.rateLimited++;
          limiter.pause(c.retryAfterMs ?? options.retryBaseMs);
        }
        if (!c.retryable || attempt >= options.maxRetries) throw new NotionFailure(c.code, c.message, c.status, c.global, { cause: error });
        ambiguousBefore ||= c.ambiguous;
        stats.retries++;
        if (c.status !== 429) {
          const base = Math.min(30_000, options.retryBaseMs * 2 ** attempt);
          const delay = Math.max(c.retryAfterMs ?? 0, base / 2 + Math.random() * base / 2);
          try {
            await sleep(delay, signal);
          } catch (abort) {
            const a = classify(abort, signal);
            throw new NotionFailure(a.code, a.message, a.status, true, { cause: abort });
          }
        }
      }
    }
  }

  const api: NotionApi = {
    stats,
    async databaseDataSources(databaseId) {
      const db = await request(() => client.databases.retrieve({ database_id: databaseId }));
      return ((db?.data_sources ?? []) as any[]).map((d) => ({ id: String(d.id), name: String(d.name ?? '') }));
    },
    async retrieveDataSource(dataSourceId) {
      return toSchema(await request(() => client.dataSources.retrieve({ data_source_id: dataSourceId })));
    },
    async updateDataSource(dataSourceId, properties) {
      return toSchema(await request(() => client.dataSources.update({ data_source_id: dataSourceId, properties })));
    },
    async indexByKey(dataSourceId, keyProperty) {
      const index = new Map<string, PageRef>();
      let cursor: string | undefined;
      // Bounded: Notion pages 100 results at a time; 10,000 pages is far beyond a sprint board.
      for (let pageNo = 0; pageNo < 1000; pageNo++) {
        const response = await request(() =>
          client.dataSources.query({ data_source_id: dataSourceId, page_size: 100, ...(cursor ? { start_cursor: cursor } : {}) }),
        );
        for (const page of (response?.results ?? []) as any[]) {
          if (page?.object !== 'page' || page.in_trash || page.archived) continue;
          const ref = pageRef(page, keyProperty);
          if (ref.key === null) continue;
          const known = index.get(ref.key);
          if (!known || ref.created_time < known.created_time) index.set(ref.key, ref);
        }
        if (!response?.has_more || !response.next_cursor) break;
        cursor = String(response.next_cursor);
      }
      return index;
    },
    async findByKey(dataSourceId, keyProperty, key) {
      const response = await request(() =>
        client.dataSources.query({ data_source_id: dataSourceId, page_size: 10, filter: { property: keyProperty, title: { equals: key } } }),
      );
      const pages = ((response?.results ?? []) as any[]).filter((p) => p?.object === 'page' && !p.in_trash && !p.archived).map((p) => pageRef(p, keyProperty));
      pages.sort((a, b) => (a.created_time < b.created_time ? -1 : a.created_time > b.created_time ? 1 : 0));
      return pages.find((p) => p.key === key) ?? null;
    },
    async createPage(dataSourceId, keyProperty, key, properties) {
      let adopted = false;
      const page = await request(
        async () => pageRef(await client.pages.create({ parent: { type: 'data_source_id', data_source_id: dataSourceId }, properties }), keyProperty),
        {
          beforeRetry: async () => {
            const found = await api.findByKey(dataSourceId, keyProperty, key);
            if (found) adopted = true;
            return found;
          },
        },
      );
      return { page, adopted };
    },
    async updatePage(pageId, properties) {
      return pageRef(await request(() => client.pages.update({ page_id: pageId, properties })), '');
    },
  };
  return api;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export type { PropertyType };
