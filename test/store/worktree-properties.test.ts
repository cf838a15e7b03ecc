/**
 * Properties of the two pure rules behind one view across worktrees and machines:
 * - oneCopyPerName: the same file in several worktrees is one entry (the latest heartbeat wins),
 *   whatever order the worktrees were read in; nothing of a single checkout is dropped;
 * - claimStatus: a remote claim lapses exactly when its holder finished after it, an entry
 *   supersedes it, or its heartbeat + ttl has passed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { claimStatus } from '../../src/dispatch/remote.js';
import type { ClaimRecord } from '../../src/git/claim-ref.js';
import type { Entry, Status } from '../../src/protocol/fields.js';
import { entryFileName } from '../../src/protocol/filename.js';
import { sortEntries } from '../../src/protocol/order.js';
import { isoSeconds } from '../../src/protocol/time.js';
import { oneCopyPerName } from '../../src/store/read.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');

function entry(seq: number, agent: string, status: Status, minute: number, extra: Partial<Entry> = {}): Entry {
  const timestamp = isoSeconds(new Date(T0 + minute * 60_000));
  const file = entryFileName(seq, timestamp, agent);
  return { timestamp, sprint: 's', agent, status, severity: 'INFO', heartbeat: timestamp, ttl_minutes: 30, extra: {}, file, path: file, seq, location: 'current', body: '', ...extra };
}

describe('oneCopyPerName', () => {
  const copy = fc.record({ seq: fc.integer({ min: 1, max: 6 }), worktree: fc.constantFrom('main', 'wt1', 'wt2'), beat: fc.integer({ min: 0, max: 5 }), archived: fc.boolean() });

  it('keeps one worktree per file name, one whose heartbeat is the latest, whatever the read order', () => {
    fc.assert(
      fc.property(fc.array(copy, { maxLength: 24 }), fc.constantFrom('main', 'wt1', 'wt2'), (copies, here) => {
        // The same seq means the same file (name and content apart from the heartbeat).
        const all = copies.map((c) => {
          const e = entry(c.seq, 'dev', 'IN_PROGRESS', c.seq, { worktree: c.worktree, location: c.archived ? 'archive' : 'current' });
          return { ...e, heartbeat: isoSeconds(new Date(T0 + (c.seq + c.beat) * 60_000)) };
        });
        const kept = oneCopyPerName(sortEntries([...all]), here);
        const keptReversed = oneCopyPerName(sortEntries([...all].reverse()), here);
        expect(new Set(kept)).toEqual(new Set(keptReversed));
        for (const name of new Set(all.map((e) => e.file))) {
          const copiesOf = all.filter((e) => e.file === name);
          const winners = new Set(kept.filter((e) => e.file === name).map((e) => e.worktree));
          expect(winners.size).toBe(1);
          const latest = Math.max(...copiesOf.map((e) => Date.parse(e.heartbeat)));
          const [winner] = winners;
          expect(copiesOf.some((e) => e.worktree === winner && Date.parse(e.heartbeat) === latest)).toBe(true);
          // Every copy the winning worktree holds is kept (current and archive alike).
          expect(kept.filter((e) => e.file === name)).toHaveLength(copiesOf.filter((e) => e.worktree === winner).length);
        }
      }),
    );
  });

  it('returns a single checkout (no worktree names) as it is', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 12 }), (seqs) => {
        const all = seqs.map((seq) => entry(seq, 'dev', 'IN_PROGRESS', seq));
        expect(oneCopyPerName(all, undefined)).toBe(all);
      }),
    );
  });
});

describe('claimStatus', () => {
  const step = fc.record({
    agent: fc.constantFrom('dev', 'qa'),
    status: fc.constantFrom<Status>('DISPATCHED', 'IN_PROGRESS', 'BLOCKED', 'FAILED', 'COMPLETE', 'VERIFIED'),
    supersedesClaim: fc.boolean(),
  });

  it('lapses exactly when the holder finished after the claim, an entry supersedes it, or it is past its ttl', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 8 }), fc.integer({ min: 0, max: 90 }), fc.integer({ min: 0, max: 3 }), (steps, nowMinute, before) => {
        // `before` entries precede the claim; the claim's DISPATCHED entry follows them.
        const history: Entry[] = [];
        steps.slice(0, before).forEach((s, i) => history.push(entry(i + 1, s.agent, s.status, i)));
        const claimed = entry(history.length + 1, 'dev', 'DISPATCHED', 10);
        history.push(claimed);
        steps.slice(before).forEach((s, i) =>
          history.push(entry(history.length + 1, s.agent, s.status, 11 + i, s.supersedesClaim && s.agent === 'qa' ? { supersedes: claimed.file } : {})),
        );
        const claim: ClaimRecord = { sprint: 's', agent: 'dev', machine: 'm', time: claimed.timestamp, heartbeat: claimed.timestamp, ttl_minutes: 30, entry: claimed.file };
        const now = new Date(T0 + nowMinute * 60_000);
        const after = history.slice(history.indexOf(claimed));
        const mine = after.filter((e) => e.agent === 'dev');
        const last = mine[mine.length - 1]!;
        const finished = ['COMPLETE', 'FAILED', 'VERIFIED'].includes(last.status);
        const superseded = history.some((e) => e.supersedes === claimed.file);
        const expired = Date.parse(last.heartbeat) + 30 * 60_000 < now.getTime();
        expect(claimStatus(claim, history, now).live).toBe(!finished && !superseded && !expired);
      }),
    );
  });
});
