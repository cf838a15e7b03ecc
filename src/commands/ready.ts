/** `cos ready`: the plan steps that can be dispatched now, and the ones waiting. */
import { existsSync } from 'node:fs';
import { InputError } from '../errors.js';
import { renderReady } from '../output/ready.js';
import { readReady } from '../plans/view.js';
import { agentPaths } from '../store/paths.js';
import { operationIo, parseCommand, printJson, type CommandContext, type OperationIo, type Outcome } from './context.js';
import { defineFlags, flagsHelp, type FlagValues } from './flags.js';

export const flags = defineFlags({
  json: {
    type: 'boolean',
    help: '{ "version": 1, "ready": [ { "sprint", "role", "plan", "title" } ], "waiting": [ { "sprint", "waiting_on": [ sprint... ], "role", "plan", "title" } ], "problems": [ { "file", "reason" } ] } (problems: stored plan files that cannot be used)',
  },
});

export const help = `Usage: cos ready [--json]

The ready queue of the plans in .agent/plans/ (applied with cos plan apply): every step nobody
has taken up yet, READY when each of its dependencies is finished (VERIFIED, or COMPLETE where
coordination.yaml says verification: optional), else WAITING on the ones that are not. A step
that was dispatched has its own state (see cos status) and is in neither list.

${flagsHelp(flags)}

Exit codes: 0 shown (whatever it shows); 1 bad usage, or no .agent/ here.

Example:
  cos ready && cos dispatch developer results-api`;

/** The READY and WAITING plan steps. */
export async function execute(_values: FlagValues<typeof flags>, io: OperationIo): Promise<Outcome<ReturnType<typeof readReady>>> {
  if (!existsSync(agentPaths(io.root).agent)) throw new InputError('No .agent/ here (or above); run cos init first.', { code: 'not-found' });
  const view = readReady(io.root, { now: io.now() });
  for (const problem of view.problems) io.warn(`${problem.file} is not a usable plan: ${problem.reason}`);
  return { document: { ready: view.ready, waiting: view.waiting, problems: view.problems }, exitCode: 0, data: view };
}

export async function run(context: CommandContext): Promise<number> {
  const { values, root, json } = parseCommand(context, flags);
  const { document, data } = await execute(values, operationIo(context, root));
  if (json) printJson(context, document);
  else context.stdout(renderReady(data));
  return 0;
}
