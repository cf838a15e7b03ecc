/**
 * `scan` (the fast path of `cos scan`, which may skip archived sprint folders that cannot change
 * any finding) gives exactly what `analyze` gives with every file read: named cases, each with a
 * cold and a warm read cache, and after a change the warm cache must notice. The random version of
 * the same invariant is scan-equivalence.property.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { RACY_MS, readCachePath } from '../src/store/read-cache.js';
import { runCli } from './helpers/cli.js';
import {
  DAY,
  MINUTE,
  entryText,
  expectScanMatches,
  fileNameOf,
  fullScan,
  kinds,
  rewriteInPlace,
  tick,
  writeConfig,
  writeEntry,
  writePlan,
  type EntrySpec,
  type ScanOptions,
} from './helpers/status-files.js';
import { git, gitdir } from './helpers/tmp.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const now = new Date(NOW);

/** A finished, verified sprint archived a month ago: the kind of folder the fast path skips. */
function verifiedSprint(sprint: string, first: number, at: number): EntrySpec[] {
  const complete: EntrySpec = { seq: first, sprint, agent: 'dev', status: 'COMPLETE', at, folder: `archive/${sprint}` };
  const verified: EntrySpec = {
    seq: first + 1,
    sprint,
    agent: 'qa',
    status: 'VERIFIED',
    at: at + 30 * MINUTE,
    folder: `archive/${sprint}`,
    fields: { verifies: fileNameOf(complete) },
  };
  return [complete, verified];
}

/** Work going on now in current/ (fresh heartbeat, long ttl: never stale at NOW). */
const liveWork: EntrySpec = { seq: 40, sprint: 'gamma', agent: 'lead', status: 'IN_PROGRESS', at: NOW - 60 * MINUTE, beat: 50, ttl: 240, folder: 'current' };

/**
 * alpha (archived 30 days ago) was verified, then qa raised an URGENT NOTE nobody resolved: no
 * holder, a finished sprint, but an open escalation. beta is verified and quiet; gamma is live.
 */
function escalatedArchive(root: string): { urgent: EntrySpec } {
  const at = NOW - 30 * DAY;
  const urgent: EntrySpec = {
    seq: 3,
    sprint: 'alpha',
    agent: 'qa',
    status: 'NOTE',
    severity: 'URGENT',
    at: at + 2 * 60 * MINUTE,
    folder: 'archive/alpha',
    body: 'Regression found after release.\n',
  };
  for (const spec of [...verifiedSprint('alpha', 1, at), urgent, ...verifiedSprint('beta', 4, NOW - 20 * DAY), liveWork]) writeEntry(root, spec);
  return { urgent };
}

/** Scan cold, then warm: both equal analyze without the cache; returns the warm result. */
function coldAndWarm(root: string, options: ScanOptions = { now }) {
  const cold = expectScanMatches(root, options, 'cold cache');
  const warm = expectScanMatches(root, options, 'warm cache');
  expect(warm).toEqual(cold);
  return warm;
}

