import { archiveStore, type ArchiveResult } from '../archive/move.js';
import type { MoveReason } from '../archive/policy.js';
import { InputError, isCosError } from '../errors.js';
import { refusalJson } from '../output/refusal.js';
import { loadConfig } from '../config/load.js';
import { progressFor } from '../output/progress.js';
import { parseCommand, printJson, type CommandContext } from './context.js';
import { defineFlags, flagsHelp } from './flags.js';
import { visibleLines } from '../output/visible.js';
import { anchorStateLine, GITIGNORE } from '../store/gitignore.js';
import { unversionedMoves, type UnversionedMove } from '../archive/unversioned.js';

export const flags = defineFlags({
  'dry-run': { type: 'boolean', help: 'print what would move; change nothing' },
  commit: { type: 'boolean', help: 'git-commit exactly the moves (nothing else staged is touched); exit 1 outside a git repository or when git would ignore a destination (nothing moves); exit 5 if git fails, with the moves done' },
  json: { type: 'boolean', help: '{ "version": 1, "moved": [ { "from", "to", "reason" } ], "skipped", "dry_run", "current", "max_current", "overflow", "malformed", "updated", "unversioned": [ { "from", "to", "rule" } ], "commit" } (a --commit git refused: "commit": null, "ok": false, "error": { "code", "exit_code", "message" }, exit 5, the moves done)' },
});

export const help = `Usage: cos archive [--dry-run] [--commit] [--json]

Move entries out of .agent/status/current/ into .agent/status/archive/<sprint>/ (a rename: git
sees a move). What moves (coordination.yaml "archive"):
  - every entry of a finished sprint: VERIFIED by another agent (or COMPLETE, where
    coordination.yaml says verification: optional), nobody holding it; an unverified COMPLETE
    is not finished and stays;
  - entries older than archive.max_age_days (default 7), except each agent's latest entry on a
    sprint that is not finished;
  - while current/ holds more than archive.max_current (default 50) entry files: the oldest
    finished entries first, then other superseded history, then latest FAILED entries and claims.
A holder's entry (DISPATCHED, IN_PROGRESS, BLOCKED, not superseded) never moves, malformed files
never move;
if they alone exceed the bound, the output says so (and cos scan reports an overflow).
In a git repository, a destination that an ignore rule of the repository matches (say archive/
in the root .gitignore) while its entry in current/ is versioned would drop that entry from the
shared history: --commit refuses before moving anything, naming the rule; a plain or dry run
moves and says so.

${flagsHelp(flags)}

Exit codes: 0 done (also when nothing moved); 1 bad usage, or --commit outside a git repository
or into an ignored destination (nothing moved); 5 git failed (--commit).
Example:
  cos archive --dry-run && cos archive --commit`;

const REASON_TEXT: Record<MoveReason, string> = {
  'finished-sprint': 'finished sprint',
  age: 'older than max_age_days',
  bound: 'over max_current',
};

/** "2 entries of a finished sprint", "1 older than max_age_days": a count of moves for one reason. */
function countText(reason: MoveReason, count: number): string {
  return reason === 'finished-sprint' ? `${count} ${count === 1 ? 'entry' : 'entries'} of a finished sprint` : `${count} ${REASON_TEXT[reason]}`;
}

/** The folder a move's destination lies in, with its slash: `.agent/status/archive/alpha/`. */
function folderOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1);
}

/** One line per destination folder git ignores, naming the rule. */
function unversionedLines(unversioned: readonly UnversionedMove[]): string[] {
  const byFolder = new Map<string, { rule: string; count: number }>();
  for (const move of unversioned) {
    const folder = folderOf(move.to);
    const seen = byFolder.get(folder);
    if (seen) seen.count++;
    else byFolder.set(folder, { rule: move.rule, count: 1 });
  }
  return [...byFolder].map(
    ([folder, { rule, count }]) =>
      `Not versioned: git ignores ${folder} (rule ${rule}), so ${count} archived ${count === 1 ? 'entry leaves' : 'entries leave'} the shared history; change that rule so it no longer matches ${folder} (a ! line cannot bring back a folder inside an ignored one) and commit the archive.`,
  );
}

function describeRefusal(unversioned: readonly UnversionedMove[]): string {
  const first = unversioned[0]!;
  const more = unversioned.length > 1 ? ` (and ${unversioned.length - 1} more)` : '';
  return `git ignores ${first.to}${more} (rule ${first.rule}), so the move of ${first.from} cannot be committed; nothing moved. Change that rule so it no longer matches ${folderOf(first.to)} (a ! line cannot bring back a folder inside an ignored one) and run cos archive --commit again.`;
}

