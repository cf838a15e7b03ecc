/**
 * Sprint state → Notion page properties. Pure: no I/O, no client.
 *
 * Each field has a default property name and type. The values are derived from the entries only
 * (never from the clock), so the same entries always give the same hash and an unchanged sprint
 * costs no request.
 */
import { createHash } from 'node:crypto';
import { SEVERITIES, type Severity } from '../protocol/fields.js';
import type { SprintState } from '../state/lifecycle.js';
import { SPRINT_STATES } from '../state/table.js';

/** The Notion property types the sync writes. */
export type PropertyType = 'title' | 'rich_text' | 'select' | 'multi_select' | 'status' | 'date' | 'number';

export interface FieldSpec {
  field: string;
  /** Default Notion property name. */
  name: string;
  /** The type `cos notion setup` creates. */
  type: PropertyType;
  /** Types an existing property may have and still take the value. */
  accepts: readonly PropertyType[];
  /** Options a select (or status) property must offer. */
  options?: readonly string[];
  colors?: Readonly<Record<string, string>>;
  describe: string;
}

const TEXTUAL: readonly PropertyType[] = ['select', 'status', 'rich_text'];

export const FIELDS = [
  { field: 'sprint', name: 'Name', type: 'title', accepts: ['title'], describe: 'the sprint slug: the key each page is found by' },
  {
    field: 'state',
    name: 'Status',
    type: 'select',
    accepts: TEXTUAL,
    // NOTED (a sprint of remarks only) is not required: a select property gains it when a page
    // first uses it; a status property (whose options the API cannot add) lacks it until someone
    // adds it by hand, and only such a sprint's page fails to sync meanwhile, never the others.
    options: SPRINT_STATES.filter((state) => state !== 'NOTED'),
    colors: { WAITING: 'default', READY: 'brown', DISPATCHED: 'gray', IN_PROGRESS: 'blue', STALE: 'pink', BLOCKED: 'orange', FAILED: 'red', COMPLETE: 'green', VERIFIED: 'purple', NOTED: 'default' },
    describe: "the sprint's state from its lifecycle (docs/lifecycle.md)",
  },
  {
    field: 'severity',
    name: 'Severity',
    type: 'select',
    accepts: TEXTUAL,
    options: SEVERITIES,
    colors: { INFO: 'default', WARN: 'yellow', URGENT: 'orange', BLOCKER: 'red' },
    describe: 'the highest severity among the open findings on the sprint (empty when none)',
  },
  { field: 'agents', name: 'Agents', type: 'multi_select', accepts: ['multi_select', 'rich_text'], describe: 'the agents with an entry on the sprint' },
  { field: 'updated', name: 'Last update', type: 'date', accepts: ['date'], describe: 'timestamp of the latest entry' },
  { field: 'completed_at', name: 'Completed at', type: 'date', accepts: ['date'], describe: 'timestamp of the latest COMPLETE entry (empty if none)' },
  { field: 'verified_at', name: 'Verified at', type: 'date', accepts: ['date'], describe: 'timestamp of the latest VERIFIED entry (empty if none)' },
  { field: 'latest_entry', name: 'Latest entry', type: 'rich_text', accepts: ['rich_text'], describe: 'file name of the latest entry' },
  { field: 'entries', name: 'Entries', type: 'number', accepts: ['number'], describe: 'number of entries on the sprint (current and archive)' },
  { field: 'failures', name: 'Failures', type: 'number', accepts: ['number'], describe: 'number of FAILED entries on the sprint' },
] as const satisfies readonly FieldSpec[];

/** A sprint field the Notion sync maps onto a database property. */
export type Field = (typeof FIELDS)[number]['field'];

export function fieldSpec(field: Field): FieldSpec {
  return FIELDS.find((spec) => spec.field === field)!;
}

/** Our plain values for one sprint, by field. */
export interface SprintValues {
  sprint: string;
  state: string;
  severity: string | null;
  agents: string[];
  updated: string;
  completed_at: string | null;
  verified_at: string | null;
  latest_entry: string;
  entries: number;
  failures: number;
}

/** `severity`: the highest open finding on the sprint (from cos scan), or null when none. */
export function sprintValues(sprint: SprintState, severity: Severity | null = null): SprintValues {
  let completedAt: string | null = null;
  let verifiedAt: string | null = null;
  let failures = 0;
  for (const entry of sprint.entries) {
    if (entry.status === 'COMPLETE') completedAt = entry.timestamp;
    else if (entry.status === 'VERIFIED') verifiedAt = entry.timestamp;
    else if (entry.status === 'FAILED') failures++;
  }
  return {
    sprint: sprint.sprint,
    state: sprint.state,
    severity,
    agents: sprint.agents.map((a) => a.agent).sort(),
    updated: sprint.updated,
    completed_at: completedAt,
    verified_at: verifiedAt,
    latest_entry: sprint.latest.file,
    entries: sprint.entries.length,
    failures,
  };
}

/**
 * The hash of what a sync sends for a sprint: the mapped property names and our values. The
 * ledger stores it once Notion has accepted the change; an equal hash means nothing to send.
 */
export function hashValues(values: SprintValues, properties: Partial<Record<Field, string>>): string {
  const pairs: Array<[string, unknown]> = [];
  for (const spec of FIELDS) {
    const name = properties[spec.field];
    if (name !== undefined) pairs.push([name, values[spec.field]]);
  }
  return createHash('sha256').update(JSON.stringify(pairs)).digest('hex').slice(0, 32);
}

/** Notion caps one text item at 2,000 characters. */
const MAX_TEXT = 2000;

function text(content: string): Array<{ type: 'text'; text: { content: string } }> {
  return content === '' ? [] : [{ type: 'text', text: { content: content.slice(0, MAX_TEXT) } }];
}

function encode(value: unknown, type: PropertyType): Record<string, unknown> {
  const asText = Array.isArray(value) ? value.join(', ') : value === null ? '' : String(value);
  switch (type) {
    case 'title':
      return { title: text(asText) };
    case 'rich_text':
      return { rich_text: text(asText) };
    case 'select':
      return { select: asText === '' ? null : { name: asText } };
    case 'status':
      return { status: asText === '' ? null : { name: asText } };
    case 'multi_select':
      return { multi_select: (Array.isArray(value) ? value : asText === '' ? [] : [asText]).map((name) => ({ name: String(name) })) };
    case 'date':
      return { date: value === null ? null : { start: String(value) } };
    case 'number':
      return { number: typeof value === 'number' ? value : null };
  }
}

/**
 * The `properties` of a create or update request. `types` holds the actual type of each mapped
 * property in the data source (a field may map onto any type it accepts); the default otherwise.
 */
export function notionProperties(
  values: SprintValues,
  properties: Partial<Record<Field, string>>,
  types: ReadonlyMap<string, PropertyType> = new Map(),
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const spec of FIELDS) {
    const name = properties[spec.field];
    if (name === undefined) continue;
    out[name] = encode(values[spec.field], types.get(name) ?? spec.type);
  }
  return out;
}

/** The plain text of a title or rich_text property value in a page object (for the key lookup). */
export function plainText(value: unknown): string | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const items = (v.type === 'title' ? v.title : v.type === 'rich_text' ? v.rich_text : v.title ?? v.rich_text) as unknown;
  if (!Array.isArray(items)) return null;
  return items
    .map((item: { plain_text?: string; text?: { content?: string } }) => item?.plain_text ?? item?.text?.content ?? '')
    .join('');
}
