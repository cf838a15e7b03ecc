// Rotation and git: `cos archive` over 5,000 finished entries, `cos review` over 1,000 changed
// entries, and what --commit adds to `cos post`. Whole-process wall times, medians.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, fmt, median, medianProcess, removeDir, tempDir, timeProcess } from './lib.mjs';

const T0 = Date.parse('2026-01-10T08:00:00Z');
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function entry(seq, sprint, agent, status, ms) {
  const ts = iso(ms);
  const name = `${String(seq).padStart(3, '0')}-${ts.replace(/:/g, '-')}-${agent}.md`;
  const text = `---\ntimestamp: ${ts}\nsprint: ${sprint}\nagent: ${agent}\nstatus: ${status}\nseverity: INFO\nheartbeat: ${ts}\nttl_minutes: 30\n---\n## ${ts} | ${sprint}\n**Agent:** ${agent}\n**Status:** ${status}\n\nBench entry ${seq}.\n`;
  return [name, text];
}

function gitq(cwd, ...args) {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'b@example.invalid', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'b@example.invalid' },
  });
}

const work = tempDir('cos-bench-rotation-');
const rows = [];
try {
  const baseline = medianProcess(['-e', '0'], 10);
  rows.push(['`node -e 0` (baseline)', fmt(baseline), '1.0×']);

  // 5,000 finished entries: 1,000 sprints × (4 dev entries + 1 VERIFIED).
  const template = join(work, 'template');
  const current = join(template, '.agent/status/current');
  mkdirSync(current, { recursive: true });
  let seq = 0;
  for (let s = 0; s < 1000; s++) {
    const sprint = `sprint-${String(s).padStart(4, '0')}`;
    for (const [agent, status] of [['dev', 'IN_PROGRESS'], ['dev', 'IN_PROGRESS'], ['dev', 'IN_PROGRESS'], ['dev', 'COMPLETE'], ['qa', 'VERIFIED']]) {
      seq++;
      const [name, text] = entry(seq, sprint, agent, status, T0 + seq * 1000);
      writeFileSync(join(current, name), text);
    }
  }
  const dry = medianProcess([CLI, 'archive', '--dry-run', '--json', '--dir', template], 5);
  rows.push(['`cos archive --dry-run` — 5,000 finished entries', fmt(dry), `${(dry / baseline).toFixed(1)}×`]);
  const runs = [];
  for (let i = 0; i < 5; i++) {
    const copy = join(work, `archive-${i}`);
    cpSync(template, copy, { recursive: true });
    // Flush the copy first: an archive run meets files written long ago, not dirty pages.
    execFileSync('sync');
    runs.push(timeProcess([CLI, 'archive', '--json', '--dir', copy]));
    removeDir(copy);
  }
  const archive = median(runs);
  rows.push(['`cos archive` — moves 5,000 finished entries', fmt(archive), `${(archive / baseline).toFixed(1)}×`]);

  // cos review over 1,000 changed entries (committed after the base, and again uncommitted).
  const repo = join(work, 'repo');
  mkdirSync(join(repo, '.agent/status/current'), { recursive: true });
  writeFileSync(join(repo, '.agent/status/current/.gitkeep'), '');
  gitq(repo, 'init', '-q', '-b', 'main');
  gitq(repo, 'add', '-A');
  gitq(repo, 'commit', '-q', '-m', 'base');
  const base = gitq(repo, 'rev-parse', 'HEAD').trim();
  for (let i = 1; i <= 1000; i++) {
    const [name, text] = entry(i, `sprint-${i % 50}`, `agent-${i % 7}`, i % 2 ? 'IN_PROGRESS' : 'COMPLETE', T0 + i * 1000);
    writeFileSync(join(repo, '.agent/status/current', name), text);
  }
  const untracked = medianProcess([CLI, 'review', '--since', base, '--json', '--dir', repo], 5);
  gitq(repo, 'add', '-A');
  gitq(repo, 'commit', '-q', '-m', '1000 entries');
  const committed = medianProcess([CLI, 'review', '--since', base, '--json', '--dir', repo], 5);
  rows.push(['`cos review` — 1,000 entries added, committed', fmt(committed), `${(committed / baseline).toFixed(1)}×`]);
  rows.push(['`cos review` — 1,000 entries added, uncommitted', fmt(untracked), `${(untracked / baseline).toFixed(1)}×`]);

  // What --commit costs on top of cos post (each run posts a new entry).
  const postArgs = (commit) => [CLI, 'post', '--dir', repo, '--sprint', 'bench', '--agent', 'poster', '--status', 'IN_PROGRESS', ...(commit ? ['--commit'] : [])];
  const post = medianProcess(postArgs(false), 10);
  const postCommit = medianProcess(postArgs(true), 10, {
    env: { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'b@example.invalid', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'b@example.invalid' },
  });
  rows.push(['`cos post` (repository of 1,000 entries)', fmt(post), `${(post / baseline).toFixed(1)}×`]);
  rows.push(['`cos post --commit` (same)', fmt(postCommit), `${(postCommit / baseline).toFixed(1)}×`]);
} finally {
  removeDir(work);
}

console.log('## Rotation and git (`cos archive`, `cos review`, `cos post --commit`)\n');
console.log('| what | median wall time | vs `node -e 0` |');
console.log('|---|---:|---:|');
for (const [what, ms, ratio] of rows) console.log(`| ${what} | ${ms} | ${ratio} |`);
console.log('');
