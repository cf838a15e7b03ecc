/**
 * Must-show: dispatch claims are shared by every worktree. 8 real processes of the built CLI run
 * `cos dispatch developer s1` at the same instant from 3 worktrees of one repository (spawned and
 * warmed up first, then released together through their stdin): exactly one wins, every other one
 * exits 3 naming the winner's entry and worktree. 5 rounds in CI; `npm run stress` runs 50.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { worktreeRepo } from '../helpers/worktrees.js';

const GATE = fileURLToPath(new URL('./start-gate.mjs', import.meta.url));
const RACERS = 8;
const ROUNDS = Number(process.env.COS_STRESS_ROUNDS ?? 5);

interface Racer {
  child: ChildProcess;
  ready: Promise<void>;
  done: Promise<{ code: number; stdout: string; stderr: string }>;
}

function racer(cwd: string, agent: string): Racer {
  const child = spawn(process.execPath, [GATE, CLI, 'dispatch', 'developer', 's1', '--agent', agent, '--json'], {
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  let markReady: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    if (stderr.includes('ready\n')) markReady();
  });
  const done = new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      markReady();
      resolve({ code: code ?? -1, stdout, stderr: stderr.replace('ready\n', '') });
    });
  });
  return { child, ready, done };
}

describe('dispatch claims across worktrees', () => {
  it(`${RACERS} simultaneous dispatches of one sprint from 3 worktrees: exactly one wins, ${ROUNDS} rounds`, { timeout: 120_000 + ROUNDS * 60_000 }, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const repo = await worktreeRepo(2);
      const dirs = [repo.main, ...repo.worktrees];
      const names = ['main', 'wt1', 'wt2'];
      const racers = Array.from({ length: RACERS }, (_, i) => racer(dirs[i % 3]!, `dev-${i}`));
      await Promise.all(racers.map((r) => r.ready));
      for (const r of racers) r.child.stdin!.end('go\n');
      const results = await Promise.all(racers.map((r) => r.done));
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
