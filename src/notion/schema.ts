/**
 * The data source's schema against our mapping (pure): what is missing or mistyped, the exact
 * fix for each, and the `dataSources.update` body that `cos notion setup` sends for the fixable
 * ones (missing properties, missing select options, the title property's name).
 */
import type { DataSourceInfo } from './client.js';
import { FIELDS, type Field, type FieldSpec, type PropertyType } from './mapping.js';

/** The kinds of Notion schema problem. */
export type ProblemKind = 'missing' | 'mistyped' | 'missing-options' | 'title-name';

/** A property of the Notion database that does not fit the sync: missing, mistyped ... */
export interface SchemaProblem {
  field: Field;
  property: string;
  kind: ProblemKind;
  /** The type we need (or one of those we accept). */
  expected: PropertyType;
  /** The type it has, when it exists. */
  actual: string | null;
  /** Missing select/status options. */
  options: string[];
  /** Whether `cos notion setup` fixes it. */
  fixable: boolean;
  /** One sentence: what is wrong and the exact fix. */
  message: string;
}

function describeType(spec: FieldSpec): string {
  return spec.accepts.length === 1 ? spec.accepts[0]! : `${spec.type} (or ${spec.accepts.filter((t) => t !== spec.type).join(', ')})`;
}

export function compareSchema(schema: DataSourceInfo, properties: Partial<Record<Field, string>>): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const titleProperty = [...schema.properties.values()].find((p) => p.type === 'title');
  for (const spec of FIELDS as readonly FieldSpec[]) {
    const field = spec.field as Field;
    const name = properties[field];
    if (name === undefined) continue;
    const actual = schema.properties.get(name);
    const base = { field, property: name, expected: spec.type, options: [] as string[] };
    if (!actual) {
      if (spec.type === 'title') {
        const existing = titleProperty?.name;
        problems.push({
          ...base,
          kind: 'title-name',
          actual: null,
          fixable: existing !== undefined,
          message: existing
            ? `The key property "${name}" (${field}, title) is missing: the data source's title property is "${existing}". Run cos notion setup to rename it to "${name}", or set properties.${field}: ${existing} in the config.`
            : `The key property "${name}" (${field}) must be the data source's title property, and it has none; pick another data source.`,
        });
      } else {
        problems.push({
          ...base,
          kind: 'missing',
          actual: null,
          fixable: true,
          message: `Property "${name}" (${field}, ${spec.type}) is missing: run cos notion setup to add it, or map ${field} to an existing property in the config.`,
        });
      }
      continue;
    }
    if (!(spec.accepts as readonly string[]).includes(actual.type)) {
      problems.push({
        ...base,
        kind: 'mistyped',
        actual: actual.type,
        fixable: false,
        message:
          spec.type === 'title'
            ? `Property "${name}" (${field}) is ${actual.type} but the key must be the title property${titleProperty ? ` ("${titleProperty.name}"): set properties.${field}: ${titleProperty.name} in the config` : ''}.`
            : `Property "${name}" (${field}) is ${actual.type}, expected ${describeType(spec)}: change its type in Notion, or map ${field} to another property in the config (properties.${field}).`,
      });
      continue;
    }
    if (spec.options && (actual.type === 'select' || actual.type === 'status')) {
      const missing = spec.options.filter((o) => !actual.options.includes(o));
      if (missing.length > 0) {
        const isStatus = actual.type === 'status';
        problems.push({
          ...base,
          kind: 'missing-options',
          actual: actual.type,
          options: missing,
          fixable: !isStatus,
          message: isStatus
            ? `Status property "${name}" (${field}) lacks the options ${missing.join(', ')}: add them in Notion (the API cannot change a status property's options), or use a select property.`
            : `Select property "${name}" (${field}) lacks the options ${missing.join(', ')}: run cos notion setup to add them.`,
        });
      }
    }
  }
  return problems;
}

function optionList(spec: FieldSpec, names: readonly string[]): Array<{ name: string; color?: string }> {
  return names.map((name) => (spec.colors?.[name] ? { name, color: spec.colors[name]! } : { name }));
}

function createConfig(spec: FieldSpec): Record<string, unknown> {
  switch (spec.type) {
    case 'select':
      return { select: { options: optionList(spec, spec.options ?? []) } };
    case 'multi_select':
      return { multi_select: { options: [] } };
    case 'number':
      return { number: { format: 'number' } };
    default:
      return { [spec.type]: {} };
  }
}

/** The `properties` body of the `dataSources.update` that fixes the fixable problems; null if none. */
export function setupPatch(schema: DataSourceInfo, problems: readonly SchemaProblem[]): Record<string, unknown> | null {
  const patch: Record<string, unknown> = {};
  for (const problem of problems) {
    if (!problem.fixable) continue;
    const spec = FIELDS.find((f) => f.field === problem.field) as FieldSpec;
    if (problem.kind === 'title-name') {
      const title = [...schema.properties.values()].find((p) => p.type === 'title');
      if (title) patch[title.name] = { name: problem.property };
    } else if (problem.kind === 'missing') {
      patch[problem.property] = createConfig(spec);
    } else if (problem.kind === 'missing-options') {
      // Options left out of an update are removed: send the existing ones too.
      const existing = schema.properties.get(problem.property)!;
      const keep = existing.rawOptions.map((o) => (o.id ? { id: o.id, name: o.name } : { name: o.name }));
      patch[problem.property] = { select: { options: [...keep, ...optionList(spec, problem.options)] } };
    }
  }
  return Object.keys(patch).length > 0 ? patch : null;
}

/** The actual type of each mapped property, for encoding values (a field may use any type it accepts). */
export function propertyTypes(schema: DataSourceInfo): Map<string, PropertyType> {
  const types = new Map<string, PropertyType>();
  for (const [name, property] of schema.properties) types.set(name, property.type as PropertyType);
  return types;
}
