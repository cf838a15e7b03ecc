/**
 * Which role a piece of advice names (PRODUCT.md version 2, "Advice is runnable"): the role comes
 * from the sprint's history, so the printed `cos dispatch ROLE ...` works as printed. `roles` is
 * the list of roles that exist (.agent/roles/); an empty list means "unknown", and then the
 * history alone decides. Pure.
 */
import type { Entry } from '../protocol/fields.js';
import type { SprintState } from './lifecycle.js';

const usable = (role: string | undefined, roles: readonly string[]): role is string => role !== undefined && (roles.length === 0 || roles.includes(role));

function fallback(roles: readonly string[], preferred: string): string {
  return roles.length === 0 || roles.includes(preferred) ? preferred : roles[0]!;
}

/** The role `agent` worked in on the sprint: its latest entry naming a role, else its name when that is a role. */
export function roleOfAgent(sprint: SprintState, agent: string, roles: readonly string[]): string | null {
  for (let i = sprint.entries.length - 1; i >= 0; i--) {
    const entry = sprint.entries[i]!;
    if (entry.agent === agent && usable(entry.role, roles)) return entry.role;
  }
  return roles.includes(agent) ? agent : null;
}

/** Whether an entry is a review (VERIFIED, or a FAILED naming the claim it rejects). */
function isReview(entry: Entry): boolean {
  return entry.status === 'VERIFIED' || (entry.status === 'FAILED' && entry.verifies !== undefined);
}

/** The role that does the work of the sprint: the claim's or latest worker's role, else `developer`. */
export function workRole(sprint: SprintState, roles: readonly string[], agent?: string): string {
  if (agent !== undefined) {
    const own = roleOfAgent(sprint, agent, roles);
    if (own && !reviewers(sprint).has(agent)) return own;
  }
  const reviewing = reviewers(sprint);
  for (let i = sprint.entries.length - 1; i >= 0; i--) {
    const entry = sprint.entries[i]!;
    if (entry.status === 'NOTE' || reviewing.has(entry.agent)) continue;
    const role = roleOfAgent(sprint, entry.agent, roles);
    if (role) return role;
  }
  return fallback(roles, 'developer');
}

/** The role that reviews claims on the sprint: a past reviewer's role, else `qa-reviewer`. */
export function reviewRole(sprint: SprintState, roles: readonly string[]): string {
  for (let i = sprint.entries.length - 1; i >= 0; i--) {
    const entry = sprint.entries[i]!;
    if (!isReview(entry)) continue;
    const role = roleOfAgent(sprint, entry.agent, roles);
    if (role) return role;
  }
  return fallback(roles, 'qa-reviewer');
}

function reviewers(sprint: SprintState): Set<string> {
  const out = new Set<string>();
  for (const entry of sprint.entries) if (isReview(entry)) out.add(entry.agent);
  return out;
}

/** `cos dispatch ROLE SPRINT [--agent A] [--force]`, the agent named only when it differs from the role. */
export function dispatchCommand(role: string, sprint: string, agent: string | null, force: boolean): string {
  return `cos dispatch ${role} ${sprint}${agent && agent !== role ? ` --agent ${agent}` : ''}${force ? ' --force' : ''}`;
}
