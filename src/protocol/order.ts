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
