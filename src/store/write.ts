/**
 * Exclusive, atomic creation of numbered entries.
 *
 * Invariants (PRODUCT.md, "Writing is atomic and exclusive"):
 * - A reader never sees a partial entry under its final name: the complete text is written and
 *   fsynced to a hidden temp file in the same directory, then `link()`ed to the final name, which
 *   is atomic and fails with EEXIST rather than overwrite.
 * - No two writers get the same sequence number: `link()` only excludes the same *name*, and
 *   names differ by agent and time, so the number itself is claimed first with an exclusive create
 *   of `.claims/<seq>` (O_EXCL). A writer killed after claiming leaves a gap, never a duplicate.
 * - A writer killed at any instant leaves a complete entry or none; a stray temp file is hidden
 *   (dot-name), ignored by readers and removed by `cos cleanup`.
 */
import { closeSync, existsSync, linkSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, makeDirectory } from '../errors.js';
import { FIELDS, KEY_ORDER, type Entry, type EntryFields, type FieldInputs, type FieldSpec } from '../protocol/fields.js';
import { KINDS } from '../protocol/kinds.js';
import { defaultBody, parseEntry, serializeEntry } from '../protocol/entry.js';
import { entryFileName, MAX_SEQ, parseEntryFileName } from '../protocol/filename.js';
import { showValue } from '../protocol/slug.js';
import { isoSeconds } from '../protocol/time.js';
import { pickReviewTarget } from '../state/review.js';
import { fsyncDir, tempName, writeTemp } from './local-files.js';
import { agentPaths, type AgentPaths } from './paths.js';
import { MAX_ENTRY_BYTES, readStore, scanSeqs, worktreesOf } from './read.js';
import { reachableMaxSeq } from '../protocol/seq-gap.js';
import { AGENT_GITIGNORE } from '../templates/config.js';
import { checkLayout } from '../trust/layout.js';

/** What `postEntry` writes: the declared fields (protocol/fields.ts) plus the body and extras. */
export type PostInput = FieldInputs & {
  /** Extra front matter fields, kept as they are. */
  extra?: Record<string, unknown>;
  /** Free markdown appended to the default body. */
  message?: string;
  /** The whole body, verbatim (instead of the default body). */
  body?: string;
  /** Defaults to the current time. */
  now?: Date;
};

/** Options of `postEntry`: the default ttl (the config's) and a sequence number already claimed. */
export interface PostOptions {
  /** Default ttl when the input has none (coordination.yaml `ttl_minutes`). */
  defaultTtl?: number;
  /**
   * A sequence number this writer already claimed with claimSeq (a dispatch through a remote
   * names its entry in the remote claim before writing it). The entry must then get exactly it.
   */
  seq?: number;
}

/** Prune claims this far below the newest one, once they are old enough that no writer still races for them. */
const CLAIM_KEEP = 256;
const CLAIM_PRUNE_AGE_MS = 10 * 60_000;

/** `now` as given (a valid Date), else the current time. */
export function validNow(now: Date | undefined): Date {
  if (now === undefined) return new Date();
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new InputError(`Invalid now ${showValue(now)}: give a valid Date.`);
  return now;
}

/** Extra fields must be plain data that YAML writes and reads back as the same value. */
function checkExtra(extra: Record<string, unknown>): void {
  if (extra === null || typeof extra !== 'object' || Array.isArray(extra)) throw new InputError('Invalid extra fields: give an object of field names to values.');
  const seen = new Set<unknown>();
  const plain = (value: unknown): boolean => {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
    if (typeof value === 'number') return Number.isFinite(value);
    if (typeof value !== 'object' || seen.has(value)) return false;
    const proto = Object.getPrototypeOf(value);
    if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return false;
    seen.add(value);
    const ok = Object.values(value as Record<string, unknown>).every(plain);
    seen.delete(value);
    return ok;
  };
  for (const [key, value] of Object.entries(extra)) {
    if (key === '') throw new InputError('Invalid extra field name "": it is empty.');
    if ((KEY_ORDER as string[]).includes(key)) throw new InputError(`Invalid extra field ${showValue(key)}: it is a field of the protocol; give it as its own input.`);
    if (value !== undefined && !plain(value)) {
      throw new InputError(`Invalid extra field ${showValue(key)}: its value must be text, a finite number, true/false, null, or a list or mapping of those.`);
    }
  }
}

