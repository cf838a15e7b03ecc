import { scanWithConfig, type ScanResult } from '../analyze.js';
import type { LoadedConfig } from '../config/load.js';
import { failsAt } from '../checks/index.js';
import { EXIT, InputError } from '../errors.js';
import { SEVERITIES, type Severity } from '../protocol/fields.js';
import { renderScan } from '../output/scan.js';
import { styleFor } from '../output/style.js';
import { operationIo, parseCommand, printJson, type CommandContext, type OperationIo, type Outcome } from './context.js';
import { defineFlags, flagsHelp, type FlagValues } from './flags.js';

export const flags = defineFlags({
  'fail-on': { type: 'string', value: 'SV', choices: [...SEVERITIES, 'never'], mcp: true, help: 'exit 2 when a finding is at or above SV: INFO | WARN | URGENT | BLOCKER | never (default: scan.fail_on in coordination.yaml, else URGENT); never = always exit 0' },
  json: { type: 'boolean', help: '{ "version": 1, "findings": [ { kind, severity, sprint, files, message, action } ], "entries": <entries read>, "problems": <malformed files> }' },
});

export const help = `Usage: cos scan [--fail-on INFO|WARN|URGENT|BLOCKER|never] [--json]   (alias: cos health)

Every finding over the entries in .agent/status/ (current and archive), most severe first:
  stale             an open agent whose heartbeat + ttl ran out (WARN)
  conflict          two agents open on one sprint (URGENT)
  escalation        an URGENT/BLOCKER entry nothing has resolved yet (its own severity)
  repeated-failure  the same --error twice, or FAILED attempts at dispatch.attempt_cap (URGENT)
  unverified        a COMPLETE no other agent has VERIFIED (WARN)
  unsynced          a COMPLETE/VERIFIED not yet mirrored to Notion, when sync is on (INFO)
  overflow          more entries in current/ than archive.max_current (WARN)
  malformed         a file that does not parse or validate (WARN)
  duplicate-seq     two entries sharing a number after a git merge (INFO)
  over-budget       cost_usd of a sprint past budget_usd_per_sprint, when set (URGENT)

${flagsHelp(flags)}

Exit codes: 0 nothing at or above the threshold; 1 bad usage; 2 a finding at or above it.

Example:
  cos scan --fail-on WARN`;

/** Every finding; exit code 2 when one is at or above the threshold. */
export async function execute(values: FlagValues<typeof flags>, io: OperationIo): Promise<Outcome<{ result: ScanResult & { config: LoadedConfig }; failOn: Severity | 'never'; failing: number }>> {
  let failOn: Severity | 'never' | undefined;
  if (values['fail-on'] !== undefined) {
    const raw = values['fail-on'].trim();
    const upper = raw.toUpperCase();
    if (raw.toLowerCase() === 'never') failOn = 'never';
    else if (SEVERITIES.includes(upper as Severity)) failOn = upper as Severity;
    else throw new InputError(`Invalid --fail-on ${JSON.stringify(values['fail-on'])}: use one of ${SEVERITIES.join(', ')}, never.`);
  }
  const { loadSynced } = await import('../notion/synced.js');
  const synced = await loadSynced(io.root);
  const result = scanWithConfig(io.root, { now: io.now(), synced });
  const threshold = failOn ?? result.config.config.scan.fail_on;
  const failing = result.findings.filter((finding) => failsAt(finding, threshold)).length;
  const document = { findings: result.findings, entries: result.entries, problems: result.problems };
  return { document, exitCode: failing > 0 ? EXIT.findings : EXIT.ok, data: { result, failOn: threshold, failing } };
}

export async function run(context: CommandContext): Promise<number> {
  const { values, root, json } = parseCommand(context, flags);
  // The JSON document stays the only thing printed with --json: warnings only with the text.
  const { document, exitCode, data } = await execute(values, { ...operationIo(context, root), warn: () => {} });
  if (json) printJson(context, document);
  else {
    for (const warning of data.result.config.warnings) operationIo(context, root).warn(warning);
    context.stdout(renderScan({ findings: data.result.findings, entries: data.result.entries, problems: data.result.problems, failOn: data.failOn, failing: data.failing }, styleFor(context.isTTY, context.env)));
  }
  return exitCode;
}
