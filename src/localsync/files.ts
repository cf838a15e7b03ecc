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
import { createHash } from 'node:crypto';
import { readdirSync, rmdirSync, unlinkSync, type Dirent } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../store/local-files.js';
import { isPlainRelative, type Roots } from '../trust/confine.js';
import { readBounded } from '../trust/read.js';

export interface Side {
  /** `.agent/` of the repository, or the local agent directory. */
  dir: string;
}

/** A role or skill file is a prompt, not a data set. */
export const MAX_SYNC_FILE_BYTES = 4 * 1024 * 1024;

/** The content hash of a regular file (bounded read, never through a final link), else null. */
export function hashFile(path: string): string | null {
  const read = readBounded(path, MAX_SYNC_FILE_BYTES);
  return read.ok ? createHash('sha256').update(read.bytes).digest('hex') : null;
}

/** A file the sync cannot manage, reported as a skip rather than counted. */
export interface OddFile {
  key: string;
  reason: string;
}

/** Why a listed name cannot be synced, or null when it can (a regular file with a UTF-8 name). */
function oddity(dirent: Dirent): string | null {
  // Listed under a lossy UTF-8 decoding: a file of that name cannot be opened, or written on the other side.
  if (dirent.name.includes('\uFFFD')) return 'its name is not valid UTF-8; cos syncs only files whose names it can spell — rename it';
  if (dirent.isFile() || dirent.isDirectory() || dirent.isSymbolicLink()) return null;
  return 'it is not a regular file (a named pipe, socket or device); cos syncs only regular files';
}

function walk(dir: string, base: string, out: string[], odd: OddFile[], prefix: string): void {
  let dirents: Dirent[];
  try {
    dirents = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const dirent of dirents) {
    if (dirent.name.startsWith('.')) continue;
    const path = join(dir, dirent.name);
    const key = `${prefix}${relative(base, path).split(sep).join('/')}`;
    const reason = oddity(dirent);
    if (reason !== null) odd.push({ key, reason });
    else if (dirent.isDirectory()) walk(path, base, out, odd, prefix);
    else if (dirent.isFile()) out.push(key);
  }
}

/**
 * Keys (`roles/x.md`, `skills/s/...`) present under one side's dir. Names it cannot sync (not
 * UTF-8, not a regular file) go to `odd` instead, so they are reported and never counted as
 * unchanged; links are left out (documented: the sync does not follow them).
 */
export function listKeys(dir: string, skills: ReadonlySet<string> | null, odd: OddFile[] = []): string[] {
  const keys: string[] = [];
  try {
    for (const dirent of readdirSync(join(dir, 'roles'), { withFileTypes: true })) {
      if (!dirent.name.endsWith('.md') || dirent.name.startsWith('.')) continue;
      const reason = dirent.isDirectory() ? null : oddity(dirent);
      if (reason !== null) odd.push({ key: `roles/${dirent.name}`, reason });
      else if (dirent.isFile()) keys.push(`roles/${dirent.name}`);
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
    if (name.includes('\uFFFD')) {
      odd.push({ key: `skills/${name}/`, reason: 'its name is not valid UTF-8; cos syncs only files whose names it can spell — rename it' });
      continue;
    }
    walk(join(dir, 'skills', name), join(dir, 'skills', name), keys, odd, `skills/${name}/`);
  }
  return keys;
}

/** `roles/<name>.md` or `skills/<skill>/<path>`: plain names only (no `..`, no hidden names, no links out). */
export function isSyncKey(key: string): boolean {
  if (!isPlainRelative(key)) return false;
  const parts = key.split('/');
  if (parts.some((part) => part.startsWith('.'))) return false;
  if (parts[0] === 'roles') return parts.length === 2 && parts[1]!.endsWith('.md');
  return parts[0] === 'skills' && parts.length >= 3;
}

/** The skill folder a key belongs to, or null for a role. */
export function skillOf(key: string): string | null {
  const match = /^skills\/([^/]+)\//.exec(key);
  return match ? match[1]! : null;
}

/**
 * Copy `from` to `to` atomically (temp file in the same folder, then rename), keeping the mode;
 * returns the hash written. `to`'s folder must lie inside `inside` (checked before any folder is
 * made); `from` is read bounded, as a regular file only.
 */
export function copyAtomic(from: string, to: string, inside: Roots): string {
  const read = readBounded(from, MAX_SYNC_FILE_BYTES);
  if (!read.ok) throw new InputError(`Cannot copy ${from}: ${read.reason}.`);
  const content = read.bytes;
  const mode = read.stats.mode & 0o777;
  writeFileAtomic(to, content, inside, { mode, shown: to });
  return createHash('sha256').update(content).digest('hex');
}

/** Remove a file, then its folders while they are empty, up to (not including) `stop`. */
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
