import { describe, expect, it } from 'vitest';
import { runCliIntoClosedPipe } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';

describe('output to a reader that goes away', () => {
  it('cos init | (closed at once) exits 0 without an EPIPE stack trace', async () => {
    const dir = testdir();
    const { code, stderr } = await runCliIntoClosedPipe(['init', '--dir', dir]);
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });
});
