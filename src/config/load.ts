/** Load `.agent/config/coordination.yaml`: defaults < file. Missing file → defaults. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { parseYaml } from '../protocol/frontmatter.js';
import { agentPaths } from '../store/paths.js';
import { readConfinedText } from '../trust/read.js';
import { repositoryRoots } from '../trust/roots.js';
import { problemsMessage } from './problems.js';
import { protocolProblem, resolveConfig, type CoordinationConfig } from './schema.js';
import { COS_VERSION } from '../version.js';

/** coordination.yaml as loaded: the config, its warnings and the file it came from. */
export interface LoadedConfig {
  config: CoordinationConfig;
  warnings: string[];
  /** The file it came from, relative to the root, or null when defaults were used. */
  file: string | null;
}

/** coordination.yaml resolved over the defaults, with warnings; an InputError naming every bad key. */
export function loadConfig(root: string): LoadedConfig {
  const paths = agentPaths(root);
  // Bounded, regular file only: a committed link to /dev/zero must not grow memory.
  const text = readConfinedText(paths.coordinationConfig, repositoryRoots(paths.root), paths.rel(paths.coordinationConfig));
  if (text === null) return { config: resolveConfig(undefined).config, warnings: [], file: null };
  const parsed = parseYaml(text);
  if (!parsed.ok) throw new InputError(`${paths.rel(paths.coordinationConfig)} is not valid YAML: ${parsed.reason}.`);
  const resolved = resolveConfig(parsed.value);
  // A newer protocol first: its other keys may be ones this version cannot judge.
  const raw = parsed.value as Record<string, unknown> | null;
  const protocol = raw !== null && typeof raw === 'object' && typeof raw.protocol === 'number' ? raw.protocol : 1;
  const newer = protocolProblem(protocol, paths.rel(paths.coordinationConfig), COS_VERSION);
  if (newer) throw new InputError(newer);
  if (resolved.errors.length > 0) throw new InputError(problemsMessage(paths.rel(paths.coordinationConfig), resolved.errors));
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
