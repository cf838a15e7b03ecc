/** The fast path's cwd test (guard/prefilter.ts cwdInAgent): `.agent/` and below, nothing else. */
import { describe, expect, it } from 'vitest';
import { cwdInAgent } from '../../src/guard/prefilter.js';

describe('cwdInAgent', () => {
  it('is true for .agent/ and any folder inside it, false elsewhere (a look-alike name included)', () => {
    const rows: Array<[cwd: string, want: boolean]> = [
      ['/repo/.agent', true],
      ['/repo/.agent/config', true],
      ['/repo/.agent/status/current', true],
      ['/repo/.agent/state/x', true],
      ['/repo', false],
      ['/repo/src', false],
      ['/repo/.agents', false],
      ['/repo/.agent-old/config', false],
      ['/other/.agent/config', false],
      ['/repo/sub/.agent/config', false],
    ];
    expect(rows.map(([cwd]) => `${cwd} ${cwdInAgent('/repo', cwd)}`)).toEqual(rows.map(([cwd, want]) => `${cwd} ${want}`));
    expect(cwdInAgent('/repo/', '/repo/.agent/config')).toBe(true);
  });
});
