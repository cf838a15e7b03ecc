/**
 * A plan (`.agent/plans/<plan>.yaml`, PRODUCT.md "Plans and dependencies"): a summary and at most
 * six steps, each a sprint for a role with its acceptance criterion and the sprints it depends on.
 * The shape is one zod schema; the rules the shape cannot say (roles that exist, dependencies that
 * name a known sprint, no duplicates, no cycles) are small functions over the parsed steps. Every
 * problem is collected, each naming the step and the field, so a plan is fixed in one round. Pure.
 */
import * as z from 'zod/mini';
import { SLUG_PATTERN } from '../protocol/slug.js';

/** The most steps a plan may have. */
export const MAX_PLAN_STEPS = 6;

/** One step of a plan: a sprint, its role and the sprints it depends on. */
export interface PlanStep {
  sprint: string;
  title: string;
  role: string;
  /** What done looks like: the acceptance criterion a verifier checks. */
  done_when: string;
  depends_on: string[];
  skills: string[];
}

/** A plan (`.agent/plans/<name>.yaml`): its steps and what they depend on. */
export interface Plan {
  /** The file's base name (`.agent/plans/<name>.yaml`). */
  name: string;
  summary: string;
  /** 1 for the first version, one more for each replan. */
  attempt: number;
  steps: PlanStep[];
}

/** One problem in a plan: where, and what is wrong. */
export interface PlanProblem {
  /** The step's sprint (or `steps[i]` when it has none), or null for the plan as a whole. */
  step: string | null;
  /** The field at fault (`steps`, `depends_on`, ...), or null. */
  field: string | null;
  message: string;
}

/**
 * What a plan is checked against: the roles in `.agent/roles/` and every sprint known elsewhere.
 * Either may be left out (a stored plan is read back with its shape and cycles checked only).
 */
export interface PlanContext {
  roles?: readonly string[];
  /** Sprints that exist outside this plan: with entries, or steps of other plans. */
  sprints?: ReadonlySet<string>;
  /** Sprints that are steps of other plans (a sprint belongs to one plan), by plan name. */
  otherPlans?: ReadonlyMap<string, string>;
}

const slugText = (what: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? 'is required' : `must be text (a ${what})`) }).check(
    z.regex(SLUG_PATTERN, { error: (issue) => `${JSON.stringify(issue.input)} is not a valid ${what} (lowercase letters, digits, ".", "_", "-"; starting with a letter or digit)` }),
    z.maxLength(64, { error: `is longer than 64 characters` }),
  );

const requiredText = (example: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `is required, e.g. ${example}` : `must be text, e.g. ${example}`) })
    .check(z.trim(), z.minLength(1, { error: `is empty; give it, e.g. ${example}` }));

const slugList = (what: string) =>
  z._default(z.array(slugText(what), { error: `must be a list of ${what}s, e.g. [${what === 'sprint' ? 'api-schema' : 'testing'}]` }), () => []);

