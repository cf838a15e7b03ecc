/**
 * What to dispatch next (the briefing's last section): for every present sprint, the one step
 * that moves it on, as an exact `cos dispatch` command where a dispatch is the step. Pure.
 * - an open escalation or a repeated failure: hold — it needs a human, no command;
 * - a stale agent holding the sprint: redispatch with --force (it supersedes the silent entry);
 * - a live agent holding it: nothing (it is in progress);
 * - a COMPLETE nobody else verified: a qa-reviewer;
 * - a FAILED latest entry under the attempt cap: a retry by the role that failed (a developer
 *   when the failure was a QA reviewer's);
 * - a BLOCKED latest entry: unblock — someone answers it first, no command.
 */
import type { CoordinationConfig } from '../config/schema.js';
import { isHandled, type Handled } from '../checks/handled.js';
import { failureState } from '../checks/repeated-failure.js';
import { unverifiedClaims, type Verifiers } from '../checks/unverified.js';
import type { Entry } from '../protocol/fields.js';
import type { SprintState } from '../state/sprints.js';
import { dispatchBlockers } from './blockers.js';
import { summaryLine } from './history.js';

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

/** The role to dispatch for work that `entry` was doing. */
export function roleFor(entry: Entry, roles: readonly string[]): string {
  const fallback = roles.includes('developer') || roles.length === 0 ? 'developer' : roles[0]!;
  if (entry.role && roles.includes(entry.role)) return entry.role;
  if (roles.includes(entry.agent)) return entry.agent;
  return fallback;
}

function dispatchCommand(role: string, sprint: string, agent: string | null, force: boolean): string {
  return `cos dispatch ${role} ${sprint}${agent && agent !== role ? ` --agent ${agent}` : ''}${force ? ' --force' : ''}`;
}

/** What to dispatch next, as exact `cos dispatch` commands. */
export function nextSteps(
  sprints: readonly SprintState[],
  context: { handled: Handled; verifiers: Verifiers; config: CoordinationConfig; roles: readonly string[] },
): NextStep[] {
  const { handled, verifiers, config, roles } = context;
  const steps: NextStep[] = [];
  for (const sprint of sprints) {
    const blockers = dispatchBlockers(sprint, handled, config);
    const hard = blockers.filter((blocker) => blocker.kind !== 'occupied');
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
    const occupied = blockers.find((blocker) => blocker.kind === 'occupied');
    if (occupied) {
      const stale = sprint.agents.filter((agent) => agent.stale && !isHandled(agent.entry, handled));
      if (stale.length > 0 && stale.length === occupied.entries.length) {
        const silent = stale[0]!;
        const role = roleFor(silent.entry, roles);
        steps.push({
          action: 'redispatch',
          sprint: sprint.sprint,
          role,
          command: dispatchCommand(role, sprint.sprint, silent.agent, true),
          reason: `${stale.map((agent) => agent.agent).join(', ')} went silent (${silent.status} since ${silent.heartbeat}); --force supersedes ${stale.map((agent) => agent.entry.file).join(', ')}`,
          files: stale.map((agent) => agent.entry.path),
        });
      }
      continue;
    }
    const claims = unverifiedClaims(sprint, verifiers);
    if (claims.length > 0) {
      const role = roles.includes('qa-reviewer') || roles.length === 0 ? 'qa-reviewer' : roleFor(claims[0]!, roles);
      steps.push({
        action: 'verify',
        sprint: sprint.sprint,
        role,
        command: dispatchCommand(role, sprint.sprint, null, false),
        reason: `verify ${claims.map((claim) => `${claim.agent}'s COMPLETE (${claim.file})`).join(', ')}`,
        files: claims.map((claim) => claim.path),
      });
      continue;
    }
    const failed = sprint.agents.filter((agent) => agent.status === 'FAILED');
    if (failed.length > 0) {
      const last = failed[failed.length - 1]!.entry;
      let role = roleFor(last, roles);
      if (role === 'qa-reviewer' && roles.includes('developer')) role = 'developer';
      const state = failureState(sprint, handled, config.dispatch.attempt_cap);
      const error = last.error ? `, error ${JSON.stringify(last.error)}` : '';
      steps.push({
        action: 'retry',
        sprint: sprint.sprint,
        role,
        command: dispatchCommand(role, sprint.sprint, null, false),
        reason: `retry: ${last.agent} FAILED (attempt ${state.failures.length} of ${config.dispatch.attempt_cap}${error})`,
        files: [last.path],
      });
      continue;
    }
    const blocked = sprint.agents.filter((agent) => agent.status === 'BLOCKED');
    if (blocked.length > 0) {
      const entry = blocked[blocked.length - 1]!.entry;
      const summary = summaryLine(entry, 80);
      steps.push({
        action: 'unblock',
        sprint: sprint.sprint,
        role: null,
        command: null,
        reason: `${entry.agent} is BLOCKED${summary ? ` (${summary})` : ''}: answer it, then redispatch`,
        files: [entry.path],
      });
    }
  }
  return steps;
}
