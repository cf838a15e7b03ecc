import { loadConfig } from '../config/load.js';
import { InputError } from '../errors.js';
import { visible } from '../output/visible.js';
import { entryToJson } from '../protocol/entry.js';
import { parseTimestamp } from '../protocol/time.js';
import { readStore } from '../store/read.js';
import { postEntry } from '../store/write.js';
import { parseCommand, printJson, type CommandContext } from './context.js';
import { defineFlags, flagsHelp } from './flags.js';

export const flags = defineFlags({
  agent: { type: 'string', value: 'A', kind: 'slug', help: 'who approves (default: COS_AGENT, else the git user name, else "human"); never the denied agent: an agent\'s own cos approve is denied by the guard' },
  message: { type: 'string', short: 'm', value: 'TEXT', help: 'why it is fine' },
  json: { type: 'boolean', help: '{"version": 1, "entry": {...}, "command": "...", "agent": "<the denied agent>", "until": "<time>"}' },
});

export const help = `Usage: cos approve FILE [--agent A] [--message TEXT] [--json]

Let a command the guard denied (cos hook pre-tool-use) through once. FILE is the denial's BLOCKER
NOTE (its file name or path, as the denial names it). Writes a NOTE with approves: FILE on the
denial's sprint; the next time the denied agent runs exactly that command (whitespace
normalised), within guard.approval_minutes (default 30) of the approval, the guard lets it pass,
once, and records the use in the git common directory. The approval also resolves the denial.

${flagsHelp(flags)}

Exit codes: 0 approved; 1 FILE is not a guard denial, or the approver is the denied agent.

Example:
  cos approve 041-2026-11-29T14-08-57Z-developer.md --message "release branch reset, agreed"`;

export async function run(context: CommandContext): Promise<number> {
  const { values, positionals, root, json } = parseCommand(context, flags, { positionals: 1 });
  const given = positionals[0];
  if (given === undefined) throw new InputError('Name the denial to approve: cos approve FILE (the BLOCKER NOTE the guard posted).');
  const name = given.split(/[\\/]/).pop()!;
  const entries = readStore(root).entries;
  const denial = entries.find((entry) => entry.file === name);
  if (!denial) throw new InputError(`No entry ${JSON.stringify(given)} in .agent/status (current or archive): give the file the guard's denial names.`);
  if (denial.status !== 'NOTE' || denial.denied === undefined) throw new InputError(`${denial.file} is not a guard denial (a NOTE with denied: <command>): cos approve lets a denied command through.`);
  const { defaultAgent } = await import('../git/user.js');
  const agent = values.agent ?? (await defaultAgent(root, context.env));
  if (agent === denial.agent) {
    throw new InputError(`${agent} cannot approve its own denied command (${denial.file}): a person or another agent approves it, e.g. cos approve ${denial.file} --agent <your name>.`);
  }
  const { config } = loadConfig(root);
  const now = context.now();
  const entry = postEntry(
    root,
    {
      sprint: denial.sprint,
      agent,
      status: 'NOTE',
      severity: 'INFO',
      approves: denial.file,
      message:
        `${agent} approves, once, within ${config.guard.approval_minutes} minutes, this command of ${denial.agent} that the guard denied in ${denial.file}:\n\n` +
        '```sh\n' +
        `${denial.denied}\n` +
        '```' +
        (values.message ? `\n\n${values.message}` : ''),
      now,
    },
    { defaultTtl: config.ttl_minutes },
  );
  const until = new Date(parseTimestamp(entry.timestamp) + config.guard.approval_minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (json) printJson(context, { entry: entryToJson(entry), command: denial.denied, agent: denial.agent, until });
  // The command as the guard saw it, on this one line: a line break in it (a multi-line command, or
  // a forged line) is shown escaped, so the person approving reads exactly what runs.
  else context.stdout(`${entry.path}\n${denial.agent} may run this once until ${until}: ${visible(denial.denied, { oneLine: true })}\n`);
  return 0;
}
