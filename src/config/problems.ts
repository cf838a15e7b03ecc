/**
 * One way to validate a config file: a zod schema gives the shape, the defaults and the types;
 * these helpers turn a raw YAML value into `{ value, errors, warnings }`, collecting every problem
 * at once (changesets' config package does the same with its rules). Pure: the loaders read the
 * file and decide what to throw.
 *
 * - A key given as `null` (`ttl_minutes:` with nothing after it) counts as not given: its default.
 * - A key the schema does not know is a warning, at any depth, and is ignored.
 * - A bad value is an error: `"archive.max_current" is "x" but must be a positive whole number`,
 *   one per key, naming the key with its dotted path and the value as it was given.
 */
import type * as z from 'zod/mini';

export interface Checked<T> {
  /** The defaults with every good value of the file over them (the defaults when there are errors). */
  value: T;
  errors: string[];
  warnings: string[];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A value as the file gave it, short and on one line (a long list or text is cut). */
export function shown(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  } catch {
    text = undefined;
  }
  text ??= String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `null` means "not given" at every depth (YAML `key:` with no value). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value;
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (child === null || child === undefined) continue;
    // defineProperty: a key named __proto__ stays a key (and is reported as unknown).
    Object.defineProperty(out, key, { value: withoutNulls(child), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

interface Def {
  type: string;
  shape?: Record<string, { _zod: { def: Def } }>;
  innerType?: { _zod: { def: Def } };
}

/** The object shape behind defaults and optionals, or null for a leaf. */
function objectShape(schema: { _zod: { def: Def } }): Record<string, { _zod: { def: Def } }> | null {
  let def = schema._zod.def;
  while (def.innerType && (def.type === 'default' || def.type === 'prefault' || def.type === 'optional')) def = def.innerType._zod.def;
  return def.type === 'object' && def.shape ? def.shape : null;
}

function unknownKeys(schema: { _zod: { def: Def } }, raw: unknown, prefix: string, out: string[]): void {
  const shape = objectShape(schema);
  if (!shape || !isRecord(raw)) return;
  for (const [key, value] of Object.entries(raw)) {
    const child = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (child === undefined) out.push(`${prefix}${key}`);
    else unknownKeys(child, value, `${prefix}${key}.`, out);
  }
}

/** The value at a dotted path of the raw document. */
function at(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) value = isRecord(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[key as string] : undefined;
  return value;
}

/**
 * Check `raw` against `schema`. `notMapping` is the sentence for a document that is not a mapping
 * at all. Errors are sentences without the file name; the loader adds it.
 */
export function checkConfig<S extends z.ZodMiniType>(schema: S, raw: unknown, notMapping: string): Checked<z.output<S>> {
  const defaults = schema.parse({}) as z.output<S>;
  if (raw === null || raw === undefined) return { value: defaults, errors: [], warnings: [] };
  if (!isRecord(raw)) return { value: defaults, errors: [notMapping], warnings: [] };
  const document = withoutNulls(raw);
  const unknown: string[] = [];
  unknownKeys(schema as unknown as { _zod: { def: Def } }, document, '', unknown);
  const warnings = unknown.map((key) => `unknown key "${key}" is ignored`);
  const result = schema.safeParse(document);
  if (result.success) return { value: result.data as z.output<S>, errors: [], warnings };
  // One sentence per key: a list's bad item is reported as the list (the key a person edits).
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const issue of result.error.issues) {
    const cut = issue.path.findIndex((key) => typeof key === 'number');
    const path = cut === -1 ? issue.path : issue.path.slice(0, cut);
    const name = path.map(String).join('.');
    if (seen.has(name)) continue;
    seen.add(name);
    errors.push(name === '' ? notMapping : `"${name}" is ${shown(at(document, path))} but ${issue.message}`);
  }
  return { value: defaults, errors, warnings };
}

/** Every problem of one file as its own sentence naming the file: the lines of one error. */
export function problemsMessage(file: string, errors: readonly string[]): string[] {
  return errors.map((error) => `${file}: ${error}.`);
}
