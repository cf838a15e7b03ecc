#!/usr/bin/env node
// Runs every bench/*.bench.mjs in its own process, one after another, and prints their markdown.
// Usage: npm run bench [-- name-filter]
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cpus, totalmem } from 'node:os';

const here = fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv[2] ?? '';
const files = readdirSync(here).filter((f) => f.endsWith('.bench.mjs') && f.includes(filter)).sort();
console.log(`# agent-cos benchmarks\n`);
console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}; ${new Date().toISOString()}\n`);
let failed = 0;
for (const file of files) {
  const result = spawnSync(process.execPath, [`${here}${file}`], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.log(`\n(${file} failed with exit ${result.status})\n`);
  }
}
process.exitCode = failed ? 1 : 0;
