import { loadConfig } from '../config/load.js';
import { InputError } from '../errors.js';
import { liveLeases, normalisePattern } from '../leases/leases.js';
import { entryToJson } from '../protocol/entry.js';
import { readStore } from '../store/read.js';
import { postEntry } from '../store/write.js';
import type { Entry } from '../protocol/fields.js';
import { operationIo, parseCommand, printJson, type CommandContext, type OperationIo, type Outcome } from './context.js';
import { defineFlags, flagsHelp, type FlagValues } from './flags.js';

export const flags = defineFlags({
  sprint: { type: 'string', value: 'S', kind: 'slug', mcp: 'required', help: 'the sprint of the leases' },
  agent: { type: 'string', value: 'A', kind: 'slug', mcp: 'required', help: 'whose leases' },
  json: { type: 'boolean', help: '{"version": 1, "entry": {...}, "released": [patterns]}' },
});

export const help = `Usage: cos release --sprint S --agent A [PATTERN...] [--json]

Give back path leases (cos lease): writes a NOTE with releases: [PATTERN...]. Without PATTERN,
every live lease of the agent on the sprint.

${flagsHelp(flags)}

Exit codes: 0 released (or nothing held: says so, writes nothing); 1 bad usage, or a PATTERN the
agent does not hold on the sprint.

Example:
  cos release --sprint api-v2 --agent backend 'src/api/**'`;

/** Release `given` patterns (default: every live lease of the agent on the sprint); `entry` is null when nothing was held. */
export async function execute(values: FlagValues<typeof flags>, io: OperationIo, given: string[]): Promise<Outcome<{ entry: Entry | null; patterns: string[] }>> {
  const root = io.root;
  for (const flag of ['sprint', 'agent'] as const) if (values[flag] === undefined) throw new InputError(`--${flag} is required; see cos release --help.`);
  const now = io.now();
  const held = liveLeases(readStore(root).entries, now).filter((lease) => lease.agent === values.agent && lease.sprint === values.sprint);
  const patterns = given.length > 0 ? [...new Set(given.map(normalisePattern))] : held.map((lease) => lease.pattern);
  const unknown = patterns.filter((pattern) => !held.some((lease) => lease.pattern === pattern));
  if (unknown.length > 0) {
    throw new InputError(`${values.agent} holds no live lease ${unknown.map((p) => JSON.stringify(p)).join(', ')} on ${values.sprint}${held.length > 0 ? ` (it holds ${held.map((lease) => lease.pattern).join(', ')})` : ''}.`);
  }
  if (patterns.length === 0) return { document: { entry: null, released: [] }, exitCode: 0, data: { entry: null, patterns } };
  const { config } = loadConfig(root);
  const entry = postEntry(
    root,
    { sprint: values.sprint!, agent: values.agent!, status: 'NOTE', severity: 'INFO', releases: patterns, message: `${values.agent} releases ${patterns.join(', ')}.`, now },
    { defaultTtl: config.ttl_minutes },
  );
  return { document: { entry: entryToJson(entry), released: patterns }, exitCode: 0, data: { entry, patterns } };
}

export async function run(context: CommandContext): Promise<number> {
  const { values, positionals, root, json } = parseCommand(context, flags, { positionals: 1000 });
  const { document, data } = await execute(values, operationIo(context, root), positionals);
  if (json) printJson(context, document);
  else if (data.entry === null) context.stdout(`${values.agent} holds no live lease on ${values.sprint}; nothing written.\n`);
  else context.stdout(`${data.entry.path}\nreleased ${data.patterns.join(', ')}\n`);
  return 0;
}
