import type { ReviewResult } from '../git/review.js';
import { parseCommand, printJson, type CommandContext } from './context.js';
import { defineFlags, flagsHelp } from './flags.js';

export const flags = defineFlags({
  since: { type: 'string', value: 'REF', help: 'a branch, tag or commit (HEAD~5, origin/main, a sha); or a duration (90m, 24h, 7d): the last commit made before that long ago. Default: 24h.' },
  json: { type: 'boolean', help: '{ "version": 1, "since": { "ref", "commit" }, "added": [ { "file", "sprint", "agent", "status", ... } ], "archived": [ { "file", "from", "to", "sprint" } ], "restored", "heartbeats": [ ... ], "removed", "changed": [ paths ], "uncommitted": [ paths ], "problems" }' },
});

export const help = `Usage: cos review [--since REF|DURATION] [--json]

The coordination changes since a git ref, committed or not (untracked files included), under
.agent/ and runbook.md — what to look at before a commit, a push or a merge:
  entries added (by sprint and status), entries archived (moves current/ -> archive/<sprint>/),
  heartbeats refreshed (entries modified in place), roles, config, skills and plans changed, and which
  of all that is still uncommitted.

${flagsHelp(flags)}

Exit codes: 0 done; 1 bad usage, unknown ref, or not inside a git repository; 5 git failed.
Examples:
  cos review                      # the last day
  cos review --since origin/main  # what a push would bring`;

function countBy<T>(items: readonly T[], key: (item: T) => string): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function renderReview(result: ReviewResult): string {
  const lines: string[] = [];
  const base = result.since.commit ? `${result.since.ref} (${result.since.commit.slice(0, 12)})` : `${result.since.ref} (the beginning of history)`;
  lines.push(`Coordination changes since ${base}, working tree included:`);
  const mark = (uncommitted: boolean) => (uncommitted ? ' *' : '');
  if (result.added.length > 0) {
    lines.push(`Entries added: ${result.added.length}`);
    const bySprint = new Map<string, ReviewResult['added']>();
    for (const entry of result.added) {
      const list = bySprint.get(entry.sprint) ?? [];
      list.push(entry);
      bySprint.set(entry.sprint, list);
    }
    for (const [sprint, entries] of [...bySprint].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const statuses = countBy(entries, (entry) => entry.status).map(([status, n]) => `${n} ${status}`).join(', ');
      const pending = entries.filter((entry) => entry.uncommitted).length;
      lines.push(`  ${sprint}: ${statuses}${pending > 0 ? ` (${pending} uncommitted)` : ''}`);
    }
  }
  if (result.archived.length > 0) {
    lines.push(`Entries archived: ${result.archived.length}`);
    for (const [sprint, n] of countBy(result.archived, (move) => move.sprint ?? '(archive root)')) lines.push(`  ${sprint}: ${n}`);
  }
  if (result.restored.length > 0) {
    lines.push(`Entries restored from the archive: ${result.restored.length}`);
    for (const move of result.restored) lines.push(`  ${move.to}${mark(move.uncommitted)}`);
  }
  if (result.heartbeats.length > 0) {
    lines.push(`Heartbeats refreshed: ${result.heartbeats.length}`);
    for (const [who, n] of countBy(result.heartbeats, (entry) => `${entry.sprint}/${entry.agent}`)) lines.push(`  ${who}${n > 1 ? ` (${n} entries)` : ''}`);
  }
  if (result.removed.length > 0) {
    lines.push(`Entries removed (not archived): ${result.removed.length}`);
    for (const path of result.removed) lines.push(`  ${path}`);
  }
  if (result.changed.length > 0) {
    lines.push('Roles, config, skills and plans changed:');
    for (const change of result.changed) lines.push(`  ${change.change} ${change.path}${mark(change.uncommitted)}`);
  }
  for (const problem of result.problems) lines.push(`Cannot read ${problem.file}: ${problem.reason}.`);
  if (lines.length === 1) lines.push('  nothing.');
  if (result.uncommitted.length > 0) {
    // Listed by path: entries above are counted per sprint, so a "*" mark could not point at them.
    const shown = result.uncommitted.slice(0, 10);
    lines.push(`Uncommitted: ${result.uncommitted.length} ${result.uncommitted.length === 1 ? 'path' : 'paths'}${result.uncommitted.length > shown.length ? ` (the first ${shown.length}; git status -- .agent runbook.md lists all)` : ''}:`);
    for (const path of shown) lines.push(`  ${path}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function run(context: CommandContext): Promise<number> {
  const { values, root, json } = parseCommand(context, flags);
  const { reviewChanges } = await import('../git/review.js');
  const result = await reviewChanges(root, { ...(values.since !== undefined ? { since: values.since } : {}), now: context.now(), env: context.env });
  if (json) {
    printJson(context, {
      since: result.since,
      added: result.added,
      archived: result.archived,
      restored: result.restored,
      heartbeats: result.heartbeats,
      removed: result.removed,
      changed: result.changed.map((change) => change.path),
      uncommitted: result.uncommitted,
      problems: result.problems,
    });
  } else {
    context.stdout(renderReview(result));
  }
  return 0;
}
