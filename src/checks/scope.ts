/**
 * Which sprints findings may nag about. Archived entries always count as evidence (a VERIFIED in
 * the archive verifies, an archived FAILED counts as an attempt, an archived `resolves` resolves).
 * Follow-up findings (unverified, invalid verification, unsynced, repeated failure, over budget,
 * duplicate seq) are raised only for a *present* sprint: one with an entry still in `current/`,
 * or whose latest entry is younger than `archive.max_age_days`. Escalations, stale agents and
 * conflicts are raised wherever their entries live. Pure.
 */
import type { CoordinationConfig } from '../config/schema.js';
import { parseTimestamp } from '../protocol/time.js';
import type { SprintState } from '../state/lifecycle.js';

export function isPresent(sprint: SprintState, now: Date, config: CoordinationConfig): boolean {
  if (sprint.active) return true;
  if (sprint.entries.length === 0) return false;
  return now.getTime() - parseTimestamp(sprint.updated) <= config.archive.max_age_days * 86_400_000;
}
