/**
 * Humans in the loop through the built CLI, with hook JSON in the exact shapes Claude Code sends
 * (test/hooks/fixtures/): the guard's denial JSON and BLOCKER NOTE, approvals used once, the
 * budget gate, needs-human raised and answered, and nothing at all outside a project.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cos } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';
import { entryFiles, hook, post, project } from './run-hook.js';

const ENV = { COS_SPRINT: 'wiring', COS_AGENT: 'dev' };

function fixture(name: string, cwd: string, change: (input: Record<string, unknown>) => void = () => {}): Record<string, unknown> {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the fixtures hold a literal ${CWD} placeholder
  const text = readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8').replaceAll('${CWD}', cwd);
  const input = JSON.parse(text) as Record<string, unknown>;
  change(input);
  return input;
}

const bash = (root: string, command: string) => fixture('pre-tool-use', root, (input) => ((input.tool_input as Record<string, unknown>).command = command));

function front(root: string, name: string): string {
  return readFileSync(join(root, '.agent/status/current', name), 'utf8');
}

function denial(stdout: string): { hookSpecificOutput: { hookEventName: string; permissionDecision: string; permissionDecisionReason: string } } {
  return JSON.parse(stdout);
}

async function findings(root: string): Promise<Array<{ kind: string; severity: string; files: string[] }>> {
  const result = await cos(['scan', '--json', '--fail-on', 'never', '--dir', root]);
  return JSON.parse(result.stdout).findings;
}

describe('the Claude Code hook fixtures, through the built CLI', () => {
  it('SessionStart → PreToolUse (denied) → Notification → PostToolUse → Stop', { timeout: 60_000 }, async () => {
    const root = await project();
    await post(root, ['--sprint', 'wiring', '--agent', 'dev', '--status', 'IN_PROGRESS']);

    const start = await hook('session-start', fixture('session-start', root), { cwd: root, env: ENV });
    expect(start.code).toBe(0);
    expect(start.stdout).toContain('agent `dev`, sprint `wiring`');

    const pre = await hook('pre-tool-use', fixture('pre-tool-use', root), { cwd: root, env: ENV });
    expect(pre.code).toBe(0);
    expect(pre.stderr).toBe('');
    const out = denial(pre.stdout);
    expect(Object.keys(out)).toEqual(['hookSpecificOutput']);
    expect(Object.keys(out.hookSpecificOutput)).toEqual(['hookEventName', 'permissionDecision', 'permissionDecisionReason']);
    expect(out.hookSpecificOutput.hookEventName).toBe('PreToolUse');
    expect(out.hookSpecificOutput.permissionDecision).toBe('deny');
    const note = entryFiles(root).at(-1)!;
    expect(out.hookSpecificOutput.permissionDecisionReason).toMatch(/rule force-push\): a force push of main on origin rewrites a shared branch/);
    expect(out.hookSpecificOutput.permissionDecisionReason).toContain(`cos approve ${note}`);
    expect(front(root, note)).toMatch(/^status: NOTE$/m);
    expect(front(root, note)).toMatch(/^severity: BLOCKER$/m);
    expect(front(root, note)).toMatch(/^denied: git push --force origin main$/m);

    const notified = await hook('notification', fixture('notification', root), { cwd: root, env: ENV });
    expect(notified).toEqual({ code: 0, stdout: '', stderr: '' });
    const waiting = entryFiles(root).at(-1)!;
    expect(front(root, waiting)).toMatch(/^severity: URGENT$/m);
    expect(front(root, waiting)).toMatch(/^needs_human: permission_prompt$/m);
    let open = await findings(root);
    expect(open.filter((f) => f.kind === 'needs-human')).toEqual([expect.objectContaining({ severity: 'URGENT', files: [`.agent/status/current/${waiting}`] })]);
    expect(open.some((f) => f.kind === 'escalation' && f.files.includes(`.agent/status/current/${waiting}`))).toBe(false);
    // A second notification while the first is unanswered writes nothing new.
    await hook('notification', fixture('notification', root, (i) => (i.notification_type = 'idle_prompt')), { cwd: root, env: ENV });
    expect(entryFiles(root).at(-1)).toBe(waiting);
    const brief = await cos(['brief', '--dir', root]);
    expect(brief.stdout).toContain('needs-human');

    const postTool = await hook('post-tool-use', fixture('post-tool-use', root), { cwd: root, env: ENV });
    expect(postTool).toEqual({ code: 0, stdout: '', stderr: '' });
    open = await findings(root);
    expect(open.some((f) => f.kind === 'needs-human')).toBe(false);

    const stop = await hook('stop', fixture('stop', root), { cwd: root, env: ENV });
    expect(stop).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(front(root, entryFiles(root).at(-1)!)).toMatch(/^hook: stop$/m);
  });

  it('needs-human: an entry of the agent resolves it; after a person resolves it, the next wait of the session is a new NOTE', { timeout: 60_000 }, async () => {
    const root = await project();
    await post(root, ['--sprint', 'wiring', '--agent', 'dev', '--status', 'IN_PROGRESS']);
    const needsHuman = async () => (await findings(root)).filter((f) => f.kind === 'needs-human').map((f) => f.files[0]!.split('/').pop());

    // Resolved by the agent's next entry (no hook in between).
    await hook('notification', fixture('notification', root), { cwd: root, env: ENV });
    const first = entryFiles(root).at(-1)!;
    expect(await needsHuman()).toEqual([first]);
    await post(root, ['--sprint', 'wiring', '--agent', 'dev', '--status', 'NOTE', '--message', 'answered, back at it']);
    expect(await needsHuman()).toEqual([]);

    // A person resolves the next one while the agent still waits: its next notification is recorded.
    await hook('notification', fixture('notification', root, (i) => (i.notification_type = 'idle_prompt')), { cwd: root, env: ENV });
    const second = entryFiles(root).at(-1)!;
    expect(second).not.toBe(first);
    expect(front(root, second)).toMatch(/^needs_human: idle_prompt$/m);
    const resolved = await cos(['resolve', second, '--agent', 'lead', '--dir', root]);
    expect(resolved.code).toBe(0);
    expect(await needsHuman()).toEqual([]);
    await hook('notification', fixture('notification', root, (i) => (i.notification_type = 'idle_prompt')), { cwd: root, env: ENV });
    const third = entryFiles(root).at(-1)!;
    expect(front(root, third)).toMatch(/^needs_human: idle_prompt$/m);
    expect(await needsHuman()).toEqual([third]);
  });

  it('outside a project every hook exits 0 and writes nothing', { timeout: 60_000 }, async () => {
    const dir = testdir();
    for (const name of ['session-start', 'pre-tool-use', 'post-tool-use', 'notification', 'stop']) {
      const result = await hook(name, fixture(name, dir), { cwd: dir, env: ENV });
      expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('cos hook pre-tool-use: the guard', () => {
  it('one BLOCKER NOTE per agent and command, not per retry (whitespace normalised)', { timeout: 60_000 }, async () => {
    const root = await project();
    for (const command of ['rm -rf ~', 'rm   -rf  ~', 'rm -rf ~']) {
      const result = await hook('pre-tool-use', bash(root, command), { cwd: root, env: ENV });
      expect(denial(result.stdout).hookSpecificOutput.permissionDecision).toBe('deny');
    }
    expect(entryFiles(root)).toHaveLength(1);
    // Another agent retrying the same command gets its own NOTE.
    await hook('pre-tool-use', bash(root, 'rm -rf ~'), { cwd: root, env: { COS_SPRINT: 'wiring', COS_AGENT: 'qa' } });
    expect(entryFiles(root)).toHaveLength(2);
    // Harmless look-alikes print nothing and write nothing.
    for (const command of ['echo "rm -rf ~"', 'rm -rf ./build', 'git push --force origin feature-x']) {
      expect(await hook('pre-tool-use', bash(root, command), { cwd: root, env: ENV })).toEqual({ code: 0, stdout: '', stderr: '' });
    }
    expect(entryFiles(root)).toHaveLength(2);
  });

  it('cos approve by another identity lets exactly that command through once; the second time it is denied again', { timeout: 60_000 }, async () => {
    const root = await project();
    const first = await hook('pre-tool-use', bash(root, 'git push --force origin main'), { cwd: root, env: ENV });
    expect(denial(first.stdout).hookSpecificOutput.permissionDecision).toBe('deny');
    const note = entryFiles(root)[0]!;

    const own = await cos(['approve', note, '--agent', 'dev', '--dir', root]);
    expect(own.code).toBe(1);
    expect(own.stderr).toMatch(/dev cannot approve its own denied command/);
    const notDenial = await cos(['approve', 'no-such-file.md', '--dir', root]);
    expect(notDenial.code).toBe(1);

    const approved = await cos(['approve', join(root, '.agent/status/current', note), '--agent', 'lead', '--dir', root]);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(/dev may run this once until .*: git push --force origin main/);
    const approval = entryFiles(root).at(-1)!;
    expect(front(root, approval)).toMatch(new RegExp(`^approves: ${note.replace(/\./g, '\\.')}$`, 'm'));

    // Another command, or another agent, is not approved by it.
    expect(denial((await hook('pre-tool-use', bash(root, 'git push --force origin master'), { cwd: root, env: ENV })).stdout).hookSpecificOutput.permissionDecision).toBe('deny');
    expect(denial((await hook('pre-tool-use', bash(root, 'git push --force origin main'), { cwd: root, env: { ...ENV, COS_AGENT: 'qa' } })).stdout).hookSpecificOutput.permissionDecision).toBe('deny');

    const once = await hook('pre-tool-use', bash(root, 'git  push --force origin   main'), { cwd: root, env: ENV });
    expect(once).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(existsSync(join(root, '.agent/state/approvals-used', approval))).toBe(true);
    const before = entryFiles(root).length;
    const twice = await hook('pre-tool-use', bash(root, 'git push --force origin main'), { cwd: root, env: ENV });
    expect(denial(twice.stdout).hookSpecificOutput.permissionDecision).toBe('deny');
    // The approved denial was settled: this is a new denial, with its own NOTE.
    expect(entryFiles(root).length).toBe(before + 1);
  });

  it('an approval older than guard.approval_minutes lets nothing through', { timeout: 60_000 }, async () => {
    const root = await project('version: 1\nguard:\n  approval_minutes: 5\n');
    await hook('pre-tool-use', bash(root, 'dropdb app'), { cwd: root, env: ENV });
    const note = entryFiles(root)[0]!;
    expect((await cos(['approve', note, '--agent', 'lead', '--dir', root], { now: new Date(Date.now() - 6 * 60_000) })).code).toBe(0);
    expect(denial((await hook('pre-tool-use', bash(root, 'dropdb app'), { cwd: root, env: ENV })).stdout).hookSpecificOutput.permissionDecision).toBe('deny');
  });

  it("denies the agent's own cos approve and its edits of .agent/config/", { timeout: 60_000 }, async () => {
    const root = await project();
    const self = await hook('pre-tool-use', bash(root, 'npx cos approve 001-2026-11-29T14-08-57Z-dev.md --agent lead'), { cwd: root, env: ENV });
    expect(denial(self.stdout).hookSpecificOutput.permissionDecisionReason).toMatch(/rule self-approval/);
    const edit = fixture('pre-tool-use', root, (input) => {
      input.tool_name = 'Edit';
      input.tool_input = { file_path: join(root, '.agent/config/coordination.yaml'), old_string: 'ttl_minutes: 30', new_string: 'ttl_minutes: 3000' };
    });
    const result = await hook('pre-tool-use', edit, { cwd: root, env: ENV });
    expect(denial(result.stdout).hookSpecificOutput.permissionDecisionReason).toMatch(/rule config-edit\): Edit of \.agent\/config\/coordination\.yaml/);
  });

  it('over budget: the next tool call is denied (cos reporting passes); raising the budget lets it through', { timeout: 60_000 }, async () => {
    const root = await project('version: 1\nbudget_usd_per_sprint: 10\n');
    await post(root, ['--sprint', 'wiring', '--agent', 'dev', '--status', 'IN_PROGRESS', '--cost', '12.5']);
    const read = fixture('pre-tool-use', root, (input) => {
      input.tool_name = 'Read';
      input.tool_input = { file_path: join(root, 'README.md') };
    });
    const denied = await hook('pre-tool-use', read, { cwd: root, env: ENV });
    expect(denial(denied.stdout).hookSpecificOutput.permissionDecisionReason).toMatch(/wiring has spent \$12\.50, past its budget of \$10\.00/);
    const report = await hook('pre-tool-use', bash(root, 'cos post --sprint wiring --agent dev --status BLOCKED --severity URGENT --message "over budget"'), { cwd: root, env: ENV });
    expect(report).toEqual({ code: 0, stdout: '', stderr: '' });
    // Another sprint's agent is not held back.
    expect((await hook('pre-tool-use', read, { cwd: root, env: { COS_SPRINT: 'other', COS_AGENT: 'dev2' } })).stdout).toBe('');
    writeFileSync(join(root, '.agent/config/coordination.yaml'), 'version: 1\nbudget_usd_per_sprint: 100\n');
    expect(await hook('pre-tool-use', read, { cwd: root, env: ENV })).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('a broken coordination.yaml does not take the seat belt off: the default rules apply, and the log says why', { timeout: 60_000 }, async () => {
    for (const config of ['guard:\n  deny: [force-push\n', 'version: 1\nguard:\n  deny: "nothing"\n']) {
      const root = await project(config);
      const pre = await hook('pre-tool-use', bash(root, 'rm -rf ~'), { cwd: root, env: ENV });
      expect(pre.code).toBe(0);
      expect(denial(pre.stdout).hookSpecificOutput.permissionDecisionReason).toContain('rule recursive-delete-outside-repo');
      expect(readFileSync(join(root, '.agent/state/hooks.log'), 'utf8')).toContain('the guard applies its default rules until coordination.yaml is fixed');
      expect((await hook('pre-tool-use', bash(root, 'rm -rf ./build'), { cwd: root, env: ENV })).stdout).toBe('');
    }
  });

  it('with no identity yet, a denial is still a NOTE (sprint unassigned, agent session-<id>)', { timeout: 60_000 }, async () => {
    const root = await project();
    const result = await hook('pre-tool-use', bash(root, 'rm -rf /'), { cwd: root });
    expect(denial(result.stdout).hookSpecificOutput.permissionDecision).toBe('deny');
    const note = front(root, entryFiles(root)[0]!);
    expect(note).toMatch(/^sprint: unassigned$/m);
    expect(note).toMatch(/^agent: session-8f3c2a9e41d7$/m);
  });
});
