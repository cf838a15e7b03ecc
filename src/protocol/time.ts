/** Time helpers. Pure: callers pass `now`. */

/** ISO 8601 UTC without milliseconds, e.g. `2026-01-14T04:30:00Z`. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch of an ISO 8601 timestamp with a zone, or NaN. */
export function parseTimestamp(value: string): number {
  if (!ISO_UTC.test(value)) return Number.NaN;
  return Date.parse(value);
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

/** A short human age: `45s`, `12m`, `3h`, `2d`. */
export function formatAge(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < 60_000) return `${sign}${Math.floor(abs / 1000)}s`;
  if (abs < 3_600_000) return `${sign}${Math.floor(abs / 60_000)}m`;
  if (abs < 172_800_000) return `${sign}${Math.floor(abs / 3_600_000)}h`;
  return `${sign}${Math.floor(abs / 86_400_000)}d`;
}
