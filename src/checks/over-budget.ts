/**
 * Over budget (only when `budget_usd_per_sprint` is configured): the `cost_usd` of a sprint's
 * entries (current and archive) adds up past the budget. A human approves the spend so far in the
 * protocol by posting an entry that `resolves` the latest costed entry; spending then counts again
 * from the entry after it. Pure.
 */
import { handledIn, isHandled } from './handled.js';
import { isPresent } from './scope.js';
import type { Finding, Rule } from './types.js';

export const overBudgetRule: Rule = ({ sprints, entries, config, now }) => {
  const budget = config.budget_usd_per_sprint;
  if (budget === undefined) return [];
  const handled = handledIn(entries);
  const findings: Finding[] = [];
  for (const sprint of sprints) {
    if (!isPresent(sprint, now, config)) continue;
    let costed = sprint.entries.filter((entry) => entry.cost_usd !== undefined);
    let approved = -1;
    costed.forEach((entry, i) => {
      if (isHandled(entry, handled)) approved = i;
    });
    costed = costed.slice(approved + 1);
    const total = costed.reduce((sum, entry) => sum + entry.cost_usd!, 0);
    if (total <= budget) continue;
    const last = costed[costed.length - 1]!;
    findings.push({
      kind: 'over-budget',
      severity: 'URGENT',
      sprint: sprint.sprint,
      files: costed.map((entry) => entry.path),
      message: `${sprint.sprint} has spent $${total.toFixed(2)}${approved >= 0 ? ' since the last approval' : ''}, past its budget of $${budget.toFixed(2)} (budget_usd_per_sprint); stop spending and ask a human, who approves the spend so far by resolving the latest costed entry`,
      action: `cos resolve ${last.file} --message "budget approved"`,
    });
  }
  return findings;
};
