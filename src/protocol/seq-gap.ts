/**
 * cos numbers entries one after another (the next is the highest + 1; a claim lost to a killed
 * writer leaves a gap of one). A file whose number lies far past every lower one did not come
 * from cos: a committed `999999999999-…` would otherwise make every writer number after it and
 * run out of numbers (MAX_SEQ), stopping the whole team from posting, and would stay "the
 * latest" entry of its agent forever. So the writer numbers after the highest number reachable
 * from 0 in steps of at most MAX_SEQ_GAP, and readers report an entry past it as malformed.
 */

/** Far more than cos ever skips (a gap is a claim lost to a killed writer), far less than MAX_SEQ. */
export const MAX_SEQ_GAP = 1_000_000;

/** The highest of `seqs` reachable from 0 in steps of at most MAX_SEQ_GAP (0 when none is). Pure. */
export function reachableMaxSeq(seqs: Iterable<number>): number {
  const sorted = [...new Set(seqs)].filter((seq) => Number.isSafeInteger(seq) && seq > 0).sort((a, b) => a - b);
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
