/**
 * The post-tool-use hook, run as Claude Code runs it: the built CLI with the hook JSON on stdin
 * and cwd = the project. It refreshes the heartbeat, writes only when due, learns the identity
 * from the agent's own cos post, and never fails the session.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { testdir } from '../helpers/tmp.js';
import { HOURS_AGO, entryFiles, fingerprint, heartbeatOf, hook, post, project } from './run-hook.js';

const ENV = { COS_SPRINT: 'wiring', COS_AGENT: 'dev' };
const toolCall = (root: string, session = 'sess-1', extra: Record<string, unknown> = {}) => ({
  session_id: session,
  transcript_path: '/tmp/transcript.jsonl',
  cwd: root,
  hook_event_name: 'PostToolUse',
  tool_name: 'Read',
  tool_input: { file_path: join(root, 'README.md') },
  tool_response: { ok: true },
  ...extra,
});

describe('cos hook post-tool-use', () => {
  it('refreshes the open entry\'s heartbeat, silently, exit 0', async () => {
    const root = await project();
    const { path, name } = await post(root, ['--sprint', 'wiring', '--agent', 'dev', '--status', 'IN_PROGRESS'], HOURS_AGO(2));
    const before = heartbeatOf(path);
    const startedAt = Math.floor(Date.now() / 1000) * 1000;
    const result = await hook('post-tool-use', toolCall(root), { cwd: root, env: ENV });
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    const after = heartbeatOf(path);
    expect(after).not.toBe(before);
    expect(Date.parse(after)).toBeGreaterThanOrEqual(startedAt);
    expect(entryFiles(root)).toEqual([name]);
  });

  it('called 100 times in a row, writes only when due (once, with a long min interval)', async () => {
    const root = await project('version: 1\nheartbeat:\n  min_interval_seconds: 3600\n');
    const { path, name } = await post(root, ['--sprint', 'wiring', '--agent', 'dev', '--status', 'IN_PROGRESS'], HOURS_AGO(2));
    const recordPath = join(root, '.agent/state/sessions/sess-1.json');
    let previous = fingerprint(path);
    let writes = 0;
    let firstRecord = '';
    for (let i = 0; i < 100; i++) {
      const result = await hook('post-tool-use', toolCall(root), { cwd: root, env: ENV });
      expect(result.code).toBe(0);
      const now = fingerprint(path);
      if (now !== previous) writes++;
      previous = now;
      if (i === 0) firstRecord = fingerprint(recordPath);
    }
    expect(writes).toBe(1);
    // Calls 2..100 took the fast path: the session record was not even rewritten.
    expect(fingerprint(recordPath)).toBe(firstRecord);
    expect(entryFiles(root)).toEqual([name]);
    const record = JSON.parse(readFileSync(join(root, '.agent/state/sessions/sess-1.json'), 'utf8'));
    expect(record).toMatchObject({ session_id: 'sess-1', sprint: 'wiring', agent: 'dev', source: 'env', min_interval_seconds: 3600 });
  }, 300_000); // 100 CLI processes: 8 s on a quiet 2-core machine, 33 s under load

  it('writes again once the interval has passed', async () => {
    const root = await project('version: 1\nheartbeat:\n  min_interval_seconds: 1\n');
    const { path, name } = await post(root, ['--sprint', 'wiring', '--agent', 'dev', '--status', 'IN_PROGRESS'], HOURS_AGO(2));
    const original = fingerprint(path);
    await hook('post-tool-use', toolCall(root), { cwd: root, env: ENV });
    const first = fingerprint(path);
    const firstBeat = heartbeatOf(path);
    expect(first).not.toBe(original);
    await sleep(2100);
    await hook('post-tool-use', toolCall(root), { cwd: root, env: ENV });
    expect(fingerprint(path)).not.toBe(first);
    expect(Date.parse(heartbeatOf(path))).toBeGreaterThan(Date.parse(firstBeat));
  });

  it('learns sprint and agent from the agent\'s own cos post, then keeps heartbeating with them', async () => {
    const root = await project();
    const { path, name } = await post(root, ['--sprint', 'wiring', '--agent', 'dev', '--status', 'IN_PROGRESS'], HOURS_AGO(2));
    const before = heartbeatOf(path);
    // The agent ran: cos post ... (in its Bash tool). The hook sees the command in tool_input.
    const bash = toolCall(root, 'sess-2', {
      tool_name: 'Bash',
      tool_input: { command: 'cd sub && npx cos post --message "a; b | c" --sprint wiring --agent=dev --status IN_PROGRESS', description: 'report' },
    });
    expect((await hook('post-tool-use', bash, { cwd: root })).code).toBe(0);
    const record = JSON.parse(readFileSync(join(root, '.agent/state/sessions/sess-2.json'), 'utf8'));
    expect(record).toMatchObject({ sprint: 'wiring', agent: 'dev', source: 'learned' });
    expect(heartbeatOf(path)).not.toBe(before);
  });

  it('stays silent and writes nothing when it cannot tell the sprint or agent', async () => {
    const root = await project();
    const { path, name } = await post(root, ['--sprint', 'wiring', '--agent', 'dev', '--status', 'IN_PROGRESS'], HOURS_AGO(2));
    const before = fingerprint(path);
    const result = await hook('post-tool-use', toolCall(root, 'sess-3'), { cwd: root });
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(fingerprint(path)).toBe(before);
    expect(existsSync(join(root, '.agent/state/sessions/sess-3.json'))).toBe(false);
    // A hostile identity in the environment is ignored, not used as a path.
    const hostile = await hook('post-tool-use', toolCall(root, 'sess-3'), { cwd: root, env: { COS_SPRINT: '../x', COS_AGENT: 'dev' } });
    expect(hostile.code).toBe(0);
    expect(fingerprint(path)).toBe(before);
  });

  it('malformed hook JSON: silent exit 0 and one line in .agent/state/hooks.log', async () => {
    const root = await project();
    for (const input of ['{not json', '[]', '{"session_id":"../../etc/passwd","cwd":"/"}', '']) {
      const result = await hook('post-tool-use', input, { cwd: root, env: ENV });
      expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    }
    const log = readFileSync(join(root, '.agent/state/hooks.log'), 'utf8').trim().split('\n');
    expect(log).toHaveLength(4);
    expect(log[0]).toMatch(/^\d{4}-\d\d-\d\dT.* post-tool-use hook JSON on stdin does not parse/);
    expect(log[2]).toContain('no usable session_id');
    expect(readdirSync(join(root, '.agent/state'))).toEqual(['hooks.log']);
  });

  it('outside a cos project it does nothing at all', async () => {
    const dir = testdir({ 'README.md': 'hi\n' });
    const result = await hook('post-tool-use', toolCall(dir), { cwd: dir, env: ENV });
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readdirSync(dir)).toEqual(['README.md']);
  });
});
