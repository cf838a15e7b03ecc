// Foundation: whole-process medians of `cos post` and `cos status` over 50 entries next to
// `node -e 0` measured in the same run (target ≤ 1.5×, issue 16), reading + parsing 10,000 entries (current +
// archive; target ≤ 1 s), and the throughput of 16 concurrent writer processes.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, fmt, median, medianProcess, removeDir, tempDir, timeProcess } from './lib.mjs';

const INDEX = pathToFileURL(new URL('../dist/index.js', import.meta.url).pathname).href;
const { serializeEntry, entryFileName, initRepo, postEntry } = await import(INDEX);

const T0 = Date.parse('2026-01-10T08:00:00Z');
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const STATUSES = ['DISPATCHED', 'IN_PROGRESS', 'IN_PROGRESS', 'COMPLETE', 'VERIFIED'];

/** Write `count` entries as cos writes them: `archived` of them under archive/<sprint>/. */
function fill(root, count, archived, { crlf = false, list = false } = {}) {
  mkdirSync(join(root, '.agent/status/current'), { recursive: true });
  for (let seq = 1; seq <= count; seq++) {
    const ts = iso(T0 + seq * 1000);
    const sprint = `sprint-${String(Math.floor((seq - 1) / 5)).padStart(4, '0')}`;
    const agent = seq % 5 === 0 ? 'qa' : 'dev';
    const status = STATUSES[(seq - 1) % 5];
    let text = serializeEntry(
      { timestamp: ts, sprint, agent, status, severity: 'INFO', heartbeat: ts, ttl_minutes: 30, title: `Sprint ${sprint}: bench`, extra: list ? { meta: { tags: ['a', 'b'] } } : {} },
      `## ${ts} | ${sprint}\n**Agent:** ${agent}\n**Status:** ${status}\n\nBench entry ${seq}: what was done, links, next steps.\n`,
    );
    if (crlf) text = text.replace(/\n/g, '\r\n');
    const dir = seq <= archived ? join(root, '.agent/status/archive', sprint) : join(root, '.agent/status/current');
    if (seq <= archived && seq % 5 === 1) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, entryFileName(seq, ts, agent)), text);
  }
}

function writerScript(dir) {
  const path = join(dir, 'writer.mjs');
  writeFileSync(
    path,
    `import { postEntry } from ${JSON.stringify(INDEX)};\n` +
      `const [root, agent, count] = process.argv.slice(2);\n` +
      `for (let i = 0; i < Number(count); i++) postEntry(root, { sprint: 'load', agent, status: 'IN_PROGRESS', message: 'entry ' + i });\n`,
  );
  return path;
}

