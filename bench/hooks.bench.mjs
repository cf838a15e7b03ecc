// Agent hooks: what `cos hook post-tool-use` costs after every tool call (whole process, hook JSON
// on stdin, as Claude Code runs it), next to `node -e 0`; the due path, the CLI's own
// `cos heartbeat --if-due`, and the once-per-session hooks. Medians of whole-process wall times.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, fmt, medianProcess, removeDir, tempDir } from './lib.mjs';

const T0 = Date.now() - 600_000;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A repository with 50 entries in current/ (the default bound), one of them the agent's open entry. */
function repo(dir, minInterval) {
  spawnSync(process.execPath, [CLI, 'init', '--dir', dir], { stdio: 'ignore' });
  writeFileSync(join(dir, '.agent/config/coordination.yaml'), `version: 1\nheartbeat:\n  min_interval_seconds: ${minInterval}\n`);
  const current = join(dir, '.agent/status/current');
  mkdirSync(current, { recursive: true });
  for (let seq = 1; seq <= 50; seq++) {
    const agent = seq === 50 ? 'dev' : `agent-${seq % 7}`;
    const sprint = seq === 50 ? 'wiring' : `sprint-${seq % 10}`;
    const status = seq === 50 ? 'IN_PROGRESS' : seq % 3 === 0 ? 'COMPLETE' : 'IN_PROGRESS';
    const ts = iso(T0 + seq * 1000);
    const name = `${String(seq).padStart(3, '0')}-${ts.replace(/:/g, '-')}-${agent}.md`;
    writeFileSync(
      join(current, name),
      `---\ntimestamp: ${ts}\nsprint: ${sprint}\nagent: ${agent}\nstatus: ${status}\nseverity: INFO\nheartbeat: ${ts}\nttl_minutes: 600\n---\n## ${ts} | ${sprint}\n**Agent:** ${agent}\n**Status:** ${status}\n`,
    );
  }
}

const work = tempDir('cos-bench-hooks-');
const rows = [];
try {
  const env = { ...process.env, COS_SPRINT: 'wiring', COS_AGENT: 'dev' };
  delete env.CLAUDE_PROJECT_DIR;
  const baseline = medianProcess(['-e', '0'], 15);
  rows.push(['`node -e 0` (baseline)', fmt(baseline), '1.0×']);

  // Fast path: the session record says the next heartbeat is not due (min interval 1 h).
  const fast = join(work, 'fast');
  mkdirSync(fast);
  repo(fast, 3600);
  const input = JSON.stringify({ session_id: 'bench-session', transcript_path: '/tmp/t.jsonl', cwd: fast, hook_event_name: 'PostToolUse', tool_name: 'Read', tool_input: { file_path: join(fast, 'runbook.md') }, tool_response: {} });
  const options = (cwd) => ({ cwd, env, stdio: ['pipe', 'ignore', 'pipe'], input });
  const hit = medianProcess([CLI, 'hook', 'post-tool-use'], 21, options(fast));
  rows.push(['`cos hook post-tool-use`, fast path (not due: reads stdin + one session file)', fmt(hit), `${(hit / baseline).toFixed(1)}×`]);

  // Due every time (min interval 1 ms): loads the config, reads current/, rewrites the entry under its lock.
  const due = join(work, 'due');
  mkdirSync(due);
  repo(due, 0.001);
  const dueInput = input.replace(JSON.stringify(fast), JSON.stringify(due));
  const write = medianProcess([CLI, 'hook', 'post-tool-use'], 15, { cwd: due, env, stdio: ['pipe', 'ignore', 'pipe'], input: dueInput });
  rows.push(['`cos hook post-tool-use`, due (config + 50 entries read + heartbeat written)', fmt(write), `${(write / baseline).toFixed(1)}×`]);

  const ifDue = medianProcess([CLI, 'heartbeat', '--if-due', '--sprint', 'wiring', '--agent', 'dev', '--dir', fast], 15);
  rows.push(['`cos heartbeat --if-due`, not due (the CLI way, for comparison)', fmt(ifDue), `${(ifDue / baseline).toFixed(1)}×`]);

  const startInput = JSON.stringify({ session_id: 'bench-start', cwd: fast, hook_event_name: 'SessionStart', source: 'startup' });
  const start = medianProcess([CLI, 'hook', 'session-start'], 11, { cwd: fast, env, stdio: ['pipe', 'ignore', 'pipe'], input: startInput });
  rows.push(['`cos hook session-start` (briefing: analyze + brief of 50 entries), once per session', fmt(start), `${(start / baseline).toFixed(1)}×`]);

  const stopInput = JSON.stringify({ session_id: 'bench-stop', cwd: fast, hook_event_name: 'Stop', stop_hook_active: false });
  // The first run posts the WARN entry; the measured ones find it and write nothing.
  const stop = medianProcess([CLI, 'hook', 'stop'], 11, { cwd: fast, env, stdio: ['pipe', 'ignore', 'pipe'], input: stopInput });
  rows.push(['`cos hook stop` (already warned: reads current/, writes nothing), once per turn', fmt(stop), `${(stop / baseline).toFixed(1)}×`]);
} finally {
  removeDir(work);
}

console.log('## Agent hooks (cos hook, as Claude Code runs them)\n');
console.log('Whole-process wall time, median; the hook JSON on stdin, COS_SPRINT/COS_AGENT set, 50 entries in current/.\n');
console.log('| what | median | vs node -e 0 |');
console.log('|---|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
console.log('');
