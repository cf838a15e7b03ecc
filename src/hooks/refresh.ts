/**
 * The hooks' work once they have some: the heartbeat refresh, the session briefing and the stop
 * warning. Imported lazily by run.ts, so the post-tool-use fast path never loads the store, the
 * config parser or the checks.
 */
import { analyze } from '../analyze.js';
import { loadConfig } from '../config/load.js';
import { isCosError } from '../errors.js';
import { briefInput, buildBrief } from '../output/brief.js';
import { isHolding } from '../protocol/fields.js';
import { parseTimestamp } from '../protocol/time.js';
import { heartbeat, latestEntryOf } from '../store/heartbeat.js';
import { sessionBriefing } from './briefing.js';
import type { Identity } from './identity.js';
import { postAs } from './post-as.js';

/** Marks the WARN entries the stop hook writes (an extra front matter field, kept by every reader). */
export const STOP_MARK = { hook: 'stop' } as const;

/**
 * Refresh the identity's open entry when its heartbeat is older than heartbeat.min_interval_seconds
 * (the store re-checks under its lock). Returns when the next refresh is due. An agent without an
 * open entry (not started, or finished) is not an error for a hook: nothing is written.
 */
export async function refreshHeartbeat(root: string, identity: Identity, now: Date): Promise<{ dueAt: number; minIntervalSeconds: number; written: boolean }> {
  const minIntervalSeconds = loadConfig(root).config.heartbeat.min_interval_seconds;
  const interval = minIntervalSeconds * 1000;
  try {
    const result = await heartbeat(root, { ...identity, now, minIntervalSeconds });
    const last = result.written ? now.getTime() : parseTimestamp(result.entry.heartbeat);
    const dueAt = Number.isNaN(last) ? now.getTime() + interval : Math.max(now.getTime(), last + interval);
    return { dueAt, minIntervalSeconds, written: result.written };
  } catch (error) {
    // No open entry (not started, or finished), a lock held elsewhere, an identity that is no slug: nothing to refresh.
    if (isCosError(error, 'not-found', 'locked', 'invalid')) return { dueAt: now.getTime() + interval, minIntervalSeconds, written: false };
    throw error;
  }
}

export function briefingFor(root: string, identity: Identity | null, now: Date): string {
  const analysis = analyze(root, { now });
  const brief = buildBrief(briefInput(analysis, { roles: [], since: new Date(now.getTime() - 24 * 3_600_000), initialised: true }));
  return sessionBriefing({ identity, entries: analysis.snapshot.entries, brief, now, minIntervalSeconds: analysis.config.config.heartbeat.min_interval_seconds });
}

/**
 * Post a WARN entry when the agent's latest entry on the sprint is still open. Decisions:
 * - The WARN entry is the agent's own (same sprint and agent: the hook runs in its session), a new
 *   entry — the open entry itself is never changed.
 * - Its status is IN_PROGRESS, not BLOCKED: Claude Code fires Stop at the end of every turn, also
 *   when the agent merely waits for its user; BLOCKED would close the entry (heartbeats would stop
 *   working) and claim something nobody said. If the agent is really gone, the entry goes stale
 *   after its ttl and cos scan reports it.
 * - Once per open entry: nothing when the latest entry is already such a WARN.
 * - Nothing when the latest entry is an escalation (URGENT/BLOCKER): a later WARN IN_PROGRESS
 *   from the same agent would count as "back to normal" and quietly resolve it.
 * Returns the new entry's path, or null.
 */
export function warnIfOpen(root: string, identity: Identity, sessionId: string, now: Date): string | null {
  const latest = latestEntryOf(root, identity.sprint, identity.agent);
  if (!latest || !isHolding(latest.status)) return null;
  if (latest.severity === 'URGENT' || latest.severity === 'BLOCKER') return null;
  if (latest.extra.hook === STOP_MARK.hook) return null;
  const entry = postAs(
    root,
    identity,
    {
      status: 'IN_PROGRESS',
      severity: 'WARN',
      ttl_minutes: latest.ttl_minutes,
      ...(latest.phase !== undefined ? { phase: latest.phase } : {}),
      ...(latest.title !== undefined ? { title: latest.title } : {}),
      ...(latest.role !== undefined ? { role: latest.role } : {}),
      extra: { ...STOP_MARK },
      message:
        `The Claude Code session (${sessionId}) stopped while ${latest.file} was still ${latest.status}: ` +
        `no COMPLETE, BLOCKED or FAILED was posted. If the agent does not carry on, this sprint goes stale ` +
        `after ${latest.ttl_minutes} minutes. (Posted by the cos stop hook.)`,
    },
    now,
  );
  return entry.path;
}
