// Start-up (issue 16): in ONE run, whole-process medians of `cos status` and `cos post` over 50
// entries next to `node -e 0` (target ≤ 1.5×) and `cos scan` over 10,000 entries (target
// ≤ 400 ms), plus the CLI's floor (`cos --version`). The three targets share one baseline, so
// their ratios are comparable even on a noisy box.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg, cpus } from 'node:os';
import { CLI, fmt, median, percentile, removeDir, settleWrites, tempDir, timeProcess } from './lib.mjs';

const T0 = Date.parse('2026-01-10T08:00:00Z');
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function write(dir, seq, sprint, agent, status, ms) {
  const ts = iso(ms);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${String(seq).padStart(3, '0')}-${ts.replace(/:/g, '-')}-${agent}.md`),
    `---\ntimestamp: ${ts}\nsprint: ${sprint}\nagent: ${agent}\nstatus: ${status}\nseverity: INFO\nheartbeat: ${ts}\nttl_minutes: 30\nrole: ${agent}\n---\n## ${ts} | ${sprint}\n**Agent:** ${agent}\n**Status:** ${status}\n\nBench entry ${seq}.\n`,
  );
}

/** `archived` finished entries (sprints of 10) in archive/, then 50 live ones in current/. */
function makeRepo(root, archived) {
  const cycle = ['DISPATCHED', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'COMPLETE', 'VERIFIED'];
  let seq = 0;
  for (let s = 0; seq < archived; s++) {
    const sprint = `done-${String(s).padStart(4, '0')}`;
    for (const status of cycle) {
      if (seq >= archived) break;
      seq++;
      write(join(root, '.agent/status/archive', sprint), seq, sprint, status === 'VERIFIED' ? 'qa' : 'dev', status, T0 + seq * 1000);
    }
  }
  const now = Date.now();
  for (let i = 0; i < 50; i++) {
    seq++;
    write(join(root, '.agent/status/current'), seq, `live-${i % 10}`, `dev-${i % 10}`, 'IN_PROGRESS', now - (50 - i) * 60_000);
  }
  return seq;
}

const work = tempDir('cos-bench-startup-');
const rows = [];
const ratio = (ms, base) => `${(ms / base).toFixed(2)}×`;
const load = loadavg()[0];
try {
  const fifty = join(work, 'fifty');
  makeRepo(fifty, 0);
  // post writes an entry per run: each run posts into a fresh copy of the same 50 entries.
  const copies = Array.from({ length: 16 }, (_, i) => {
    const dir = join(work, `post-${i}`);
    cpSync(fifty, dir, { recursive: true });
    return dir;
  });
  const big = join(work, 'big');
  const total = makeRepo(big, 9950);
  // A git repository, as cos is used: archived entries are served from the read cache once they
  // are older than its racy window (3 s), and settled folders are left unread (bench/scan.bench.mjs).
  execFileSync('git', ['init', '-q', '-b', 'main', big]);
  const racyWindowEnds = Date.now() + 3500;

  // Interleaved: each round runs the baseline and every command once, so a box whose load drifts
  // during the run (a shared machine) moves all of them alike and the ratios stay comparable.
  const postArgs = (dir) => [CLI, 'post', '--dir', dir, '--sprint', 'live-3', '--agent', 'dev-3', '--status', 'IN_PROGRESS', '--message', 'bench'];
  const lines = { baseline: ['-e', '0'], version: [CLI, '--version'], status: [CLI, 'status', '--dir', fifty] };
  const times = { baseline: [], version: [], status: [], post: [] };
  for (const args of Object.values(lines)) timeProcess(args);
  timeProcess(postArgs(copies[0]));
  for (const dir of copies.slice(1)) {
    for (const [name, args] of Object.entries(lines)) times[name].push(timeProcess(args));
    times.post.push(timeProcess(postArgs(dir)));
  }
  const [baseline, version, status, post] = [times.baseline, times.version, times.status, times.post].map(median);
  const scanArgs = [CLI, 'scan', '--json', '--fail-on', 'never', '--dir', big];
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, racyWindowEnds - Date.now())));
  // The first run fills the read cache; a second, after the files written so far are on disk
  // (sync), is the warm-up every median here has.
  timeProcess(scanArgs);
  settleWrites();
  timeProcess(scanArgs);
  const scanTimes = Array.from({ length: 9 }, () => timeProcess(scanArgs));
  const scan = median(scanTimes);

  rows.push(['`node -e 0` (baseline, same run)', fmt(baseline), '1.00×', '']);
  rows.push(['`cos --version` (the CLI floor)', fmt(version), ratio(version, baseline), '']);
  rows.push(['`cos status` — 50 entries', fmt(status), ratio(status, baseline), status <= 1.5 * baseline ? 'met (≤ 1.5×)' : 'MISSED (≤ 1.5×)']);
  rows.push(['`cos post` — into 50 entries', fmt(post), ratio(post, baseline), post <= 1.5 * baseline ? 'met (≤ 1.5×)' : 'MISSED (≤ 1.5×)']);
  rows.push([`\`cos scan --json\` — ${total.toLocaleString('en')} entries (50 current), git repository, read cache warm`, `${fmt(scan)} (p90 ${fmt(percentile(scanTimes, 90))})`, ratio(scan, baseline), scan <= 400 ? 'met (≤ 400 ms)' : 'MISSED (≤ 400 ms)']);
} finally {
  removeDir(work);
}

console.log('## Start-up: status, post, scan (issue 16)\n');
console.log(`Whole-process wall time, medians of 15 interleaved rounds (node -e 0, --version, status, post, then scan), one run; ${cpus().length} cores, load average ${load.toFixed(2)} at the start.\n`);
console.log('| what | median | vs `node -e 0` | target |');
console.log('|---|---|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
console.log('');
