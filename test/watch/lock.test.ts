import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, utimesSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { RefusedError } from '../../src/errors.js';
import { agentPaths } from '../../src/store/paths.js';
import { acquireWatchLock, lockFile, pidAlive, STALE_MS } from '../../src/watch/lock.js';
import { testdir } from '../helpers/tmp.js';

function deadPid(): number {
  // A process that has exited: its pid is free (reuse within the test is vanishingly unlikely).
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function setup() {
  const root = testdir({ '.agent/config/coordination.yaml': 'version: 1\n' });
  const paths = agentPaths(root);
  mkdirSync(paths.state, { recursive: true });
  return { root, paths, file: lockFile(paths) };
}

describe('watcher lock', () => {
  it('is taken once; a second taker is refused naming the holder; release frees it', async () => {
    const { paths, file } = setup();
    const first = await acquireWatchLock(paths);
    expect(first.replaced).toBeNull();
    const held = JSON.parse(readFileSync(file, 'utf8'));
    expect(held).toMatchObject({ pid: process.pid, host: hostname() });
    const error = await acquireWatchLock(paths).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefusedError);
    expect((error as Error).message).toContain(`pid ${process.pid} on host ${hostname()}, started ${held.started}`);
    first.lock.release();
    expect(existsSync(file)).toBe(false);
    const again = await acquireWatchLock(paths);
    again.lock.release();
  });

  it('takes over the lock of a dead process on this host at once', async () => {
    const { paths, file } = setup();
    const pid = deadPid();
    writeFileSync(file, JSON.stringify({ pid, host: hostname(), started: '2026-01-01T00:00:00.000Z', token: 'x' }));
    const { lock, replaced } = await acquireWatchLock(paths);
    expect(replaced).toContain(`pid ${pid} is not running`);
    expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it.skipIf(!existsSync('/proc/self/stat'))('takes over the lock of a zombie (killed, not yet reaped by its parent) at once', async () => {
    const { paths, file } = setup();
    // The child is killed by the test only once its parent has become `sleep 60`, which never
    // reaps it. (A child that exits by itself may exit before the shell's exec, and then the
    // shell reaps it: no zombie, no /proc entry.)
    const parent = spawn('sh', ['-c', 'sleep 60 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let pid = 0;
    try {
      pid = await new Promise<number>((resolve) => parent.stdout!.setEncoding('utf8').once('data', (text: string) => resolve(Number(text.trim()))));
      const end = Date.now() + 30_000;
      const waitFor = async (check: () => boolean, what: string) => {
        while (!check()) {
          if (Date.now() > end) throw new Error(what);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      await waitFor(() => readFileSync(`/proc/${parent.pid}/cmdline`, 'utf8').startsWith('sleep\0'), `the shell (pid ${parent.pid}) never became sleep`);
      process.kill(pid, 'SIGKILL');
      await waitFor(() => /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8')), `pid ${pid} never became a zombie`);
      expect(() => process.kill(pid, 0)).not.toThrow(); // what a plain kill -0 would call alive
      expect(pidAlive(pid)).toBe(false);
      expect(pidAlive(process.pid)).toBe(true);
      writeFileSync(file, JSON.stringify({ pid, host: hostname(), started: '2026-01-01T00:00:00.000Z', token: 'x' }));
      const { lock, replaced } = await acquireWatchLock(paths);
      expect(replaced).toContain(`pid ${pid} is not running`);
      lock.release();
    } finally {
      // The child first: while its parent lives, its pid (alive or zombie) cannot be reused.
      try {
        if (pid > 0) process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      parent.kill('SIGKILL');
    }
  });

  it("respects another host's fresh lock, and takes it over once it has not been refreshed for the stale time", async () => {
    const { paths, file } = setup();
    writeFileSync(file, JSON.stringify({ pid: 1, host: 'elsewhere.example', started: '2026-01-01T00:00:00.000Z', token: 'x' }));
    await expect(acquireWatchLock(paths)).rejects.toThrow(/pid 1 on host elsewhere\.example/);
    const old = new Date(Date.now() - STALE_MS - 5_000);
    utimesSync(file, old, old);
    const { lock, replaced } = await acquireWatchLock(paths);
    expect(replaced).toMatch(/not refreshed for \d+ s/);
    lock.release();
  });

  it('refresh reports a lock taken over by someone else, and release leaves their lock alone', async () => {
    const { paths, file } = setup();
    const { lock } = await acquireWatchLock(paths);
    expect(lock.refresh()).toBe(true);
    writeFileSync(file, JSON.stringify({ pid: 1, host: 'elsewhere.example', started: '2026-01-01T00:00:00.000Z', token: 'theirs' }));
    expect(lock.refresh()).toBe(false);
    lock.release();
    expect(JSON.parse(readFileSync(file, 'utf8')).token).toBe('theirs');
  });
});
