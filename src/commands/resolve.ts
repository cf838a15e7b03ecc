import { entryToJson } from '../protocol/entry.js';
import { resolveEntries } from '../store/note.js';
import type { Entry } from '../protocol/fields.js';
import { operationIo, parseCommand, printJson, type CommandContext, type OperationIo, type Outcome } from './context.js';
import { defineFlags, flagsHelp, type FlagValues } from './flags.js';
import { noteWriter } from './note-writer.js';

export const flags = defineFlags({
  agent: { type: 'string', value: 'A', kind: 'slug', mcp: true, help: 'who resolves (default: COS_AGENT, else your git user name as a slug, else human)' },
  message: { type: 'string', short: 'm', value: 'T', mcp: true, help: 'what was decided (default: "Resolves FILE.")' },
  json: { type: 'boolean', help: '{"version": 1, "entries": [{"file", "name", "seq", ...every field, "body"}]}' },
});

export const help = `Usage: cos resolve FILE... [--agent A] [--message T] [--json]

Settle entries with a NOTE that names them in resolves: an escalation (URGENT/BLOCKER) that was
dealt with, a FAILED attempt that should stop counting, a VERIFIED that counts for nothing, a
spend to approve. A NOTE holds nothing and changes no sprint's state, so resolving never makes you
a holder of the sprint. It goes on the sprint of the entries it names (one NOTE per sprint).
FILE is an entry's file name or its path (current or archive); the NOTE stores the name.

${flagsHelp(flags)}

Exit codes: 0 written; 1 bad usage, or a FILE that is not an entry (nothing is written then).

Example:
  cos resolve 012-2026-01-14T04-30-00Z-developer.md --message "API key rotated; carry on"`;

/** Write one NOTE per sprint resolving `files`. */
export async function execute(values: FlagValues<typeof flags>, io: OperationIo, files: string[]): Promise<Outcome<Entry[]>> {
  const { input, options } = await noteWriter(values, io);
  const notes = resolveEntries(io.root, { files, ...input }, options);
  return { document: { entries: notes.map((note) => ({ ...entryToJson(note), body: note.body })) }, exitCode: 0, data: notes };
}

export async function run(context: CommandContext): Promise<number> {
  const { values, positionals, root, json } = parseCommand(context, flags, { positionals: Number.MAX_SAFE_INTEGER });
  const { document, data: notes } = await execute(values, operationIo(context, root), positionals);
  if (json) printJson(context, document);
  else for (const note of notes) context.stdout(`${note.path}\n`);
  return 0;
}
