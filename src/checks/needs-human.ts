/**
 * Needs a human: an agent waits on a person (Claude Code's permission or idle prompt), recorded by
 * `cos hook notification` as an URGENT NOTE with `needs_human: <notification type>`. Open until
 * the same agent's next entry on the sprint arrives (the hooks post one at its next tool call), or
 * another entry resolves it. Its own kind, not `escalation`: nothing went wrong, someone is needed.
 * Pure.
 */
import { handledIn, isHandled } from './handled.js';
import type { Finding, Rule } from './types.js';

export const needsHumanRule: Rule = ({ sprints, entries }) => {
  const handled = handledIn(entries);
  const findings: Finding[] = [];
  for (const sprint of sprints) {
    const list = sprint.entries;
    for (let i = 0; i < list.length; i++) {
      const entry = list[i]!;
      if (entry.needs_human === undefined || isHandled(entry, handled)) continue;
      if (list.slice(i + 1).some((later) => later.agent === entry.agent)) continue;
      findings.push({
        kind: 'needs-human',
        severity: entry.severity === 'BLOCKER' ? 'BLOCKER' : 'URGENT',
        sprint: sprint.sprint,
        files: [entry.path],
        message: `${entry.agent} is waiting on a person (${entry.needs_human}) on ${sprint.sprint} since ${entry.timestamp}${entry.title ? ` — ${entry.title}` : ''}`,
        action: `Answer the agent in its Claude Code session (${entry.needs_human}); it resolves itself at the agent's next tool call`,
      });
    }
  }
  return findings;
};