/**
 * Validate everything before any file is touched; returns the entry's fields. Each declared field
 * is checked by its kind's write rule (protocol/kinds.ts); the rules between fields live here.
 */
export function buildFields(input: PostInput, options: PostOptions = {}): EntryFields {
  const record = input as Record<string, unknown>;
  const now = isoSeconds(validNow(input.now));
  const fields: Record<string, unknown> = {};
  for (const name of KEY_ORDER) {
    const spec: FieldSpec = FIELDS[name];
    if (spec.kind === 'time') {
      fields[name] = now;
      continue;
    }
    let value = record[name];
    if (value === undefined) value = name === 'ttl_minutes' ? (options.defaultTtl ?? spec.default) : spec.default;
    const kind = KINDS[spec.kind];
    if (value === undefined && !spec.inputRequired) continue;
    const written = kind.write(value, spec.flag ?? name);
    if (!(kind.emptyIsAbsent && written === '')) fields[name] = written;
  }
  if (fields.verifies !== undefined && fields.status !== 'VERIFIED' && fields.status !== 'FAILED') {
    throw new InputError(`--verifies goes with --status VERIFIED (a verification) or FAILED (a rejection), not ${String(fields.status)}.`);
  }
  // A rejection counts as a failed attempt, compared with the others by its signature: it says what failed.
  if (fields.status === 'FAILED' && fields.verifies !== undefined && fields.error === undefined) {
    throw new InputError(`A rejection (--status FAILED --verifies ${String(fields.verifies)}) needs --error SIG saying what failed, e.g. --error "results.spec fails": it counts as a failed attempt, compared with the others by that signature.`);
  }
  if (input.extra !== undefined) checkExtra(input.extra);
  fields.extra = { ...(input.extra ?? {}) };
  return fields as EntryFields;
}

/** The numbers of the claim files (claims past MAX_SEQ are ignored). */
function claimNumbers(claims: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync(claims)) {
    const n = /^\d{1,15}$/.test(name) ? Number(name) : 0;
    if (n > 0 && n <= MAX_SEQ) out.push(n);
  }
  return out;
}

function exhausted(): never {
  throw new InputError(`No sequence number is left: an entry or claim in .agent/status already uses ${MAX_SEQ}, the largest cos writes; move the file with that number aside (it did not come from cos).`);
}

/** Whether an entry in current/ of any worktree already carries `seq`. */
function currentHasSeq(paths: AgentPaths, seq: number): boolean {
  for (const worktree of worktreesOf(paths.root)) {
    let names: string[];
    try {
      names = readdirSync(agentPaths(worktree.root).current);
    } catch {
      continue;
    }
    for (const name of names) {
      const parsed = parseEntryFileName(name);
      if (parsed && parsed.seq === seq) return true;
    }
  }
  return false;
}

/**
 * Claim the next free sequence number exclusively. The claim space is shared by every worktree of
 * the repository (it lives in the git common dir), and the highest number in use is taken over all
 * of their entries, so two worktrees never write the same `seq`.
 */
