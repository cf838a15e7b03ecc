/** formatAge: the AGE a person reads in status, the brief and stale findings. */
import { describe, expect, it } from 'vitest';
import { formatAge } from '../../src/protocol/time.js';

describe('formatAge', () => {
  it('reads seconds, minutes, hours, then days', () => {
    expect([0, 59_999, 60_000, 3_599_999, 3_600_000, 172_799_999, 172_800_000].map(formatAge)).toEqual(['0s', '59s', '1m', '59m', '1h', '47h', '2d']);
  });

  it('a time ahead of now (a clock far in the future, as a repository may commit) reads "in …", never as a negative age', () => {
    expect(formatAge(-90_000)).toBe('in 1m');
    const year2999 = Date.parse('2026-11-29T00:00:00Z') - Date.parse('2999-01-01T00:00:00Z');
    expect(formatAge(year2999)).toMatch(/^in \d+d$/);
  });
});
