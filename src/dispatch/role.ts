/** Roles on disk: `.agent/roles/<role>.md`, parsed by protocol/role.ts. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { parseRole, type Role } from '../protocol/role.js';
import { assertSlug } from '../protocol/slug.js';
import { agentPaths } from '../store/paths.js';
import { readConfinedText } from '../trust/read.js';
import { repositoryRoots } from '../trust/roots.js';

/** The names of the roles that exist, sorted. */
export function listRoles(root: string): string[] {
  try {
    return readdirSync(agentPaths(root).roles, { withFileTypes: true })
      .filter((dirent) => dirent.isFile() && dirent.name.endsWith('.md') && !dirent.name.startsWith('.'))
      .map((dirent) => dirent.name.slice(0, -3))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export function loadRole(root: string, name: string): Role {
  assertSlug('role', name);
  const paths = agentPaths(root);
  const file = join(paths.roles, `${name}.md`);
  const text = readConfinedText(file, repositoryRoots(paths.root), paths.rel(file));
  if (text === null) {
    const roles = listRoles(root);
    const known = roles.length > 0 ? `the roles that exist are ${roles.join(', ')}` : 'there are no roles in .agent/roles/ (run cos init)';
    throw new InputError(`Unknown role ${JSON.stringify(name)}: ${paths.rel(file)} does not exist; ${known}.`);
  }
  const parsed = parseRole(text, name);
  // The front-matter reader words its reasons for entries.
  if (!parsed.ok) throw new InputError(`${paths.rel(file)} is not a valid role: ${parsed.reason.replace('an entry must', 'a role file must')}.`);
  return parsed.role;
}
