/** `cos plan check FILE` / `cos plan apply FILE [--commit]`: validate and store a plan. */
import { existsSync } from 'node:fs';
import { EXIT, InputError, type CosError } from '../errors.js';
import { refusalJson } from '../output/refusal.js';
import { visible } from '../output/visible.js';
import { agentPaths } from '../store/paths.js';
import type { ApplyResult, PlanSource } from '../plans/apply.js';
import type { Plan } from '../plans/schema.js';
import { operationIo, parseCommand, printJson, type CommandContext, type OperationIo, type Outcome } from './context.js';
import { defineFlags, flagsHelp, type FlagValues } from './flags.js';

export const flags = defineFlags({
  commit: { type: 'boolean', mcp: true, help: 'apply: commit the stored plan (or the NOTE of a refused replan) with git, so every version stays in git history (recommended; without it, commit it yourself)' },
  agent: { type: 'string', value: 'A', kind: 'slug', mcp: true, help: 'apply: who signs the NOTE of a refused replan (default: $COS_AGENT, else chief-of-staff)' },
  name: { type: 'string', value: 'NAME', help: "the plan's name when FILE is - (the plan is read from stdin)" },
  json: { type: 'boolean', help: 'check: { "version": 1, "ok", "plan", "problems": [{ "step", "field", "message" }] }; apply: { "version": 1, "outcome": "created" | "replanned" | "unchanged", "file", "attempt", "attempt_cap", "commit", "plan" } (a --commit git refused: "commit": null, "ok": false, "error": { "code", "exit_code", "message" }, exit 5)' },
});

export const help = `Usage: cos plan check FILE [--json]
       cos plan apply FILE [--commit] [--agent A] [--json]
       cos plan check|apply - --name NAME     (the plan on stdin)

A plan is a YAML file: a summary and at most 6 steps, each one sprint for one role.

  summary: Ship the results page
  steps:
    - sprint: results-api
      title: Add the results API
      role: developer
      done_when: GET /results returns the stored results; its tests pass in CI
      depends_on: []          # steps of this plan, or any existing sprint
      skills: []

The plan's name is the file's base name (results.yaml is the plan "results").

  check FILE   validate: the shape, at most 6 steps, a done_when on every step, roles that exist
               in .agent/roles/, dependencies that name a step or an existing sprint, no duplicate
               sprints, no cycles (named with their path). Every problem is listed at once, on
               stderr, each naming the step and the field.
  apply FILE   check, then write it to .agent/plans/<name>.yaml. A changed plan is a replan: its
               attempt (kept in the file) goes up by one; applying the same plan again changes
               nothing. A replan past dispatch.attempt_cap (default 3: the plan and two replans)
               is refused with a BLOCKER NOTE asking a human, and nothing is written to the plan.
${flagsHelp(flags)}

Once applied, cos ready lists the steps that can be dispatched now (READY) and the ones WAITING on
unfinished dependencies; cos dispatch refuses a WAITING step (exit 3) unless --force.

Exit codes: 0 valid / applied; 1 the plan is not valid (every problem listed) or bad usage;
3 a replan past the attempt cap was refused; 5 --commit failed in git: the plan is written and
printed all the same (with --json its document, "commit": null and what failed), the sentence on
stderr.

Example:
  cos plan check plans/results.yaml && cos plan apply plans/results.yaml --commit && cos ready`;

type PlanOutcome = { sub: 'check'; plan: Plan; shown: string } | { sub: 'apply'; result: ApplyResult; cap: number };

/**
 * Check or apply a plan: `source` is a file (the CLI) or a name and its text (stdin, the MCP
 * tools). An invalid plan is a PlanInvalidError listing every problem.
 */
