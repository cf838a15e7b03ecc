import { isFinished } from '../protocol/fields.js';
import { isPresent } from './scope.js';
import type { Finding, Rule } from './types.js';

/**
 * COMPLETE and VERIFIED entries not yet mirrored to Notion; only when sync is configured
 * (`synced` non-null). An entry counts as mirrored when its repository path or its file name
 * (identity, which survives archiving) is in the set. One finding per sprint.
 */
export const unsyncedRule: Rule = ({ sprints, synced, now, config }) => {
  if (synced === null) return [];
  const names = new Set<string>();
  for (const path of synced) names.add(path.slice(path.lastIndexOf('/') + 1));
  const findings: Finding[] = [];
  for (const sprint of sprints) {
    if (!isPresent(sprint, now, config)) continue;
    const missing = sprint.entries.filter((entry) => isFinished(entry.status) && !synced.has(entry.path) && !names.has(entry.file));
    if (missing.length === 0) continue;
    findings.push({
      kind: 'unsynced',
      severity: 'INFO',
      sprint: sprint.sprint,
      files: missing.map((entry) => entry.path),
      message: `${missing.length} ${missing.length === 1 ? 'completion' : 'completions'} of ${sprint.sprint} not yet mirrored to Notion`,
      action: 'cos notion sync',
    });
  }
  return findings;
};
