/** readStore: problems instead of exceptions, identity by file name, ordering. */
import { describe, expect, it } from 'vitest';
import { serializeEntry } from '../../src/protocol/entry.js';
import { readStore } from '../../src/store/read.js';
import { testdir } from '../helpers/tmp.js';

const entry = (sprint: string, agent: string, timestamp: string) =>
  serializeEntry({ timestamp, sprint, agent, status: 'COMPLETE', severity: 'INFO', heartbeat: timestamp, ttl_minutes: 30, extra: {} }, '');

describe('readStore', () => {
  it('orders by (seq, timestamp, file name), reads archive/ and archive/<sprint>/, counts current files, takes the highest seq of any entry-like name', () => {
    const root = testdir({
      '.agent/status/current/002-2026-01-14T05-00-00Z-b.md': entry('s', 'b', '2026-01-14T05:00:00Z'),
      '.agent/status/current/002-2026-01-14T04-00-00Z-a.md': entry('s', 'a', '2026-01-14T04:00:00Z'),
      '.agent/status/current/010-2026-01-14T04-00-00Z-z.md': 'broken',
      '.agent/status/current/.002-2026-01-14T05-00-00Z-b.md.1.abc.tmp': 'partial',
      '.agent/status/current/README.txt': 'not an entry',
      '.agent/status/archive/old/001-2026-01-01T00-00-00Z-a.md': entry('old', 'a', '2026-01-01T00:00:00Z'),
      '.agent/status/archive/003-2026-01-14T06-00-00Z-c.md': entry('s', 'c', '2026-01-14T06:00:00Z'),
    });
    const snapshot = readStore(root);
    expect(snapshot.entries.map((e) => [e.seq, e.agent, e.location])).toEqual([
      [1, 'a', 'archive'],
      [2, 'a', 'current'],
      [2, 'b', 'current'],
      [3, 'c', 'archive'],
    ]);
    expect(snapshot.problems).toEqual([{ file: '.agent/status/current/010-2026-01-14T04-00-00Z-z.md', reason: expect.stringMatching(/no YAML front matter/) }]);
    expect(snapshot.maxSeq).toBe(10);
    expect(snapshot.currentCount).toBe(3);
    expect(readStore(root, { archive: false }).entries).toHaveLength(2);
  });

  it('the same entry in current/ and archive/ (a merge, or a move during the read) counts once: the copy in current/, for cos archive to resolve', () => {
    const text = entry('s', 'a', '2026-01-14T04:00:00Z');
    const root = testdir({ '.agent/status/current/001-2026-01-14T04-00-00Z-a.md': text, '.agent/status/archive/s/001-2026-01-14T04-00-00Z-a.md': text });
    const snapshot = readStore(root);
    expect(snapshot.entries.map((e) => e.path)).toEqual(['.agent/status/current/001-2026-01-14T04-00-00Z-a.md']);
  });

  it('of two copies of one file name, the one with the later heartbeat counts', () => {
    const older = entry('s', 'a', '2026-01-14T04:00:00Z');
    const newer = older.replace('heartbeat: 2026-01-14T04:00:00Z', 'heartbeat: 2026-01-14T05:00:00Z');
    expect(newer).not.toBe(older);
    const root = testdir({ '.agent/status/current/001-2026-01-14T04-00-00Z-a.md': older, '.agent/status/archive/s/001-2026-01-14T04-00-00Z-a.md': newer });
    const snapshot = readStore(root);
    expect(snapshot.entries.map((e) => [e.path, e.heartbeat])).toEqual([['.agent/status/archive/s/001-2026-01-14T04-00-00Z-a.md', '2026-01-14T05:00:00Z']]);
  });

  it('no .agent/ at all: nothing, no error', () => {
    expect(readStore(testdir())).toMatchObject({ entries: [], problems: [], maxSeq: 0, currentCount: 0 });
  });
});
