import { describe, expect, it } from 'vitest';
import { cos } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';

describe('smoke', () => {
  it('init, post, status through main()', async () => {
    const dir = testdir();
    expect((await cos(['init', '--dir', dir])).code).toBe(0);
    const posted = await cos(['post', '--dir', dir, '--sprint', 's1', '--agent', 'dev', '--status', 'IN_PROGRESS', '--json']);
    expect(posted.code).toBe(0);
    expect(JSON.parse(posted.stdout).entry.seq).toBe(1);
    const status = JSON.parse((await cos(['status', '--dir', dir, '--json'])).stdout);
    expect(status.sprints[0].sprint).toBe('s1');
  });
});
