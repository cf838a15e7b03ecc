/**
 * `cos hook <event>` takes its own start-up path (src/hooks/binary.ts, dist/hook.js): the lines it
 * takes, and that every other `cos hook` line still gets the general CLI's answer. Built CLI.
 */
import { spawnSync } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fastHookArgs } from '../../src/hooks/binary.js';
import { CLI, runCli } from '../helpers/cli.js';
import { entryFiles, project } from './run-hook.js';

describe('the hook start-up path', () => {
  it('takes exactly `hook <event> [--dir D]`; anything else goes to the general CLI', () => {
    expect(fastHookArgs(['hook', 'pre-tool-use'])).toEqual({ event: 'pre-tool-use' });
    expect(fastHookArgs(['hook', 'stop', '--dir', 'x'])).toEqual({ event: 'stop', dir: 'x' });
    expect(fastHookArgs(['hook', 'notification', '--dir=a b'])).toEqual({ event: 'notification', dir: 'a b' });
    for (const argv of [['hook'], ['hook', '--help'], ['hook', 'pre-tool-use', '--help'], ['hook', 'bogus'], ['hook', 'stop', '--dir'], ['hook', 'stop', '--dir='], ['hook', 'stop', '--json'], ['post', 'pre-tool-use']]) {
      expect({ argv, args: fastHookArgs(argv) }).toEqual({ argv, args: null });
    }
  });

  it('the built CLI: --help and bad lines answered as before; --dir and a denial work; stdin from /dev/null is no JSON', { timeout: 60_000 }, async () => {
    expect((await runCli(['hook', '--help'])).stdout).toMatch(/^Usage: cos hook </);
    expect(await runCli(['hook', 'bogus'])).toMatchObject({ code: 1, stderr: expect.stringContaining('Unknown hook "bogus"') });
    expect(await runCli(['hook', 'stop', '--bogus'])).toMatchObject({ code: 1, stderr: expect.stringContaining("Unknown option '--bogus'") });
    const root = await project();
    const input = JSON.stringify({ session_id: 'bin-1', transcript_path: '/tmp/t.jsonl', cwd: '/', permission_mode: 'default', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'rm -rf ~' }, tool_use_id: 't1' });
    const denied = await runCli(['hook', 'pre-tool-use', '--dir', root], { cwd: '/', input, env: { COS_SPRINT: 's', COS_AGENT: 'a' } });
    expect(denied.code).toBe(0);
    expect(JSON.parse(denied.stdout).hookSpecificOutput.permissionDecision).toBe('deny');
    expect(entryFiles(root)).toHaveLength(1);
    const devNull = openSync('/dev/null', 'r');
    try {
      const quiet = spawnSync(process.execPath, [CLI, 'hook', 'pre-tool-use', '--dir', root], { stdio: [devNull, 'pipe', 'pipe'], encoding: 'utf8' });
      expect({ code: quiet.status, stdout: quiet.stdout, stderr: quiet.stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
    } finally {
      closeSync(devNull);
    }
  });
});
