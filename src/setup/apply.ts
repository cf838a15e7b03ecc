/**
 * The I/O of `cos setup`: read the target files, compute the change with the pure modules, show
 * it (dry run) or write it atomically.
 *
 * `--remove` restores the original bytes when nothing else changed: installing records the file's
 * bytes before and after in `.agent/state/setup/claude.json` (git-ignored); when the file still
 * holds exactly what cos wrote, removing puts the recorded original back (or deletes a file cos
 * created). Otherwise only our hooks are taken out and the rest is kept as it is now.
 */
import { cosCommandFor } from './cos-command.js';
import { accessSync, constants, existsSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { loadConfig } from '../config/load.js';
import { listRoles, unknownRole } from '../dispatch/role.js';
import { InputError } from '../errors.js';
import { parseRole, type Role } from '../protocol/role.js';
import { writeFileAtomic } from '../store/local-files.js';
import { agentPaths } from '../store/paths.js';
import { confine } from '../trust/confine.js';
import { readBoundedText, readConfinedText } from '../trust/read.js';
import { repositoryRoots, worktreeRoots } from '../trust/roots.js';
import { agentsSection } from './agents-section.js';
import { installHooks, removeHooks } from './claude-settings.js';
import { unifiedDiff } from './diff.js';
import { removeSection, upsertSection } from './markers.js';

/** A file `cos setup` creates, updates or leaves unchanged. */
export interface FileChange {
  /** Repository-relative path. */
  file: string;
  /** created | updated | removed | deleted | unchanged (deleted: the file itself went). */
  action: 'created' | 'updated' | 'removed' | 'deleted' | 'unchanged';
  diff: string;
  written: boolean;
}

/**
 * The file a read or write of `rel` really touches: a symlink's target (CLAUDE.md → AGENTS.md is
 * common, so the link stays a link), which must lie inside the repository's worktree — a
 * committed `.claude/settings.json` or `AGENTS.md` that links to a file elsewhere is refused in
 * one sentence, never read or written through.
 */
function realTarget(root: string, rel: string): string {
  return confine(join(root, rel), worktreeRoots(root), rel);
}

/** The text of a setup target (bounded, regular file), or null when it does not exist. */
function readTarget(root: string, rel: string): string | null {
  const read = readBoundedText(realTarget(root, rel));
  if (read.ok) return read.text;
  if (read.kind === 'missing') return null;
  throw new InputError(`Cannot read ${rel}: ${read.reason}.`);
}


/** Apply one computed change (or only describe it on a dry run). */
function commit(root: string, rel: string, before: string | null, after: string | null, dryRun: boolean, removing: boolean): FileChange {
  const path = join(root, rel);
  const diff = unifiedDiff(rel, before, after);
  if (before === after) return { file: rel, action: 'unchanged', diff: '', written: false };
  const action: FileChange['action'] = after === null ? 'deleted' : before === null ? 'created' : removing ? 'removed' : 'updated';
  if (!dryRun) {
    if (after === null) {
      unlinkSync(path);
      // A folder left empty by it (e.g. .claude/ that setup claude created) goes too.
      if (dirname(rel) !== '.') {
        try {
          rmdirSync(dirname(path));
        } catch {
          // not empty, or not ours to remove
        }
      }
    } else writeFileAtomic(realTarget(root, rel), after, worktreeRoots(root));
  }
  return { file: rel, action, diff, written: !dryRun };
}

// ---------------------------------------------------------------------------------------------
// cos setup claude

interface InstallRecord {
  original: string | null;
  installed: string;
}

function recordPath(root: string): string {
  return join(agentPaths(root).state, 'setup', 'claude.json');
}

function readRecords(root: string): Record<string, InstallRecord> {
  const read = readBoundedText(recordPath(root));
  if (!read.ok) return {};
  const text = read.text;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, InstallRecord>) : {};
  } catch {
    return {};
  }
}

function writeRecords(root: string, records: Record<string, InstallRecord>): void {
  // Only where cos keeps its state: a repository without .agent/ gets no new folder for this.
  if (!existsSync(agentPaths(root).agent)) return;
  if (Object.keys(records).length === 0) {
    try {
      unlinkSync(recordPath(root));
    } catch {
      // nothing recorded
    }
    return;
  }
  writeFileAtomic(recordPath(root), `${JSON.stringify(records, null, 2)}\n`, repositoryRoots(root));
}

/** How the hooks call cos: the project's own install when there is one, else `cos` on PATH. */
/** The command the Claude Code hooks run cos by (setup/cos-command.ts): never a bare `cos`. */
export function defaultCosCommand(root: string): string {
  return cosCommandFor(root, 'claude');
}

/** Whether an executable file `name` is in one of the folders of the environment's PATH. */
export function onPath(name: string, env: NodeJS.ProcessEnv): boolean {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return true;
    } catch {
      // not here
    }
  }
  return false;
}

