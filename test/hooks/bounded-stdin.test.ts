/**
 * A hook's stdin and a piped body are untrusted and bounded (docs/security.md): past 16 MiB cos
 * stops reading. A hook then logs why (naming the bound) and exits 0, deciding nothing; `cos
 * post --body-file -` refuses in one sentence and writes nothing. Real processes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_STDIN_BYTES } from '../../src/commands/context.js';
import { runCli, type CliResult } from '../helpers/cli.js';
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

  it('cos post --body-file - with 20 MiB: one sentence, exit 1, nothing written', { timeout: 120_000 }, async () => {
    const root = testdir();
    expect((await runCli(['init', '--dir', root])).code).toBe(0);
    const result = await feed(['post', '--dir', root, '--sprint', 's', '--agent', 'a', '--status', 'IN_PROGRESS', '--body-file', '-'], 'y'.repeat(20 * 1024 * 1024), root);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`cos post: Stdin is longer than ${MAX_STDIN_BYTES} bytes; cos reads at most that much.\n`);
    expect(entries(root)).toEqual([]);
  });
});