const STEP = z.strictObject(
  {
    sprint: slugText('sprint'),
    title: requiredText('"title: Add the results API"'),
    role: slugText('role'),
    done_when: requiredText('"done_when: the API tests pass in CI"'),
    depends_on: slugList('sprint'),
    skills: slugList('skill'),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field (a step has sprint, title, role, done_when, depends_on, skills)` : 'must be a mapping (sprint, title, role, done_when, depends_on, skills)') },
);

/** The plan file's shape (zod): summary and steps. */
export const PLAN_SCHEMA = z.strictObject(
  {
    summary: requiredText('"summary: Ship the results page"'),
    attempt: z.optional(z.int({ error: 'must be a whole number' }).check(z.gte(1, { error: 'must be at least 1' }))),
    // The number of steps is a rule of its own (countProblems): zod stops at a too-long array
    // without looking into its steps, and every problem is to be listed at once.
    steps: z.array(STEP, { error: (issue) => (issue.input === undefined ? 'is required: a list of 1 to 6 steps' : 'must be a list of steps') }),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? 'unknown field (a plan has summary, steps and attempt)' : 'a plan must be a mapping with summary and steps') },
);

/** A plan checked: the plan, or every problem found in it. */
export type PlanCheck = { ok: true; plan: Plan; problems: [] } | { ok: false; plan: null; problems: PlanProblem[] };

/** The step's name in messages: its sprint when it has a usable one, else its position. */
function stepLabel(raw: unknown, index: number): string {
  const sprint = (raw as { sprint?: unknown } | null)?.sprint;
  return typeof sprint === 'string' && SLUG_PATTERN.test(sprint) ? sprint : `steps[${index}]`;
}

function zodProblems(error: z.core.$ZodError, raw: unknown): PlanProblem[] {
  const steps = (raw as { steps?: unknown } | null)?.steps;
  const problems: PlanProblem[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String);
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [null];
    for (const key of keys) {
      if (path[0] === 'steps' && path.length >= 2) {
        const index = Number(path[1]);
        const field = key ?? path[2] ?? null;
        const shown = path.length > 3 ? `${field}[${path[3]}]` : field;
        problems.push({ step: stepLabel(Array.isArray(steps) ? steps[index] : undefined, index), field: shown, message: issue.message });
      } else {
        problems.push({ step: null, field: key ?? path[0] ?? null, message: issue.message });
      }
    }
  }
  return problems;
}

/** Every cycle among the steps, each once, as the path that closes it (`a → b → a`). */
export function findCycles(steps: ReadonlyArray<Pick<PlanStep, 'sprint' | 'depends_on'>>): string[][] {
  const edges = new Map<string, string[]>();
  for (const step of steps) edges.set(step.sprint, [...new Set([...(edges.get(step.sprint) ?? []), ...step.depends_on])]);
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const done = new Set<string>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const visit = (node: string) => {
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!edges.has(next) || done.has(next)) continue;
      if (onStack.has(next)) {
        const cycle = [...stack.slice(stack.indexOf(next)), next];
        // One report per cycle, whichever node the search met it from.
        const key = [...new Set(cycle)].sort().join('\u0000');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
        continue;
      }
      visit(next);
    }
    stack.pop();
    onStack.delete(node);
    done.add(node);
  };
  for (const node of edges.keys()) if (!done.has(node)) visit(node);
  return cycles;
}

type GraphStep = Pick<PlanStep, 'sprint' | 'depends_on'> & { role: string | null };

/** What can be read of a step that did not parse whole, so the graph rules see it too. */
function lenientStep(raw: unknown): GraphStep | null {
  if (raw === null || typeof raw !== 'object') return null;
  const { sprint, role, depends_on } = raw as Record<string, unknown>;
  if (typeof sprint !== 'string' || !SLUG_PATTERN.test(sprint)) return null;
  return {
    sprint,
    role: typeof role === 'string' && SLUG_PATTERN.test(role) ? role : null,
    depends_on: Array.isArray(depends_on) ? depends_on.filter((d): d is string => typeof d === 'string' && SLUG_PATTERN.test(d)) : [],
  };
}

function countProblems(raw: unknown): PlanProblem[] {
  const steps = (raw as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps)) return [];
  if (steps.length === 0) return [{ step: null, field: 'steps', message: 'is empty; a plan has 1 to 6 steps' }];
  if (steps.length > MAX_PLAN_STEPS) {
    return [{ step: null, field: 'steps', message: `has ${steps.length} steps; a plan has at most ${MAX_PLAN_STEPS} (split it, or plan the rest later)` }];
  }
  return [];
}

/** The rules zod cannot say: duplicates, roles, dependencies, cycles. */
function graphProblems(steps: readonly GraphStep[], context: PlanContext): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const inPlan = new Set<string>();
  const counted = new Map<string, number>();
  for (const step of steps) counted.set(step.sprint, (counted.get(step.sprint) ?? 0) + 1);
  for (const [index, step] of steps.entries()) {
    if ((counted.get(step.sprint) ?? 0) > 1 && inPlan.has(step.sprint)) {
      problems.push({ step: step.sprint, field: 'sprint', message: `duplicate sprint: steps[${steps.findIndex((s) => s.sprint === step.sprint)}] and steps[${index}] are both ${JSON.stringify(step.sprint)}; each step is its own sprint` });
    }
    inPlan.add(step.sprint);
  }
  for (const step of steps) {
    const owner = context.otherPlans?.get(step.sprint);
    if (owner !== undefined && steps.find((s) => s.sprint === step.sprint) === step) {
      problems.push({ step: step.sprint, field: 'sprint', message: `${JSON.stringify(step.sprint)} is already a step of the plan ${JSON.stringify(owner)}; a sprint belongs to one plan` });
    }
    if (context.roles && step.role !== null && !context.roles.includes(step.role)) {
      const known = context.roles.length > 0 ? `the roles that exist are ${context.roles.join(', ')}` : 'there are no roles in .agent/roles/ (run cos init)';
      problems.push({ step: step.sprint, field: 'role', message: `unknown role ${JSON.stringify(step.role)}: ${known}` });
    }
    const repeated = new Set<string>();
    for (const dependency of step.depends_on) {
      if (dependency === step.sprint) {
        problems.push({ step: step.sprint, field: 'depends_on', message: `a step cannot depend on itself (cycle ${step.sprint} → ${step.sprint})` });
      } else if (context.sprints && !inPlan.has(dependency) && !context.sprints.has(dependency)) {
        problems.push({ step: step.sprint, field: 'depends_on', message: `${JSON.stringify(dependency)} is neither a step of this plan nor an existing sprint` });
      } else if (repeated.has(dependency)) {
        problems.push({ step: step.sprint, field: 'depends_on', message: `${JSON.stringify(dependency)} is listed twice` });
      }
      repeated.add(dependency);
    }
  }
  const acyclic = steps.map((step) => ({ sprint: step.sprint, depends_on: step.depends_on.filter((d) => d !== step.sprint) }));
  for (const cycle of findCycles(acyclic)) {
    problems.push({ step: cycle[0]!, field: 'depends_on', message: `circular dependency: ${cycle.join(' → ')}` });
  }
  return problems;
}

/**
 * Check a parsed plan document. `name` is the file's base name. Every problem is returned at once;
 * the plan only when there are none.
 */
export function checkPlan(raw: unknown, name: string, context: PlanContext): PlanCheck {
  const problems: PlanProblem[] = [];
  if (!SLUG_PATTERN.test(name) || name.length > 64) {
    problems.push({ step: null, field: null, message: `the plan's name ${JSON.stringify(name)} (its file's base name) is not a slug; name the file like my-plan.yaml` });
  }
  problems.push(...countProblems(raw));
  const parsed = PLAN_SCHEMA.safeParse(raw);
  if (!parsed.success || problems.length > 0) {
    if (!parsed.success) problems.push(...zodProblems(parsed.error, raw));
    // The graph rules still run over the steps that parsed, so one round shows everything.
    const steps = (raw as { steps?: unknown } | null)?.steps;
    if (Array.isArray(steps)) {
      const good = steps.flatMap((step) => {
        const one = lenientStep(step);
        return one ? [one] : [];
      });
      problems.push(...graphProblems(good, context));
    }
    return { ok: false, plan: null, problems };
  }
  problems.push(...graphProblems(parsed.data.steps, context));
  if (problems.length > 0) return { ok: false, plan: null, problems };
  return { ok: true, plan: { name, summary: parsed.data.summary, attempt: parsed.data.attempt ?? 1, steps: parsed.data.steps }, problems: [] };
}

/** One problem as one line: `step "b", depends_on: ...`. */
export function describeProblem(problem: PlanProblem): string {
  const where = [problem.step !== null ? `step ${JSON.stringify(problem.step)}` : null, problem.field].filter(Boolean).join(', ');
  return where ? `${where}: ${problem.message}` : problem.message;
}

/** Whether two versions of a plan say the same thing (the attempt number aside). */
export function samePlan(a: Pick<Plan, 'summary' | 'steps'>, b: Pick<Plan, 'summary' | 'steps'>): boolean {
  return JSON.stringify({ summary: a.summary, steps: a.steps }) === JSON.stringify({ summary: b.summary, steps: b.steps });
}
