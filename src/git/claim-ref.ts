/**
 * Claim refs on a git remote: `refs/cos/claims/<sprint>` points to a parentless commit of the
 * empty tree whose message is the claim as JSON. The remote's ref update is the lock: git sends
 * the value it expects (absent for a new claim, the value read for a replacement or a deletion,
 * `--force-with-lease`), and the remote applies the update only if the ref still has that value —
 * so of N machines pushing one claim at once exactly one succeeds.
 *
 * Every failure to reach the remote is an ExternalError (exit 5); a push the remote refuses
 * because the ref changed is `rejected`, not an error: the caller reads the ref again.
 */
import { hostname } from 'node:os';
import { ExternalError, InputError } from '../errors.js';
import { gitComplaint, type GitOptions, type GitResult } from './run.js';

/**
 * Every git of a claim runs through simple-git (git/simple.ts): the commands print by nature
 * (`remote get-url`, `cat-file`, `hash-object`, `commit-tree`, `push --porcelain`), and the two
 * that can succeed printing nothing (`ls-remote` of no claim, `fetch --quiet`) are `silentOk`.
 */
async function tryGit(cwd: string, args: string[], options: GitOptions & { silentOk?: boolean } = {}): Promise<GitResult> {
  const { runSimpleGit } = await import('./simple.js');
  return runSimpleGit(cwd, args, options);
}

export const CLAIM_REF_PREFIX = 'refs/cos/claims/';

/** A claim as a remote claim ref holds it: who claimed the sprint, where, when and for how long. */
export interface ClaimRecord {
  sprint: string;
  agent: string;
  /** The machine (host name) the claim was made on. */
  machine: string;
  /** When the claim was made (ISO, UTC, whole seconds). */
  time: string;
  /** Refreshed by the holder's heartbeats; the claim lapses `ttl_minutes` after it. */
  heartbeat: string;
  ttl_minutes: number;
  /** The file name of the DISPATCHED entry the claim belongs to. */
  entry: string;
  role?: string;
  /** The entry of a claim this one replaced with --force. */
  supersedes?: string;
}

/** A sprint's claim ref on a remote: the object it points to and the claim it holds. */
export interface ClaimRef {
  sprint: string;
  /** The object the ref points to (the lease for a replacement or a deletion). */
  sha: string;
  /** Null when the ref holds something that is not a claim cos wrote. */
  claim: ClaimRecord | null;
}

// Claims carry no author: a fixed identity keeps commit-tree from needing the user's git config.
const IDENTITY_ENV = {
  GIT_AUTHOR_NAME: 'cos',
  GIT_AUTHOR_EMAIL: 'cos@localhost',
  GIT_COMMITTER_NAME: 'cos',
  GIT_COMMITTER_EMAIL: 'cos@localhost',
};

export function machineName(): string {
  return hostname() || 'unknown';
}

/** A remote name as given by a user: never an option, a URL or a path. */
export function assertRemoteName(remote: string): string {
  if (typeof remote !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(remote)) {
    throw new InputError(`Invalid remote ${JSON.stringify(remote)}: give the name of a configured git remote, such as origin.`);
  }
  return remote;
}

/**
 * The remote could not be reached (exit 5). What that meant here is the caller's to say: a
 * dispatch writes nothing then (`saying('nothing was written')`), while a COMPLETE or a heartbeat
 * is already written when its claim cannot be released or refreshed.
 */
export class RemoteUnreachableError extends ExternalError {
  readonly remote: string;
  readonly complaint: string;
  constructor(remote: string, complaint: string, outcome?: string) {
    super(`The git remote ${remote} cannot be reached (${complaint})${outcome ? `; ${outcome}` : ''}. Check the remote (git ls-remote ${remote}) and try again.`);
    this.remote = remote;
    this.complaint = complaint;
  }

  /** The same failure, saying what it meant for the command ("nothing was written"). */
  saying(outcome: string): RemoteUnreachableError {
    return new RemoteUnreachableError(this.remote, this.complaint, outcome);
  }
}

/** Rethrow an unreachable remote saying what it meant for the command; any other error as it is. */
export function sayingWhenUnreachable(outcome: string): (error: unknown) => never {
  return (error) => {
    throw error instanceof RemoteUnreachableError ? error.saying(outcome) : error;
  };
}

function unreachable(remote: string, result: GitResult): RemoteUnreachableError {
  return new RemoteUnreachableError(remote, gitComplaint(result));
}

/** The remote must be configured in this repository (exit 1 otherwise: a typo is not an outage). */
export async function checkRemote(cwd: string, remote: string): Promise<void> {
  const result = await tryGit(cwd, ['remote', 'get-url', '--', remote]);
  if (result.code === 0) return;
  if (/not a git repository/i.test(result.stderr)) throw new InputError(`--remote needs a git repository; ${cwd} is not in one.`);
  throw new InputError(`No git remote named ${JSON.stringify(remote)} here; see git remote -v.`);
}