export async function execute(values: FlagValues<typeof flags>, io: OperationIo, sub: 'check' | 'apply', source: PlanSource): Promise<Outcome<PlanOutcome>> {
  // Until every command checks it up front: never create a partial .agent/ tree.
  if (!existsSync(agentPaths(io.root).agent)) throw new InputError('No .agent/ here (or above); run cos init first.', { code: 'not-found' });
  const { applyPlan, checkPlanFile, PlanNotCommittedError } = await import('../plans/apply.js');
  if (sub === 'check') {
    if (values.commit || values.agent !== undefined) throw new InputError(`--commit and --agent apply to cos plan apply only.`);
    const { plan, file: shown } = checkPlanFile(io.root, source);
    return { document: { ok: true, plan, problems: [] }, exitCode: EXIT.ok, data: { sub, plan, shown } };
  }
  const { loadConfig } = await import('../config/load.js');
  let result: ApplyResult;
  // A --commit git refused leaves the plan stored: it is reported beside the failure, not instead of it.
  let failure: CosError | undefined;
  try {
    result = await applyPlan(io.root, source, {
      commit: values.commit === true,
      ...(values.agent !== undefined ? { agent: values.agent } : {}),
      now: io.now(),
      env: io.env,
    });
  } catch (error) {
    if (!(error instanceof PlanNotCommittedError)) throw error;
    result = error.result;
    failure = error;
  }
  const cap = loadConfig(io.root).config.dispatch.attempt_cap;
  return {
    document: {
      outcome: result.outcome,
      file: result.file,
      attempt: result.plan.attempt,
      attempt_cap: cap,
      commit: result.commit,
      plan: result.plan,
      ...(failure ? refusalJson(failure) : {}),
    },
    exitCode: failure?.exitCode ?? EXIT.ok,
    data: { sub, result, cap },
    ...(failure ? { failure } : {}),
  };
}

export async function run(context: CommandContext): Promise<number> {
  const { values, positionals, root, json } = parseCommand(context, flags, { positionals: 2 });
  const [sub, file] = positionals;
  if (sub !== 'check' && sub !== 'apply') {
    const given = sub ? `Unknown subcommand ${JSON.stringify(sub)}` : 'A subcommand is needed';
    throw new InputError(`${given}; use cos plan check FILE or cos plan apply FILE (see cos plan --help).`);
  }
  if (!file) throw new InputError(`Give the plan FILE, e.g. cos plan ${sub} plans/results.yaml.`);
  if ((file === '-') !== (values.name !== undefined)) {
    throw new InputError(file === '-' ? 'Give the plan\'s --name when it comes on stdin (FILE -).' : '--name goes with FILE - (the plan on stdin); a file\'s plan is named after the file.');
  }
  const io = operationIo(context, root);
  let outcome: Outcome<PlanOutcome>;
  try {
    // stdin is read only once the repository is known to have .agent/ (execute checks it first for a file).
    if (!existsSync(agentPaths(root).agent)) throw new InputError('No .agent/ here (or above); run cos init first.', { code: 'not-found' });
    const source: PlanSource = file === '-' ? { name: values.name!, text: await io.readStdin() } : file;
    outcome = await execute(values, io, sub, source);
  } catch (error) {
    const { PlanInvalidError } = await import('../plans/apply.js');
    if (json && error instanceof PlanInvalidError) printJson(context, { ok: false, ...(sub === 'check' ? { plan: null } : {}), problems: error.problems });
    throw error;
  }
  if (json) printJson(context, outcome.document);
  else if (outcome.data.sub === 'check') {
    const { plan, shown } = outcome.data;
    // The path is the user's or a repository's (a folder may hold a line break): escaped, as in errors.
    context.stdout(`${visible(shown, { oneLine: true })}: a valid plan "${visible(plan.name, { oneLine: true })}" of ${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'}.\n`);
  } else {
    const { result, cap } = outcome.data;
    const what =
      result.outcome === 'unchanged'
        ? `unchanged (attempt ${result.plan.attempt} of ${cap}); nothing written`
        : `${result.outcome === 'created' ? 'applied' : 'replanned'}: attempt ${result.plan.attempt} of ${cap}${result.commit ? `, committed ${result.commit.slice(0, 12)}` : outcome.failure ? ' (not committed: git failed)' : ' (not committed: commit it, or use --commit)'}`;
    context.stdout(`${result.file}: ${what}.\nNext: cos ready\n`);
  }
  // The plan is stored and printed above; a failed --commit adds its sentence and exit code (5).
  if (outcome.failure) throw outcome.failure;
  return outcome.exitCode;
}
