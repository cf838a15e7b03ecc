/**
 * A running chief of staff: wires the engine (state, diff, timers) to the file watcher, the
 * periodic reconcile, the lock, `--exec` and the Notion sync. The command only parses flags,
 * prints events and forwards signals.
 *
 * Start-up order matters: the file watches are set *before* the first full read, so a file landing in
 * between is seen by one or the other (or both — records are idempotent), never by neither.
 * The reconcile (every `watch.reconcile_seconds`) lists the folders, stats every file and
 * re-parses only those whose (inode, size, mtime) changed, so a missed event never hides a
 * problem for longer than that.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { appendLog as appendLocalLog } from '../store/local-files.js';
import { repositoryRoots } from '../trust/roots.js';
import type { Finding } from '../checks/index.js';
import { loadConfig } from '../config/load.js';
import type { CoordinationConfig } from '../config/schema.js';
import { InputError } from '../errors.js';
import { severityRank, type Severity } from '../protocol/fields.js';
import { loadSynced } from '../notion/synced.js';
import type { SyncSummary } from '../notion/sync.js';
import { gitignoreProblems } from '../store/gitignore.js';
import { agentPaths, type AgentPaths } from '../store/paths.js';
import { createEngine, type Engine, type EngineOptions, type Timers } from './engine.js';
import type { ErrorSource, WatchEvent } from './events.js';
import { createExecRunner, type ExecRunner } from './exec.js';
import { isIgnoredName, listEntryFiles, locate, readEntryFile, statSignature, type FileRecord } from './files.js';
import { looksLikeEntry } from '../protocol/filename.js';
import { worktreesOf } from '../store/read.js';
import { findRepository } from '../store/worktrees.js';
import { describeWatchError, startFileWatch as defaultStartFileWatch, type FileEventKind, type FileWatch, type StartFileWatch } from './fswatch.js';
import { acquireWatchLock, REFRESH_MS, type WatchLock } from './lock.js';
import { createNotionSyncer, type NotionSyncer } from './notion.js';
import { createSpawner } from './spawn.js';
import { approvalStore, readApprovals } from '../trust/approvals.js';
import { listRoutes, routeHash, unapproved, unapprovedSentence } from './routes.js';
import { loadPlans, plansDir } from '../plans/files.js';
import type { ReadyQueue } from '../plans/ready.js';
import type { SprintState } from '../state/lifecycle.js';
import { isoSeconds } from '../protocol/time.js';
import { listRoles } from '../dispatch/role.js';

/** Options of `startWatch` (`cos watch`): the root, clock, environment, event sink, exec, Notion and spawning. */
export interface WatchOptions {
  root: string;
  now: () => Date;
  env: NodeJS.ProcessEnv;
  /** Every event, in order (the command prints them). */
  emit: (event: WatchEvent) => void;
  /** Do not print the findings that are open at start (they still count as known). */
  quietStart?: boolean;
  exec?: { command: string; minSeverity: Severity };
  /** Sync to Notion when it is configured (default true). */
  notion?: boolean;
  /** The file watcher (./fswatch.ts by default). */
  startFileWatch?: StartFileWatch;
  /** The Notion sync module (`../notion/sync.js` by default). */
  notionModule?: () => Promise<NotionModule>;
  /** Poll interval once file watching has failed (ms). */
  pollMs?: number;
  /** `--spawn CMD --max-parallel N`: start an agent for each READY plan step (see spawn.ts). */
  spawn?: { command: string; maxParallel: number };
  timers?: Timers;
  /**
   * Only look (cos board): no watcher lock, no folders created, no Notion sync, no --exec. Any
   * number of read-only sessions run beside the one watcher.
   */
  readOnly?: boolean;
  /** After every evaluation of the engine: the derived state and the entries new since the last. */
  onEvaluated?: EngineOptions['onEvaluated'];
  /** Before the checks of an evaluation that has new entries: those entries (see EngineOptions). */
  onAdded?: EngineOptions['onAdded'];
}

