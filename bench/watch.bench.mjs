// cos watch: latency from an entry's rename into current/ to the watcher's line, and the memory of
// a watcher holding 10,000 entries. Whole processes: the built CLI, read through its --json stdout.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, fmt, percentile, removeDir, spawnTracked, tempDir } from './lib.mjs';

const LATENCY_ENTRIES = 200;
const MEMORY_ENTRIES = 10_000;

function entryText({ sprint, agent, status, severity, at }) {
  return `---\ntimestamp: ${at}\nsprint: ${sprint}\nagent: ${agent}\nstatus: ${status}\nseverity: ${severity}\nheartbeat: ${at}\nttl_minutes: 30\n---\n## ${at} | ${sprint}\n**Agent:** ${agent}\n**Status:** ${status}\n\nBench entry.\n`;
}

function entryName(seq, at, agent) {
  return `${String(seq).padStart(3, '0')}-${at.replace(/:/g, '-')}-${agent}.md`;
}

/**
 * A repository holding `entries` finished entries: in `archive/<sprint>/` (how a long-running
 * repository looks: cos archive keeps current/ at its bound of 50) or all in `current/` (the worst
 * case for the file watcher, which re-lists a directory on every change in it).
 */
function repo(entries, where = 'archive') {
  const root = tempDir('cos-bench-watch-');
  mkdirSync(join(root, '.agent/config'), { recursive: true });
  writeFileSync(join(root, '.agent/config/coordination.yaml'), 'version: 1\nwatch:\n  reconcile_seconds: 3600\n');
  const current = join(root, '.agent/status/current');
  mkdirSync(current, { recursive: true });
  const at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (let i = 1; i <= entries; i++) {
    // 1,000 finished sprints of 10 entries each.
    const agent = `agent-${i % 7}`;
    const sprint = `sprint-${i % 1000}`;
    const dir = where === 'current' || i > entries - 50 ? current : join(root, '.agent/status/archive', sprint);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, entryName(i, at, agent)), entryText({ sprint, agent, status: i % 10 === 0 ? 'VERIFIED' : 'COMPLETE', severity: 'INFO', at }));
  }
  return { root, current };
}

function startWatcher(root) {
  const child = spawnTracked(process.execPath, [CLI, 'watch', '--json', '--quiet-start', '--dir', root], { stdio: ['ignore', 'pipe', 'inherit'] });
  const listeners = new Set();
  let buffer = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    const now = performance.now();
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
      for (const listener of listeners) listener(line, now);
    }
  });
  const next = (match, ms = 60_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('watcher timed out')), ms);
      const listener = (line, at) => {
        if (!match(line)) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve({ line, at });
      };
      listeners.add(listener);
    });
  const stop = () => new Promise((resolve) => (child.kill('SIGTERM'), child.on('exit', resolve)));
  return { child, next, stop };
}

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

async function latency(background, where) {
  const { root, current } = repo(background, where);
  const watcher = startWatcher(root);
  await watcher.next((l) => l.event === 'watching');
  const times = [];
  for (let i = 0; i < LATENCY_ENTRIES; i++) {
    const at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const sprint = `latency-${i}`;
    const name = entryName(background + i + 1, at, 'bench');
    const temp = join(current, `.${name}.bench.tmp`);
    writeFileSync(temp, entryText({ sprint, agent: 'bench', status: 'BLOCKED', severity: 'BLOCKER', at }));
    const seen = watcher.next((l) => l.event === 'finding' && l.finding.kind === 'escalation' && l.finding.sprint === sprint);
    const t0 = performance.now();
    renameSync(temp, join(current, name));
    const { at: t1 } = await seen;
    times.push(t1 - t0);
  }
  await watcher.stop();
  removeDir(root);
  return times;
}

async function memory() {
  const { root } = repo(MEMORY_ENTRIES);
  const t0 = performance.now();
  const watcher = startWatcher(root);
  const { at: ready } = await watcher.next((l) => l.event === 'watching');
  const startMs = ready - t0;
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const rss = rssMiB(watcher.child.pid);
  await watcher.stop();
  // Baseline: a watcher over an empty repository.
  const empty = repo(0);
  const idle = startWatcher(empty.root);
  await idle.next((l) => l.event === 'watching');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const baseline = rssMiB(idle.child.pid);
  await idle.stop();
  removeDir(root);
  removeDir(empty.root);
  return { rss, baseline, startMs };
}

const empty = await latency(0);
const loaded = await latency(MEMORY_ENTRIES, 'archive');
const crowded = await latency(MEMORY_ENTRIES, 'current');
const mem = await memory();
const row = (label, times) => `| ${label} | ${fmt(percentile(times, 50))} | ${fmt(percentile(times, 95))} | ${fmt(percentile(times, 99))} | ${fmt(Math.max(...times))} |`;
console.log(`## cos watch\n`);
console.log(`Latency from the rename of a BLOCKER entry into \`current/\` to the watcher's \`finding\` line on stdout (${LATENCY_ENTRIES} entries, one at a time; target p95 ≤ 250 ms):\n`);
console.log('| entries held | p50 | p95 | p99 | max |');
console.log('|---|---|---|---|---|');
console.log(row('0', empty));
console.log(row(`${MEMORY_ENTRIES.toLocaleString('en')} (50 in current/, the rest in archive/<sprint>/)`, loaded));
console.log(row(`${MEMORY_ENTRIES.toLocaleString('en')}, all in current/ (worst case: chokidar re-lists the folder on each change)`, crowded));
console.log(`\nMemory (RSS) of a watcher: ${mem.baseline.toFixed(0)} MiB over an empty repository, ${mem.rss.toFixed(0)} MiB holding ${MEMORY_ENTRIES.toLocaleString('en')} entries; start-up to the \`watching\` line over ${MEMORY_ENTRIES.toLocaleString('en')} entries: ${fmt(mem.startMs)}.\n`);
