/**
 * Sprint state, derived from entries: the latest entry of each agent on each sprint, ordered by
 * (seq, timestamp, file). Pure: `now` is an argument.
 */
import { isOpen, severityRank, type Entry, type Severity, type Status } from '../protocol/fields.js';
import { parseTimestamp } from '../protocol/time.js';

export interface AgentState {
  agent: string;
  status: Status;
  heartbeat: string;
  /** When the heartbeat runs out (ms since epoch). */
  expiresAt: number;
  stale: boolean;
  /** The agent's latest entry on the sprint. */
  entry: Entry;
}

export interface SprintState {
  sprint: string;
  /** The status of the sprint's latest entry. */
  state: Status;
  agents: AgentState[];
  /** The highest severity among the agents' latest entries. */
  severity: Severity;
  /** Timestamp of the latest entry. */
  updated: string;
  latest: Entry;
  /** Every entry of the sprint, in order. */
  entries: Entry[];
  /** Whether any of the sprint's entries is still in `current/`. */
  active: boolean;
}

export function expiresAt(entry: Entry): number {
  return parseTimestamp(entry.heartbeat) + entry.ttl_minutes * 60_000;
}

/** Open (DISPATCHED / IN_PROGRESS) and its heartbeat plus ttl is in the past. */
export function isStale(entry: Entry, now: Date): boolean {
  return isOpen(entry.status) && expiresAt(entry) < now.getTime();
}

/** Group entries (already in protocol order) by sprint. */
export function groupBySprint(entries: readonly Entry[]): Map<string, Entry[]> {
  const groups = new Map<string, Entry[]>();
  for (const entry of entries) {
    let list = groups.get(entry.sprint);
    if (!list) groups.set(entry.sprint, (list = []));
    list.push(entry);
  }
  return groups;
}

export function deriveSprint(sprint: string, entries: Entry[], now: Date): SprintState {
  const latestByAgent = new Map<string, Entry>();
  for (const entry of entries) latestByAgent.set(entry.agent, entry);
  const agents: AgentState[] = [...latestByAgent.values()].map((entry) => ({
    agent: entry.agent,
    status: entry.status,
    heartbeat: entry.heartbeat,
    expiresAt: expiresAt(entry),
    stale: isStale(entry, now),
    entry,
  }));
  const latest = entries[entries.length - 1]!;
  let severity: Severity = 'INFO';
  for (const agent of agents) if (severityRank(agent.entry.severity) > severityRank(severity)) severity = agent.entry.severity;
  return {
    sprint,
    state: latest.status,
    agents,
    severity,
    updated: latest.timestamp,
    latest,
    entries,
    active: entries.some((entry) => entry.location === 'current'),
  };
}

/** Every sprint, most recently updated first. Entries must be in protocol order. */
export function deriveSprints(entries: readonly Entry[], now: Date): SprintState[] {
  const sprints: SprintState[] = [];
  for (const [sprint, list] of groupBySprint(entries)) sprints.push(deriveSprint(sprint, list, now));
  return sprints.sort((a, b) => parseTimestamp(b.updated) - parseTimestamp(a.updated) || (a.sprint < b.sprint ? -1 : 1));
}
