/**
 * A Notion-shaped HTTP server for tests and benchmarks: the endpoints the sync uses, with
 * Notion's (2025-09-03) request validation and error shapes, an in-memory store, a token-bucket
 * rate limit that answers 429 with Retry-After, and switches for failures (500, 502 with an HTML
 * body, a request that never answers, validation errors, 401, 429). The real @notionhq/client
 * talks to it over loopback.
 *
 * Safety: it listens on 127.0.0.1 only (port 0), reads bodies up to 1 MiB, holds a "timeout"
 * request at most `holdMs`, and closes itself after `idleMs` without a request.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type PropType = 'title' | 'rich_text' | 'select' | 'multi_select' | 'status' | 'date' | 'number' | 'checkbox' | 'url';
const TYPES: readonly PropType[] = ['title', 'rich_text', 'select', 'multi_select', 'status', 'date', 'number', 'checkbox', 'url'];

interface Option {
  id: string;
  name: string;
  color: string;
}

interface SchemaProp {
  id: string;
  name: string;
  type: PropType;
  options: Option[];
}

interface DataSource {
  id: string;
  database_id: string;
  title: string;
  properties: SchemaProp[];
  created_time: string;
  last_edited_time: string;
}

interface Database {
  id: string;
  title: string;
  data_sources: string[];
}

export interface StoredPage {
  id: string;
  data_source_id: string;
  created_time: string;
  last_edited_time: string;
  /** Property id → stored value (our simplified form). */
  values: Map<string, unknown>;
}

export type FailureMode = 'http500' | 'http502' | 'timeout' | 'validation' | 'unauthorized' | 'rate_limited';

export interface FailureSwitch {
  mode: FailureMode;
  /** How many requests fail (default: every one until cleared). */
  count?: number;
  /** Only requests this returns true for (default: all). */
  when?: (method: string, path: string) => boolean;
  /** Carry the request out, then fail the response (a lost answer: the write happened). */
  afterWrite?: boolean;
}

export interface ServerOptions {
  token?: string;
  /** Requests per second the bucket refills (default 3). */
  rate?: number;
  /** Bucket size: requests allowed at once (default 10). */
  burst?: number;
  /** Retry-After sent with 429 (seconds; default: until the bucket has a token, at least 1). */
  retryAfterSeconds?: number;
  idleMs?: number;
  holdMs?: number;
  /** Delay every answer by this much after the request was carried out (like a real network). */
  latencyMs?: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number | 'hung';
  /** The Authorization header as received, for the never-leak-the-token tests. */
  body: string;
}

const now = () => new Date().toISOString();
const compact = (id: string) => id.replace(/-/g, '').toLowerCase();

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const validation = (message: string) => new HttpError(400, 'validation_error', message);

