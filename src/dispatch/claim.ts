/**
 * Dispatching is a claim: the check (is the sprint free?) and the write (the DISPATCHED entry)
 * happen under one lock per sprint, `.agent/status/.claims/sprint-<sprint>` (git-ignored), and the
 * store is re-read inside it. Of N simultaneous `cos dispatch` runs on one sprint, exactly one
 * writes; every other one then sees its open entry and is refused.
 *
 * A holder killed inside the section leaves the lock folder behind; proper-lockfile takes it over
 * once its mtime is older than LOCK_STALE_MS (a live holder refreshes it every half of that). The
 * section is short and its write is atomic, so a crash leaves either the complete DISPATCHED entry
 * (later claims see it and are refused) or nothing. Takeover is only unsafe for a holder stalled
 * longer than LOCK_STALE_MS (node-proper-lockfile#121); waiters retry for LOCK_WAIT_MS.
 */
import { join } from 'node:path';
import { handledFiles } from '../checks/handled.js';
import type { CoordinationConfig } from '../config/schema.js';
import { makeDirectory, PreflightError, RefusedError } from '../errors.js';
import type { Entry } from '../protocol/fields.js';
import type { Role } from '../protocol/role.js';
import { assertSlug } from '../protocol/slug.js';
import { deriveSprint, type SprintState } from '../state/lifecycle.js';
import { withLock } from '../store/lock.js';
import { agentPaths } from '../store/paths.js';
import { readStore } from '../store/read.js';
import { dispatchWaiting } from '../plans/view.js';
import { claimSeq, postEntry } from '../store/write.js';
import { assertRemoteName, checkRemote, machineName, pushClaimRef, readClaimRefs, sayingWhenUnreachable, type ClaimRecord } from '../git/claim-ref.js';
import { entryFileName } from '../protocol/filename.js';
import { isoSeconds } from '../protocol/time.js';
import { claimStatus, describeClaim, rememberRefresh } from './remote.js';
import { dispatchBlockers, supersededNames, type Blocker } from './blockers.js';
import { describeMissing, runPreflight } from './preflight.js';

export const LOCK_STALE_MS = 10_000;
export const LOCK_WAIT_MS = 60_000;

/** What `claimSprint` (`cos dispatch`) takes: the role, sprint, agent, ttl, force, clock and remote. */
export interface ClaimInput {
  role: Role;
  sprint: string;
  /** The agent that will do the work (default: the role's name). */
  agent?: string;
  force?: boolean;
  ttl_minutes?: number;
  now?: Date;
  /**
   * Claim the sprint through this git remote as well (`refs/cos/claims/<sprint>`, see
   * remote.ts): refused (exit 3) while another live claim holds it there; exit 5, with nothing
   * written, when the remote cannot be reached.
   */
  remote?: string;
}

/** What `claimSprint` wrote: the DISPATCHED entry, what it superseded, and the remote claim. */
export interface ClaimResult {
  entry: Entry;
  /**
   * The blockers a forced dispatch overrode (empty when nothing was in the way). One entry may
   * stand in several; the files superseded, each once, are the entry's `supersedes`.
   */
  superseded: Blocker[];
  /** The sprint before the dispatch (null when it had no entries), and every entry read. */
  before: SprintState | null;
  entries: Entry[];
  /** The remote claim made (with --remote), and the lapsed or forced claim it replaced. */
  remote?: { name: string; claim: ClaimRecord; replaced: { claim: ClaimRecord | null; why: string } | null };
}

export function claimLockFile(root: string, sprint: string): string {
  return join(agentPaths(root).claims, `sprint-${sprint}`);
}

function sprintBefore(entries: readonly Entry[], sprint: string, now: Date, verification: CoordinationConfig['verification']): SprintState | null {
  const list = entries.filter((entry) => entry.sprint === sprint);
  return list.length > 0 ? deriveSprint(sprint, list, now, { verification }) : null;
}

