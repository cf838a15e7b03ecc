/** cos setup claude: merges into existing settings, idempotent, --dry-run, --remove restores the bytes. */
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COS_HOOKS, installHooks, ourHookName, removeHooks } from '../../src/setup/claude-settings.js';
import { execFileSync } from 'node:child_process';
import { CLI, cos, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';

const EXISTING = {
  permissions: { allow: ['Bash(npm test:*)', 'Read(./src/**)'], deny: ['Bash(rm -rf:*)'] },
  env: { FOO: 'bar' },
  hooks: {
    PostToolUse: [{ matcher: 'Edit|Write', hooks: [{ type: 'command', command: 'npx prettier --write "$CLAUDE_FILE"' }] }],
    PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './scripts/guard.sh', timeout: 5 }] }],
    Stop: [{ hooks: [{ type: 'command', command: 'say done' }] }],
  },
  model: 'sonnet',
};
const ORIGINAL = `${JSON.stringify(EXISTING, null, 2)}\n`;

function project(settings?: string): string {
  return testdir({ '.agent/config/coordination.yaml': 'version: 1\n', ...(settings !== undefined ? { '.claude/settings.json': settings } : {}) });
}

const read = (root: string) => readFileSync(join(root, '.claude/settings.json'), 'utf8');

function commandsOf(settings: Record<string, any>, event: string): string[] {
  return (settings.hooks?.[event] ?? []).flatMap((group: any) => group.hooks.map((hook: any) => hook.command));
}

