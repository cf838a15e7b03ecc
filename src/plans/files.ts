/**
 * Plan files on disk: reading one (a regular file, size-bounded, hardened YAML), listing the
 * stored plans under `.agent/plans/`, and writing a plan atomically (temp file + rename, so a
 * reader sees the old version or the new one, never half of one).
 */
import { readdirSync } from 'node:fs';
import { readBounded } from '../trust/read.js';
import { basename, join } from 'node:path';
import { fsProblem, InputError, makeDirectory } from '../errors.js';
import { parseYaml, stringifyYaml } from '../protocol/frontmatter.js';
import { agentPaths } from '../store/paths.js';
import { replaceFile } from '../store/local-files.js';
import { checkPlan, type Plan, type PlanContext } from './schema.js';

/** A plan is a few lines; anything larger is not one. */
export const MAX_PLAN_BYTES = 64 * 1024;

/** The folder plans are stored in: `.agent/plans/`. */
export function plansDir(root: string): string {
  return join(agentPaths(root).agent, 'plans');
}

export function storedPlanPath(root: string, name: string): string {
  return join(plansDir(root), `${name}.yaml`);
}

/** The plan's name: the file's base name without `.yaml` / `.yml`. */
export function planName(file: string): string {
  return basename(file).replace(/\.ya?ml$/i, '');
}

/** Read a plan file's text: a regular file (no link, FIFO, device or folder), at most MAX_PLAN_BYTES (trust/read.ts). */
export function readPlanText(path: string, shown: string): string {
  const read = readBounded(path, MAX_PLAN_BYTES);
  if (read.ok) return read.bytes.toString('utf8');
  if (read.kind === 'too-large') throw new InputError(`The plan ${shown} is ${read.stats ? `${read.stats.size} bytes long` : `longer than ${MAX_PLAN_BYTES} bytes`}; a plan is at most ${MAX_PLAN_BYTES} bytes.`);
  if (read.kind === 'not-regular') throw new InputError(`Cannot read the plan ${shown}: it is not a regular file.`);
  throw new InputError(`Cannot read the plan ${shown}: ${read.reason === 'it is a symbolic link; cos reads only regular files here' ? 'it is a symbolic link' : read.reason}.`);
}

/** Parse a plan file's YAML; a YAML error is one problem. */
export function parsePlanText(text: string, shown: string): unknown {
  const parsed = parseYaml(text);
  if (!parsed.ok) throw new InputError(`The plan ${shown} is not valid YAML: ${parsed.reason}.`);
  return parsed.value;
}

/** The plans read from `.agent/plans/`, with the problems of the files. */
export interface StoredPlans {
  plans: Plan[];
  /** Stored plan files that cannot be used (hand-edited, merged), with the reason. */
  problems: Array<{ file: string; reason: string }>;
}

/** Check a stored plan's shape and cycles only: its roles and outside sprints may come and go. */
const STORED: PlanContext = {};

/** Every plan under `.agent/plans/` (none when the folder does not exist). */
export function loadPlans(root: string): StoredPlans {
  const dir = plansDir(root);
  const paths = agentPaths(root);
  const out: StoredPlans = { plans: [], problems: [] };
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((dirent) => /\.ya?ml$/i.test(dirent.name) && !dirent.name.startsWith('.'))
      .map((dirent) => dirent.name)
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return out;
    out.problems.push({ file: paths.rel(dir), reason: fsProblem(error) });
    return out;
  }
  for (const name of names) {
    const file = join(dir, name);
    const shown = paths.rel(file);
    try {
      const checked = checkPlan(parsePlanText(readPlanText(file, shown), shown), planName(name), STORED);
      if (checked.ok) out.plans.push(checked.plan);
      else out.problems.push({ file: shown, reason: checked.problems.map((p) => `${p.step !== null ? `step ${JSON.stringify(p.step)}, ` : ''}${p.field ?? ''}: ${p.message}`).join('; ') });
    } catch (error) {
      out.problems.push({ file: shown, reason: (error as Error).message });
    }
  }
  return out;
}

/** A plan as YAML, keys in a fixed order so `git diff` shows only what changed. */
export function serializePlan(plan: Plan): string {
  const document = {
    summary: plan.summary,
    attempt: plan.attempt,
    steps: plan.steps.map((step) => ({
      sprint: step.sprint,
      title: step.title,
      role: step.role,
      done_when: step.done_when,
      depends_on: step.depends_on,
      skills: step.skills,
    })),
  };
  return `# Written by cos plan apply; edit a copy and apply it (a change is a replan).\n${stringifyYaml(document)}`;
}

/** Write the plan to `.agent/plans/<name>.yaml` atomically; returns the path written. */
export function writePlan(root: string, plan: Plan): string {
  const dir = plansDir(root);
  const paths = agentPaths(root);
  makeDirectory(dir, paths.rel(dir));
  const target = storedPlanPath(root, plan.name);
  replaceFile(target, serializePlan(plan));
  return target;
}
