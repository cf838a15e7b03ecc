// Shared helpers for whole-process benchmarks.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** A temp folder, removed by removeDir or, at the latest, when the bench exits in any way. */
export function tempDir(prefix = 'cos-bench-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** Wall time of one run of `node args` in ms. */
export function timeProcess(args, options = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 && !options.allowFailure) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Median wall time over `runs` runs (after one warm-up). */
export function medianProcess(args, runs = 15, options = {}) {
  timeProcess(args, options);
  const times = [];
  for (let i = 0; i < runs; i++) times.push(timeProcess(args, options));
  return median(times);
}

export const fmt = (ms) => `${ms.toFixed(0)} ms`;

/**
 * Wait until what the bench wrote is on disk (`sync`): otherwise the kernel writes thousands of
 * fresh files back while the next runs are timed, on the same two cores.
 */
export function settleWrites() {
  spawnSync('sync', [], { stdio: 'ignore' });
}

// ---- cleanup: a bench that crashes or is interrupted leaves no process and no temp folder ----
// Every long-lived child a bench starts goes through spawnTracked; on exit, on SIGINT, SIGTERM or
// SIGHUP, and on an uncaught error or rejection, each is SIGKILLed with its process group (it is
// started as a group leader, so whatever it started goes too), and every tempDir is removed.
// bench/run.mjs also kills each bench's whole process group once it has ended.
const liveChildren = new Set();
const tempDirs = new Set();
let cleanupInstalled = false;

function killTree(child) {
  for (const target of [-child.pid, child.pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}

/** Kill every tracked child (with its group) and remove every temp folder; safe to call twice. */
export function cleanupAll() {
  for (const child of liveChildren) killTree(child);
  liveChildren.clear();
  for (const dir of tempDirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Best effort.
    }
  }
  tempDirs.clear();
}

function installCleanup() {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', cleanupAll);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.on(signal, () => {
      console.error(`\n(bench interrupted by ${signal}: stopping its processes)`);
      cleanupAll();
      process.exit(code);
    });
  }
  const crash = (error) => {
    console.error(`\n(bench failed: ${error?.stack ?? error})`);
    cleanupAll();
    process.exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}
installCleanup();

/** spawn() for a child that must not outlive the bench: its own process group, killed on any exit. */
export function spawnTracked(command, args, options = {}) {
  const child = spawn(command, args, { ...options, detached: true });
  liveChildren.add(child);
  child.on('exit', () => liveChildren.delete(child));
  return child;
}
