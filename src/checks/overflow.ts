import type { Rule } from './types.js';

/**
 * More entry files in `current/` than `archive.max_current`. Archiving never moves an open
 * entry, so when the agents' open latest entries alone exceed the bound it says so.
 */
export const overflowRule: Rule = ({ currentCount, config, sprints }) => {
  const bound = config.archive.max_current;
  if (currentCount <= bound) return [];
  let open = 0;
  for (const sprint of sprints) for (const agent of sprint.holders) if (agent.entry.location === 'current') open++;
  const stuck = open > bound;
  return [
    {
      kind: 'overflow',
      severity: 'WARN',
      sprint: null,
      files: ['.agent/status/current'],
      message: stuck
        ? `${currentCount} entries in current/, over the bound of ${bound}, and the ${open} entries of holders alone exceed it: archiving cannot bring it down; close finished work (COMPLETE, FAILED) or raise archive.max_current in .agent/config/coordination.yaml`
        : `${currentCount} entries in current/, over the bound of ${bound} (archive.max_current)`,
      action: stuck
        ? 'cos status'
        : 'cos archive',
    },
  ];
};
