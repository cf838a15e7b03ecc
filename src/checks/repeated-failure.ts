/**
 * Repeated failure (seed 001): the same `error` signature on two FAILED entries of a sprint, or
 * FAILED attempts reaching `dispatch.attempt_cap`. Escalate; do not dispatch again. Which FAILED
 * entries count as attempts is the lifecycle's answer (`SprintState.failures`: not resolved or
 * superseded, since the last verification, none while the sprint is COMPLETE or VERIFIED; a
 * reviewer's rejection counts). Pure.
 */
import type { Entry } from '../protocol/fields.js';
import type { SprintState } from '../state/lifecycle.js';
import { dispatchCommand, workRole } from '../state/roles.js';
import { isPresent } from './scope.js';
import type { Finding, Rule } from './types.js';

/** A sprint's counting FAILED entries: the repeated signature, and whether the attempt cap is reached. */
export interface FailureState {
  /** FAILED entries still counting as attempts, in order. */
  failures: Entry[];
  /** The first signature seen on two counting failures, with those entries, or null. */
  repeated: { signature: string; entries: Entry[] } | null;
  /** Whether the counting failures reached the cap. */
  capped: boolean;
}

/** Signatures compare with surrounding space trimmed and inner runs of space collapsed. */
export function normalizeSignature(error: string): string {
  return error.trim().replace(/\s+/g, ' ');
}

/** A sprint's failed attempts and whether they repeat a signature or reach the attempt cap. */
export function failureState(sprint: SprintState, attemptCap: number): FailureState {
  const failures = sprint.failures;
  const bySignature = new Map<string, Entry[]>();
  let repeated: FailureState['repeated'] = null;
  for (const entry of failures) {
    if (!entry.error || entry.error.trim() === '') continue;
    const signature = normalizeSignature(entry.error);
    const list = bySignature.get(signature) ?? [];
    list.push(entry);
    bySignature.set(signature, list);
    if (list.length === 2 && !repeated) repeated = { signature, entries: list };
  }
  if (repeated) repeated.entries = bySignature.get(repeated.signature)!;
  return { failures, repeated, capped: failures.length >= attemptCap };
}

export function isRepeatedFailure(state: FailureState): boolean {
  return state.repeated !== null || state.capped;
}

export const repeatedFailureRule: Rule = ({ sprints, now, config, roles = [] }) => {
  const cap = config.dispatch.attempt_cap;
  const findings: Finding[] = [];
  for (const sprint of sprints) {
    if (!isPresent(sprint, now, config)) continue;
    const state = failureState(sprint, cap);
    if (!isRepeatedFailure(state)) continue;
    const attempts = `${state.failures.length} FAILED attempt${state.failures.length === 1 ? '' : 's'} of ${cap}`;
    const what = state.repeated
      ? `${sprint.sprint} failed ${state.repeated.entries.length} times with the same error ${JSON.stringify(state.repeated.signature)} (${attempts})`
      : `${sprint.sprint} reached the attempt cap: ${attempts}`;
    const files = (state.repeated && !state.capped ? state.repeated.entries : state.failures).map((entry) => entry.path);
    findings.push({
      kind: 'repeated-failure',
      severity: 'URGENT',
      sprint: sprint.sprint,
      files,
      message: `${what}; escalate to a human and do not dispatch it again as is; once the cause is dealt with, a forced dispatch supersedes the failures`,
      action: dispatchCommand(workRole(sprint, roles), sprint.sprint, null, true),
    });
  }
  return findings;
};
