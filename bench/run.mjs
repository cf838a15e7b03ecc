#!/usr/bin/env node
// Runs every bench/*.bench.mjs in its own process, one after another, and prints their markdown.
// Usage: npm run bench [-- name-filter]
//
// Each bench runs as the leader of its own process group: once it ends (finished, crashed or
// interrupted), the whole group is killed, so no server, watcher or browser it started is left
// running. SIGINT, SIGTERM and SIGHUP are passed on to the running bench (which stops its own
// processes), and its group is killed if it has not ended within 30 s (removing 10,000 files takes a while).
import { readdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { constants, cpus, loadavg, totalmem } from 'node:os';

const here = fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv[2] ?? '';
const files = readdirSync(here).filter((f) => f.endsWith('.bench.mjs') && f.includes(filter)).sort();
const load = () => loadavg().map((n) => n.toFixed(2)).join(', ');
console.log(`# agent-cos benchmarks\n`);
console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}; ${new Date().toISOString()}; load average ${load()} (1, 5, 15 min)\n`);

let running = null;
const killGroup = (child, signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone.
  }
};
process.on('exit', () => running && killGroup(running, 'SIGKILL'));
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    if (!running) process.exit(code);
    const child = running;
    killGroup(child, signal);
    setTimeout(() => {
      killGroup(child, 'SIGKILL');
      process.exit(code);
    }, 30_000).unref();
    child.on('exit', () => {
      killGroup(child, 'SIGKILL');
      process.exit(code);
    });
  });
}

function runBench(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${here}${file}`], { stdio: 'inherit', detached: true });
    running = child;
    child.on('exit', (code, signal) => {
      // Whatever the bench left behind in its group goes with it.
      killGroup(child, 'SIGKILL');
      running = null;
      resolve(code ?? 128 + (constants.signals[signal] ?? 0));
    });
  });
}

let failed = 0;
for (const file of files) {
  const code = await runBench(file);
  if (code !== 0) {
    failed++;
    console.log(`\n(${file} failed with exit ${code})\n`);
  }
}
console.log(`\nLoad average at the end: ${load()} (1, 5, 15 min)`);
process.exitCode = failed ? 1 : 0;