/** The Notion functions `cos watch` calls (loaded only when Notion is configured). */
export interface NotionModule {
  isNotionConfigured(root: string): boolean;
  syncNotion(root: string, options: { now?: Date; signal?: AbortSignal; env?: NodeJS.ProcessEnv }): Promise<SyncSummary>;
}

/** A running watch (`startWatch`). */
export interface WatchSession {
  /** Resolves with the exit code once shut down. */
  done: Promise<number>;
  /** Shut down cleanly (idempotent). */
  stop(code?: number): Promise<number>;
  /** Emit a `summary` event of the state held in memory. */
  summarize(reason: 'signal' | 'shutdown' | 'once'): void;
  engine: Engine;
}

/** The visible names in a folder (none when it cannot be read). */
function listNames(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => !isIgnoredName(name));
  } catch {
    return [];
  }
}

const LOG_MAX_BYTES = 1024 * 1024;
const DIR_RECONCILE_MS = 100;
const CATCH_UP_MS = 50;
export const POLL_MS = 2_000;
const PLANS_POLL_MS = 1_000;

/** `.agent/state/watch.log`: one line per error; rotated to watch.log.1 past 1 MiB. */
export function appendLog(paths: AgentPaths, line: string): void {
  // Logging must never stop the watcher: appendLocalLog never throws (and stays in the repository).
  appendLocalLog(join(paths.state, 'watch.log'), `${line.replace(/\n/g, ' ')}\n`, repositoryRoots(paths.root), LOG_MAX_BYTES);
}

function requireAgentDir(paths: AgentPaths): void {
  if (!existsSync(paths.agent)) {
    throw new InputError(`No .agent/ directory in ${paths.root}; run cos init there first, or pass --dir <repository>.`);
  }
}

/** Create `dir` (and its parents) or say which path in the way is not a folder. */
function ensureFolder(paths: AgentPaths, dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw error;
    let blocking = dir;
    for (let at = dir; at.length >= paths.root.length; at = dirname(at)) {
      try {
        if (!statSync(at).isDirectory()) blocking = at;
      } catch {
        // Not there: not what is in the way.
      }
      if (dirname(at) === at) break;
    }
    throw new InputError(`${paths.rel(blocking)} is a file, not a folder, so cos watch cannot use ${paths.rel(dir)}/; move that file aside and start again.`, { cause: error });
  }
}

/** A worktree being watched: its own paths (where its files are) and its name. */
export interface Tree {
  name: string;
  here: boolean;
  paths: AgentPaths;
}

interface Core {
  paths: AgentPaths;
  /** Re-read `.agent/plans/` when a file there changed (cheap: one readdir and a stat each). */
  refreshPlans(): void;
  /** Set by the running watcher: called after each evaluation. */
  evaluated: ((state: { sprints: SprintState[]; queue: ReadyQueue; now: Date }) => void) | null;
  engine: Engine;
  config: CoordinationConfig;
  /** The worktrees of the repository as of the last reconcile (the one cos runs in first). */
  trees(): Tree[];
  /** Read the list of worktrees again (without reading their files). */
  refreshTrees(): boolean;
  /** Read one file of a tree into a record keyed by its path relative to the root. */
  record(tree: Tree, abs: string, location: 'current' | 'archive'): FileRecord | null;
  reconcile(): boolean;
  report(source: ErrorSource, message: string, finding?: Finding): void;
  exec: ExecRunner | null;
}

/** The worktrees to watch, the one cos runs in first. */
function readTrees(paths: AgentPaths): Tree[] {
  return worktreesOf(paths.root)
    .map((worktree) => ({ name: worktree.name, here: worktree.here, paths: worktree.here ? paths : agentPaths(worktree.root) }))
    .sort((a, b) => Number(b.here) - Number(a.here));
}

