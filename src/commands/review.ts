import type { ReviewResult, WorktreeReview } from '../git/review.js';
import { parseCommand, printJson, type CommandContext } from './context.js';
import { defineFlags, flagsHelp } from './flags.js';
import { visible, visibleLines } from '../output/visible.js';

export const flags = defineFlags({
  since: { type: 'string', value: 'REF', help: 'a branch, tag or commit (HEAD~5, origin/main, a sha); or a duration (90m, 24h, 7d): the last commit made before that long ago. Default: 24h.' },
  here: { type: 'boolean', help: 'only the worktree cos runs in (default: every worktree of the repository, this one first)' },
  json: { type: 'boolean', help: '{ "version": 1, "since": { "ref", "commit" }, "added": [ { "file", "sprint", "agent", "status", ... } ], "archived": [ { "file", "from", "to", "sprint" } ], "restored", "heartbeats": [ ... ], "removed", "changed": [ paths ], "uncommitted": [ paths ], "problems", "worktrees": [ { "worktree", "path", "added", ...the same lists, of each other worktree } ] }' },
});

export const help = `Usage: cos review [--since REF|DURATION] [--json]

The coordination changes since a git ref, committed or not (untracked files included), under
.agent/ and runbook.md — what to look at before a commit, a push or a merge:
  entries added (by sprint and status), entries archived (moves current/ -> archive/<sprint>/),
  heartbeats refreshed (entries modified in place), roles, config, skills and plans changed, and which
  of all that is still uncommitted.
In a repository of several git worktrees, the worktree cos runs in comes first, then each other
worktree with changes, against the same base commit (--here: only this one).

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

/** Whether a review found anything at all. */
function isEmpty(result: Omit<ReviewResult, 'since'>): boolean {
  return [result.added, result.archived, result.restored, result.heartbeats, result.removed, result.changed, result.problems, result.uncommitted].every((list) => list.length === 0);
}

export function renderReview(result: ReviewResult, others: readonly WorktreeReview[] = []): string {
  const base = result.since.commit ? `${result.since.ref} (${result.since.commit.slice(0, 12)})` : `${result.since.ref} (the beginning of history)`;
  let out = renderChanges(result, `Coordination changes since ${base}, working tree included${others.length > 0 ? ', in this worktree' : ''}:`);
  const quiet: string[] = [];
  for (const other of others) {
    if (isEmpty(other)) quiet.push(other.worktree);
    else out += `\n${renderChanges(other, `In worktree ${other.worktree} (${other.path}), since the same commit:`)}`;
  }
  if (quiet.length > 0) out += `\nNo coordination changes in ${quiet.length === 1 ? 'worktree' : 'worktrees'} ${quiet.join(', ')}.\n`;
  return out;
}

function renderChanges(result: Omit<ReviewResult, 'since'>, heading: string): string {
  const lines: string[] = [heading];
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
  return visibleLines(lines);
}

export async function run(context: CommandContext): Promise<number> {
  const { values, root, json } = parseCommand(context, flags);
  const { reviewChanges, reviewWorktrees } = await import('../git/review.js');
  const options = { ...(values.since !== undefined ? { since: values.since } : {}), now: context.now(), env: context.env };
  const { here: result, others, problems } = values.here ? { here: await reviewChanges(root, options), others: [], problems: [] } : await reviewWorktrees(root, options);
  // The worktree's path and git's reason are repository text: they stay on this line, escaped.
  for (const problem of problems) context.stderr(`cos review: warning: ${visible(`worktree ${problem.worktree} was not reviewed: ${problem.reason}`, { oneLine: true })}\n`);
  const lists = (review: Omit<ReviewResult, 'since'>) => ({
    added: review.added,
    archived: review.archived,
    restored: review.restored,
    heartbeats: review.heartbeats,
    removed: review.removed,
    changed: review.changed.map((change) => change.path),
    uncommitted: review.uncommitted,
    problems: review.problems,
  });
  if (json) {
    printJson(context, { since: result.since, ...lists(result), worktrees: others.map((other) => ({ worktree: other.worktree, path: other.path, ...lists(other) })) });
  } else {
    context.stdout(renderReview(result, others));
  }
  return 0;
}
