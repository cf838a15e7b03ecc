/**
 * `cos status` fits the terminal: every line is at most COLUMNS wide (down to 60 columns), with
 * colours or without; AGENTS gives way first (`+N more`), then FLAGS and SPRINT are cut with ….
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitAgents, renderStatus, type StatusRow } from '../../src/output/status.js';
import { createStyle } from '../../src/output/style.js';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const visible = (line: string) => line.replace(/\u001b\[[0-9;]*m/g, '').length;
const slug = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,63}$/);

const row = fc.record({
  sprint: slug,
  state: fc.constantFrom('IN_PROGRESS', 'READY', 'WAITING', 'NOTED', 'COMPLETE'),
  agents: fc.array(
    fc.record({ agent: slug, status: fc.constantFrom('IN_PROGRESS', 'DISPATCHED', 'COMPLETE'), stale: fc.boolean(), worktree: fc.option(slug, { nil: undefined }) }),
    { maxLength: 8 },
  ),
  severity: fc.constantFrom('INFO', 'WARN', 'URGENT', 'BLOCKER', null),
  minutes: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
  flags: fc.subarray(['escalation', 'conflict', 'stale', 'unverified', 'repeated-failure', 'invalid-verification', 'lease-conflict']),
  waiting_on: fc.array(slug, { maxLength: 3 }),
});

type RowInput = typeof row extends fc.Arbitrary<infer T> ? T : never;

function toRow(r: RowInput): StatusRow {
  return {
    sprint: r.sprint,
    state: r.state,
    agents: r.agents.map((a) => ({ agent: a.agent, status: a.status, heartbeat: NOW.toISOString(), stale: a.stale, holding: true, ...(a.worktree ? { worktree: a.worktree } : {}) })),
    severity: r.severity as StatusRow['severity'],
    updated: r.minutes === null ? null : new Date(NOW.getTime() - r.minutes * 60_000).toISOString(),
    flags: r.flags,
    waiting_on: r.waiting_on,
  };
}

describe('cos status width', () => {
  it('every line fits COLUMNS (60 to 200), coloured or not, whatever the names', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 6 }), fc.integer({ min: 60, max: 200 }), fc.boolean(), (rows, columns, colour) => {
        const text = renderStatus(rows.map(toRow), [], NOW, createStyle(colour), columns);
        for (const line of text.split('\n')) expect(visible(line), line).toBeLessThanOrEqual(columns);
      }),
      { numRuns: 300 },
    );
  });

  it('AGENTS never exceeds its budget when one character and "+N more" fit', () => {
    fc.assert(
      fc.property(fc.array(slug, { minLength: 1, maxLength: 10 }), fc.integer({ min: 12, max: 80 }), (agents, budget) => {
        const out = fitAgents(agents, budget);
        expect(out.length).toBeLessThanOrEqual(budget);
        const more = /\+(\d+) more$/.exec(out);
        const shown = more ? agents.length - Number(more[1]) : agents.length;
        expect(shown).toBeGreaterThanOrEqual(1);
      }),
    );
  });

  it('through the built CLI at COLUMNS=80: long sprint and agent names, a conflict, an escalation', async () => {
    const root = testdir();
    const cli = (...args: string[]) => runCli(['--dir', root, ...args], { env: { COLUMNS: '80', NO_COLOR: '1', COS_AGENT: '' } });
    expect((await cli('init')).code).toBe(0);
    for (const agent of ['developer-alpha-with-a-long-name', 'qa-reviewer-beta', 'dev-gamma']) {
      expect((await cli('post', '--sprint', 'search-ui-implementation-phase-two', '--agent', agent, '--status', 'IN_PROGRESS')).code).toBe(0);
    }
    expect((await cli('post', '--sprint', 's2', '--agent', 'a', '--status', 'BLOCKED', '--severity', 'URGENT')).code).toBe(0);
    const status = await cli('status');
    expect(status.code).toBe(0);
    const lines = status.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBe(3);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(status.stdout).toMatch(/^search-ui-\S*…?\s+IN_PROGRESS\s+\S.*\+\d more\s+\S+\s+URGENT\s+conflict/m);
    expect(status.stdout).toMatch(/^s2\s+BLOCKED\s+a:BLOCKED\s+\S+\s+URGENT\s+escalation$/m);
  }, 120_000);
});
