import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { analyze } from '../analyze.js';
import { listRoles } from '../dispatch/role.js';
import { InputError } from '../errors.js';
import { briefInput, buildBrief, renderBrief, type Brief } from '../output/brief.js';
import { planView } from '../plans/view.js';
import { parseDuration, parseTimestamp } from '../protocol/time.js';
import { agentPaths } from '../store/paths.js';
import { operationIo, parseCommand, printJson, type CommandContext, type OperationIo, type Outcome } from './context.js';
import { defineFlags, flagsHelp, type FlagValues } from './flags.js';

export const flags = defineFlags({
  since: { type: 'string', value: 'D', mcp: true, help: 'the window for "completed": a duration (90m, 24h, 7d) or an ISO time (default 24h); in progress, blocked and findings are always the current state' },
  json: { type: 'boolean', help: 'the same as one JSON document (shape: docs/chief.md)' },
});

export const help = `Usage: cos brief [--since 24h] [--json]

The daily briefing, as markdown: highlights first (escalations, conflicts, repeated failures,
budget, stale agents — what needs a human is marked), then completed and verified work in the
window, work in progress with its heartbeat age, blocked and failed work with error signatures,
unverified claims, and what to dispatch next as exact cos dispatch commands: the READY steps of
the plans first (cos ready), then what moves each present sprint on.

${flagsHelp(flags)}

Exit codes: 0 always, except 1 for bad usage (cos scan is the command that fails on findings).

Example:
  cos brief --since 7d`;

function parseSince(value: string, now: Date): { since: Date; window: string } {
  const duration = parseDuration(value);
  // A window reaching before 1970 (or past what a Date can hold) means everything: no entry is older.
  if (!Number.isNaN(duration)) return { since: new Date(Math.max(0, now.getTime() - duration)), window: `last ${value.trim()}` };
  const at = parseTimestamp(value.trim());
  if (!Number.isNaN(at)) return { since: new Date(at), window: `since ${value.trim()}` };
  throw new InputError(`Invalid --since ${JSON.stringify(value)}: give a duration such as 24h, 90m or 7d, or an ISO time such as 2026-01-14T00:00:00Z.`);
}

/** The briefing over the window `since` (default 24h). */
export async function execute(values: FlagValues<typeof flags>, io: OperationIo): Promise<Outcome<{ brief: Brief; window: string }>> {
  const now = io.now();
  const { since, window } = parseSince(values.since ?? '24h', now);
  const { loadSynced } = await import('../notion/synced.js');
  const synced = await loadSynced(io.root);
  const analysis = analyze(io.root, { now, synced });
  const brief = buildBrief(briefInput(analysis, { roles: listRoles(io.root), since, initialised: existsSync(agentPaths(io.root).agent), queue: planView(io.root, analysis.sprints) }));
  return { document: { ...brief }, exitCode: 0, data: { brief, window } };
}

export async function run(context: CommandContext): Promise<number> {
  const { values, root, json } = parseCommand(context, flags);
  const { document, data } = await execute(values, operationIo(context, root));
  if (json) printJson(context, document);
  else context.stdout(renderBrief(data.brief, { title: basename(agentPaths(root).root), window: data.window }));
  return 0;
}
