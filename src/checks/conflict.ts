import { dispatchCommand, workRole } from '../state/roles.js';
import type { Finding, Rule } from './types.js';

/**
 * A sprint held by more than one agent (the lifecycle's holders: latest entry DISPATCHED,
 * IN_PROGRESS or BLOCKED, not superseded). The advice keeps the latest holder: a forced dispatch
 * of it supersedes every other holder's entry.
 */
export const conflictRule: Rule = ({ sprints, roles = [] }) => {
  const findings: Finding[] = [];
  for (const sprint of sprints) {
    const holders = sprint.holders;
    if (holders.length < 2) continue;
    const keep = [...holders].sort((a, b) => (a.entry.seq - b.entry.seq) || (a.entry.file < b.entry.file ? -1 : 1)).pop()!;
    findings.push({
      kind: 'conflict',
      severity: 'URGENT',
      sprint: sprint.sprint,
      files: holders.map((agent) => agent.entry.path),
      message: `${holders.length} agents hold ${sprint.sprint} at once: ${holders.map((a) => `${a.agent} (${a.status}${a.stale ? ', stale' : ''})`).join(', ')}; keep one (the others post COMPLETE, FAILED or stop), or redispatch ${keep.agent} over the rest`,
      action: dispatchCommand(workRole(sprint, roles, keep.agent), sprint.sprint, keep.agent, true),
    });
  }
  return findings;
};