/** Options of `setupClaude` (`cos setup claude`): remove, dry run, the cos command, local settings. */
export interface ClaudeOptions {
  remove?: boolean;
  dryRun?: boolean;
  /** The invocation of cos the hooks use (default: defaultCosCommand). */
  cos?: string;
  /** Write `.claude/settings.local.json` (this machine only) instead of `.claude/settings.json`. */
  local?: boolean;
}

/** Merge (or remove) the cos hooks in .claude/settings.json. */
export function setupClaude(root: string, options: ClaudeOptions = {}): FileChange {
  const rel = options.local ? '.claude/settings.local.json' : '.claude/settings.json';
  const before = readTarget(root, rel);
  const records = readRecords(root);
  if (options.remove) {
    const record = records[rel];
    let after: string | null;
    if (record && before === record.installed) after = record.original;
    else after = removeHooks(before, rel).text;
    const change = commit(root, rel, before, after, options.dryRun ?? false, true);
    if (!options.dryRun && record) {
      delete records[rel];
      writeRecords(root, records);
    }
    return change;
  }
  const cos = (options.cos ?? defaultCosCommand(root)).trim();
  if (cos === '' || /[\r\n]/.test(cos)) throw new InputError(`Invalid --cos ${JSON.stringify(options.cos)}: give the command that runs cos, e.g. "npx --no-install cos".`);
  const { text: after, changed } = installHooks(before, cos, rel);
  const change = commit(root, rel, before, changed ? after : before, options.dryRun ?? false, false);
  if (change.written && after !== null) {
    // Keep the very first original across re-installs (e.g. with another --cos); a file that
    // already held hooks of ours (a committed install) counts as the file without them.
    const original = records[rel] && records[rel].installed === before ? records[rel].original : removeHooks(before, rel).text;
    records[rel] = { original, installed: after };
    writeRecords(root, records);
  }
  return change;
}

// ---------------------------------------------------------------------------------------------
// cos setup agents-md

/** Options of `setupAgentsMd` (`cos setup agents-md`): the files, the roles, remove and dry run. */
export interface AgentsMdOptions {
  /** Repository-relative files; default AGENTS.md, plus CLAUDE.md when it exists. */
  files?: string[];
  remove?: boolean;
  dryRun?: boolean;
  /** Only these roles' standing orders (default: every role in .agent/roles/). */
  roles?: string[];
}

export interface LoadedRoles {
  roles: Role[];
  skipped: Array<{ file: string; reason: string }>;
}

export function readRoles(root: string, only?: string[]): LoadedRoles {
  const paths = agentPaths(root);
  let names = listRoles(root);
  if (only && only.length > 0) {
    for (const name of only) if (!names.includes(name)) throw unknownRole(root, name);
    names = names.filter((name) => only.includes(name));
  }
  const out: LoadedRoles = { roles: [], skipped: [] };
  for (const name of names) {
    const file = join(paths.roles, `${name}.md`);
    let text: string | null;
    try {
      text = readConfinedText(file, repositoryRoots(root), paths.rel(file));
    } catch (error) {
      out.skipped.push({ file: paths.rel(file), reason: (error as Error).message });
      continue;
    }
    if (text === null) continue;
    const parsed = parseRole(text, name);
    if (parsed.ok) out.roles.push(parsed.role);
    else out.skipped.push({ file: paths.rel(file), reason: parsed.reason });
  }
  return out;
}

function insideRoot(root: string, file: string): string {
  const abs = resolve(root, file);
  const rel = relative(root, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new InputError(`Invalid --file ${JSON.stringify(file)}: it must name a file inside the repository, such as AGENTS.md or CLAUDE.md.`);
  }
  return rel.split(sep).join('/');
}

/** Write (or remove) the cos protocol section in AGENTS.md / CLAUDE.md between markers. */
export function setupAgentsMd(root: string, options: AgentsMdOptions = {}): FileChange[] {
  const files = options.files && options.files.length > 0 ? options.files.map((file) => insideRoot(root, file)) : ['AGENTS.md', ...(existsSync(join(root, 'CLAUDE.md')) ? ['CLAUDE.md'] : [])];
  // Two names for one file (CLAUDE.md a symlink to AGENTS.md): write it once, through the first.
  const seen = new Set<string>();
  const unique = files.filter((rel) => {
    const real = realTarget(root, rel);
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  });
  let section: string | null = null;
  if (!options.remove) {
    const { roles, skipped } = readRoles(root, options.roles);
    section = agentsSection({ roles, skipped, ttlMinutes: loadConfig(root).config.ttl_minutes });
  }
  // Compute every change before writing any, so a bad marker in one file writes nothing.
  const planned = unique.map((rel) => {
    const before = readTarget(root, rel);
    const after = options.remove ? removeSection(before, rel).text : upsertSection(before, section!, rel).text;
    return { rel, before, after };
  });
  return planned.map(({ rel, before, after }) => commit(root, rel, before, after, options.dryRun ?? false, options.remove ?? false));
}
