/**
 * The watcher's engine: an in-memory store of entry files keyed by path, the findings derived
 * from it through the checks registry, and the diff between successive finding sets. No file
 * system, no file watching: records come in through `put`/`remove`, the clock and the timers are
 * injected, events go out through `emit`.
 *
 * - A finding's identity is (kind, sprint, files) — see findingIdentity for conflicts and the
 *   per-sprint kinds: a finding whose identity appears is `finding`, one that disappears is
 *   `resolved`; a changed message or file list alone (a stale agent's age) is neither.
 * - Changes are settled for `settleMs` (5 ms) before the checks run. Events that arrive while the
 *   checks run queue up and are taken together by the next evaluation, so a burst of a thousand
 *   files costs a few dozen evaluations, while a single escalation is printed at once.
 * - Staleness needs no file event: after each evaluation a timer is set for the earliest
 *   `heartbeat + ttl` still ahead among the open agents.
 */
import { basename } from 'node:path';
import { runChecks, type Finding } from '../checks/index.js';
import type { CoordinationConfig } from '../config/schema.js';
import type { Entry } from '../protocol/fields.js';
import { parseEntryFileName } from '../protocol/filename.js';
import { compareEntries, preferCopy } from '../protocol/order.js';
import { splitSeqOutliers } from '../protocol/seq-gap.js';
import { applyPlan, compareSprints, deriveSprint, groupBySprint, type SprintState } from '../state/lifecycle.js';
import { oneCopyPerName, type Problem } from '../store/read.js';
import type { StoreSummary, WatchEvent } from './events.js';
import { planInput, plannedSteps, readyQueue, type ReadyQueue } from '../plans/ready.js';
import type { Plan } from '../plans/schema.js';
import { createReescalator } from './reescalate.js';
import type { FileRecord } from './files.js';

/** The timers the watch engine uses (real ones by default; tests give their own). */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** setTimeout's limit (about 24.8 days); a later deadline is re-armed when the timer fires. */
const MAX_DELAY_MS = 2_147_483_647;

export interface EngineOptions {
  config: CoordinationConfig;
  now: () => Date;
  emit: (event: WatchEvent) => void;
  timers?: Timers;
  /** Paths already mirrored to Notion, or null when sync is off. */
  synced?: ReadonlySet<string> | null;
  /** How long changes settle before the checks run (ms). */
  settleMs?: number;
  /** The plans under `.agent/plans/` (their steps become `ready` events as they become READY). */
  plans?: readonly Plan[];
  /** Called after every evaluation, after its events: the spawner's ready queue, the board's feed. */
  onEvaluated?: (update: EngineUpdate) => void;
  /**
   * Called at the start of an evaluation that has new entries, before the checks run, with the
   * same entries its EngineUpdate will carry in `added` (the board streams them without waiting
   * for the checks over the whole store).
   */
  onAdded?: (added: Entry[], now: Date) => void;
  /**
   * The name of the worktree cos runs in, when the repository has several: the same file name
   * held in several worktrees is then one entry (store/read.ts oneCopyPerName).
   */
  here?: () => string | undefined;
  /** The roles that exist, for runnable advice in findings (as cos scan has them). */
  roles?: readonly string[];
}

/** What one evaluation saw: the derived state, the ready queue, and the entries no earlier evaluation had. */
export interface EngineUpdate {
  now: Date;
  /**
   * Entries whose file name no earlier evaluation held, in protocol order; empty for the first
   * evaluation and for one that does not announce. A heartbeat or an archive move is not new.
   */
  added: Entry[];
  sprints: SprintState[];
  findings: Finding[];
  queue: ReadyQueue;
  /** The configuration this evaluation used. */
  config: CoordinationConfig;
}

/** Options of the watch engine's evaluation: whether to announce differences, and mark them initial. */
export interface EvaluateOptions {
  /** Emit events for the differences (default true); false only records the findings as known. */
  announce?: boolean;
  /** Mark new findings as `initial` (present when the watcher started). */
  initial?: boolean;
}

