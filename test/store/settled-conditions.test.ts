/**
 * Each condition under which `cos scan` leaves a settled folder unread (store/read.ts `decide`,
 * `candidate`, `materialize`; checks/settled.ts), as a named case where dropping it would change
 * the answer: a file name used elsewhere, a number past the reachable highest, a holder alive in
 * year 9999, a sprint exactly max_age_days old, a copy in another worktree's current/, equal
 * copies whose read order decides. Written by qa-reviewer-s5c (session 5) after its mutations
 * survived the other tests; every case compares the fast scan with the full read, cold and warm.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DAY, MINUTE, expectScanMatches, fileNameOf, kinds, put, writeEntry, type EntrySpec } from '../helpers/status-files.js';
import { git, gitdir } from '../helpers/tmp.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const now = new Date(NOW);
const o = { now };
function verified(sprint: string, first: number, at: number, folder = `archive/${sprint}`): EntrySpec[] {
  const c: EntrySpec = { seq: first, sprint, agent: 'dev', status: 'COMPLETE', at, folder };
  return [c, { seq: first + 1, sprint, agent: 'qa', status: 'VERIFIED', at: at + 30 * MINUTE, folder, fields: { verifies: fileNameOf(c) } }];
}
const live: EntrySpec = { seq: 40, sprint: 'gamma', agent: 'lead', status: 'IN_PROGRESS', at: NOW - 60 * MINUTE, beat: 50, ttl: 240, folder: 'current' };
/** The fast scan equals the full read cold, warm, and warm again (the cold scan writes what the warm ones use). */
function three(root: string, label: string) {
  expectScanMatches(root, o, `${label} cold`);
  expectScanMatches(root, o, `${label} warm`);
  return expectScanMatches(root, o, `${label} warm2`);
}

