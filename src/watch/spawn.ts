/**
 * `cos watch --spawn CMD [--max-parallel N]`: the watcher runs the team. For each READY plan step,
 * while fewer than N plan sprints are held by agents it spawned, it
 *   1. wins the dispatch claim itself (claimSprint: the DISPATCHED entry, under the sprint's lock,
 *      so a sprint someone else dispatched meanwhile is refused, not doubled),
 *   2. records the spawn in the ledger (one JSON line per sprint, appended under a lock),
 *   3. starts CMD through the shell, detached in its own process group, with COS_SPRINT, COS_ROLE,
 *      COS_AGENT, COS_PLAN, COS_BRIEFING (a file holding the briefing prompt) and COS_DIR set;
 *      its output goes to a log file; the watcher never waits for it, so it outlives the watcher.
 * A sprint in the ledger is never spawned again, by this watcher or a later one (the ledger is
 * read at start); a crash between the claim and the spawn leaves a DISPATCHED entry that goes
 * stale — a sprint is started at most once, never twice.
 *
 * The ledger lives where every worktree of the repository sees it (the git common dir's cos
 * folder), or in `.agent/state/` outside git.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync } from 'node:fs';
import { appendConfined, openAppend, writeFileAtomic } from '../store/local-files.js';
import { confine, type Roots } from '../trust/confine.js';
import { readBounded } from '../trust/read.js';
import { repositoryRoots } from '../trust/roots.js';
import { join } from 'node:path';
import type { CoordinationConfig } from '../config/schema.js';
import type { ReadyItem, ReadyQueue } from '../plans/ready.js';
import { SLUG_MAX } from '../protocol/slug.js';
import type { SprintState } from '../state/lifecycle.js';
import { withLock } from '../store/lock.js';
import { agentPaths } from '../store/paths.js';
import { ledgerDir } from './ledger-dir.js';

/** One agent process `cos watch` spawned, as its ledger records it. */
export interface SpawnRecord {
  sprint: string;
  role: string;
  agent: string;
  plan: string;
  /** The DISPATCHED entry the watcher wrote (repository-relative). */
  entry: string;
  pid: number;
  at: string;
  log: string;
}

/** The spawn ledger in the shared folder of the git common dir. */
export function ledgerFile(root: string): string {
  return join(ledgerDir(root), 'spawned.jsonl');
}

/**
 * Every sprint of the ledger, its latest record (a spawn is recorded before the start and again
 * with the pid); a torn line is skipped.
 */
export function readLedger(root: string): SpawnRecord[] {
  // Bounded, a regular file only (trust/read.ts): a committed ledger that links elsewhere is no ledger.
  const read = readBounded(ledgerFile(root), 64 * 1024 * 1024);
  if (!read.ok) return [];
  const text = read.bytes.toString('utf8');
  const records: SpawnRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const record = JSON.parse(line) as SpawnRecord;
      if (record && typeof record.sprint === 'string') records.push(record);
    } catch {
      // A line cut short by a crash: its sprint's DISPATCHED entry still prevents a second claim.
    }
  }
  const latest = new Map<string, SpawnRecord>();
  for (const record of records) latest.set(record.sprint, record);
  return [...latest.values()];
}

/** The agent name of a spawned step: `<role>-<sprint>`, cut to a slug's length. */
export function spawnAgent(role: string, sprint: string): string {
  return `${role}-${sprint}`.slice(0, SLUG_MAX).replace(/[._-]+$/, '');
}

/**
 * Plan sprints held by agents this ledger spawned: the lifecycle counts the spawned agent among
 * the sprint's holders (its latest entry DISPATCHED, IN_PROGRESS or BLOCKED and not superseded;
 * stale or not), or the watcher's DISPATCHED entry is not among the sprints read yet (it was just
 * written). An agent superseded by a forced dispatch holds nothing, so its slot is free. Pure.
 */
export function heldBySpawned(records: readonly SpawnRecord[], sprints: readonly SprintState[]): string[] {
  const byName = new Map(sprints.map((sprint) => [sprint.sprint, sprint]));
  const held: string[] = [];
  for (const record of records) {
    const sprint = byName.get(record.sprint);
    const seen = sprint?.agents.some((agent) => agent.agent === record.agent) ?? false;
    if (!seen || sprint!.holders.some((holder) => holder.agent === record.agent)) held.push(record.sprint);
  }
  return held;
}

/** Which READY sprints to start now: not in the ledger, up to the free slots, in queue order. Pure. */
export function toSpawn(queue: ReadyQueue, records: readonly SpawnRecord[], sprints: readonly SprintState[], maxParallel: number): ReadyItem[] {
  const spawned = new Set(records.map((record) => record.sprint));
  const free = maxParallel - heldBySpawned(records, sprints).length;
  if (free <= 0) return [];
  return queue.ready.filter((item) => !spawned.has(item.sprint)).slice(0, free);
}

