import { formatAge } from '../protocol/time.js';
import { handledIn, isHandled } from './handled.js';
import type { Finding, Rule } from './types.js';

/**
 * An agent whose latest entry on a sprint is open and whose heartbeat + ttl is in the past.
 * A fresh DISPATCHED, a heartbeating agent, an agent that posted again since, and an entry
 * superseded by a forced redispatch are never stale.
 */
export const staleRule: Rule = ({ sprints, entries, now }) => {
  const handled = handledIn(entries);
  const findings: Finding[] = [];
  for (const sprint of sprints) {
    for (const agent of sprint.agents) {
      if (!agent.stale || isHandled(agent.entry, handled)) continue;
      const overdue = formatAge(now.getTime() - agent.expiresAt);
      const role = agent.entry.role ?? '<role>';
      const as = agent.agent !== role ? ` --agent ${agent.agent}` : '';
      findings.push({
        kind: 'stale',
        severity: 'WARN',
        sprint: sprint.sprint,
        files: [agent.entry.path],
        message: `${agent.agent} on ${sprint.sprint} is ${agent.status} but silent: its heartbeat ${agent.heartbeat} ran out ${overdue} ago (ttl ${agent.entry.ttl_minutes}m)`,
        action: `Check on ${agent.agent}; if it is gone, redispatch with cos dispatch ${role} ${sprint.sprint}${as} --force (it supersedes ${agent.entry.file})`,
      });
    }
  }
  return findings;
};