/** The parts shared by a running watcher and `--once`. */
function createCore(options: WatchOptions, onEntriesChanged: () => void): Core {
  const paths = agentPaths(options.root);
  requireAgentDir(paths);
  const loaded = loadConfig(paths.root);
  let config = loaded.config;
  let lastConfigError: string | null = null;
  const report = (source: ErrorSource, message: string, finding?: Finding) => {
    const at = options.now();
    // The log line first: whoever reads the event can find it in the log.
    if (!options.readOnly) appendLog(paths, `${isoSeconds(at)} ${source}: ${message}`);
    options.emit(finding ? { event: 'error', at, source, message, finding } : { event: 'error', at, source, message });
  };
  const exec = options.exec && !options.readOnly
    ? createExecRunner({
        command: options.exec.command,
        cwd: paths.root,
        env: options.env,
        timeoutMs: config.watch.exec_timeout_seconds * 1000,
        onFailure: (message, finding) => report('exec', message, finding),
      })
    : null;
  const minSeverity = options.exec ? severityRank(options.exec.minSeverity) : Infinity;
  let plansSignature = '';
  const readPlans = () => {
    plansSignature = plansStamp(paths);
    const stored = loadPlans(paths.root);
    for (const problem of stored.problems) report('plans', `${problem.file} is not a usable plan: ${problem.reason}`);
    return stored.plans;
  };
  const hooks: { evaluated: Core['evaluated'] } = { evaluated: null };
  // Every worktree of the repository (just the root outside git), re-read at each reconcile so
  // that worktrees added or removed while the watcher runs are noticed.
  let trees: Tree[] = [];
  let several = false;
  const hereName = () => (several ? trees.find((tree) => tree.here)?.name : undefined);
  // notify routes of coordination.yaml: one runner per command, made when first needed, run for
  // new and re-escalated findings of their severity, with the same environment as --exec — and
  // only when a person approved that exact route on this machine (routes.ts): the repository
  // chooses these commands. A read-only session (cos board) runs none.
  const approvals = options.readOnly ? null : approvalStore(paths.root, options.env);
  let approved = approvals ? readApprovals(approvals) : new Set<string>();
  const told = new Set<string>();
  const checkRoutes = () => {
    if (!approvals) return;
    const waiting = unapproved(listRoutes(config.notify), approved);
    if (waiting.every((route) => told.has(route.sha256))) return;
    for (const route of waiting) told.add(route.sha256);
    report('notify', unapprovedSentence(waiting));
  };
  const isApproved = (severity: Severity, command: string): boolean => {
    if (!approvals) return false;
    const hash = routeHash(severity, command);
    // Approved since the last look (cos notify allow while the watcher runs): read once more.
    if (!approved.has(hash)) approved = readApprovals(approvals);
    return approved.has(hash);
  };
  const routes = new Map<string, ExecRunner>();
  const route = (command: string): ExecRunner => {
    let runner = routes.get(command);
    if (!runner) {
      runner = createExecRunner({
        command,
        cwd: paths.root,
        env: options.env,
        timeoutMs: config.watch.exec_timeout_seconds * 1000,
        label: 'the notify route',
        onFailure: (message, finding) => report('exec', message, finding),
      });
      routes.set(command, runner);
    }
    return runner;
  };
  const engine = createEngine({
    plans: readPlans(),
    onEvaluated: (update) => {
      hooks.evaluated?.(update);
      options.onEvaluated?.(update);
    },
    ...(options.onAdded ? { onAdded: options.onAdded } : {}),
    config,
    now: options.now,
    here: hereName,
    timers: options.timers,
    synced: loadSynced(paths.root),
    roles: listRoles(paths.root),
    emit: (event) => {
      options.emit(event);
      const raised = (event.event === 'finding' && !event.initial) || event.event === 'reescalated';
      if (!raised) return;
      if (exec && severityRank(event.finding.severity) >= minSeverity) exec.run(event.finding, event.at);
      const notify = config.notify[event.finding.severity];
      if (notify && isApproved(event.finding.severity, notify)) route(notify).run(event.finding, event.at);
    },
  });

  checkRoutes();

  function reconcile(): boolean {
    refreshPlans();
    // Not a file of the status folders, but a set-up that hides some of them from git (as cos scan says).
    engine.setLayoutProblems(gitignoreProblems(paths.root));
    try {
      const next = loadConfig(paths.root).config;
      config = next;
      engine.setConfig(next);
      lastConfigError = null;
      if (approvals) approved = readApprovals(approvals);
      checkRoutes();
    } catch (error) {
      const message = `${(error as Error).message} Keeping the previous settings.`;
      if (message !== lastConfigError) report('config', message);
      lastConfigError = message;
    }
    try {
      engine.setSynced(loadSynced(paths.root));
    } catch (error) {
      report('notion', `cannot read the Notion sync ledger: ${(error as Error).message}`);
    }
    let changed = refreshTrees();
    const seen = new Set<string>();
    for (const tree of trees) {
      for (const file of listEntryFiles(tree.paths)) {
        const rel = paths.rel(file.abs);
        seen.add(rel);
        const signature = statSignature(file.abs);
        if (signature !== null && signature === engine.signature(rel)) continue;
        const next = record(tree, file.abs, file.location);
        if (next) changed = engine.put(next) || changed;
        else changed = engine.remove(rel) || changed;
      }
    }
    for (const rel of engine.paths()) if (!seen.has(rel)) changed = engine.remove(rel) || changed;
    if (changed) onEntriesChanged();
    return changed;
  }

  function refreshPlans(): void {
    if (plansStamp(paths) === plansSignature) return;
    try {
      engine.setPlans(readPlans());
    } catch (error) {
      report('plans', `reading .agent/plans/ failed: ${(error as Error).message}`);
    }
  }

  /** Read the list of worktrees again; true when records had to be dropped to be read again. */
  function refreshTrees(): boolean {
    let changed = false;
    const wasSeveral = several;
    trees = readTrees(paths);
    several = trees.length > 1;
    if (several !== wasSeveral) {
      // Entries name their worktree only when there are several: every record is read again.
      for (const rel of engine.paths()) changed = engine.remove(rel) || changed;
    }
    return changed;
  }

  function record(tree: Tree, abs: string, location: 'current' | 'archive'): FileRecord | null {
    const read = readEntryFile(paths, abs, location);
    if (read === null) return null;
    if (!tree.here) read.foreign = true;
    if (read.entry && several) read.entry.worktree = tree.name;
    return read;
  }

  return {
    paths,
    refreshPlans,
    get evaluated() {
      return hooks.evaluated;
    },
    set evaluated(fn) {
      hooks.evaluated = fn;
    },
    engine,
    get config() {
      return config;
    },
    trees: () => trees,
    refreshTrees,
    record,
    reconcile,
    report,
    // --exec and the notify routes, drained and stopped together.
    exec: {
      run: (finding, at) => exec?.run(finding, at),
      drain: async () => {
        await Promise.all([exec?.drain(), ...[...routes.values()].map((runner) => runner.drain())]);
      },
      stop: async (graceMs) => {
        await Promise.all([exec?.stop(graceMs), ...[...routes.values()].map((runner) => runner.stop(graceMs))]);
      },
    },
  };
}

