/**
 * `--exec "<command>"`: the user's own command, run through their shell for each new finding that
 * qualifies, with the finding in COS_* environment variables and as JSON on stdin.
 *
 * It never blocks the watcher: runs are asynchronous, at most `maxConcurrent` at once (the rest
 * wait in a bounded queue; beyond it a finding is dropped with an error), each killed after
 * `timeoutMs` — the whole process group, so a script's own children go too. Its stdout is
 * discarded (the watcher's stdout is an event stream); the tail of its stderr goes into the
 * failure message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Finding } from '../checks/index.js';
import { isoSeconds } from '../protocol/time.js';

export interface ExecOptions {
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** How failures name the command (default `--exec`). */
  label?: string;
  maxConcurrent?: number;
  maxQueued?: number;
  /** How long to wait after the command exits for the rest of its stderr (ms; default 2000). */
  stderrGraceMs?: number;
  /** Called once per failed run (non-zero exit, signal, timeout, spawn error, queue full). */
  onFailure: (message: string, finding: Finding) => void;
}

export interface ExecRunner {
  run(finding: Finding, at: Date): void;
  /** Resolves when nothing is running or queued. */
  drain(): Promise<void>;
  /** Kill everything running (SIGTERM, then SIGKILL after graceMs) and drop the queue. */
  stop(graceMs: number): Promise<void>;
}

const STDERR_TAIL = 1024;
const KILL_GRACE_MS = 1_000;
const STDERR_GRACE_MS = 2_000;

export function findingEnv(finding: Finding, at: Date, root: string): Record<string, string> {
  return {
    COS_KIND: finding.kind,
    COS_SEVERITY: finding.severity,
    COS_SPRINT: finding.sprint ?? '',
    COS_FILES: finding.files.join('\n'),
    COS_MESSAGE: finding.message,
    COS_ACTION: finding.action,
    COS_AT: isoSeconds(at),
    COS_ROOT: root,
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // Detached: the child leads its own process group; a negative pid signals all of it.
    process.kill(process.platform === 'win32' ? child.pid : -child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

/** Signal a process group by its id; false when it is gone. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  if (process.platform === 'win32') return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

export function createExecRunner(options: ExecOptions): ExecRunner {
  // Every process group an --exec command started (its leader may have exited while a background
  // child of it runs on): all of them are killed when the watcher stops or exits, so nothing an
  // --exec command started outlives the watcher (docs/security.md).
  const groups = new Set<number>();
  const reap = (signal: NodeJS.Signals) => {
    for (const pgid of groups) if (!signalGroup(pgid, signal)) groups.delete(pgid);
  };
  const onExit = () => reap('SIGKILL');
  process.once('exit', onExit);
  const maxConcurrent = options.maxConcurrent ?? 4;
  const maxQueued = options.maxQueued ?? 100;
  const queue: Array<{ finding: Finding; at: Date }> = [];
  const running = new Set<ChildProcess>();
  let idle: Array<() => void> = [];
  let stopped = false;

  const describe = (finding: Finding) => `${options.label ?? '--exec'} for ${finding.kind}${finding.sprint ? ` on ${finding.sprint}` : ''}`;

  function settle(): void {
    if (running.size === 0 && queue.length === 0) {
      const waiting = idle;
      idle = [];
      for (const resolve of waiting) resolve();
    }
  }

  function start(finding: Finding, at: Date): void {
    let child: ChildProcess;
    try {
      child = spawn(options.command, {
        shell: true,
        cwd: options.cwd,
        env: { ...options.env, ...findingEnv(finding, at, options.cwd) },
        stdio: ['pipe', 'ignore', 'pipe'],
        detached: process.platform !== 'win32',
      });
    } catch (error) {
      options.onFailure(`${describe(finding)} could not start: ${(error as Error).message}`, finding);
      return;
    }
    running.add(child);
    if (child.pid !== undefined) {
      for (const pgid of groups) if (!signalGroup(pgid, 0)) groups.delete(pgid);
      groups.add(child.pid);
    }
    let stderr = '';
    let timedOut = false;
    let failedToSpawn = null as Error | null;
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL);
    });
    child.stdin?.on('error', () => {
      // The command need not read its stdin (EPIPE).
    });
    child.stdin?.end(`${JSON.stringify({ version: 1, event: 'finding', finding, at: isoSeconds(at) })}\n`);
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGTERM');
      setTimeout(() => killGroup(child, 'SIGKILL'), KILL_GRACE_MS).unref();
    }, options.timeoutMs);
    timer.unref();
    let finished = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      child.stderr?.destroy();
      running.delete(child);
      const tail = stderr.trim() ? `; stderr: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : '';
      if (failedToSpawn) options.onFailure(`${describe(finding)} could not start: ${failedToSpawn.message}`, finding);
      else if (timedOut) options.onFailure(`${describe(finding)} timed out after ${options.timeoutMs / 1000} s and was killed${tail}`, finding);
      else if (signal && !stopped) options.onFailure(`${describe(finding)} was killed by ${signal}${tail}`, finding);
      else if (code !== 0 && code !== null) options.onFailure(`${describe(finding)} exited with ${code}${tail}`, finding);
      pump();
      settle();
    };
    child.on('error', (error) => {
      failedToSpawn = error;
      // A process that never started emits no 'exit'.
      if (child.pid === undefined) finish(null, null);
    });
    // 'exit' can come before the last of stderr has been read: wait for its end, for a bounded
    // time (a background child of the command may hold the pipe open).
    child.on('exit', (code, signal) => {
      const stream = child.stderr;
      if (!stream || stream.readableEnded || stream.destroyed) return finish(code, signal);
      const grace = setTimeout(() => finish(code, signal), options.stderrGraceMs ?? STDERR_GRACE_MS);
      grace.unref();
      stream.once('end', () => {
        clearTimeout(grace);
        finish(code, signal);
      });
    });
  }

  function pump(): void {
    while (!stopped && running.size < maxConcurrent && queue.length > 0) {
      const next = queue.shift()!;
      start(next.finding, next.at);
    }
  }

  return {
    run(finding, at) {
      if (stopped) return;
      if (queue.length >= maxQueued) {
        options.onFailure(`${describe(finding)} was dropped: ${maxQueued} runs are already waiting (at most ${maxConcurrent} run at once)`, finding);
        return;
      }
      queue.push({ finding, at });
      pump();
    },
    drain() {
      if (running.size === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
    async stop(graceMs) {
      stopped = true;
      queue.length = 0;
      process.removeListener('exit', onExit);
      if (running.size === 0) {
        // Leaders gone; what they left running in their groups goes now.
        reap('SIGKILL');
        return settle();
      }
      for (const child of running) killGroup(child, 'SIGTERM');
      reap('SIGTERM');
      const done = new Promise<void>((resolve) => idle.push(resolve));
      const hard = setTimeout(() => {
        for (const child of running) killGroup(child, 'SIGKILL');
      }, graceMs);
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, graceMs + 300).unref())]);
      clearTimeout(hard);
      reap('SIGKILL');
    },
  };
}
