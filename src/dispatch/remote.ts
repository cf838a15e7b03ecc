/**
 * Claims through a git remote (PRODUCT.md, "One view across worktrees and machines"): machines
 * that share only a remote claim a sprint by creating `refs/cos/claims/<sprint>` there (see
 * git/claim-ref.ts for the lock itself).
 *
 * A claim lasts while its holder holds the sprint:
 * - the holder's heartbeats refresh it (at most once per ttl/3: the last refresh is remembered in
 *   the git common dir, so most heartbeats do not talk to the remote);
 * - it lapses once the holder is COMPLETE, FAILED or VERIFIED after the claim, once an entry
 *   supersedes the claimed entry, or once its heartbeat + ttl has passed; the next cos command
 *   that talks to the remote deletes a lapsed claim (with a lease on the value it read, so a claim
 *   refreshed meanwhile is kept).
 * Whether the holder finished is read from the entries this clone has (after a pull), so
 * `claimStatus` is pure and the same everywhere.
 */
import { writeFileAtomic } from '../store/local-files.js';
import { readBoundedText } from '../trust/read.js';
import { repositoryRoots } from '../trust/roots.js';
import { join } from 'node:path';
import { deleteClaimRef, pushClaimRef, readClaimRefs, type ClaimRecord, type ClaimRef } from '../git/claim-ref.js';
import type { Entry } from '../protocol/fields.js';
import { isoSeconds, parseTimestamp } from '../protocol/time.js';
import { sharedDir } from '../store/worktrees.js';

/** Whether a remote claim is live, or why not. */
export type ClaimStatus = { live: true } | { live: false; why: string };

