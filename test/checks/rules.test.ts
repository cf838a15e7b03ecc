/** The pure rules, called directly with entries in memory and a fixed `now`. */
import { describe, expect, it } from 'vitest';
import { failsAt, runChecks, type CheckContext } from '../../src/checks/index.js';
import { handledFiles, isHandled } from '../../src/checks/handled.js';
import { normalizeSignature } from '../../src/checks/repeated-failure.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { buildPrompt, demoteHeadings } from '../../src/dispatch/prompt.js';
import type { Entry, Severity, Status } from '../../src/protocol/fields.js';
import { entryFileName } from '../../src/protocol/filename.js';
import { sortEntries } from '../../src/protocol/order.js';
import type { Role } from '../../src/protocol/role.js';
import { deriveSprints } from '../../src/state/lifecycle.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const at = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function entry(seq: number, sprint: string, agent: string, status: Status, more: Partial<Entry> & { ago?: number } = {}): Entry {
  const timestamp = at(more.ago ?? 10);
  const file = entryFileName(seq, timestamp, agent);
  const archived = more.location === 'archive';
  const { ago: _ago, ...rest } = more;
  return {
    timestamp,
    sprint,
    agent,
    status,
    severity: 'INFO' as Severity,
    heartbeat: timestamp,
    ttl_minutes: 30,
    extra: {},
    file,
    path: archived ? `.agent/status/archive/${sprint}/${file}` : `.agent/status/current/${file}`,
    seq,
    location: 'current',
    body: '',
    ...rest,
  };
}

function context(entries: Entry[], more: Partial<CheckContext> = {}): CheckContext {
  const sorted = sortEntries([...entries]);
  return {
    entries: sorted,
    problems: [],
    sprints: deriveSprints(sorted, NOW),
    now: NOW,
    config: DEFAULT_CONFIG,
    currentCount: sorted.filter((e) => e.location === 'current').length,
    synced: null,
    ...more,
  };
}

const kindsOf = (ctx: CheckContext) => runChecks(ctx).map((f) => `${f.kind}:${f.sprint}`);

describe('handled (resolves / supersedes)', () => {
  it('maps each named file to the entry naming it, never to itself', () => {
    const a = entry(1, 's1', 'dev', 'BLOCKED', { severity: 'URGENT' });
    const self = entry(2, 's1', 'dev', 'BLOCKED', { severity: 'URGENT' });
    self.resolves = self.file;
    const b = entry(3, 's2', 'lead', 'COMPLETE', { resolves: [a.file] });
    const handled = handledFiles([a, self, b]);
    expect(isHandled(a, handled)).toBe(true);
    expect(isHandled(self, handled)).toBe(false);
    expect(handled.get(a.file)).toBe(b);
  });

  it('an escalation may be resolved from another sprint (file names are identities)', () => {
    const a = entry(1, 's1', 'dev', 'BLOCKED', { severity: 'URGENT' });
    const b = entry(2, 'coordination', 'chief', 'IN_PROGRESS', { resolves: a.file });
    expect(kindsOf(context([a]))).toEqual(['escalation:s1']);
    expect(kindsOf(context([a, b]))).toEqual([]);
  });
});

describe('unsynced', () => {
  it('matches mirrored entries by path or by file name (which survives archiving)', () => {
    const c = entry(1, 's1', 'dev', 'COMPLETE', { location: 'archive', ago: 60 });
    const v = entry(2, 's1', 'qa', 'VERIFIED', { verifies: c.file });
    const synced = new Set([`.agent/status/current/${c.file}`]);
    const found = runChecks(context([c, v], { synced })).filter((f) => f.kind === 'unsynced');
    expect(found).toEqual([expect.objectContaining({ sprint: 's1', files: [v.path] })]);
    expect(runChecks(context([c, v], { synced: new Set([c.path, v.path]) })).filter((f) => f.kind === 'unsynced')).toEqual([]);
  });
});

