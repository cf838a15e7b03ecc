import { loadConfig } from '../config/load.js';
import { InputError, RefusedError } from '../errors.js';
import { liveLeases, normalisePattern, overlappingLeases, patternProblem, type Lease } from '../leases/leases.js';
import { entryToJson } from '../protocol/entry.js';
import { readStore } from '../store/read.js';
import { postEntry } from '../store/write.js';
import type { Entry } from '../protocol/fields.js';
import { intFlag, operationIo, parseCommand, printJson, type CommandContext, type OperationIo, type Outcome } from './context.js';
import { defineFlags, flagsHelp, type FlagValues } from './flags.js';

export const flags = defineFlags({
  sprint: { type: 'string', value: 'S', kind: 'slug', mcp: 'required', help: 'the sprint you work on' },
  agent: { type: 'string', value: 'A', kind: 'slug', mcp: 'required', help: 'who you are' },
  ttl: { type: 'string', value: 'M', kind: 'minutes', mcp: true, help: 'minutes the lease lasts past your latest heartbeat on the sprint (default: config ttl_minutes)' },
  json: { type: 'boolean', help: '{"version": 1, "entry": {...}, "leases": [...your live leases]}' },
});

export const help = `Usage: cos lease --sprint S --agent A [--ttl M] PATTERN... [--json]

Lease paths of the repository for your work, so that other agents keep off them: writes a NOTE
with lease: [PATTERN...] (versioned, visible in git diff). A lease is live until you release it
(cos release) or until your latest heartbeat on the sprint plus its ttl has passed — your
heartbeats refresh it while it is live; once it has run out, lease again. cos guard pre-commit (cos setup git-hooks) refuses another agent's commit
that touches a leased path.

  PATTERN   a glob relative to the repository (picomatch syntax: src/api/**, *.md, {a,b}/x);
            a path without glob characters leases that path and everything under it
            (src/auth covers src/auth/login.ts), while src/auth/* covers only its files
${flagsHelp(flags)}

Exit codes: 0 leased; 1 bad usage or a bad pattern; 3 refused: a pattern can match a path that
another agent's live lease covers (the message names the holder).

Example:
  cos lease --sprint api-v2 --agent backend 'src/api/**' 'docs/api.md'
  cos lease --sprint auth --agent backend src/auth`;

/** Lease `given` patterns for the agent; refused (conflict) when one overlaps another agent's live lease. */
export async function execute(values: FlagValues<typeof flags>, io: OperationIo, given: string[]): Promise<Outcome<{ entry: Entry; patterns: string[]; mine: Lease[] }>> {
  const root = io.root;
  for (const flag of ['sprint', 'agent'] as const) if (values[flag] === undefined) throw new InputError(`--${flag} is required; see cos lease --help.`);
  if (given.length === 0) throw new InputError('Name the paths to lease, e.g. cos lease --sprint S --agent A "src/api/**".');
  const patterns = [...new Set(given.map(normalisePattern))];
  for (const pattern of patterns) {
    const problem = patternProblem(pattern);
    if (problem) throw new InputError(`Invalid lease pattern ${JSON.stringify(pattern)}: ${problem}.`);
  }
  const ttl = intFlag('ttl', values.ttl);
  const now = io.now();
  const leases = liveLeases(readStore(root).entries, now);
  for (const pattern of patterns) {
    const [holder] = overlappingLeases(leases, values.agent!, pattern);
    if (holder) {
      throw new RefusedError(
        `${pattern} overlaps ${holder.pattern}, leased by ${holder.agent} on sprint ${holder.sprint} until ${holder.until} (${holder.file}); ask ${holder.agent} to release it (cos release --sprint ${holder.sprint} --agent ${holder.agent} ${holder.pattern}) or lease something else.`,
      );
    }
  }
  const { config } = loadConfig(root);
  const entry = postEntry(
    root,
    {
      sprint: values.sprint!,
      agent: values.agent!,
      status: 'NOTE',
      severity: 'INFO',
      lease: patterns,
      ...(ttl !== undefined ? { ttl_minutes: ttl } : {}),
      message: `${values.agent} leases ${patterns.join(', ')} for its work on ${values.sprint}.`,
      now,
    },
    { defaultTtl: config.ttl_minutes },
  );
  const mine = liveLeases(readStore(root).entries, now).filter((lease) => lease.agent === values.agent);
  return { document: { entry: entryToJson(entry), leases: mine }, exitCode: 0, data: { entry, patterns, mine } };
}

export async function run(context: CommandContext): Promise<number> {
  const { values, positionals, root, json } = parseCommand(context, flags, { positionals: 1000 });
  const { document, data } = await execute(values, operationIo(context, root), positionals);
  const { entry, patterns, mine } = data;
  if (json) printJson(context, document);
  else context.stdout(`${entry.path}\n${patterns.map((pattern) => `leased ${pattern} until ${mine.find((lease) => lease.pattern === pattern)?.until ?? '?'}`).join('\n')}\n`);
  return 0;
}