export function claimSeq(paths: AgentPaths): number {
  const claims = paths.claims;
  makeDirectory(claims, paths.rel(claims));
  // After the highest number reachable without a jump past MAX_SEQ_GAP: a committed
  // 999999999999-… is no reason to run out of numbers (protocol/seq-gap.ts).
  let seq = reachableMaxSeq([...scanSeqs(paths.root), ...claimNumbers(claims)]) + 1;
  // Bounded: every retry steps past an existing claim file, and nothing goes past MAX_SEQ.
  for (;;) {
    if (seq > MAX_SEQ) exhausted();
    try {
      closeSync(openSync(join(claims, String(seq)), 'wx'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        seq++;
        continue;
      }
      throw error;
    }
    // A claim pruned under a very slow writer could be re-taken: make sure no entry holds it.
    if (!currentHasSeq(paths, seq)) return seq;
    seq++;
  }
}

function pruneClaims(claims: string, below: number, now: number): void {
  try {
    for (const name of readdirSync(claims)) {
      if (!/^\d+$/.test(name) || Number(name) >= below) continue;
      const path = join(claims, name);
      if (now - statSync(path).mtimeMs > CLAIM_PRUNE_AGE_MS) unlinkSync(path);
    }
  } catch {
    // Pruning is housekeeping; another writer may be pruning the same files.
  }
}

/**
 * A review (VERIFIED, or FAILED --verifies) is checked when it is written (state/review.ts): it
 * names a COMPLETE of the same sprint by another agent, or — a VERIFIED without --verifies — the
 * sprint's latest unverified COMPLETE by another agent is picked and recorded. Anything else is an
 * InputError and nothing is written.
 */
function checkVerification(paths: AgentPaths, fields: EntryFields): void {
  if (fields.status !== 'VERIFIED' && !(fields.status === 'FAILED' && fields.verifies !== undefined)) return;
  const { entries } = readStore(paths.root);
  const target = pickReviewTarget(entries, { sprint: fields.sprint, agent: fields.agent, status: fields.status, ...(fields.verifies !== undefined ? { verifies: fields.verifies } : {}) });
  fields.verifies = target.file;
}

/** Claims, temp files and locks are local: a first post without `cos init` still keeps them out of git. */
function ensureGitignore(paths: AgentPaths): void {
  try {
    writeFileSync(join(paths.agent, '.gitignore'), AGENT_GITIGNORE, { flag: 'wx' });
  } catch {
    // Already there (never overwritten), or not writable: the entry matters more.
  }
}

/** cos never writes an entry that it would itself report as malformed (size limits included). */
function checkReadable(content: string, fields: EntryFields): void {
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > MAX_ENTRY_BYTES) throw new InputError(`Invalid body: the entry would be ${bytes} bytes long (at most ${MAX_ENTRY_BYTES}); link to large logs instead.`);
  const file = entryFileName(1, fields.timestamp, fields.agent);
  const parsed = parseEntry(content, { file, path: file, location: 'current' });
  if (!parsed.ok) throw new InputError(`This entry could not be read back (${parsed.reason}); shorten or simplify its fields.`);
}

/** File systems without hard links (some network and FUSE mounts, FAT). */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/**
 * Make the complete temp file appear under its final name: `link()` (atomic, never overwrites),
 * then drop the temp name. False when the final name exists already. Where the file system has
 * no hard links, a rename of the temp file is used instead: still atomic, and the exclusive claim
 * of the sequence number (which is part of the name) keeps the name to this writer.
 */
function publish(temp: string, finalPath: string): boolean {
  try {
    linkSync(temp, finalPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (NO_LINKS.has(code) && !existsSync(finalPath)) {
      renameSync(temp, finalPath);
      return true;
    }
    removeQuietly(temp);
    if (code === 'EEXIST') return false;
    throw error;
  }
  // The entry is in place; a temp name left behind (say, by a kill right here) is only cruft.
  removeQuietly(temp);
  return true;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // gone already, or cos cleanup will find it
  }
}

/** Write one entry: validated, numbered, atomic, exclusive. Returns the entry as written. */
export function postEntry(root: string, input: PostInput, options: PostOptions = {}): Entry {
  const paths = agentPaths(root);
  checkLayout(paths.root);
  const fields = buildFields(input, options);
  checkVerification(paths, fields);
  const body = input.body ?? defaultBody(fields, input.message);
  if (typeof body !== 'string') throw new InputError('Invalid body: it must be text.');
  const content = serializeEntry(fields, body);
  checkReadable(content, fields);
  makeDirectory(paths.current, paths.rel(paths.current));
  ensureGitignore(paths);
  for (;;) {
    const seq = options.seq ?? claimSeq(paths);
    const file = entryFileName(seq, fields.timestamp, fields.agent);
    const finalPath = join(paths.current, file);
    const temp = join(paths.current, tempName(file));
    writeTemp(temp, content);
    if (!publish(temp, finalPath)) {
      if (options.seq !== undefined) throw new InputError(`${paths.rel(finalPath)} exists already; sequence number ${seq} was claimed twice.`);
      continue;
    }
    fsyncDir(paths.current);
    if (seq > CLAIM_KEEP && seq % 64 === 0) pruneClaims(paths.claims, seq - CLAIM_KEEP, Date.now());
    return { ...fields, file, path: paths.rel(finalPath), seq, location: 'current', body };
  }
}
