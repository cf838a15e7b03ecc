import { formatAge } from '../protocol/time.js';
import { isFromTheFuture } from '../state/lifecycle.js';
import { dispatchCommand, workRole } from '../state/roles.js';
import type { Finding, Rule } from './types.js';

/**
 * A holder (latest entry DISPATCHED, IN_PROGRESS or BLOCKED, not superseded) whose heartbeat +
 * ttl is in the past, or whose heartbeat is past now + ttl (no proof of life). A fresh entry, a heartbeating agent, an agent that posted again since, and
 * an entry superseded by a forced redispatch are never stale. The advice redispatches the same
 * agent in the role it had: the new entry supersedes the silent one.
 */
export const staleRule: Rule = ({ sprints, now, roles = [] }) => {
  const findings: Finding[] = [];
  for (const sprint of sprints) {
    for (const agent of sprint.holders) {
      if (!agent.stale) continue;
      const future = isFromTheFuture(agent.entry, now);
      const overdue = formatAge(now.getTime() - agent.expiresAt);
      findings.push({
        kind: 'stale',
        severity: 'WARN',
        sprint: sprint.sprint,
        files: [agent.entry.path],
        message: future
          ? `${agent.agent} on ${sprint.sprint} is ${agent.status} with a heartbeat in the future (${agent.heartbeat}, past now + its ttl of ${agent.entry.ttl_minutes}m): a wrong clock or a forged entry is no proof of life; check on it, and if it is gone redispatch (the new entry supersedes ${agent.entry.file})`
          : `${agent.agent} on ${sprint.sprint} is ${agent.status} but silent: its heartbeat ${agent.heartbeat} ran out ${overdue} ago (ttl ${agent.entry.ttl_minutes}m); check on it, and if it is gone redispatch (the new entry supersedes ${agent.entry.file})`,
        action: dispatchCommand(workRole(sprint, roles, agent.agent), sprint.sprint, agent.agent, true),
      });
    }
  }
  return findings;
};
