/**
 * The MCP server's stdin is bounded (issue 12; docs/security.md): a message longer than the bound
 * gets a JSON-RPC error and is discarded, memory stays within one message of the bound, and the
 * server keeps serving. The line splitter in-process (property: every line within the bound
 * passes whole and in order, every longer one is reported once, whatever the chunking), then the
 * real server process fed a line of more than six times the bound.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundLines, MAX_MESSAGE_BYTES, sniffId, type TooLong } from '../../src/mcp/lines.js';
import { CLI, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';

async function collect(chunks: Buffer[], max: number): Promise<{ out: string[]; tooLong: TooLong[] }> {
  const tooLong: TooLong[] = [];
  const lines = boundLines(Readable.from(chunks), max, (t) => tooLong.push(t));
  let text = '';
  for await (const chunk of lines) text += (chunk as Buffer).toString('utf8');
  return { out: text === '' ? [] : text.split('\n'), tooLong };
}

describe('boundLines (in-process)', () => {
  it('passes every line within the bound whole and in order, reports each longer one once, whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ maxLength: 40, unit: fc.constantFrom('a', 'b', '{', '"', 'é') }), { maxLength: 12 }), fc.integer({ min: 1, max: 17 }), fc.integer({ min: 4, max: 24 }), async (lines, cut, max) => {
        const text = lines.map((line) => `${line}\n`).join('');
        const bytes = Buffer.from(text);
        const chunks: Buffer[] = [];
        for (let at = 0; at < bytes.length; at += cut) chunks.push(bytes.subarray(at, at + cut));
        const { out, tooLong } = await collect(chunks, max);
        const kept = lines.filter((line) => Buffer.byteLength(line) <= max);
        expect(out).toEqual(kept.length === 0 ? [] : [...kept, '']);
        expect(tooLong.map((t) => t.bytes)).toEqual(lines.filter((line) => Buffer.byteLength(line) > max).map((line) => Buffer.byteLength(line)));
      }),
    );
  });

  it('reads the id of a truncated request from its first bytes only', () => {
    expect(sniffId('{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"arguments":{"message":"xxxx')).toBe(7);
    expect(sniffId('{"id":"req-9","jsonrpc":"2.0","method":"x"')).toBe('req-9');
    expect(sniffId('{"method":"x","params":{"id":3}')).toBeNull();
    expect(sniffId('xxxxxxxxxxxxxxx')).toBeNull();
  });

  it('a line that ends with the stream still passes; an over-long one is reported', async () => {
    expect(await collect([Buffer.from('abc')], 5)).toEqual({ out: ['abc'], tooLong: [] });
    expect((await collect([Buffer.from('abcdefgh')], 5)).tooLong).toEqual([{ id: null, bytes: 8 }]);
  });
});

/** VmHWM (peak resident memory) of a process, in bytes. */
function peak(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match![1]) * 1024;
}

describe('cos mcp with a message that never ends', () => {
  it('answers it with a JSON-RPC error, keeps serving, and does not grow with it', { timeout: 240_000 }, async () => {
    const root = testdir();
    expect((await runCli(['init', '--dir', root])).code).toBe(0);
    const child = spawn(process.execPath, [CLI, 'mcp', '--dir', root], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    const answers: Array<{ id: unknown; result?: unknown; error?: { code: number; message: string } }> = [];
    let buffer = '';
    const waiting: Array<() => void> = [];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
        answers.push(JSON.parse(buffer.slice(0, nl)));
        buffer = buffer.slice(nl + 1);
        for (const wake of waiting.splice(0)) wake();
      }
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let gone = false;
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => {
        gone = true;
        for (const wake of waiting.splice(0)) wake();
        resolve(code);
      }),
    );
    child.stdin.on('error', () => {}); // a server that closed early: the test says so below
    const answer = async (id: unknown) => {
      for (;;) {
        const found = answers.find((a) => a.id === id);
        if (found) return found;
        if (gone) throw new Error(`the server exited without answering ${JSON.stringify(id)}; stderr: ${stderr.slice(0, 500)}`);
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
    };
    const input = new PassThrough();
    input.pipe(child.stdin);
    const send = (message: unknown) => input.write(`${JSON.stringify(message)}\n`);
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    await answer(1);
    const before = peak(child.pid!);

    // A post whose message is six times the bound and more, in 1 MiB pieces (with back-pressure).
    const piece = 'x'.repeat(1024 * 1024);
    const pieces = Math.ceil((6 * MAX_MESSAGE_BYTES) / piece.length) + 1;
    const write = (text: string) => new Promise<void>((resolve) => (input.write(text) ? resolve() : input.once('drain', () => resolve())));
    await write('{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"post","arguments":{"sprint":"s","agent":"a","status":"IN_PROGRESS","message":"');
    for (let i = 0; i < pieces; i++) await write(piece);
    await write('"}}}\n');
    // And one with no id to be found in its first bytes.
    await write(`{"params":{"x":"${piece.repeat(Math.ceil(MAX_MESSAGE_BYTES / piece.length) + 1)}"},"id":3}\n`);
    send({ jsonrpc: '2.0', id: 4, method: 'tools/list' });

    const refused = await answer(2);
    expect(refused.error?.code).toBe(-32600);
    expect(refused.error?.message).toMatch(new RegExp(`^The message is longer than ${MAX_MESSAGE_BYTES} bytes \\(\\d+ received\\); cos mcp reads at most that much per message, so it was discarded\\.$`));
    const listed = await answer(4);
    expect(JSON.stringify(listed.result)).toMatch(/"name":"post"/);
    const anonymous = answers.filter((a) => a.id === null);
    expect(anonymous).toHaveLength(1);
    expect(anonymous[0]!.error?.code).toBe(-32600);
    // Nothing was posted by the refused call.
    expect(await runCli(['status', '--dir', root, '--json']).then((r) => JSON.parse(r.stdout).sprints)).toEqual([]);

    const grown = peak(child.pid!) - before;
    // More than 6 × 24 MiB went in; the server held at most about one message of it.
    expect(grown).toBeLessThan(3 * MAX_MESSAGE_BYTES);
    input.end();
    expect(await exited).toBe(0);
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
