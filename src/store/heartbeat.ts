/**
 * Heartbeat: only the entry's own agent changes it after creation, and only its `heartbeat`
 * (and `ttl_minutes`), under a lock, by writing a complete temp file and renaming it over the
 * entry — a reader sees the old file or the new one, never a mix.
 *
 * The edit is made in place on the file's bytes: the value of the top-level `heartbeat:` line
 * (and `ttl_minutes:` line) is replaced and every other byte — unknown fields, comments, quoting,
 * CRLF, a BOM, a body that is not valid UTF-8 — stays identical. The result is parsed again and
 * must mean exactly the old entry with the new heartbeat; when a hand-written file is too unusual
 * for that (say, the field inside a flow mapping), the entry is written out canonically instead,
 * which keeps every field but not the formatting.
 */
import { readBounded } from '../trust/read.js';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { isHolding, type Entry, type EntryFields } from '../protocol/fields.js';
import { entryFields, parseEntry, serializeEntry } from '../protocol/entry.js';
import { splitFrontmatter } from '../protocol/frontmatter.js';
import { KINDS } from '../protocol/kinds.js';
import { assertSlug } from '../protocol/slug.js';
import { isoSeconds, parseTimestamp } from '../protocol/time.js';
import { agentPaths } from './paths.js';
import { MAX_ENTRY_BYTES, readStore } from './read.js';
import { replaceFile } from './local-files.js';
import { validNow } from './write.js';
import { withLock } from './lock.js';
import { liveLeases } from '../leases/leases.js';

/** What `heartbeat` (`cos heartbeat`) takes: the sprint, agent, optional ttl, clock and minimum interval. */
export interface HeartbeatInput {
  sprint: string;
  agent: string;
  ttl_minutes?: number;
  now?: Date;
  /** Skip the write when the last heartbeat is younger than this (the hook's fast path). */
  minIntervalSeconds?: number;
}

/** What `heartbeat` did: the entry, whether it was written, and the previous heartbeat. */
export interface HeartbeatResult {
  entry: Entry;
  /** False when nothing was written: the last heartbeat was recent (or not older than now). */
  written: boolean;
  previous: string;
}

/**
 * The agent's latest entry on the sprint in `current/` (NOTEs change nothing: skipped), or null. Heartbeats refresh only entries
 * of the worktree cos runs in (cos writes only there): `worktrees: true` looks at every worktree,
 * to say where the open entry is instead.
 */
export function latestEntryOf(root: string, sprint: string, agent: string, { worktrees = false }: { worktrees?: boolean } = {}): Entry | null {
  return latestIn(readStore(root, { archive: false, worktrees }).entries, sprint, agent);
}

function latestIn(entries: readonly Entry[], sprint: string, agent: string): Entry | null {
  let latest: Entry | null = null;
  for (const entry of entries) if (entry.sprint === sprint && entry.agent === agent && entry.status !== 'NOTE') latest = entry;
  return latest;
}

/**
 * The agent's latest entry on the sprint in any worktree, when it lives in another worktree than
 * the one cos runs in (null when it is here, or when there is only one worktree).
 */
function latestElsewhere(root: string, sprint: string, agent: string): Entry | null {
  const { entries, worktrees } = readStore(root, { archive: false });
  if (worktrees.length < 2) return null;
  const here = worktrees.find((worktree) => worktree.here)?.name;
  let latest: Entry | null = null;
  for (const entry of entries) if (entry.sprint === sprint && entry.agent === agent) latest = entry;
  return latest && latest.worktree !== here ? latest : null;
}

/** Replace the value of the one top-level `key:` line of the front matter; null if not exactly one. */
function replaceValue(front: string, key: string, value: string): string | null {
  const pattern = new RegExp(`^${key}:[^\\r\\n]*`, 'gm');
  const matches = front.match(pattern);
  if (matches?.length !== 1) return null;
  return front.replace(pattern, `${key}: ${value}`);
}

/**
 * The entry's bytes with only its heartbeat and ttl lines changed, or null when the file is too
 * unusual to edit in place. Works on latin1 text, which maps every byte to one character and back.
 */
export function refreshBytes(bytes: Buffer, heartbeat: string, ttl: number): Buffer | null {
  const text = bytes.toString('latin1');
  const bom = text.startsWith('\u00ef\u00bb\u00bf') ? 3 : 0;
  const split = splitFrontmatter(text.slice(bom));
  if ('reason' in split) return null;
  const start = text.indexOf('\n', bom) + 1;
  const end = start + split.front.length;
  let front: string | null = replaceValue(split.front, 'heartbeat', heartbeat);
  if (front !== null) front = replaceValue(front, 'ttl_minutes', String(ttl));
  if (front === null) return null;
  return Buffer.from(text.slice(0, start) + front + text.slice(end), 'latin1');
}

function canonical(fields: EntryFields, body: string): string {
  return serializeEntry(fields, body);
}

