/** The registry of rules, one per finding kind. Pure. */
import { severityRank } from '../protocol/fields.js';
import { conflictRule } from './conflict.js';
import { malformedRule } from './malformed.js';
import { staleRule } from './stale.js';
import { FINDING_KINDS, type CheckContext, type Finding, type Rule } from './types.js';

export const RULES: readonly Rule[] = [staleRule, conflictRule, malformedRule];

/** Most severe first, then by kind, sprint and first file: a stable order for output and diffs. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind) ||
    (a.sprint ?? '').localeCompare(b.sprint ?? '') ||
    (a.files[0] ?? '').localeCompare(b.files[0] ?? '')
  );
}

export function runChecks(context: CheckContext, rules: readonly Rule[] = RULES): Finding[] {
  return rules.flatMap((rule) => rule(context)).sort(compareFindings);
}

export type { CheckContext, Finding, FindingKind, Rule } from './types.js';
export { FINDING_KINDS } from './types.js';
