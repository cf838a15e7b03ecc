// Chief of staff: `cos scan` whole-process over 50 entries (target ≤ 2× `node -e 0`) and over
// 10,000 entries, current plus archive (target ≤ 400 ms, issue 16; ≤ 1 s before); `cos brief` and `cos dispatch` alongside.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, fmt, median, medianProcess, percentile, removeDir, settleWrites, tempDir, timeProcess } from './lib.mjs';

const T0 = Date.parse('2026-01-10T08:00:00Z');
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function write(dir, seq, sprint, agent, status, ms, extra = '') {
  const ts = iso(ms);
  const name = `${String(seq).padStart(3, '0')}-${ts.replace(/:/g, '-')}-${agent}.md`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, name),
    `---\ntimestamp: ${ts}\nsprint: ${sprint}\nagent: ${agent}\nstatus: ${status}\nseverity: INFO\nheartbeat: ${ts}\nttl_minutes: 30\nrole: ${agent}\n${extra}---\n## ${ts} | ${sprint}\n**Agent:** ${agent}\n**Status:** ${status}\n\nBench entry ${seq}: what was done, links, next steps.\n`,
  );
}

/**
 * `archived` finished entries in sprints of 10 under archive/<sprint>/, then 50 in current/ (10
 * live sprints). The archived ones are from January (no longer present: `cos scan` leaves their
 * folders unread once the read cache knows them) unless `archivedFrom` puts them later.
 */
function makeRepo(root, archived, archivedFrom = T0) {
  const current = join(root, '.agent/status/current');
  mkdirSync(current, { recursive: true });
  let seq = 0;
  const cycle = ['DISPATCHED', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'COMPLETE', 'VERIFIED'];
  for (let s = 0; seq < archived; s++) {
    const sprint = `done-${String(s).padStart(4, '0')}`;
    for (const status of cycle) {
      if (seq >= archived) break;
      seq++;
      const agent = status === 'VERIFIED' ? 'qa-reviewer' : 'developer';
      write(join(root, '.agent/status/archive', sprint), seq, sprint, agent, status, archivedFrom + seq * 1000);
    }
  }
  const now = Date.now();
  for (let i = 0; i < 50; i++) {
    seq++;
    const sprint = `live-${i % 10}`;
    const status = i < 40 ? 'IN_PROGRESS' : i < 45 ? 'COMPLETE' : 'FAILED';
    write(current, seq, sprint, i < 40 ? `dev-${i % 10}` : `dev-${i}`, status, now - (50 - i) * 60_000, status === 'FAILED' ? 'error: flaky test\n' : '');
  }
  return seq;
}