/** Refresh the agent's open entry on the sprint in place, under a lock (only `heartbeat` and `ttl_minutes` change). */
export async function heartbeat(root: string, input: HeartbeatInput): Promise<HeartbeatResult> {
  const sprint = assertSlug('sprint', input.sprint);
  const agent = assertSlug('agent', input.agent);
  if (input.ttl_minutes !== undefined) KINDS.minutes.write(input.ttl_minutes, 'ttl');
  // cos writes only into the worktree it runs in: an agent whose latest entry lives in another
  // worktree heartbeats there (refreshing an older entry here would hide which one is current).
  const other = latestElsewhere(root, sprint, agent);
  if (other) {
    throw new InputError(
      `Agent "${agent}"'s latest entry on sprint "${sprint}" is ${other.file} in worktree ${other.worktree} (${other.path}), not in this one: heartbeat from there (cos heartbeat --dir ${other.path.replace(/\/?\.agent\/status\/current\/[^/]+$/, '') || '.'} ...), or post IN_PROGRESS here to carry on in this worktree.`,
    );
  }
  // One read of this worktree's current/ serves the open entry and the lease NOTEs.
  const here = readStore(root, { archive: false, worktrees: false }).entries;
  const latest = latestIn(here, sprint, agent);
  if (!latest) {
    throw new InputError(
      `Agent "${agent}" has no open entry on sprint "${sprint}" to heartbeat (no entry at all in .agent/status/current); post one first with cos post --sprint ${sprint} --agent ${agent} --status IN_PROGRESS.`,
      { code: 'not-found' },
    );
  }
  if (!isHolding(latest.status)) {
    throw new InputError(
      `Agent "${agent}" has no open entry on sprint "${sprint}": its latest entry ${latest.file} is ${latest.status}; post IN_PROGRESS to start again.`,
      { code: 'not-found' },
    );
  }
  const now = validNow(input.now);
  const sinceMs = now.getTime() - parseTimestamp(latest.heartbeat);
  if (input.minIntervalSeconds !== undefined && sinceMs >= 0 && sinceMs < input.minIntervalSeconds * 1000 && input.ttl_minutes === undefined) {
    return { entry: latest, written: false, previous: latest.heartbeat };
  }
  const leaseNotes = liveLeaseNotes(here, sprint, agent, now);
  const result = await rewriteHeartbeat(root, latest, now, input.ttl_minutes);
  // A holder's heartbeats refresh its leases while they are live (src/leases/leases.ts): the
  // lease NOTEs' own heartbeats move with it; a lapsed lease is left as it is.
  for (const note of leaseNotes) {
    try {
      await rewriteHeartbeat(root, note, now);
    } catch {
      // archived or removed meanwhile: the lease is over anyway
    }
  }
  return result;
}


/** The lease NOTEs of the agent on the sprint, in this worktree's current/, whose leases are live at `now`. */
function liveLeaseNotes(entries: readonly Entry[], sprint: string, agent: string, now: Date): Entry[] {
  const mine = entries.filter((entry) => entry.sprint === sprint && entry.agent === agent);
  const live = new Set(liveLeases(mine, now).map((lease) => lease.file));
  return mine.filter((entry) => entry.status === 'NOTE' && live.has(entry.file));
}

/** Rewrite one entry's heartbeat (and ttl) under its lock, every other byte kept. */
function rewriteHeartbeat(root: string, entry: Entry, now: Date, ttl?: number): Promise<HeartbeatResult> {
  const paths = agentPaths(root);
  const path = join(paths.root, entry.path);
  const where = { file: entry.file, path: entry.path, location: entry.location };
  return withLock(path, () => {
    // Re-read under the lock: the file on disk is the truth, not the snapshot above.
    const read = readBounded(path, MAX_ENTRY_BYTES);
    if (!read.ok) {
      if (read.kind === 'missing') throw new InputError(`${entry.path} was moved or removed while heartbeating (archived?); run cos heartbeat again.`, { code: 'not-found' });
      throw new InputError(`Cannot heartbeat ${entry.path}: ${read.reason}.`);
    }
    const bytes = read.bytes;
    const parsed = parseEntry(bytes.toString('utf8'), where);
    if (!parsed.ok) throw new InputError(`${entry.path} can no longer be read as an entry: ${parsed.reason}.`);
    const previous = parsed.entry.heartbeat;
    const stamp = isoSeconds(now);
    // Heartbeats never move backwards (clock skew between machines) — unless the old one lies
    // past now + ttl, which proves nothing (docs/security.md): then it comes back to now.
    const future = parseTimestamp(previous) > now.getTime() + parsed.entry.ttl_minutes * 60_000;
    const nextHeartbeat = future || parseTimestamp(stamp) > parseTimestamp(previous) ? stamp : previous;
    const nextTtl = ttl ?? parsed.entry.ttl_minutes;
    if (nextHeartbeat === previous && nextTtl === parsed.entry.ttl_minutes) {
      return { entry: parsed.entry, written: false, previous };
    }
    const fields = entryFields(parsed.entry);
    fields.heartbeat = nextHeartbeat;
    fields.ttl_minutes = nextTtl;
    const expected = canonical(fields, parsed.entry.body);
    let content = refreshBytes(bytes, nextHeartbeat, nextTtl);
    if (content !== null) {
      const check = parseEntry(content.toString('utf8'), where);
      if (!check.ok || canonical(entryFields(check.entry), check.entry.body) !== expected) content = null;
    }
    content ??= Buffer.from(expected, 'utf8');
    replaceFile(path, content);
    const written = parseEntry(content.toString('utf8'), where);
    return { entry: written.ok ? written.entry : { ...parsed.entry, ...fields }, written: true, previous };
  });
}
