/**
 * coordination.yaml: defaults, then a list of small rules that turn the raw document into a
 * complete config plus warnings (unknown keys) and errors (bad values). Pure.
 */
import { SEVERITIES, type Severity } from '../protocol/fields.js';

export interface CoordinationConfig {
  version: 1;
  ttl_minutes: number;
  archive: { max_current: number; max_age_days: number };
  /** `remote`: claim sprints through this git remote (`cos dispatch --remote`) by default. */
  dispatch: { attempt_cap: number; remote?: string };
  /** The local agent directory that roles and skills sync to (`~` expanded by the caller). */
  local_root: string;
  scan: { fail_on: Severity | 'never' };
  budget_usd_per_sprint?: number;
  watch: { reconcile_seconds: number; exec_timeout_seconds: number; notion_debounce_seconds: number };
  heartbeat: { min_interval_seconds: number };
}

/** coordination.yaml when the file is absent or leaves a key out. */
export const DEFAULT_CONFIG: CoordinationConfig = {
  version: 1,
  ttl_minutes: 30,
  archive: { max_current: 50, max_age_days: 7 },
  dispatch: { attempt_cap: 3 },
  local_root: '~/.claude',
  scan: { fail_on: 'URGENT' },
  watch: { reconcile_seconds: 60, exec_timeout_seconds: 10, notion_debounce_seconds: 5 },
  heartbeat: { min_interval_seconds: 60 },
};

export interface ResolvedConfig {
  config: CoordinationConfig;
  warnings: string[];
  errors: string[];
}

type Shape = { [key: string]: 'positive-int' | 'positive-number' | 'string' | 'severity-or-never' | 'version' | Shape };

const SHAPE: Shape = {
  version: 'version',
  ttl_minutes: 'positive-int',
  archive: { max_current: 'positive-int', max_age_days: 'positive-number' },
  dispatch: { attempt_cap: 'positive-int', remote: 'string' },
  local_root: 'string',
  scan: { fail_on: 'severity-or-never' },
  budget_usd_per_sprint: 'positive-number',
  watch: { reconcile_seconds: 'positive-number', exec_timeout_seconds: 'positive-number', notion_debounce_seconds: 'positive-number' },
  heartbeat: { min_interval_seconds: 'positive-number' },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkValue(kind: Exclude<Shape[string], Shape>, value: unknown): string | null {
  switch (kind) {
    case 'version':
      return value === 1 ? null : 'must be 1';
    case 'positive-int':
      return typeof value === 'number' && Number.isInteger(value) && value > 0 ? null : 'must be a positive whole number';
    case 'positive-number':
      return typeof value === 'number' && Number.isFinite(value) && value > 0 ? null : 'must be a positive number';
    case 'string':
      return typeof value === 'string' && value.length > 0 ? null : 'must be a non-empty string';
    case 'severity-or-never':
      return value === 'never' || SEVERITIES.includes(value as Severity) ? null : `must be one of ${SEVERITIES.join(', ')}, never`;
  }
}

/** Walk the raw document against the shape, copying good values over the defaults. */
function apply(shape: Shape, raw: Record<string, unknown>, target: Record<string, unknown>, prefix: string, out: ResolvedConfig): void {
  for (const [key, value] of Object.entries(raw)) {
    const name = prefix + key;
    const kind = shape[key];
    if (kind === undefined) {
      out.warnings.push(`unknown key "${name}" is ignored`);
      continue;
    }
    if (value === null || value === undefined) continue;
    if (typeof kind === 'object') {
      if (!isRecord(value)) {
        out.errors.push(`"${name}" must be a mapping`);
        continue;
      }
      const child = (isRecord(target[key]) ? { ...(target[key] as Record<string, unknown>) } : {}) as Record<string, unknown>;
      apply(kind, value, child, `${name}.`, out);
      target[key] = child;
      continue;
    }
    const problem = checkValue(kind, value);
    if (problem) out.errors.push(`"${name}" is ${JSON.stringify(value)} but ${problem}`);
    else target[key] = value;
  }
}

/** A raw coordination.yaml value resolved over the defaults: the config, warnings and every error. Pure. */
export function resolveConfig(raw: unknown): ResolvedConfig {
  const out: ResolvedConfig = { config: structuredClone(DEFAULT_CONFIG), warnings: [], errors: [] };
  if (raw === null || raw === undefined) return out;
  if (!isRecord(raw)) {
    out.errors.push('the file must be a mapping of keys (e.g. "ttl_minutes: 30")');
    return out;
  }
  apply(SHAPE, raw, out.config as unknown as Record<string, unknown>, '', out);
  return out;
}