describe('what keeps a settled folder read', () => {
  it('S1 outlier seqs in a quiet old folder (M8)', () => {
    const root = gitdir();
    for (const s of [...verified('alpha', 1, NOW - 30 * DAY), ...verified('beta', 5_000_001, NOW - 20 * DAY), live]) writeEntry(root, s);
    const r = three(root, 'S1');
    expect(r.problems).toBe(2);
  });
  it('S2 same file name in current/ (another sprint) and in a quiet old folder (M9)', () => {
    const root = gitdir();
    const [c, v] = verified('alpha', 1, NOW - 30 * DAY);
    for (const s of [c!, v!, live]) writeEntry(root, s);
    // v's name again in current/, as gamma's NOTE (a merge of an edited copy)
    writeEntry(root, { ...v!, sprint: 'gamma', status: 'NOTE', severity: 'URGENT', folder: 'current', fields: {}, beat: 1 });
    three(root, 'S2');
  });
  it('S2b same file name in current/ with an older heartbeat than the archived one (M9)', () => {
    const root = gitdir();
    const [c, v] = verified('alpha', 1, NOW - 30 * DAY);
    for (const s of [{ ...c!, beat: 5 }, v!, live]) writeEntry(root, s);
    writeEntry(root, { ...c!, sprint: 'gamma', status: 'NOTE', severity: 'URGENT', folder: 'current', fields: {}, beat: 0 });
    three(root, 'S2b');
  });
  it('S2c same file name in two folders: a quiet old one and an old noisy one of another sprint (M9)', () => {
    const root = gitdir();
    const [c, v] = verified('alpha', 1, NOW - 30 * DAY);
    for (const s of [c!, { ...v!, beat: 5 }, live]) writeEntry(root, s);
    writeEntry(root, { ...v!, sprint: 'zeta', status: 'NOTE', severity: 'URGENT', folder: 'archive/zeta', fields: {}, beat: 0 });
    three(root, 'S2c');
  });
  it('S4 identical copies of a quiet folder in two folders of one checkout (M16)', () => {
    const root = gitdir();
    for (const s of [...verified('alpha', 1, NOW - 30 * DAY), ...verified('alpha', 1, NOW - 30 * DAY, 'archive/alpha-again'), live]) writeEntry(root, s);
    const r = three(root, 'S4');
    expect(r.entries).toBe(3);
  });
  it('S6 quiet folder with a malformed file (M14)', () => {
    const root = gitdir();
    for (const s of [...verified('alpha', 1, NOW - 30 * DAY), live]) writeEntry(root, s);
    put(root, '.agent/status/archive/alpha/003-2026-05-01T00-00-00Z-dev.md', '---\nsprint: [\n---\n');
    three(root, 'S6');
  });
  it('S7 high seq in a quiet folder is the stepping stone for a current entry (M30)', () => {
    const root = gitdir();
    for (const s of [...verified('alpha', 1, NOW - 30 * DAY), ...verified('beta', 900_000, NOW - 20 * DAY), { ...live, seq: 1_800_000 }]) writeEntry(root, s);
    const r = three(root, 'S7');
    expect(r.problems).toBe(0);
  });
  it('S8 ties between copies in two folders: read order decides (M41)', () => {
    for (const [x, y] of [['a1', 'b1'], ['b2', 'a2'], ['c3', 'd3'], ['d4', 'c4'], ['e5', 'f5'], ['f6', 'e6']]) {
      const root = gitdir();
      const [c, v] = verified('alpha', 1, NOW - 30 * DAY, `archive/${x}`);
      for (const s of [c!, v!, live]) writeEntry(root, s);
      // the same name as v, same heartbeat, in another folder: an URGENT NOTE of zeta (noisy: read)
      writeEntry(root, { ...v!, sprint: 'zeta', status: 'NOTE', severity: 'URGENT', folder: `archive/${y}`, fields: {} });
      three(root, `S8 ${x} ${y}`);
    }
  });
  it('S9 two worktrees, identical quiet copies, plus the same name in a third folder (M9/M10)', () => {
    const root = gitdir();
    for (const s of [...verified('alpha', 1, NOW - 30 * DAY), live]) writeEntry(root, s);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 's');
    const other = join(root, '..', `${root.split('/').pop()}-s9`);
    git(root, 'worktree', 'add', '-q', other, '-b', 's9');
    try {
      for (const from of [root, other]) three(from, 'S9a');
    } finally {
      git(root, 'worktree', 'remove', '--force', other);
    }
  });
  it('S10 an old archived holder with a heartbeat in year 9999 (M23)', () => {
    const root = gitdir();
    for (const s of [...verified('alpha', 1, NOW - 30 * DAY), live]) writeEntry(root, s);
    const at = NOW - 30 * DAY + DAY;
    writeEntry(root, { seq: 3, sprint: 'alpha', agent: 'ops', status: 'IN_PROGRESS', at, beat: (Date.parse('9999-06-01T00:00:00Z') - at) / MINUTE, ttl: 525_600, folder: 'archive/alpha' });
    const r = three(root, 'S10');
    expect(kinds(r).some((k) => k.startsWith('stale'))).toBe(true);
  });
  it('S11 a sprint exactly max_age_days old is present (M11b)', () => {
    const root = gitdir();
    const at = NOW - 7 * DAY;
    writeEntry(root, { seq: 1, sprint: 'alpha', agent: 'dev', status: 'COMPLETE', at, folder: 'archive/alpha' });
    writeEntry(root, live);
    const r = three(root, 'S11');
    expect(kinds(r).some((k) => k.startsWith('unverified'))).toBe(true);
  });
  it('S12 another worktree holds the same entry in current/ and in a quiet archived folder (M40)', () => {
    const root = gitdir();
    writeEntry(root, live);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 's');
    const other = join(root, '..', `${root.split('/').pop()}-s12`);
    git(root, 'worktree', 'add', '-q', other, '-b', 's12');
    try {
      const x: EntrySpec = { seq: 1, sprint: 'alpha', agent: 'dev', status: 'COMPLETE', at: NOW - 30 * DAY, folder: 'archive/alpha' };
      writeEntry(other, x);
      writeEntry(other, { seq: 2, sprint: 'alpha', agent: 'dev', status: 'NOTE', at: NOW - 30 * DAY + MINUTE, folder: 'archive/alpha' });
      three(root, 'S12 before');
      writeEntry(other, { ...x, folder: 'current' });
      const r = three(root, 'S12');
      expect(kinds(r).some((k) => k.startsWith('unverified'))).toBe(true);
    } finally {
      git(root, 'worktree', 'remove', '--force', other);
    }
  });
});
