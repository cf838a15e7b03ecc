/**
 * A committed entry numbered far past every lower one (999999999999-…, 12 digits, a safe integer)
 * must not stop the team from posting (docs/security.md): writers number after the highest
 * number reachable in steps of at most MAX_SEQ_GAP, readers report the far one as malformed.
 * The rule as a property, then real files: a bare remote, the attacker's clone, the victim's,
 * concurrent `cos post` processes.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SEQ_GAP, reachableMaxSeq, splitSeqOutliers } from '../../src/protocol/seq-gap.js';
import { runCli } from '../helpers/cli.js';
import { git, testdir } from '../helpers/tmp.js';

describe('reachableMaxSeq (pure)', () => {
  it('is 0 or one of the numbers; every number up to it is reached in steps of at most MAX_SEQ_GAP; none lies just past it', () => {
    const seq = fc.oneof(fc.integer({ min: 1, max: 3 * MAX_SEQ_GAP }), fc.integer({ min: 1, max: 999_999_999_999 }));
    fc.assert(
      fc.property(fc.array(seq, { maxLength: 60 }), (seqs) => {
        const max = reachableMaxSeq(seqs);
        expect(max === 0 || seqs.includes(max)).toBe(true);
        const below = [...new Set(seqs.filter((s) => s <= max))].sort((a, b) => a - b);
        let previous = 0;
        for (const s of below) {
          expect(s - previous).toBeLessThanOrEqual(MAX_SEQ_GAP);
          previous = s;
        }
        expect(seqs.some((s) => s > max && s - max <= MAX_SEQ_GAP)).toBe(false);
      }),
    );
  });

  it('an ordinary history is all reachable: 1..n, with the gaps lost claims leave', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 200 }), (steps) => {
        const seqs = steps.map((_, i) => steps.slice(0, i + 1).reduce((a, b) => a + b, 0));
        expect(reachableMaxSeq(seqs)).toBe(seqs[seqs.length - 1]);
      }),
    );
  });
});

const entry = (sprint: string, agent: string, status: string) =>
  `---\ntimestamp: 2026-01-14T04:00:00Z\nsprint: ${sprint}\nagent: ${agent}\nstatus: ${status}\nseverity: INFO\nheartbeat: 2026-01-14T04:00:00Z\nttl_minutes: 30\n---\nhostile\n`;

describe('a committed entry numbered 999999999999', () => {
  it('does not stop the team: concurrent posts get small distinct numbers, the far entry is malformed (not "the latest"), in scan and watch', async () => {
    const remote = testdir();
    git(remote, 'init', '-q', '--bare', '-b', 'main');
    const attacker = testdir();
    git(attacker, 'clone', '-q', remote, '.');
    expect((await runCli(['init', '--dir', attacker])).code).toBe(0);
    const far = '999999999999-2026-01-14T04-00-00Z-dev.md';
    writeFileSync(join(attacker, '.agent/status/current', far), entry('payments', 'dev', 'IN_PROGRESS'));
    writeFileSync(join(attacker, '.agent/status/archive', '999999999998-2026-01-14T04-00-00Z-dev.md'), entry('payments', 'dev', 'IN_PROGRESS'));
    git(attacker, 'add', '-A');
    git(attacker, '-c', 'user.name=a', '-c', 'user.email=a@example.invalid', 'commit', '-q', '-m', 'far numbers');
    git(attacker, 'push', '-q', 'origin', 'HEAD:main');
    const victim = testdir();
    git(victim, 'clone', '-q', remote, '.');

    const posts = await Promise.all(
      ['ann', 'bob', 'cid', 'dee', 'eve', 'fay'].map((agent) => runCli(['post', '--dir', victim, '--sprint', 'team', '--agent', agent, '--status', 'IN_PROGRESS'])),
    );
    for (const post of posts) expect({ code: post.code, stderr: post.stderr }).toEqual({ code: 0, stderr: '' });
    const seqs = posts.map((post) => Number(/current\/(\d+)-/.exec(post.stdout)![1])).sort((a, b) => a - b);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6]);
    // The far entry does not outrank dev's own later post.
    const done = await runCli(['post', '--dir', victim, '--sprint', 'payments', '--agent', 'dev', '--status', 'COMPLETE']);
    expect(done.code).toBe(0);
    const status = JSON.parse((await runCli(['status', '--json', '--dir', victim])).stdout) as { sprints: Array<{ sprint: string; state: string }> };
    expect(status.sprints.find((s) => s.sprint === 'payments')?.state).toBe('COMPLETE');

    const malformed = (findings: Array<{ kind: string; files: string[]; message: string }>) =>
      findings.filter((f) => f.kind === 'malformed').map((f) => `${f.files.join(' ')}: ${f.message}`).sort();
    const scan = JSON.parse((await runCli(['scan', '--json', '--dir', victim])).stdout);
    const expected = [
      expect.stringMatching(/archive\/999999999998-.*its sequence number 999999999998 lies more than 1,000,000 past every lower one \(the highest before it is 7\)/),
      expect.stringMatching(/current\/999999999999-.*its sequence number 999999999999 lies more than 1,000,000 past every lower one \(the highest before it is 7\)/),
    ];
    expect(malformed(scan.findings)).toEqual(expected);
    const watch = await runCli(['watch', '--once', '--json', '--dir', victim]);
    const lines = watch.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(malformed(lines.filter((l) => l.event === 'finding').map((l) => l.finding))).toEqual(expected);
    expect(lines.find((l) => l.event === 'summary')?.summary).toMatchObject({ entries: 7, problems: 2, max_seq: 7 });
  }, 240_000);
});

/**
 * The writer numbers after every entry-named file (junk content, a FIFO); the readers must decide
 * reachability over the same numbers, or they drop what the writer wrote (found by QA: junk at
 * 1000000 and 2000000 made a BLOCKER posted as 2000001 vanish from scan and status, and let two
 * dispatches take the same sprint).
 */
