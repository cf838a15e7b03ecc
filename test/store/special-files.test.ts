/**
 * Files readStore cannot read are reported, never skipped in silence (docs/security.md): a FIFO,
 * a socket or a folder where an entry should be, an archive folder whose name is not UTF-8. A
 * FIFO is never opened (it would block until a writer comes): it is told by its type. Real
 * FIFOs (mkfifo), a real Unix socket, real non-UTF-8 names.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeEntry } from '../../src/protocol/entry.js';
import { readStore } from '../../src/store/read.js';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';

const entry = (sprint: string, agent: string, timestamp: string) =>
  serializeEntry({ timestamp, sprint, agent, status: 'COMPLETE', severity: 'INFO', heartbeat: timestamp, ttl_minutes: 30, extra: {} }, '');

describe('readStore reports what it cannot read', () => {
  it('a FIFO and a socket named like entries, in current/ and archive/<sprint>/: malformed, by type, never opened', async () => {
    const root = testdir({ '.agent/status/current/001-2026-01-14T04-00-00Z-a.md': entry('s', 'a', '2026-01-14T04:00:00Z') });
    const current = join(root, '.agent/status/current');
    const sprint = join(root, '.agent/status/archive/old');
    mkdirSync(sprint, { recursive: true });
    execFileSync('mkfifo', [join(current, '002-2026-01-14T04-00-00Z-pipe.md'), join(sprint, '003-2026-01-14T04-00-00Z-pipe.md')]);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(current, '004-2026-01-14T04-00-00Z-sock.md'), resolve));
    try {
      // Were the FIFO opened for reading, this call would never return.
      const snapshot = readStore(root);
      expect(snapshot.entries.map((e) => e.file)).toEqual(['001-2026-01-14T04-00-00Z-a.md']);
      expect(snapshot.problems).toEqual([
        { file: '.agent/status/archive/old/003-2026-01-14T04-00-00Z-pipe.md', reason: 'it is a named pipe, not a regular file; an entry must be a regular file' },
        { file: '.agent/status/current/002-2026-01-14T04-00-00Z-pipe.md', reason: 'it is a named pipe, not a regular file; an entry must be a regular file' },
        { file: '.agent/status/current/004-2026-01-14T04-00-00Z-sock.md', reason: 'it is a socket, not a regular file; an entry must be a regular file' },
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('an archive folder whose name is not UTF-8 is malformed (its entries cannot be read by that name); a sprint folder named x.md is a sprint, not a problem', () => {
    const root = testdir({ '.agent/status/archive/notes.md/001-2026-01-14T04-00-00Z-a.md': entry('notes.md', 'a', '2026-01-14T04:00:00Z') });
    const archive = join(root, '.agent/status/archive');
    const lossy = Buffer.concat([Buffer.from(`${archive}/sp`), Buffer.from([0xff, 0xfe])]);
    mkdirSync(lossy);
    writeFileSync(Buffer.concat([lossy, Buffer.from('/002-2026-01-14T04-00-00Z-b.md')]), entry('sp', 'b', '2026-01-14T04:00:00Z'));
    const snapshot = readStore(root);
    expect(snapshot.entries.map((e) => e.sprint)).toEqual(['notes.md']);
    expect(snapshot.problems).toEqual([{ file: '.agent/status/archive/sp\uFFFD\uFFFD', reason: expect.stringMatching(/^its name is not valid UTF-8, so cos cannot read the entries in it/) }]);
  });

  it('cos scan and cos watch --once give the same malformed findings for them, and end', async () => {
    const root = testdir({ '.agent/status/current/001-2026-01-14T04-00-00Z-a.md': entry('s', 'a', '2026-01-14T04:00:00Z') });
    execFileSync('mkfifo', [join(root, '.agent/status/current/002-2026-01-14T04-00-00Z-pipe.md')]);
    mkdirSync(Buffer.concat([Buffer.from(`${root}/.agent/status/archive/sp`), Buffer.from([0xff])]), { recursive: true });
    const scan = await runCli(['scan', '--json', '--dir', root]);
    const files = (out: string) =>
      (JSON.parse(out).findings as Array<{ kind: string; files: string[] }>).filter((f) => f.kind === 'malformed').flatMap((f) => f.files).sort();
    expect(files(scan.stdout)).toEqual(['.agent/status/archive/sp\uFFFD', '.agent/status/current/002-2026-01-14T04-00-00Z-pipe.md']);
    const watch = await runCli(['watch', '--once', '--json', '--dir', root]);
    expect(watch.code).toBe(0);
    const found = watch.stdout.trim().split('\n').map((line) => JSON.parse(line)).filter((l) => l.event === 'finding' && l.finding.kind === 'malformed').flatMap((l) => l.finding.files).sort();
    expect(found).toEqual(['.agent/status/archive/sp\uFFFD', '.agent/status/current/002-2026-01-14T04-00-00Z-pipe.md']);
  }, 60_000);
});
