/**
 * Role definitions (`.agent/roles/<role>.md`): front matter (model tier, preflight requirements,
 * standing orders, escalation triggers) and prose used to brief a spawned agent. Pure.
 */
import { FIELDS } from './fields.js';
import { parseFrontmatter } from './frontmatter.js';
import { KINDS } from './kinds.js';
import { slugProblem } from './slug.js';

/** A role (`.agent/roles/<role>.md`): model, ttl, preflight requirements, standing orders and prose. */
export interface Role {
  name: string;
  title: string;
  /** Model tier, e.g. `opus`, `sonnet`, `haiku`. */
  model: string;
  ttl_minutes?: number;
  requires: { files: string[]; skills: string[] };
  standing_orders: string[];
  escalation_triggers: string[];
  /** The briefing prose (the body). */
  prose: string;
  /** Fields this version does not know, kept. */
  extra: Record<string, unknown>;
}

/** A role parsed from its file, or the reason it is not valid. */
export type RoleParseResult = { ok: true; role: Role } | { ok: false; reason: string };

const KNOWN = new Set(['role', 'title', 'model', 'ttl_minutes', 'requires', 'standing_orders', 'escalation_triggers']);

function stringList(value: unknown, name: string): string[] | string {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return `${name} must be a list of strings`;
  return value as string[];
}

/** Parse a role file's text (front matter and prose); a reason instead of throwing. */
export function parseRole(text: string, name: string): RoleParseResult {
  const nameProblem = slugProblem(name);
  if (nameProblem) return { ok: false, reason: `role name ${JSON.stringify(name)} is not valid: ${nameProblem}` };
  const parsed = parseFrontmatter(text, { what: 'a role file' });
  if (!parsed.ok) return parsed;
  const data = parsed.data;
  if (data.role !== undefined && data.role !== name) {
    return { ok: false, reason: `its role field ${JSON.stringify(data.role)} does not match the file name ${JSON.stringify(name)}` };
  }
  const requires = (data.requires ?? {}) as Record<string, unknown>;
  if (typeof requires !== 'object' || Array.isArray(requires)) return { ok: false, reason: 'requires must be a mapping with files and skills' };
  const files = stringList(requires.files, 'requires.files');
  const skills = stringList(requires.skills, 'requires.skills');
  const orders = stringList(data.standing_orders, 'standing_orders');
  const triggers = stringList(data.escalation_triggers, 'escalation_triggers');
  for (const list of [files, skills, orders, triggers]) if (typeof list === 'string') return { ok: false, reason: list };
  const ttl = data.ttl_minutes;
  // The rule of an entry's ttl_minutes (the field's kind): a dispatch writes the role's ttl into one.
  const ttlProblem = ttl === undefined ? undefined : KINDS[FIELDS.ttl_minutes.kind].read(ttl);
  if (ttlProblem !== undefined) return { ok: false, reason: `ttl_minutes ${ttlProblem}` };
  const extra: Record<string, unknown> = {};
  for (const key of Object.keys(data)) if (!KNOWN.has(key)) extra[key] = data[key];
  return {
    ok: true,
    role: {
      name,
      title: typeof data.title === 'string' ? data.title : name,
      model: typeof data.model === 'string' ? data.model : 'sonnet',
      ...(typeof ttl === 'number' ? { ttl_minutes: ttl } : {}),
      requires: { files: files as string[], skills: skills as string[] },
      standing_orders: orders as string[],
      escalation_triggers: triggers as string[],
      prose: parsed.body.trim(),
      extra,
    },
  };
}