function names(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Whether a claim still holds its sprint, judged from the entries this clone has. Pure. */
export function claimStatus(claim: ClaimRecord, entries: readonly Entry[], now: Date): ClaimStatus {
  const mine = entries.filter((entry) => entry.sprint === claim.sprint);
  const superseding = mine.find((entry) => names(entry.supersedes).includes(claim.entry));
  if (superseding) return { live: false, why: `superseded by ${superseding.file}` };
  const claimedAt = parseTimestamp(claim.time);
  const claimed = mine.findIndex((entry) => entry.file === claim.entry);
  let latest: Entry | undefined;
  for (const [i, entry] of mine.entries()) {
    if (entry.agent !== claim.agent || String(entry.status) === 'NOTE') continue;
    // After the claimed entry (when this clone has it), else no older than the claim.
    if (claimed >= 0 ? i < claimed : parseTimestamp(entry.timestamp) < claimedAt) continue;
    latest = entry;
  }
  if (latest && ['COMPLETE', 'FAILED', 'VERIFIED'].includes(latest.status)) {
    return { live: false, why: `${claim.agent} is ${latest.status} in ${latest.file}` };
  }
  // A fresher heartbeat of the holder's entry in this clone counts too.
  let heartbeat = parseTimestamp(claim.heartbeat);
  if (latest && parseTimestamp(latest.heartbeat) > heartbeat) heartbeat = parseTimestamp(latest.heartbeat);
  const expires = heartbeat + claim.ttl_minutes * 60_000;
  if (!Number.isFinite(expires) || expires < now.getTime()) return { live: false, why: `its heartbeat ${claim.heartbeat} plus ttl ${claim.ttl_minutes} min has passed` };
  return { live: true };
}

/** One sentence naming a claim's holder (for refusals). */
export function describeClaim(remote: string, ref: ClaimRef): string {
  const claim = ref.claim;
  if (!claim) return `${ref.sprint} is claimed on ${remote} by a ref cos did not write (refs/cos/claims/${ref.sprint}); --force replaces it`;
  return `${ref.sprint} is claimed on ${remote} by ${claim.agent} (machine ${claim.machine}, since ${claim.time}, entry ${claim.entry})`;
}

/** A remote claim whose heartbeat + ttl has passed. */
export interface StaleClaim {
  ref: ClaimRef;
  why: string;
}

/** The claim refs on the remote that no longer hold their sprint. */
export async function staleClaims(cwd: string, remote: string, entries: readonly Entry[], now: Date): Promise<StaleClaim[]> {
  const out: StaleClaim[] = [];
  for (const ref of await readClaimRefs(cwd, remote)) {
    if (!ref.claim) continue;
    const status = claimStatus(ref.claim, entries, now);
    if (!status.live) out.push({ ref, why: status.why });
  }
  return out;
}

/** Delete the given lapsed claims (each with a lease); the sprints whose claim was deleted. */
export async function releaseClaims(cwd: string, remote: string, stale: readonly StaleClaim[]): Promise<string[]> {
  const released: string[] = [];
  for (const { ref } of stale) if ((await deleteClaimRef(cwd, remote, ref.sprint, ref.sha)) === 'done') released.push(ref.sprint);
  return released;
}

/** Where the time of the last refresh of a claim is remembered (shared by every worktree). */
function refreshFile(root: string, remote: string, sprint: string): string | null {
  const shared = sharedDir(root);
  return shared === null ? null : join(shared, 'remote-claims', remote, `${sprint}.json`);
}

export function lastRefresh(root: string, remote: string, sprint: string): number | null {
  const file = refreshFile(root, remote, sprint);
  if (file === null) return null;
  try {
    const read = readBoundedText(file, 4096);
    if (!read.ok) return null;
    const data = JSON.parse(read.text) as { at?: unknown };
    return typeof data.at === 'string' ? parseTimestamp(data.at) : null;
  } catch {
    return null;
  }
}

export function rememberRefresh(root: string, remote: string, sprint: string, at: string): void {
  const file = refreshFile(root, remote, sprint);
  if (file === null) return;
  try {
    writeFileAtomic(file, `${JSON.stringify({ at })}\n`, repositoryRoots(root));
  } catch {
    // Only an optimisation: the next heartbeat talks to the remote again.
  }
}

/** What refreshing a remote claim did: refreshed, recent enough, or not held. */
export type RefreshOutcome = 'refreshed' | 'recent' | 'not-held';

/**
 * The holder's heartbeat: refresh its claim on the remote, at most once per ttl/3 (from the time
 * remembered here). 'not-held' when the remote has no claim of this agent on the sprint.
 */
export async function refreshClaim(
  root: string,
  remote: string,
  input: { sprint: string; agent: string; ttl_minutes: number; now: Date },
): Promise<RefreshOutcome> {
  const last = lastRefresh(root, remote, input.sprint);
  if (last !== null && input.now.getTime() - last >= 0 && input.now.getTime() - last < (input.ttl_minutes * 60_000) / 3) return 'recent';
  const [ref] = await readClaimRefs(root, remote, input.sprint);
  if (!ref?.claim || ref.claim.agent !== input.agent) return 'not-held';
  const at = isoSeconds(input.now);
  const outcome = await pushClaimRef(root, remote, { ...ref.claim, heartbeat: at, ttl_minutes: input.ttl_minutes }, ref.sha);
  if (outcome === 'rejected') return 'not-held';
  rememberRefresh(root, remote, input.sprint, at);
  return 'refreshed';
}

/**
 * The remote an agent's claim on a sprint went through: `dispatch.remote` of coordination.yaml,
 * else the `remote` its DISPATCHED entry recorded. Undefined when there is none (or the value is
 * not a plain remote name: entries are untrusted).
 */
export function claimRemoteOf(configured: string | undefined, entries: readonly Entry[], sprint: string, agent: string): string | undefined {
  if (configured !== undefined) return configured;
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    if (entry.sprint !== sprint || entry.agent !== agent) continue;
    const value = entry.extra.remote;
    if (typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value)) return value;
  }
  return undefined;
}

/** The holder finished (COMPLETE, FAILED, VERIFIED): delete its own claim on the remote. */
export async function releaseOwnClaim(root: string, remote: string, sprint: string, agent: string): Promise<boolean> {
  const [ref] = await readClaimRefs(root, remote, sprint);
  if (!ref?.claim || ref.claim.agent !== agent) return false;
  return (await deleteClaimRef(root, remote, sprint, ref.sha)) === 'done';
}