const work = tempDir('cos-bench-scan-');
const rows = [];
const ratio = (ms, base) => `${(ms / base).toFixed(1)}×`;
try {
  const baseline = medianProcess(['-e', '0'], 15);
  rows.push(['`node -e 0` (baseline)', fmt(baseline), '1.0×', '']);

  const small = join(work, 'small');
  makeRepo(small, 0);
  const scanArgs = (dir) => [CLI, 'scan', '--json', '--fail-on', 'never', '--dir', dir];
  const small50 = medianProcess(scanArgs(small), 15);
  rows.push(['`cos scan --json` — 50 entries', fmt(small50), ratio(small50, baseline), `≤ 2× baseline: ${small50 <= 2 * baseline ? 'met' : 'NOT met'}`]);
  const smallHuman = medianProcess([CLI, 'scan', '--fail-on', 'never', '--dir', small], 15);
  rows.push(['`cos scan` (text) — 50 entries', fmt(smallHuman), ratio(smallHuman, baseline), '']);

  // A git repository, as cos is used: archived entries are then served from the read cache in
  // the git common dir (docs/worktrees.md), once they are older than its racy window (3 s).
  const big = join(work, 'big');
  const total = makeRepo(big, 9950);
  execFileSync('git', ['init', '-q', '-b', 'main', big]);
  await new Promise((resolve) => setTimeout(resolve, 3500));
  const cold = timeProcess(scanArgs(big));
  // Warm means steady: the 10,000 files and the cache just written are on disk first (sync), and
  // one warm run is not counted, as medianProcess leaves out its first.
  settleWrites();
  timeProcess(scanArgs(big));
  const times = [];
  for (let i = 0; i < 9; i++) times.push(timeProcess(scanArgs(big)));
  const big10k = median(times);
  rows.push([`\`cos scan --json\` — ${total.toLocaleString('en')} entries (50 current + ${(total - 50).toLocaleString('en')} archive), git repository, read cache warm`, `${fmt(big10k)} (p90 ${fmt(percentile(times, 90))})`, ratio(big10k, baseline), `≤ 400 ms: ${big10k <= 400 ? 'met' : 'NOT met'}`]);
  rows.push(['the same, first run (reads every file, writes the cache)', fmt(cold), ratio(cold, baseline), '']);
  const plain = join(work, 'plain');
  makeRepo(plain, 9950);
  settleWrites();
  const plainTimes = [];
  timeProcess(scanArgs(plain));
  for (let i = 0; i < 5; i++) plainTimes.push(timeProcess(scanArgs(plain)));
  const plain10k = median(plainTimes);
  rows.push([`the same outside git (no cache: every file read and parsed)`, `${fmt(plain10k)} (p90 ${fmt(percentile(plainTimes, 90))})`, ratio(plain10k, baseline), '']);
  // Every archived sprint archived in the last few days is still present (archive.max_age_days, 7
  // by default): its findings can change, so no folder is left unread, only served from the cache.
  const recent = join(work, 'recent');
  makeRepo(recent, 9950, Date.now() - 3 * 86_400_000);
  execFileSync('git', ['init', '-q', '-b', 'main', recent]);
  await new Promise((resolve) => setTimeout(resolve, 3500));
  timeProcess(scanArgs(recent));
  settleWrites();
  timeProcess(scanArgs(recent));
  const recentTimes = [];
  for (let i = 0; i < 5; i++) recentTimes.push(timeProcess(scanArgs(recent)));
  const recent10k = median(recentTimes);
  rows.push(['the same, git, cache warm, but every archived sprint archived this week (still present: every folder read from the cache)', `${fmt(recent10k)} (p90 ${fmt(percentile(recentTimes, 90))})`, ratio(recent10k, baseline), '']);
  const brief10k = medianProcess([CLI, 'brief', '--dir', big], 5);
  rows.push([`\`cos brief\` — ${total.toLocaleString('en')} entries`, fmt(brief10k), ratio(brief10k, baseline), '']);

  // Dispatch: each run claims a new sprint (lock, re-read of the whole store, preflight, write).
  mkdirSync(join(big, '.agent/roles'), { recursive: true });
  writeFileSync(join(big, '.agent/roles/developer.md'), '---\nrole: developer\nmodel: sonnet\n---\nBench developer.\n');
  const dispatchTimes = [];
  for (let i = 0; i < 5; i++) dispatchTimes.push(timeProcess([CLI, 'dispatch', 'developer', `bench-${i}`, '--json', '--dir', big]));
  const dispatch10k = median(dispatchTimes);
  rows.push([`\`cos dispatch\` — into ${total.toLocaleString('en')} entries`, fmt(dispatch10k), ratio(dispatch10k, baseline), '']);
  const dispatchSmall = [];
  mkdirSync(join(small, '.agent/roles'), { recursive: true });
  writeFileSync(join(small, '.agent/roles/developer.md'), '---\nrole: developer\nmodel: sonnet\n---\nBench developer.\n');
  for (let i = 0; i < 9; i++) dispatchSmall.push(timeProcess([CLI, 'dispatch', 'developer', `bench-${i}`, '--json', '--dir', small]));
  const d50 = median(dispatchSmall);
  rows.push(['`cos dispatch` — into 50 entries', fmt(d50), ratio(d50, baseline), '']);
} finally {
  removeDir(work);
}

console.log('## Chief of staff: scan, brief, dispatch\n');
console.log('Whole-process wall time, median (`node dist/cli.js ...`), next to `node -e 0` measured in the same run.\n');
console.log('| what | time | vs `node -e 0` | target |');
console.log('|---|---|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
console.log('');
