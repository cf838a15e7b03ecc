/**
 * Properties of the rules over random histories: nothing escalated is ever dropped without an
 * entry that resolves it, findings only name real files, and the order is stable.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/index.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { SEVERITIES, STATUSES, type Entry } from '../../src/protocol/fields.js';
import { entryFileName } from '../../src/protocol/filename.js';
import { sortEntries } from '../../src/protocol/order.js';
import { deriveSprints } from '../../src/state/lifecycle.js';

const NOW = new Date('2026-03-01T12:00:00Z');

const spec = fc.record({
  sprint: fc.constantFrom('a', 'b', 'c'),
  agent: fc.constantFrom('dev', 'qa', 'lead'),
  status: fc.constantFrom(...STATUSES),
  severity: fc.constantFrom(...SEVERITIES),
  ago: fc.integer({ min: 0, max: 60 * 24 * 20 }),
  archived: fc.boolean(),
  error: fc.option(fc.constantFrom('e1', 'e2', ' e1 '), { nil: undefined }),
  names: fc.array(fc.nat(40), { maxLength: 2 }),
  field: fc.constantFrom('resolves', 'supersedes', 'verifies', 'none'),
});

type Spec = typeof spec extends fc.Arbitrary<infer T> ? T : never;

function build(specs: Spec[]): Entry[] {
  const entries: Entry[] = [];
  specs.forEach((s, i) => {
    const timestamp = new Date(NOW.getTime() - s.ago * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const file = entryFileName(i + 1, timestamp, s.agent);
    const entry: Entry = {
      timestamp,
      sprint: s.sprint,
      agent: s.agent,
      status: s.status,
      severity: s.severity,
      heartbeat: timestamp,
      ttl_minutes: 30,
      extra: {},
      file,
      path: s.archived ? `.agent/status/archive/${s.sprint}/${file}` : `.agent/status/current/${file}`,
      seq: i + 1,
      location: s.archived ? 'archive' : 'current',
      body: '',
    };
    if (s.status === 'FAILED' && s.error) entry.error = s.error;
    const named = s.names.filter((n) => n < i).map((n) => entries[n]!.file);
    if (named.length > 0 && s.field === 'resolves') entry.resolves = named;
    if (named.length > 0 && s.field === 'supersedes') entry.supersedes = named;
    if (named.length > 0 && s.field === 'verifies' && s.status === 'VERIFIED') entry.verifies = named[0]!;
    entries.push(entry);
  });
  return sortEntries(entries);
}

function check(entries: Entry[]) {
  return runChecks({
    entries,
    problems: [],
    sprints: deriveSprints(entries, NOW),
    now: NOW,
    config: { ...DEFAULT_CONFIG, budget_usd_per_sprint: 5 },
    currentCount: entries.filter((e) => e.location === 'current').length,
    synced: new Set(),
  });
}

describe('rule properties', () => {
  it('every URGENT/BLOCKER entry is reported, or named by another entry, or followed by its agent back to normal', () => {
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 40 }), (specs) => {
        const entries = build(specs);
        const findings = check(entries);
        const reported = new Set(findings.filter((f) => f.kind === 'escalation').flatMap((f) => f.files));
        entries.forEach((e, i) => {
          if (e.severity !== 'URGENT' && e.severity !== 'BLOCKER') return;
          // A NOTE's supersedes supersedes nothing (a NOTE changes no state); its resolves resolves.
          const named = entries.some((o) => o !== e && [o.resolves, o.status === 'NOTE' ? undefined : o.supersedes].flat().includes(e.file));
          const normal = entries
            .slice(i + 1)
            .some((o) => o.sprint === e.sprint && o.agent === e.agent && (o.severity === 'INFO' || o.severity === 'WARN') && ['IN_PROGRESS', 'COMPLETE', 'VERIFIED'].includes(o.status));
          expect(reported.has(e.path) || named || normal).toBe(true);
          // ...and never both reported and resolved.
          if (named || normal) expect(reported.has(e.path)).toBe(false);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('findings name only real files, come most severe first and do not depend on read order', () => {
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 40 }), (specs) => {
        const entries = build(specs);
        const paths = new Set([...entries.map((e) => e.path), '.agent/status/current']);
        const findings = check(entries);
        for (const finding of findings) for (const file of finding.files) expect(paths.has(file)).toBe(true);
        const ranks = findings.map((f) => SEVERITIES.indexOf(f.severity));
        expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
        expect(check(sortEntries([...entries].reverse()))).toEqual(findings);
      }),
      { numRuns: 200 },
    );
  });
});
