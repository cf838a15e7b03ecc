/**
 * Server-sent events to any number of pages: one numbered `event:`/`data:` frame per event, a
 * comment every KEEPALIVE_MS so proxies and browsers keep the stream open, and a client that
 * cannot keep up (more than MAX_BUFFERED bytes waiting) is dropped: its EventSource reconnects and
 * starts again from a full state.
 */
import type { ServerResponse } from 'node:http';

export const KEEPALIVE_MS = 20_000;
const MAX_BUFFERED = 16 * 1024 * 1024;

export interface SseHub {
  /** Take over a response as an event stream; `first` is sent to this client only, before anything else. */
  add(response: ServerResponse, first?: { event: string; json: string }): void;
  /** Send one event to every client. */
  send(event: string, data: unknown): void;
  clients(): number;
  close(): void;
}

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-store',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
} as const;

/**
 * Put what was written on the wire now. Node's http response corks its socket on a write and
 * uncorks it on the next tick, so a frame written just before a long synchronous stretch (the
 * engine's checks over the whole store run right after a new entry's `entry` event is sent) would
 * wait for that stretch to end: about 300 ms over 10,000 entries, the whole of the board's
 * post → event latency. Uncorking here sends it at once; node's own uncork on the next tick then
 * finds nothing corked.
 */
function flush(response: ServerResponse): void {
  const socket = response.socket;
  if (socket && socket.writableCorked > 0) socket.uncork();
}

/** One frame: `data` is one line of JSON (JSON never holds a raw newline). */
export function frame(id: number, event: string, data: unknown): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function createSseHub(): SseHub {
  const clients = new Set<ServerResponse>();
  let id = 0;
  const drop = (response: ServerResponse) => {
    clients.delete(response);
    response.destroy();
  };
  const write = (response: ServerResponse, text: string) => {
    if (response.writableLength > MAX_BUFFERED) drop(response);
    else {
      response.write(text);
      flush(response);
    }
  };
  const keepalive = setInterval(() => {
    for (const response of clients) write(response, ': keepalive\n\n');
  }, KEEPALIVE_MS);
  keepalive.unref();
  return {
    add(response, first) {
      response.writeHead(200, SSE_HEADERS);
      // Reconnect after 1 s when the stream breaks (the browser's default is 3 s).
      response.write('retry: 1000\n\n');
      if (first) response.write(`id: ${++id}\nevent: ${first.event}\ndata: ${first.json}\n\n`);
      flush(response);
      clients.add(response);
      response.on('close', () => clients.delete(response));
    },
    send(event, data) {
      if (clients.size === 0) return;
      const text = frame(++id, event, data);
      for (const response of clients) write(response, text);
    },
    clients: () => clients.size,
    close() {
      clearInterval(keepalive);
      for (const response of clients) response.end();
      clients.clear();
    },
  };
}