describe('cos setup claude', () => {
  it('keeps other hooks, permissions and settings; twice changes nothing; --remove restores the original bytes', async () => {
    const root = project(ORIGINAL);
    const first = await cos(['setup', 'claude', '--dir', root, '--cos', 'cos']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('.claude/settings.json: updated');
    const installed = read(root);
    const settings = JSON.parse(installed);
    // Everything that was there is still there, unchanged.
    expect(settings.permissions).toEqual(EXISTING.permissions);
    expect(settings.env).toEqual(EXISTING.env);
    expect(settings.model).toBe('sonnet');
    expect(settings.hooks.PreToolUse[0]).toEqual(EXISTING.hooks.PreToolUse[0]);
    expect(commandsOf(settings, 'PreToolUse')).toEqual(['./scripts/guard.sh', 'cos hook pre-tool-use']);
    expect(commandsOf(settings, 'Notification')).toEqual(['cos hook notification']);
    expect(settings.hooks.PostToolUse[0]).toEqual(EXISTING.hooks.PostToolUse[0]);
    expect(settings.hooks.Stop[0]).toEqual(EXISTING.hooks.Stop[0]);
    // And ours were added next to them.
    expect(commandsOf(settings, 'SessionStart')).toEqual(['cos hook session-start']);
    expect(commandsOf(settings, 'PostToolUse')).toEqual(['npx prettier --write "$CLAUDE_FILE"', 'cos hook post-tool-use']);
    expect(commandsOf(settings, 'Stop')).toEqual(['say done', 'cos hook stop']);

    const second = await cos(['setup', 'claude', '--dir', root, '--cos', 'cos']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('nothing to change');
    expect(read(root)).toBe(installed);

    const removed = await cos(['setup', 'claude', '--remove', '--dir', root]);
    expect(removed.code).toBe(0);
    expect(read(root)).toBe(ORIGINAL);

    // Removing again (or from a project that never had them) says there is nothing to remove.
    const again = await cos(['setup', 'claude', '--remove', '--dir', root]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(".claude/settings.json: nothing of cos's to remove\n");
    expect(read(root)).toBe(ORIGINAL);
  });

  it('never installs a bare cos: the project\'s node_modules/.bin/cos, else the absolute node and cli.js that ran the setup', { timeout: 60_000 }, async () => {
    const root = project();
    const setup = await runCli(['setup', 'claude', '--dir', root], { env: { PATH: '/nonexistent' } });
    expect(setup.code).toBe(0);
    const command = commandsOf(JSON.parse(read(root)), 'PreToolUse')[0]!;
    expect(command).toBe(`${process.execPath} ${CLI} hook pre-tool-use`.replace(/^(\S+) (\S+)/, (all) => all));
    // It runs where Claude Code runs it: a shell with no cos on PATH, cwd = the project.
    const input = JSON.stringify({ session_id: 's1', cwd: root, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'rm -rf /' } });
    const ran = execFileSync('/bin/sh', ['-c', command], { cwd: root, input, env: { PATH: '/nonexistent', HOME: root }, encoding: 'utf8' });
    expect(JSON.parse(ran).hookSpecificOutput.permissionDecision).toBe('deny');
    // With agent-cos installed in the project, its own binary.
    mkdirSync(join(root, 'node_modules/.bin'), { recursive: true });
    writeFileSync(join(root, 'node_modules/.bin/cos'), '#!/bin/sh\n');
    chmodSync(join(root, 'node_modules/.bin/cos'), 0o755);
    expect((await runCli(['setup', 'claude', '--dir', root])).code).toBe(0);
    expect(commandsOf(JSON.parse(read(root)), 'Stop')).toEqual(['"$CLAUDE_PROJECT_DIR"/node_modules/.bin/cos hook stop']);
  });

  it('a settings.json that is a symlink stays one: the hooks go into its target, --remove restores it', async () => {
    const root = project();
    mkdirSync(join(root, 'config'), { recursive: true });
    writeFileSync(join(root, 'config/claude-settings.json'), ORIGINAL);
    mkdirSync(join(root, '.claude'), { recursive: true });
    symlinkSync('../config/claude-settings.json', join(root, '.claude/settings.json'));
    expect((await cos(['setup', 'claude', '--dir', root, '--cos', 'cos'])).code).toBe(0);
    expect(lstatSync(join(root, '.claude/settings.json')).isSymbolicLink()).toBe(true);
    expect(commandsOf(JSON.parse(readFileSync(join(root, 'config/claude-settings.json'), 'utf8')), 'Stop')).toEqual(['say done', 'cos hook stop']);
    expect((await cos(['setup', 'claude', '--remove', '--dir', root])).code).toBe(0);
    expect(lstatSync(join(root, '.claude/settings.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(root, 'config/claude-settings.json'), 'utf8')).toBe(ORIGINAL);
  });

  it('--remove takes out exactly our hooks when the file changed since, keeping the new changes', async () => {
    const root = project(ORIGINAL);
    expect((await cos(['setup', 'claude', '--dir', root, '--cos', 'cos'])).code).toBe(0);
    const edited = JSON.parse(read(root));
    edited.permissions.allow.push('Bash(git status)');
    writeFileSync(join(root, '.claude/settings.json'), `${JSON.stringify(edited, null, 2)}\n`);
    expect((await cos(['setup', 'claude', '--remove', '--dir', root])).code).toBe(0);
    const after = JSON.parse(read(root));
    expect(after).toEqual({ ...EXISTING, permissions: { ...EXISTING.permissions, allow: [...EXISTING.permissions.allow, 'Bash(git status)'] } });
  });

  it('restores a compact, hand-formatted original byte for byte', async () => {
    const compact = '{"permissions":{"allow":["Bash(ls)"]},"hooks":{}}';
    const root = project(compact);
    expect((await cos(['setup', 'claude', '--dir', root])).code).toBe(0);
    expect(read(root)).not.toBe(compact);
    expect((await cos(['setup', 'claude', '--remove', '--dir', root])).code).toBe(0);
    expect(read(root)).toBe(compact);
  });

  it('creates the file when absent, and --remove deletes it again', async () => {
    const root = project();
    expect((await cos(['setup', 'claude', '--dir', root])).code).toBe(0);
    const settings = JSON.parse(read(root));
    expect(Object.keys(settings.hooks)).toEqual(['SessionStart', 'PreToolUse', 'PostToolUse', 'Notification', 'Stop']);
    expect(settings.hooks.PostToolUse[0].matcher).toBe('*');
    expect(settings.hooks.PreToolUse[0].matcher).toBe('*');
    expect((await cos(['setup', 'claude', '--remove', '--dir', root])).code).toBe(0);
    expect(existsSync(join(root, '.claude/settings.json'))).toBe(false);
    expect(existsSync(join(root, '.claude'))).toBe(false);
  });

  it('--dry-run prints the diff and writes nothing', async () => {
    const root = project(ORIGINAL);
    const result = await cos(['setup', 'claude', '--dry-run', '--dir', root, '--cos', 'cos']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--- a/.claude/settings.json');
    expect(result.stdout).toContain('+++ b/.claude/settings.json');
    expect(result.stdout).toMatch(/^\+ +"command": "cos hook session-start",$/m);
    expect(result.stdout).not.toMatch(/^[-+].*permissions/m);
    expect(read(root)).toBe(ORIGINAL);
    expect(existsSync(join(root, '.agent/state/setup'))).toBe(false);
    const json = JSON.parse((await cos(['setup', 'claude', '--dry-run', '--json', '--dir', root])).stdout);
    expect(json).toMatchObject({ version: 1, target: 'claude', dry_run: true, changes: [{ file: '.claude/settings.json', action: 'updated', written: false }] });
    expect(read(root)).toBe(ORIGINAL);
  });

  it('refuses invalid JSON with one sentence and writes nothing', async () => {
    const root = project('{ "permissions": ');
    const result = await cos(['setup', 'claude', '--dir', root]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^cos setup: \.claude\/settings\.json is not valid JSON \(.*\); fix it first, nothing was changed\.\n$/);
    expect(read(root)).toBe('{ "permissions": ');
  });

  it('--local writes .claude/settings.local.json and leaves settings.json alone', async () => {
    const root = project(ORIGINAL);
    expect((await cos(['setup', 'claude', '--local', '--dir', root, '--cos', 'cos'])).code).toBe(0);
    expect(read(root)).toBe(ORIGINAL);
    expect(commandsOf(JSON.parse(readFileSync(join(root, '.claude/settings.local.json'), 'utf8')), 'Stop')).toEqual(['cos hook stop']);
  });

  it('usage errors are one sentence, exit 1', async () => {
    const root = project();
    expect((await cos(['setup', '--dir', root])).stderr).toContain('Say what to set up');
    expect((await cos(['setup', 'vim', '--dir', root])).code).toBe(1);
    expect((await cos(['setup', 'claude', '--file', 'X.md', '--dir', root])).stderr).toContain('--file belongs to cos setup agents-md');
  });
});

describe('settings merge (pure)', () => {
  it('updates an older install in place instead of adding a second copy, and drops duplicates', () => {
    const old = JSON.stringify({
      hooks: {
        PostToolUse: [
          { matcher: '*', hooks: [{ type: 'command', command: 'node ./node_modules/agent-cos/dist/cli.js hook post-tool-use', timeout: 3 }] },
          { matcher: '*', hooks: [{ type: 'command', command: 'cos hook post-tool-use' }] },
        ],
      },
    });
    const { text } = installHooks(old, 'npx --no-install cos');
    const settings = JSON.parse(text!);
    expect(commandsOf(settings, 'PostToolUse')).toEqual(['npx --no-install cos hook post-tool-use']);
    expect(settings.hooks.PostToolUse).toHaveLength(1);
    expect(commandsOf(settings, 'SessionStart')).toEqual(['npx --no-install cos hook session-start']);
  });

  it('recognises our hooks by command, not anybody else\'s', () => {
    expect(ourHookName('cos hook stop')).toBe('stop');
    expect(ourHookName('"$CLAUDE_PROJECT_DIR"/node_modules/.bin/cos hook post-tool-use')).toBe('post-tool-use');
    expect(ourHookName('node dist/cli.js hook session-start')).toBe('session-start');
    expect(ourHookName('echo cos hook stop > /tmp/x')).toBeNull();
    expect(ourHookName('chaos hook stop')).toBeNull();
    expect(ourHookName('cos hook stopper')).toBeNull();
    expect(ourHookName(42)).toBeNull();
  });

  it('remove without ours changes nothing; install covers every event', () => {
    expect(removeHooks(ORIGINAL)).toEqual({ text: ORIGINAL, changed: false });
    const installed = installHooks(ORIGINAL, 'cos').text!;
    for (const hook of COS_HOOKS) expect(commandsOf(JSON.parse(installed), hook.event)).toContain(`cos hook ${hook.name}`);
    expect(removeHooks(installed).text).toBe(ORIGINAL);
  });

  it('keeps a tab-indented, CRLF file in its layout', () => {
    const original = JSON.stringify(EXISTING, null, '\t').replace(/\n/g, '\r\n') + '\r\n';
    const installed = installHooks(original, 'cos').text!;
    expect(installed).toContain('\r\n\t"hooks": {');
    expect(installed.replace(/\r\n/g, '')).not.toContain('\n');
    expect(removeHooks(installed).text).toBe(original);
  });
});
