/**
 * Escalations. An URGENT or BLOCKER entry — a NOTE too — stays open until it is resolved:
 * - any other entry names its file in `resolves` (`cos resolve FILE`, or `cos post --resolves
 *   FILE` on any status) or, for an entry that is not a NOTE, in `supersedes` (a forced dispatch
 *   over it), or
 * - a later entry on the same sprint by the same agent says it is back to normal: severity INFO
 *   or WARN and status IN_PROGRESS, COMPLETE or VERIFIED (not BLOCKED or FAILED, not DISPATCHED,
 *   which the dispatcher writes, and not a NOTE, which changes nothing).
 * `acknowledges` (`cos ack FILE`) does not resolve: it only stops re-escalation.
 * Archiving does not resolve anything: an escalation is reported wherever its file lives. Pure.
 */
import { severityRank, type Entry } from '../protocol/fields.js';
import { handledIn, isHandled, type Handled } from './handled.js';
import { summaryLine } from './summary.js';
import type { Finding, Rule } from './types.js';

/** URGENT or BLOCKER; a needs-human NOTE is its own kind of finding (needs-human.ts). */
export function isEscalation(entry: Entry): boolean {
  return (entry.severity === 'URGENT' || entry.severity === 'BLOCKER') && entry.needs_human === undefined;
}

function backToNormal(entry: Entry): boolean {
  return (entry.severity === 'INFO' || entry.severity === 'WARN') && (entry.status === 'IN_PROGRESS' || entry.status === 'COMPLETE' || entry.status === 'VERIFIED');
}

/** The open escalations among one sprint's entries (in protocol order). */
export function openEscalations(sprintEntries: readonly Entry[], handled: Handled): Entry[] {
  const openByAgent = new Map<string, Entry[]>();
  for (const entry of sprintEntries) {
    if (isEscalation(entry)) {
      const list = openByAgent.get(entry.agent) ?? [];
      list.push(entry);
      openByAgent.set(entry.agent, list);
    } else if (backToNormal(entry)) {
      openByAgent.delete(entry.agent);
    }
  }
  const open: Entry[] = [];
  for (const list of openByAgent.values()) for (const entry of list) if (!isHandled(entry, handled)) open.push(entry);
  return open.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || (a.seq - b.seq));
}

export const escalationRule: Rule = ({ sprints, entries }) => {
  const handled = handledIn(entries);
  const findings: Finding[] = [];
  for (const sprint of sprints) {
    for (const entry of openEscalations(sprint.entries, handled)) {
      const where = entry.location === 'archive' ? ' (archived)' : '';
      const said = summaryLine(entry, 80);
      const detail = `${entry.error ? ` — error ${JSON.stringify(entry.error)}` : ''}${said ? ` — "${said}"` : ''}`;
      const acked = sprint.acknowledged.has(entry.file) ? ' (acknowledged)' : '';
      findings.push({
        kind: 'escalation',
        severity: entry.severity,
        sprint: sprint.sprint,
        files: [entry.path],
        message: `${entry.agent} escalated ${sprint.sprint} (${entry.status}, ${entry.severity}) in ${entry.file}${where}${acked}${detail}; deal with it, then resolve it`,
        action: entry.denied !== undefined ? `cos approve ${entry.file}` : `cos resolve ${entry.file}`,
      });
    }
  }
  return findings;
};