describe('junk files numbered 1000000 and 2000000', () => {
  it('splitSeqOutliers (pure) reaches through malformed files numbered by name, never past them', () => {
    const entries = [{ seq: 2_000_001, path: 'b' }, { seq: 4_000_000, path: 'c' }];
    expect(splitSeqOutliers(entries, [])).toMatchObject({ kept: [], outliers: [{ file: 'b' }, { file: 'c' }] });
    const split = splitSeqOutliers(entries, [1_000_000, 2_000_000]);
    expect(split.kept).toEqual([entries[0]]);
    expect(split.outliers).toEqual([{ file: 'c', reason: expect.stringContaining('(the highest before it is 2000001)') }]);
  });

  it('a post after them is counted by scan, status and watch (its BLOCKER shown), and a second dispatch of an occupied sprint is refused', async () => {
    const repo = testdir();
    git(repo, 'init', '-q', '-b', 'main');
    expect((await runCli(['init', '--dir', repo])).code).toBe(0);
    const junk = ['1000000-2026-01-01T00-00-00Z-x.md', '2000000-2026-01-01T00-00-00Z-x.md'];
    for (const name of junk) writeFileSync(join(repo, '.agent/status/current', name), 'junk\n');
    git(repo, 'add', '-A');
    git(repo, '-c', 'user.name=a', '-c', 'user.email=a@example.invalid', 'commit', '-q', '-m', 'junk');

    const post = await runCli(['post', '--dir', repo, '--sprint', 's2', '--agent', 'b', '--status', 'BLOCKED', '--severity', 'BLOCKER', '-m', 'need a human']);
    expect({ code: post.code, stderr: post.stderr }).toEqual({ code: 0, stderr: '' });
    const posted = /current\/(2000001-\S+\.md)/.exec(post.stdout)![1]!;

    const scan = await runCli(['scan', '--json', '--dir', repo]);
    const findings = JSON.parse(scan.stdout).findings as Array<{ kind: string; severity: string; files: string[]; message: string }>;
    expect(findings.filter((f) => f.kind === 'escalation')).toEqual([expect.objectContaining({ severity: 'BLOCKER', files: [expect.stringContaining(posted)] })]);
    // The junk stays malformed (for its content); the post is not reported.
    const malformed = findings.filter((f) => f.kind === 'malformed').map((f) => f.files.join(' ')).sort();
    expect(malformed).toEqual(junk.map((name) => `.agent/status/current/${name}`));
    expect(scan.stdout).not.toContain('lies more than');

    const status = JSON.parse((await runCli(['status', '--json', '--dir', repo])).stdout) as { sprints: Array<{ sprint: string; state: string }> };
    expect(status.sprints.find((s) => s.sprint === 's2')?.state).toBe('BLOCKED');

    const watch = await runCli(['watch', '--once', '--json', '--dir', repo]);
    const lines = watch.stdout.trim().split('\n').map((line) => JSON.parse(line));
    const watched = lines.filter((l) => l.event === 'finding').map((l) => l.finding as { kind: string; severity: string });
    expect(watched.filter((f) => f.kind === 'escalation').map((f) => f.severity)).toEqual(['BLOCKER']);
    expect(watched.filter((f) => f.kind === 'malformed')).toHaveLength(2);
    expect(lines.find((l) => l.event === 'summary')?.summary).toMatchObject({ entries: 1, problems: 2, max_seq: 2_000_001 });

    const first = await runCli(['dispatch', 'developer', 's7', '--dir', repo]);
    expect({ code: first.code, stderr: first.stderr }).toMatchObject({ code: 0 });
    const second = await runCli(['dispatch', 'developer', 's7', '--agent', 'dev-2', '--dir', repo]);
    expect(second.code).toBe(3);
    expect(second.stderr).toContain('s7 is occupied');
  }, 240_000);

  it('a FIFO named like an entry is numbered through too: the post after it is counted, the FIFO stays malformed', async () => {
    const repo = testdir();
    expect((await runCli(['init', '--dir', repo])).code).toBe(0);
    execFileSync('mkfifo', [join(repo, '.agent/status/current/1000000-2026-01-01T00-00-00Z-x.md')]);
    const post = await runCli(['post', '--dir', repo, '--sprint', 's2', '--agent', 'b', '--status', 'BLOCKED', '--severity', 'BLOCKER', '-m', 'need a human']);
    expect(post.code).toBe(0);
    expect(post.stdout).toMatch(/current\/1000001-/);
    const findings = JSON.parse((await runCli(['scan', '--json', '--dir', repo])).stdout).findings as Array<{ kind: string; severity: string; message: string }>;
    expect(findings.filter((f) => f.kind === 'escalation').map((f) => f.severity)).toEqual(['BLOCKER']);
    expect(findings.filter((f) => f.kind === 'malformed').map((f) => f.message)).toEqual([expect.stringContaining('a named pipe')]);
  }, 120_000);
});
