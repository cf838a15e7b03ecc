/** Readers order entries by (seq, timestamp, file name): after a merge two clones may share a seq. */
import type { Entry } from './fields.js';
import { parseTimestamp } from './time.js';

/** Protocol order of two entries: seq, then timestamp, then file name. */
export function compareEntries(a: Entry, b: Entry): number {
  if (a.seq !== b.seq) return a.seq - b.seq;
  const ta = parseTimestamp(a.timestamp);
  const tb = parseTimestamp(b.timestamp);
  if (ta !== tb) return ta - tb;
  return a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
}

/** Entries in protocol order (a new array). */
export function sortEntries(entries: Entry[]): Entry[] {
  return entries.sort(compareEntries);
}

/**
 * Two copies of one entry (same file name: in current/ and archive/ while cos archive moves it,
 * or in two places after a merge): whether `a` is the one that counts rather than `b`. The later
 * heartbeat wins; on a tie the copy in current/.
 */
export function preferCopy(a: Entry, b: Entry): boolean {
  const ha = parseTimestamp(a.heartbeat);
  const hb = parseTimestamp(b.heartbeat);
  if (ha !== hb) return ha > hb;
  return a.location === 'current' && b.location !== 'current';
}