describe('scan equals analyze (named cases)', () => {
  it("an archived sprint's open URGENT escalation is reported on a warm cache", () => {
    const root = gitdir();
    const { urgent } = escalatedArchive(root);
    const warm = coldAndWarm(root);
    expect(kinds(warm)).toContain(`escalation ${fileNameOf(urgent)}`);
    expect(warm.entries).toBe(6);
    // The cold scan filled the read cache, so the warm one had something to be served from.
    expect(existsSync(readCachePath(root)!)).toBe(true);
    expect(expectScanMatches(root, { now })).toEqual(warm);
  });

  it('the same escalation resolved by a new entry in current/ (another sprint) disappears on a warm cache', () => {
    const root = gitdir();
    const { urgent } = escalatedArchive(root);
    expect(kinds(coldAndWarm(root))).toContain(`escalation ${fileNameOf(urgent)}`);
    tick();
    writeEntry(root, {
      seq: 41,
      sprint: 'triage',
      agent: 'lead',
      status: 'NOTE',
      at: NOW - 5 * MINUTE,
      folder: 'current',
      fields: { resolves: [fileNameOf(urgent)] },
    });
    const after = expectScanMatches(root, { now }, 'after the resolve, warm cache from before');
    expect(kinds(after).filter((kind) => kind.startsWith('escalation'))).toEqual([]);
    expect(after.entries).toBe(7);
    expect(coldAndWarm(root)).toEqual(after);
  });

  it('an archived escalation resolved inside its own folder stays quiet', () => {
    const root = gitdir();
    const { urgent } = escalatedArchive(root);
    writeEntry(root, {
      seq: 7,
      sprint: 'alpha',
      agent: 'lead',
      status: 'NOTE',
      at: NOW - 29 * DAY,
      folder: 'archive/alpha',
      fields: { resolves: [fileNameOf(urgent)] },
    });
    const warm = coldAndWarm(root);
    expect(kinds(warm).filter((kind) => kind.startsWith('escalation'))).toEqual([]);
    expect(warm.entries).toBe(7);
  });

  it('an archived VERIFIED sprint edited in place (same size, mtime put back) into an URGENT entry is reported on the next scan', () => {
    const root = gitdir();
    escalatedArchive(root);
    const [, verified] = verifiedSprint('beta', 4, NOW - 20 * DAY);
    expect(kinds(coldAndWarm(root)).filter((kind) => kind.includes(fileNameOf(verified!)))).toEqual([]);
    tick();
    rewriteInPlace(
      join(root, '.agent/status/archive/beta', fileNameOf(verified!)),
      entryText({ ...verified!, status: 'FAILED', severity: 'URGENT', fields: { error: 'regression' }, body: 'It broke.\n' }),
    );
    const after = expectScanMatches(root, { now }, 'after the in-place edit');
    expect(kinds(after)).toContain(`escalation ${fileNameOf(verified!)}`);
    expect(expectScanMatches(root, { now }, 'warm again')).toEqual(after);
  });

  it('an archived entry that resolves, supersedes or approves an entry outside its folder keeps that entry quiet', () => {
    const root = gitdir();
    // Old, verified, quiet folders, each naming one entry that lives elsewhere.
    for (const spec of [
      ...verifiedSprint('alpha', 1, NOW - 30 * DAY),
      ...verifiedSprint('beta', 3, NOW - 25 * DAY),
      ...verifiedSprint('delta', 5, NOW - 20 * DAY),
    ])
      writeEntry(root, spec);
    // In current/: an URGENT NOTE, a guard denial, an URGENT failure; in eps's recent folder: a BLOCKER.
    const urgent: EntrySpec = { seq: 20, sprint: 'gamma', agent: 'qa', status: 'NOTE', severity: 'URGENT', at: NOW - 40 * DAY, folder: 'current' };
    const denied: EntrySpec = {
      seq: 21,
      sprint: 'gamma',
      agent: 'dev',
      status: 'NOTE',
      severity: 'BLOCKER',
      at: NOW - 40 * DAY,
      folder: 'current',
      fields: { denied: 'git push --force origin main' },
    };
    const failed: EntrySpec = {
      seq: 22,
      sprint: 'zeta',
      agent: 'ops',
      status: 'FAILED',
      severity: 'URGENT',
      at: NOW - 40 * DAY,
      folder: 'current',
      fields: { error: 'boom' },
    };
    const blocker: EntrySpec = { seq: 23, sprint: 'eps', agent: 'dev', status: 'NOTE', severity: 'BLOCKER', at: NOW - DAY, folder: 'archive/eps' };
    for (const spec of [urgent, denied, failed, blocker]) writeEntry(root, spec);
    const open = (result: ReturnType<typeof fullScan>) => kinds(result).filter((kind) => kind.startsWith('escalation'));
    expect(open(coldAndWarm(root))).toHaveLength(4);
    // Each answer filed in an old folder (as if written there and archived with its sprint).
    tick();
    writeEntry(root, {
      seq: 24,
      sprint: 'alpha',
      agent: 'lead',
      status: 'NOTE',
      at: NOW - 30 * DAY + DAY,
      folder: 'archive/alpha',
      fields: { resolves: [fileNameOf(urgent), fileNameOf(blocker)] },
    });
    writeEntry(root, {
      seq: 25,
      sprint: 'beta',
      agent: 'lead',
      status: 'NOTE',
      at: NOW - 25 * DAY + DAY,
      folder: 'archive/beta',
      fields: { approves: fileNameOf(denied) },
    });
    writeEntry(root, {
      seq: 26,
      sprint: 'delta',
      agent: 'lead',
      status: 'COMPLETE',
      at: NOW - 20 * DAY + DAY,
      folder: 'archive/delta',
      fields: { supersedes: [fileNameOf(failed)] },
    });
    expect(open(expectScanMatches(root, { now }, 'stale cache'))).toEqual([]);
    expect(open(coldAndWarm(root))).toEqual([]);
  });

  it('a sprint split over two archive folders: the later folder closes what the earlier one opened', () => {
    const root = gitdir();
    // alpha archived twice: dev's BLOCKED URGENT and qa's open URGENT NOTE in one folder; dev's
    // later COMPLETE (back to normal: the BLOCKED is no escalation and no holder) in another.
    writeEntry(root, { seq: 1, sprint: 'alpha', agent: 'dev', status: 'BLOCKED', severity: 'URGENT', at: NOW - 40 * DAY, folder: 'archive/alpha' });
    const qa: EntrySpec = { seq: 2, sprint: 'alpha', agent: 'qa', status: 'NOTE', severity: 'URGENT', at: NOW - 40 * DAY + MINUTE, folder: 'archive/alpha' };
    writeEntry(root, qa);
    writeEntry(root, { seq: 3, sprint: 'alpha', agent: 'dev', status: 'COMPLETE', at: NOW - 39 * DAY, folder: 'archive/alpha-2' });
    for (const spec of verifiedSprint('beta', 4, NOW - 20 * DAY)) writeEntry(root, spec);
    const warm = coldAndWarm(root);
    expect(kinds(warm).filter((kind) => /^(escalation|stale) /.test(kind))).toEqual([`escalation ${fileNameOf(qa)}`]);
    expect(warm.entries).toBe(5);
  });

  it('an entry of another sprint filed in a quiet folder still counts for its own sprint', () => {
    const root = gitdir();
    const quiet = (sprint: string, first: number, at: number): EntrySpec[] => [
      ...verifiedSprint(sprint, first, at),
      ...[2, 3, 4].map((k): EntrySpec => ({ seq: first + k, sprint, agent: 'lead', status: 'NOTE', at: at + k * 60 * MINUTE, folder: `archive/${sprint}` })),
    ];
    // gamma's COMPLETE (yesterday, in current/) was verified by an entry filed in alpha's old folder.
    const claim: EntrySpec = { seq: 20, sprint: 'gamma', agent: 'dev', status: 'COMPLETE', at: NOW - DAY, folder: 'current' };
    const review: EntrySpec = {
      seq: 21,
      sprint: 'gamma',
      agent: 'qa',
      status: 'VERIFIED',
      at: NOW - DAY + MINUTE,
      folder: 'archive/alpha',
      fields: { verifies: fileNameOf(claim) },
    };
    // delta's BLOCKED URGENT (old) was closed by the same agent's COMPLETE, filed in beta's old folder.
    const blocked: EntrySpec = { seq: 22, sprint: 'delta', agent: 'dev', status: 'BLOCKED', severity: 'URGENT', at: NOW - 40 * DAY, folder: 'archive/delta' };
    const closed: EntrySpec = { seq: 23, sprint: 'delta', agent: 'dev', status: 'COMPLETE', at: NOW - 40 * DAY + 60 * MINUTE, folder: 'archive/beta' };
    for (const spec of [...quiet('alpha', 1, NOW - 30 * DAY), ...quiet('beta', 10, NOW - 25 * DAY), claim, review, blocked, closed]) writeEntry(root, spec);
    const warm = coldAndWarm(root);
    expect(kinds(warm).filter((kind) => /^(unverified|escalation|stale) /.test(kind))).toEqual([]);
    expect(warm.entries).toBe(14);
    // And ten days on (gamma no longer present), the same.
    expect(coldAndWarm(root, { now: new Date(NOW + 10 * DAY) }).findings.filter((finding) => finding.sprint === 'delta')).toEqual([]);
  });

  it('leases filed in two old archived folders still conflict', () => {
    const root = gitdir();
    for (const spec of [...verifiedSprint('alpha', 1, NOW - 30 * DAY), ...verifiedSprint('beta', 3, NOW - 25 * DAY)]) writeEntry(root, spec);
    // A year-long lease each, by two agents, over the same files.
    writeEntry(root, {
      seq: 5,
      sprint: 'alpha',
      agent: 'dev',
      status: 'NOTE',
      at: NOW - 30 * DAY + DAY,
      ttl: 525_600,
      folder: 'archive/alpha',
      fields: { lease: ['src/**'] },
    });
    writeEntry(root, {
      seq: 6,
      sprint: 'beta',
      agent: 'ops',
      status: 'NOTE',
      at: NOW - 25 * DAY + DAY,
      ttl: 525_600,
      folder: 'archive/beta',
      fields: { lease: ['src/a.ts'] },
    });
    expect(kinds(coldAndWarm(root)).filter((kind) => kind.startsWith('lease-conflict'))).toHaveLength(1);
    // Given back (a release in current/): no conflict.
    tick();
    writeEntry(root, { seq: 7, sprint: 'beta', agent: 'ops', status: 'NOTE', at: NOW - MINUTE, folder: 'current', fields: { releases: ['src/a.ts'] } });
    expect(kinds(coldAndWarm(root)).filter((kind) => kind.startsWith('lease-conflict'))).toEqual([]);
  });

  it("a duplicate seq between an archived entry and a present sprint's entry is reported", () => {
    const root = gitdir();
    for (const spec of verifiedSprint('alpha', 1, NOW - 30 * DAY)) writeEntry(root, spec);
    // Number 2 again in current/ (gamma is active), and 1 again in eps's recently archived folder.
    const inCurrent: EntrySpec = { ...liveWork, seq: 2 };
    const recentlyArchived: EntrySpec = { seq: 1, sprint: 'eps', agent: 'dev', status: 'NOTE', at: NOW - 2 * DAY, folder: 'archive/eps' };
    writeEntry(root, inCurrent);
    writeEntry(root, recentlyArchived);
    const warm = coldAndWarm(root);
    const [complete, verified] = verifiedSprint('alpha', 1, NOW - 30 * DAY);
    expect(kinds(warm)).toContain(`duplicate-seq ${[fileNameOf(complete!), fileNameOf(recentlyArchived)].sort().join(',')}`);
    expect(kinds(warm)).toContain(`duplicate-seq ${[fileNameOf(verified!), fileNameOf(inCurrent)].sort().join(',')}`);
    // A month later eps is no longer present (gamma, in current/, still is): only gamma's pair is left.
    const later = coldAndWarm(root, { now: new Date(NOW + 30 * DAY) });
    expect(kinds(later).filter((kind) => kind.startsWith('duplicate-seq'))).toEqual([
      `duplicate-seq ${[fileNameOf(verified!), fileNameOf(inCurrent)].sort().join(',')}`,
    ]);
  });

  it('a recently archived sprint with a COMPLETE nobody verified gives unverified while it is present, and not after max_age_days', () => {
    const root = gitdir();
    for (const spec of verifiedSprint('beta', 4, NOW - 20 * DAY)) writeEntry(root, spec);
    writeEntry(root, { seq: 10, sprint: 'alpha', agent: 'dev', status: 'IN_PROGRESS', at: NOW - 3 * DAY, folder: 'archive/alpha' });
    writeEntry(root, { seq: 11, sprint: 'alpha', agent: 'dev', status: 'COMPLETE', at: NOW - 2 * DAY, folder: 'archive/alpha' });
    const unverified = (result: ReturnType<typeof fullScan>) =>
      result.findings.filter((finding) => finding.kind === 'unverified').map((finding) => finding.sprint);
    // Default max_age_days is 7: present at NOW, not ten days later; and back, on the same warm cache.
    expect(unverified(coldAndWarm(root, { now }))).toEqual(['alpha']);
    expect(unverified(coldAndWarm(root, { now: new Date(NOW + 10 * DAY) }))).toEqual([]);
    expect(unverified(coldAndWarm(root, { now }))).toEqual(['alpha']);
    // The config decides too: a day is too short at NOW, a month long enough ten days later.
    tick();
    writeConfig(root, { maxAgeDays: 1 });
    expect(unverified(coldAndWarm(root, { now }))).toEqual([]);
    tick();
    writeConfig(root, { maxAgeDays: 30 });
    expect(unverified(coldAndWarm(root, { now: new Date(NOW + 10 * DAY) }))).toEqual(['alpha']);
    // And so does the `verification` rule.
    tick();
    writeConfig(root, { maxAgeDays: 30, verification: 'optional' });
    expect(unverified(coldAndWarm(root, { now }))).toEqual([]);
  });

  it('a plan that depends on an archived sprint', () => {
    const root = gitdir();
    const [complete, verified] = verifiedSprint('api', 1, NOW - 30 * DAY);
    for (const spec of [complete!, verified!, liveWork]) writeEntry(root, spec);
    writePlan(root, 'ship', [
      { sprint: 'page', depends_on: ['api'] },
      { sprint: 'docs', depends_on: ['page'] },
    ]);
    const stateOf = (sprint: string) => analyze(root, { now, cache: false } as ScanOptions).sprints.find((state) => state.sprint === sprint)?.state;
    coldAndWarm(root);
    expect(stateOf('page')).toBe('READY');
    // The archived verification turned into a rejection in place: page waits again.
    tick();
    rewriteInPlace(
      join(root, '.agent/status/archive/api', fileNameOf(verified!)),
      entryText({ ...verified!, status: 'FAILED', severity: 'WARN', fields: { verifies: fileNameOf(complete!), error: 'no' }, body: 'Rejected.\n' }),
    );
    coldAndWarm(root);
    expect(stateOf('page')).toBe('WAITING');
    // A plan whose own step is the archived sprint, added on a warm cache; and one passed in.
    tick();
    writePlan(root, 'again', [{ sprint: 'api', depends_on: [] }]);
    coldAndWarm(root);
    coldAndWarm(root, { now, plan: { dependsOn: new Map([['next', ['api']]]), sprints: new Set(['next', 'api']) } });
  });

  it('the same archive checked out in two git worktrees (entries committed) counts each entry once', () => {
    const root = gitdir();
    const { urgent } = escalatedArchive(root);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'status');
    const other = join(root, '..', `${root.split('/').pop()}-wt`);
    git(root, 'worktree', 'add', '-q', other, '-b', 'wt');
    try {
      for (const from of [root, other]) {
        const warm = coldAndWarm(from);
        expect(warm.entries).toBe(6);
        expect(warm.findings.filter((finding) => finding.kind === 'escalation')).toHaveLength(1);
      }
      // An entry written only in the other worktree resolves the escalation for every reader.
      tick();
      writeEntry(other, {
        seq: 41,
        sprint: 'triage',
        agent: 'lead',
        status: 'NOTE',
        at: NOW - 5 * MINUTE,
        folder: 'current',
        fields: { resolves: [fileNameOf(urgent)] },
      });
      for (const from of [root, other]) {
        const after = coldAndWarm(from);
        expect(after.entries).toBe(7);
        expect(after.findings.filter((finding) => finding.kind === 'escalation')).toEqual([]);
      }
    } finally {
      git(root, 'worktree', 'remove', '--force', other);
    }
  });

  /**
   * Two copies of one archived sprint under the same file names, each quiet on its own: copy A
   * has qa's URGENT NOTE and lead's NOTE resolving it, copy B has both as INFO NOTEs. A reader
   * keeps, name by name, the copy with the later heartbeat: qa's URGENT (A) and lead's plain NOTE
   * (B), so the escalation is open, though neither copy alone has one.
   */
  function copies(): { a: EntrySpec[]; b: EntrySpec[]; urgent: EntrySpec } {
    const at = NOW - 30 * DAY;
    const urgent: EntrySpec = {
      seq: 3,
      sprint: 'alpha',
      agent: 'qa',
      status: 'NOTE',
      severity: 'URGENT',
      at: at + 60 * MINUTE,
      beat: 3,
      folder: 'archive/alpha',
    };
    const answer: EntrySpec = {
      seq: 4,
      sprint: 'alpha',
      agent: 'lead',
      status: 'NOTE',
      at: at + 120 * MINUTE,
      beat: 1,
      folder: 'archive/alpha',
      fields: { resolves: [fileNameOf(urgent)] },
    };
    const a = [...verifiedSprint('alpha', 1, at), urgent, answer];
    const b = [...verifiedSprint('alpha', 1, at), { ...urgent, severity: 'INFO' as const, beat: 2 }, { ...answer, beat: 4, fields: {} }];
    return { a, b, urgent };
  }

  it('two worktrees holding different copies of the same archived sprint: the copies mixed name by name are what counts', () => {
    const root = gitdir();
    const { a, b, urgent } = copies();
    for (const spec of [...a, liveWork]) writeEntry(root, spec);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'status');
    const other = join(root, '..', `${root.split('/').pop()}-copy`);
    git(root, 'worktree', 'add', '-q', other, '-b', 'copy');
    try {
      for (const spec of b) writeEntry(other, spec);
      for (const from of [root, other]) {
        const warm = coldAndWarm(from);
        expect(warm.entries).toBe(5);
        expect(warm.findings.filter((finding) => finding.kind === 'escalation').map((finding) => finding.files[0]!.split('/').pop())).toEqual([
          fileNameOf(urgent),
        ]);
      }
    } finally {
      git(root, 'worktree', 'remove', '--force', other);
    }
  });

  it('two folders of one checkout holding different copies of the same archived sprint: the same mix', () => {
    const root = gitdir();
    const { a, b, urgent } = copies();
    for (const spec of [...a, ...b.map((spec) => ({ ...spec, folder: 'archive/alpha-again' })), liveWork]) writeEntry(root, spec);
    const warm = coldAndWarm(root);
    expect(warm.entries).toBe(5);
    expect(kinds(warm).filter((kind) => kind.startsWith('escalation'))).toEqual([`escalation ${fileNameOf(urgent)}`]);
  });

  it('cos scan --json as a real child process on a warm cache prints the same findings and counts as analyze in-process', { timeout: 120_000 }, async () => {
    const root = gitdir();
    const real = Date.now();
    // Dated from the real clock (the CLI reads it), far from every boundary: nothing holds, so
    // no finding's text depends on the minute.
    const at = real - 30 * DAY;
    const urgent: EntrySpec = { seq: 3, sprint: 'alpha', agent: 'qa', status: 'NOTE', severity: 'URGENT', at: at + 2 * 60 * MINUTE, folder: 'archive/alpha' };
    for (const spec of [...verifiedSprint('alpha', 1, at), urgent, ...verifiedSprint('beta', 4, real - 20 * DAY)]) writeEntry(root, spec);
    writeEntry(root, { seq: 6, sprint: 'gamma', agent: 'dev', status: 'COMPLETE', at: real - 2 * DAY, folder: 'archive/gamma' });
    writeEntry(root, { seq: 5, sprint: 'gamma', agent: 'dev', status: 'NOTE', at: real - 2 * DAY - MINUTE, folder: 'archive/gamma' });
    writeEntry(root, { seq: 8, sprint: 'delta', agent: 'dev', status: 'NOTE', at: real - 40 * DAY, folder: 'archive/delta', body: 'x' });
    writeEntry(root, { seq: 9, sprint: 'delta', agent: 'dev', status: 'COMPLETE', at: real - 40 * DAY, folder: 'archive/delta' });
    // A malformed file in an old folder: a problem, and a finding.
    writeEntry(root, { seq: 12, sprint: 'delta', agent: 'dev', status: 'NOTE', at: real - 40 * DAY, folder: 'archive/delta' });
    const broken = join(root, '.agent/status/archive/delta', fileNameOf({ seq: 12, at: real - 40 * DAY, agent: 'dev' }));
    rewriteInPlace(broken, '---\nsprint: [\n---\n');
    // Old enough for the real racy window: the first scan fills the cache, the second is served from it.
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 500));
    const cli = async () => {
      const run = await runCli(['scan', '--json', '--fail-on', 'never', '--dir', root]);
      expect(run.code, run.stderr).toBe(0);
      const document = JSON.parse(run.stdout) as { findings: unknown; entries: number; problems: number };
      return { findings: document.findings, entries: document.entries, problems: document.problems };
    };
    const cold = await cli();
    expect(existsSync(readCachePath(root)!)).toBe(true);
    const warm = await cli();
    const expected = fullScan(root, { now: new Date() });
    expect(warm).toEqual(expected);
    expect(cold).toEqual(expected);
    expect(expected.entries).toBe(9);
    expect(expected.problems).toBe(1);
    expect(kinds(expected)).toEqual(
      expect.arrayContaining([`escalation ${fileNameOf(urgent)}`, expect.stringMatching(/^unverified /), expect.stringMatching(/^malformed /)]),
    );
    // The escalation resolved from current/: the warm cache of the real command sees it.
    writeEntry(root, { seq: 13, sprint: 'triage', agent: 'lead', status: 'NOTE', at: real, folder: 'current', fields: { resolves: [fileNameOf(urgent)] } });
    const after = await cli();
    expect(after).toEqual(fullScan(root, { now: new Date() }));
    expect(kinds(after as ReturnType<typeof fullScan>).filter((kind) => kind.startsWith('escalation'))).toEqual([]);
    expect(readFileSync(broken, 'utf8').startsWith('---\nsprint: [')).toBe(true);
  });
});
