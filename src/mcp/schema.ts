/**
 * MCP input schemas derived from the flag declarations (commands/flags.ts; `cos post`'s come from
 * protocol/fields.ts): one input per flag marked `mcp`, named with `_` for `-`, typed by its kind,
 * refusing what the CLI refuses with the CLI's own sentence. Nothing here lists a field or a flag.
 */
import * as z from 'zod/mini';
import type { FlagSpec, Flags } from '../commands/flags.js';
import { KINDS, type InputShape } from '../protocol/kinds.js';
import { SLUG_MAX, SLUG_PATTERN, showValue, slugExample, slugProblem } from '../protocol/slug.js';

/** The MCP input name of a flag: `if-due` → `if_due`. */
export const inputName = (flag: string): string => flag.replace(/-/g, '_');

function slugMessage(kind: string, value: unknown): string {
  // A missing key reaches the schema as undefined: say so, as the CLI does ("--sprint is required").
  if (value === undefined) return `${kind} is required; for example "${slugExample(kind)}".`;
  return `Invalid ${kind} ${showValue(value)}: ${slugProblem(value) ?? 'it is not a slug'}; for example "${slugExample(kind)}".`;
}

/** A sprint/agent/role name: the pattern and length in the JSON schema, assertSlug's sentence on failure. */
export function slugInput(kind: string, description: string) {
  const error = (issue: { input?: unknown }) => slugMessage(kind, issue.input);
  return z.string({ error }).check(z.maxLength(SLUG_MAX, { error, abort: true }), z.regex(SLUG_PATTERN, { error }), z.describe(description));
}

function choice(kind: string, values: readonly string[], description: string) {
  return z
    .enum(values as [string, ...string[]], {
      error: (issue) => (issue.input === undefined ? `${kind} is required: use one of ${values.join(', ')}.` : `Invalid ${kind} ${showValue(issue.input)}: use one of ${values.join(', ')}.`),
    })
    .check(z.describe(description));
}

function shaped(name: string, flag: string, shape: InputShape, description: string): z.ZodMiniType {
  switch (shape.type) {
    case 'slug':
      return slugInput(name, description);
    case 'enum':
      return choice(name, shape.values, description);
    case 'integer': {
      const error = (issue: { input?: unknown }) => `Invalid --${flag} ${showValue(issue.input)}: give a whole number of at least ${shape.min}.`;
      const number = z.number({ error }).check(z.int({ error }), z.gte(shape.min, { error }));
      return (shape.max === undefined ? number : number.check(z.lte(shape.max, { error: (issue) => `Invalid --${flag} ${showValue(issue.input)}: give a whole number of at most ${shape.max}.` }))).check(z.describe(description));
    }
    case 'number': {
      const error = (issue: { input?: unknown }) => `Invalid --${flag} ${showValue(issue.input)}: give a non-negative number of US dollars.`;
      return z.number({ error }).check(z.gte(shape.min, { error }), z.describe(description));
    }
    case 'texts':
      return z.union([z.string(), z.array(z.string())]).check(z.describe(description));
    case 'boolean':
      return z.boolean().check(z.describe(description));
    case 'text':
      return z.string().check(z.describe(description));
  }
}

/** The zod schema of one flag as an MCP input. */
export function flagInput(flag: string, spec: FlagSpec): z.ZodMiniType {
  const description = spec.help.replace(/\s+/g, ' ');
  if (spec.type === 'boolean') return z.boolean().check(z.describe(description));
  if (spec.choices) return choice(`--${flag}`, spec.choices, description);
  const shape: InputShape = spec.kind ? KINDS[spec.kind].input : { type: 'text' };
  return shaped(inputName(flag), flag, shape, description);
}

/** The input object of a tool: every flag marked `mcp` (optional unless 'required'), plus `extra`. */
export function toolInput(flags: Flags, extra: Record<string, z.ZodMiniType> = {}): z.ZodMiniObject {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const [flag, spec] of Object.entries(flags)) {
    if (!spec.mcp) continue;
    const input = flagInput(flag, spec);
    shape[inputName(flag)] = spec.mcp === 'required' ? input : z.optional(input);
  }
  for (const [name, input] of Object.entries(extra)) shape[name] = input;
  return z.strictObject(shape);
}
