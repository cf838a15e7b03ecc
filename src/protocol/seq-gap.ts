/**
 * cos numbers entries one after another (the next is the highest + 1; a claim lost to a killed
 * writer leaves a gap of one). A file whose number lies far past every lower one did not come
 * from cos: a committed `999999999999-…` would otherwise make every writer number after it and
 * run out of numbers (MAX_SEQ), stopping the whole team from posting, and would stay "the
 * latest" entry of its agent forever. So the writer numbers after the highest number reachable
 * from 0 in steps of at most MAX_SEQ_GAP, and readers report an entry past it as malformed.
 *
 * Writer and readers decide reachability over the same numbers: those of every file whose name
 * carries one (store/read.ts scanSeqs), valid entries and malformed files alike. Were the readers
 * to count valid entries only, committed junk at 1000000 and 2000000 would make the writer number
 * after 2000000 and the readers drop what it wrote (a BLOCKER would vanish).
 */

/** Far more than cos ever skips (a gap is a claim lost to a killed writer), far less than MAX_SEQ. */
export const MAX_SEQ_GAP = 1_000_000;

/** The highest of `seqs` reachable from 0 in steps of at most MAX_SEQ_GAP (0 when none is). Pure. */
export function reachableMaxSeq(seqs: Iterable<number>): number {
  // A typed array sorts numbers without a comparison callback (10,000 names on a large store).
  const all = Array.isArray(seqs) ? (seqs as readonly number[]) : [...seqs];
  const valid = new Float64Array(all.length);
  let count = 0;
  for (const seq of all) if (Number.isSafeInteger(seq) && seq > 0) valid[count++] = seq;
  const sorted = valid.subarray(0, count).sort();
  let max = 0;
  for (const seq of sorted) {
    if (seq - max > MAX_SEQ_GAP) break;
    max = seq;
  }
  return max;
}

/** Why an entry numbered `seq` is past the reachable `max`, in one clause. Pure. */
export function seqGapReason(seq: number, max: number): string {
  return `its sequence number ${seq} lies more than ${String(MAX_SEQ_GAP).replace(/\B(?=(\d{3})+$)/g, ',')} past every lower one (the highest before it is ${max}); cos numbers entries one after another, so it did not come from cos and is not counted — rename it with the next free number or remove it`;
}

/**
 * `entries` split at the highest number reachable over `named` (the numbers of every entry-named
 * file read, valid or malformed; the entries' own numbers count too): those past it become
 * problems. The one rule of the store reader (store/read.ts) and the watch engine. Pure.
 */
export function splitSeqOutliers<E extends { seq: number; path: string }>(
  entries: E[],
  named: Iterable<number>,
  /** reachableMaxSeq(named) when the caller has it and every entry's number is in `named` (the store reader). */
  reachable?: number,
): { kept: E[]; outliers: { file: string; reason: string }[] } {
  let max = reachable;
  if (max === undefined) {
    const seqs = [...named];
    for (const entry of entries) seqs.push(entry.seq);
    max = reachableMaxSeq(seqs);
  }
  if (!entries.some((entry) => entry.seq > max)) return { kept: entries, outliers: [] };
  return {
    kept: entries.filter((entry) => entry.seq <= max),
    outliers: entries.filter((entry) => entry.seq > max).map((entry) => ({ file: entry.path, reason: seqGapReason(entry.seq, max) })),
  };
}
