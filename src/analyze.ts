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
import { readStore, type StoreSnapshot } from './store/read.js';

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
}

/** Read the store and config once and derive sprints and findings at `now`: what status, scan and brief show. */
export function analyze(root: string, options: AnalyzeOptions = {}): Analysis {
  const now = options.now ?? new Date();
  const config = loadConfig(root);
  const snapshot = readStore(root);
  // Not a file of the status folders, but a set-up that hides some of them from git.
  const layout = gitignoreProblems(snapshot.root);
  if (layout.length > 0) snapshot.problems.push(...layout);
  const plan = options.plan ?? planInput(plannedSteps(loadPlans(root).plans));
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
  return { snapshot, config, sprints, findings, now };
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
  const analysis = analyze(root, options);
  return { findings: analysis.findings, entries: analysis.snapshot.entries.length, problems: analysis.snapshot.problems.length };
}
