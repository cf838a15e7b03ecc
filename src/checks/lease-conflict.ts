/**
 * Lease conflict: two live path leases of different agents whose globs can match one path
 * (leases/leases.ts). `cos lease` refuses to create one; it arises when leases are taken in two
 * clones and merged, or written by hand. Pure.
 */
import { leaseConflicts, liveLeases } from '../leases/leases.js';
import type { Finding, Rule } from './types.js';

export const leaseConflictRule: Rule = ({ entries, now }) => {
  if (!entries.some((entry) => entry.lease !== undefined)) return [];
  const findings: Finding[] = [];
  for (const [a, b] of leaseConflicts(liveLeases(entries, now))) {
    findings.push({
      kind: 'lease-conflict',
      severity: 'URGENT',
      sprint: b.sprint,
      files: [a.path, b.path],
      message: `${a.agent} (${a.sprint}) leases ${a.pattern} and ${b.agent} (${b.sprint}) leases ${b.pattern}: both can match the same files`,
      action: `One of them gives it back: cos release --sprint ${b.sprint} --agent ${b.agent} ${b.pattern}`,
    });
  }
  return findings;
};
