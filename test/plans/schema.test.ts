import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPlan, describeProblem, findCycles, MAX_PLAN_STEPS, type PlanStep } from '../../src/plans/schema.js';

const ROLES = ['developer', 'qa-reviewer'];
const step = (sprint: string, depends_on: string[] = [], extra: Partial<PlanStep> = {}) => ({ sprint, title: `do ${sprint}`, role: 'developer', done_when: 'tests pass', depends_on, ...extra });
const context = { roles: ROLES, sprints: new Set(['old-sprint']) };

describe('checkPlan', () => {
  it('accepts a diamond and fills the defaults', () => {
    const checked = checkPlan({ summary: 's', steps: [step('a'), step('b', ['a']), step('c', ['a']), step('d', ['b', 'c'])] }, 'diamond', context);
    expect(checked.ok).toBe(true);
    expect(checked.plan).toMatchObject({ name: 'diamond', attempt: 1 });
    expect(checked.plan!.steps[0]).toEqual({ sprint: 'a', title: 'do a', role: 'developer', done_when: 'tests pass', depends_on: [], skills: [] });
  });

  it('accepts a dependency on an existing sprint outside the plan', () => {
    expect(checkPlan({ summary: 's', steps: [step('a', ['old-sprint'])] }, 'p', context).ok).toBe(true);
  });

  it('lists every problem at once, each naming the step and the field', () => {
    const raw = {
      summary: 's',
      steps: [
        step('a', ['c']),
        step('b', ['a'], { role: 'wizard' }),
        step('c', ['b']),
        step('c'),
        { sprint: 'd', title: 't', role: 'developer', depends_on: ['nope'] },
        step('e'),
        step('f'),
      ],
    };
    const checked = checkPlan(raw, 'bad', context);
    expect(checked.ok).toBe(false);
    const lines = checked.problems.map(describeProblem);
    expect(lines).toEqual(
      expect.arrayContaining([
        'steps: has 7 steps; a plan has at most 6 (split it, or plan the rest later)',
        'step "d", done_when: is required, e.g. "done_when: the API tests pass in CI"',
        'step "c", sprint: duplicate sprint: steps[2] and steps[3] are both "c"; each step is its own sprint',
        expect.stringMatching(/^step "b", role: unknown role "wizard": the roles that exist are developer, qa-reviewer$/),
        'step "d", depends_on: "nope" is neither a step of this plan nor an existing sprint',
        'step "a", depends_on: circular dependency: a → c → b → a',
      ]),
    );
    expect(lines).toHaveLength(6);
  });

  it('names a self-dependency and a step of another plan', () => {
    const checked = checkPlan({ summary: 's', steps: [step('a', ['a']), step('x')] }, 'p', { ...context, otherPlans: new Map([['x', 'other']]) });
    expect(checked.problems.map(describeProblem)).toEqual([
      'step "a", depends_on: a step cannot depend on itself (cycle a → a)',
      'step "x", sprint: "x" is already a step of the plan "other"; a sprint belongs to one plan',
    ]);
  });

  it('rejects shapes with one sentence per problem', () => {
    expect(checkPlan('just text', 'p', context).problems.map(describeProblem)).toEqual(['a plan must be a mapping with summary and steps']);
    expect(checkPlan({ steps: [] }, 'p', context).problems.map(describeProblem)).toEqual([
      'steps: is empty; a plan has 1 to 6 steps',
      'summary: is required, e.g. "summary: Ship the results page"',
    ]);
    const bad = checkPlan({ summary: 's', steps: [{ sprint: '../x', title: 't', role: 'developer', done_when: 'x', skills: 'one' }] }, 'Bad Name', context);
    expect(bad.problems.map(describeProblem)).toEqual([
      `the plan's name "Bad Name" (its file's base name) is not a slug; name the file like my-plan.yaml`,
      'step "steps[0]", sprint: "../x" is not a valid sprint (lowercase letters, digits, ".", "_", "-"; starting with a letter or digit)',
      'step "steps[0]", skills: must be a list of skills, e.g. [testing]',
    ]);
  });
});

/** A random DAG: each step depends only on earlier ones. */
const dag = fc
  .integer({ min: 1, max: MAX_PLAN_STEPS })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (_, j) => `s${j}`)))))
  .map((deps) => deps.map((depends_on, i) => step(`s${i}`, depends_on)));

describe('properties', () => {
  it('a DAG is never reported as cyclic; a back edge always is, named with its path', () => {
    fc.assert(
      fc.property(dag, fc.nat(), (steps, pick) => {
        expect(findCycles(steps)).toEqual([]);
        expect(checkPlan({ summary: 's', steps }, 'p', context).ok).toBe(true);
        const withDeps = steps.filter((s) => s.depends_on.length > 0);
        if (withDeps.length === 0) return;
        const from = withDeps[pick % withDeps.length]!;
        // The dependency it already has now depends back on it: a cycle.
        const target = from.depends_on[0]!;
        const cyclic = steps.map((s) => (s.sprint === target ? { ...s, depends_on: [...s.depends_on, from.sprint] } : s));
        const cycles = findCycles(cyclic);
        expect(cycles.length).toBeGreaterThan(0);
        for (const cycle of cycles) {
          expect(cycle[0]).toBe(cycle[cycle.length - 1]);
          for (let i = 0; i + 1 < cycle.length; i++) expect(cyclic.find((s) => s.sprint === cycle[i])!.depends_on).toContain(cycle[i + 1]);
        }
        expect(checkPlan({ summary: 's', steps: cyclic }, 'p', context).problems.some((p) => p.message.startsWith('circular dependency: '))).toBe(true);
      }),
    );
  });
});
