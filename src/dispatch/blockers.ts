/**
 * Why a sprint may not be dispatched now (PRODUCT.md, `cos dispatch`): it is held (the lifecycle's
 * holders: latest entry DISPATCHED, IN_PROGRESS or BLOCKED, not superseded), it has an open
 * escalation, or it hit a repeated failure or the attempt cap. A COMPLETE sprint is not held:
 * dispatching a reviewer onto it is not a conflict. Pure; the claim re-evaluates it under the
 * sprint's lock.
 */
import type { CoordinationConfig } from '../config/schema.js';
import { openEscalations } from '../checks/escalation.js';
import type { Handled } from '../checks/handled.js';
import { failureState } from '../checks/repeated-failure.js';
import type { Entry } from '../protocol/fields.js';
import type { SprintState } from '../state/lifecycle.js';

/** Why a sprint cannot be dispatched now: another holder, an open escalation, or a repeated failure. */
export interface Blocker {
  kind: 'occupied' | 'escalation' | 'repeated-failure';
  /** The entries in the way (a forced dispatch records their file names in `supersedes`). */
  entries: Entry[];
  /** One clause naming the blocking entry files. */
  message: string;
}

/** Where an entry is, for a message: its path, and its worktree when the repository has several. */
function where(entry: Entry): string {
  return entry.worktree !== undefined ? `worktree ${entry.worktree} (${entry.path})` : entry.path;
}

/** Why a sprint may not be dispatched now: occupied, an open escalation, a repeated failure. Pure. */
export function dispatchBlockers(sprint: SprintState | null, handled: Handled, config: CoordinationConfig): Blocker[] {
  if (!sprint) return [];
  const blockers: Blocker[] = [];
  const holders = sprint.holders;
  if (holders.length > 0) {
    blockers.push({
      kind: 'occupied',
      entries: holders.map((agent) => agent.entry),
      message: `${sprint.sprint} is occupied: ${holders.map((agent) => `${agent.agent} is ${agent.status}${agent.stale ? ' (stale)' : ''} in ${where(agent.entry)}`).join(', ')}`,
    });
  }
  const escalations = openEscalations(sprint.entries, handled);
  if (escalations.length > 0) {
    blockers.push({
      kind: 'escalation',
      entries: escalations,
      message: `${sprint.sprint} has an open escalation: ${escalations.map((entry) => `${entry.severity} from ${entry.agent} in ${where(entry)}`).join(', ')}`,
    });
  }
  const failures = failureState(sprint, config.dispatch.attempt_cap);
  if (failures.repeated || failures.capped) {
    const entries = failures.capped ? failures.failures : failures.repeated!.entries;
    const why = failures.repeated
      ? `the same error ${JSON.stringify(failures.repeated.signature)} failed ${failures.repeated.entries.length} times`
      : `${failures.failures.length} FAILED attempts reached the attempt cap of ${config.dispatch.attempt_cap}`;
    blockers.push({
      kind: 'repeated-failure',
      entries,
      message: `${sprint.sprint} hit a repeated failure: ${why} (${entries.map((entry) => entry.path).join(', ')})`,
    });
  }
  return blockers;
}

/** The file names a forced dispatch supersedes, in order, without repeats. */
export function supersededNames(blockers: readonly Blocker[]): string[] {
  const names: string[] = [];
  for (const blocker of blockers) for (const entry of blocker.entries) if (!names.includes(entry.file)) names.push(entry.file);
  return names;
}
