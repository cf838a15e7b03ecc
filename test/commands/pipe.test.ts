import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';

describe('output to a reader that goes away', () => {
  it('cos init | (closed at once) exits 0 without an EPIPE stack trace', async () => {
    const dir = testdir();
    const child = spawn(process.execPath, [CLI, 'init', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Close our end before the child (still starting Node) writes anything.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });
});
