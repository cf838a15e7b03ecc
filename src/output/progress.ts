/**
 * Progress of a long operation (a Notion sync of hundreds of sprints, an archive of thousands of
 * entries): a bar on stderr while stdout and stderr are both a terminal and --json is not given;
 * nothing otherwise (piped, redirected, --json, CI logs). The bar library is loaded only then
 * (progress-bar.ts), so no command pays for it at start-up.
 */
import type { CommandContext } from '../commands/context.js';

export interface Progress {
  /** `done` of `total` items; the first call shows the bar. */
  update(done: number, total: number): void;
  /** Take the bar off the screen (before the command prints its summary or an error). */
  stop(): void;
}

const NONE: Progress = { update() {}, stop() {} };

/** Whether progress is shown: a person watching a terminal, not a pipe or a JSON reader. */
export function showsProgress(context: Pick<CommandContext, 'isTTY'>, json: boolean, stderr: { isTTY?: boolean } = process.stderr): boolean {
  return !json && context.isTTY && stderr.isTTY === true;
}

/** A progress bar labelled `label` counting `unit` (e.g. "notion sync", "sprints"), or one that shows nothing. */
export async function progressFor(context: Pick<CommandContext, 'isTTY'>, json: boolean, label: string, unit: string): Promise<Progress> {
  if (!showsProgress(context, json)) return NONE;
  const { progressBar } = await import('./progress-bar.js');
  return progressBar(label, unit, process.stderr);
}
