/**
 * Unverified completion (seed 004: a COMPLETE is a claim until verified). A COMPLETE that is still
 * its agent's latest entry on the sprint is verified by a VERIFIED entry from a *different* agent
 * that either names it (`verifies: <file>`, on any sprint) or names nothing and comes later on the
 * same sprint (a VERIFIED without `verifies` verifies every earlier COMPLETE of its sprint by other
 * agents). A VERIFIED by the claim's own agent never counts. An agent's claim is its last COMPLETE
 * on the sprint; a later entry of that agent other than VERIFIED (IN_PROGRESS, BLOCKED, FAILED,
 * DISPATCHED) withdraws it: the agent reopened the work. A later FAILED on the sprint from another
 * agent refutes it: it is then a failure (an attempt), not an unverified claim. Pure.
 */
import type { Entry } from '../protocol/fields.js';
import type { SprintState } from '../state/sprints.js';
import { isPresent } from './scope.js';
import type { Finding, Rule } from './types.js';

/** COMPLETE file name → agents of VERIFIED entries naming it. */
export type Verifiers = ReadonlyMap<string, ReadonlySet<string>>;

const cache = new WeakMap<readonly Entry[], Map<string, Set<string>>>();

export function verifiersOf(entries: readonly Entry[]): Verifiers {
  let map = cache.get(entries);
  if (map) return map;
  map = new Map();
  for (const entry of entries) {
    if (entry.status !== 'VERIFIED' || !entry.verifies) continue;
    const set = map.get(entry.verifies) ?? new Set<string>();
    set.add(entry.agent);
    map.set(entry.verifies, set);
  }
  cache.set(entries, map);
  return map;
}

function namedByOther(claim: Entry, verifiers: Verifiers): boolean {
  const agents = verifiers.get(claim.file);
  if (!agents) return false;
  for (const agent of agents) if (agent !== claim.agent) return true;
  return false;
}

/** The sprint's COMPLETE claims that no other agent has verified. */
export function unverifiedClaims(sprint: SprintState, verifiers: Verifiers): Entry[] {
  // An agent's claim is its last COMPLETE, unless it posted anything but VERIFIED after it.
  const lastClaim = new Map<string, Entry | null>();
  for (const entry of sprint.entries) {
    if (entry.status === 'COMPLETE') lastClaim.set(entry.agent, entry);
    else if (entry.status !== 'VERIFIED') lastClaim.set(entry.agent, null);
  }
  const claims = new Set<Entry>();
  for (const claim of lastClaim.values()) if (claim) claims.add(claim);
  if (claims.size === 0) return [];
  const out: Entry[] = [];
  // Walk backwards, remembering the agents of later VERIFIED entries that name nothing and of
  // later FAILED entries (a reviewer's FAILED refutes the claim: it is a failure now, not a claim).
  const blanket = new Set<string>();
  const failed = new Set<string>();
  const byOther = (agents: Set<string>, agent: string) => agents.size > 1 || (agents.size === 1 && !agents.has(agent));
  for (let i = sprint.entries.length - 1; i >= 0; i--) {
    const entry = sprint.entries[i]!;
    if (entry.status === 'VERIFIED' && !entry.verifies) blanket.add(entry.agent);
    if (entry.status === 'FAILED') failed.add(entry.agent);
    if (!claims.has(entry)) continue;
    if (!byOther(blanket, entry.agent) && !byOther(failed, entry.agent) && !namedByOther(entry, verifiers)) out.push(entry);
  }
  return out.reverse();
}

export const unverifiedRule: Rule = ({ sprints, entries, now, config }) => {
  const verifiers = verifiersOf(entries);
  const findings: Finding[] = [];
  for (const sprint of sprints) {
    if (!isPresent(sprint, now, config)) continue;
    for (const claim of unverifiedClaims(sprint, verifiers)) {
      const self = verifiers.get(claim.file)?.has(claim.agent) ? ' (its own VERIFIED does not count)' : '';
      findings.push({
        kind: 'unverified',
        severity: 'WARN',
        sprint: sprint.sprint,
        files: [claim.path],
        message: `${claim.agent} posted COMPLETE on ${sprint.sprint} in ${claim.file}; no other agent has verified it${self}`,
        action: `cos dispatch qa-reviewer ${sprint.sprint}; it posts cos post --sprint ${sprint.sprint} --agent qa-reviewer --status VERIFIED --verifies ${claim.file}`,
      });
    }
  }
  return findings;
};
