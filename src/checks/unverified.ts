/**
 * Unverified completion (seed 004: a COMPLETE is a claim until verified): a sprint whose lifecycle
 * state is COMPLETE — nobody holds it and its latest claim has no valid VERIFIED from another agent
 * and no rejection since. While someone holds the sprint (a reviewer at work, or more work) it is
 * not reported; under `verification: optional` a COMPLETE is finished and not reported. The advice
 * dispatches the sprint's reviewer role, which is not a conflict (nobody holds it). Pure.
 */
import { dispatchCommand, reviewRole } from '../state/roles.js';
import { isPresent } from './scope.js';
import type { Finding, Rule } from './types.js';

export const unverifiedRule: Rule = ({ sprints, now, config, roles = [] }) => {
  if (config.verification === 'optional') return [];
  const findings: Finding[] = [];
  for (const sprint of sprints) {
    const claim = sprint.unverified;
    if (!claim || !isPresent(sprint, now, config)) continue;
    const self = sprint.invalidVerifications.some((bad) => bad.entry.verifies === claim.file && bad.entry.agent === claim.agent) ? ' (its own VERIFIED does not count)' : '';
    const role = reviewRole(sprint, roles);
    findings.push({
      kind: 'unverified',
      severity: 'WARN',
      sprint: sprint.sprint,
      files: [claim.path],
      message: `${claim.agent} posted COMPLETE on ${sprint.sprint} in ${claim.file}; no other agent has verified it${self}; the reviewer posts cos post --sprint ${sprint.sprint} --agent ${role} --status VERIFIED --verifies ${claim.file}`,
      action: dispatchCommand(role, sprint.sprint, role === claim.agent ? `${role}-2` : null, false),
    });
  }
  return findings;
};
