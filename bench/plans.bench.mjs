// Plans: `cos ready` over a plan of 6 steps plus 10,000 entries, against `cos status` on the same
// store in the same run (target: within 1.1×). The runs alternate, so load on the machine falls on
// both alike.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, fmt, median, percentile, removeDir, tempDir, timeProcess } from './lib.mjs';

const T0 = Date.parse('2026-01-10T08:00:00Z');
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function write(dir, seq, sprint, agent, status, ms) {
  const ts = iso(ms);
  const name = `${String(seq).padStart(3, '0')}-${ts.replace(/:/g, '-')}-${agent}.md`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, name),
    `---\ntimestamp: ${ts}\nsprint: ${sprint}\nagent: ${agent}\nstatus: ${status}\nseverity: INFO\nheartbeat: ${ts}\nttl_minutes: 30\nrole: developer\n---\n## ${ts} | ${sprint}\n**Agent:** ${agent}\n**Status:** ${status}\n\nBench entry ${seq}.\n`,
  );
}

/** 9,950 archived entries in finished sprints of 10, 50 current in 10 live sprints, and a 6-step plan over them. */
function makeRepo(root) {
  const current = join(root, '.agent/status/current');
  let seq = 0;
  const cycle = ['DISPATCHED', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'COMPLETE', 'VERIFIED'];
  for (let s = 0; seq < 9950; s++) {
    const sprint = `done-${String(s).padStart(4, '0')}`;
    for (const status of cycle) {
      seq++;
      write(join(root, '.agent/status/archive', sprint), seq, sprint, status === 'VERIFIED' ? 'qa-reviewer' : 'developer', status, T0 + seq * 1000);
    }
  }
  const now = Date.now();
  for (let i = 0; i < 50; i++) write(current, ++seq, `live-${i % 10}`, `dev-${i % 10}`, 'IN_PROGRESS', now - (50 - i) * 60_000);
  mkdirSync(join(root, '.agent/roles'), { recursive: true });
  writeFileSync(join(root, '.agent/roles/developer.md'), '---\nrole: developer\nmodel: sonnet\n---\nBench developer.\n');
  mkdirSync(join(root, '.agent/plans'), { recursive: true });
  const step = (sprint, deps) => `  - sprint: ${sprint}\n    title: Step ${sprint}\n    role: developer\n    done_when: it works\n    depends_on: [${deps.join(', ')}]\n`;
  writeFileSync(
    join(root, '.agent/plans/bench.yaml'),
    `summary: bench\nattempt: 1\nsteps:\n${step('p-root', ['done-0001'])}${step('p-a', ['p-root'])}${step('p-b', ['p-root', 'live-1'])}${step('p-c', ['p-a', 'p-b'])}${step('p-d', ['done-0002'])}${step('p-e', ['p-c', 'p-d'])}`,
  );
  return seq;
}

const work = tempDir('cos-bench-plans-');
const rows = [];
try {
  const total = makeRepo(work);
  const ready = [CLI, 'ready', '--json', '--dir', work];
  const status = [CLI, 'status', '--json', '--dir', work];
  timeProcess(ready);
  timeProcess(status);
  const readyTimes = [];
  const statusTimes = [];
  for (let i = 0; i < 9; i++) {
    readyTimes.push(timeProcess(ready));
    statusTimes.push(timeProcess(status));
  }
  const r = median(readyTimes);
  const s = median(statusTimes);
  const ratio = r / s;
  const n = total.toLocaleString('en');
  rows.push([`\`cos status --json\` — ${n} entries + a 6-step plan`, `${fmt(s)} (p90 ${fmt(percentile(statusTimes, 90))})`, '1.00×', '']);
  rows.push([`\`cos ready --json\` — ${n} entries + a 6-step plan`, `${fmt(r)} (p90 ${fmt(percentile(readyTimes, 90))})`, `${ratio.toFixed(2)}×`, `≤ 1.1× cos status: ${ratio <= 1.1 ? 'met' : 'NOT met'}`]);
} finally {
  removeDir(work);
}

console.log('## Plans: the ready queue\n');
console.log('Whole-process wall time, median of 9 alternating runs each (`node dist/cli.js ...`), same store, same run.\n');
console.log('| what | time | vs `cos status` | target |');
console.log('|---|---|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
console.log('');
