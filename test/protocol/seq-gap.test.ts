/**
 * A committed entry numbered far past every lower one (999999999999-…, 12 digits, a safe integer)
 * must not stop the team from posting (docs/security.md): writers number after the highest
 * number reachable in steps of at most MAX_SEQ_GAP, readers report the far one as malformed.
 * The rule as a property, then real files: a bare remote, the attacker's clone, the victim's,
 * concurrent `cos post` processes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SEQ_GAP, reachableMaxSeq } from '../../src/protocol/seq-gap.js';
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