export interface SpawnerOptions {
  root: string;
  command: string;
  maxParallel: number;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  config: () => CoordinationConfig;
  onSpawned: (record: SpawnRecord) => void;
  onError: (message: string) => void;
}

export interface Spawner {
  /** Look at the queue after an evaluation; starts what may start (serialised, never re-entrant). */
  consider(state: { sprints: SprintState[]; queue: ReadyQueue }): void;
  /** Wait for the spawns under way. */
  drain(): Promise<void>;
}

export function createSpawner(options: SpawnerOptions): Spawner {
  let running: Promise<void> | null = null;
  let pending: { sprints: SprintState[]; queue: ReadyQueue } | null = null;
  // Sprints whose claim failed: not retried by this watcher (a person or another dispatcher has it).
  const refused = new Set<string>();

  async function round(state: { sprints: SprintState[]; queue: ReadyQueue }): Promise<void> {
    const records = readLedger(options.root);
    const queue = { ...state.queue, ready: state.queue.ready.filter((item) => !refused.has(item.sprint)) };
    for (const item of toSpawn(queue, records, state.sprints, options.maxParallel)) {
      try {
        options.onSpawned(await spawnOne(item));
      } catch (error) {
        refused.add(item.sprint);
        options.onError(`${item.sprint} was not spawned: ${(error as Error).message}`);
      }
    }
  }

  async function spawnOne(item: ReadyItem): Promise<SpawnRecord> {
    const { loadRole } = await import('../dispatch/role.js');
    const { claimSprint } = await import('../dispatch/claim.js');
    const { buildPrompt } = await import('../dispatch/prompt.js');
    const paths = agentPaths(options.root);
    const role = loadRole(options.root, item.role);
    const agent = spawnAgent(item.role, item.sprint);
    const dir = ledgerDir(options.root);
    const roots = repositoryRoots(options.root);
    confine(dir, roots, dir);
    mkdirSync(dir, { recursive: true });
    return withLock(join(dir, 'spawn'), async () => {
      // Under the ledger's lock: a sprint recorded by anyone is never claimed again.
      if (readLedger(options.root).some((record) => record.sprint === item.sprint)) throw new Error('it is in the spawn ledger already');
      const claim = await claimSprint(options.root, options.config(), { role, sprint: item.sprint, agent, now: options.now() });
      const prompt = buildPrompt({ role, entry: claim.entry, history: claim.before?.entries ?? [], superseded: [], claims: [] });
      const spawnDir = join(paths.state, 'spawn');
      const briefing = join(spawnDir, `${item.sprint}.briefing.md`);
      writeFileAtomic(briefing, prompt, roots);
      const log = join(spawnDir, `${item.sprint}.log`);
      const record: SpawnRecord = { sprint: item.sprint, role: item.role, agent, plan: item.plan, entry: claim.entry.path, pid: 0, at: options.now().toISOString(), log: paths.rel(log) };
      // Recorded before the start: a crash right here leaves the sprint DISPATCHED (it goes stale
      // and a person redispatches), never started twice.
      appendConfined(ledgerFile(options.root), `${JSON.stringify(record)}\n`, roots);
      record.pid = start(item, agent, briefing, log, roots);
      appendConfined(ledgerFile(options.root), `${JSON.stringify(record)}\n`, roots);
      return record;
    });
  }

  function start(item: ReadyItem, agent: string, briefing: string, log: string, roots: Roots): number {
    const out = openAppend(log, roots);
    try {
      const child = spawn(options.command, {
        shell: true,
        cwd: options.root,
        detached: true,
        stdio: ['ignore', out, out],
        env: {
          ...options.env,
          COS_SPRINT: item.sprint,
          COS_ROLE: item.role,
          COS_AGENT: agent,
          COS_PLAN: item.plan,
          COS_BRIEFING: briefing,
          COS_DIR: options.root,
        },
      });
      child.on('error', (error) => options.onError(`${item.sprint}: the command failed to start: ${error.message}`));
      child.unref();
      return child.pid ?? 0;
    } finally {
      closeSync(out);
    }
  }

  return {
    consider(state) {
      if (running) {
        pending = state;
        return;
      }
      running = (async () => {
        let next: typeof pending = state;
        while (next) {
          pending = null;
          await round(next).catch((error: unknown) => options.onError((error as Error).message));
          next = pending;
        }
        running = null;
      })();
    },
    async drain() {
      while (running) await running;
    },
  };
}
