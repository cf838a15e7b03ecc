/** Roles on disk: `.agent/roles/<role>.md`, parsed by protocol/role.ts. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { parseRole, type Role } from '../protocol/role.js';
import { assertSlug, slugProblem } from '../protocol/slug.js';
import { agentPaths } from '../store/paths.js';
import { readConfinedText } from '../trust/read.js';
import { repositoryRoots } from '../trust/roots.js';

/**
 * The names of the roles that exist, sorted: the regular files `.agent/roles/<name>.md` whose name
 * is a slug (the only names `cos dispatch` can load). Every lister of roles calls this.
 */
export function listRoles(root: string): string[] {
  try {
    return readdirSync(agentPaths(root).roles, { withFileTypes: true })
      .filter((dirent) => dirent.isFile() && dirent.name.endsWith('.md') && slugProblem(dirent.name.slice(0, -3)) === null)
      .map((dirent) => dirent.name.slice(0, -3))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The error for a role that does not exist, naming the ones that do. */
export function unknownRole(root: string, name: string): InputError {
  const roles = listRoles(root);
  const known = roles.length > 0 ? `the roles that exist are ${roles.join(', ')}` : 'there are no roles in .agent/roles/ (run cos init)';
  return new InputError(`Unknown role ${JSON.stringify(name)}: .agent/roles/${name}.md does not exist; ${known}.`, { code: 'not-found' });
}

/** Read and validate `.agent/roles/<name>.md`; InputError (code not-found) for a role that does not exist. */
export function loadRole(root: string, name: string): Role {
  assertSlug('role', name);
  const paths = agentPaths(root);
  const file = join(paths.roles, `${name}.md`);
  const text = readConfinedText(file, repositoryRoots(paths.root), paths.rel(file));
  if (text === null) throw unknownRole(root, name);
  const parsed = parseRole(text, name);
  if (!parsed.ok) throw new InputError(`${paths.rel(file)} is not a valid role: ${parsed.reason}.`);
  return parsed.role;
}
