/** What a command may not change: every file and folder under a root, with its content and mtime. */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** path → sha256, mtime and size of every file, mtime of every folder and link under root (links not followed). */
export function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      if (stat.isDirectory()) {
        out[path] = `dir ${stat.mtimeMs}`;
        walk(path);
      } else if (stat.isSymbolicLink()) out[path] = `link ${stat.mtimeMs}`;
      else out[path] = `${createHash('sha256').update(readFileSync(path)).digest('hex')} ${stat.mtimeMs} ${stat.size}`;
    }
  };
  walk(root);
  return out;
}