/** What the plan files look like now (names, sizes, mtimes): a change means re-read them. */
function plansStamp(paths: AgentPaths): string {
  const dir = plansDir(paths.root);
  try {
    return readdirSync(dir)
      .sort()
      .map((name) => {
        try {
          const stat = statSync(join(dir, name));
          return `${name}:${stat.size}:${stat.mtimeMs}:${stat.ino}`;
        } catch {
          return name;
        }
      })
      .join('|');
  } catch {
    return '';
  }
}

/**
 * One full read into a closed engine, evaluated once without events (cos board --out): the same
 * state a running session holds, without watching.
 */
export function readOnce(options: Pick<WatchOptions, 'root' | 'now' | 'env' | 'emit'>): Engine {
  const core = createCore({ ...options, readOnly: true }, () => {});
  core.reconcile();
  core.engine.evaluate({ announce: false });
  core.engine.close();
  return core.engine;
}

/** `cos watch --once`: one full read, every finding, exec for those that qualify, a summary. */
export async function watchOnce(options: WatchOptions): Promise<number> {
  const core = createCore(options, () => {});
  core.reconcile();
  core.engine.evaluate();
  core.engine.close();
  await core.exec?.drain();
  // Whatever the commands left running in the background goes with the watcher.
  await core.exec?.stop(800);
  options.emit({ event: 'summary', at: options.now(), reason: 'once', polling: false, summary: { ...core.engine.summary(), reconciles: 1 } });
  return 0;
}