describe('unverified', () => {
  it('a COMPLETE the agent reopened afterwards is no longer a claim', () => {
    const c = entry(1, 's1', 'dev', 'COMPLETE', { ago: 30 });
    const reopen = entry(2, 's1', 'dev', 'IN_PROGRESS', { ago: 5 });
    expect(kindsOf(context([c]))).toEqual(['unverified:s1']);
    expect(kindsOf(context([c, reopen]))).toEqual([]);
  });

  it('a VERIFIED naming a COMPLETE on another sprint counts for nothing (version 2): invalid-verification', () => {
    const c = entry(1, 's1', 'dev', 'COMPLETE', { ago: 30 });
    const v = entry(2, 'qa-batch', 'qa', 'VERIFIED', { verifies: c.file });
    expect(kindsOf(context([c, v]))).toEqual(['unverified:s1', 'invalid-verification:qa-batch']);
  });

  it('a claim is not reported while someone holds the sprint (a reviewer at work)', () => {
    const c = entry(1, 's1', 'dev', 'COMPLETE', { ago: 30 });
    const qa = entry(2, 's1', 'qa', 'DISPATCHED', { ago: 5 });
    expect(kindsOf(context([c, qa]))).toEqual([]);
  });
});

describe('helpers', () => {
  it('normalizes failure signatures by whitespace only', () => {
    expect(normalizeSignature('  a   b\tc \n')).toBe('a b c');
    expect(normalizeSignature('A b')).not.toBe(normalizeSignature('a b'));
  });

  it('failsAt compares severities, and never fails nothing', () => {
    const finding = { kind: 'stale' as const, severity: 'WARN' as const, sprint: 's', files: [], message: '', action: '' };
    expect(failsAt(finding, 'INFO')).toBe(true);
    expect(failsAt(finding, 'WARN')).toBe(true);
    expect(failsAt(finding, 'URGENT')).toBe(false);
    expect(failsAt(finding, 'never')).toBe(false);
  });

  it('demotes the role prose headings outside code fences', () => {
    expect(demoteHeadings('# Title\ntext\n```\n# not a heading\n```\n## Sub')).toBe('### Title\ntext\n```\n# not a heading\n```\n#### Sub');
  });

  it('the prompt of a role without requirements still tells the agent how to check and stop', () => {
    const role: Role = { name: 'scribe', title: 'Scribe', model: 'haiku', requires: { files: [], skills: [] }, standing_orders: [], escalation_triggers: [], prose: '', extra: {} };
    const dispatched = entry(1, 's1', 'scribe', 'DISPATCHED', { ago: 0 });
    const prompt = buildPrompt({ role, entry: dispatched, history: [], superseded: [], claims: [] });
    expect(prompt).toContain('requires no files or skills');
    expect(prompt).toContain('STOP and post');
    expect(prompt).toContain('(none: this is the first entry of the sprint)');
    expect(prompt).not.toContain('## Your role');
  });
});

describe('determinism', () => {
  it('gives the same findings in the same order whatever order entries were read in', () => {
    const entries = [
      entry(1, 'a', 'x', 'IN_PROGRESS', { ago: 100 }),
      entry(2, 'a', 'y', 'IN_PROGRESS', { ago: 5 }),
      entry(3, 'b', 'x', 'FAILED', { error: 'e', ago: 50 }),
      entry(4, 'b', 'x', 'FAILED', { error: 'e', ago: 40 }),
      entry(5, 'c', 'x', 'COMPLETE', { ago: 30 }),
      entry(5, 'c', 'z', 'BLOCKED', { severity: 'BLOCKER', ago: 20 }),
    ];
    const forward = runChecks(context(entries));
    const backward = runChecks(context([...entries].reverse()));
    expect(backward).toEqual(forward);
    // Sprint c: z's BLOCKED holds it, so x's COMPLETE is not (yet) an unverified claim.
    expect(forward.map((f) => f.kind)).toEqual(['escalation', 'conflict', 'repeated-failure', 'stale', 'duplicate-seq']);
  });
});
