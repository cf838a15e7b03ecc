/**
 * The verification rules (PRODUCT.md version 2, "Verification is checked when it is written"),
 * stated once: a review — a VERIFIED, or a reviewer's FAILED --verifies — names a COMPLETE entry
 * of the same sprint written by a different agent, before it. The lifecycle uses `checkReview` to
 * discount rule-breaking VERIFIED entries that arrive by hand or by merge; the writer uses
 * `pickReviewTarget` to refuse them before anything is written (CLI, MCP and library alike). Pure.
 */
import { InputError } from '../errors.js';
import { baseName } from '../protocol/kinds.js';
import { compareEntries } from '../protocol/order.js';
import type { Entry } from '../protocol/fields.js';
import { showValue } from '../protocol/slug.js';

/** Why a review counts for nothing, as a clause ("it verifies its own COMPLETE"). */
export type ReviewProblem = string;

/** A VERIFIED or reviewer FAILED as the review checks read it: sprint, agent and the entry it verifies. */
export interface Review {
  sprint: string;
  agent: string;
  verifies?: string;
}

/**
 * Why `review` may not review `target` (the COMPLETE it names, or for a v1 VERIFIED without
 * `verifies` the sprint's latest claim before it), or null when it is a valid review.
 */
export function checkReview(review: Review, target: Entry | null, sprint: string): ReviewProblem | null {
  if (!target) {
    return review.verifies !== undefined
      ? `it names ${review.verifies}, which is not a COMPLETE of ${sprint} written before it`
      : `${sprint} had no COMPLETE before it to verify`;
  }
  if (target.sprint !== sprint) return `it names ${target.file}, an entry of sprint ${target.sprint}, not ${sprint}`;
  if (target.status !== 'COMPLETE') return `it names ${target.file}, which is ${target.status}, not COMPLETE`;
  if (target.agent === review.agent) return `it verifies ${review.agent}'s own COMPLETE ${target.file}`;
  return null;
}

/** FILE arguments accept a file name or a path; entries store the bare file name. */
export const bareName = baseName;

/**
 * The COMPLETE a review about to be written checks, or an InputError (one sentence, nothing
 * written). With `verifies` it must name a COMPLETE of the same sprint by another agent; without
 * it, the sprint's latest COMPLETE by another agent that no other agent has verified is picked.
 * `entries` is every valid entry (current and archive); `status` is VERIFIED or FAILED.
 */
export function pickReviewTarget(entries: readonly Entry[], review: Review & { status: 'VERIFIED' | 'FAILED' }): Entry {
  const { sprint, agent } = review;
  if (review.verifies !== undefined) {
    const name = bareName(review.verifies);
    const target = entries.find((entry) => entry.file === name);
    const given = showValue(review.verifies);
    if (!target) {
      throw new InputError(`Invalid verifies ${given}: no entry of that name in .agent/status/current or .agent/status/archive; give the file name of the COMPLETE entry you checked.`, { code: 'not-found' });
    }
    if (target.sprint !== sprint) throw new InputError(`Invalid verifies ${given}: it is an entry of sprint ${target.sprint}, not ${sprint}; a review checks a COMPLETE of its own sprint.`);
    if (target.status !== 'COMPLETE') throw new InputError(`Invalid verifies ${given}: ${target.path} is ${target.status}, not COMPLETE; a review checks a COMPLETE entry.`);
    if (target.agent === agent) throw new InputError(`Invalid verifies ${given}: it is ${agent}'s own COMPLETE; a different agent reviews a claim.`);
    return target;
  }
  const ordered = entries.filter((entry) => entry.sprint === sprint).sort(compareEntries);
  const verified = new Set<string>();
  for (const entry of ordered) if (entry.status === 'VERIFIED' && entry.verifies !== undefined) verified.add(entry.verifies);
  for (let i = ordered.length - 1; i >= 0; i--) {
    const entry = ordered[i]!;
    if (entry.status === 'COMPLETE' && entry.agent !== agent && !verified.has(entry.file)) return entry;
  }
  const own = ordered.some((entry) => entry.status === 'COMPLETE' && entry.agent === agent);
  throw new InputError(
    `Nothing to verify on sprint ${sprint}: it has no unverified COMPLETE by another agent${own ? ` (an agent never verifies its own claim)` : ''}; name one with --verifies FILE.`,
  );
}