function richText(content: string) {
  return {
    type: 'text',
    text: { content, link: null },
    annotations: { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default' },
    plain_text: content,
    href: null,
  };
}

export class NotionTestServer {
  readonly token: string;
  url = '';
  readonly databases = new Map<string, Database>();
  readonly dataSources = new Map<string, DataSource>();
  readonly pages = new Map<string, StoredPage>();
  readonly requests: RequestRecord[] = [];
  rateLimited = 0;
  private failure: (FailureSwitch & { left: number }) | null = null;
  private rate: number;
  private burst: number;
  private tokens: number;
  private refilledAt = Date.now();
  private readonly retryAfterSeconds: number | undefined;
  private readonly idleMs: number;
  private readonly holdMs: number;
  private readonly latencyMs: number;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private closed = false;

  constructor(options: ServerOptions = {}) {
    this.token = options.token ?? `secret_test_${randomUUID().replace(/-/g, '')}`;
    this.rate = options.rate ?? 3;
    this.burst = options.burst ?? 10;
    this.tokens = this.burst;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.idleMs = options.idleMs ?? 300_000;
    this.holdMs = options.holdMs ?? 60_000;
    this.latencyMs = options.latencyMs ?? 0;
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.touch();
    return this;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.idleTimer);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private touch(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.close(), this.idleMs);
    this.idleTimer.unref();
  }

  setRate(rate: number, burst = this.burst): void {
    this.rate = rate;
    this.burst = burst;
    this.tokens = Math.min(this.tokens, burst);
  }

  /** Turn a failure on (null: off). */
  fail(failure: FailureSwitch | null): void {
    this.failure = failure ? { ...failure, left: failure.count ?? Number.POSITIVE_INFINITY } : null;
  }

  // --- Fixtures --------------------------------------------------------------------------

  /**
   * A database with one data source. `properties` beyond the title: name → type (select options
   * may be given as `select:A,B`). A fresh Notion database has only a title property, "Name".
   */
  createDatabase({ title = 'Sprints', titleProperty = 'Name', properties = {} as Record<string, string> } = {}): { databaseId: string; dataSourceId: string } {
    const database: Database = { id: randomUUID(), title, data_sources: [] };
    const ds: DataSource = { id: randomUUID(), database_id: database.id, title, properties: [], created_time: now(), last_edited_time: now() };
    ds.properties.push({ id: 'title', name: titleProperty, type: 'title', options: [] });
    for (const [name, spec] of Object.entries(properties)) {
      const [type, options] = spec.split(':') as [PropType, string | undefined];
      ds.properties.push({ id: this.propId(), name, type, options: (options ? options.split(',') : []).map((n) => ({ id: this.propId(), name: n, color: 'default' })) });
    }
    database.data_sources.push(ds.id);
    this.databases.set(database.id, database);
    this.dataSources.set(ds.id, ds);
    return { databaseId: database.id, dataSourceId: ds.id };
  }

  private propId(): string {
    return randomUUID().slice(0, 4);
  }

  /** The pages of a data source as plain objects: property name → simple value. */
  pagesOf(dataSourceId: string): Array<{ id: string; created_time: string } & Record<string, unknown>> {
    const ds = this.dataSources.get(dataSourceId)!;
    return [...this.pages.values()]
      .filter((p) => p.data_source_id === dataSourceId)
      .map((p) => {
        const out: Record<string, unknown> = { id: p.id, created_time: p.created_time };
        for (const prop of ds.properties) out[prop.name] = p.values.get(prop.id) ?? null;
        return out as { id: string; created_time: string } & Record<string, unknown>;
      });
  }

  schemaOf(dataSourceId: string): Record<string, { type: PropType; options: string[] }> {
    const ds = this.dataSources.get(dataSourceId)!;
    return Object.fromEntries(ds.properties.map((p) => [p.name, { type: p.type, options: p.options.map((o) => o.name) }]));
  }

  // --- HTTP -----------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.touch();
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    const record: RequestRecord = { method, path, status: 200, body: '' };
    this.requests.push(record);
    let body = '';
    try {
      body = await this.readBody(req);
    } catch {
      record.status = 413;
      return this.sendError(res, record, new HttpError(413, 'validation_error', 'Request body too large.'));
    }
    record.body = body;
    try {
      const auth = req.headers.authorization ?? '';
      if (auth !== `Bearer ${this.token}`) throw new HttpError(401, 'unauthorized', 'API token is invalid.');
      if (!req.headers['notion-version']) throw new HttpError(400, 'missing_version', 'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.');
      if (!this.takeToken()) {
        this.rateLimited++;
        const wait = this.retryAfterSeconds ?? Math.max(1, Math.ceil((1 - this.tokens) / this.rate));
        record.status = 429;
        res.setHeader('retry-after', String(wait));
        throw new HttpError(429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.');
      }
      const failure = this.failure && (!this.failure.when || this.failure.when(method, path)) ? this.failure : null;
      if (failure) {
        failure.left--;
        if (failure.left <= 0) this.failure = null;
        if (failure.afterWrite) this.route(method, path, body);
        return this.applyFailure(res, record, failure);
      }
      const result = this.route(method, path, body);
      // The write has happened; the answer is still on its way (a crash now loses it).
      if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
      record.status = 200;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result));
    } catch (error) {
      this.sendError(res, record, error);
    }
  }

  private readBody(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      let size = 0;
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > 1024 * 1024) {
          req.destroy();
          reject(new Error('too large'));
        } else chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  }

  private takeToken(): boolean {
    const t = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.refilledAt) / 1000) * this.rate);
    this.refilledAt = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private applyFailure(res: ServerResponse, record: RequestRecord, failure: FailureSwitch): void {
    switch (failure.mode) {
      case 'http500':
        return this.sendError(res, record, new HttpError(500, 'internal_server_error', 'Unexpected error occurred.'));
      case 'http502':
        record.status = 502;
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>');
        return;
      case 'validation':
        return this.sendError(res, record, validation('body failed validation: body.properties should be defined, instead was `undefined`.'));
      case 'unauthorized':
        return this.sendError(res, record, new HttpError(401, 'unauthorized', 'API token is invalid.'));
      case 'rate_limited':
        this.rateLimited++;
        res.setHeader('retry-after', String(this.retryAfterSeconds ?? 1));
        return this.sendError(res, record, new HttpError(429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.'));
      case 'timeout': {
        record.status = 'hung';
        // Never answer; bounded by holdMs and by close().
        const timer = setTimeout(() => res.destroy(), this.holdMs);
        timer.unref();
        res.on('close', () => clearTimeout(timer));
        return;
      }
    }
  }

  private sendError(res: ServerResponse, record: RequestRecord, error: unknown): void {
    const e = error instanceof HttpError ? error : new HttpError(500, 'internal_server_error', `Unexpected error occurred. (${String((error as Error)?.message ?? error)})`);
    record.status = e.status;
    if (res.headersSent) return void res.end();
    res.writeHead(e.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ object: 'error', status: e.status, code: e.code, message: e.message, request_id: randomUUID() }));
  }

  private route(method: string, path: string, bodyText: string): unknown {
    let body: Record<string, unknown> = {};
    if (bodyText !== '') {
      try {
        body = JSON.parse(bodyText) as Record<string, unknown>;
      } catch {
        throw new HttpError(400, 'invalid_json', 'Error parsing JSON body.');
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw validation('body failed validation: body should be an object.');
    }
    let m: RegExpExecArray | null;
    if (method === 'GET' && (m = /^\/v1\/databases\/([^/]+)$/.exec(path))) return this.retrieveDatabase(m[1]!);
    if (method === 'GET' && (m = /^\/v1\/data_sources\/([^/]+)$/.exec(path))) return this.dataSourceJson(this.findDataSource(m[1]!));
    if (method === 'PATCH' && (m = /^\/v1\/data_sources\/([^/]+)$/.exec(path))) return this.updateDataSource(this.findDataSource(m[1]!), body);
    if (method === 'POST' && (m = /^\/v1\/data_sources\/([^/]+)\/query$/.exec(path))) return this.query(this.findDataSource(m[1]!), body);
    if (method === 'POST' && path === '/v1/pages') return this.createPage(body);
    if (method === 'PATCH' && (m = /^\/v1\/pages\/([^/]+)$/.exec(path))) return this.updatePage(m[1]!, body);
    throw new HttpError(400, 'invalid_request_url', 'Invalid request URL.');
  }

  private retrieveDatabase(id: string): unknown {
    const db = [...this.databases.values()].find((d) => compact(d.id) === compact(id));
    if (!db) throw new HttpError(404, 'object_not_found', `Could not find database with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`);
    return {
      object: 'database',
      id: db.id,
      title: [richText(db.title)],
      data_sources: db.data_sources.map((dsId) => ({ id: dsId, name: this.dataSources.get(dsId)!.title })),
      parent: { type: 'workspace', workspace: true },
      in_trash: false,
      is_inline: false,
    };
  }

  private findDataSource(id: string): DataSource {
    const ds = [...this.dataSources.values()].find((d) => compact(d.id) === compact(id));
    if (!ds) throw new HttpError(404, 'object_not_found', `Could not find data source with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`);
    return ds;
  }

  private dataSourceJson(ds: DataSource): unknown {
    const properties: Record<string, unknown> = {};
    for (const p of ds.properties) {
      const config = p.type === 'select' || p.type === 'multi_select' || p.type === 'status' ? { options: p.options.map((o) => ({ ...o, description: null })) } : p.type === 'number' ? { format: 'number' } : {};
      properties[p.name] = { id: p.id, name: p.name, description: '', type: p.type, [p.type]: config };
    }
    return {
      object: 'data_source',
      id: ds.id,
      created_time: ds.created_time,
      last_edited_time: ds.last_edited_time,
      title: [richText(ds.title)],
      description: [],
      properties,
      parent: { type: 'database_id', database_id: ds.database_id },
      database_parent: { type: 'workspace', workspace: true },
      archived: false,
      in_trash: false,
    };
  }

  private propByKey(ds: DataSource, key: string): SchemaProp | undefined {
    return ds.properties.find((p) => p.name === key) ?? ds.properties.find((p) => p.id === key);
  }

  private updateDataSource(ds: DataSource, body: Record<string, unknown>): unknown {
    for (const key of Object.keys(body)) {
      if (!['properties', 'title', 'icon', 'in_trash', 'archived', 'parent'].includes(key)) throw validation(`body failed validation: body.${key} should be not present.`);
    }
    const props = body.properties;
    if (props !== undefined && (props === null || typeof props !== 'object' || Array.isArray(props))) throw validation('body failed validation: body.properties should be an object.');
    // Validate everything first, then apply: a failed update changes nothing.
    const next = ds.properties.map((p) => ({ ...p, options: [...p.options] }));
    for (const [key, change] of Object.entries((props ?? {}) as Record<string, unknown>)) {
      const existing = next.find((p) => p.name === key) ?? next.find((p) => p.id === key);
      if (change === null) {
        if (!existing) throw validation(`${key} is not a property that exists.`);
        if (existing.type === 'title') throw validation('Cannot delete the title property.');
        next.splice(next.indexOf(existing), 1);
        continue;
      }
      if (typeof change !== 'object' || Array.isArray(change)) throw validation(`body failed validation: body.properties.${key} should be an object or null.`);
      const c = change as Record<string, unknown>;
      const typeKeys = Object.keys(c).filter((k) => k !== 'name' && k !== 'description' && k !== 'type');
      for (const k of typeKeys) if (!TYPES.includes(k as PropType)) throw validation(`body failed validation: body.properties.${key}.${k} should be not present.`);
      if (typeKeys.length > 1) throw validation(`body failed validation: body.properties.${key} should define one type, instead defined ${typeKeys.join(', ')}.`);
      const type = typeKeys[0] as PropType | undefined;
      if (c.name !== undefined && (typeof c.name !== 'string' || c.name.trim() === '')) throw validation(`body failed validation: body.properties.${key}.name should be a non-empty string.`);
      const target = existing ?? (type ? { id: this.propId(), name: key, type, options: [] as Option[] } : undefined);
      if (!target) throw validation(`${key} is not a property that exists.`);
      if (!existing) {
        if (type === 'title') throw validation('Cannot create a second title property.');
        if (type === 'status') throw validation('Cannot create a status property through the API.');
        next.push(target);
      } else if (type && type !== existing.type) {
        if (existing.type === 'title') throw validation('Cannot change the type of the title property.');
        target.type = type;
        target.options = [];
      }
      if (type) {
        const config = c[type];
        if (!config || typeof config !== 'object' || Array.isArray(config)) throw validation(`body failed validation: body.properties.${key}.${type} should be an object.`);
        if (type === 'status' && existing && (config as Record<string, unknown>).options !== undefined) throw validation("Cannot update the options of a status property through the API.");
        if (type === 'select' || type === 'multi_select') {
          const options = (config as Record<string, unknown>).options;
          if (options !== undefined) {
            if (!Array.isArray(options)) throw validation(`body failed validation: body.properties.${key}.${type}.options should be an array.`);
            const kept: Option[] = [];
            for (const o of options as Array<Record<string, unknown>>) {
              if (!o || typeof o !== 'object') throw validation(`body failed validation: body.properties.${key}.${type}.options should hold objects.`);
              const known = target.options.find((x) => (o.id !== undefined && x.id === o.id) || x.name === o.name);
              if (known) kept.push(known);
              else {
                if (typeof o.name !== 'string' || o.name === '' || o.name.includes(',')) throw validation(`Invalid select option name ${JSON.stringify(o.name)}: it must be a non-empty string without commas.`);
                kept.push({ id: this.propId(), name: o.name, color: typeof o.color === 'string' ? o.color : 'default' });
              }
            }
            // Options left out of the list are removed, as in Notion.
            target.options = kept;
          }
        }
      }
      if (typeof c.name === 'string' && c.name !== target.name) {
        if (next.some((p) => p !== target && p.name === c.name)) throw validation(`A property named ${c.name} already exists.`);
        target.name = c.name;
      }
    }
    ds.properties = next;
    ds.last_edited_time = now();
    return this.dataSourceJson(ds);
  }

  private matches(ds: DataSource, page: StoredPage, filter: Record<string, unknown>): boolean {
    if (Array.isArray(filter.and)) return (filter.and as Array<Record<string, unknown>>).every((f) => this.matches(ds, page, f));
    if (Array.isArray(filter.or)) return (filter.or as Array<Record<string, unknown>>).some((f) => this.matches(ds, page, f));
    const prop = typeof filter.property === 'string' ? this.propByKey(ds, filter.property) : undefined;
    if (!prop) throw validation(`Could not find property with name or id: ${String(filter.property)}`);
    const condition = (filter[prop.type] ?? (prop.type === 'title' ? filter.rich_text : undefined)) as Record<string, unknown> | undefined;
    if (!condition || typeof condition !== 'object') throw validation(`body failed validation: filter for ${prop.name} should use the ${prop.type} condition.`);
    const value = page.values.get(prop.id);
    const asText = prop.type === 'select' || prop.type === 'status' ? ((value as { name?: string } | null)?.name ?? '') : String(value ?? '');
    if ('equals' in condition) return asText === condition.equals;
    if ('contains' in condition) return asText.includes(String(condition.contains));
    if ('is_empty' in condition) return asText === '';
    throw validation(`body failed validation: unsupported filter condition ${Object.keys(condition).join(', ')}.`);
  }

  private query(ds: DataSource, body: Record<string, unknown>): unknown {
    for (const key of Object.keys(body)) {
      if (!['filter', 'sorts', 'start_cursor', 'page_size', 'in_trash', 'archived', 'result_type'].includes(key)) throw validation(`body failed validation: body.${key} should be not present.`);
    }
    const size = body.page_size ?? 100;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > 100) throw validation(`body failed validation: body.page_size should be ≤ \`100\`, instead was \`${String(size)}\`.`);
    let pages = [...this.pages.values()].filter((p) => p.data_source_id === ds.id);
    if (body.filter !== undefined) {
      if (!body.filter || typeof body.filter !== 'object') throw validation('body failed validation: body.filter should be an object.');
      pages = pages.filter((p) => this.matches(ds, p, body.filter as Record<string, unknown>));
    }
    let start = 0;
    if (body.start_cursor !== undefined) {
      start = pages.findIndex((p) => p.id === body.start_cursor);
      if (start === -1) throw validation(`body failed validation: body.start_cursor should be a valid cursor, instead was \`${String(body.start_cursor)}\`.`);
    }
    const slice = pages.slice(start, start + size);
    const more = start + size < pages.length;
    return {
      object: 'list',
      results: slice.map((p) => this.pageJson(p)),
      next_cursor: more ? pages[start + size]!.id : null,
      has_more: more,
      type: 'page_or_data_source',
      page_or_data_source: {},
    };
  }

  private pageJson(page: StoredPage): unknown {
    const ds = this.dataSources.get(page.data_source_id)!;
    const properties: Record<string, unknown> = {};
    for (const prop of ds.properties) {
      const value = page.values.get(prop.id);
      let rendered: unknown;
      switch (prop.type) {
        case 'title':
        case 'rich_text':
          rendered = typeof value === 'string' && value !== '' ? [richText(value)] : [];
          break;
        case 'multi_select':
          rendered = (value as Option[] | undefined) ?? [];
          break;
        case 'date':
          rendered = value ? { start: value, end: null, time_zone: null } : null;
          break;
        default:
          rendered = value ?? null;
      }
      properties[prop.name] = { id: prop.id, type: prop.type, [prop.type]: rendered };
    }
    return {
      object: 'page',
      id: page.id,
      created_time: page.created_time,
      last_edited_time: page.last_edited_time,
      parent: { type: 'data_source_id', data_source_id: ds.id, database_id: ds.database_id },
      archived: false,
      in_trash: false,
      properties,
      url: `https://www.notion.so/${compact(page.id)}`,
    };
  }

  private textValue(name: string, type: string, value: unknown): string {
    if (!Array.isArray(value)) throw validation(`body failed validation: body.properties.${name}.${type} should be an array.`);
    return value
      .map((item: Record<string, unknown>, i) => {
        const text = item?.text as { content?: unknown } | undefined;
        if (!text || typeof text.content !== 'string') throw validation(`body failed validation: body.properties.${name}.${type}[${i}].text.content should be a string.`);
        if (text.content.length > 2000) throw validation(`body failed validation: body.properties.${name}.${type}[${i}].text.content.length should be ≤ \`2000\`, instead was \`${text.content.length}\`.`);
        return text.content;
      })
      .join('');
  }

  private option(prop: SchemaProp, name: string, value: unknown, create: boolean): Option {
    const v = value as { name?: unknown; id?: unknown };
    if (!v || typeof v !== 'object' || (typeof v.name !== 'string' && typeof v.id !== 'string')) throw validation(`body failed validation: body.properties.${name}.${prop.type}.name should be a string.`);
    const found = prop.options.find((o) => (v.id !== undefined && o.id === v.id) || o.name === v.name);
    if (found) return found;
    if (!create || typeof v.name !== 'string') throw validation(`Invalid ${prop.type} option "${String(v.name ?? v.id)}" for property ${name}.`);
    if (v.name === '' || v.name.includes(',')) throw validation(`Invalid select option name ${JSON.stringify(v.name)}: it must be a non-empty string without commas.`);
    // Like Notion: writing an unknown select option adds it to the schema.
    const option = { id: this.propId(), name: v.name, color: 'default' };
    prop.options.push(option);
    return option;
  }

  private applyProperties(ds: DataSource, page: StoredPage, properties: unknown): void {
    if (properties === undefined) return;
    if (!properties || typeof properties !== 'object' || Array.isArray(properties)) throw validation('body failed validation: body.properties should be an object.');
    const updates: Array<[string, unknown]> = [];
    for (const [name, value] of Object.entries(properties as Record<string, unknown>)) {
      const prop = this.propByKey(ds, name);
      if (!prop) throw validation(`${name} is not a property that exists.`);
      if (!value || typeof value !== 'object' || !(prop.type in (value as object))) throw validation(`${name} is expected to be ${prop.type}.`);
      const raw = (value as Record<string, unknown>)[prop.type];
      let stored: unknown;
      switch (prop.type) {
        case 'title':
        case 'rich_text':
          stored = this.textValue(name, prop.type, raw);
          break;
        case 'select':
        case 'status':
          stored = raw === null ? null : this.option(prop, name, raw, prop.type === 'select');
          break;
        case 'multi_select':
          if (!Array.isArray(raw)) throw validation(`body failed validation: body.properties.${name}.multi_select should be an array.`);
          stored = raw.map((o) => this.option(prop, name, o, true));
          break;
        case 'date': {
          if (raw === null) stored = null;
          else {
            const start = (raw as { start?: unknown })?.start;
            if (typeof start !== 'string' || Number.isNaN(Date.parse(start))) throw validation(`body failed validation: body.properties.${name}.date.start should be a valid ISO 8601 date string.`);
            stored = start;
          }
          break;
        }
        case 'number':
          if (raw !== null && (typeof raw !== 'number' || !Number.isFinite(raw))) throw validation(`body failed validation: body.properties.${name}.number should be a number or \`null\`.`);
          stored = raw;
          break;
        case 'checkbox':
          if (typeof raw !== 'boolean') throw validation(`body failed validation: body.properties.${name}.checkbox should be a boolean.`);
          stored = raw;
          break;
        case 'url':
          stored = raw;
          break;
      }
      updates.push([prop.id, stored]);
    }
    for (const [id, stored] of updates) page.values.set(id, stored);
  }

  private createPage(body: Record<string, unknown>): unknown {
    const parent = body.parent as Record<string, unknown> | undefined;
    if (!parent || typeof parent !== 'object' || typeof parent.data_source_id !== 'string') {
      throw validation('body failed validation: body.parent.data_source_id should be defined, instead was `undefined`.');
    }
    const ds = this.findDataSource(parent.data_source_id);
    const page: StoredPage = { id: randomUUID(), data_source_id: ds.id, created_time: now(), last_edited_time: now(), values: new Map() };
    this.applyProperties(ds, page, body.properties);
    this.pages.set(page.id, page);
    return this.pageJson(page);
  }

  private updatePage(id: string, body: Record<string, unknown>): unknown {
    const page = [...this.pages.values()].find((p) => compact(p.id) === compact(id));
    if (!page) throw new HttpError(404, 'object_not_found', `Could not find page with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`);
    const ds = this.dataSources.get(page.data_source_id)!;
    const copy: StoredPage = { ...page, values: new Map(page.values) };
    this.applyProperties(ds, copy, body.properties);
    page.values = copy.values;
    page.last_edited_time = now();
    return this.pageJson(page);
  }
}

export async function startNotionServer(options: ServerOptions = {}): Promise<NotionTestServer> {
  return new NotionTestServer(options).start();
}
