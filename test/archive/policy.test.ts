import { describe, expect, it } from 'vitest';
import { planArchive, type ArchiveBounds } from '../../src/archive/policy.js';
import type { Entry, Status } from '../../src/protocol/fields.js';
import { entryFileName } from '../../src/protocol/filename.js';
import { sortEntries } from '../../src/protocol/order.js';

const NOW = new Date('2026-01-20T00:00:00Z');
const DAY = 86_400_000;

/** [seq, sprint, agent, status, days ago, location?] */
type Row = [number, string, string, Status, number, ('current' | 'archive')?];

function entries(rows: Row[]): Entry[] {
  return sortEntries(
    rows.map(([seq, sprint, agent, status, daysAgo, location = 'current']) => {
      const timestamp = new Date(NOW.getTime() - daysAgo * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const file = entryFileName(seq, timestamp, agent);
      const path = location === 'current' ? `.agent/status/current/${file}` : `.agent/status/archive/${sprint}/${file}`;
      return { timestamp, sprint, agent, status, severity: 'INFO', heartbeat: timestamp, ttl_minutes: 30, extra: {}, file, path, seq, location, body: '' };
    }),
  );
}

interface Case {
  name: string;
  rows: Row[];
  bounds?: Partial<ArchiveBounds>;
  /** Extra (malformed) files in current/. */
  malformed?: number;
  /** [seq, reason] of every expected move, in order. */
  moves: Array<[number, string]>;
  overflow?: { remaining: number; open: number; malformed: number };
}

const CASES: Case[] = [
  {
    name: 'a finished sprint (COMPLETE + VERIFIED) moves whole, however fresh',
    rows: [[1, 'a', 'dev', 'IN_PROGRESS', 0.2], [2, 'a', 'dev', 'COMPLETE', 0.1], [3, 'a', 'qa', 'VERIFIED', 0], [4, 'b', 'dev', 'IN_PROGRESS', 0]],
    moves: [[1, 'finished-sprint'], [2, 'finished-sprint'], [3, 'finished-sprint']],
  },
  {
    name: 'a sprint with one agent still open does not finish',
    rows: [[1, 'a', 'dev', 'COMPLETE', 0.1], [2, 'a', 'qa', 'IN_PROGRESS', 0]],
    moves: [],
  },
  {
    name: 'BLOCKED or FAILED as a latest entry: the sprint is not finished',
    rows: [[1, 'a', 'dev', 'COMPLETE', 1], [2, 'a', 'qa', 'FAILED', 1], [3, 'b', 'dev', 'BLOCKED', 1]],
    moves: [],
  },
  {
    name: 'a FAILED attempt followed by another agent completing and QA verifying: finished',
    rows: [[1, 'a', 'dev', 'FAILED', 1], [2, 'a', 'dev-2', 'COMPLETE', 0.5], [3, 'a', 'qa', 'VERIFIED', 0.2]],
    moves: [[1, 'finished-sprint'], [2, 'finished-sprint'], [3, 'finished-sprint']],
  },
  {
    name: 'a COMPLETE followed by a FAILED verification: not finished',
    rows: [[1, 'a', 'dev', 'COMPLETE', 1], [2, 'a', 'qa', 'FAILED', 0.5]],
    moves: [],
  },
  {
    name: 'finished counts the archive: a COMPLETE already archived, verified now, finishes the sprint',
    rows: [[1, 'a', 'dev', 'COMPLETE', 0.5, 'archive'], [2, 'a', 'qa', 'VERIFIED', 0.1]],
    moves: [[2, 'finished-sprint']],
  },
  {
    name: 'an unverified COMPLETE is not finished: it stays (verification: required)',
    rows: [[1, 'a', 'dev', 'IN_PROGRESS', 0.5], [2, 'a', 'dev', 'COMPLETE', 0.1]],
    moves: [],
  },
  {
    name: 'a VERIFIED of its own claim does not finish the sprint',
    rows: [[1, 'a', 'dev', 'COMPLETE', 0.5], [2, 'a', 'dev', 'VERIFIED', 0.1]],
    moves: [],
  },
  {
    name: 'a restarted sprint (COMPLETE archived, new IN_PROGRESS) keeps its open entry',
    rows: [[1, 'a', 'dev', 'COMPLETE', 20, 'archive'], [2, 'a', 'dev', 'IN_PROGRESS', 10]],
    moves: [],
  },
  {
    name: 'never an open entry: 30 days old, still the latest IN_PROGRESS, it stays',
    rows: [[1, 'a', 'dev', 'IN_PROGRESS', 30], [2, 'b', 'dev', 'DISPATCHED', 30]],
    moves: [],
  },
  {
    name: 'age: old superseded entries of an open sprint move; the latest stays',
    rows: [[1, 'a', 'dev', 'DISPATCHED', 10], [2, 'a', 'dev', 'IN_PROGRESS', 9], [3, 'a', 'qa', 'FAILED', 8], [4, 'a', 'qa', 'IN_PROGRESS', 1], [5, 'a', 'dev', 'IN_PROGRESS', 6.9]],
    moves: [[1, 'age'], [2, 'age'], [3, 'age']],
  },
  {
    name: 'age: a latest BLOCKED entry older than max_age_days stays (the sprint needs someone)',
    rows: [[1, 'a', 'dev', 'BLOCKED', 30]],
    moves: [],
  },
  {
    name: 'max_age_days from the config',
    rows: [[1, 'a', 'dev', 'IN_PROGRESS', 3], [2, 'a', 'dev', 'IN_PROGRESS', 1]],
    bounds: { max_age_days: 2 },
    moves: [[1, 'age']],
  },
  {
    name: 'bound: oldest finished entries first, then other history, never the open latest',
    rows: [[1, 'a', 'dev', 'IN_PROGRESS', 3], [2, 'b', 'dev', 'COMPLETE', 2.5], [3, 'a', 'dev', 'IN_PROGRESS', 2], [4, 'b', 'qa', 'IN_PROGRESS', 1], [5, 'b', 'dev', 'COMPLETE', 0.5], [6, 'c', 'x', 'IN_PROGRESS', 0]],
    bounds: { max_current: 4 },
    moves: [[2, 'bound'], [1, 'bound']],
  },
  {
    name: 'bound: latest FAILED entries go last, after all history; a BLOCKED holder never moves',
    rows: [[1, 'a', 'dev', 'FAILED', 3], [2, 'b', 'dev', 'COMPLETE', 2], [3, 'b', 'dev', 'IN_PROGRESS', 1], [4, 'c', 'dev', 'BLOCKED', 0.5]],
    bounds: { max_current: 1 },
    moves: [[2, 'bound'], [1, 'bound']],
    overflow: { remaining: 2, open: 2, malformed: 0 },
  },
  {
    name: 'bound: open entries alone exceed it — nothing open moves, overflow says so',
    rows: [[1, 'a', 'dev', 'IN_PROGRESS', 1], [2, 'b', 'dev', 'IN_PROGRESS', 1], [3, 'c', 'dev', 'DISPATCHED', 1], [4, 'd', 'dev', 'COMPLETE', 1]],
    bounds: { max_current: 2 },
    moves: [[4, 'bound']],
    overflow: { remaining: 3, open: 3, malformed: 0 },
  },
  {
    name: 'malformed files count against the bound and never move',
    rows: [[1, 'a', 'dev', 'IN_PROGRESS', 1], [2, 'a', 'dev', 'IN_PROGRESS', 0.5]],
    malformed: 3,
    bounds: { max_current: 3 },
    moves: [[1, 'bound']],
    overflow: { remaining: 4, open: 1, malformed: 3 },
  },
  {
    name: 'archived entries are never moved again',
    rows: [[1, 'a', 'dev', 'COMPLETE', 40, 'archive'], [2, 'b', 'dev', 'IN_PROGRESS', 40, 'archive'], [3, 'b', 'dev', 'IN_PROGRESS', 0]],
    moves: [],
  },
  {
    name: 'within bounds and fresh: nothing moves',
    rows: [[1, 'a', 'dev', 'IN_PROGRESS', 1], [2, 'b', 'dev', 'COMPLETE', 1], [3, 'b', 'qa', 'DISPATCHED', 0]],
    moves: [],
  },
];

describe('planArchive (rotation policy table)', () => {
  it.each(CASES)('$name', (c) => {
    const list = entries(c.rows);
    const current = list.filter((e) => e.location === 'current').length;
    const plan = planArchive({
      entries: list,
      currentCount: current + (c.malformed ?? 0),
      bounds: { max_current: 50, max_age_days: 7, ...c.bounds },
      now: NOW,
    });
    expect(plan.moves.map((m) => [m.entry.seq, m.reason])).toEqual(c.moves);
    for (const move of plan.moves) {
      expect(move.from).toBe(move.entry.path);
      expect(move.to).toBe(`.agent/status/archive/${move.entry.sprint}/${move.entry.file}`);
    }
    expect(plan.remaining).toBe(current + (c.malformed ?? 0) - c.moves.length);
    if (c.overflow) expect(plan.overflow).toEqual({ ...c.overflow, max_current: c.bounds?.max_current ?? 50 });
    else expect(plan.overflow).toBeNull();
  });

  it('never moves the latest open entry of any agent, for any bounds (exhaustive over small stores)', () => {
    const statuses: Status[] = ['DISPATCHED', 'IN_PROGRESS', 'BLOCKED', 'FAILED', 'COMPLETE', 'VERIFIED'];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 400; round++) {
      const rows: Row[] = [];
      const n = 1 + rand(12);
      for (let i = 1; i <= n; i++) rows.push([i, `s${rand(3)}`, `a${rand(3)}`, statuses[rand(6)]!, rand(20), rand(4) === 0 ? 'archive' : 'current']);
      const list = entries(rows);
      const plan = planArchive({ entries: list, currentCount: list.filter((e) => e.location === 'current').length, bounds: { max_current: rand(5) + 1, max_age_days: rand(10) + 1 }, now: NOW });
      const latest = new Map<string, Entry>();
      for (const e of list) latest.set(`${e.sprint}/${e.agent}`, e);
      for (const move of plan.moves) {
        expect(move.entry.location).toBe('current');
        const isLatestOpen = latest.get(`${move.entry.sprint}/${move.entry.agent}`) === move.entry && (move.entry.status === 'IN_PROGRESS' || move.entry.status === 'DISPATCHED');
        expect(isLatestOpen).toBe(false);
      }
      expect(new Set(plan.moves.map((m) => m.from)).size).toBe(plan.moves.length);
    }
  });
});
