import { isOpen } from '../protocol/fields.js';
import type { Finding, Rule } from './types.js';

/** A sprint with more than one agent holding an open (DISPATCHED / IN_PROGRESS) latest entry. */
export const conflictRule: Rule = ({ sprints }) => {
  const findings: Finding[] = [];
  for (const sprint of sprints) {
    const open = sprint.agents.filter((agent) => isOpen(agent.status));
    if (open.length < 2) continue;
    findings.push({
      kind: 'conflict',
      severity: 'URGENT',
      sprint: sprint.sprint,
      files: open.map((agent) => agent.entry.path),
      message: `${open.length} agents hold ${sprint.sprint} open at once: ${open.map((a) => `${a.agent} (${a.status})`).join(', ')}`,
      action: `Keep one agent on ${sprint.sprint}; the others post BLOCKED or FAILED with a note (or the winner is redispatched with --force)`,
    });
  }
  return findings;
};
