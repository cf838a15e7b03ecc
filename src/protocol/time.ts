/** Time helpers. Pure: callers pass `now`. */

/** ISO 8601 UTC without milliseconds, e.g. `2026-01-14T04:30:00Z`. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parsed timestamps by text: sorting a store compares the same few thousand timestamps many
 * times (entries, then sprints by their latest), and a regex plus Date.parse each time showed in
 * the profile of `cos scan` over 10,000 entries. Emptied when it grows past a bound (the watcher
 * runs for days).
 */
const parsed = new Map<string, number>();
const MAX_PARSED = 50_000;

/** Milliseconds since the epoch of an ISO 8601 timestamp with a zone, or NaN. */
export function parseTimestamp(value: string): number {
  const fast = canonicalMs(value);
  if (fast !== undefined) return fast;
  const known = parsed.get(value);
  if (known !== undefined) return known;
  const ms = ISO_UTC.test(value) ? Date.parse(value) : Number.NaN;
  if (parsed.size >= MAX_PARSED) parsed.clear();
  parsed.set(value, ms);
  return ms;
}

/** The number written by the two digits at `i` of `text`, or -1 when either is not a digit. */
function twoDigits(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48;
  const b = text.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The ms of the form cos writes, `YYYY-MM-DDTHH:MM:SSZ`, read without a regex, a Date.parse or
 * the memo (every entry has two): only where the value is beyond doubt (year 1000 on, day 1-28,
 * hour 0-23, minute and second 0-59), so Date.parse could not answer differently; undefined
 * otherwise (test/protocol/timestamp.test.ts holds it to the general rule).
 */
function canonicalMs(value: string): number | undefined {
  if (value.length !== 20 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45 || value.charCodeAt(10) !== 84 || value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58 || value.charCodeAt(19) !== 90) return undefined;
  const century = twoDigits(value, 0);
  const years = twoDigits(value, 2);
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  const hour = twoDigits(value, 11);
  const minute = twoDigits(value, 14);
  const second = twoDigits(value, 17);
  if (century < 10 || years < 0 || month < 1 || month > 12 || day < 1 || day > 28 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  return Date.UTC(century * 100 + years, month - 1, day, hour, minute, second);
}

export function isTimestamp(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(parseTimestamp(value));
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `90m`, `24h`, `7d` → milliseconds, or NaN. */
export function parseDuration(value: string): number {
  const match = DURATION.exec(value.trim());
  if (!match) return Number.NaN;
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

/**
 * A short human age: `45s`, `12m`, `3h`, `2d`; a time still ahead (a clock far in the future, which
 * a repository can commit) reads `in 3d`, never a negative age.
 */
export function formatAge(ms: number): string {
  const abs = Math.abs(ms);
  const span =
    abs < 60_000 ? `${Math.floor(abs / 1000)}s` : abs < 3_600_000 ? `${Math.floor(abs / 60_000)}m` : abs < 172_800_000 ? `${Math.floor(abs / 3_600_000)}h` : `${Math.floor(abs / 86_400_000)}d`;
  return ms < 0 ? `in ${span}` : span;
}
