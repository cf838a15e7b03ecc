/**
 * The guard's settings from coordination.yaml, cached as JSON in `.agent/state/guard-settings.json`
 * keyed by the config file's identity (inode, size, mtime): the pre-tool-use hook runs before
 * every tool call, and loading the YAML parser costs more than the rest of the hook. A changed
 * config file (raising the budget, say) changes its key, and the next call reloads it.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { agentPaths } from '../store/paths.js';
import { writeFileAtomic } from '../store/local-files.js';
import { readBoundedText } from '../trust/read.js';
import { repositoryRoots } from '../trust/roots.js';

export interface GuardSettings {
  deny: string[];
  protected_branches: string[];
  approval_minutes: number;
  /** budget_usd_per_sprint, or null when none is configured (then no budget work at all). */
  budget: number | null;
  /** Why coordination.yaml could not be read: the default rules apply meanwhile (never cached). */
  problem?: string;
}

interface Cached extends GuardSettings {
  key: string;
}

function configKey(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
  } catch {
    return 'none';
  }
}

export async function guardSettings(root: string): Promise<GuardSettings> {
  const paths = agentPaths(root);
  const cacheFile = join(paths.state, 'guard-settings.json');
  const key = configKey(paths.coordinationConfig);
  try {
    // Bounded, regular file only: a cache committed as a link to /dev/zero must not hang the hook.
    const read = readBoundedText(cacheFile);
    const cached = (read.ok ? JSON.parse(read.text) : null) as Cached | null;
    if (cached && cached.key === key && Array.isArray(cached.deny) && Array.isArray(cached.protected_branches)) return cached;
  } catch {
    // no cache yet, or a broken one: load the config
  }
  const { loadConfig } = await import('../config/load.js');
  let config: import('../config/schema.js').CoordinationConfig;
  try {
    config = loadConfig(root).config;
  } catch (error) {
    // A broken coordination.yaml (a merge conflict, a typo) must not take the seat belt off: the
    // default rules apply until it is fixed, without a budget (its figure is unknown).
    const { DEFAULT_CONFIG } = await import('../config/schema.js');
    return {
      deny: [...DEFAULT_CONFIG.guard.deny],
      protected_branches: [...DEFAULT_CONFIG.guard.protected_branches],
      approval_minutes: DEFAULT_CONFIG.guard.approval_minutes,
      budget: null,
      problem: error instanceof Error ? error.message : String(error),
    };
  }
  const settings: GuardSettings = {
    deny: config.guard.deny,
    protected_branches: config.guard.protected_branches,
    approval_minutes: config.guard.approval_minutes,
    budget: config.budget_usd_per_sprint ?? null,
  };
  try {
    writeFileAtomic(cacheFile, `${JSON.stringify({ key, ...settings })}\n`, repositoryRoots(root));
  } catch {
    // a cache that cannot be written only costs speed
  }
  return settings;
}
