import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/checks/index.js';
import { createExecRunner } from '../../src/watch/exec.js';
import { testdir } from '../helpers/tmp.js';
import { gone, pidFrom } from './procs.js';

const finding: Finding = {
  kind: 'escalation',
  severity: 'BLOCKER',
  sprint: 'results-wiring',
  files: ['.agent/status/current/007-2026-01-14T04-30-00Z-dev.md', '.agent/status/current/008-2026-01-14T04-31-00Z-ops.md'],
  message: "dev escalated results-wiring: it's \"broken\" $HOME `x`",
  action: 'cos post --resolves 007-2026-01-14T04-30-00Z-dev.md',
};

describe('--exec runner', () => {
  it('passes the finding in COS_* variables and as JSON on stdin, through the shell', async () => {
    const out = testdir();
    const failures: string[] = [];
    const runner = createExecRunner({
      command: 'cat > "$OUT/stdin.json"; printf "%s\\n" "$COS_KIND" "$COS_SEVERITY" "$COS_SPRINT" "$COS_MESSAGE" "$COS_ACTION" > "$OUT/env.txt"; printf "%s" "$COS_FILES" > "$OUT/files.txt"',
      cwd: out,
      env: { ...process.env, OUT: out },
      timeoutMs: 20_000,
      onFailure: (message) => failures.push(message),
    });
    const at = new Date('2026-01-14T04:30:05Z');
    runner.run(finding, at);
    await runner.drain();
    expect(failures).toEqual([]);
    expect(JSON.parse(readFileSync(join(out, 'stdin.json'), 'utf8'))).toEqual({ version: 1, event: 'finding', finding, at: '2026-01-14T04:30:05Z' });
    expect(readFileSync(join(out, 'env.txt'), 'utf8')).toBe(`escalation\nBLOCKER\nresults-wiring\n${finding.message}\n${finding.action}\n`);
    expect(readFileSync(join(out, 'files.txt'), 'utf8').split('\n')).toEqual(finding.files);
  });

  it('reports a non-zero exit with the tail of stderr', async () => {
    const failures: string[] = [];
    const runner = createExecRunner({ command: 'echo "webhook said no" >&2; exit 7', cwd: testdir(), env: process.env, timeoutMs: 20_000, onFailure: (m) => failures.push(m) });
    runner.run(finding, new Date());
    await runner.drain();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/--exec for escalation on results-wiring exited with 7; stderr: webhook said no/);
  });

  it('waits for the end of stderr after the command exits, so the tail is complete', async () => {
    const failures: string[] = [];
    // The shell exits at once; what it started writes to the same stderr afterwards.
    const runner = createExecRunner({
      command: '(sleep 0.5; echo "webhook answered 502" >&2) & exit 3',
      cwd: testdir(),
      env: process.env,
      timeoutMs: 20_000,
      stderrGraceMs: 30_000,
      onFailure: (m) => failures.push(m),
    });
    runner.run(finding, new Date());
    await runner.drain();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/exited with 3; stderr: webhook answered 502$/);
  });

  it('kills a command that runs past its time, with the children it started', async () => {
    const out = testdir();
    const failures: string[] = [];
    // The timeout must leave a loaded machine time to start sh and its child and write the pid.
    const runner = createExecRunner({
      command: 'sleep 60 & echo $! > "$OUT/pid"; wait',
      cwd: out,
      env: { ...process.env, OUT: out },
      timeoutMs: 5_000,
      onFailure: (m) => failures.push(m),
    });
    runner.run(finding, new Date());
    const pid = await pidFrom(join(out, 'pid'), 'the command never started its child');
    await runner.drain();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/timed out after 5 s and was killed/);
    await gone(pid, `the child ${pid} of the timed-out command still runs`);
  });

  it('runs at most maxConcurrent at once and every queued run eventually', async () => {
    const out = testdir();
    const failures: string[] = [];
    const runner = createExecRunner({
      command: 'echo start >> "$OUT/log"; sleep 0.2; echo end >> "$OUT/log"',
      cwd: out,
      env: { ...process.env, OUT: out },
      timeoutMs: 20_000,
      maxConcurrent: 2,
      onFailure: (m) => failures.push(m),
    });
    for (let i = 0; i < 6; i++) runner.run(finding, new Date());
    await runner.drain();
    const lines = readFileSync(join(out, 'log'), 'utf8').trim().split('\n');
    let running = 0;
    let most = 0;
    for (const line of lines) {
      running += line === 'start' ? 1 : -1;
      most = Math.max(most, running);
    }
    expect(lines.filter((l) => l === 'start')).toHaveLength(6);
    expect(lines.filter((l) => l === 'end')).toHaveLength(6);
    expect(most).toBeLessThanOrEqual(2);
    expect(failures).toEqual([]);
  });

  it('drops findings beyond the queue bound with an error, and stop() kills what runs', async () => {
    const out = testdir();
    const failures: string[] = [];
    const runner = createExecRunner({
      command: 'echo $$ >> "$OUT/pids"; exec sleep 60',
      cwd: out,
      env: { ...process.env, OUT: out },
      timeoutMs: 60_000,
      maxConcurrent: 1,
      maxQueued: 1,
      onFailure: (m) => failures.push(m),
    });
    for (let i = 0; i < 3; i++) runner.run(finding, new Date());
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/dropped: 1 runs are already waiting/);
    const pid = await pidFrom(join(out, 'pids'), 'the first command never started');
    await runner.stop(500);
    await gone(pid, `the command ${pid} still runs after stop()`);
    expect(failures).toHaveLength(1); // a stop is not a failure
  });
});
