/**
 * Claims through a git remote (PRODUCT.md, "One view across worktrees and machines"): a bare
 * repository stands in for the remote, clones for the machines; the built CLI runs as real
 * processes released together, so the remote's atomic ref update is what decides.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readClaimRefs } from '../../src/git/claim-ref.js';
import { cos, runCli } from '../helpers/cli.js';
import { gatedCli, race } from '../helpers/racers.js';
import { team } from '../helpers/remote-team.js';
import { git, testdir } from '../helpers/tmp.js';

const RACERS = 8;
const ROUNDS = Number(process.env.COS_STRESS_ROUNDS ?? 5);

function entriesIn(clone: string): string[] {
  const dir = join(clone, '.agent/status/current');
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.md')) : [];
}

describe('claims through a git remote', () => {
  it(`${RACERS} simultaneous dispatches --remote origin from 4 clones: exactly one winner, the losers name it; ${ROUNDS} rounds`, { timeout: 120_000 + ROUNDS * 90_000 }, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { remote, clones } = await team(4);
      const racers = Array.from({ length: RACERS }, (_, i) => gatedCli(['dispatch', 'developer', 's1', '--agent', `dev-${i}`, '--remote', 'origin', '--json'], { cwd: clones[i % 4]! }));
      const results = await race(racers);
      const codes = results.map((r) => r.code).sort();
      expect(codes, `round ${round}: ${results.map((r) => r.stderr).join(' | ')}`).toEqual([0, 3, 3, 3, 3, 3, 3, 3]);
      const w = results.findIndex((r) => r.code === 0);
      const won = JSON.parse(results[w]!.stdout) as { entry: { name: string }; remote_claim: { agent: string; entry: string; machine: string } };
      expect(won.remote_claim).toMatchObject({ agent: `dev-${w}`, entry: won.entry.name });
      for (const [i, loser] of results.entries()) {
        if (i === w) continue;
        // --json: the refusal as a document on stdout, the same sentence on stderr.
        expect(JSON.parse(loser.stdout)).toEqual({ version: 1, ok: false, error: { code: expect.any(String), exit_code: 3, message: loser.stderr.replace(/^cos dispatch: /, '').trim() } });
        // Racers in the winner's clone lose on the local claim (naming its entry), the others on the remote (naming the agent).
        expect(loser.stderr).toMatch(i % 4 === w % 4 ? new RegExp(won.entry.name) : new RegExp(`claimed on origin by dev-${w} \\(machine `));
      }
      // One entry in the winner's clone; none anywhere else; the remote holds its claim.
      expect(clones.flatMap(entriesIn)).toEqual([won.entry.name]);
      const refs = await readClaimRefs(clones[0]!, 'origin', 's1');
      expect(refs.map((ref) => ref.claim?.agent)).toEqual([`dev-${w}`]);
      expect(git(remote, 'for-each-ref', 'refs/cos/').trim().split('\n')).toHaveLength(1);
    }
  });

  it('after the holder\'s COMPLETE a reviewer\'s dispatch --remote succeeds; heartbeats refresh the claim; a stale one is listed and released', { timeout: 180_000 }, async () => {
    const { clones } = await team(3);
    const [a, b, c] = clones as [string, string, string];
    const t0 = new Date('2026-03-01T10:00:00Z');
    const dispatched = await cos(['dispatch', 'developer', 's1', '--agent', 'dev', '--remote', 'origin', '--json', '--ttl', '30'], { cwd: a, now: t0 });
    expect(dispatched.stderr).toBe('');
    const refused = await cos(['dispatch', 'qa-reviewer', 's1', '--agent', 'qa', '--remote', 'origin'], { cwd: b, now: t0 });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/s1 is claimed on origin by dev \(machine [^,]+, since 2026-03-01T10:00:00Z, entry 001-2026-03-01T10-00-00Z-dev\.md\)/);

    // The holder works and heartbeats: the claim is refreshed at most once per ttl/3 (10 min).
    await cos(['post', '--sprint', 's1', '--agent', 'dev', '--status', 'IN_PROGRESS'], { cwd: a, now: new Date('2026-03-01T10:01:00Z') });
    const beat = async (iso: string) => JSON.parse((await cos(['heartbeat', '--sprint', 's1', '--agent', 'dev', '--json'], { cwd: a, now: new Date(iso) })).stdout).remote_claim;
    expect(await beat('2026-03-01T10:05:00Z')).toBe('recent');
    expect(await beat('2026-03-01T10:12:00Z')).toBe('refreshed');
    expect(await beat('2026-03-01T10:15:00Z')).toBe('recent');
    expect((await readClaimRefs(b, 'origin', 's1'))[0]!.claim).toMatchObject({ agent: 'dev', heartbeat: '2026-03-01T10:12:00Z' });
    // Past the first ttl but refreshed: still refused elsewhere.
    expect((await cos(['dispatch', 'qa-reviewer', 's1', '--agent', 'qa', '--remote', 'origin'], { cwd: b, now: new Date('2026-03-01T10:35:00Z') })).code).toBe(3);

    // COMPLETE, committed and pushed; the reviewer pulls and dispatches through the remote.
    const done = await cos(['post', '--sprint', 's1', '--agent', 'dev', '--status', 'COMPLETE', '--commit', '--json'], { cwd: a, now: new Date('2026-03-01T10:40:00Z') });
    expect(JSON.parse(done.stdout).released_claim).toBe(true);
    git(a, 'add', '-A');
    git(a, 'commit', '-q', '-m', 'dev entries');
    git(a, 'push', '-q', 'origin', 'HEAD:main');
    git(b, 'pull', '-q', '--no-rebase', 'origin', 'main');
    const review = await cos(['dispatch', 'qa-reviewer', 's1', '--agent', 'qa', '--remote', 'origin', '--json'], { cwd: b, now: new Date('2026-03-01T10:41:00Z') });
    expect(review.stderr).toBe('');
    expect(JSON.parse(review.stdout).remote_claim).toMatchObject({ agent: 'qa', role: 'qa-reviewer' });

    // The reviewer's machine goes silent: its claim lapses at heartbeat + ttl, cleanup lists it and --apply releases it.
    const early = JSON.parse((await cos(['cleanup', '--remote', 'origin', '--json'], { cwd: c, now: new Date('2026-03-01T10:50:00Z') })).stdout);
    expect(early.stale_claims).toEqual([]);
    const late = new Date('2026-03-01T12:00:00Z');
    const listed = JSON.parse((await cos(['cleanup', '--remote', 'origin', '--json'], { cwd: c, now: late })).stdout);
    expect(listed.stale_claims).toEqual([expect.objectContaining({ sprint: 's1', agent: 'qa', released: false, why: expect.stringContaining('plus ttl') })]);
    expect((await readClaimRefs(c, 'origin'))).toHaveLength(1);
    const applied = JSON.parse((await cos(['cleanup', '--remote', 'origin', '--apply', '--json'], { cwd: c, now: late })).stdout);
    expect(applied.stale_claims[0].released).toBe(true);
    expect(await readClaimRefs(c, 'origin')).toEqual([]);
  });

  it("a COMPLETE whose --commit fails still releases the holder's claim on the remote (as a COMPLETE without --commit does)", { timeout: 120_000 }, async () => {
    const { clones } = await team(2);
    const [a, b] = clones as [string, string];
    const t0 = new Date('2026-03-01T10:00:00Z');
    expect((await cos(['dispatch', 'developer', 's1', '--agent', 'dev', '--remote', 'origin', '--json'], { cwd: a, now: t0 })).code).toBe(0);
    expect((await readClaimRefs(b, 'origin', 's1')).map((ref) => ref.claim?.agent)).toEqual(['dev']);
    writeFileSync(join(a, '.git/hooks/pre-commit'), '#!/bin/sh\necho "hook says no" >&2\nexit 1\n', { mode: 0o755 });
    const done = await cos(['post', '--sprint', 's1', '--agent', 'dev', '--status', 'COMPLETE', '--commit', '--json'], { cwd: a, now: new Date('2026-03-01T10:40:00Z') });
    expect(done.code).toBe(5);
    expect(JSON.parse(done.stdout)).toMatchObject({ commit: null, ok: false, released_claim: true });
    expect(await readClaimRefs(b, 'origin', 's1')).toEqual([]);
  });

  it('--force replaces a live claim with a lease and records supersedes; a lapsed claim is replaced without --force', { timeout: 120_000 }, async () => {
    const { clones } = await team(2);
    const [a, b] = clones as [string, string];
    const t0 = new Date('2026-03-01T10:00:00Z');
    const first = JSON.parse((await cos(['dispatch', 'developer', 's1', '--agent', 'dev-a', '--remote', 'origin', '--json'], { cwd: a, now: t0 })).stdout);
    const forced = await cos(['dispatch', 'developer', 's1', '--agent', 'dev-b', '--remote', 'origin', '--force', '--json'], { cwd: b, now: new Date('2026-03-01T10:05:00Z') });
    expect(forced.stderr).toBe('');
    const out = JSON.parse(forced.stdout);
    expect(out.entry.supersedes).toBe(first.entry.name);
    expect(out.remote_claim).toMatchObject({ agent: 'dev-b', supersedes: first.entry.name });
    // The first holder's heartbeat no longer refreshes a claim it lost.
    await cos(['post', '--sprint', 's1', '--agent', 'dev-a', '--status', 'IN_PROGRESS'], { cwd: a, now: new Date('2026-03-01T10:20:00Z') });
    expect(JSON.parse((await cos(['heartbeat', '--sprint', 's1', '--agent', 'dev-a', '--json'], { cwd: a, now: new Date('2026-03-01T10:30:00Z') })).stdout).remote_claim).toBe('not-held');
    // dev-b goes silent past its ttl (30 min): a third dispatch replaces the lapsed claim without --force.
    git(a, 'fetch', '-q', 'origin');
    const third = await cos(['dispatch', 'developer', 's2', '--agent', 'dev-c', '--remote', 'origin'], { cwd: a, now: new Date('2026-03-01T10:31:00Z') });
    expect(third.code).toBe(0);
    const lapsed = await cos(['dispatch', 'developer', 's1', '--agent', 'dev-c', '--remote', 'origin', '--force', '--json'], { cwd: a, now: new Date('2026-03-01T11:00:00Z') });
    expect(JSON.parse(lapsed.stdout).remote_claim.agent).toBe('dev-c');
  });

  it('a remote that is down: exit 5, nothing written; an unknown remote: exit 1', { timeout: 60_000 }, async () => {
    const { remote, clones } = await team(1);
    const [a] = clones as [string];
    git(a, 'remote', 'set-url', 'origin', `${remote}-gone`);
    const down = await cos(['dispatch', 'developer', 's1', '--remote', 'origin'], { cwd: a });
    expect(down.code).toBe(5);
    expect(down.stderr).toMatch(/The git remote origin cannot be reached \(.*\); nothing was written\./);
    expect(entriesIn(a)).toEqual([]);
    const cleanup = await cos(['cleanup', '--remote', 'origin'], { cwd: a });
    expect(cleanup.code).toBe(5);
    const unknown = await cos(['dispatch', 'developer', 's1', '--remote', 'upstream'], { cwd: a });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No git remote named "upstream" here');
    const bad = await cos(['dispatch', 'developer', 's1', '--remote', '--upload-pack=touch x'], { cwd: a });
    expect(bad.code).toBe(1);
    expect(entriesIn(a)).toEqual([]);
  });

  it('a remote that goes down after the dispatch: COMPLETE and heartbeat are written, and the warning says so (not "nothing was written")', { timeout: 60_000 }, async () => {
    const { remote, clones } = await team(1);
    const [a] = clones as [string];
    const cli = (...args: string[]) => runCli([...args, '--dir', a], { env: { NO_COLOR: '1', COS_AGENT: '' } });
    expect((await cli('dispatch', 'developer', 's1', '--agent', 'dev-a', '--remote', 'origin')).code).toBe(0);
    expect((await cli('post', '--sprint', 's1', '--agent', 'dev-a', '--status', 'IN_PROGRESS')).code).toBe(0);
    git(a, 'remote', 'set-url', 'origin', `${remote}-gone`);
    // The heartbeat contacts the remote at most once per ttl/3: an hour later, it does.
    const beat = await cos(['heartbeat', '--sprint', 's1', '--agent', 'dev-a', '--dir', a], { now: new Date(Date.now() + 3_600_000) });
    expect(beat.code).toBe(0);
    expect(beat.stderr).toMatch(/^cos heartbeat: warning: the heartbeat is written, but the claim on origin was not refreshed: The git remote origin cannot be reached \(.*\)\. Check the remote/);
    const done = await cli('post', '--sprint', 's1', '--agent', 'dev-a', '--status', 'COMPLETE', '--json');
    expect(done.code).toBe(0);
    const entry = JSON.parse(done.stdout);
    expect(entry.released_claim).toBe(false);
    expect(done.stderr).toContain(`cos post: warning: ${entry.entry.file} is written, but its claim on origin was not released: The git remote origin cannot be reached (`);
    expect(done.stderr).not.toContain('nothing was written');
    expect(entriesIn(a).some((name) => name === entry.entry.name)).toBe(true);
    const cleanup = await cli('cleanup', '--remote', 'origin');
    expect(cleanup.code).toBe(5);
    expect(cleanup.stderr).toMatch(/cannot be reached \(.*\); nothing was deleted\./);
  });

  it('dispatch.remote in coordination.yaml is the default remote', { timeout: 60_000 }, async () => {
    const { clones } = await team(2);
    const [a, b] = clones as [string, string];
    for (const clone of [a, b]) {
      const yaml = join(clone, '.agent/config/coordination.yaml');
      writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/^dispatch:\n/m, 'dispatch:\n  remote: origin\n'));
    }
    expect((await cos(['dispatch', 'developer', 's1', '--agent', 'dev-a'], { cwd: a })).code).toBe(0);
    const refused = await cos(['dispatch', 'developer', 's1', '--agent', 'dev-b'], { cwd: b });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('claimed on origin by dev-a');
  });
});
