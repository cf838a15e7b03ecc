/**
 * Path leases (PRODUCT.md, "Humans in the loop"): `cos lease` writes a NOTE with `lease:
 * [patterns]`, `cos release` one with `releases: [patterns]`. A lease is live until its agent
 * releases the pattern on that sprint, or until the lease NOTE's heartbeat (refreshed by the
 * holder's heartbeats while the lease is live) or a later entry the agent created while it was
 * live, plus the lease NOTE's ttl, has passed. Pure; which paths a pattern covers is picomatch's
 * answer, a pattern without glob syntax covering the path and everything under it (leaseGlobs).
 */
import { createRequire } from 'node:module';
import type { Entry } from '../protocol/fields.js';
import { isoSeconds, parseTimestamp } from '../protocol/time.js';
import { globsOverlap } from './overlap.js';

// picomatch is loaded at the first pattern looked at, not with this module: `cos scan`, `cos
// status` and a guard hook with no live lease read leases without loading it.
const require = createRequire(import.meta.url);
let picomatchModule: typeof import('picomatch') | undefined;
function picomatch(): typeof import('picomatch') {
  picomatchModule ??= require('picomatch') as typeof import('picomatch');
  return picomatchModule;
}
function matcher(pattern: string | string[]): (path: string) => boolean {
  return picomatch()(pattern, { dot: true });
}

/** A live lease: the path patterns an agent holds on a sprint until its entry's ttl runs out. */
export interface Lease {
  pattern: string;
  sprint: string;
  agent: string;
  /** The lease NOTE's file name and repository-relative path. */
  file: string;
  path: string;
  /** When it runs out unless refreshed (ISO time). */
  until: string;
}

/** A pattern's problem, or null: repository-relative, no `..`, not absolute, no control characters. */
export function patternProblem(pattern: string): string | null {
  if (typeof pattern !== 'string' || pattern.trim() === '') return 'it is empty';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(pattern)) return 'it contains a control character';
  if (pattern.startsWith('/') || /^[A-Za-z]:[\\/]/.test(pattern)) return 'it is absolute; give a path relative to the repository, e.g. src/api/**';
  if (pattern.split('/').includes('..')) return 'it climbs out with ..; give a path inside the repository';
  return null;
}

export function normalisePattern(pattern: string): string {
  return pattern.trim().replace(/^(\.\/)+/, '').replace(/(.)\/+$/, '$1');
}

/**
 * The globs a lease pattern stands for. A pattern without glob syntax names a path: it leases that
 * path and everything under it (`src/auth` covers `src/auth/login.ts`), as a person means it. A
 * glob means what it says (`src/auth/*` covers only the files directly in it).
 */
export function leaseGlobs(pattern: string): string[] {
  return picomatch().scan(pattern).isGlob ? [pattern] : [pattern, `${pattern}/**`];
}

function patternsOverlap(a: string, b: string): boolean {
  return leaseGlobs(a).some((left) => leaseGlobs(b).some((right) => globsOverlap(left, right)));
}

function key(sprint: string, agent: string): string {
  return `${sprint}\u0000${agent}`;
}

/**
 * Every live lease at `now`, in the order they were taken.
 *
 * A lease runs out `ttl` after the lease NOTE's heartbeat (which `cos heartbeat` refreshes only
 * while the lease is live), extended by each later entry the agent creates on the sprint while it
 * is still live. Only creation times and the NOTE's own heartbeat count — never the in-place
 * heartbeat of another entry, which cannot say whether the lease lapsed before it: a lapsed lease
 * stays lapsed, even when its holder heartbeats again (another agent may have leased the paths
 * meanwhile).
 */
export function liveLeases(entries: readonly Entry[], now: Date): Lease[] {
  const held = new Map<string, Map<string, Entry>>();
  const created = new Map<string, number[]>();
  for (const entry of entries) {
    const k = key(entry.sprint, entry.agent);
    const at = parseTimestamp(entry.timestamp);
    if (!Number.isNaN(at)) {
      let times = created.get(k);
      if (!times) created.set(k, (times = []));
      times.push(at);
    }
    if (entry.lease) {
      let patterns = held.get(k);
      if (!patterns) held.set(k, (patterns = new Map()));
      for (const pattern of entry.lease) {
        patterns.delete(pattern); // re-leasing moves it to the end, with the new ttl
        patterns.set(pattern, entry);
      }
    }
    if (entry.releases) for (const pattern of entry.releases) held.get(k)?.delete(pattern);
  }
  for (const times of created.values()) times.sort((a, b) => a - b);
  const out: Lease[] = [];
  for (const patterns of held.values()) {
    for (const [pattern, note] of patterns) {
      const expires = leaseExpiry(note, created.get(key(note.sprint, note.agent)) ?? [], now.getTime());
      if (expires < now.getTime()) continue;
      out.push({ pattern, sprint: note.sprint, agent: note.agent, file: note.file, path: note.path, until: isoSeconds(new Date(expires)) });
    }
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** When a lease NOTE's lease runs out, given the creation times (sorted) of its agent's entries on the sprint. */
function leaseExpiry(note: Entry, created: readonly number[], now: number): number {
  const ttl = note.ttl_minutes * 60_000;
  const taken = parseTimestamp(note.timestamp);
  if (Number.isNaN(taken)) return Number.NEGATIVE_INFINITY;
  const beat = parseTimestamp(note.heartbeat);
  // A heartbeat past now + ttl proves nothing (docs/security.md): the lease counts from its NOTE.
  let expires = (Number.isNaN(beat) || beat > now + ttl ? taken : Math.max(taken, beat)) + ttl;
  for (const at of created) {
    if (at <= taken) continue;
    if (at > expires) break; // lapsed before this entry: it cannot revive the lease
    expires = Math.max(expires, at + ttl);
  }
  return expires;
}

/** Live leases of agents other than `agent` whose patterns can match a path `pattern` matches. */
export function overlappingLeases(leases: readonly Lease[], agent: string, pattern: string): Lease[] {
  return leases.filter((lease) => lease.agent !== agent && patternsOverlap(lease.pattern, pattern));
}

/** Pairs of live leases of different agents that can match one path. */
export function leaseConflicts(leases: readonly Lease[]): Array<[Lease, Lease]> {
  const pairs: Array<[Lease, Lease]> = [];
  for (let i = 0; i < leases.length; i++) {
    for (let j = i + 1; j < leases.length; j++) {
      const a = leases[i]!;
      const b = leases[j]!;
      if (a.agent !== b.agent && patternsOverlap(a.pattern, b.pattern)) pairs.push([a, b]);
    }
  }
  return pairs;
}

/** The live leases of other agents that cover `path` (repository-relative, `/` separators). */
export function leasesCovering(leases: readonly Lease[], path: string, agent: string | null): Lease[] {
  return leases.filter((lease) => lease.agent !== agent && matcher(leaseGlobs(lease.pattern))(path));
}

/** picomatch, for the property test that keeps globsOverlap honest. */
export function matches(pattern: string, path: string): boolean {
  return matcher(pattern)(path);
}