function runAll(commands) {
  return Promise.all(
    commands.map(
      (args) =>
        new Promise((resolve, reject) => {
          const child = spawn(process.execPath, args, { stdio: 'ignore' });
          child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited ${code}`))));
        }),
    ),
  );
}

async function throughput(work, writers, perWriter, runs = 3) {
  const script = writerScript(work);
  const rates = [];
  for (let r = 0; r < runs; r++) {
    const root = join(work, `writers-${writers}-${r}`);
    const start = process.hrtime.bigint();
    await runAll(Array.from({ length: writers }, (_, i) => [script, root, `w${i}`, String(perWriter)]));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const written = readdirSync(join(root, '.agent/status/current')).filter((name) => name.endsWith('.md')).length;
    if (written !== writers * perWriter) throw new Error(`expected ${writers * perWriter} entries, found ${written}`);
    rates.push(written / seconds);
    rmSync(root, { recursive: true, force: true });
  }
  return median(rates);
}

const work = tempDir('cos-bench-foundation-');
const rows = [];
const ratio = (ms, base) => `${(ms / base).toFixed(2)}×`;
try {
  const baseline = medianProcess(['-e', '0'], 15);
  rows.push(['`node -e 0` (baseline, same run)', fmt(baseline), '1.00×', '']);

  const fifty = join(work, 'fifty');
  initRepo(fifty);
  fill(fifty, 50, 0);
  const status = medianProcess([CLI, 'status', '--dir', fifty], 15);
  rows.push(['`cos status` — 50 entries', fmt(status), ratio(status, baseline), status <= 1.5 * baseline ? 'met (≤ 1.5×)' : 'MISSED (≤ 1.5×)']);
  const statusJson = medianProcess([CLI, 'status', '--json', '--dir', fifty], 15);
  rows.push(['`cos status --json` — 50 entries', fmt(statusJson), ratio(statusJson, baseline), statusJson <= 1.5 * baseline ? 'met (≤ 1.5×)' : 'MISSED (≤ 1.5×)']);
  // Each run adds one entry: 50 → 66 entries over the warm-up and 15 runs.
  const post = medianProcess([CLI, 'post', '--dir', fifty, '--sprint', 'sprint-0003', '--agent', 'dev', '--status', 'IN_PROGRESS', '--message', 'bench'], 15);
  rows.push(['`cos post` — 50 → 66 entries', fmt(post), ratio(post, baseline), post <= 1.5 * baseline ? 'met (≤ 1.5×)' : 'MISSED (≤ 1.5×)']);
  const help = medianProcess([CLI, '--version'], 15);
  rows.push(['`cos --version` (start-up floor of the CLI)', fmt(help), ratio(help, baseline), '']);

  const big = join(work, 'big');
  fill(big, 10_000, 9_950);
  const readScript = join(work, 'read.mjs');
  writeFileSync(
    readScript,
    `import { readStore } from ${JSON.stringify(INDEX)};\nconst s = readStore(process.argv[2]);\nif (s.entries.length !== 10000 || s.problems.length) throw new Error('read ' + s.entries.length + ' entries, ' + s.problems.length + ' problems');\n`,
  );
  const read = medianProcess([readScript, big], 7);
  rows.push(['read + parse 10,000 entries (50 current + 9,950 archive): `readStore` in a script importing dist/index.js', fmt(read), ratio(read, baseline), read <= 1000 ? 'met (≤ 1 s)' : 'MISSED (≤ 1 s)']);
  const all = medianProcess([CLI, 'status', '--all', '--json', '--dir', big], 5);
  rows.push(['`cos status --all --json` — the same 10,000 entries (read, parse, 2,000 sprints, every check)', fmt(all), ratio(all, baseline), all <= 1000 ? 'met (≤ 1 s)' : 'MISSED (≤ 1 s)']);
  const crlf = join(work, 'crlf');
  fill(crlf, 10_000, 9_950, { crlf: true });
  const slow = medianProcess([readScript, crlf], 5);
  rows.push(['read + parse 10,000 CRLF entries (as git autocrlf checks them out)', fmt(slow), ratio(slow, baseline), slow <= 1000 ? 'met (≤ 1 s)' : 'MISSED (≤ 1 s)']);
  const nested = join(work, 'nested');
  fill(nested, 10_000, 9_950, { list: true });
  const full = medianProcess([readScript, nested], 5);
  rows.push(['read + parse 10,000 entries with a nested mapping field (each through the full `yaml` parser; for reference, not what cos writes)', fmt(full), ratio(full, baseline), '']);

  const one = await throughput(work, 1, 400);
  rows.push(['1 writer process × 400 `postEntry` (fsync each)', `${one.toFixed(0)} entries/s`, '', '']);
  const sixteen = await throughput(work, 16, 100);
  rows.push(['16 concurrent writer processes × 100 `postEntry` (wall time incl. start-up)', `${sixteen.toFixed(0)} entries/s`, '', '']);
} finally {
  removeDir(work);
}

console.log('## Foundation: entries, post, status\n');
console.log('| what | median | vs `node -e 0` | target |');
console.log('| --- | --- | --- | --- |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
console.log('');