function render(result: ArchiveResult, maxCurrent: number, commit: string | null, unversioned: readonly UnversionedMove[]): string {
  const lines: string[] = [];
  const verb = result.dryRun ? 'Would archive' : 'Archived';
  const n = result.moved.length;
  lines.push(n === 0 ? 'Nothing to archive.' : `${verb} ${n} ${n === 1 ? 'entry' : 'entries'}:`);
  if (n > 0 && n <= 20) {
    for (const move of result.moved) lines.push(`  ${move.from} -> ${move.to}  (${REASON_TEXT[move.reason]})`);
  } else if (n > 20) {
    const bySprint = new Map<string, Map<MoveReason, number>>();
    for (const move of result.moved) {
      let reasons = bySprint.get(move.entry.sprint);
      if (!reasons) bySprint.set(move.entry.sprint, (reasons = new Map()));
      reasons.set(move.reason, (reasons.get(move.reason) ?? 0) + 1);
    }
    for (const [sprint, reasons] of [...bySprint].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const parts = [...reasons].map(([reason, count]) => countText(reason, count)).join(', ');
      lines.push(`  ${sprint}: ${parts} -> .agent/status/archive/${sprint}/`);
    }
  }
  for (const skip of result.skipped) lines.push(`Skipped ${skip.from}: ${skip.why}.`);
  lines.push(`current/ ${result.dryRun ? 'would hold' : 'holds'} ${result.plan.remaining} entry files (max_current ${maxCurrent}).`);
  const overflow = result.plan.overflow;
  if (overflow) {
    const malformed = overflow.malformed > 0 ? ` and ${overflow.malformed} malformed files` : '';
    lines.push(
      `Over the bound: ${overflow.remaining} entry files stay in current/ (max_current ${overflow.max_current}); ${overflow.open} are agents' open entries${malformed}, which are never archived — finish or close those sprints, or raise archive.max_current.`,
    );
  }
  if (result.malformed.length > 0) lines.push(`${result.malformed.length} malformed files left in place (see cos scan).`);
  lines.push(...unversionedLines(unversioned));
  if (commit) lines.push(`Committed ${commit.slice(0, 12)}.`);
  return visibleLines(lines);
}

export async function run(context: CommandContext): Promise<number> {
  const { values, root, json } = parseCommand(context, flags);
  const dryRun = values['dry-run'] === true;
  if (dryRun && values.commit) throw new InputError('Give either --dry-run or --commit, not both.');
  const { config } = loadConfig(root);
  const options = { now: context.now(), bounds: config.archive, verification: config.verification };
  // A sprint named state lands in archive/state/, which the old unanchored state/ line of
  // .agent/.gitignore hides from git: that line is rewritten (as cos init does), so the archived
  // entries are committed, not dropped from the shared history.
  const movesState = (moved: ArchiveResult['moved']) => moved.some((move) => move.entry.sprint === 'state');
  let updated: string[] = [];
  if (values.commit) {
    // Outside a git repository, or into a destination git ignores, --commit cannot do what it
    // says: refuse before moving anything.
    const { repoInfo } = await import('../git/run.js');
    await repoInfo(root);
    const planned = await archiveStore(root, { ...options, dryRun: true });
    const refused = await unversionedMoves(root, planned.moved, { stateLineRewritten: true, ignoredSources: true });
    if (refused.length > 0) throw new InputError(describeRefusal(refused));
    if (movesState(planned.moved) && anchorStateLine(root)) updated = [GITIGNORE];
  }
  // Thousands of moves take seconds: a bar on a terminal (none piped or with --json).
  const progress = dryRun ? null : await progressFor(context, json, 'cos archive', 'entries');
  let result: ArchiveResult;
  try {
    result = await archiveStore(root, { ...options, dryRun, onProgress: progress?.update });
  } finally {
    progress?.stop();
  }
  if (!values.commit && !dryRun && movesState(result.moved) && anchorStateLine(root)) updated = [GITIGNORE];
  const unversioned = values.commit ? [] : await unversionedMoves(root, result.moved, { stateLineRewritten: true });
  let commit: string | null = null;
  let commitError: unknown;
  if (values.commit && result.moved.length > 0) {
    const { commitPaths } = await import('../git/commit.js');
    const n = result.moved.length;
    try {
      commit = await commitPaths(root, [...result.moved.flatMap((move) => [move.from, move.to]), ...updated], `cos: archive ${n} ${n === 1 ? 'entry' : 'entries'}`);
    } catch (error) {
      commitError = error;
    }
  }
  if (json) {
    printJson(context, {
      moved: result.moved.map((move) => ({ from: move.from, to: move.to, reason: move.reason })),
      skipped: result.skipped,
      dry_run: dryRun,
      current: result.plan.remaining,
      max_current: config.archive.max_current,
      overflow: result.plan.overflow,
      malformed: result.malformed,
      updated,
      unversioned,
      commit,
      // The moves are done whatever git did: a failed --commit is said beside them (exit 5 below).
      ...(isCosError(commitError) ? refusalJson(commitError) : {}),
    });
  } else {
    for (const file of updated) context.stdout(`Updated ${file}: its line state/ is now /state/, so status/archive/state/ (the sprint named state) is versioned.\n`);
    context.stdout(render(result, config.archive.max_current, commit, unversioned));
  }
  if (commitError) throw commitError;
  return 0;
}
