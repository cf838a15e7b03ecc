import { loadConfig } from '../config/load.js';
import { unverifiedClaims, verifiersOf } from '../checks/unverified.js';
import { claimSprint } from '../dispatch/claim.js';
import { buildPrompt } from '../dispatch/prompt.js';
import { loadRole } from '../dispatch/role.js';
import { InputError } from '../errors.js';
import { entryToJson } from '../protocol/entry.js';
import { deriveSprint } from '../state/sprints.js';
import { dispatchReceipt } from '../output/dispatch.js';
import { intFlag, parseCommand, printJson, type CommandContext } from './context.js';
import { defineFlags, flagsHelp } from './flags.js';

export const flags = defineFlags({
  agent: { type: 'string', value: 'A', kind: 'slug', mcp: true, help: "the agent's name in entries (default: the role's name)" },
  force: { type: 'boolean', mcp: true, help: 'dispatch even onto an occupied sprint, an open escalation or a repeated failure; the new entry records what it overrode in supersedes:' },
  ttl: { type: 'string', value: 'M', kind: 'minutes', mcp: true, help: "minutes the agent may stay silent (default: the role's ttl_minutes, else the config)" },
  json: { type: 'boolean', help: '{ "version": 1, "entry": {...}, "prompt": "..." }' },
});

export const help = `Usage: cos dispatch ROLE SPRINT [--agent A] [--force] [--ttl M] [--json]

Claim SPRINT for a ROLE (.agent/roles/ROLE.md): write its DISPATCHED entry and print the briefing
prompt for the agent you spawn (role prose, model tier, standing orders, escalation triggers, the
sprint's history, its own preflight and the exact cos post / cos heartbeat commands).

The claim is atomic: of several dispatches of one sprint at the same instant exactly one wins.

${flagsHelp(flags)}

Exit codes: 0 dispatched; 1 bad usage or unknown role (the roles that exist are listed);
3 refused: the sprint is occupied, has an open escalation or hit a repeated failure / the attempt
cap (the blocking entry files are named); 4 the role's preflight failed (every missing file and
skill is named).

Example:
  cos dispatch developer results-wiring-v1 | claude -p`;

export async function run(context: CommandContext): Promise<number> {
  const { values, positionals, root, json } = parseCommand(context, flags, { positionals: 2 });
  if (positionals.length < 2) throw new InputError('Give a ROLE and a SPRINT, e.g. cos dispatch developer my-sprint; see cos dispatch --help.');
  const [roleName, sprint] = positionals as [string, string];
  const { config } = loadConfig(root);
  const role = loadRole(root, roleName);
  const now = context.now();
  const result = await claimSprint(root, config, {
    role,
    sprint,
    ...(values.agent !== undefined ? { agent: values.agent } : {}),
    force: values.force === true,
    ...(values.ttl !== undefined ? { ttl_minutes: intFlag('ttl', values.ttl)! } : {}),
    now,
  });
  const history = result.before?.entries ?? [];
  // Claims for this agent to verify: never its own work.
  const claims = result.before
    ? unverifiedClaims(deriveSprint(sprint, history, now), verifiersOf(result.entries)).filter((claim) => claim.agent !== result.entry.agent)
    : [];
  const prompt = buildPrompt({ role, entry: result.entry, history, superseded: result.superseded, claims });
  if (json) {
    printJson(context, { entry: entryToJson(result.entry), prompt });
    return 0;
  }
  context.stderr(dispatchReceipt(result));
  context.stdout(prompt);
  return 0;
}
