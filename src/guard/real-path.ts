/**
 * The real path of a path as the guard decides on it: symbolic links on its existing part
 * resolved (fs.realpathSync of the longest existing prefix), the part that does not exist yet
 * appended as written. So a link outside the repository that leads into it counts as the
 * repository, and a link inside it that leads out counts as outside.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export function realPathOf(path: string): string {
  let existing = resolve(path);
  const rest: string[] = [];
  for (let guard = 0; guard < 4096; guard++) {
    try {
      return join(realpathSync(existing), ...rest.reverse());
    } catch {
      const parent = dirname(existing);
      if (parent === existing) break;
      rest.push(basename(existing));
      existing = parent;
    }
  }
  return resolve(path);
}
