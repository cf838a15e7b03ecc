/**
 * A role's preflight: every file it requires must exist and be readable inside the repository,
 * and every skill it requires must be a readable directory `.agent/skills/<skill>/`. Every missing
 * item is listed, not only the first.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { confined, type Roots } from '../trust/confine.js';
import { worktreeRoots } from '../trust/roots.js';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Role } from '../protocol/role.js';
import { agentPaths } from '../store/paths.js';

/** One preflight requirement of a role (a file or a skill) and whether it is met. */
export interface PreflightItem {
  kind: 'file' | 'skill';
  /** As the role names it. */
  name: string;
  /** Repository-relative path checked. */
  path: string;
}

/** A preflight requirement that is not met, with what to do. */
export interface MissingItem extends PreflightItem {
  reason: string;
}

export function preflightItems(role: Role): PreflightItem[] {
  return [
    ...role.requires.files.map((name): PreflightItem => ({ kind: 'file', name, path: name })),
    ...role.requires.skills.map((name): PreflightItem => ({ kind: 'skill', name, path: `.agent/skills/${name}/` })),
  ];
}

function problem(absolute: string, directory: boolean, roots: Roots): string | null {
  // A committed link to a file outside (or a folder on the way that is one) proves nothing about
  // the repository, and its stat would tell what exists outside: it is not followed.
  if (confined(absolute, roots) === null) return 'leads outside the repository';
  try {
    const stat = statSync(absolute);
    if (directory && !stat.isDirectory()) return 'is not a directory';
    accessSync(absolute, constants.R_OK | (stat.isDirectory() ? constants.X_OK : 0));
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'does not exist';
    if (code === 'EACCES' || code === 'EPERM') return 'is not readable';
    return `cannot be checked (${code ?? (error as Error).message})`;
  }
}

/** The items that fail, each with its reason; empty when the role may run here. */
export function runPreflight(root: string, role: Role): MissingItem[] {
  const paths = agentPaths(root);
  const roots = worktreeRoots(paths.root);
  const missing: MissingItem[] = [];
  for (const item of preflightItems(role)) {
    if (item.kind === 'skill') {
      if (item.name === '' || item.name === '.' || item.name === '..' || /[\\/\u0000]/.test(item.name)) {
        missing.push({ ...item, reason: 'is not a valid skill name (one folder name under .agent/skills/)' });
        continue;
      }
      const reason = problem(join(paths.skills, item.name), true, roots);
      if (reason) missing.push({ ...item, reason });
      continue;
    }
    const absolute = resolve(paths.root, item.name);
    const rel = relative(paths.root, absolute);
    if (isAbsolute(item.name) || rel.startsWith('..') || isAbsolute(rel)) {
      missing.push({ ...item, reason: 'is outside the repository' });
      continue;
    }
    const reason = problem(absolute, false, roots);
    if (reason) missing.push({ ...item, path: paths.rel(absolute), reason });
  }
  return missing;
}

export function describeMissing(item: MissingItem): string {
  return item.kind === 'skill' ? `skill ${item.name} (${item.path}) ${item.reason}` : `file ${item.path} ${item.reason}`;
}