/** Claim a sprint for a role atomically (one winner among concurrent dispatches) and write its DISPATCHED entry. */
export async function claimSprint(root: string, config: CoordinationConfig, input: ClaimInput): Promise<ClaimResult> {
  const sprint = assertSlug('sprint', input.sprint);
  const agent = assertSlug('agent', input.agent ?? input.role.name);
  const now = input.now ?? new Date();
  const remote = input.remote === undefined ? undefined : assertRemoteName(input.remote);
  if (remote !== undefined) await checkRemote(root, remote);
  const claims = agentPaths(root).claims;
  makeDirectory(claims, agentPaths(root).rel(claims));
  return withLock(
    claimLockFile(root, sprint),
    async () => {
      const { entries } = readStore(root);
      const before = sprintBefore(entries, sprint, now, config.verification);
      const blockers = dispatchBlockers(before, handledFiles(entries), config);
      if (blockers.length > 0 && !input.force) {
        throw new RefusedError(`Refused: ${blockers.map((blocker) => blocker.message).join('; ')}. Use --force to override (the new entry records what it supersedes).`, {
          code: blockers.some((blocker) => blocker.kind === 'occupied') ? 'conflict' : 'escalation',
        });
      }
      // A plan step nobody took up (no entry, or only NOTEs) is WAITING while a dependency is unfinished: the lifecycle says.
      const waiting = dispatchWaiting(root, entries, sprint, config, now);
      if (waiting && !input.force) {
        throw new RefusedError(
          `Refused: ${sprint} is WAITING on ${waiting.waiting_on.join(', ')} (plan ${waiting.plan}): ${waiting.waiting_on.length === 1 ? 'it is' : 'they are'} not finished (VERIFIED) yet; see cos ready. Use --force to dispatch it anyway (recorded in the entry).`,
          { code: 'waiting' },
        );
      }
      const missing = runPreflight(root, input.role);
      if (missing.length > 0) {
        throw new PreflightError(
          `Preflight of role ${input.role.name} failed: ${missing.map(describeMissing).join('; ')}. Fix these or the role's requires in .agent/roles/${input.role.name}.md.`,
          missing.map(describeMissing),
        );
      }
      const superseded = input.force ? supersededNames(blockers) : [];
      const notes = [`Dispatched as **${input.role.name}** (model tier ${input.role.model}) by \`cos dispatch\`.`];
      if (input.force && blockers.length > 0) notes.push(`Forced over: ${blockers.map((blocker) => blocker.message).join('; ')}.`);
      if (input.force && waiting) notes.push(`Forced over: ${sprint} was WAITING on ${waiting.waiting_on.join(', ')} (plan ${waiting.plan}), not finished.`);
      const ttl = input.ttl_minutes ?? input.role.ttl_minutes ?? config.ttl_minutes;
      let seq: number | undefined;
      let remoteResult: ClaimResult['remote'];
      if (remote !== undefined) {
        // The remote first: when it cannot be reached or refuses, no entry is written.
        const claimed = await claimOnRemote(root, remote, { sprint, agent, role: input.role.name, ttl, now, force: input.force === true, entries }).catch(sayingWhenUnreachable('nothing was written'));
        seq = claimed.seq;
        remoteResult = { name: remote, claim: claimed.claim, replaced: claimed.replaced };
        if (claimed.replaced?.claim && claimed.forced && !superseded.includes(claimed.replaced.claim.entry)) superseded.push(claimed.replaced.claim.entry);
        notes.push(`Claimed through the git remote **${remote}** (\`refs/cos/claims/${sprint}\`)${claimed.replaced ? `, replacing a claim that ${claimed.replaced.why}` : ''}.`);
      }
      const entry = postEntry(
        root,
        {
          sprint,
          agent,
          status: 'DISPATCHED',
          severity: 'INFO',
          ttl_minutes: ttl,
          role: input.role.name,
          ...(superseded.length > 0 ? { supersedes: superseded.length === 1 ? superseded[0]! : superseded } : {}),
          ...(remote !== undefined ? { extra: { remote } } : {}),
          message: notes.join('\n'),
          now,
        },
        { defaultTtl: config.ttl_minutes, ...(seq !== undefined ? { seq } : {}) },
      );
      return { entry, superseded: input.force ? blockers : [], before, entries, ...(remoteResult ? { remote: remoteResult } : {}) };
    },
    { stale: LOCK_STALE_MS, wait: LOCK_WAIT_MS },
  );
}

interface RemoteClaimInput {
  sprint: string;
  agent: string;
  role: string;
  ttl: number;
  now: Date;
  force: boolean;
  entries: readonly Entry[];
}

/**
 * Win `refs/cos/claims/<sprint>` on the remote, naming the entry about to be written (its sequence
 * number is claimed here, so the name is known before the push). A live claim of someone else is
 * refused unless forced; a lapsed one is replaced with a lease on the value read. A push the
 * remote rejects means another machine won meanwhile: refused, naming it.
 */
async function claimOnRemote(root: string, remote: string, input: RemoteClaimInput) {
  const [existing] = await readClaimRefs(root, remote, input.sprint);
  let replaced: { claim: ClaimRecord | null; why: string } | null = null;
  let forced = false;
  if (existing) {
    const status = existing.claim ? claimStatus(existing.claim, input.entries, input.now) : ({ live: true } as const);
    if (status.live && !input.force) throw new RefusedError(`Refused: ${describeClaim(remote, existing)}. Use --force to take it over (the new entry records what it supersedes).`);
    forced = status.live;
    replaced = { claim: existing.claim, why: status.live ? 'was forced over' : status.why };
  }
  const seq = claimSeq(agentPaths(root));
  const time = isoSeconds(input.now);
  const claim: ClaimRecord = {
    sprint: input.sprint,
    agent: input.agent,
    machine: machineName(),
    time,
    heartbeat: time,
    ttl_minutes: input.ttl,
    entry: entryFileName(seq, time, input.agent),
    role: input.role,
    ...(replaced?.claim ? { supersedes: replaced.claim.entry } : {}),
  };
  const outcome = await pushClaimRef(root, remote, claim, existing?.sha ?? null);
  if (outcome === 'rejected') {
    const [winner] = await readClaimRefs(root, remote, input.sprint);
    throw new RefusedError(
      winner ? `Refused: ${describeClaim(remote, winner)}.` : `Refused: the claim of ${input.sprint} on ${remote} changed while this dispatch ran; try again.`,
    );
  }
  rememberRefresh(root, remote, input.sprint, time);
  return { seq, claim, replaced, forced };
}
