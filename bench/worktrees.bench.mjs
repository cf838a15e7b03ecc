// One view across worktrees: `cos scan` over 10,000 entries spread across 4 worktrees of one
// repository, against the same 10,000 entries in one checkout, measured in the same run
// (target: within 1.2×). Runs alternate between the two layouts so that machine noise hits both.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, fmt, median, percentile, removeDir, tempDir, timeProcess } from './lib.mjs';

const T0 = Date.parse('2026-01-10T08:00:00Z');
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const TOTAL = 10_000;
const WORKTREES = 4;

function git(cwd, ...args) {
  execFileSync('git', args, { cwd, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@e.invalid', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@e.invalid' } });
}

/** The 10,000 entries: finished sprints of 10 in archive/<sprint>/, and 50 live ones in current/ per share. */
function entries() {
  const out = [];
  const cycle = ['DISPATCHED', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'COMPLETE', 'VERIFIED'];
  const now = Date.now();
  for (let seq = 1; seq <= TOTAL; seq++) {
    const share = (seq - 1) % WORKTREES;
    const live = seq > TOTAL - 50 * WORKTREES;
    const sprint = live ? `live-${share}-${seq % 5}` : `done-${String(Math.floor((seq - 1) / 10)).padStart(4, '0')}`;
    const status = live ? 'IN_PROGRESS' : cycle[(seq - 1) % 10];
    const agent = live ? `dev-${share}-${seq % 5}` : status === 'VERIFIED' ? 'qa-reviewer' : 'developer';
    const ts = iso(live ? now - 60_000 : T0 + seq * 1000);
    const name = `${String(seq).padStart(3, '0')}-${ts.replace(/:/g, '-')}-${agent}.md`;
    const dir = live ? '.agent/status/current' : `.agent/status/archive/${sprint}`;
    const text = `---\ntimestamp: ${ts}\nsprint: ${sprint}\nagent: ${agent}\nstatus: ${status}\nseverity: INFO\nheartbeat: ${ts}\nttl_minutes: 600\nrole: developer\n---\n## ${ts} | ${sprint}\n**Agent:** ${agent}\n**Status:** ${status}\n\nBench entry ${seq}.\n`;
    out.push({ share, dir, name, text });
  }
  return out;
}

function writeAll(root, list) {
  const made = new Set();
  for (const entry of list) {
    const dir = join(root, entry.dir);
    if (!made.has(dir)) mkdirSync(dir, { recursive: true }), made.add(dir);
    writeFileSync(join(dir, entry.name), entry.text);
  }
}

/** A git repository with `.agent/` committed on main and `extra` linked worktrees. */
function repo(base, name, extra) {
  const main = join(base, name);
  mkdirSync(join(main, '.agent/status/current'), { recursive: true });
  writeFileSync(join(main, '.agent/status/current/.gitkeep'), '');
  git(base, 'init', '-q', '-b', 'main', main);
  git(main, 'add', '-A');
  git(main, 'commit', '-q', '-m', 'init');
  const trees = [main];
  for (let i = 1; i <= extra; i++) {
    const path = join(base, `${name}-wt${i}`);
    git(main, 'worktree', 'add', '-q', path, '-b', `${name}-wt${i}`);
    trees.push(path);
  }
  return trees;
}

const work = tempDir('cos-bench-worktrees-');
let lines = [];
try {
  const list = entries();
  const [single] = repo(work, 'single', 0);
  writeAll(single, list);
  const spread = repo(work, 'spread', WORKTREES - 1);
  for (let i = 0; i < WORKTREES; i++) writeAll(spread[i], list.filter((entry) => entry.share === i));

  const args = (dir) => [CLI, 'scan', '--json', '--fail-on', 'never', '--dir', dir];
  // Same answer both ways (the bench would mean nothing otherwise).
  const count = (dir) => JSON.parse(execFileSync(process.execPath, args(dir), { encoding: 'utf8', maxBuffer: 64 << 20 })).entries;
  if (count(single) !== TOTAL || count(spread[0]) !== TOTAL || count(spread[2]) !== TOTAL) throw new Error('the two layouts do not read the same 10,000 entries');

  timeProcess(args(single));
  timeProcess(args(spread[0]));
  const one = [];
  const four = [];
  for (let i = 0; i < 9; i++) {
    one.push(timeProcess(args(single)));
    four.push(timeProcess(args(spread[i % WORKTREES])));
  }
  const a = median(one);
  const b = median(four);
  const ratio = b / a;
  lines = [
    `| \`cos scan --json\` — ${TOTAL.toLocaleString('en')} entries in one checkout | ${fmt(a)} (p90 ${fmt(percentile(one, 90))}) | 1.00× | |`,
    `| \`cos scan --json\` — the same ${TOTAL.toLocaleString('en')} across ${WORKTREES} worktrees (run from each in turn) | ${fmt(b)} (p90 ${fmt(percentile(four, 90))}) | ${ratio.toFixed(2)}× | ≤ 1.2×: ${ratio <= 1.2 ? 'met' : 'NOT met'} |`,
  ];
} finally {
  removeDir(work);
}

console.log('## One view across worktrees\n');
console.log('Whole-process wall time, median of 9 alternating runs, both layouts in the same run: 10,000 entries (200 live in current/, the rest archived) in one git checkout, and the same files split over 4 worktrees of one repository.\n');
console.log('| what | time | vs one checkout | target |');
console.log('|---|---|---|---|');
for (const line of lines) console.log(line);
console.log('');
