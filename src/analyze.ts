/**
 * Read everything the chief of staff needs and derive sprints and findings: the one place that
 * joins the store (I/O) with the pure checks.
 */
import { runChecks, type Finding } from './checks/index.js';
import { loadConfig, type LoadedConfig } from './config/load.js';
import { listRoles } from './dispatch/role.js';
import { loadPlans } from './plans/files.js';
import { planInput, plannedSteps } from './plans/ready.js';
import { deriveSprints, type PlanInput, type SprintState } from './state/lifecycle.js';
import { gitignoreProblems } from './store/gitignore.js';
import { settledSprint } from './checks/settled.js';
import { readSettling, type ReadOptions, type SettleInput, type StoreSnapshot } from './store/read.js';

/** Everything one read of the store gives: the snapshot, config, sprint states and findings. */
export interface Analysis {
  snapshot: StoreSnapshot;
  config: LoadedConfig;
  sprints: SprintState[];
  findings: Finding[];
  now: Date;
}

/** Options of `analyze` and `scan`: the clock, the sprints synced to Notion, and the plans. */
export interface AnalyzeOptions {
  now?: Date;
  /** Paths of entries already mirrored to Notion, or null when sync is off. */
  synced?: ReadonlySet<string> | null;
  /**
   * Plan dependencies (WAITING / READY); see PlanInput in state/lifecycle.ts. Default: the steps of
   * the plans under .agent/plans/, so every reader sees the same states.
   */
  plan?: PlanInput;
  /** The read cache (store/read-cache.ts): false reads every file; options tune it (tests). Default: on, inside git. */
  cache?: ReadOptions['cache'];
}

/** Read the store and config once and derive sprints and findings at `now`: what status, scan and brief show. */
export function analyze(root: string, options: AnalyzeOptions = {}): Analysis {
  return analyzeSettling(root, options, false).analysis;
}

/**
 * analyze, leaving settled archive folders unread when `settle` is true (store/read.ts
 * readSettling): the findings and counts are the same, but the snapshot and the sprints then miss
 * those folders' entries, `settledEntries` of them.
 */
function analyzeSettling(root: string, options: AnalyzeOptions, settle: boolean): { analysis: Analysis; settledEntries: number } {
  const now = options.now ?? new Date();
  const config = loadConfig(root);
  const plan = options.plan ?? planInput(plannedSteps(loadPlans(root).plans));
  const settleInput: SettleInput | null = settle ? { now, maxAgeMs: config.config.archive.max_age_days * 86_400_000, planned: plannedSprints(plan), settledSprint } : null;
  const { snapshot, settledEntries } = readSettling(root, options.cache === undefined ? {} : { cache: options.cache }, settleInput);
  // Not a file of the status folders, but a set-up that hides some of them from git.
  const layout = gitignoreProblems(snapshot.root);
  if (layout.length > 0) snapshot.problems.push(...layout);
  const sprints = deriveSprints(snapshot.entries, now, { verification: config.config.verification, plan });
  const findings = runChecks({
    entries: snapshot.entries,
    problems: snapshot.problems,
    sprints,
    now,
    config: config.config,
    currentCount: snapshot.currentCount,
    synced: options.synced ?? null,
    roles: listRoles(root),
  });
  return { analysis: { snapshot, config, sprints, findings, now }, settledEntries };
}

/** Every sprint a plan input names: its steps and every dependency. */
function plannedSprints(plan: PlanInput): Set<string> {
  const planned = new Set(plan.sprints);
  for (const [sprint, dependencies] of plan.dependsOn) {
    planned.add(sprint);
    for (const dependency of dependencies) planned.add(dependency);
  }
  return planned;
}

/** What `scan` (`cos scan`) returns: the findings and the counts of entries and problems. */
export interface ScanResult {
  findings: Finding[];
  /** Entries read, current and archive. */
  entries: number;
  /** Files that did not parse or validate. */
  problems: number;
}

/**
 * `cos scan` as a library call: every finding, most severe first. Pass `synced` (from
 * `loadSynced(root)`) to get `unsynced` findings when Notion sync is configured.
 */
export function scan(root: string, options: AnalyzeOptions = {}): ScanResult {
  const { findings, entries, problems } = scanWithConfig(root, options);
  return { findings, entries, problems };
}

/**
 * scan, with the config it read (for its warnings): what `cos scan` runs. Settled archive
 * folders (checks/settled.ts) are left unread, so a large archive costs an lstat per file; the
 * result is the same as analyze's (test/scan-equivalence*).
 */
export function scanWithConfig(root: string, options: AnalyzeOptions = {}): ScanResult & { config: LoadedConfig } {
  const { analysis, settledEntries } = analyzeSettling(root, options, true);
  return { findings: analysis.findings, entries: analysis.snapshot.entries.length + settledEntries, problems: analysis.snapshot.problems.length, config: analysis.config };
}
