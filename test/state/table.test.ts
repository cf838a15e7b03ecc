/** The states table in docs/lifecycle.md is the one the code declares, and the code follows its precedence. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Entry, Status } from '../../src/protocol/fields.js';
import { entryFileName } from '../../src/protocol/filename.js';
import { deriveSprints } from '../../src/state/lifecycle.js';
import { LIFECYCLE_TABLE, renderLifecycleTable, SPRINT_STATES } from '../../src/state/table.js';

const NOW = new Date('2026-03-01T12:00:00Z');

function entry(seq: number, agent: string, status: Status, more: Partial<Entry> & { minutesAgo?: number } = {}): Entry {
  const { minutesAgo = 10 - seq, ...rest } = more;
  const timestamp = new Date(NOW.getTime() - minutesAgo * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const file = entryFileName(seq, timestamp, agent);
  return { timestamp, sprint: 's', agent, status, severity: 'INFO', heartbeat: timestamp, ttl_minutes: 30, extra: {}, file, path: `.agent/status/current/${file}`, seq, location: 'current', body: '', ...rest };
}

const stateOf = (entries: Entry[], plan?: { dependsOn: Map<string, string[]>; sprints: Set<string> }) =>
  deriveSprints(entries, NOW, plan ? { plan } : {}).find((s) => s.sprint === 's')!.state;

describe('docs/lifecycle.md', () => {
  it('shows the table declared in src/state/table.ts, verbatim, with every state once', () => {
    const doc = readFileSync(new URL('../../docs/lifecycle.md', import.meta.url), 'utf8');
    expect(doc).toContain(`${renderLifecycleTable()}\n`);
    expect(LIFECYCLE_TABLE.map((row) => row.state).sort()).toEqual([...SPRINT_STATES].sort());
  });

  it('every row of the table is reachable, by the history its "when" describes', () => {
    const complete = entry(3, 'dev', 'COMPLETE');
    const examples: Record<string, Entry[]> = {
      STALE: [entry(1, 'dev', 'IN_PROGRESS', { minutesAgo: 120 }), entry(2, 'qa', 'BLOCKED', { minutesAgo: 90 })],
      BLOCKED: [entry(1, 'dev', 'IN_PROGRESS', { minutesAgo: 120 }), entry(2, 'qa', 'BLOCKED', { minutesAgo: 5 })],
      IN_PROGRESS: [entry(1, 'dev', 'DISPATCHED'), entry(2, 'dev', 'IN_PROGRESS'), entry(3, 'qa', 'DISPATCHED')],
      DISPATCHED: [entry(1, 'dev', 'DISPATCHED')],
      VERIFIED: [entry(1, 'dev', 'IN_PROGRESS'), complete, entry(4, 'qa', 'VERIFIED', { verifies: complete.file })],
      COMPLETE: [entry(1, 'dev', 'IN_PROGRESS'), complete, entry(4, 'lead', 'NOTE')],
      FAILED: [complete, entry(4, 'qa', 'FAILED', { verifies: complete.file, error: 'tests fail' })],
      NOTED: [entry(1, 'lead', 'NOTE', { severity: 'BLOCKER' })],
    };
    for (const [state, entries] of Object.entries(examples)) expect(stateOf(entries), state).toBe(state);
    // READY is a plan step's: with only NOTEs (or nothing) and its dependencies finished.
    const step = { dependsOn: new Map<string, string[]>(), sprints: new Set(['s']) };
    expect(stateOf([entry(1, 'lead', 'NOTE')], step)).toBe('READY');
    expect(stateOf([], step)).toBe('READY');
    // A VERIFIED with no claim to verify counts for nothing: the sprint has no outcome either way.
    expect(stateOf([entry(1, 'qa', 'VERIFIED')])).toBe('NOTED');
    expect(stateOf([entry(1, 'qa', 'VERIFIED')], step)).toBe('READY');
    const plan = { dependsOn: new Map([['s', ['other']]]), sprints: new Set(['s']) };
    expect(stateOf([], plan)).toBe('WAITING');
    expect(stateOf([entry(1, 'dev', 'DISPATCHED')], plan)).toBe('DISPATCHED');
    const done = { ...entry(1, 'dev', 'COMPLETE'), sprint: 'other' };
    expect(deriveSprints([done], NOW, { plan, verification: 'optional' }).find((s) => s.sprint === 's')!.state).toBe('READY');
    expect(deriveSprints([done], NOW, { plan }).find((s) => s.sprint === 's')!).toMatchObject({ state: 'WAITING', waitingOn: ['other'] });
  });

  it('a holding entry after a verification reopens the sprint; a review of an older claim changes nothing', () => {
    const first = entry(1, 'dev', 'COMPLETE');
    const verified = entry(2, 'qa', 'VERIFIED', { verifies: first.file });
    expect(stateOf([first, verified, entry(3, 'dev', 'IN_PROGRESS')])).toBe('IN_PROGRESS');
    expect(stateOf([first, verified, entry(3, 'dev', 'IN_PROGRESS'), entry(4, 'dev', 'COMPLETE')])).toBe('COMPLETE');
    const second = entry(3, 'dev2', 'COMPLETE');
    expect(stateOf([first, second, entry(4, 'qa', 'VERIFIED', { verifies: first.file })])).toBe('COMPLETE');
    // A v1 VERIFIED without verifies reviews the claim that stood when it was written.
    expect(stateOf([first, entry(2, 'qa', 'VERIFIED')])).toBe('VERIFIED');
    expect(stateOf([entry(1, 'qa', 'VERIFIED'), entry(2, 'dev', 'COMPLETE')])).toBe('COMPLETE');
  });
});
