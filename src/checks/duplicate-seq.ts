import type { Entry } from '../protocol/fields.js';
import { isPresent } from './scope.js';
import type { Finding, Rule } from './types.js';

/**
 * Two entries sharing a sequence number: it arrives through git merges of two clones and is
 * harmless (readers order by seq, timestamp, file name). INFO; only while one of them is on a
 * present sprint.
 */
export const duplicateSeqRule: Rule = ({ entries, sprints, now, config }) => {
  const present = new Set(sprints.filter((sprint) => isPresent(sprint, now, config)).map((sprint) => sprint.sprint));
  const findings: Finding[] = [];
  let group: Entry[] = [];
  const flush = () => {
    if (group.length > 1 && group.some((entry) => present.has(entry.sprint))) {
      const sprintNames = [...new Set(group.map((entry) => entry.sprint))];
      findings.push({
        kind: 'duplicate-seq',
        severity: 'INFO',
        sprint: sprintNames.length === 1 ? sprintNames[0]! : null,
        files: group.map((entry) => entry.path),
        message: `${group.length} entries share sequence number ${group[0]!.seq} (from a git merge): ${group.map((entry) => entry.file).join(', ')}`,
        action: 'Nothing to do: readers order them by timestamp and file name, and new entries take the next number above the highest',
      });
    }
  };
  // Entries arrive sorted by seq: equal numbers are adjacent.
  for (const entry of entries) {
    if (group.length > 0 && group[0]!.seq !== entry.seq) {
      flush();
      group = [];
    }
    group.push(entry);
  }
  flush();
  return findings;
};
