/**
 * Must-show: dispatch claims are shared by every worktree. 8 real processes of the built CLI run
 * `cos dispatch developer s1` at the same instant from 3 worktrees of one repository (spawned and
 * warmed up first, then released together through their stdin): exactly one wins, every other one
 * exits 3 naming the winner's entry and worktree. 5 rounds in CI; `npm run stress` runs 50.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gatedCli, race } from '../helpers/racers.js';
import { worktreeRepo } from '../helpers/worktrees.js';

const RACERS = 8;
const ROUNDS = Number(process.env.COS_STRESS_ROUNDS ?? 5);

describe('dispatch claims across worktrees', () => {
  it(`${RACERS} simultaneous dispatches of one sprint from 3 worktrees: exactly one wins, ${ROUNDS} rounds`, { timeout: 120_000 + ROUNDS * 60_000 }, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const repo = await worktreeRepo(2);
      const dirs = [repo.main, ...repo.worktrees];
      const names = ['main', 'wt1', 'wt2'];
      const results = await race(Array.from({ length: RACERS }, (_, i) => gatedCli(['dispatch', 'developer', 's1', '--agent', `dev-${i}`, '--json'], { cwd: dirs[i % 3]! })));
      const codes = results.map((r) => r.code).sort();
      expect(codes, `round ${round}: ${results.map((r) => r.stderr).join(' | ')}`).toEqual([0, 3, 3, 3, 3, 3, 3, 3]);
      const w = results.findIndex((r) => r.code === 0);
      const entry = JSON.parse(results[w]!.stdout).entry as { name: string };
      for (const loser of results.filter((r) => r.code === 3)) {
        expect(loser.stderr).toContain(entry.name);
        expect(loser.stderr).toContain(`dev-${w} is DISPATCHED in worktree ${names[w % 3]}`);
        // --json: the refusal as a document on stdout, the same sentence on stderr.
        expect(JSON.parse(loser.stdout)).toEqual({ version: 1, ok: false, error: { code: expect.any(String), exit_code: 3, message: loser.stderr.replace(/^cos dispatch: /, '').trim() } });
      }
      const written = dirs.flatMap((dir) => readdirSync(join(dir, '.agent/status/current')).filter((name) => name.endsWith('.md')));
      expect(written).toEqual([entry.name]);
    }
  });
});