/** Start the chief-of-staff process on a repository; returns a session with `close()`. */
export async function startWatch(options: WatchOptions): Promise<WatchSession> {
  let notion: NotionSyncer | null = null;
  const core = createCore(options, () => notion?.notify());
  const { paths, engine, report } = core;
  const readOnly = options.readOnly === true;
  let lock: WatchLock | null = null;
  if (!readOnly) {
    // Before the lock: a start that cannot work must not leave a lock behind.
    ensureFolder(paths, paths.current);
    ensureFolder(paths, paths.state);
    const acquired = await acquireWatchLock(paths, options.now);
    lock = acquired.lock;
    if (acquired.replaced) appendLog(paths, `${isoSeconds(options.now())} lock: ${acquired.replaced}`);
  }

  const fileWatches = new Map<string, FileWatch>();
  let repoWatch: FileWatch | null = null;
  let polling = false;
  let pollTimer: NodeJS.Timeout | null = null;
  let dirTimer: NodeJS.Timeout | null = null;
  let stopping: Promise<number> | null = null;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));

  const spawner = options.spawn && !readOnly
    ? createSpawner({
        root: paths.root,
        command: options.spawn.command,
        maxParallel: options.spawn.maxParallel,
        env: options.env,
        now: options.now,
        config: () => core.config,
        onSpawned: (record) =>
          options.emit({ event: 'spawned', at: options.now(), sprint: record.sprint, role: record.role, agent: record.agent, pid: record.pid, entry: record.entry, log: record.log }),
        onError: (message) => report('spawn', message),
      })
    : null;
  if (spawner) core.evaluated = (state) => spawner.consider(state);

  let reconciles = 0;
  const reconcile = () => {
    reconciles++;
    try {
      core.reconcile();
    } catch (error) {
      report('watcher', `reading the status folders failed: ${(error as Error).message}`);
    }
  };

  const maybeStartNotion = async () => {
    if (notion || options.notion === false || readOnly || stopping) return;
    const sync = await (options.notionModule ?? (() => import('../notion/sync.js')))();
    if (!sync.isNotionConfigured(paths.root) || notion || stopping) return;
    notion = createNotionSyncer({
      debounceMs: core.config.watch.notion_debounce_seconds * 1000,
      timers: options.timers,
      sync: (signal) => sync.syncNotion(paths.root, { now: options.now(), signal, env: options.env }),
      onSynced: (s) => {
        options.emit({ event: 'synced', at: options.now(), created: s.created, updated: s.updated, unchanged: s.unchanged, failed: s.failed });
        // What is mirrored now is no longer "unsynced".
        try {
          engine.setSynced(loadSynced(paths.root));
        } catch {
          // Read again at the next reconcile.
        }
      },
      onError: (message, retryInMs) => report('notion', `${message}; retrying in ${Math.round(retryInMs / 1000)} s`),
    });
    // Catch up with whatever changed while no watcher was running.
    notion.notify();
  };

  const startPolling = () => {
    if (polling) return;
    polling = true;
    for (const watch of [...fileWatches.values(), repoWatch]) void watch?.close().catch(() => {});
    fileWatches.clear();
    repoWatch = null;
    pollTimer = setInterval(reconcile, Math.min(options.pollMs ?? POLL_MS, core.config.watch.reconcile_seconds * 1000));
  };

  const onEvent = (tree: Tree, kind: FileEventKind, abs: string) => {
    if (stopping) return;
    if (kind === 'addDir' || kind === 'unlinkDir') {
      // A folder appeared or went (current/ recreated, an archive/<sprint>/ made): read it all.
      scheduleReconcile();
      return;
    }
    const location = locate(tree.paths, abs);
    if (!location) return;
    const rel = paths.rel(abs);
    let changed: boolean;
    if (kind === 'unlink') changed = engine.remove(rel);
    else {
      const record = core.record(tree, abs, location);
      changed = record ? engine.put(record) : engine.remove(rel);
    }
    if (kind === 'add' && location === 'current' && !catchUpTimers.has(tree.paths.current)) {
      catchUpTimers.set(tree.paths.current, setTimeout(() => catchUp(tree), CATCH_UP_MS));
    }
    if (changed) notion?.notify();
  };

  /**
   * Shortly after an `add` in current/ (once per CATCH_UP_MS however many arrive), take in every
   * entry file there that is not held yet: an `add` whose event never came (the kernel drops
   * events when its queue overflows in a burst) is caught then rather than at the next reconcile.
   * It runs after the evaluation the `add` started, so it never delays an event; it lists names
   * only (no stat) with one relative path for the folder, so it stays cheap with thousands.
   */
  const catchUpTimers = new Map<string, NodeJS.Timeout>();
  const catchUp = (tree: Tree) => {
    catchUpTimers.delete(tree.paths.current);
    if (stopping) return;
    let changed = false;
    const prefix = `${paths.rel(tree.paths.current)}/`;
    for (const name of listNames(tree.paths.current)) {
      if (engine.signature(prefix + name) !== undefined || !looksLikeEntry(name)) continue;
      const abs = join(tree.paths.current, name);
      const record = core.record(tree, abs, 'current');
      if (record) changed = engine.put(record) || changed;
    }
    if (changed) notion?.notify();
  };

  const scheduleReconcile = () => {
    if (dirTimer === null) {
      dirTimer = setTimeout(() => {
        dirTimer = null;
        reconcile();
        void syncWatches();
      }, DIR_RECONCILE_MS);
    }
  };

  const onWatchError = (error: NodeJS.ErrnoException) => {
    const { message, exhausted } = describeWatchError(error);
    report('watcher', message);
    if (exhausted) startPolling();
  };

  /**
   * One file watch per worktree's `status/` folder (a worktree whose folder is not there yet is
   * picked up by a later reconcile), plus one on `<common>/worktrees/`, where git registers a
   * worktree as it is added or removed: any change there re-reads the list of worktrees.
   */
  const startOne = async (dir: string, handler: (kind: FileEventKind, path: string) => void, extra: { depth?: number; only?: string } = {}) => {
    try {
      const watch = await (options.startFileWatch ?? defaultStartFileWatch)({ dir, onEvent: handler, onError: onWatchError, ...extra });
      // An error before `ready` may already have switched to polling: then this watcher goes too.
      if (polling || stopping) {
        void watch.close().catch(() => {});
        return null;
      }
      return watch;
    } catch (error) {
      onWatchError(error as NodeJS.ErrnoException);
      startPolling();
      return null;
    }
  };

  let syncing: Promise<void> | null = null;
  const syncWatches = (): Promise<void> => {
    if (syncing) return syncing.then(() => syncWatches());
    syncing = (async () => {
      if (polling || stopping) return;
      const wanted = new Map(core.trees().map((tree) => [tree.paths.status, tree]));
      for (const [dir, watch] of fileWatches) {
        if (!wanted.has(dir)) {
          fileWatches.delete(dir);
          void watch.close().catch(() => {});
        }
      }
      for (const [dir, tree] of wanted) {
        if (fileWatches.has(dir) || !existsSync(dir)) continue;
        const watch = await startOne(dir, (kind, path) => onEvent(tree, kind, path));
        if (watch) fileWatches.set(dir, watch);
      }
      if (repoWatch === null && commonDir !== null && !polling && !stopping) {
        // A worktree registered or dropped (its folder, its gitdir file), or checked out (its first
        // index): not the index rewritten by every `git add` in some worktree.
        const registration = (kind: FileEventKind, path: string) => kind !== 'change' || basename(path) === 'gitdir';
        repoWatch = await startOne(commonDir, (kind, path) => registration(kind, path) && scheduleReconcile(), { depth: 2, only: join(commonDir, 'worktrees') });
      }
    })().finally(() => {
      syncing = null;
    });
    return syncing;
  };

  // The watches are ready before the first full read (below): a file landing in between is seen
  // by one or the other. Listing the worktrees reads no entry, so nothing is evaluated early.
  const commonDir = findRepository(paths.root)?.commonDir ?? null;
  core.refreshTrees();
  await syncWatches();

  // Read again after the watches are ready: a file landing in between is seen by one or the other.
  reconcile();
  engine.evaluate({ announce: !options.quietStart, initial: true });
  await maybeStartNotion().catch((error: unknown) => report('notion', `cannot start the Notion sync: ${(error as Error).message}`));

  const reconcileTimer = setInterval(() => {
    reconcile();
    void syncWatches();
    void maybeStartNotion().catch(() => {});
  }, core.config.watch.reconcile_seconds * 1000);
  // Plans change rarely and outside status/: a cheap look every second.
  const plansTimer = setInterval(() => core.refreshPlans(), PLANS_POLL_MS);
  const held = lock;
  const lockTimer = held
    ? setInterval(() => {
        if (!held.refresh()) {
          report('lock', `the watcher lock ${paths.rel(held.file)} was removed or taken over by another process; stopping so that only one chief of staff runs`);
          void stop(3);
        }
      }, REFRESH_MS)
    : null;

  options.emit({ event: 'watching', at: options.now(), root: paths.root, pid: process.pid, polling, summary: { ...engine.summary(), reconciles } });

  const summarize = (reason: 'signal' | 'shutdown' | 'once') =>
    options.emit({ event: 'summary', at: options.now(), reason, polling, summary: { ...engine.summary(), reconciles } });

  function stop(code = 0): Promise<number> {
    if (stopping) return stopping;
    stopping = (async () => {
      clearInterval(reconcileTimer);
      clearInterval(plansTimer);
      if (lockTimer) clearInterval(lockTimer);
      if (pollTimer) clearInterval(pollTimer);
      if (dirTimer) clearTimeout(dirTimer);
      for (const timer of catchUpTimers.values()) clearTimeout(timer);
      catchUpTimers.clear();
      engine.close();
      const watches = [...fileWatches.values(), ...(repoWatch ? [repoWatch] : [])];
      fileWatches.clear();
      repoWatch = null;
      const closing = watches.length > 0 ? Promise.all(watches.map((watch) => watch.close().catch(() => {}))) : undefined;
      await Promise.all([
        closing && Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]),
        core.exec?.stop(800),
        // Spawns under way finish their claim and ledger record; the agents themselves run on.
        spawner?.drain(),
        (notion as NotionSyncer | null)?.stop(800),
      ]);
      summarize('shutdown');
      held?.release();
      resolveDone(code);
      return code;
    })();
    return stopping;
  }

  return { done, stop, summarize, engine };
}

export type { WatchLock };
