/**
 * `cos board`: a read-only HTTP server over the same engine as `cos watch` (a read-only watch
 * session: no lock, no --exec, no Notion, nothing written). Routes:
 *   GET /            the page (./page.ts)
 *   GET /api/state   the board state (./state.ts)
 *   GET /events      server-sent events: `state` first (in full), then per evaluation `entry` for
 *                    each new entry (in protocol order), `finding` / `resolved`, `ready`, and
 *                    `state` again when what the columns show changed
 * Only GET and HEAD (405 otherwise). Bound to loopback, it also refuses a Host header that is not
 * a loopback name, so a web page cannot read the board through DNS rebinding.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { isoSeconds } from '../protocol/time.js';
import { findingIdentity, type EngineUpdate } from '../watch/engine.js';
import type { WatchEvent } from '../watch/events.js';
import { startWatch, type WatchSession } from '../watch/session.js';
import { contentSecurityPolicy, pageAssets, renderPage } from './page.js';
import { boardPlan } from './plan.js';
import { boardState, entryView, type BoardState } from './state.js';
import { createSseHub } from './sse.js';

/** Options of `startBoard` (`cos board`): the root, host, port, clock, environment and an error callback. */
export interface BoardOptions {
  root: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default DEFAULT_PORT; 0 picks a free port. */
  port?: number;
  now: () => Date;
  env: NodeJS.ProcessEnv;
  /** Errors of the watch engine (a folder that cannot be read, ...). */
  onError?: (message: string) => void;
}

