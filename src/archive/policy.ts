/**
 * The rotation policy (PRODUCT.md `cos archive`, seed 003 §2C). Pure: entries + bounds + now →
 * the list of moves. The I/O lives in move.ts.
 *
 * Rules, in order:
 * 1. finished sprint — no agent's latest entry on the sprint (current and archive together) is
 *    open, and the sprint's latest entry is COMPLETE or VERIFIED (so every agent's latest is
 *    COMPLETE/VERIFIED, or a FAILED/BLOCKED attempt was followed by a completion): all its
 *    entries in `current/` move.
 * 2. age — an entry whose `timestamp` is more than `max_age_days` old moves, unless it is the
 *    latest entry of its agent on a sprint that is not finished (that entry is the sprint's live
 *    state: open, BLOCKED or FAILED). Older entries of such a sprint are history and do move;
 *    every check reads the archive too, so no finding changes because of it.
 * 3. bound — while `current/` holds more than `max_current` entry files (malformed ones count
 *    and never move), the oldest remaining candidates move: first finished entries (COMPLETE,
 *    VERIFIED), then other superseded history, then the latest BLOCKED/FAILED entries of
 *    unfinished sprints. An agent's latest open (DISPATCHED, IN_PROGRESS) entry never moves; if
 *    those alone exceed the bound the plan says so (`overflow`) instead of hiding them.
 */
import { isFinished, isOpen, type Entry } from '../protocol/fields.js';
import { parseTimestamp } from '../protocol/time.js';

export type MoveReason = 'finished-sprint' | 'age' | 'bound';

export interface ArchiveMove {
  entry: Entry;
  /** Repository-relative path now (`.agent/status/current/<file>`). */
  from: string;
  /** Repository-relative path after the move (`.agent/status/archive/<sprint>/<file>`). */
  to: string;
  reason: MoveReason;
}

export interface ArchiveBounds {
  max_current: number;
  max_age_days: number;
}

export interface ArchivePolicyInput {
  /** Valid entries, current and archive, in protocol order. */
  entries: readonly Entry[];
  /** Entry files in `current/`, valid or not (the size that the bound limits). */
  currentCount: number;
  bounds: ArchiveBounds;
  now: Date;
}

export interface ArchivePlan {
  moves: ArchiveMove[];
  /** Entry files left in `current/` after the moves. */
  remaining: number;
  /** Latest open entries of agents: never moved. */
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
  // Latest entry of each agent on each sprint, over current and archive (protocol order).
  const latest = new Map<string, Map<string, Entry>>();
  const last = new Map<string, Entry>();
  for (const entry of entries) {
    let agents = latest.get(entry.sprint);
    if (!agents) latest.set(entry.sprint, (agents = new Map()));
    agents.set(entry.agent, entry);
    last.set(entry.sprint, entry);
  }
  const finishedSprints = new Set<string>();
  const live = new Set<Entry>();
  for (const [sprint, agents] of latest) {
    const heads = [...agents.values()];
    // Nothing open, and the sprint ended on COMPLETE/VERIFIED: an earlier attempt that FAILED or
    // BLOCKED (followed by another agent's completion) does not keep it open.
    if (!heads.some((entry) => isOpen(entry.status)) && isFinished(last.get(sprint)!.status)) finishedSprints.add(sprint);
    else for (const entry of heads) live.add(entry);
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
      else if (!isOpen(entry.status)) tiers[2]!.push(entry);
    }
    for (const entry of tiers.flat()) {
      if (remaining <= bounds.max_current) break;
      move(entry, 'bound');
      remaining--;
    }
  }

  const open = current.filter((entry) => live.has(entry) && isOpen(entry.status)).length;
  const malformed = Math.max(0, input.currentCount - current.length);
  return {
    moves,
    remaining,
    open,
    overflow: remaining > bounds.max_current ? { remaining, max_current: bounds.max_current, open, malformed } : null,
  };
}
