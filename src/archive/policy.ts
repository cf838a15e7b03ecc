/**
 * The rotation policy (PRODUCT.md `cos archive`, seed 003 §2C). Pure: entries + bounds + now →
 * the list of moves. The I/O lives in move.ts.
 *
 * Rules, in order:
 * 1. finished sprint — the lifecycle says it is finished (VERIFIED, or COMPLETE under
 *    `verification: optional`; state/lifecycle.ts), over current and archive together: all its
 *    entries in `current/` move. An unverified COMPLETE is not finished and stays.
 * 2. age — an entry whose `timestamp` is more than `max_age_days` old moves, unless it is the
 *    latest entry of its agent on a sprint that is not finished (that entry is the sprint's live
 *    state: held, BLOCKED, FAILED or an unverified claim). Older entries of such a sprint are
 *    history and do move; every check reads the archive too, so no finding changes because of it.
 * 3. bound — while `current/` holds more than `max_current` entry files (malformed ones count
 *    and never move), the oldest remaining candidates move: first finished entries (COMPLETE,
 *    VERIFIED), then other superseded history, then the latest FAILED entries and unverified
 *    claims of unfinished sprints. A holder's entry (DISPATCHED, IN_PROGRESS, BLOCKED, not
 *    superseded) never moves; if those alone exceed the bound the plan says so (`overflow`)
 *    instead of hiding them.
 */
import { isFinished, type Entry } from '../protocol/fields.js';
import { parseTimestamp } from '../protocol/time.js';
import { deriveSprints } from '../state/lifecycle.js';

/** Why an entry is archived: its sprint is finished, it is older than max_age_days, or current/ is over max_current. */
export type MoveReason = 'finished-sprint' | 'age' | 'bound';

/** One entry the archive policy moves: from current/ to archive/<sprint>/, and why. */
export interface ArchiveMove {
  entry: Entry;
  /** Repository-relative path now (`.agent/status/current/<file>`). */
  from: string;
  /** Repository-relative path after the move (`.agent/status/archive/<sprint>/<file>`). */
  to: string;
  reason: MoveReason;
}

/** The limits an archive keeps current/ within: `max_current` entry files and `max_age_days`. */
export interface ArchiveBounds {
  max_current: number;
  max_age_days: number;
}

/** What `planArchive` decides from: the entries, the sprint states, the bounds and the clock. */
export interface ArchivePolicyInput {
  /** Valid entries, current and archive, in protocol order. */
  entries: readonly Entry[];
  /** Entry files in `current/`, valid or not (the size that the bound limits). */
  currentCount: number;
  bounds: ArchiveBounds;
  now: Date;
  /** `coordination.yaml` `verification` (default required). */
  verification?: 'required' | 'optional';
}

/** What the archive policy selects: the moves, what stays, and the overflow over the bound. */
export interface ArchivePlan {
  moves: ArchiveMove[];
  /** Entry files left in `current/` after the moves. */
  remaining: number;
  /** Entries of holders: never moved. */
  open: number;
  /** Set when `current/` still exceeds `max_current` after every allowed move. */
  overflow: { remaining: number; max_current: number; open: number; malformed: number } | null;
}

const DAY_MS = 86_400_000;

/** Where an entry goes: `.agent/status/archive/<sprint>/<file>`. */
export function archivePath(entry: Entry): string {
  return `.agent/status/archive/${entry.sprint}/${entry.file}`;
}

/** Which entries the archive moves and why (finished sprints, age, the size bound). Pure. */
export function planArchive(input: ArchivePolicyInput): ArchivePlan {
  const { entries, bounds, now } = input;
  // The lifecycle over current and archive: finished sprints move whole; in the others, each
  // agent's latest entry is live state, and a holder's entry never moves.
  const finishedSprints = new Set<string>();
  const live = new Set<Entry>();
  const held = new Set<Entry>();
  for (const sprint of deriveSprints(entries, now, { verification: input.verification ?? 'required' })) {
    if (sprint.finished) {
      finishedSprints.add(sprint.sprint);
      continue;
    }
    for (const agent of sprint.agents) live.add(agent.entry);
    for (const agent of sprint.holders) held.add(agent.entry);
  }

  const current = entries.filter((entry) => entry.location === 'current');
  const moves: ArchiveMove[] = [];
  const moved = new Set<Entry>();
  const move = (entry: Entry, reason: MoveReason) => {
    moved.add(entry);
    moves.push({ entry, from: entry.path, to: archivePath(entry), reason });
  };

  const cutoff = now.getTime() - bounds.max_age_days * DAY_MS;
  for (const entry of current) {
    if (finishedSprints.has(entry.sprint)) move(entry, 'finished-sprint');
    else if (!live.has(entry) && parseTimestamp(entry.timestamp) < cutoff) move(entry, 'age');
  }

  let remaining = input.currentCount - moves.length;
  if (remaining > bounds.max_current) {
    const tiers: Entry[][] = [[], [], []];
    for (const entry of current) {
      if (moved.has(entry)) continue;
      if (!live.has(entry)) tiers[isFinished(entry.status) ? 0 : 1]!.push(entry);
      else if (!held.has(entry)) tiers[2]!.push(entry);
    }
    for (const entry of tiers.flat()) {
      if (remaining <= bounds.max_current) break;
      move(entry, 'bound');
      remaining--;
    }
  }

  const open = current.filter((entry) => held.has(entry)).length;
  const malformed = Math.max(0, input.currentCount - current.length);
  return {
    moves,
    remaining,
    open,
    overflow: remaining > bounds.max_current ? { remaining, max_current: bounds.max_current, open, malformed } : null,
  };
}