/** A running board server (`startBoard`). */
export interface BoardServer {
  url: string;
  host: string;
  port: number;
  /** The state as /api/state serves it now. */
  state(): BoardState;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 7317;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The host name of a Host header (`[::1]:8080` → `[::1]`, `localhost:80` → `localhost`). */
function hostName(header: string | undefined): string {
  if (!header) return '';
  const match = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(header.trim());
  return match ? match[1]! : '';
}

const COMMON_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

type Event = Extract<WatchEvent, { event: 'finding' | 'resolved' | 'ready' }>;

/** Serve the read-only board (page, /api/state, /events) on 127.0.0.1 unless another host is given; returns the server with `close()`. */
export async function startBoard(options: BoardOptions): Promise<BoardServer> {
  const host = options.host ?? '127.0.0.1';
  const loopback = isLoopback(host);
  const repository = basename(options.root);
  const hub = createSseHub();
  let last: EngineUpdate | null = null;
  let cached: BoardState | null = null;
  let cachedJson: string | null = null;
  let lastShown = '';
  let pending: Event[] = [];

  const assemble = (withoutTimeline: boolean): BoardState => {
    const sprints = last?.sprints ?? [];
    return boardState({
      sprints,
      findings: last?.findings ?? [],
      plan: boardPlan(options.root, sprints),
      entries: sprints.reduce((n, sprint) => n + sprint.entries.length, 0),
      now: last?.now ?? options.now(),
      repository,
      withoutTimeline,
    });
  };
  const stateNow = (): BoardState => (cached ??= assemble(false));
  /** The whole state as JSON, made once per evaluation (the first page load of each client reads it). */
  const stateJson = (): string => (cachedJson ??= JSON.stringify(stateNow()));
  /** Each open finding's identity (as the engine tracks it), in the order of the state's findings. */
  const findingIds = () => (last?.findings ?? []).map(findingIdentity);
  /**
   * What a `state` event after the first carries: the state without the timelines (`entry`
   * events extend them) and without the findings (`finding` and `resolved` events change them),
   * so a repository with thousands of open findings does not resend them on every change.
   */
  const summary = () => {
    const { timeline: _timeline, findings: _findings, ...rest } = cached ?? assemble(true);
    return rest;
  };

  const onEvaluated = (update: EngineUpdate) => {
    last = update;
    cached = null;
    cachedJson = null;
    const at = isoSeconds(update.now);
    for (const event of pending) {
      if (event.event === 'ready') hub.send('ready', { version: 1, event: 'ready', sprint: event.sprint, role: event.role, plan: event.plan, title: event.title, at });
      else hub.send(event.event, { version: 1, event: event.event, finding: event.finding, id: findingIdentity(event.finding), at });
    }
    pending = [];
    if (hub.clients() === 0) {
      lastShown = '';
      return;
    }
    const shown = summary();
    const ids = findingIds();
    const { generated_at: _at, ...compared } = shown;
    const text = JSON.stringify([compared, ids]);
    if (text !== lastShown) {
      lastShown = text;
      hub.send('state', { version: 1, event: 'state', state: shown, finding_ids: ids, at });
    }
  };

  const session: WatchSession = await startWatch({
    root: options.root,
    now: options.now,
    env: options.env,
    readOnly: true,
    notion: false,
    quietStart: true,
    // New entries go out before the checks over the whole store run (their findings and the
    // state follow once they have): what lands is on the stream at once.
    onAdded: (added, now) => {
      const at = isoSeconds(now);
      for (const entry of added) hub.send('entry', { version: 1, event: 'entry', entry: entryView(entry), at });
    },
    onEvaluated,
    emit: (event) => {
      if (event.event === 'finding' || event.event === 'resolved' || event.event === 'ready') pending.push(event);
      else if (event.event === 'error') options.onError?.(`${event.source}: ${event.message}`);
    },
  });

  const assets = pageAssets();
  const page = renderPage({ assets });
  const csp = `${contentSecurityPolicy(assets, { live: true })}; frame-ancestors 'none'`;

  const send = (request: IncomingMessage, response: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}) => {
    response.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...extra });
    response.end(request.method === 'HEAD' ? undefined : body);
  };

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(request, response, 405, 'text/plain; charset=utf-8', 'cos board is read-only: only GET and HEAD are accepted.\n', { Allow: 'GET, HEAD' });
      return;
    }
    if (loopback && !isLoopback(hostName(request.headers.host))) {
      send(request, response, 403, 'text/plain; charset=utf-8', 'cos board answers only to a loopback host name (127.0.0.1, localhost, [::1]).\n');
      return;
    }
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/' || path === '/index.html') {
      send(request, response, 200, 'text/html; charset=utf-8', page, { 'Content-Security-Policy': csp, 'X-Frame-Options': 'DENY' });
    } else if (path === '/api/state') {
      send(request, response, 200, 'application/json; charset=utf-8', `${stateJson()}\n`);
    } else if (path === '/events') {
      if (request.method === 'HEAD') {
        response.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8' });
        response.end();
        return;
      }
      const at = JSON.stringify(isoSeconds(last?.now ?? options.now()));
      hub.add(response, { event: 'state', json: `{"version":1,"event":"state","state":${stateJson()},"finding_ids":${JSON.stringify(findingIds())},"at":${at}}` });
    } else {
      send(request, response, 404, 'text/plain; charset=utf-8', 'Not found: cos board serves /, /api/state and /events.\n');
    }
  };

  // The first page load reads the whole state: make it before anyone asks.
  stateJson();
  const server: Server = createServer(handle);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? DEFAULT_PORT, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await session.stop(0);
    const code = (error as NodeJS.ErrnoException).code;
    const port = options.port ?? DEFAULT_PORT;
    if (code === 'EADDRINUSE') throw new InputError(`Port ${port} on ${host} is already in use; pass another --port (0 picks a free one).`, { cause: error });
    if (code === 'EACCES') throw new InputError(`Not allowed to listen on port ${port} of ${host}; pass a port above 1023 with --port.`, { cause: error });
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new InputError(`Cannot listen on --host ${JSON.stringify(host)}: no such address on this machine.`, { cause: error });
    throw error;
  }
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${address.port}/`,
    host: address.address,
    port: address.port,
    state: stateNow,
    close() {
      closing ??= (async () => {
        hub.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await Promise.all([closed, session.stop(0)]);
      })();
      return closing;
    },
  };
}
