import { loadConfig } from '../config/load.js';
import { InputError } from '../errors.js';
import { approveLocalRoot, localRoot, LOCAL_ROOT_ENV } from '../localsync/local-root.js';
import type { SyncResult } from '../localsync/sync.js';
import { parseCommand, printJson, type CommandContext } from './context.js';
import { defineFlags, flagsHelp } from './flags.js';
import { visible } from '../output/visible.js';

export const flags = defineFlags({
  push: { type: 'boolean', help: '.agent/ -> local directory (the default; run it on startup)' },
  pull: { type: 'boolean', help: 'local directory -> .agent/, then show the git diff to review and commit' },
  target: { type: 'string', value: 'DIR', help: 'the local agent directory (before $COS_LOCAL_ROOT, local_root, ~/.claude)' },
  'allow-local-root': { type: 'boolean', help: 'approve, on this machine, the local_root that coordination.yaml sets now (printed first), then sync' },
  'dry-run': { type: 'boolean', help: 'show what would be copied or deleted; change nothing' },
  json: { type: 'boolean', help: '{ "version": 1, "direction", "target", "dry_run", "actions": [ { "path", "action": "unchanged|create|update|delete|skip|conflict", "reason"? } ], "conflicts": [ paths ], "diff"?, "untracked"? }' },
});

export const help = `Usage: cos sync [--push | --pull] [--target DIR] [--dry-run] [--json]

Sync roles and skills between .agent/ (the source of truth, in git) and the local agent
directory:
  .agent/roles/<role>.md       <->  <target>/roles/<role>.md
  .agent/skills/<skill>/...    <->  <target>/skills/<skill>/...

${flagsHelp(flags)}

The local agent directory is yours to declare, not the repository's: --target DIR, else
${LOCAL_ROOT_ENV}, else ~/.claude. A local_root in .agent/config/coordination.yaml other than
~/.claude is used only once you approved that exact value, leading where it leads now (links
resolved), on this machine (--allow-local-root, recorded like notify routes in
.git/cos/notify-approved.json); until then cos sync refuses, naming it, and writes nothing. A
changed local_root, or one that leads elsewhere later, needs a new approval.

Nothing is overwritten silently: a file changed on both sides since the last sync (recorded in
.agent/state/sync.json) is a conflict — reported and left alone; a file changed only on the
destination side is skipped (the other direction carries it over).

Exit codes: 0 in sync; 1 bad usage, or an unapproved local_root (nothing written); 3 a conflict
was left alone.
Examples:
  cos sync                           # on startup (scripts/sync in the agent-cos repo)
  cos sync --pull                    # bring local skill edits back, then review the diff`;

function render(result: SyncResult, diff: { diff: string; untracked: string[] } | null | undefined): string {
  // The target may come from local_root of coordination.yaml (repository text): kept on its line.
  const target = visible(result.target, { oneLine: true });
  const arrow = result.direction === 'push' ? `.agent/ -> ${target}` : `${target} -> .agent/`;
  const lines = [`cos sync --${result.direction}${result.dryRun ? ' --dry-run' : ''}: ${arrow}`];
  const verb = (action: string) => (result.dryRun ? `would ${action}` : `${action}d`);
  let unchanged = 0;
  // Role and skill names come from folders (here and in the local agent directory): each stays on its line, escaped.
  const name = (text: string) => visible(text, { oneLine: true });
  for (const action of result.actions) {
    if (action.action === 'unchanged') unchanged++;
    else if (action.action === 'skip' || action.action === 'conflict') lines.push(`  ${action.action.padEnd(9)} ${name(action.key)}: ${name(String(action.reason))}`);
    else lines.push(`  ${verb(action.action).padEnd(9)} ${name(action.key)}`);
  }
  const changed = result.actions.filter((a) => a.action === 'create' || a.action === 'update' || a.action === 'delete').length;
  const skipped = result.actions.filter((a) => a.action === 'skip').length;
  lines.push(
    `${unchanged} unchanged, ${changed} ${result.dryRun ? 'to change' : 'changed'}, ${skipped} skipped, ${result.conflicts.length} ${result.conflicts.length === 1 ? 'conflict' : 'conflicts'}.`,
  );
  if (diff === null) lines.push('Not a git repository: review the changes in .agent/ by hand.');
  else if (diff) {
    if (diff.diff === '' && diff.untracked.length === 0) lines.push('git diff: no changes in .agent/roles or .agent/skills.');
    else {
      lines.push('Review with git, then commit:');
      if (diff.untracked.length > 0) lines.push(...diff.untracked.map((path) => `  new file: ${name(path)}`));
      if (diff.diff !== '') lines.push(diff.diff.replace(/\n$/, ''));
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function run(context: CommandContext): Promise<number> {
  const { values, root, json } = parseCommand(context, flags);
  if (values.push && values.pull) throw new InputError('Give either --push or --pull, not both.');
  if (values.target !== undefined && values.target.trim() === '') throw new InputError('--target needs a directory.');
  const configured = loadConfig(root).config.local_root;
  if (values['allow-local-root'] && values['dry-run']) throw new InputError('Give --allow-local-root without --dry-run: approving is recorded.');
  if (values['allow-local-root']) {
    const { shown, leadsTo } = approveLocalRoot(root, context.env, configured);
    // local_root is repository text: JSON-quoted (only what JSON leaves raw escaped), and where it leads on its line.
    if (!json) context.stdout(`Approved on this machine (recorded in ${visible(shown, { oneLine: true })}): local_root ${visible(JSON.stringify(configured))} of .agent/config/coordination.yaml, leading to ${visible(leadsTo, { oneLine: true })}; a changed local_root, or one that leads elsewhere later (a link), needs cos sync --allow-local-root again.\n`);
  }
  const target = localRoot({ root, cwd: context.cwd, env: context.env, target: values.target, configured, command: 'cos sync' }).path;
  const { syncLocal } = await import('../localsync/sync.js');
  const result = await syncLocal(root, { direction: values.pull ? 'pull' : 'push', target, dryRun: values['dry-run'] === true });
  let diff: { diff: string; untracked: string[] } | null | undefined;
  if (result.direction === 'pull' && !result.dryRun) {
    const { diffPaths } = await import('../git/diff.js');
    diff = await diffPaths(root, ['.agent/roles', '.agent/skills'], context.env);
  }
  if (json) {
    printJson(context, {
      direction: result.direction,
      target: result.target,
      dry_run: result.dryRun,
      actions: result.actions.map((a) => ({ path: a.key, action: a.action, ...(a.reason ? { reason: a.reason } : {}) })),
      conflicts: result.conflicts.map((a) => a.key),
      ...(diff !== undefined ? { diff: diff?.diff ?? null, untracked: diff?.untracked ?? [] } : {}),
    });
  } else {
    context.stdout(render(result, diff));
  }
  return result.conflicts.length > 0 ? 3 : 0;
}