/** The watch's in-memory store and evaluator: file records in, findings and events out. */
export interface Engine {
  /** The stored signature of a file, if it is held. */
  signature(rel: string): string | undefined;
  /** Store (or replace) a file's record; true when something changed. Schedules an evaluation. */
  put(record: FileRecord): boolean;
  /** Forget a file; true when it was held. Schedules an evaluation. */
  remove(rel: string): boolean;
  /** Paths held. */
  paths(): string[];
  setConfig(config: CoordinationConfig): void;
  setSynced(synced: ReadonlySet<string> | null): void;
  /** Replace the plans (re-read when `.agent/plans/` changed); schedules an evaluation. */
  setPlans(plans: readonly Plan[]): void;
  /**
   * Replace the problems of the set-up rather than of a file in the status folders (the old
   * `state/` line of `.agent/.gitignore`, store/gitignore.ts): `malformed` findings as in cos scan,
   * counted among the problems. Schedules an evaluation when they changed.
   */
  setLayoutProblems(problems: readonly Problem[]): void;
  /** The ready queue as of the last evaluation. */
  queue(): ReadyQueue;
  /** Run the checks now and emit the differences. */
  evaluate(options?: EvaluateOptions): Finding[];
  /** Run the checks after the settle delay (coalescing calls). */
  schedule(): void;
  findings(): Finding[];
  /** The sprints as the last evaluation derived them, most recently updated first. */
  sprints(): SprintState[];
  /** Valid entries held, in protocol order. */
  entries(): Entry[];
  summary(): StoreSummary;
  /** When the stale timer will next fire (ms since epoch), or null. */
  nextDeadline(): number | null;
  close(): void;
}

/** Kinds with at most one finding per sprint whose files grow as the problem does. */
const PER_SPRINT: ReadonlySet<Finding['kind']> = new Set(['repeated-failure', 'over-budget', 'unsynced']);

/**
 * What makes a finding "the same" from one evaluation to the next: kind, sprint and files, except
 * - a conflict is its set of agents (from the file names): a holder posting progress in a new
 *   entry leaves it as it is, a third agent joining makes a new one;
 * - a repeated failure, an over-budget sprint and unsynced completions are one per sprint: a
 *   further failure, cost or completion makes it worse, it does not resolve it.
 * Otherwise every progress post would print a false `resolved` and page --exec again.
 */
export function findingIdentity(finding: Finding): string {
  const head = [finding.kind, finding.sprint ?? ''];
  if (PER_SPRINT.has(finding.kind) && finding.sprint !== null) return head.join('\u0000');
  if (finding.kind === 'conflict') {
    const agents = finding.files.map((file) => parseEntryFileName(basename(file))?.agent ?? file);
    return [...head, ...[...new Set(agents)].sort()].join('\u0000');
  }
  return [...head, ...[...finding.files].sort()].join('\u0000');
}

