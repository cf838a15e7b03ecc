import { InputError } from '../errors.js';
import { setupAgentsMd, setupClaude, type FileChange } from '../setup/apply.js';
import { parseCommand, printJson, type CommandContext } from './context.js';
import { defineFlags, flagsHelp } from './flags.js';

export const flags = defineFlags({
  'dry-run': { type: 'boolean', help: 'print the diff it would make, write nothing' },
  remove: { type: 'boolean', help: 'take exactly these hooks out again (the original bytes come back when nothing else changed since)' },
  cos: { type: 'string', value: 'CMD', help: 'how the hooks run cos (default: "$CLAUDE_PROJECT_DIR"/node_modules/.bin/cos when the project has it installed, else the absolute paths of the node and cli.js running this setup — never a bare cos that may not be on PATH)' },
  local: { type: 'boolean', help: 'write .claude/settings.local.json (this machine only) instead' },
  file: { type: 'string', multiple: true, value: 'F', help: 'the file(s) to write (default AGENTS.md, and CLAUDE.md when it exists)' },
  role: { type: 'string', multiple: true, value: 'R', help: "only these roles' standing orders (default: every role)" },
});

export const help = `Usage: cos setup claude [--dry-run | --remove] [--cos CMD] [--local]
       cos setup agents-md [--file F]... [--role R]... [--dry-run | --remove]
       cos setup git-hooks [--dry-run | --remove]

claude     Merge five Claude Code hooks into .claude/settings.json (created when absent):
           SessionStart → cos hook session-start (the agent's briefing), PreToolUse →
           cos hook pre-tool-use (the guard: docs/guard.md), PostToolUse → cos hook
           post-tool-use (a cheap heartbeat), Notification → cos hook notification (needs-human
           when the agent waits on a person), Stop → cos hook stop (a WARN entry when the agent
           stops with its entry still open). Other settings, permissions and hooks are kept;
           running it again changes nothing.
${flagsHelp(flags, { json: false, only: ['dry-run', 'remove', 'cos', 'local'] })}

agents-md  Write a short protocol section (commands to post, heartbeat, verify and resolve, and
           each role's standing orders from .agent/roles/) between <!-- cos:begin --> and
           <!-- cos:end --> markers; everything outside the markers is kept.
${flagsHelp({ ...flags, 'dry-run': { type: 'boolean', help: 'print the diff, write nothing' }, remove: { type: 'boolean', help: 'take the section out again' } }, { json: false, only: ['file', 'role', 'dry-run', 'remove'] })}

git-hooks  Install the pre-commit hook that runs cos guard pre-commit (refuses a commit touching a
           path another live agent leased: cos lease) where git looks for hooks
           (git rev-parse --git-path hooks: core.hooksPath is respected). An existing pre-commit
           hook is never overwritten: it is renamed pre-commit.pre-cos and ours runs it after
           the guard. --remove takes ours out and puts it back. Runs cos by the project's
           node_modules/.bin/cos, else the absolute node and cli.js running this setup.

Exit codes: 0 done (or nothing to do); 1 bad usage, or a file cos cannot merge into (invalid
JSON, unpaired markers) — then nothing is written.

Examples:
  cos setup claude --dry-run
  cos setup claude && cos setup agents-md --file AGENTS.md --file CLAUDE.md`;

function report(context: CommandContext, json: boolean, target: string, dryRun: boolean, changes: FileChange[], remove = false): void {
  if (json) {
    printJson(context, { target, dry_run: dryRun, changes });
    return;
  }
  for (const change of changes) {
    if (change.action === 'unchanged') context.stdout(remove ? `${change.file}: nothing of cos's to remove\n` : `${change.file}: already up to date, nothing to change\n`);
    else if (dryRun) context.stdout(change.diff);
    else context.stdout(`${change.file}: ${change.action}\n`);
  }
}

export async function run(context: CommandContext): Promise<number> {
  const { values, positionals, root, json } = parseCommand(context, flags, { positionals: 1 });
  const target = positionals[0];
  const dryRun = values['dry-run'] === true;
  const remove = values.remove === true;
  if (target === 'claude') {
    for (const flag of ['file', 'role'] as const) {
      if (values[flag] !== undefined) throw new InputError(`--${flag} belongs to cos setup agents-md, not cos setup claude; see cos setup --help.`);
    }
    if (remove && values.cos !== undefined) throw new InputError('Give --cos only when installing; --remove takes out our hooks whatever command they use.');
    const change = setupClaude(root, { remove, dryRun, local: values.local === true, ...(values.cos !== undefined ? { cos: values.cos } : {}) });
    report(context, json, target, dryRun, [change], remove);
    return 0;
  }
  if (target === 'agents-md') {
    for (const flag of ['cos', 'local'] as const) {
      if (values[flag] !== undefined) throw new InputError(`--${flag} belongs to cos setup claude, not cos setup agents-md; see cos setup --help.`);
    }
    if (remove && values.role !== undefined) throw new InputError('Give --role only when writing the section; --remove takes the whole section out.');
    const changes = setupAgentsMd(root, {
      remove,
      dryRun,
      ...(values.file !== undefined ? { files: values.file } : {}),
      ...(values.role !== undefined ? { roles: values.role } : {}),
    });
    report(context, json, target, dryRun, changes, remove);
    return 0;
  }
  if (target === 'git-hooks') {
    for (const flag of ['cos', 'local', 'file', 'role'] as const) {
      if (values[flag] !== undefined) throw new InputError(`--${flag} does not go with cos setup git-hooks; see cos setup --help.`);
    }
    const { setupGitHooks } = await import('../setup/git-hooks.js');
    const change = await setupGitHooks(root, { remove, dryRun });
    if (json) printJson(context, { target, dry_run: dryRun, changes: [change] });
    else {
      const chained = change.chained ? ` (runs the existing hook, kept as ${change.chained}, after the guard)` : '';
      const said: Record<typeof change.action, string> = {
        created: `${change.file}: ${dryRun ? 'would install' : 'installed'} the cos pre-commit guard${chained}`,
        updated: `${change.file}: ${dryRun ? 'would update' : 'updated'} the cos pre-commit guard${chained}`,
        unchanged: `${change.file}: already up to date, nothing to change`,
        removed: `${change.file}: ${dryRun ? 'would remove' : 'removed'} the cos pre-commit guard${change.chained ? ` and ${dryRun ? 'put' : 'put'} ${change.chained} back` : ''}`,
        absent: `${change.file}: nothing of cos's to remove`,
      };
      context.stdout(`${said[change.action]}\n`);
    }
    return 0;
  }
  if (target === undefined) throw new InputError('Say what to set up: cos setup claude, cos setup agents-md or cos setup git-hooks; see cos setup --help.');
  throw new InputError(`Unknown setup target ${JSON.stringify(target)}: use claude, agents-md or git-hooks.`);
}
