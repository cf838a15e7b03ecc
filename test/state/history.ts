/** Random histories of entries for the lifecycle's property tests (pure data, no files). */
import fc from 'fast-check';
import { SEVERITIES, STATUSES, type Entry, type Status } from '../../src/protocol/fields.js';
import { entryFileName } from '../../src/protocol/filename.js';
import { isoSeconds } from '../../src/protocol/time.js';

export const NOW = new Date('2026-03-01T12:00:00Z');
export const AGENTS = ['dev', 'dev2', 'qa', 'lead'] as const;

export const step = fc.record({
  sprint: fc.constantFrom<string>('a', 'b'),
  agent: fc.constantFrom(...AGENTS),
  status: fc.constantFrom<Status>(...STATUSES, 'NOTE', 'VERIFIED', 'COMPLETE', 'IN_PROGRESS'),
  severity: fc.constantFrom(...SEVERITIES),
  /** Minutes before NOW the entry was written, and since its last heartbeat. */
  ago: fc.integer({ min: 0, max: 600 }),
  beat: fc.integer({ min: 0, max: 120 }),
  ttl: fc.constantFrom(15, 30, 60),
  error: fc.option(fc.constantFrom('e1', 'e2'), { nil: undefined }),
  /** Indexes of earlier entries this one names. */
  names: fc.array(fc.nat(60), { maxLength: 2 }),
  field: fc.constantFrom('resolves', 'supersedes', 'verifies', 'acknowledges', 'none', 'none'),
  archived: fc.boolean(),
});

export type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

export function makeEntry(s: Step, seq: number, earlier: readonly Entry[], clone = ''): Entry {
  // Entries written later get later timestamps: seq order and time order agree within one clone.
  const timestamp = isoSeconds(new Date(NOW.getTime() - (600 - seq) * 60_000 - s.ago * 1000));
  const heartbeat = isoSeconds(new Date(Math.min(NOW.getTime(), new Date(timestamp).getTime() + s.beat * 60_000)));
  const agent = clone ? `${s.agent}${clone}` : s.agent;
  const file = entryFileName(seq, timestamp, agent);
  const entry: Entry = {
    timestamp,
    sprint: s.sprint,
    agent,
    status: s.status,
    severity: s.severity,
    heartbeat,
    ttl_minutes: s.ttl,
    extra: {},
    file,
    path: s.archived ? `.agent/status/archive/${s.sprint}/${file}` : `.agent/status/current/${file}`,
    seq,
    location: s.archived ? 'archive' : 'current',
    body: '',
  };
  if (s.status === 'FAILED' && s.error) entry.error = s.error;
  const named = s.names.filter((n) => n < earlier.length).map((n) => earlier[n]!.file);
  if (named.length > 0) {
    if (s.field === 'resolves') entry.resolves = named;
    if (s.field === 'supersedes') entry.supersedes = named;
    if (s.field === 'acknowledges') entry.acknowledges = named[0]!;
    if (s.field === 'verifies' && (s.status === 'VERIFIED' || s.status === 'FAILED')) entry.verifies = named[0]!;
  }
  return entry;
}

export function build(steps: readonly Step[], first = 1, before: readonly Entry[] = [], clone = ''): Entry[] {
  const entries: Entry[] = [];
  steps.forEach((s, i) => entries.push(makeEntry(s, first + i, [...before, ...entries], clone)));
  return entries;
}

/** Two clones that share `common`, then each write their own entries (numbered from the same seq): the merge is the union. */
export const merged = fc.record({ common: fc.array(step, { maxLength: 15 }), left: fc.array(step, { maxLength: 10 }), right: fc.array(step, { maxLength: 10 }) }).map(({ common, left, right }) => {
  const base = build(common);
  const a = build(left, base.length + 1, base, '');
  const b = build(right, base.length + 1, base, '-b');
  return [...base, ...a, ...b];
});

export const history = fc.oneof(fc.array(step, { maxLength: 40 }).map((steps) => build(steps)), merged);
