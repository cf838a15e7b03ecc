/**
 * parseTimestamp reads the form cos writes (`YYYY-MM-DDTHH:MM:SSZ`) without a regex or Date.parse
 * (every entry has two timestamps): it must answer exactly what the general rule answers, for
 * every text of that shape, valid or not.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTimestamp, parseTimestamp } from '../../src/protocol/time.js';

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
/** The general rule, as it was before the fast path. */
const general = (value: string) => (ISO_UTC.test(value) ? Date.parse(value) : Number.NaN);

const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((d) => d.join(''));
/** Texts of the canonical shape with any digits (months 00-99, days 00-99, years 0000-9999), and some near misses. */
const shaped = fc
  .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), fc.constantFrom('Z', 'Z', 'Z', 'z', '+00:00', '.5Z'), fc.constantFrom('-', '-', '-', '/'))
  .map(([y, mo, d, h, mi, s, zone, dash]) => `${y}${dash}${mo}-${d}T${h}:${mi}:${s}${zone}`);

describe('parseTimestamp', () => {
  it('gives what the general rule gives, for any text of the shape cos writes and near misses', () => {
    fc.assert(
      fc.property(shaped, (value) => {
        expect(Object.is(parseTimestamp(value), general(value))).toBe(true);
        expect(isTimestamp(value)).toBe(!Number.isNaN(general(value)));
      }),
      { numRuns: 5000 },
    );
  });

  it('edge dates: month ends, leap days, the year 0000-0999, hour 24, second 60', () => {
    for (const value of [
      '2026-01-31T00:00:00Z', '2026-02-28T23:59:59Z', '2026-02-29T00:00:00Z', '2024-02-29T12:00:00Z', '2026-02-30T00:00:00Z',
      '2026-04-31T00:00:00Z', '0050-01-01T00:00:00Z', '0999-12-31T23:59:59Z', '1000-01-01T00:00:00Z', '2026-01-01T24:00:00Z',
      '2026-01-01T23:59:60Z', '2026-13-01T00:00:00Z', '2026-00-10T00:00:00Z', '2026-01-00T00:00:00Z', '9999-12-28T23:59:59Z',
    ]) {
      expect([value, parseTimestamp(value)]).toEqual([value, general(value)]);
    }
  });
});
