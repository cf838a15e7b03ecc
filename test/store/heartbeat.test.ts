/** Heartbeat: in place, only its own lines, atomic under concurrency, never backwards. */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { heartbeat } from '../../src/store/heartbeat.js';
import { readStore } from '../../src/store/read.js';
import { postEntry } from '../../src/store/write.js';
import { cos } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';

const run = promisify(execFile);
const HEARTBEATER = fileURLToPath(new URL('./fixtures/heartbeater.mjs', import.meta.url));
const READER = fileURLToPath(new URL('./fixtures/reader.mjs', import.meta.url));
const T0 = new Date('2026-01-14T04:30:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const CURRENT = '.agent/status/current';

function handWritten(root: string, name: string, bytes: Buffer | string): string {
  const path = join(root, CURRENT, name);
  mkdirSync(join(root, CURRENT), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

describe('heartbeat', () => {
  it('refreshes heartbeat (and ttl) in place and keeps every other byte of a cos-written entry', async () => {
    const root = testdir();
    const entry = postEntry(root, { sprint: 's', agent: 'dev', status: 'IN_PROGRESS', title: 'A "quoted": title', extra: { tags: ['a', 'b'], note: 'x' }, now: T0, message: 'working' });
    const path = join(root, entry.path);
    const before = readFileSync(path, 'utf8');
    const result = await heartbeat(root, { sprint: 's', agent: 'dev', now: later(5) });
    expect(result.written).toBe(true);
    expect(result.previous).toBe('2026-01-14T04:30:00Z');
    expect(result.entry.heartbeat).toBe('2026-01-14T04:35:00Z');
    expect(readFileSync(path, 'utf8')).toBe(before.replace('heartbeat: 2026-01-14T04:30:00Z', 'heartbeat: 2026-01-14T04:35:00Z'));
    await heartbeat(root, { sprint: 's', agent: 'dev', now: later(6), ttl_minutes: 90 });
    expect(readFileSync(path, 'utf8')).toBe(
      before.replace('heartbeat: 2026-01-14T04:30:00Z', 'heartbeat: 2026-01-14T04:36:00Z').replace('ttl_minutes: 30', 'ttl_minutes: 90'),
    );
    // Nothing else is left behind: no temp file, no lock.
    expect(readdirSync(join(root, CURRENT)).filter((name) => name.startsWith('.') || name.endsWith('.lock'))).toEqual([]);
  });

  it('keeps a hand-written entry byte-identical apart from its heartbeat line: BOM, CRLF, comments, quoting, unknown fields, bytes that are not UTF-8', async () => {
    const root = testdir();
    const lines = [
      '---',
      '# written by hand',
      "timestamp: '2026-01-14T04:30:00Z'",
      'sprint: "s"   # the sprint',
      'agent: dev',
      'status: IN_PROGRESS',
      'severity: INFO',
      'heartbeat: "2026-01-14T04:30:00Z"  # refreshed by cos',
      'ttl_minutes: 30',
      'custom:',
      '  nested: [1, 2, {a: b}]',
      'phase: ',
      '---',
      'Body line',
    ];
    const text = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf8'), Buffer.from([0xff, 0xfe, 0x0d, 0x0a])]);
    const path = handWritten(root, '007-2026-01-14T04-30-00Z-dev.md', text);
    const result = await heartbeat(root, { sprint: 's', agent: 'dev', now: later(1) });
    expect(result.written).toBe(true);
    const after = readFileSync(path);
    const expected = Buffer.from(text.toString('latin1').replace('heartbeat: "2026-01-14T04:30:00Z"  # refreshed by cos', 'heartbeat: 2026-01-14T04:31:00Z'), 'latin1');
    expect(after.equals(expected)).toBe(true);
    const snapshot = readStore(root);
    expect(snapshot.problems).toEqual([]);
    expect(snapshot.entries[0]!.extra).toEqual({ custom: { nested: [1, 2, { a: 'b' }] } });
  });

  it('falls back to a canonical rewrite that keeps every field when the file is too unusual to edit in place', async () => {
    const root = testdir();
    const path = handWritten(
      root,
      '003-2026-01-14T04-30-00Z-dev.md',
      '---\n{timestamp: "2026-01-14T04:30:00Z", sprint: s, agent: dev, status: DISPATCHED, severity: WARN, heartbeat: "2026-01-14T04:30:00Z", ttl_minutes: 30, owner: "me"}\n---\nbody\n',
    );
    await heartbeat(root, { sprint: 's', agent: 'dev', now: later(2) });
    const [entry] = readStore(root).entries;
    expect(entry).toMatchObject({ heartbeat: '2026-01-14T04:32:00Z', severity: 'WARN', status: 'DISPATCHED', extra: { owner: 'me' }, body: 'body\n' });
    expect(readFileSync(path, 'utf8')).toContain('owner: me\n');
  });

  it('never moves backwards and then writes nothing', async () => {
    const root = testdir();
    const entry = postEntry(root, { sprint: 's', agent: 'dev', status: 'IN_PROGRESS', now: later(10) });
    const path = join(root, entry.path);
    const before = readFileSync(path, 'utf8');
    const mtime = statSync(path).mtimeMs;
    const result = await heartbeat(root, { sprint: 's', agent: 'dev', now: later(3) });
    expect(result.written).toBe(false);
    expect(result.entry.heartbeat).toBe('2026-01-14T04:40:00Z');
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(statSync(path).mtimeMs).toBe(mtime);
  });

  it('--if-due skips a heartbeat younger than the configured interval', async () => {
    const root = testdir({ '.agent/config/coordination.yaml': 'heartbeat:\n  min_interval_seconds: 120\n' });
    postEntry(root, { sprint: 's', agent: 'dev', status: 'IN_PROGRESS', now: T0 });
    const skipped = await cos(['heartbeat', '--dir', root, '--sprint', 's', '--agent', 'dev', '--if-due', '--json'], { now: later(1) });
    expect(skipped.code).toBe(0);
    expect(JSON.parse(skipped.stdout)).toMatchObject({ version: 1, written: false, previous: '2026-01-14T04:30:00Z' });
    const written = await cos(['heartbeat', '--dir', root, '--sprint', 's', '--agent', 'dev', '--if-due', '--json'], { now: later(3) });
    expect(JSON.parse(written.stdout)).toMatchObject({ written: true, entry: { heartbeat: '2026-01-14T04:33:00Z' } });
  });

  it('exits 1 with one sentence when the agent has no open entry on the sprint', async () => {
    const root = testdir();
    const none = await cos(['heartbeat', '--dir', root, '--sprint', 's', '--agent', 'dev']);
    expect(none.code).toBe(1);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^cos heartbeat: Agent "dev" has no open entry on sprint "s" to heartbeat .*\n$/);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);

    postEntry(root, { sprint: 's', agent: 'dev', status: 'IN_PROGRESS', now: T0 });
    const done = postEntry(root, { sprint: 's', agent: 'dev', status: 'COMPLETE', now: later(1) });
    const closed = await cos(['heartbeat', '--dir', root, '--sprint', 's', '--agent', 'dev']);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toContain(`has no open entry on sprint "s": its latest entry ${done.file} is COMPLETE`);
    const other = await cos(['heartbeat', '--dir', root, '--sprint', 'other', '--agent', 'dev']);
    expect(other.code).toBe(1);
    const badTtl = await cos(['heartbeat', '--dir', root, '--sprint', 's', '--agent', 'dev', '--ttl', '0']);
    expect(badTtl.code).toBe(1);
    expect(badTtl.stderr).toMatch(/--ttl "0"/);
  });

  it('concurrent heartbeats from 3 processes and a reader: the reader never sees a partial file, the result is the latest heartbeat', async () => {
    const root = testdir();
    const entry = postEntry(root, { sprint: 's', agent: 'dev', status: 'IN_PROGRESS', now: T0, message: 'x'.repeat(20_000) });
    const path = join(root, entry.path);
    const reader = run(process.execPath, [READER, path, '3000']);
    const beaters = [0, 1, 2].map(() => run(process.execPath, [HEARTBEATER, root, 's', 'dev', '40']));
    const pids = (await Promise.all(beaters)).length;
    expect(pids).toBe(3);
    const [reads, failures, first] = (await reader).stdout.trim().split(' ');
    expect(first ?? '').toBe('');
    expect(Number(failures)).toBe(0);
    expect(Number(reads)).toBeGreaterThan(0);
    const snapshot = readStore(root);
    expect(snapshot.problems).toEqual([]);
    expect(snapshot.entries).toHaveLength(1);
    expect(snapshot.entries[0]!.body).toContain('x'.repeat(20_000));
    // Each process's last heartbeat is at least 2030-01-01T00:39:00Z, and heartbeats never go back.
    expect(Date.parse(snapshot.entries[0]!.heartbeat)).toBeGreaterThanOrEqual(Date.parse('2030-01-01T00:39:00Z'));
    expect(snapshot.entries[0]!.timestamp).toBe('2026-01-14T04:30:00Z');
    expect(readdirSync(join(root, CURRENT)).filter((name) => name !== entry.file)).toEqual([]);
  });
});