export function createEngine(options: EngineOptions): Engine {
  const timers = options.timers ?? realTimers;
  const settleMs = options.settleMs ?? 5;
  let config = options.config;
  let synced = options.synced ?? null;
  const records = new Map<string, FileRecord>();
  let known = new Map<string, Finding>();
  let settleTimer: unknown = null;
  // A wake-up at the earliest expiry of a holder (isStale is strict, expiry < now: just after it),
  // and one when the next unacknowledged finding falls due again (reescalate.ts).
  const staleWake = wakeUp(1);
  const repeatWake = wakeUp(0);
  const reescalator = createReescalator();
  let closed = false;
  let steps = plannedSteps(options.plans ?? []);
  let queue: ReadyQueue = { ready: [], waiting: [] };
  // The READY sprints already announced: a sprint is announced again only after it left the set.
  let announcedReady = new Set<string>();

  // Valid entries kept in protocol order by binary insertion (a full sort of 10,000 costs more
  // than the checks); each evaluation that follows a change gets a fresh copy, since rules may
  // cache by array identity.
  const ordered: Entry[] = [];
  let snapshot: Entry[] | null = null;
  /** Entries numbered far past every lower one: problems, not entries (protocol/seq-gap.ts), as in readStore. */
  let outliers: Problem[] = [];
  /** Problems of the set-up, not of a file on record (setLayoutProblems). */
  let layout: Problem[] = [];
  // File names already reported as `added` (identity is the file name, wherever it lives), and
  // the entries put since the last evaluation.
  const seen = new Set<string>();
  let pending: Entry[] = [];
  let evaluated = false;
  let lastSprints: SprintState[] = [];

  function position(entry: Entry): number {
    let lo = 0;
    let hi = ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareEntries(ordered[mid]!, entry) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  function insert(entry: Entry): void {
    ordered.splice(position(entry), 0, entry);
  }

  // Identity is the file name: while cos archive moves an entry, both copies can be on record
  // (the `add` in archive/ arrives before the held `unlink` in current/); only one counts.
  const names = new Map<string, Set<string>>();
  const counted = new Map<string, Entry>();

  function recount(name: string): void {
    let best: Entry | null = null;
    for (const rel of names.get(name) ?? []) {
      const entry = records.get(rel)?.entry;
      if (entry && (best === null || preferCopy(entry, best))) best = entry;
    }
    const old = counted.get(name) ?? null;
    if (old === best) return;
    if (old) discard(old);
    if (best) {
      insert(best);
      counted.set(name, best);
    } else counted.delete(name);
  }

  function nameOf(rel: string): string {
    return rel.slice(rel.lastIndexOf('/') + 1);
  }

  function track(rel: string, present: boolean): void {
    const name = nameOf(rel);
    let set = names.get(name);
    if (present) {
      if (!set) names.set(name, (set = new Set()));
      set.add(rel);
    } else if (set) {
      set.delete(rel);
      if (set.size === 0) names.delete(name);
    }
    recount(name);
  }

  function discard(entry: Entry): void {
    let i = position(entry);
    while (i < ordered.length && ordered[i] !== entry) i++;
    if (i < ordered.length) ordered.splice(i, 1);
    else ordered.splice(ordered.indexOf(entry), 1);
  }

  function invalidate(): void {
    snapshot = null;
    schedule();
  }

  function entries(): Entry[] {
    if (!snapshot) {
      const here = options.here?.();
      const all = here === undefined ? ordered.slice() : oneCopyPerName(ordered.slice(), here);
      // Every entry-named file on record counts, malformed ones too: the numbers the writer numbers after.
      const named: number[] = [];
      for (const rel of records.keys()) {
        const parsed = parseEntryFileName(nameOf(rel));
        if (parsed) named.push(parsed.seq);
      }
      const split = splitSeqOutliers(all, named);
      outliers = split.outliers;
      snapshot = split.kept;
    }
    return snapshot;
  }

  function problems(): Problem[] {
    entries();
    const out: Problem[] = [...outliers, ...layout];
    for (const record of records.values()) if (record.problem) out.push(record.problem);
    return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }

  function currentCount(): number {
    let n = 0;
    for (const record of records.values()) if (record.location === 'current' && !record.link && !record.foreign) n++;
    return n;
  }

  /**
   * deriveSprints, re-deriving only the sprints whose entries changed (or that have a holder,
   * whose staleness depends on `now`); the others keep their derived state. Same result, in the
   * same order, as deriveSprints(all, now, { verification, plan }) with the plans' steps.
   */
  let sprintCache = new Map<string, SprintState>();
  // `finished` depends on the configuration's verification: a change of it derives every sprint anew.
  let cacheVerification = config.verification;
  function deriveIncrementally(all: Entry[], now: Date): SprintState[] {
    const next = new Map<string, SprintState>();
    const out: SprintState[] = [];
    for (const [sprint, list] of groupBySprint(all)) {
      const cached = cacheVerification === config.verification ? sprintCache.get(sprint) : undefined;
      const reuse =
        cached !== undefined &&
        cached.entries.length === list.length &&
        cached.entries.every((entry, i) => entry === list[i]) &&
        cached.holders.length === 0;
      const state = reuse ? cached : deriveSprint(sprint, list, now, { verification: config.verification });
      next.set(sprint, state);
      out.push(state);
    }
    sprintCache = next;
    cacheVerification = config.verification;
    // Plan steps nobody took up are READY or WAITING, as in cos status: the lifecycle's rule.
    return (steps.size > 0 ? applyPlan(out, planInput(steps)) : out).sort(compareSprints);
  }

  function schedule(): void {
    if (closed || settleTimer !== null) return;
    settleTimer = timers.set(() => {
      settleTimer = null;
      evaluate();
    }, settleMs);
  }

  /**
   * One timer that runs evaluate() at a time (ms since epoch) plus `lateMs`; each arm() replaces
   * the previous one. A time past setTimeout's limit is re-armed when the timer fires.
   */
  function wakeUp(lateMs: number): { arm(at: number | null, now: number): void; clear(): void; at(): number | null } {
    let timer: unknown = null;
    let at: number | null = null;
    const clear = () => {
      if (timer !== null) timers.clear(timer);
      timer = null;
    };
    return {
      arm(next, now) {
        clear();
        at = next;
        if (closed || next === null) return;
        timer = timers.set(() => {
          timer = null;
          evaluate();
        }, Math.min(MAX_DELAY_MS, Math.max(0, next - now + lateMs)));
      },
      clear,
      at: () => at,
    };
  }

  function evaluate({ announce = true, initial = false }: EvaluateOptions = {}): Finding[] {
    if (settleTimer !== null) {
      timers.clear(settleTimer);
      settleTimer = null;
    }
    const now = options.now();
    let added: Entry[] = [];
    if (options.onEvaluated) {
      // The latest version of each new file that is still held (a file may change or go before this).
      const fresh = new Map<string, Entry>();
      for (const entry of pending) if (!seen.has(entry.file) && records.get(entry.path)?.entry === entry) fresh.set(entry.file, entry);
      pending = [];
      if (announce && evaluated && !initial) added = [...fresh.values()].sort(compareEntries);
      for (const file of fresh.keys()) seen.add(file);
      if (added.length > 0) options.onAdded?.(added, now);
    }
    const all = entries();
    const sprints = deriveIncrementally(all, now);
    const findings = runChecks({
      entries: all,
      problems: problems(),
      sprints,
      now,
      config,
      currentCount: currentCount(),
      synced,
      roles: options.roles ?? [],
    });
    const next = new Map<string, Finding>();
    for (const finding of findings) next.set(findingIdentity(finding), finding);
    if (announce) {
      for (const [id, finding] of known) if (!next.has(id)) options.emit({ event: 'resolved', at: now, finding });
      for (const [id, finding] of next) {
        if (!known.has(id)) options.emit(initial ? { event: 'finding', at: now, finding, initial: true } : { event: 'finding', at: now, finding });
      }
    }
    known = next;
    queue = readyQueue(steps, sprints);
    const ready = new Set(queue.ready.map((item) => item.sprint));
    if (announce) {
      for (const item of queue.ready) {
        if (announcedReady.has(item.sprint)) continue;
        const event = { event: 'ready' as const, at: now, sprint: item.sprint, role: item.role, plan: item.plan, title: item.title };
        options.emit(initial ? { ...event, initial: true as const } : event);
      }
    }
    announcedReady = ready;
    lastSprints = sprints;
    options.onEvaluated?.({ now, added, sprints, findings, queue, config });
    evaluated = true;
    const repeat = reescalator.update(next, all, now.getTime(), config.escalation.repeat_minutes);
    if (announce) for (const finding of repeat.due) options.emit({ event: 'reescalated', at: now, finding });
    repeatWake.arm(repeat.next, now.getTime());
    let earliest: number | null = null;
    const nowMs = now.getTime();
    for (const sprint of sprints) {
      for (const agent of sprint.holders) {
        if (agent.stale) continue;
        if (Number.isFinite(agent.expiresAt) && agent.expiresAt >= nowMs && (earliest === null || agent.expiresAt < earliest)) earliest = agent.expiresAt;
      }
    }
    staleWake.arm(earliest, nowMs);
    return findings;
  }

  return {
    signature: (rel) => records.get(rel)?.signature,
    put(record) {
      const old = records.get(record.rel);
      if (old && old.signature === record.signature && old.location === record.location) return false;
      records.set(record.rel, record);
      track(record.rel, true);
      if (record.entry && options.onEvaluated && !seen.has(record.entry.file)) pending.push(record.entry);
      invalidate();
      return true;
    },
    remove(rel) {
      const old = records.get(rel);
      if (!old) return false;
      records.delete(rel);
      track(rel, false);
      invalidate();
      return true;
    },
    paths: () => [...records.keys()],
    setConfig(next) {
      config = next;
      schedule();
    },
    setSynced(next) {
      synced = next;
      schedule();
    },
    setPlans(next) {
      steps = plannedSteps(next);
      schedule();
    },
    setLayoutProblems(next) {
      if (JSON.stringify(next) === JSON.stringify(layout)) return;
      layout = [...next];
      schedule();
    },
    queue: () => queue,
    evaluate,
    schedule,
    findings: () => [...known.values()],
    sprints: () => lastSprints,
    entries: () => entries(),
    summary() {
      let current = 0;
      let archive = 0;
      let problemCount = 0;
      let valid = 0;
      let maxSeq = 0;
      for (const record of records.values()) {
        if (record.link) {
          // Not an entry file; still a problem.
        } else if (record.location === 'current') current++;
        else archive++;
        if (record.problem) problemCount++;
        if (record.entry) {
          valid++;
          if (record.entry.seq > maxSeq) maxSeq = record.entry.seq;
        }
      }
      const kept = entries();
      if (outliers.length > 0) maxSeq = kept.reduce((max, entry) => Math.max(max, entry.seq), 0);
      return { entries: valid - outliers.length, current, archive, problems: problemCount + outliers.length + layout.length, maxSeq, findings: known.size };
    },
    nextDeadline: () => staleWake.at(),
    close() {
      closed = true;
      if (settleTimer !== null) timers.clear(settleTimer);
      settleTimer = null;
      staleWake.clear();
      repeatWake.clear();
    },
  };
}
