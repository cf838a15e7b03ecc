/**
 * Read everything the chief of staff needs and derive sprints and findings: the one place that
 * joins the store (I/O) with the pure checks.
 */
import { runChecks, type Finding } from './checks/index.js';
import { loadConfig, type LoadedConfig } from './config/load.js';
import { deriveSprints, type SprintState } from './state/sprints.js';
import { readStore, type StoreSnapshot } from './store/read.js';

export interface Analysis {
  snapshot: StoreSnapshot;
  config: LoadedConfig;
  sprints: SprintState[];
  findings: Finding[];
  now: Date;
}

export interface AnalyzeOptions {
  now?: Date;
  /** Paths of entries already mirrored to Notion, or null when sync is off. */
  synced?: ReadonlySet<string> | null;
}

export function analyze(root: string, options: AnalyzeOptions = {}): Analysis {
  const now = options.now ?? new Date();
  const config = loadConfig(root);
  const snapshot = readStore(root);
  const sprints = deriveSprints(snapshot.entries, now);
  const findings = runChecks({
    entries: snapshot.entries,
    problems: snapshot.problems,
    sprints,
    now,
    config: config.config,
    currentCount: snapshot.currentCount,
    synced: options.synced ?? null,
  });
  return { snapshot, config, sprints, findings, now };
}
