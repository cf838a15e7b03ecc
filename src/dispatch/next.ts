/**
 * What to dispatch next (the briefing's last section): for every present sprint, the one step
 * that moves it on, read off its lifecycle state. Every line names the sprint first; where a
 * dispatch is the step, the exact `cos dispatch` command (role from the sprint's history). Pure.
 * - an open escalation or a repeated failure: hold — it needs a human, no command;
 * - STALE (every holder silent): redispatch with --force (it supersedes the silent entries);
 * - held by a live agent (DISPATCHED, IN_PROGRESS): nothing (it is in progress);
 * - BLOCKED: unblock — someone answers it first, no command;
 * - COMPLETE (a claim awaiting review): the sprint's reviewer role;
 * - FAILED under the attempt cap: a retry by the role that does the work.
 */
import type { CoordinationConfig } from '../config/schema.js';
import type { Handled } from '../checks/handled.js';
import { failureState } from '../checks/repeated-failure.js';
import type { SprintState } from '../state/lifecycle.js';
import { dispatchCommand, reviewRole, workRole } from '../state/roles.js';
import { dispatchBlockers } from './blockers.js';
import { summaryLine } from './history.js';

/** A next step `cos next` proposes: dispatch, redispatch, verify, retry, unblock or hold a sprint. */
export interface NextStep {
  /** `dispatch`: a READY plan step (see plans/ready.ts); the others move a present sprint on. */
  action: 'dispatch' | 'redispatch' | 'verify' | 'retry' | 'unblock' | 'hold';
  sprint: string;
  /** The role to dispatch, or null when the step is not a dispatch. */
  role: string | null;
  /** The exact command, or null when a human must act first. */
  command: string | null;
  reason: string;
  files: string[];
}

export { dispatchCommand } from '../state/roles.js';

/** What to dispatch next, as exact `cos dispatch` commands. */
export function nextSteps(
  sprints: readonly SprintState[],
  context: { handled: Handled; config: CoordinationConfig; roles: readonly string[] },
): NextStep[] {
  const { handled, config, roles } = context;
  const steps: NextStep[] = [];
  for (const sprint of sprints) {
    const hard = dispatchBlockers(sprint, handled, config).filter((blocker) => blocker.kind !== 'occupied');
    if (hard.length > 0) {
      steps.push({
        action: 'hold',
        sprint: sprint.sprint,
        role: null,
        command: null,
        reason: `do not dispatch: needs a human — ${hard.map((blocker) => blocker.message).join('; ')}`,
        files: hard.flatMap((blocker) => blocker.entries.map((entry) => entry.path)),
      });
      continue;
    }
    switch (sprint.state) {
      case 'STALE': {
        const silent = sprint.holders[sprint.holders.length - 1]!;
        const role = workRole(sprint, roles, silent.agent);
        steps.push({
          action: 'redispatch',
          sprint: sprint.sprint,
          role,
          command: dispatchCommand(role, sprint.sprint, silent.agent, true),
          reason: `${sprint.holders.map((agent) => agent.agent).join(', ')} went silent (${silent.status} since ${silent.heartbeat}); --force supersedes ${sprint.holders.map((agent) => agent.entry.file).join(', ')}`,
          files: sprint.holders.map((agent) => agent.entry.path),
        });
        break;
      }
      case 'BLOCKED': {
        const entry = sprint.holders.filter((agent) => agent.status === 'BLOCKED').pop()!.entry;
        const summary = summaryLine(entry, 80);
        steps.push({
          action: 'unblock',
          sprint: sprint.sprint,
          role: null,
          command: null,
          reason: `${entry.agent} is BLOCKED${summary ? ` (${summary})` : ''}: answer it, then it carries on`,
          files: [entry.path],
        });
        break;
      }
      case 'COMPLETE': {
        if (config.verification === 'optional') break;
        const claim = sprint.unverified!;
        const role = reviewRole(sprint, roles);
        steps.push({
          action: 'verify',
          sprint: sprint.sprint,
          role,
          command: dispatchCommand(role, sprint.sprint, role === claim.agent ? `${role}-2` : null, false),
          reason: `verify ${claim.agent}'s COMPLETE (${claim.file})`,
          files: [claim.path],
        });
        break;
      }
      case 'FAILED': {
        const last = sprint.entries.filter((entry) => entry.status === 'FAILED').pop()!;
        const role = workRole(sprint, roles);
        const state = failureState(sprint, config.dispatch.attempt_cap);
        const error = last.error ? `, error ${JSON.stringify(last.error)}` : '';
        steps.push({
          action: 'retry',
          sprint: sprint.sprint,
          role,
          command: dispatchCommand(role, sprint.sprint, null, false),
          reason: `retry: ${last.agent} ${sprint.rejection ? 'rejected the claim' : 'FAILED'} (attempt ${state.failures.length} of ${config.dispatch.attempt_cap}${error})`,
          files: [last.path],
        });
        break;
      }
      default:
        break;
    }
  }
  return steps;
}
