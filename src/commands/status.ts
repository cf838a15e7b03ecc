import type { Analysis } from '../analyze.js';
import { renderLeases, renderStatus, statusReport, type StatusReport } from '../output/status.js';
import { styleFor } from '../output/style.js';
import { operationIo, parseCommand, printJson, type CommandContext, type OperationIo, type Outcome } from './context.js';
import { defineFlags, flagsHelp, type FlagValues } from './flags.js';

export const flags = defineFlags({
  all: { type: 'boolean', mcp: true, help: 'include sprints whose entries are all archived and that have no open finding' },
  json: { type: 'boolean', help: '{"version": 1, "sprints": [{"sprint", "state", "agents": [{"agent", "status", "heartbeat", "stale", "holding"}], "severity" (null when no open finding), "updated", "flags", "waiting_on"}], "findings": [repository-wide findings], "entries": <valid entries read>, "problems": <files that did not parse>}' },
});

export const help = `Usage: cos status [--all] [--json]

The pipeline dashboard: one row per sprint with its STATE from the sprint lifecycle (WAITING,
READY, DISPATCHED, IN_PROGRESS, STALE, BLOCKED, FAILED, COMPLETE, VERIFIED; docs/lifecycle.md),
its AGENTS (holders first, stale ones marked, "+N more" past the terminal's width), the AGE of the
last update, the SEVERITY of its highest open finding ("-" when none) and the FLAGS raised by
cos scan (stale, conflict, escalation, unverified, ...). A sprint is shown while it has an entry in
status/current or an open finding, wherever its entries are.

${flagsHelp(flags)}

Files that do not parse are reported (cos scan lists each with its reason), never fatal.

Exit codes: 0 shown (whatever it shows); 1 bad usage or an invalid .agent/config/coordination.yaml.

Example:
  cos status --all`;

/** The dashboard's rows and findings; `data` keeps the analysis for the human view. */
export async function execute(values: FlagValues<typeof flags>, io: OperationIo): Promise<Outcome<StatusReport & { analysis: Analysis }>> {
  const { loadSynced } = await import('../notion/synced.js');
  const full = statusReport(io.root, { now: io.now(), all: values.all === true, synced: loadSynced(io.root) });
  for (const warning of full.analysis.config.warnings) io.warn(warning);
  const { analysis: _analysis, ...report } = full;
  return { document: { ...report }, exitCode: 0, data: full };
}

export async function run(context: CommandContext): Promise<number> {
  const { values, root, json } = parseCommand(context, flags);
  const { document, data } = await execute(values, operationIo(context, root));
  if (json) {
    printJson(context, document);
    return 0;
  }
  const columns = Number(context.env.COLUMNS) > 0 ? Number(context.env.COLUMNS) : context.isTTY && process.stdout.columns ? process.stdout.columns : 100;
  context.stdout(renderStatus(data.sprints, data.findings, data.analysis.now, styleFor(context.isTTY, context.env), columns) + renderLeases(data.leases));
  return 0;
}
