/**
 * The files under a folder, as paths relative to it (`/`-separated): what a git pathspec glob is
 * tried against besides a protected place's known names (`git restore '*.json'` names
 * `.agent/config/team.json` when there is one). Read only when the guard sees a git glob that
 * may reach a protected place; bounded (depth and count), links not followed, empty when the
 * folder cannot be read.
 */
import { type Dirent, readdirSync } from 'node:fs';
import { join } from 'node:path';

const MAX_FILES = 500;
const MAX_DEPTH = 4;

export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (path: string, rel: string, depth: number) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(path, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (out.length >= MAX_FILES) return;
      const name = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH) walk(join(path, entry.name), name, depth + 1);
      } else out.push(name);
    }
  };
  walk(dir, '', 1);
  return out;
}
