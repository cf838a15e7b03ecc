// The guard: what `cos hook pre-tool-use` costs before every tool call (whole process, hook JSON
// on stdin, as Claude Code runs it), against `node -e 0` measured interleaved with it (the machine
// is shared: each round runs the baseline and every case once, so noise hits them alike).
// Target (issue 15): p95 within 1.5× the p95 of `node -e 0`, with no budget configured.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, fmt, percentile, removeDir, tempDir, timeProcess } from './lib.mjs';

const ROUNDS = 41;
const work = tempDir('cos-bench-guard-');
try {
  spawnSync(process.execPath, [CLI, 'init', '--dir', work], { stdio: 'ignore' });
  writeFileSync(join(work, '.agent/config/coordination.yaml'), 'version: 1\n'); // the default guard.deny
  const env = { ...process.env, COS_SPRINT: 'wiring', COS_AGENT: 'dev' };
  delete env.CLAUDE_PROJECT_DIR;
  const input = (tool, toolInput) => JSON.stringify({ session_id: 'bench-guard', transcript_path: '/tmp/t.jsonl', cwd: work, permission_mode: 'default', hook_event_name: 'PreToolUse', tool_name: tool, tool_input: toolInput, tool_use_id: 'toolu_1' });
  const cases = [
    ['Bash `npm test && git status` (allowed)', input('Bash', { command: 'npm test && git status' })],
    ['Bash `echo "git push --force origin main"` (allowed look-alike)', input('Bash', { command: 'echo "git push --force origin main" | tee log.txt' })],
    ['Read (not a command: allowed)', input('Read', { file_path: join(work, 'runbook.md') })],
    ['Bash `git checkout -- src && cp -t build .agent/config/coordination.yaml` (allowed: parsed, paths resolved)', input('Bash', { command: 'git checkout -- src && cp -t build .agent/config/coordination.yaml' })],
    ['Bash `rm -rf ~` (denied: finds its open NOTE, writes nothing)', input('Bash', { command: 'rm -rf ~' })],
  ];
  const run = (stdin) => timeProcess([CLI, 'hook', 'pre-tool-use'], { cwd: work, env, input: stdin, stdio: ['pipe', 'ignore', 'pipe'] });
  // Warm-up: the first call caches the guard settings; the first denial writes its NOTE.
  for (const [, stdin] of cases) run(stdin);
  timeProcess(['-e', '0']);
  const times = { baseline: [], cases: cases.map(() => []) };
  for (let round = 0; round < ROUNDS; round++) {
    times.baseline.push(timeProcess(['-e', '0']));
    cases.forEach(([, stdin], i) => times.cases[i].push(run(stdin)));
  }
  const base95 = percentile(times.baseline, 95);
  console.log('## The guard (cos hook pre-tool-use, before every tool call)\n');
  console.log(`Whole-process wall time over ${ROUNDS} interleaved rounds, the hook JSON on stdin, COS_SPRINT/COS_AGENT set, no budget configured. Target: p95 within 1.5× the p95 of \`node -e 0\`.\n`);
  console.log('| what | p50 | p95 | p95 vs node -e 0 | target |');
  console.log('|---|---|---|---|---|');
  console.log(`| \`node -e 0\` (baseline) | ${fmt(percentile(times.baseline, 50))} | ${fmt(base95)} | 1.0× | |`);
  cases.forEach(([label], i) => {
    const p95 = percentile(times.cases[i], 95);
    const ratio = p95 / base95;
    const target = i < 4 ? (ratio <= 1.5 ? 'met' : 'NOT met') : '(denial path)';
    console.log(`| ${label} | ${fmt(percentile(times.cases[i], 50))} | ${fmt(p95)} | ${ratio.toFixed(2)}× | ${target} |`);
  });
  console.log('');
} finally {
  removeDir(work);
}
