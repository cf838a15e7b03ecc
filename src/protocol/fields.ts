/** The entry protocol, version 1 (PRODUCT.md, "The entry protocol"). */
export const PROTOCOL_VERSION = 1;

export const STATUSES = ['DISPATCHED', 'IN_PROGRESS', 'BLOCKED', 'FAILED', 'COMPLETE', 'VERIFIED'] as const;
export type Status = (typeof STATUSES)[number];

export const SEVERITIES = ['INFO', 'WARN', 'URGENT', 'BLOCKER'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Open statuses: the agent is (supposed to be) working and must heartbeat. */
export const OPEN_STATUSES: readonly Status[] = ['DISPATCHED', 'IN_PROGRESS'];
export const FINISHED_STATUSES: readonly Status[] = ['COMPLETE', 'VERIFIED'];

export function isOpen(status: Status): boolean {
  return status === 'DISPATCHED' || status === 'IN_PROGRESS';
}

export function isFinished(status: Status): boolean {
  return status === 'COMPLETE' || status === 'VERIFIED';
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export const REQUIRED_FIELDS = [
  'timestamp',
  'sprint',
  'agent',
  'status',
  'severity',
  'heartbeat',
  'ttl_minutes',
] as const;

export const OPTIONAL_FIELDS = [
  'phase',
  'title',
  'role',
  'error',
  'verifies',
  'supersedes',
  'resolves',
  'cost_usd',
] as const;

/** The order keys are written in; unknown keys follow in the order they were read. */
export const KEY_ORDER: readonly string[] = [...REQUIRED_FIELDS, ...OPTIONAL_FIELDS];

/** The frontmatter of a valid entry. Unknown fields are kept in `extra`, never dropped. */
export interface EntryFields {
  timestamp: string;
  sprint: string;
  agent: string;
  status: Status;
  severity: Severity;
  heartbeat: string;
  ttl_minutes: number;
  phase?: string;
  title?: string;
  role?: string;
  /** A failure signature, on FAILED. */
  error?: string;
  /** The file name of the COMPLETE entry that a VERIFIED entry checked. */
  verifies?: string;
  /** The file name(s) of entries replaced by a forced dispatch. */
  supersedes?: string | string[];
  /** The file name(s) of URGENT/BLOCKER entries this entry resolves. */
  resolves?: string | string[];
  cost_usd?: number;
  /** Fields this version of the protocol does not know, in the order they were read. */
  extra: Record<string, unknown>;
}

/** An entry as read from (or written to) disk: identity is the file name. */
export interface Entry extends EntryFields {
  /** File name, e.g. `001-2026-01-14T03-45-00Z-sprintmaster.md`. */
  file: string;
  /** Path relative to the repository root, with `/` separators. */
  path: string;
  seq: number;
  /** Where it lives: `current` or `archive`. */
  location: 'current' | 'archive';
  body: string;
}
