/**
 * A hook's stdin and a piped body are untrusted and bounded (docs/security.md): past 16 MiB cos
 * stops reading, and a hook stops waiting for stdin that has not ended after 10 s. A hook then logs
 * why (naming the bound) and exits 0, deciding nothing; `cos
 * post --body-file -` refuses in one sentence and writes nothing. Real processes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_STDIN_BYTES } from '../../src/commands/context.js';
import { spawn } from 'node:child_process';
import { CLI, runCli, type CliResult } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';

/** The built CLI fed `input` on stdin; it may stop reading early (runCli ignores the EPIPE). */
const feed = (args: string[], input: string, cwd: string): Promise<CliResult> => runCli(args, { cwd, input });

const entries = (root: string) => readdirSync(join(root, '.agent/status/current')).filter((name) => name.endsWith('.md'));

describe('stdin past its bound', () => {
  it('a hook gets 20 MiB of JSON: exit 0, no decision, one line in hooks.log', { timeout: 120_000 }, async () => {
    const root = testdir();
    expect((await runCli(['init', '--dir', root])).code).toBe(0);
    const input = JSON.stringify({ session_id: 'abc', cwd: root, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'rm -rf ~', description: 'x'.repeat(20 * 1024 * 1024) } });
    expect(input.length).toBeGreaterThan(MAX_STDIN_BYTES);
    const result = await feed(['hook', 'pre-tool-use'], input, root);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    // It says why, naming the bound (it used to log "no hook JSON on stdin").
    expect(readFileSync(join(root, '.agent/state/hooks.log'), 'utf8')).toMatch(new RegExp(`^\\S+ pre-tool-use hook input on stdin was not read: Stdin is longer than ${MAX_STDIN_BYTES} bytes; cos reads at most that much\\.\\n$`));
    expect(entries(root)).toEqual([]);
  });

  it('a hook whose stdin never ends: it stops waiting after 10 s, logs so, exits 0, decides nothing', { timeout: 120_000 }, async () => {
    const root = testdir();
    expect((await runCli(['init', '--dir', root])).code).toBe(0);
    const child = spawn(process.execPath, [CLI, 'hook', 'pre-tool-use'], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    // The start of a JSON object, and then nothing: the pipe stays open.
    child.stdin.write('{"session_id": "abc", "tool_name": "Bash", ');
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.destroy();
    expect(code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(9_000);
    expect(stdout).toBe('');
    expect(readFileSync(join(root, '.agent/state/hooks.log'), 'utf8')).toMatch(/^\S+ pre-tool-use hook input on stdin was not read: Stdin did not end within 10 s; cos stopped waiting for it\.\n$/);
    expect(entries(root)).toEqual([]);
  });

  it('cos post --body-file - with 20 MiB: one sentence, exit 1, nothing written', { timeout: 120_000 }, async () => {
    const root = testdir();
    expect((await runCli(['init', '--dir', root])).code).toBe(0);
    const result = await feed(['post', '--dir', root, '--sprint', 's', '--agent', 'a', '--status', 'IN_PROGRESS', '--body-file', '-'], 'y'.repeat(20 * 1024 * 1024), root);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`cos post: Stdin is longer than ${MAX_STDIN_BYTES} bytes; cos reads at most that much.\n`);
    expect(entries(root)).toEqual([]);
  });
});
