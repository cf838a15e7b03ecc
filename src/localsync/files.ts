/**
 * The files the sync manages on each side, their content hashes, and atomic copies.
 *
 * Layout (repository → local agent directory):
 *   .agent/roles/<role>.md       → <target>/roles/<role>.md
 *   .agent/skills/<skill>/<path> → <target>/skills/<skill>/<path>
 * Roles go to `roles/`, not Claude Code's `agents/`: their front matter (model tier, requires,
 * standing orders) is cos's, not a subagent definition. Skills use the agent CLI's own layout,
 * so `<target>/skills/chief-of-staff/SKILL.md` is loadable by name.
 * On the local side only what cos manages is looked at: `roles/*.md`, and the folders of skills
 * the repository has (or had at the last sync). Dot-files and symbolic links are ignored.
 */
import { replaceFile } from '../store/atomic.js';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

export interface Side {
  /** `.agent/` of the repository, or the local agent directory. */
  dir: string;
}

export function hashFile(path: string): string | null {
  try {
    const stat = lstatSync(path);
    if (!stat.isFile()) return null;
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return null;
  }
}

function walk(dir: string, base: string, out: string[]): void {
  let dirents;
  try {
    dirents = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const dirent of dirents) {
    if (dirent.name.startsWith('.')) continue;
    const path = join(dir, dirent.name);
    if (dirent.isDirectory()) walk(path, base, out);
    else if (dirent.isFile()) out.push(relative(base, path).split(sep).join('/'));
  }
}

/** Keys (`roles/x.md`, `skills/s/...`) present under one side's dir. */
export function listKeys(dir: string, skills: ReadonlySet<string> | null): string[] {
  const keys: string[] = [];
  try {
    for (const dirent of readdirSync(join(dir, 'roles'), { withFileTypes: true })) {
      if (dirent.isFile() && dirent.name.endsWith('.md') && !dirent.name.startsWith('.')) keys.push(`roles/${dirent.name}`);
    }
  } catch {
    // no roles folder
  }
  let names: string[];
  try {
    names = readdirSync(join(dir, 'skills'), { withFileTypes: true })
      .filter((dirent) => dirent.isDirectory() && !dirent.name.startsWith('.'))
      .map((dirent) => dirent.name);
  } catch {
    names = [];
  }
  for (const name of names) {
    if (skills && !skills.has(name)) continue;
    const files: string[] = [];
    walk(join(dir, 'skills', name), join(dir, 'skills', name), files);
    for (const file of files) keys.push(`skills/${name}/${file}`);
  }
  return keys;
}

/** The skill folder a key belongs to, or null for a role. */
export function skillOf(key: string): string | null {
  const match = /^skills\/([^/]+)\//.exec(key);
  return match ? match[1]! : null;
}

/** Copy `from` to `to` atomically (temp file in the same folder, then rename), keeping the mode; returns the hash written. */
export function copyAtomic(from: string, to: string): string {
  const content = readFileSync(from);
  const mode = statSync(from).mode & 0o777;
  replaceFile(to, content, { mode });
  return createHash('sha256').update(content).digest('hex');
}

export function removeFile(path: string, stop: string): void {
  unlinkSync(path);
  let dir = dirname(path);
  while (dir.startsWith(stop + sep) && dir !== stop) {
    try {
      rmdirSync(dir);
    } catch {
      return;
    }
    dir = dirname(dir);
  }
}
