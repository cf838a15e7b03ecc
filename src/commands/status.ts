import { renderStatus, statusReport } from '../output/status.js';
import { styleFor } from '../output/style.js';
import { parseCommand, printJson, type CommandContext } from './context.js';
import { defineFlags, flagsHelp } from './flags.js';

export const flags = defineFlags({
  all: { type: 'boolean', mcp: true, help: 'include sprints whose entries are all archived' },
  json: { type: 'boolean', help: '{"version": 1, "sprints": [{"sprint", "state", "agents": [{"agent", "status", "heartbeat", "stale"}], "severity", "updated", "flags"}], "findings": [repository-wide findings], "entries": <valid entries read>, "problems": <files that did not parse>}' },
});

export const help = `Usage: cos status [--all] [--json]

The pipeline dashboard: one row per sprint with its state (the status of its latest entry), each
agent's latest status (stale ones marked), the age of the last update, the highest severity and
the flags raised by cos scan (stale, conflict, escalation, unverified, ...).

${flagsHelp(flags)}

Files that do not parse are reported (cos scan lists each with its reason), never fatal.

Exit codes: 0 shown (whatever it shows); 1 bad usage or an invalid .agent/config/coordination.yaml.

Example:
  cos status --all`;

export async function run(context: CommandContext): Promise<number> {
  const { values, root, json } = parseCommand(context, flags);
  const { loadSynced } = await import('../notion/synced.js');
  const { analysis, ...report } = statusReport(root, { now: context.now(), all: values.all === true, synced: loadSynced(root) });
  for (const warning of analysis.config.warnings) context.stderr(`cos status: warning: ${warning}\n`);
  if (json) {
    printJson(context, { ...report });
    return 0;
  }
  context.stdout(renderStatus(report.sprints, report.findings, analysis.now, styleFor(context.isTTY, context.env)));
  return 0;
}
