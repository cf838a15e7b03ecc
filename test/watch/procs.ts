/** Waiting on processes and conditions without assuming how fast a loaded machine is. */
import { readFileSync } from 'node:fs';
import { afterEach } from 'vitest';
import { pidAlive } from '../../src/watch/lock.js';

/** Processes a test started indirectly (an --exec command, its children): killed after the test unless seen gone. */
const tracked = new Set<number>();

afterEach(() => {
  for (const pid of tracked) {
    try {
      if (running(pid)) process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  tracked.clear();
});

/** Kill `pid` after the test if it still runs then (a failed test must not leave it behind). */
export function track(pid: number): number {
  tracked.add(pid);
  return pid;
}

/** Wait until `pid` is gone (a zombie counts as gone), then stop tracking it. */
export async function gone(pid: number, what: string, ms = 30_000): Promise<void> {
  await until(() => !running(pid), what, ms);
  tracked.delete(pid);
}

/** Whether a process runs; a zombie (exited, not yet reaped) does not: the watcher lock's own rule. */
export const running = pidAlive;

/** Poll `check` until it holds; throw `what` after `ms` (generous by default). */
export async function until(check: () => boolean, what = 'condition not met in time', ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} (waited ${ms} ms)`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The pid in a file written by `echo $$ > file`, once the line is complete (a shell may be slow to write it); tracked. */
export async function pidFrom(file: string, what = `no pid in ${file}`): Promise<number> {
  let text = '';
  await until(() => {
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return false;
    }
    return text.endsWith('\n');
  }, what);
  const pid = Number(text.trim().split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 1) throw new Error(`${file} holds no pid: ${JSON.stringify(text)}`);
  return track(pid);
}