function parseClaim(text: string, sprint: string): ClaimRecord | null {
  const body = text.slice(text.indexOf('\n\n') + 2).trim();
  try {
    const data = JSON.parse(body) as Partial<ClaimRecord>;
    if (typeof data !== 'object' || data === null) return null;
    const { agent, machine, time, heartbeat, ttl_minutes, entry } = data;
    if (typeof agent !== 'string' || typeof time !== 'string' || typeof entry !== 'string' || typeof ttl_minutes !== 'number') return null;
    return {
      sprint,
      agent,
      machine: typeof machine === 'string' ? machine : 'unknown',
      time,
      heartbeat: typeof heartbeat === 'string' ? heartbeat : time,
      ttl_minutes,
      entry,
      ...(typeof data.role === 'string' ? { role: data.role } : {}),
      ...(typeof data.supersedes === 'string' ? { supersedes: data.supersedes } : {}),
    };
  } catch {
    return null;
  }
}

/** The claim refs on the remote (one sprint, or all), read with their claims. */
export async function readClaimRefs(cwd: string, remote: string, sprint?: string): Promise<ClaimRef[]> {
  const pattern = sprint === undefined ? `${CLAIM_REF_PREFIX}*` : `${CLAIM_REF_PREFIX}${sprint}`;
  const listed = await tryGit(cwd, ['ls-remote', '--', remote, pattern], { silentOk: true });
  if (listed.code !== 0) throw unreachable(remote, listed);
  const refs: Array<{ sha: string; name: string }> = [];
  for (const line of listed.stdout.split('\n')) {
    const [sha, name] = line.split('\t');
    if (!sha || !name?.startsWith(CLAIM_REF_PREFIX)) continue;
    if (sprint !== undefined && name !== pattern) continue;
    refs.push({ sha, name });
  }
  if (refs.length === 0) return [];
  // Bring the claim commits here (no local ref, no FETCH_HEAD: concurrent runs do not collide).
  const fetched = await tryGit(cwd, ['fetch', '--no-write-fetch-head', '--no-tags', '--quiet', '--', remote, ...refs.map((ref) => ref.name)], { silentOk: true });
  if (fetched.code !== 0) {
    // The ref may have been deleted between the listing and the fetch: read it again once.
    const again = await tryGit(cwd, ['ls-remote', '--', remote, pattern], { silentOk: true });
    if (again.code !== 0) throw unreachable(remote, again);
    if (again.stdout.trim() !== listed.stdout.trim()) return readClaimRefs(cwd, remote, sprint);
    throw unreachable(remote, fetched);
  }
  const out: ClaimRef[] = [];
  for (const ref of refs) {
    const name = ref.name.slice(CLAIM_REF_PREFIX.length);
    const shown = await tryGit(cwd, ['cat-file', 'commit', ref.sha]);
    out.push({ sprint: name, sha: ref.sha, claim: shown.code === 0 ? parseClaim(shown.stdout, name) : null });
  }
  return out;
}

export type PushOutcome = 'done' | 'rejected';

/** Push `refspec` with a lease (`expected` null: the ref must not exist). */
async function pushLeased(cwd: string, remote: string, sprint: string, refspec: string, expected: string | null): Promise<PushOutcome> {
  const ref = `${CLAIM_REF_PREFIX}${sprint}`;
  const result = await tryGit(cwd, ['push', '--porcelain', '--no-verify', `--force-with-lease=${ref}:${expected ?? ''}`, '--', remote, refspec]);
  const line = result.stdout.split('\n').find((l) => l.includes(`:${ref}\t`) || l.endsWith(`:${ref}`));
  if (result.code === 0 && line && !line.startsWith('!')) return 'done';
  if (line?.startsWith('!')) return 'rejected';
  throw unreachable(remote, result);
}

/** Create (expected null) or replace (expected: the sha read) the sprint's claim ref. */
export async function pushClaimRef(cwd: string, remote: string, claim: ClaimRecord, expected: string | null): Promise<PushOutcome> {
  // The empty tree (written, so the commit can point at it), named by hashing nothing.
  const tree = await tryGit(cwd, ['hash-object', '-w', '-t', 'tree', '/dev/null']);
  if (tree.code !== 0) throw new ExternalError(`git hash-object failed: ${gitComplaint(tree)}.`);
  const message = JSON.stringify(claim);
  const commit = await tryGit(cwd, ['commit-tree', tree.stdout.trim(), '-m', message], { env: { ...process.env, ...IDENTITY_ENV } });
  if (commit.code !== 0) throw new ExternalError(`git commit-tree failed: ${gitComplaint(commit)}.`);
  return pushLeased(cwd, remote, claim.sprint, `${commit.stdout.trim()}:${CLAIM_REF_PREFIX}${claim.sprint}`, expected);
}

/** Delete the sprint's claim ref if it still points to `expected`. */
export async function deleteClaimRef(cwd: string, remote: string, sprint: string, expected: string): Promise<PushOutcome> {
  return pushLeased(cwd, remote, sprint, `:${CLAIM_REF_PREFIX}${sprint}`, expected);
}
