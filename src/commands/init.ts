import { initRepo } from '../store/init.js';
import { parseCommand, printJson, type CommandContext } from './context.js';
import { defineFlags, flagsHelp } from './flags.js';

export const flags = defineFlags({
  json: { type: 'boolean', help: '{"version": 1, "root", "created": [paths], "existing": [paths], "updated": [paths]}' },
});

export const help = `Usage: cos init [--dir PATH] [--json]

Create the .agent/ tree in PATH (default: the current directory): config/coordination.yaml,
config/notion-sync.yaml, the five roles (chief-of-staff, sprintmaster, developer, qa-reviewer,
mine-sweeper), skills/chief-of-staff/SKILL.md, status/current and status/archive, and runbook.md.
Existing files are never overwritten; running it twice changes nothing. One migration: the line
state/ that an older cos wrote in .agent/.gitignore (it also hid status/archive/state/, the
archive of a sprint named state, from git) is rewritten as /state/ — only that line.

${flagsHelp(flags)}

Exit codes: 0 done (also when there was nothing to do); 1 bad usage or a file cannot be written.

Example:
  cos init && cos post --sprint my-sprint --agent me --status IN_PROGRESS && cos status`;

export async function run(context: CommandContext): Promise<number> {
  // Like every command: --dir, else the nearest ancestor already holding .agent/, else the cwd.
  const { json, root } = parseCommand(context, flags);
  const result = initRepo(root);
  if (json) {
    printJson(context, { root: result.root, created: result.created, existing: result.existing, updated: result.updated });
    return 0;
  }
  for (const file of result.updated) context.stdout(`Updated ${file}: its line state/ is now /state/, so status/archive/state/ (a sprint named state) is versioned again.\n`);
  if (result.created.length === 0) {
    if (result.updated.length === 0) context.stdout(`Nothing to do: .agent/ is already set up in ${result.root}.\n`);
    return 0;
  }
  context.stdout(`Initialised agent coordination in ${result.root}:\n`);
  for (const file of result.created) context.stdout(`  created  ${file}\n`);
  for (const file of result.existing) context.stdout(`  kept     ${file}\n`);
  context.stdout(`\nNext: cos post --sprint my-sprint --agent me --status IN_PROGRESS, then cos status.\n`);
  return 0;
}
