/**
 * The lifecycle's invariants (issue 10, "Must show") over random histories: statuses, agents,
 * supersedes, resolves, verifies, acknowledges, NOTEs, archived entries, and merges of two clones
 * that share sequence numbers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareEntries } from '../../src/protocol/order.js';
import { fileList, isHolding, type Entry } from '../../src/protocol/fields.js';
import { deriveSprints, type SprintState } from '../../src/state/lifecycle.js';
import { history, makeEntry, NOW, step } from './history.js';

const RUNS = { numRuns: 400 };

function summary(sprint: SprintState) {
  return {
    sprint: sprint.sprint,
    state: sprint.state,
    holders: sprint.holders.map((h) => `${h.agent}:${h.entry.file}:${h.stale}`).sort(),
    claim: sprint.claim?.file ?? null,
    verification: sprint.verification?.file ?? null,
    failures: sprint.failures.map((e) => e.file),
    invalid: sprint.invalidVerifications.map((bad) => bad.entry.file),
    finished: sprint.finished,
  };
}

const byName = (sprints: SprintState[]) => new Map(sprints.map((s) => [s.sprint, s]));

describe('lifecycle invariants', () => {
  it('a sprint with a holder — live or stale — is never COMPLETE or VERIFIED', () => {
    fc.assert(
      fc.property(history, (entries) => {
        for (const sprint of deriveSprints(entries, NOW)) {
          if (sprint.holders.length > 0) expect(['COMPLETE', 'VERIFIED']).not.toContain(sprint.state);
          if (sprint.holders.some((h) => !h.stale)) expect(['COMPLETE', 'VERIFIED', 'STALE']).not.toContain(sprint.state);
        }
      }),
      RUNS,
    );
  });

  it('VERIFIED always has a COMPLETE of the sprint, verified by a different agent, with no holder since', () => {
    fc.assert(
      fc.property(history, (entries) => {
        for (const sprint of deriveSprints(entries, NOW)) {
          if (sprint.state !== 'VERIFIED') continue;
          const verification = sprint.verification!;
          const claim = sprint.claim!;
          expect(verification.status).toBe('VERIFIED');
          expect(claim.status).toBe('COMPLETE');
          expect(claim.sprint).toBe(sprint.sprint);
          expect(claim.agent).not.toBe(verification.agent);
          if (verification.verifies !== undefined) expect(verification.verifies).toBe(claim.file);
          expect(compareEntries(claim, verification)).toBeLessThan(0);
          expect(sprint.holders).toEqual([]);
          // No holding entry and no other COMPLETE after the verification.
          const after = sprint.entries.filter((e) => compareEntries(e, verification) > 0 && e.status !== 'NOTE');
          for (const e of after) {
            expect(isHolding(e.status)).toBe(false);
            expect(e.status).not.toBe('COMPLETE');
          }
        }
      }),
      RUNS,
    );
  });

  it('a NOTE never changes any sprint’s state or holder set (removing them all, or adding one anywhere)', () => {
    fc.assert(
      fc.property(history, step, fc.nat(), (entries, extra, where) => {
        const base = deriveSprints(entries, NOW).filter((s) => s.entries.some((e) => e.status !== 'NOTE'));
        const stateOf = (sprints: SprintState[]) => new Map(sprints.map((s) => [s.sprint, { state: s.state, holders: summary(s).holders }]));
        const withoutNotes = deriveSprints(entries.filter((e) => e.status !== 'NOTE'), NOW);
        expect(stateOf(withoutNotes)).toEqual(stateOf(base));
        // A NOTE (with whatever fields, supersedes and verifies included) added at any position.
        const seq = entries.length === 0 ? 1 : entries[where % entries.length]!.seq;
        const note = makeEntry({ ...extra, status: 'NOTE', field: extra.field }, seq, entries);
        const all = [...entries, { ...note, supersedes: entries.map((e) => e.file).slice(0, 3) }];
        const after = deriveSprints(all, NOW).filter((s) => s.entries.some((e) => e.status !== 'NOTE'));
        expect(stateOf(after)).toEqual(stateOf(base));
      }),
      RUNS,
    );
  });

  it('a superseding dispatch never leaves the superseded entry holding', () => {
    fc.assert(
      fc.property(history, step, (entries, extra) => {
        for (const sprint of deriveSprints(entries, NOW)) {
          if (sprint.holders.length === 0) continue;
          const names = sprint.holders.map((h) => h.entry.file);
          const seq = Math.max(...entries.map((e) => e.seq)) + 1;
          const dispatch: Entry = { ...makeEntry({ ...extra, sprint: sprint.sprint as typeof extra.sprint, status: 'DISPATCHED', field: 'none' }, seq, entries), supersedes: names };
          const after = byName(deriveSprints([...entries, dispatch], NOW)).get(sprint.sprint)!;
          for (const holder of after.holders) expect(names).not.toContain(holder.entry.file);
          expect(after.holders.map((h) => h.entry.file)).toContain(dispatch.file);
          expect(['DISPATCHED', 'BLOCKED', 'IN_PROGRESS', 'STALE']).toContain(after.state);
        }
      }),
      RUNS,
    );
  });

  it('the derived state does not depend on the order the files were listed in', () => {
    fc.assert(
      fc.property(
        history.chain((entries) => fc.tuple(fc.constant(entries), fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }))),
        ([entries, shuffled]) => {
          const a = deriveSprints(entries, NOW).map(summary);
          const b = deriveSprints(shuffled, NOW).map(summary);
          expect(b).toEqual(a);
        },
      ),
      RUNS,
    );
  });

  it('holders are exactly the agents whose latest non-NOTE entry holds and is not superseded', () => {
    fc.assert(
      fc.property(history, (entries) => {
        for (const sprint of deriveSprints(entries, NOW)) {
          const ordered = [...sprint.entries].filter((e) => e.status !== 'NOTE');
          const superseded = new Set(ordered.flatMap((e) => fileList(e.supersedes).filter((name) => name !== e.file)));
          const latest = new Map<string, Entry>();
          for (const e of ordered) latest.set(e.agent, e);
          const expected = [...latest.values()].filter((e) => isHolding(e.status) && !superseded.has(e.file)).map((e) => e.file).sort();
          expect(sprint.holders.map((h) => h.entry.file).sort()).toEqual(expected);
        }
      }),
      RUNS,
    );
  });
});
