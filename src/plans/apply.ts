/**
 * `cos plan check` and `cos plan apply` as library calls.
 *
 * Applying writes the plan to `.agent/plans/<name>.yaml` with its `attempt`: 1 the first time, one
 * more for each changed version (a replan); the same plan again changes nothing. A replan past
 * `dispatch.attempt_cap` is refused: nothing is written to the plan, and a BLOCKER NOTE on the
 * sprint `plan-<name>` asks a human to decide (the plans so far are in git history). With
 * `commit`, the plan file (or the NOTE) is committed, so every applied version stays in git.
 */
import { resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { listRoles } from '../dispatch/role.js';
import { ExternalError, InputError, isCosError, RefusedError, type CosError } from '../errors.js';
import type { Entry } from '../protocol/fields.js';
import { readStore } from '../store/read.js';
import { agentPaths } from '../store/paths.js';
import { postEntry } from '../store/write.js';
import { loadPlans, MAX_PLAN_BYTES, parsePlanText, planName, readPlanText, storedPlanPath, writePlan } from './files.js';
import { checkPlan, describeProblem, samePlan, type Plan, type PlanProblem } from './schema.js';

/** A plan that does not validate: exit 1, every problem listed (one per line). */
export class PlanInvalidError extends InputError {
  readonly problems: PlanProblem[];
  constructor(shown: string, problems: PlanProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super([`The plan ${shown} is not valid (${count}):`, ...problems.map((problem) => `  - ${describeProblem(problem)}`)]);
    this.problems = problems;
  }
}

/** What `checkPlanFile` (`cos plan check`) found in a plan file. */
export interface PlanCheckResult {
  /** The plan as it would be applied (attempt as written in the file, default 1). */
  plan: Plan;
  file: string;
}

function shownPath(root: string, file: string): string {
  const rel = agentPaths(root).rel(resolve(file));
  return rel.startsWith('../') ? file : rel;
}

/** A plan to check or apply: a file, or its text with a name (stdin, an MCP client). */
export type PlanSource = string | { name: string; text: string };

function readSource(root: string, source: PlanSource): { raw: unknown; name: string; shown: string; path: string | null } {
  if (typeof source !== 'string') {
    const shown = `(plan ${JSON.stringify(source.name)})`;
    if (Buffer.byteLength(source.text, 'utf8') > MAX_PLAN_BYTES) throw new InputError(`The plan ${shown} is longer than ${MAX_PLAN_BYTES} bytes; a plan is at most that.`);
    return { raw: parsePlanText(source.text, shown), name: source.name, shown, path: null };
  }
  const path = resolve(root, source);
  const shown = shownPath(root, path);
  return { raw: parsePlanText(readPlanText(path, shown), shown), name: planName(path), shown, path };
}

/** Read and check a plan against the repository: its roles, its sprints and its other plans. */
export function checkPlanFile(root: string, source: PlanSource): PlanCheckResult & { path: string | null } {
  const { raw, name, shown, path } = readSource(root, source);
  const { entries } = readStore(root);
  const sprints = new Set(entries.map((entry) => entry.sprint));
  const otherPlans = new Map<string, string>();
  for (const plan of loadPlans(root).plans) {
    if (plan.name === name) continue;
    for (const step of plan.steps) {
      sprints.add(step.sprint);
      if (!otherPlans.has(step.sprint)) otherPlans.set(step.sprint, plan.name);
    }
  }
  const checked = checkPlan(raw, name, { roles: listRoles(root), sprints, otherPlans });
  if (!checked.ok) throw new PlanInvalidError(shown, checked.problems);
  return { plan: checked.plan, file: shown, path };
}

/** Options of `applyPlan` (`cos plan apply`): commit, the agent, the clock and the environment. */
export interface ApplyOptions {
  /** Commit the plan file (or the refusal NOTE) with git. */
  commit?: boolean;
  /** Who applies it, for the refusal NOTE (default: COS_AGENT, else `chief-of-staff`). */
  agent?: string;
  now?: Date;
  env?: NodeJS.ProcessEnv;
}

/** What `applyPlan` (`cos plan apply`) did. */
export interface ApplyResult {
  outcome: 'created' | 'replanned' | 'unchanged';
  plan: Plan;
  /** Repository-relative path of the stored plan. */
  file: string;
  /** The commit made, when asked to commit and something changed. */
  commit: string | null;
}

/** The entry a refused replan writes; its sprint is `plan-<name>`. */
export class ReplanRefusedError extends RefusedError {
  readonly entry: Entry;
  constructor(message: string, entry: Entry) {
    super(message);
    this.entry = entry;
  }
}

/**
 * `applyPlan` with `commit` when git did not commit: the plan IS stored (exit 5, as the commit's
 * own error); `result` is what was applied, with `commit: null`, so a caller still reports it.
 */
export class PlanNotCommittedError extends ExternalError {
  readonly result: ApplyResult;
  constructor(error: CosError, result: ApplyResult) {
    super(error.message, { code: error.code, cause: error });
    this.result = result;
  }
}

/** The attempt of the stored version, or 0 when there is none. */
function storedAttempt(root: string, name: string): { attempt: number; plan: Plan | null } {
  const stored = loadPlans(root);
  const plan = stored.plans.find((p) => p.name === name) ?? null;
  if (plan) return { attempt: plan.attempt, plan };
  const broken = stored.problems.find((p) => planName(p.file) === name);
  if (broken) throw new InputError(`The stored plan ${broken.file} cannot be read (${broken.reason}); fix it or restore it from git before a replan.`);
  return { attempt: 0, plan: null };
}

/** Check a plan and store it under `.agent/plans/` (a changed plan is a replan, refused past the attempt cap). */
export async function applyPlan(root: string, source: PlanSource, options: ApplyOptions = {}): Promise<ApplyResult> {
  const paths = agentPaths(root);
  const { plan, path } = checkPlanFile(root, source);
  const target = storedPlanPath(root, plan.name);
  if (path === target) {
    throw new InputError(`${paths.rel(target)} is the stored plan itself; edit a copy outside .agent/plans/ and apply that (a changed plan is a replan, counted against dispatch.attempt_cap).`);
  }
  const { config } = loadConfig(root);
  const stored = storedAttempt(root, plan.name);
  const rel = paths.rel(target);
  if (stored.plan && samePlan(stored.plan, plan)) return { outcome: 'unchanged', plan: stored.plan, file: rel, commit: null };
  const attempt = stored.attempt + 1;
  const cap = config.dispatch.attempt_cap;
  if (attempt > cap) {
    const entry = refuseReplan(root, plan, stored.attempt, cap, options);
    if (options.commit) await commitQuietly(root, [entry.path], `cos plan apply: replan of ${plan.name} refused (attempt cap ${cap})`, options);
    throw new ReplanRefusedError(
      `Refused: the plan ${plan.name} was applied ${stored.attempt} times (dispatch.attempt_cap ${cap}); a BLOCKER NOTE asks a human to decide (${entry.path}). Its versions are in git log -p -- ${rel}.`,
      entry,
    );
  }
  const applied: Plan = { ...plan, attempt };
  writePlan(root, applied);
  const outcome = stored.plan ? 'replanned' : 'created';
  let commit: string | null = null;
  if (options.commit) {
    const { commitPaths } = await import('../git/commit.js');
    try {
      commit = await commitPaths(root, [rel], `cos plan apply: ${plan.name} attempt ${attempt} of ${cap}\n\n${plan.summary}`, options.env ? { env: options.env } : {});
    } catch (error) {
      // The plan is stored whatever git does: the error carries what was applied.
      if (isCosError(error)) throw new PlanNotCommittedError(error, { outcome, plan: applied, file: rel, commit: null });
      throw error;
    }
  }
  return { outcome, plan: applied, file: rel, commit };
}

async function commitQuietly(root: string, files: string[], message: string, options: ApplyOptions): Promise<void> {
  const { commitPaths } = await import('../git/commit.js');
  try {
    await commitPaths(root, files, message, options.env ? { env: options.env } : {});
  } catch {
    // The refusal stands either way; the NOTE is written and cos review / git status show it.
  }
}

/** The BLOCKER NOTE of a refused replan: what was refused, and where the earlier plans are. */
function refuseReplan(root: string, plan: Plan, applied: number, cap: number, options: ApplyOptions): Entry {
  const env = options.env ?? process.env;
  const agent = options.agent ?? env.COS_AGENT ?? 'chief-of-staff';
  const rel = agentPaths(root).rel(storedPlanPath(root, plan.name));
  const steps = plan.steps.map((step) => `- ${step.sprint} (${step.role}${step.depends_on.length ? `, after ${step.depends_on.join(', ')}` : ''}): ${step.title} — done when ${step.done_when}`);
  const message = [
    `Replan of **${plan.name}** refused: it was applied ${applied} times, the attempt cap (dispatch.attempt_cap) is ${cap}. A human decides what happens next.`,
    '',
    `The plans so far: \`git log -p -- ${rel}\`. The refused version:`,
    '',
    `> ${plan.summary}`,
    '',
    ...steps,
    '',
    `To go on anyway, raise dispatch.attempt_cap in .agent/config/coordination.yaml and apply it again; then resolve this entry with cos resolve.`,
  ].join('\n');
  return postEntry(root, { sprint: `plan-${plan.name}`.slice(0, 64), agent, status: 'NOTE', severity: 'BLOCKER', message, ...(options.now ? { now: options.now } : {}) });
}
