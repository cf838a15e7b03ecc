import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createSseHub, type SseHub } from '../../src/board/sse.js';

// The reader runs in a worker thread (its own event loop): it reads the stream while the main
// thread is blocked, as a browser reads it while the board runs its checks, and says what it got
// through a shared counter: 1 once the frame named `first` arrived, 2 when it gave up.
const READER = `
const { workerData } = require('node:worker_threads');
const { request } = require('node:http');
const flag = new Int32Array(workerData.shared);
request(workerData.url, (res) => {
  let text = '';
  res.setEncoding('utf8').on('data', (chunk) => {
    text += chunk;
    if (text.includes('event: first\\n')) {
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    }
  });
}).on('error', () => {
  Atomics.store(flag, 0, 2);
  Atomics.notify(flag, 0);
}).end();
`;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the SSE hub', () => {
  it('puts a frame on the wire at once, even when the process stays busy right after sending it', async () => {
    const hub: SseHub = createSseHub();
    let connected!: () => void;
    const client = new Promise<void>((resolve) => (connected = resolve));
    const server = createServer((_request, response: ServerResponse) => {
      hub.add(response, { event: 'state', json: '{"version":1}' });
      connected();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)), () => server.closeAllConnections(), () => hub.close());
    const shared = new SharedArrayBuffer(4);
    const flag = new Int32Array(shared);
    const worker = new Worker(READER, { eval: true, workerData: { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, shared } });
    cleanups.push(() => worker.terminate());
    await client;
    hub.send('first', { version: 1, n: 1 });
    // Synchronously busy from here (as the engine is while its checks run over a big store): the
    // frame must reach the reader without this thread's event loop turning once. Before the
    // flush, node's http kept it corked until the next tick, so this waited out the whole minute.
    const outcome = Atomics.wait(flag, 0, 0, 60_000);
    expect(outcome === 'ok' || flag[0] !== 0, 'the reader never got the frame while the sender was busy').toBe(true);
    expect(flag[0]).toBe(1);
  });

  it('sends frames in order with increasing ids, the first one to a new client before any other', async () => {
    const hub = createSseHub();
    const received: string[] = [];
    let ended!: () => void;
    const done = new Promise<void>((resolve) => (ended = resolve));
    const server = createServer((_request, response) => {
      hub.add(response, { event: 'state', json: '{"n":0}' });
      hub.send('entry', { n: 1 });
      hub.send('finding', { n: 2 });
      hub.close();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const { request } = await import('node:http');
    request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, (res) => {
      res.setEncoding('utf8').on('data', (chunk: string) => received.push(chunk));
      res.on('end', ended);
    }).end();
    await done;
    const frames = received.join('').split('\n\n').filter((block) => block.startsWith('id:'));
    expect(frames).toEqual(['id: 1\nevent: state\ndata: {"n":0}', 'id: 2\nevent: entry\ndata: {"n":1}', 'id: 3\nevent: finding\ndata: {"n":2}']);
  });
});
