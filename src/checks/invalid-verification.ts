/**
 * A VERIFIED that breaks the verification rules (another sprint's entry, the agent's own claim, no
 * COMPLETE before it, a file that is not a COMPLETE) and arrived some other way than `cos post` —
 * by hand, by a merge. It counts for nothing in the lifecycle; this finding says so until someone
 * resolves it (`cos resolve FILE`). WARN; only for a present sprint. Pure.
 */
import { handledIn, isHandled } from './handled.js';
import { isPresent } from './scope.js';
import type { Finding, Rule } from './types.js';

export const invalidVerificationRule: Rule = ({ sprints, entries, now, config }) => {
  const handled = handledIn(entries);
  const findings: Finding[] = [];
  for (const sprint of sprints) {
    if (sprint.invalidVerifications.length === 0 || !isPresent(sprint, now, config)) continue;
    for (const { entry, reason } of sprint.invalidVerifications) {
      if (isHandled(entry, handled)) continue;
      findings.push({
        kind: 'invalid-verification',
        severity: 'WARN',
        sprint: sprint.sprint,
        files: [entry.path],
        message: `${entry.agent}'s VERIFIED on ${sprint.sprint} in ${entry.file} counts for nothing: ${reason}`,
        action: `cos resolve ${entry.file}`,
      });
    }
  }
  return findings;
};
