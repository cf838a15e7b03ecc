/** The registry of rules, one per finding kind. Pure. */
import { severityRank } from '../protocol/fields.js';
import { conflictRule } from './conflict.js';
import { duplicateSeqRule } from './duplicate-seq.js';
import { escalationRule } from './escalation.js';
import { invalidVerificationRule } from './invalid-verification.js';
import { leaseConflictRule } from './lease-conflict.js';
import { malformedRule } from './malformed.js';
import { needsHumanRule } from './needs-human.js';
import { overBudgetRule } from './over-budget.js';
import { overflowRule } from './overflow.js';
import { repeatedFailureRule } from './repeated-failure.js';
import { staleRule } from './stale.js';
import { unsyncedRule } from './unsynced.js';
import { unverifiedRule } from './unverified.js';
import { FINDING_KINDS, type CheckContext, type Finding, type Rule } from './types.js';

/** Every check, one rule per finding kind; `runChecks` runs them all. */
export const RULES: readonly Rule[] = [
  staleRule,
  conflictRule,
  escalationRule,
  needsHumanRule,
  leaseConflictRule,
  repeatedFailureRule,
  unverifiedRule,
  unsyncedRule,
  overflowRule,
  malformedRule,
  duplicateSeqRule,
  overBudgetRule,
  invalidVerificationRule,
];

/** Plain code-point order: stable across locales, and free (the first localeCompare costs ~5 ms). */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Most severe first, then by kind, sprint and first file: a stable order for output and diffs. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind) ||
    byCodePoint(a.sprint ?? '', b.sprint ?? '') ||
    byCodePoint(a.files[0] ?? '', b.files[0] ?? '')
  );
}

/** Run every rule and return the findings, most severe first. Pure. */
export function runChecks(context: CheckContext, rules: readonly Rule[] = RULES): Finding[] {
  return rules.flatMap((rule) => rule(context)).sort(compareFindings);
}

/** Whether a finding is at or above a fail threshold (`never` fails nothing). */
export function failsAt(finding: Finding, threshold: Finding['severity'] | 'never'): boolean {
  return threshold !== 'never' && severityRank(finding.severity) >= severityRank(threshold);
}

export { openEscalations, isEscalation } from './escalation.js';
export { failureState, isRepeatedFailure, normalizeSignature, type FailureState } from './repeated-failure.js';
export { handledFiles, handledIn, isHandled } from './handled.js';
export { isPresent } from './scope.js';
export type { CheckContext, Finding, FindingKind, Rule } from './types.js';
export { FINDING_KINDS } from './types.js';
