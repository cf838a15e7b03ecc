import { loadConfig } from '../config/load.js';
import { InputError } from '../errors.js';
import { entryToJson } from '../protocol/entry.js';
import { isoSeconds } from '../protocol/time.js';
import { heartbeat, type HeartbeatResult } from '../store/heartbeat.js';
import { intFlag, operationIo, parseCommand, printJson, type CommandContext, type OperationIo, type Outcome } from './context.js';
import { defineFlags, flagsHelp, type FlagValues } from './flags.js';

export const flags = defineFlags({
  sprint: { type: 'string', value: 'S', kind: 'slug', mcp: 'required', help: 'the sprint of the open entry' },
  agent: { type: 'string', value: 'A', kind: 'slug', mcp: 'required', help: 'the agent whose open entry it is' },
  ttl: { type: 'string', value: 'M', kind: 'minutes', mcp: true, help: "also set the entry's ttl_minutes" },
  'if-due': { type: 'boolean', mcp: true, help: 'write only when the last heartbeat is older than heartbeat.min_interval_seconds of coordination.yaml (default 60): cheap enough to call after every tool use' },
  json: { type: 'boolean', help: '{"version": 1, "entry": {...}, "written": true|false, "previous": "<old heartbeat>"}' },
});

export const help = `Usage: cos heartbeat --sprint S --agent A [--ttl M] [--if-due] [--json]

Refresh the heartbeat of the agent's holding entry on the sprint (its latest, NOTEs aside:
DISPATCHED, IN_PROGRESS or BLOCKED — a silent BLOCKED agent goes stale too), in place, under a
lock. Exits 1 with a sentence when the agent has no such entry there.

${flagsHelp(flags)}

Only the heartbeat (and ttl_minutes) line changes; every other byte of the entry stays as it was.
Only an entry of the worktree cos runs in is refreshed (cos writes only there). When the sprint
was claimed through a git remote (cos dispatch --remote, or dispatch.remote), a written heartbeat
also refreshes the claim there, at most once per ttl/3 (a remote that cannot be reached is a
warning on stderr; "remote_claim": "refreshed" | "recent" | "not-held" in --json).

Exit codes: 0 refreshed (or recent enough); 1 bad usage, or the agent has no open entry on the
sprint (none at all, or its latest is FAILED/COMPLETE/VERIFIED), or the lock stayed taken.

Example:
  cos heartbeat --sprint results-wiring-v1 --agent developer --ttl 60`;

/** Refresh the agent's open entry; `data.minInterval` is the --if-due interval that applied. */
export async function execute(values: FlagValues<typeof flags>, io: OperationIo): Promise<Outcome<HeartbeatResult & { minInterval: number | undefined }>> {
  for (const flag of ['sprint', 'agent'] as const) {
    if (values[flag] === undefined) throw new InputError(`--${flag} is required; see cos heartbeat --help.`);
  }
  const ttl = intFlag('ttl', values.ttl);
  // The configuration is read (and a broken one refused) before anything is written: a heartbeat
  // that wrote and then exited 1 would tell its hook it failed while it changed the entry.
  const { config } = loadConfig(io.root);
  const minInterval = values['if-due'] ? config.heartbeat.min_interval_seconds : undefined;
  const result = await heartbeat(io.root, {
    sprint: values.sprint!,
    agent: values.agent!,
    now: io.now(),
    ...(ttl !== undefined ? { ttl_minutes: ttl } : {}),
    ...(minInterval !== undefined ? { minIntervalSeconds: minInterval } : {}),
  });
  // A claim made through a git remote is refreshed by the holder's heartbeats (at most once per
  // ttl/3); a remote that cannot be reached is a warning: the local heartbeat is what counts here.
  let remote: { name: string; outcome: string } | undefined;
  if (result.written) {
    const { claimRemoteOf, refreshClaim } = await import('../dispatch/remote.js');
    const { readStore } = await import('../store/read.js');
    const name = claimRemoteOf(config.dispatch.remote, readStore(io.root, { archive: false }).entries, result.entry.sprint, result.entry.agent);
    if (name !== undefined) {
      try {
        remote = { name, outcome: await refreshClaim(io.root, name, { sprint: result.entry.sprint, agent: result.entry.agent, ttl_minutes: result.entry.ttl_minutes, now: io.now() }) };
      } catch (error) {
        io.warn(`the heartbeat is written, but the claim on ${name} was not refreshed: ${(error as Error).message}`);
      }
    }
  }
  return {
    document: { entry: entryToJson(result.entry), written: result.written, previous: result.previous, ...(remote ? { remote_claim: remote.outcome } : {}) },
    exitCode: 0,
    data: { ...result, minInterval },
  };
}

export async function run(context: CommandContext): Promise<number> {
  const { values, root, json } = parseCommand(context, flags);
  const { document, data: result } = await execute(values, operationIo(context, root));
  if (json) printJson(context, document);
  else if (result.written) context.stdout(`${result.entry.path} heartbeat ${result.entry.heartbeat}\n`);
  else {
    // Say why nothing was written: --if-due skipped a young heartbeat, or it already reads now.
    const why = result.minInterval !== undefined && result.entry.heartbeat !== isoSeconds(context.now()) ? `younger than ${result.minInterval}s` : 'already current';
    context.stdout(`${result.entry.path} heartbeat ${result.entry.heartbeat} (${why}; nothing written)\n`);
  }
  return 0;
}
