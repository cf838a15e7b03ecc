/** The stop hook's WARN entry, and the session-start briefing, run as Claude Code runs them. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEntry } from '../../src/protocol/entry.js';
import { readStore } from '../../src/store/read.js';
import { cos } from '../helpers/cli.js';
import { HOURS_AGO, entryFiles, hook, post, project } from './run-hook.js';

const ENV = { COS_SPRINT: 'wiring', COS_AGENT: 'dev' };
const stopInput = (root: string, session = 'sess-stop') => ({ session_id: session, cwd: root, hook_event_name: 'Stop', stop_hook_active: false });
const startInput = (root: string, session = 'sess-start') => ({ session_id: session, cwd: root, hook_event_name: 'SessionStart', source: 'startup' });

describe('cos hook stop', () => {
  it('an agent that stops with its entry IN_PROGRESS gets one WARN entry saying so', async () => {
    const root = await project();
    const open = await post(root, ['--sprint', 'wiring', '--agent', 'dev', '--status', 'IN_PROGRESS', '--phase', 'api', '--ttl', '45'], HOURS_AGO(1));
    const result = await hook('stop', stopInput(root), { cwd: root, env: ENV });
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    const files = entryFiles(root);
    expect(files).toHaveLength(2);
    const warn = parseEntry(readFileSync(join(root, '.agent/status/current', files[1]!), 'utf8'), { file: files[1]!, path: files[1]!, location: 'current' });
    expect(warn.ok).toBe(true);
    if (!warn.ok) return;
    expect(warn.entry).toMatchObject({ sprint: 'wiring', agent: 'dev', status: 'IN_PROGRESS', severity: 'WARN', ttl_minutes: 45, phase: 'api', extra: { hook: 'stop' } });
    expect(warn.entry.body).toContain(`stopped while ${open.name} was still IN_PROGRESS`);
    // Once per open entry: Claude Code fires Stop after every turn.
    expect((await hook('stop', stopInput(root), { cwd: root, env: ENV })).code).toBe(0);
    expect(entryFiles(root)).toHaveLength(2);
    // After the agent reports again, the next stop warns again.
    await post(root, ['--sprint', 'wiring', '--agent', 'dev', '--status', 'IN_PROGRESS', '--message', 'next step']);
    await hook('stop', stopInput(root), { cwd: root, env: ENV });
    expect(entryFiles(root)).toHaveLength(4);
    expect(readStore(root).problems).toEqual([]);
  });

  it('no WARN after a final status, over an open escalation, or without an identity', async () => {
    const root = await project();
    await post(root, ['--sprint', 'wiring', '--agent', 'dev', '--status', 'COMPLETE']);
    await hook('stop', stopInput(root), { cwd: root, env: ENV });
    expect(entryFiles(root)).toHaveLength(1);

    // An URGENT IN_PROGRESS: a WARN IN_PROGRESS from the same agent would count as "back to normal".
    await post(root, ['--sprint', 'urgent', '--agent', 'dev', '--status', 'IN_PROGRESS', '--severity', 'URGENT']);
    await hook('stop', stopInput(root), { cwd: root, env: { COS_SPRINT: 'urgent', COS_AGENT: 'dev' } });
    expect(entryFiles(root)).toHaveLength(2);
    const scan = JSON.parse((await cos(['scan', '--json', '--dir', root])).stdout);
    expect(scan.findings.filter((finding: { kind: string }) => finding.kind === 'escalation')).toHaveLength(1);

    await post(root, ['--sprint', 'other', '--agent', 'dev', '--status', 'IN_PROGRESS']);
    const silent = await hook('stop', stopInput(root, 'unknown-session'), { cwd: root });
    expect(silent).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(entryFiles(root)).toHaveLength(3);
  });

  it('uses the identity learned earlier in the same session', async () => {
    const root = await project();
    await post(root, ['--sprint', 'wiring', '--agent', 'dev', '--status', 'IN_PROGRESS']);
    const bash = { session_id: 'sess-learn', cwd: root, hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: 'cos post --sprint wiring --agent dev --status IN_PROGRESS' } };
    expect((await hook('post-tool-use', bash, { cwd: root })).code).toBe(0);
    await hook('stop', stopInput(root, 'sess-learn'), { cwd: root });
    expect(entryFiles(root)).toHaveLength(2);
  });
});

describe('cos hook session-start', () => {
  it('shows the agent its open entries and the escalations on its sprints, and records the session', async () => {
    const root = await project();
    const mine = await post(root, ['--sprint', 'wiring', '--agent', 'dev', '--status', 'IN_PROGRESS']);
    const escalation = await post(root, ['--sprint', 'wiring', '--agent', 'qa', '--status', 'BLOCKED', '--severity', 'BLOCKER', '--message', 'need the staging database']);
    await post(root, ['--sprint', 'elsewhere', '--agent', 'ops', '--status', 'BLOCKED', '--severity', 'URGENT']);
    const result = await hook('session-start', startInput(root), { cwd: root, env: ENV });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('agent `dev`, sprint `wiring`');
    expect(result.stdout).toContain(mine.name);
    expect(result.stdout).toContain(`escalation: qa escalated wiring (BLOCKED, BLOCKER) in ${escalation.name}`);
    expect(result.stdout).toContain('cos post --sprint wiring --agent dev --status COMPLETE');
    // Another sprint's escalation is not this agent's business.
    expect(result.stdout).not.toContain('elsewhere');
    const record = JSON.parse(readFileSync(join(root, '.agent/state/sessions/sess-start.json'), 'utf8'));
    expect(record).toMatchObject({ sprint: 'wiring', agent: 'dev', source: 'env' });
  });

  it('without an identity: how to report, and what needs a human', async () => {
    const root = await project();
    await post(root, ['--sprint', 'elsewhere', '--agent', 'ops', '--status', 'BLOCKED', '--severity', 'URGENT', '--message', 'disk full']);
    const result = await hook('session-start', startInput(root, 'anon'), { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('cos post --sprint <sprint> --agent <you> --status IN_PROGRESS');
    expect(result.stdout).toContain('Needs a human (1)');
    expect(result.stdout).toContain('ops escalated elsewhere');
    expect(existsSync(join(root, '.agent/state/sessions/anon.json'))).toBe(false);
  });
});
