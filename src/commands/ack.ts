import { InputError } from '../errors.js';
import { entryToJson } from '../protocol/entry.js';
import { acknowledgeEntry } from '../store/note.js';
import type { Entry } from '../protocol/fields.js';
import { operationIo, parseCommand, printJson, type CommandContext, type OperationIo, type Outcome } from './context.js';
import { defineFlags, flagsHelp, type FlagValues } from './flags.js';
import { noteWriter } from './note-writer.js';

export const flags = defineFlags({
  agent: { type: 'string', value: 'A', kind: 'slug', mcp: true, help: 'who acknowledges (default: COS_AGENT, else your git user name as a slug, else human)' },
  message: { type: 'string', short: 'm', value: 'T', mcp: true, help: 'what happens next (default: "Acknowledged FILE; being dealt with.")' },
  json: { type: 'boolean', help: '{"version": 1, "entry": {"file", "name", "seq", ...every field, "body"}}' },
});

export const help = `Usage: cos ack FILE [--agent A] [--message T] [--json]

Acknowledge an escalation (an URGENT or BLOCKER entry) with a NOTE naming it in acknowledges:
someone is on it, so cos watch stops raising it again. It stays open (and in cos scan) until it
is resolved with cos resolve FILE. A NOTE holds nothing and changes no sprint's state. FILE is the
escalation's file name or path; the NOTE stores the name.

${flagsHelp(flags)}

Exit codes: 0 written; 1 bad usage, or FILE is not an entry or not an escalation (nothing is
written then).

Example:
  cos ack 012-2026-01-14T04-30-00Z-developer.md`;

/** Write the NOTE acknowledging the escalation `file`. */
export async function execute(values: FlagValues<typeof flags>, io: OperationIo, file: string | undefined): Promise<Outcome<Entry>> {
  if (file === undefined) throw new InputError('Give the FILE of the escalation to acknowledge; see cos ack --help.');
  const { input, options } = await noteWriter(values, io);
  const note = acknowledgeEntry(io.root, { file, ...input }, options);
  return { document: { entry: { ...entryToJson(note), body: note.body } }, exitCode: 0, data: note };
}

export async function run(context: CommandContext): Promise<number> {
  const { values, positionals, root, json } = parseCommand(context, flags, { positionals: 1 });
  const { document, data: note } = await execute(values, operationIo(context, root), positionals[0]);
  if (json) printJson(context, document);
  else context.stdout(`${note.path}\n`);
  return 0;
}
