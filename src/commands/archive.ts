import { archiveStore, type ArchiveResult } from '../archive/move.js';
import type { MoveReason } from '../archive/policy.js';
import { InputError } from '../errors.js';
import { loadConfig } from '../config/load.js';
import { progressFor } from '../output/progress.js';
import { parseCommand, printJson, type CommandContext } from './context.js';
import { defineFlags, flagsHelp } from './flags.js';
import { anchorStateLine, GITIGNORE } from '../store/gitignore.js';

export const flags = defineFlags({
  'dry-run': { type: 'boolean', help: 'print what would move; change nothing' },
  commit: { type: 'boolean', help: 'git-commit exactly the moves (nothing else staged is touched); exit 1 outside a git repository (nothing moves); exit 5 if git fails, with the moves done' },
  json: { type: 'boolean', help: '{ "version": 1, "moved": [ { "from", "to", "reason" } ], "skipped", "dry_run", "current", "max_current", "overflow", "malformed", "updated", "commit" }' },
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

${flagsHelp(flags)}

Exit codes: 0 done (also when nothing moved); 1 bad usage or --commit outside a git repository;
5 git failed (--commit).
Example:
  cos archive --dry-run && cos archive --commit`;

const REASON_TEXT: Record<MoveReason, string> = {
  'finished-sprint': 'finished sprint',
  age: 'older than max_age_days',
  bound: 'over max_current',
};

function render(result: ArchiveResult, maxCurrent: number, commit: string | null): string {
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
      const parts = [...reasons].map(([reason, count]) => `${count} ${REASON_TEXT[reason]}`).join(', ');
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
  if (commit) lines.push(`Committed ${commit.slice(0, 12)}.`);
  return `${lines.join('\n')}\n`;
}

export async function run(context: CommandContext): Promise<number> {
  const { values, root, json } = parseCommand(context, flags);
  const dryRun = values['dry-run'] === true;
  if (dryRun && values.commit) throw new InputError('Give either --dry-run or --commit, not both.');
  const { config } = loadConfig(root);
  if (values.commit) {
    // Outside a git repository --commit cannot succeed: say so before moving anything.
    const { repoInfo } = await import('../git/run.js');
    await repoInfo(root);
  }
  // Thousands of moves take seconds: a bar on a terminal (none piped or with --json).
  const progress = dryRun ? null : await progressFor(context, json, 'cos archive', 'entries');
  let result: ArchiveResult;
  try {
    result = await archiveStore(root, { now: context.now(), dryRun, bounds: config.archive, verification: config.verification, onProgress: progress?.update });
  } finally {
    progress?.stop();
  }
  // A sprint named state lands in archive/state/, which the old unanchored state/ line of
  // .agent/.gitignore hides from git: that line is rewritten first (as cos init does), so the
  // archived entries are committed, not dropped from the shared history.
  const updated = !dryRun && result.moved.some((move) => move.entry.sprint === 'state') && anchorStateLine(root) ? [GITIGNORE] : [];
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
      commit,
    });
  } else {
    for (const file of updated) context.stdout(`Updated ${file}: its line state/ is now /state/, so status/archive/state/ (the sprint named state) is versioned.\n`);
    context.stdout(render(result, config.archive.max_current, commit));
  }
  if (commitError) throw commitError;
  return 0;
}
