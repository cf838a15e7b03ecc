/**
 * Dispatching is a claim: 8 real processes of the built CLI run `cos dispatch developer s1` at the
 * same instant (all spawned and warmed up first, then released together through their stdin);
 * exactly one wins and the seven others exit 3 — 20 times over.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cos, runCli } from '../helpers/cli.js';
import { gatedCli, race } from '../helpers/racers.js';
import { testdir } from '../helpers/tmp.js';

const RACERS = 8;
const ROUNDS = 20;


describe('atomic claims', () => {
  // 160 CLI processes: 14 s on a quiet 2-core machine, 46 s under load, 320 s at load 48; room for a noisier one.
  it(`${RACERS} simultaneous dispatches of one sprint: exactly one wins, ${ROUNDS} rounds`, { timeout: 600_000 }, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const root = testdir();
      expect((await cos(['init', '--dir', root])).code).toBe(0);
      // Different agent names, so no two racers could ever collide on a file name: only the claim decides.
      const racers = Array.from({ length: RACERS }, (_, i) => gatedCli(['dispatch', 'developer', 's1', '--agent', `dev-${i}`, '--dir', root, '--json']));
      const results = await race(racers);
      const codes = results.map((r) => r.code).sort();
      expect(codes, `round ${round}: ${results.map((r) => r.stderr).join(' | ')}`).toEqual([0, 3, 3, 3, 3, 3, 3, 3]);
      const winner = results.find((r) => r.code === 0)!;
      const entry = JSON.parse(winner.stdout).entry as { file: string; name: string };
      for (const loser of results.filter((r) => r.code === 3)) {
        expect(loser.stderr).toContain(entry.file);
        // --json: the refusal as a document on stdout, the same sentence on stderr.
        expect(JSON.parse(loser.stdout)).toEqual({ version: 1, ok: false, error: { code: expect.any(String), exit_code: 3, message: loser.stderr.replace(/^cos dispatch: /, '').trim() } });
      }
      const files = readdirSync(join(root, '.agent/status/current')).filter((name) => name.endsWith('.md'));
      expect(files).toEqual([entry.name]);
      expect(readFileSync(join(root, entry.file), 'utf8')).toContain('status: DISPATCHED');
    }
  });
});

describe('a claim holder killed mid-section', () => {
  it('leaves its lock behind; the next dispatch takes it over once stale and wins', async () => {
    const root = testdir();
    expect((await cos(['init', '--dir', root])).code).toBe(0);
    const lockModule = new URL('../../dist/store/lock.js', import.meta.url).href;
    const claim = join(root, '.agent/status/.claims/sprint-s1');
    // A holder that takes the very lock cos dispatch uses, says so, and hangs inside the section.
    const holder = spawn(
      process.execPath,
      ['--input-type=module', '-e', `const { withLock } = await import(${JSON.stringify(lockModule)}); (await import('node:fs')).mkdirSync(${JSON.stringify(join(root, '.agent/status/.claims'))}, { recursive: true }); await withLock(${JSON.stringify(claim)}, () => { process.stdout.write('locked\\n'); setInterval(() => {}, 1000); return new Promise(() => {}); }, { stale: 10000 });`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    // If the holder dies before it holds the lock, fail at once instead of waiting for the timeout.
    await new Promise<void>((resolve, reject) => {
      holder.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
      holder.on('close', (code) => reject(new Error(`the lock holder exited (${code}) before taking the lock`)));
    });
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.on('close', resolve));
    // The killed holder left its lock folder behind (nothing released it).
    expect(existsSync(`${claim}.lock`)).toBe(true);
    const result = await runCli(['dispatch', 'developer', 's1', '--json', '--dir', root]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).entry.status).toBe('DISPATCHED');
  });
});
