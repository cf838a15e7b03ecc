/** Load `.agent/config/coordination.yaml`: defaults < file. Missing file → defaults. */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fsProblem, InputError } from '../errors.js';
import { parseYaml } from '../protocol/frontmatter.js';
import { agentPaths } from '../store/paths.js';
import { resolveConfig, type CoordinationConfig } from './schema.js';

export interface LoadedConfig {
  config: CoordinationConfig;
  warnings: string[];
  /** The file it came from, relative to the root, or null when defaults were used. */
  file: string | null;
}

/** coordination.yaml resolved over the defaults, with warnings; an InputError naming every bad key. */
export function loadConfig(root: string): LoadedConfig {
  const paths = agentPaths(root);
  let text: string;
  try {
    text = readFileSync(paths.coordinationConfig, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { config: resolveConfig(undefined).config, warnings: [], file: null };
    throw new InputError(`Cannot read ${paths.rel(paths.coordinationConfig)}: ${fsProblem(error)}.`, { cause: error });
  }
  const parsed = parseYaml(text);
  if (!parsed.ok) throw new InputError(`${paths.rel(paths.coordinationConfig)} is not valid YAML: ${parsed.reason}.`);
  const resolved = resolveConfig(parsed.value);
  if (resolved.errors.length > 0) {
    throw new InputError(`${paths.rel(paths.coordinationConfig)}: ${resolved.errors.join('; ')}.`);
  }
  return {
    config: resolved.config,
    warnings: resolved.warnings.map((w) => `${paths.rel(paths.coordinationConfig)}: ${w}`),
    file: paths.rel(paths.coordinationConfig),
  };
}

/** `~/x` → the home directory's x. */
export function expandHome(path: string, home = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return path;
}
