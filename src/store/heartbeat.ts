/**
 * Heartbeat: only the entry's own agent changes it after creation, and only its `heartbeat`
 * (and `ttl_minutes`), under a lock, by writing a temp file and renaming it over the entry.
 */
import { readFileSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { isOpen, type Entry } from '../protocol/fields.js';
import { entryFields, parseEntry, serializeEntry } from '../protocol/entry.js';
import { assertSlug, showValue } from '../protocol/slug.js';
import { isoSeconds, parseTimestamp } from '../protocol/time.js';
import { agentPaths } from './paths.js';
import { readStore } from './read.js';
import { tempName } from './write.js';
import { withLock } from './lock.js';
import { writeFileSync } from 'node:fs';

export interface HeartbeatInput {
  sprint: string;
  agent: string;
  ttl_minutes?: number;
  now?: Date;
  /** Skip the write when the last heartbeat is younger than this (the hook's fast path). */
  minIntervalSeconds?: number;
}

export interface HeartbeatResult {
  entry: Entry;
  /** False when the fast path found a recent heartbeat and wrote nothing. */
  written: boolean;
  previous: string;
}

/** The agent's latest entry on the sprint in `current/`, or null. */
export function latestEntryOf(root: string, sprint: string, agent: string): Entry | null {
  const { entries } = readStore(root, { archive: false });
  let latest: Entry | null = null;
  for (const entry of entries) if (entry.sprint === sprint && entry.agent === agent) latest = entry;
  return latest;
}

export async function heartbeat(root: string, input: HeartbeatInput): Promise<HeartbeatResult> {
  const sprint = assertSlug('sprint', input.sprint);
  const agent = assertSlug('agent', input.agent);
  if (input.ttl_minutes !== undefined && (!Number.isInteger(input.ttl_minutes) || input.ttl_minutes <= 0 || input.ttl_minutes > 525_600)) {
    throw new InputError(`Invalid ttl ${showValue(input.ttl_minutes)}: give a whole number of minutes between 1 and 525600.`);
  }
  const latest = latestEntryOf(root, sprint, agent);
  if (!latest) throw new InputError(`Agent "${agent}" has no entry on sprint "${sprint}" to heartbeat; post one first with cos post --sprint ${sprint} --agent ${agent} --status IN_PROGRESS.`);
  if (!isOpen(latest.status)) {
    throw new InputError(`Agent "${agent}" has no open entry on sprint "${sprint}": its latest entry ${latest.file} is ${latest.status}; post IN_PROGRESS to start again.`);
  }
  const now = input.now ?? new Date();
  const sinceMs = now.getTime() - parseTimestamp(latest.heartbeat);
  if (input.minIntervalSeconds !== undefined && sinceMs >= 0 && sinceMs < input.minIntervalSeconds * 1000 && input.ttl_minutes === undefined) {
    return { entry: latest, written: false, previous: latest.heartbeat };
  }
  const paths = agentPaths(root);
  const path = join(paths.root, latest.path);
  return withLock(path, () => {
    // Re-read under the lock: the file on disk is the truth, not the snapshot above.
    const parsed = parseEntry(readFileSync(path, 'utf8'), { file: latest.file, path: latest.path, location: latest.location });
    if (!parsed.ok) throw new InputError(`${latest.path} can no longer be read as an entry: ${parsed.reason}.`);
    const fields = entryFields(parsed.entry);
    const previous = fields.heartbeat;
    const stamp = isoSeconds(now);
    // Heartbeats never move backwards (clock skew between machines).
    if (parseTimestamp(stamp) > parseTimestamp(previous)) fields.heartbeat = stamp;
    if (input.ttl_minutes !== undefined) fields.ttl_minutes = input.ttl_minutes;
    const temp = join(paths.current, tempName(latest.file));
    try {
      writeFileSync(temp, serializeEntry(fields, parsed.entry.body), { flag: 'wx' });
      renameSync(temp, path);
    } catch (error) {
      try {
        unlinkSync(temp);
      } catch {
        // already gone
      }
      throw error;
    }
    return { entry: { ...parsed.entry, ...fields }, written: true, previous };
  });
}
