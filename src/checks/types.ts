/** Findings: what the chief of staff derives from entries. Rules are pure functions of a context. */
import type { CoordinationConfig } from '../config/schema.js';
import type { Entry, Severity } from '../protocol/fields.js';
import type { SprintState } from '../state/lifecycle.js';
import type { Problem } from '../store/read.js';

/** Every kind of finding `cos scan` reports, in the order of the scan table. */
export const FINDING_KINDS = [
  'stale',
  'conflict',
  'escalation',
  'needs-human',
  'lease-conflict',
  'repeated-failure',
  'unverified',
  'unsynced',
  'overflow',
  'malformed',
  'duplicate-seq',
  'over-budget',
  'invalid-verification',
] as const;
/** The kinds of finding (FINDING_KINDS). */
export type FindingKind = (typeof FINDING_KINDS)[number];

/** A finding of `cos scan`: its kind, severity, sprint, agent, files, message and action. */
export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** The sprint it concerns, or null for repository-wide findings (overflow, malformed). */
  sprint: string | null;
  /** Repository-relative paths of the entries (or files) involved. */
  files: string[];
  /** One line, for people. */
  message: string;
  /** What resolves it, as a command or an instruction. */
  action: string;
}

/** What every check rule reads: the entries, problems, sprint states, clock and config. */
export interface CheckContext {
  entries: readonly Entry[];
  problems: readonly Problem[];
  sprints: readonly SprintState[];
  now: Date;
  config: CoordinationConfig;
  /** Entry files in `current/`, valid or not (for the overflow bound). */
  currentCount: number;
  /**
   * Repository-relative paths of entries already mirrored to Notion, or null when Notion sync is
   * not configured (then nothing is "unsynced").
   */
  synced: ReadonlySet<string> | null;
  /** The roles that exist (.agent/roles/), for runnable advice; empty when unknown. */
  roles?: readonly string[];
}

/** A check rule: the findings of one kind in a check context. */
export type Rule = (context: CheckContext) => Finding[];
