import { loadConfig } from '../config/load.js';
import { claimSprint, type ClaimResult } from '../dispatch/claim.js';
import { buildPrompt } from '../dispatch/prompt.js';
import { loadRole } from '../dispatch/role.js';
import { InputError, isCosError } from '../errors.js';
import { refusalJson } from '../output/refusal.js';
import { entryToJson } from '../protocol/entry.js';
import { dispatchReceipt } from '../output/dispatch.js';
import { intFlag, operationIo, parseCommand, printJson, type CommandContext, type OperationIo, type Outcome } from './context.js';
import { defineFlags, flagsHelp, type FlagValues } from './flags.js';

export const flags = defineFlags({
  agent: { type: 'string', value: 'A', kind: 'slug', mcp: true, help: "the agent's name in entries (default: the role's name)" },
  force: {
    type: 'boolean',
    mcp: true,
    help: 'dispatch even onto an occupied sprint, an open escalation, a repeated failure or a WAITING plan step; the new entry records what it overrode (supersedes:, each file once, and a line in its body), and the receipt on stderr names those files',
  },
  ttl: { type: 'string', value: 'M', kind: 'minutes', mcp: true, help: "minutes the agent may stay silent (default: the role's ttl_minutes, else the config)" },
  remote: {
    type: 'string',
    value: 'NAME',
    mcp: true,
    help: 'claim through this git remote too (default: dispatch.remote, else none); with --force a live claim there is replaced (with a lease on the value read)',
  },
  json: { type: 'boolean', help: '{ "version": 1, "entry": {...}, "prompt": "..." }; refused or failed: { "version": 1, "ok": false, "error": { "code", "exit_code", "message", "missing"? } } (and the sentence on stderr)' },
});

export const help = `Usage: cos dispatch ROLE SPRINT [--agent A] [--force] [--ttl M] [--remote NAME] [--json]

Claim SPRINT for a ROLE (.agent/roles/ROLE.md): write its DISPATCHED entry and print the briefing
prompt for the agent you spawn (role prose, model tier, standing orders, escalation triggers, the
sprint's history, its own preflight and the exact cos post / cos heartbeat commands).

The claim is atomic: of several dispatches of one sprint at the same instant exactly one wins,
from any worktree of the repository (the claim space is in the git common dir).

With --remote NAME (or dispatch.remote in coordination.yaml) the sprint is also claimed on that
git remote, for machines that share only the remote: a push of refs/cos/claims/SPRINT (sprint,
agent, machine, time) that the remote rejects when the ref exists, so of N machines exactly one
wins. The claim lasts while its holder holds the sprint: its heartbeats refresh it; it is released
once the holder posts COMPLETE, FAILED or VERIFIED, is superseded, or is past its ttl.

${flagsHelp(flags)}

Exit codes: 0 dispatched; 1 bad usage or unknown role (the roles that exist are listed);
3 refused: the sprint is occupied, has an open escalation or hit a repeated failure / the attempt
cap (the blocking entry files are named), is a plan step WAITING on unfinished dependencies (they
are named; see cos ready), or another machine holds the claim on the remote (its
agent, machine and time are named); 4 the role's preflight failed (every missing file and skill
is named); 5 the remote cannot be reached (nothing is written).

Example:
  cos dispatch developer results-wiring-v1 | claude -p`;

/** Claim SPRINT for ROLE (through the git remote, when one is given or configured) and build the briefing prompt. */
export async function execute(values: FlagValues<typeof flags>, io: OperationIo, roleName: string, sprint: string): Promise<Outcome<{ result: ClaimResult; prompt: string }>> {
  const { config } = loadConfig(io.root);
  const role = loadRole(io.root, roleName);
  const now = io.now();
  const remote = values.remote ?? config.dispatch.remote;
  const result = await claimSprint(io.root, config, {
    ...(remote !== undefined ? { remote } : {}),
    role,
    sprint,
    ...(values.agent !== undefined ? { agent: values.agent } : {}),
    force: values.force === true,
    ...(values.ttl !== undefined ? { ttl_minutes: intFlag('ttl', values.ttl)! } : {}),
    now,
  });
  const history = result.before?.entries ?? [];
  // The claim awaiting review, for this agent to verify: never its own work.
  const claim = result.before?.unverified ?? null;
  const claims = claim && claim.agent !== result.entry.agent ? [claim] : [];
  const prompt = buildPrompt({ role, entry: result.entry, history, superseded: result.superseded, claims });
  if (remote !== undefined) await releaseLapsed(io, remote, now);
  const document = { entry: entryToJson(result.entry), prompt, ...(result.remote ? { remote_claim: { remote: result.remote.name, ...result.remote.claim } } : {}) };
  return { document, exitCode: 0, data: { result, prompt } };
}

export async function run(context: CommandContext): Promise<number> {
  const { values, positionals, root, json } = parseCommand(context, flags, { positionals: 2 });
  let outcome: Outcome<{ result: ClaimResult; prompt: string }>;
  try {
    if (positionals.length < 2) throw new InputError('Give a ROLE and a SPRINT, e.g. cos dispatch developer my-sprint; see cos dispatch --help.');
    const [roleName, sprint] = positionals as [string, string];
    outcome = await execute(values, operationIo(context, root), roleName, sprint);
  } catch (error) {
    // --json: a refusal is a JSON document too (stdout), beside the sentence on stderr.
    if (json && isCosError(error)) printJson(context, { ...refusalJson(error) });
    throw error;
  }
  const { document, data } = outcome;
  if (json) {
    printJson(context, document);
    return 0;
  }
  context.stderr(dispatchReceipt(data.result));
  context.stdout(data.prompt);
  return 0;
}

/** A command that talks to the remote releases the claims there that have lapsed (best effort). */
async function releaseLapsed(io: OperationIo, remote: string, now: Date): Promise<void> {
  const root = io.root;
  const { releaseClaims, staleClaims } = await import('../dispatch/remote.js');
  const { readStore } = await import('../store/read.js');
  try {
    await releaseClaims(root, remote, await staleClaims(root, remote, readStore(root).entries, now));
  } catch (error) {
    io.warn(`lapsed claims on ${remote} were not released: ${(error as Error).message}`);
  }
}
