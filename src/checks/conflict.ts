import { isOpen } from '../protocol/fields.js';
import type { AgentState, SprintState } from '../state/sprints.js';
import { handledIn, isHandled, type Handled } from './handled.js';
import type { Finding, Rule } from './types.js';

/** Agents whose latest entry on the sprint is open (DISPATCHED / IN_PROGRESS) and not superseded. */
export function openHolders(sprint: SprintState, handled: Handled): AgentState[] {
  return sprint.agents.filter((agent) => isOpen(agent.status) && !isHandled(agent.entry, handled));
}

/** A sprint with more than one agent holding an open latest entry. */
export const conflictRule: Rule = ({ sprints, entries }) => {
  const handled = handledIn(entries);
  const findings: Finding[] = [];
  for (const sprint of sprints) {
    const open = openHolders(sprint, handled);
    if (open.length < 2) continue;
    findings.push({
      kind: 'conflict',
      severity: 'URGENT',
      sprint: sprint.sprint,
      files: open.map((agent) => agent.entry.path),
      message: `${open.length} agents hold ${sprint.sprint} open at once: ${open.map((a) => `${a.agent} (${a.status})`).join(', ')}`,
      action: `Keep one agent on ${sprint.sprint}: the others post BLOCKED or FAILED, or redispatch one with cos dispatch <role> ${sprint.sprint} --force (it supersedes the rest)`,
    });
  }
  return findings;
};
