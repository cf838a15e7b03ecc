// The design's packages and their cost (issue 16): what gray-matter and simple-git add to a
// process start, that `cos post --commit` and `cos review` never wait on simple-git's
// silent-command delay, and
// the start-up targets of cos post / cos status over 50 entries against `node -e 0`.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, fmt, median, medianProcess, removeDir, tempDir, timeProcess } from './lib.mjs';

const RUNS = 11;
const simple = pathToFileURL(new URL('../dist/git/simple.js', import.meta.url).pathname).href;
const importing = (specifier) => ['--input-type=module', '-e', `await import(${JSON.stringify(specifier)})`];
const cwd = new URL('..', import.meta.url).pathname;

const base = medianProcess(['-e', '0'], RUNS);
const rows = [['`node -e 0` (baseline, same run)', base]];
rows.push(['import gray-matter', medianProcess(importing('gray-matter'), RUNS, { cwd })]);
rows.push(['import simple-git', medianProcess(importing('simple-git'), RUNS, { cwd })]);

// A repository with 50 entries, in git.
const dir = tempDir();
const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
try {
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'bench');
  git('config', 'user.email', 'bench@example.invalid');
  timeProcess([CLI, 'init', '--dir', dir]);
  for (let i = 0; i < 50; i++) timeProcess([CLI, 'post', '--dir', dir, '--sprint', `s-${i % 10}`, '--agent', `a-${i % 7}`, '--status', 'IN_PROGRESS']);
  git('add', '-A');
  git('commit', '-q', '-m', 'fixture');
  rows.push(['`cos status` — 50 entries', medianProcess([CLI, 'status', '--dir', dir], RUNS)]);
  rows.push(['`cos post` — 50+ entries', medianProcess([CLI, 'post', '--dir', dir, '--sprint', 'p', '--agent', 'bench', '--status', 'IN_PROGRESS'], RUNS)]);
  rows.push(['`cos post --commit` — 50+ entries, git repository', medianProcess([CLI, 'post', '--dir', dir, '--sprint', 'c', '--agent', 'bench', '--status', 'IN_PROGRESS', '--commit'], RUNS)]);
  // The delay avoided: one silent `git add` vs the `git add --verbose` cos uses, through simple-git.
  const { runSimpleGit } = await import(simple);
  const timed = async (args) => {
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      writeFileSync(join(dir, `f-${args.length}-${i}.txt`), `${i}\n`);
      const start = process.hrtime.bigint();
      await runSimpleGit(dir, [...args, '--', `f-${args.length}-${i}.txt`]);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return median(times);
  };
  rows.push(['simple-git `git add` (prints nothing: waits 50 ms)', await timed(['add'])]);
  rows.push(['simple-git `git add --verbose` (prints: no wait; what cos runs)', await timed(['add', '--verbose'])]);
  // A command that can succeed printing nothing (a review's diff with no change): plain, it waits;
  // with silentOk (git's trace on stderr, dropped from the result) it does not.
  git('add', '-A');
  git('commit', '-q', '-m', 'added');
  const diff = async (options) => {
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const start = process.hrtime.bigint();
      await runSimpleGit(dir, ['diff', '--name-status', '-z', 'HEAD', '--', '.agent'], options);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return median(times);
  };
  rows.push(['simple-git `git diff` with no change (prints nothing: waits 50 ms)', await diff({})]);
  rows.push(['simple-git `git diff` with no change, `silentOk` (what `cos review` runs)', await diff({ silentOk: true })]);
  rows.push(['`cos review` — 50+ entries, nothing changed since HEAD', medianProcess([CLI, 'review', '--dir', dir, '--since', 'HEAD', '--here'], RUNS)]);
} finally {
  removeDir(dir);
}

console.log('## Packages and start-up (bench/packages.bench.mjs)\n');
console.log('| what | median | vs `node -e 0` |');
console.log('|---|---|---|');
for (const [what, ms] of rows) console.log(`| ${what} | ${fmt(ms)} | ${(ms / base).toFixed(2)}× |`);
console.log('');
