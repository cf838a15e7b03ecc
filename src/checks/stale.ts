import { formatAge } from '../protocol/time.js';
import type { Finding, Rule } from './types.js';

/** An agent whose latest entry on a sprint is open and whose heartbeat + ttl is in the past. */
export const staleRule: Rule = ({ sprints, now }) => {
  const findings: Finding[] = [];
  for (const sprint of sprints) {
    for (const agent of sprint.agents) {
      if (!agent.stale) continue;
      const overdue = formatAge(now.getTime() - agent.expiresAt);
      findings.push({
        kind: 'stale',
        severity: 'WARN',
        sprint: sprint.sprint,
        files: [agent.entry.path],
        message: `${agent.agent} on ${sprint.sprint} is ${agent.status} but silent: heartbeat ${agent.heartbeat} ran out ${overdue} ago (ttl ${agent.entry.ttl_minutes}m)`,
        action: `Check on ${agent.agent}; if it crashed, post FAILED or BLOCKED for it, or redispatch with cos dispatch <role> ${sprint.sprint} --force`,
      });
    }
  }
  return findings;
};
