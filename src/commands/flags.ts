/**
 * A command's flags, declared once. One object per command gives `parseArgs` its options, the
 * parsed values their TypeScript types (reading a flag that is not declared does not compile), the
 * `--help` lines of the flags, and, for commands the MCP server offers, the tool's inputs.
 *
 * How to add a flag to a command: add one entry to the command's `flags` (`defineFlags({...})` in
 * src/commands/<command>.ts):
 *   name: { type: 'string' | 'boolean', value: 'N', help: 'what it does', multiple?, short?,
 *           kind?, mcp? }
 * - `value` is the placeholder shown in help (`--ttl M`); `help` may hold line breaks.
 * - `kind` (a kind of protocol/kinds.ts) says what the text means (`minutes`, `slug`, ...): the
 *   MCP input gets that JSON type, and `flagValue()` converts it with the kind's rule.
 * - `mcp: true` makes it an input of the command's MCP tool (named with `_` for `-`); `'required'`
 *   a required one.
 * Then read it as `values.name` after `parseCommand(context, flags)`: nothing else to update.
 * For a new protocol field, declare the field in protocol/fields.ts instead: `cos post` and the
 * MCP post tool take their field flags from there (`fieldFlags()`).
 *
 * parseArgs is Node's own (no start-up cost); a CLI library would add 10–30 ms of imports to
 * every command for what these ~60 lines do (BENCHMARKS.md, "Flags").
 */
import { FIELDS, INPUT_FIELDS, type FieldFlags, type FieldName, type FieldSpec } from '../protocol/fields.js';
import { KINDS, type KindName } from '../protocol/kinds.js';

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  /** Placeholder of the value in help: `--sprint S`. */
  readonly value?: string;
  /** The help text (line breaks allowed; long lines are wrapped). */
  readonly help: string;
  /** What the value means: its MCP schema and its conversion from text (default: any text). */
  readonly kind?: KindName;
  /** The values a string flag takes (checked by the command; an enum in the MCP schema). */
  readonly choices?: readonly string[];
  /** Also an input of the command's MCP tool. */
  readonly mcp?: boolean | 'required';
  /** Left out of `--help` (an internal or deprecated flag). */
  readonly hidden?: boolean;
}

export type Flags = Readonly<Record<string, FlagSpec>>;

type FlagValue<S extends FlagSpec> = S['type'] extends 'boolean'
  ? S extends { multiple: true }
    ? boolean[]
    : boolean
  : S extends { multiple: true }
    ? string[]
    : string;

/** The values parseArgs returns for these flags (each may be absent), plus the global ones. */
export type FlagValues<F extends Flags> = { -readonly [K in keyof F]?: FlagValue<F[K]> } & {
  dir?: string;
  json?: boolean;
  help?: boolean;
};

/** Declare a command's flags, keeping their literal types. */
export function defineFlags<const F extends Flags>(flags: F): F {
  return flags;
}

/** Flags every command takes. A command may declare `json` again to describe its JSON shape. */
export const GLOBAL_FLAGS = defineFlags({
  dir: { type: 'string', value: 'D', help: 'the repository (default: the nearest ancestor holding .agent/)' },
  json: { type: 'boolean', help: 'one JSON document on stdout' },
  help: { type: 'boolean', short: 'h', help: 'this help', hidden: true },
});

/** parseArgs' options for these flags (and the global ones). */
export function parseArgsOptions(flags: Flags): Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const [name, spec] of Object.entries({ ...GLOBAL_FLAGS, ...flags }) as Array<[string, FlagSpec]>) {
    options[name] = { type: spec.type, ...(spec.multiple ? { multiple: true } : {}), ...(spec.short ? { short: spec.short } : {}) };
  }
  return options;
}

/** The `cos post` flags of the protocol's input fields (protocol/fields.ts), in field order. */
export function fieldFlags(): FieldFlags {
  const flags: Record<string, FlagSpec & { field: FieldName }> = {};
  for (const name of INPUT_FIELDS) {
    const spec: FieldSpec = FIELDS[name];
    flags[spec.flag!] = {
      type: 'string',
      ...(KINDS[spec.kind].multiple ? { multiple: true } : {}),
      ...(spec.value !== undefined ? { value: spec.value } : {}),
      help: spec.help,
      kind: spec.kind,
      mcp: spec.inputRequired ? 'required' : true,
      field: name,
    };
  }
  return flags as FieldFlags;
}

/** A flag's text turned into its kind's value (a whole number for `minutes`, ...). */
export function flagValue(flag: string, spec: FlagSpec, text: string): unknown {
  return spec.kind === undefined ? text : KINDS[spec.kind].fromFlag(text, flag);
}

const WIDTH = 100;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line !== '' && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    lines.push(line);
  }
  return lines;
}

/** The help lines of these flags: `  --name V   help`, continuation lines aligned. */
export function flagsHelp(flags: Flags, { json = true, only }: { json?: boolean; only?: readonly string[] } = {}): string {
  const all: Flags = json && !('json' in flags) ? { ...flags, json: GLOBAL_FLAGS.json } : flags;
  const rows = Object.entries(all)
    .filter(([name, spec]) => !spec.hidden && (only === undefined || only.includes(name)))
    .map(([name, spec]) => [`--${name}${spec.short ? `, -${spec.short}` : ''}${spec.value ? ` ${spec.value}` : ''}`, spec.help] as const);
  const column = Math.max(...rows.map(([left]) => left.length)) + 2;
  const out: string[] = [];
  for (const [left, help] of rows) {
    const lines = wrap(help, Math.max(40, WIDTH - column - 2));
    out.push(`  ${left.padEnd(column)}${lines[0]}`);
    for (const line of lines.slice(1)) out.push(`  ${' '.repeat(column)}${line}`);
  }
  return out.join('\n');
}
