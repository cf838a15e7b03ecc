/**
 * The places an agent may not write, whatever `guard.deny` says (docs/guard.md, "Always on"):
 * - `.agent/config/` (and the guard's cached settings, `.agent/state/guard-settings.json`, which
 *   stand for it): the team's configuration is changed by a person — rule `config-edit`;
 * - `.agent/status/`: entries are written by cos (`cos post`, `cos approve`, ...), never by hand,
 *   so that an approval (a NOTE with `approves:` by another identity) cannot be forged by writing
 *   its file — rule `status-edit`.
 * What counts as a write: Bash redirects, commands that write, remove or move the paths they name
 * (cp/mv/install/ln with `-t`, in-place editors such as `sed -i`, `perl -pi`, `yq -i`,
 * `awk -i inplace`, `patch`, extraction by `tar -x -C` / `unzip -d`, `rsync`, `dd of=`,
 * `truncate`, downloads with `-o`, `find -delete` under it), git commands that rewrite the working files of a pathspec
 * covering the place (`git checkout -- .`, `git restore :/`, `git restore ':(icase).AGENT'`,
 * `git stash push`: guard/git-writes.ts, read as git reads pathspecs: guard/pathspec.ts) or
 * apply a stash holding a file there, and the Write/Edit tools. Paths are
 * placed as the shell would (globs matched segment by segment, `$PWD`/`$HOME`/`~` expanded) and
 * through symbolic links (the real path of their existing part). Pure: the real path comes in as
 * a function.
 */
import { basename as baseOf, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { GitWrite } from './git-writes.js';
import { GIT_GLOB, parsePathspec, patternCovers } from './pathspec.js';
import { expandKnown, isInside, segmentMatches, type RealPath } from './paths.js';
import { basename, type SimpleCommand } from './shell.js';

export interface ProtectedArea {
  rule: 'config-edit' | 'status-edit';
  /** Relative to the repository root, `/`-separated (its last two segments, for a place outside it). */
  path: string;
  /** Where it is, when it is not inside the repository's tree (the git common directory's). */
  absolute?: string;
  /** How a denial names it. */
  label: string;
  /** File names a path hidden behind an unknown variable is taken to mean (`$X/coordination.yaml`). */
  names: readonly string[];
  /** Paths inside it that a git pathspec glob is tried against (git's `*` crosses `/`); none: git does not track it. */
  samples: readonly string[];
}

export const PROTECTED_AREAS: readonly ProtectedArea[] = [
  { rule: 'config-edit', path: '.agent/config', label: '.agent/config/', names: ['coordination.yaml', 'notion-sync.yaml'], samples: ['coordination.yaml', 'notion-sync.yaml'] },
  { rule: 'config-edit', path: '.agent/state/guard-settings.json', label: '.agent/config/ (the guard settings cached from it)', names: ['guard-settings.json'], samples: [] },
  { rule: 'status-edit', path: '.agent/status', label: '.agent/status/', names: [], samples: ['current/001-2026-01-01T00-00-00Z-agent.md', 'archive/sprint/001-2026-01-01T00-00-00Z-agent.md'] },
];

export interface PlaceContext {
  /** The repository root, real path. */
  root: string;
  home: string;
  real: RealPath;
  /** Places protected besides PROTECTED_AREAS (the record of used approvals). */
  extra?: readonly ProtectedArea[];
  /** The files under a folder, relative to it (guard/files-under.ts): a git glob is tried against those of a place too. */
  files?: (dir: string) => readonly string[];
}

/**
 * The record of used approvals (guard/approval-use.ts): removing a marker would let the same
 * approval through again within its window.
 */
export function approvalsUsedArea(dir: string): ProtectedArea {
  return { rule: 'status-edit', path: 'cos/approvals-used', absolute: dir, label: 'the record of used approvals', names: [], samples: [] };
}

function areaPathOf(area: ProtectedArea, place: PlaceContext): string {
  return area.absolute !== undefined ? place.real(area.absolute) : join(place.root, ...area.path.split('/'));
}

function areasOf(place: PlaceContext): readonly ProtectedArea[] {
  return place.extra === undefined ? PROTECTED_AREAS : [...PROTECTED_AREAS, ...place.extra];
}

/** A git command that rewrites working files (guard/rules.ts parses it, guard/git-writes.ts reads what it writes). */
export interface GitPaths {
  sub: string;
  args: string[];
  /** The directory it runs in (after `-C`), or null when it cannot be told. */
  dir: string | null;
  writes: GitWrite;
  /** For a stash applied: the files it writes back, from the top of the work tree (guard/stash-files.ts). */
  stashFiles: readonly string[] | null;
  /** For `git clean`: the absolute paths its dry run says it removes, or null when git was not asked (its pathspecs count then). */
  cleanFiles: readonly string[] | null;
  /** For a discard (`git reset --hard`): the absolute paths of tracked files with uncommitted changes, or null when git was not asked. */
  changedFiles: readonly string[] | null;
}

export interface ProtectedHit {
  rule: ProtectedArea['rule'];
  why: string;
}

const GLOB = /[*?[]/;

/** A path's candidates: as written, with its directory's links resolved (what rm/mv act on), fully resolved (what a write reaches). */
function candidates(path: string, real: RealPath): string[] {
  const parent = dirname(path);
  return [...new Set([path, parent === path ? path : join(real(parent), baseOf(path)), real(path)])];
}

/**
 * Whether a word given to a command may name a path inside `area` (or the area itself); with
 * `ancestors`, also a folder inside the repository that holds it (`rm -rf .agent`, `mv .a* x`) —
 * not for a place in the git directory, whose folders (`.git`) are the recursive-delete rule's.
 */
function namesArea(word: string, cwd: string | null, place: PlaceContext, area: ProtectedArea, holders: boolean): boolean {
  const areaPath = areaPathOf(area, place);
  const ancestors = holders && area.absolute === undefined;
  const expanded = expandKnown(word, cwd, place.home);
  if (expanded === null || (cwd === null && !isAbsolute(expanded))) return hiddenNamesArea(word, area);
  const abs = resolve(cwd ?? '/', expanded);
  const at = abs.search(GLOB);
  if (at === -1) {
    return candidates(abs, place.real).some((path) => isInside(areaPath, path) || (ancestors && path !== place.root && isInside(place.root, path) && isInside(path, areaPath)));
  }
  // A glob: its literal directory placed (and resolved), then matched segment by segment.
  const cut = abs.lastIndexOf(sep, at);
  const dir = abs.slice(0, cut) || sep;
  const rest = abs.slice(cut + 1).split(sep);
  const want = areaPath.split(sep).filter(Boolean);
  for (const base of new Set([dir, place.real(dir)])) {
    const segments = [...base.split(sep).filter(Boolean), ...rest];
    const shared = Math.min(segments.length, want.length);
    let match = true;
    for (let i = 0; i < shared && match; i++) match = segmentMatches(segments[i]!, want[i]!);
    if (!match) continue;
    if (segments.length >= want.length) return true;
    // An ancestor of the area: never the repository itself (that is the recursive-delete rule's).
    if (ancestors && segments.length > place.root.split(sep).filter(Boolean).length) return true;
  }
  return false;
}

/**
 * A path a variable the guard does not know hides (`> "$OUT"`, `$D/config/coordination.yaml`):
 * taken to name the area when the written rest of it does — a `.agent` folder followed by the
 * area's folder (`$D/.agent/config/x`), or one of the area's file names (`$D/coordination.yaml`). A target
 * wholly behind a variable (`> "$OUT"`) passes: the guard cannot tell where it points.
 */
function hiddenNamesArea(word: string, area: ProtectedArea): boolean {
  const segments = word.split('/');
  let last = -1;
  segments.forEach((segment, i) => {
    if (segment.includes('$') || segment.startsWith('~')) last = i;
  });
  const tail = segments.slice(last + 1).filter((segment) => segment !== '' && segment !== '.');
  const [top, inner] = area.path.split('/') as [string, string];
  for (let i = 0; i < tail.length; i++) {
    if (segmentMatches(tail[i]!, top) && (i + 1 === tail.length || segmentMatches(tail[i + 1]!, inner))) return true;
  }
  const name = tail.at(-1);
  return name !== undefined && area.names.some((known) => segmentMatches(name, known));
}

// --- what a command writes ----------------------------------------------------------------------

/** Commands that write every path they are given. */
const WRITERS_ANY = new Set(['rm', 'mv', 'tee', 'truncate', 'touch', 'ln', 'chmod', 'chown', 'chgrp', 'shred', 'unlink', 'rmdir', 'sponge', 'ed', 'ex', 'setfacl', 'chattr', 'mkdir', 'mkfifo', 'mknod']);
/** Commands whose last path is where they write. */
const WRITERS_LAST = new Set(['cp', 'install', 'rsync', 'scp', 'rclone']);
/** Commands that take the folder they write into as `-t DIR` / `--target-directory=DIR`. */
const TARGET_DIRECTORY = new Set(['cp', 'mv', 'install', 'ln']);
/** Commands that take away what they name (for `mv`, its sources). */
const REMOVERS = new Set(['rm', 'rmdir', 'mv', 'unlink', 'shred']);
/** Compressors replace the file they are given (`gzip F` leaves `F.gz`), unless they write to stdout. */
const COMPRESSORS = new Set(['gzip', 'gunzip', 'bzip2', 'bunzip2', 'xz', 'unxz', 'zstd', 'unzstd', 'lzma', 'compress', 'uncompress']);

/**
 * Whether `name` (`--targ`) names one of `long`: GNU getopt takes any unambiguous prefix
 * (`cp --target=DIR` is `--target-directory`); an ambiguous one is refused by the tool, so
 * reading a prefix as the option can only deny more, never let a write through.
 */
function namesLong(name: string, long: readonly string[]): boolean {
  return name.length >= 3 && long.some((full) => full.startsWith(name));
}

/** The value of an option in its forms `-o V`, `-oV`, `--long V`, `--long=V`, long ones also abbreviated (every occurrence). */
function optionValues(words: readonly string[], short: readonly string[], long: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') break;
    const eq = word.indexOf('=');
    if (word.startsWith('--') && eq !== -1 && namesLong(word.slice(0, eq), long)) out.push(word.slice(eq + 1));
    else if (word.startsWith('--') && eq === -1 && namesLong(word, long) && i + 1 < words.length) out.push(words[++i]!);
    else if (/^-[a-zA-Z]+$/.test(word) && short.includes(word.at(-1)!) && i + 1 < words.length) out.push(words[++i]!);
    else if (!word.startsWith('--')) {
      // Attached, also inside a cluster (`-tDIR`, `-vt.agent/config`): as getopt reads it, the
      // first option that takes a value takes the rest of the word.
      const at = /^-[a-zA-Z]+/.exec(word)?.[0].split('').findIndex((letter, k) => k > 0 && short.includes(letter)) ?? -1;
      if (at !== -1 && at + 1 < word.length) out.push(word.slice(at + 1));
    }
  }
  return out;
}

function positionals(words: readonly string[]): string[] {
  return words.filter((word) => !word.startsWith('-'));
}

/**
 * The paths a simple command writes into; apart, those it takes away with what they hold, and the
 * folders it writes files into whose names it does not show (`tar -x -C DIR`, `unzip -d DIR`,
 * `patch -d DIR`): those count when they hold a protected place.
 */
function writtenPaths(words: readonly string[]): { writes: string[]; removes: string[]; folders: string[] } {
  const program = basename(words[0] ?? '');
  const args = words.slice(1);
  const plain = positionals(args);
  const writes: string[] = [];
  const removes: string[] = [];
  const folders: string[] = [];
  // With `-t DIR` every other path is a source.
  const into = TARGET_DIRECTORY.has(program) ? optionValues(args, ['t'], ['--target-directory']) : [];
  writes.push(...into);
  if (REMOVERS.has(program)) removes.push(...(program === 'mv' ? plain.slice(0, -1) : plain));
  if (WRITERS_ANY.has(program)) writes.push(...plain);
  else if (WRITERS_LAST.has(program) && into.length === 0) writes.push(...plain.slice(-1));
  // Copied into a folder, a source keeps its name: `cp -r /tmp/config .agent/` writes .agent/config.
  if (WRITERS_LAST.has(program) || TARGET_DIRECTORY.has(program)) {
    const targets = into.length > 0 ? into : plain.slice(-1);
    const sources = into.length > 0 ? plain.filter((word) => !into.includes(word)) : plain.slice(0, -1);
    for (const target of targets) for (const source of sources) {
      const name = source.replace(/\/+$/, '').split('/').pop();
      if (name && !name.includes('$')) writes.push(`${target.replace(/\/+$/, '')}/${name}`);
    }
  }
  else if (program === 'sed' || program === 'perl' || program === 'ruby') {
    if (args.some((word) => /^-[a-zA-Z]*i/.test(word) || word.startsWith('--in-place'))) writes.push(...plain);
  } else if (program === 'yq') {
    if (args.some((word) => /^-[a-zA-Z]*i$/.test(word) || word === '--inplace' || word.startsWith('--inplace='))) writes.push(...plain);
  } else if (program === 'awk' || program === 'gawk') {
    if (optionValues(args, ['i'], ['--include']).some((value) => /^inplace(?:\.awk)?$/.test(value))) writes.push(...plain);
  } else if (program === 'dd') writes.push(...args.filter((word) => word.startsWith('of=')).map((word) => word.slice(3)));
  else if (program === 'patch') {
    // patch [options] [originalfile [patchfile]]: the first file is patched; -d changes into a folder first.
    folders.push(...optionValues(args, ['d'], ['--directory']));
    writes.push(...optionValues(args, ['o'], ['--output']));
    const files = positionals(stripOptionValues(args, ['-d', '-o', '-i', '-p', '-r', '-z', '-B', '-Y', '-V', '-D', '-F', '-g'], ['--directory', '--output', '--input', '--strip', '--reject-file', '--suffix', '--prefix', '--basename-prefix', '--version-control', '--ifdef', '--fuzz', '--get']));
    if (files[0] !== undefined) writes.push(files[0]);
  } else if (program === 'tar' || program === 'bsdtar' || program === 'gtar') {
    const first = args[0] ?? '';
    // The mode letters: an old-style first word (`tar xzf a.tar`) and every bundle of short options.
    const mode = (first.startsWith('-') ? '' : first) + args.filter((word) => /^-[a-zA-Z]+$/.test(word)).join('');
    const extract = args.some((word) => word === '--extract' || word === '--get') || /x/.test(mode);
    const create = args.some((word) => word === '--create' || word === '--append' || word === '--update') || /[cruA]/.test(mode);
    if (extract) folders.push(...optionValues(args, ['C'], ['--directory']));
    if (create) writes.push(...optionValues(args, ['f'], ['--file']));
  } else if (program === 'unzip') {
    if (!args.some((word) => /^-[a-zA-Z]*[ltvpZ]/.test(word))) folders.push(...optionValues(args, ['d'], []));
  } else if (program === 'find' && args.includes('-delete')) {
    // find [-H|-L|-P] START... EXPRESSION: what it deletes is under its starting points.
    let i = 0;
    while (i < args.length && /^-(?:[HLP]|D|O\d*)$/.test(args[i]!)) i += args[i] === '-D' ? 2 : 1;
    const starts: string[] = [];
    for (; i < args.length && !/^[-(!),]/.test(args[i]!); i++) starts.push(args[i]!);
    removes.push(...(starts.length > 0 ? starts : ['.']));
  } else if (program === 'curl') writes.push(...optionValues(args, ['o'], ['--output']));
  else if (program === 'wget') writes.push(...optionValues(args, ['O', 'P'], ['--output-document', '--directory-prefix']));
  else if (program === 'sort') writes.push(...optionValues(args, ['o'], ['--output']));
  else if (COMPRESSORS.has(program)) {
    if (!args.some((word) => /^-[a-zA-Z]*[cklt]/.test(word) || word === '--stdout' || word === '--to-stdout' || word === '--keep' || word === '--list' || word === '--test')) {
      writes.push(...plain);
      removes.push(...plain);
    }
  }
  return { writes, removes, folders };
}

/** The words with the named options and their values taken out. */
function stripOptionValues(words: readonly string[], short: readonly string[], long: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (short.includes(word) || long.includes(word)) i++;
    else if (word.startsWith('-')) continue;
    else out.push(word);
  }
  return out;
}

// --- git pathspecs ------------------------------------------------------------------------------

/**
 * Whether a git pathspec (relative to the directory git runs in; `:/` and `:(top)` from the top)
 * covers a file of the area, as guard/pathspec.ts reads it: it names the area, a file in it or a
 * folder holding it (`.` at the top covers everything), in any case, or its glob matches one of the
 * area's files. An exclusion (`:!x`, `:^x`, `:(exclude)x`) covers nothing.
 */
function pathspecCovers(spec: string, dir: string | null, place: PlaceContext, area: ProtectedArea): boolean {
  const { top, exclude, pattern, glob, literal: literally } = parsePathspec(spec);
  if (exclude) return false;
  const base = top ? place.root : dir;
  const path = pattern || '.';
  const expanded = expandKnown(path, base, place.home);
  if (expanded === null) return hiddenNamesArea(path.toLowerCase(), area);
  // Run where the line does not say (after `cd -`): `.` or a leading glob may be the top.
  if (base === null && !isAbsolute(expanded)) return expanded === '.' || GIT_GLOB.test(expanded[0] ?? '') || hiddenNamesArea(path.toLowerCase(), area);
  const abs = resolve(base ?? sep, expanded);
  // As written and through its links; any case; git's wildmatch, `:(glob)` and literal readings at once.
  for (const candidate of candidates(abs, place.real)) {
    const rel = relative(place.root, candidate);
    if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) continue;
    const pattern = rel.split(sep).join('/');
    if (patternCovers(pattern, area.path, area.samples, { glob, literal: literally })) return true;
    // A glob that names no known file of the place: tried against the files it holds now.
    if (!literally && GIT_GLOB.test(pattern) && place.files !== undefined && patternCovers(pattern, area.path, place.files(areaPathOf(area, place)), { glob })) return true;
  }
  // Unquoted, the shell expands a glob first (segment by segment).
  return GLOB.test(abs) && namesArea(path, base, place, area, true);
}

/** Whether an exclusion pathspec (`:!.agent`, `:^.agent/config`, `:(exclude).agent`) leaves the whole area out. */
function excluded(specs: readonly string[], dir: string | null, place: PlaceContext, area: ProtectedArea): boolean {
  const areaPath = areaPathOf(area, place);
  return specs.some((spec) => {
    const { top, exclude, pattern } = parsePathspec(spec);
    const base = top ? place.root : dir;
    if (!exclude || base === null || pattern === '' || GIT_GLOB.test(pattern)) return false;
    const expanded = expandKnown(pattern, base, place.home);
    return expanded !== null && isInside(resolve(base, expanded), areaPath);
  });
}

/** Whether a pathspec names the area or a path inside it, in any case, and nothing else (no glob, no folder holding it). */
function pathspecWithin(spec: string, dir: string | null, place: PlaceContext, area: ProtectedArea): boolean {
  const { top, pattern } = parsePathspec(spec);
  const base = top ? place.root : dir;
  const expanded = base === null ? null : expandKnown(pattern, base, place.home);
  if (base === null || expanded === null || GIT_GLOB.test(expanded)) return false;
  const rel = relative(place.root, resolve(base, expanded)).split(sep).join('/').toLowerCase();
  return rel === area.path.toLowerCase() || rel.startsWith(`${area.path.toLowerCase()}/`);
}

/** Why a git command rewrites files in the area (guard/git-writes.ts), or null. */
function gitAreaWrite(git: GitPaths, place: PlaceContext, area: ProtectedArea): string | null {
  if (git.writes.kind === 'stash') {
    if (git.stashFiles === null) return null;
    const file = git.stashFiles.find((path) => patternCovers(path, area.path, []));
    return file === undefined ? null : `git stash ${git.args[0]} writes back ${file} from ${git.writes.ref}, in ${area.label}`;
  }
  if (git.writes.kind === 'files') {
    const named = git.writes.paths.find((path) => namesArea(path, git.dir, place, area, false));
    return named === undefined ? null : `git ${git.sub} writes ${named}, in ${area.label}`;
  }
  if (git.writes.kind === 'discard') {
    // Only the config: entries rewritten by a heartbeat go back to what was committed, which forges nothing.
    if (git.changedFiles === null || area.rule !== 'config-edit') return null;
    const areaPath = areaPathOf(area, place);
    const lost = git.changedFiles.find((path) => candidates(path, place.real).some((candidate) => isInside(areaPath, candidate)));
    return lost === undefined ? null : `${git.writes.what} throws away the uncommitted change of ${relative(place.root, place.real(lost)).split(sep).join('/')}, in ${area.label} — leave it to the person who made it, or use git reset --keep / a checkout without -f, which keep it`;
  }
  if (git.writes.kind === 'clean' && git.cleanFiles !== null) {
    const areaPath = areaPathOf(area, place);
    const gone = git.cleanFiles.find((path) => candidates(path, place.real).some((candidate) => isInside(areaPath, candidate) || isInside(candidate, areaPath)));
    return gone === undefined ? null : `git clean removes ${relative(place.root, place.real(gone)).split(sep).join('/') || '.'}, in ${area.label} (git clean -n names it) — add the pathspec ':!.agent' to leave .agent/ out`;
  }
  const { specs } = git.writes;
  const whole = git.writes.kind === 'pathspecs' ? git.writes.whole : null;
  if (excluded(specs, git.dir, place, area)) return null;
  const hit = specs.find((spec) => pathspecCovers(spec, git.dir, place, area));
  if (hit === undefined) return null;
  const named = whole !== null && hit === ':/' ? whole : hit;
  // A pathspec that covers more than the area (`.`, `:/`, a glob): say how to leave it out.
  const wider = whole !== null || !pathspecWithin(hit, git.dir, place, area);
  const leaveOut = git.sub === 'stash' ? "use git stash push -- ':!.agent' to leave .agent/ out" : "add the pathspec ':!.agent' to leave .agent/ out";
  const hint = !wider || git.sub === 'switch' || git.sub === 'sparse-checkout' ? '' : git.sub === 'checkout-index' ? ' — name the files you mean instead of -a' : ` — name the paths you mean, or ${leaveOut}`;
  return `git ${git.sub} of ${named} rewrites files in ${area.label}${hint}`;
}

// --- the check ------------------------------------------------------------------------------------

/**
 * Whether a simple command writes into a protected area: the rule and why, or null. `git` is the
 * command read as git (null when it is not), `cwd` the directory it runs in (null: cannot be told).
 */
export function protectedWrite(command: SimpleCommand, git: GitPaths | null, cwd: string | null, place: PlaceContext): ProtectedHit | null {
  // In a container or on another host the paths are not this repository's.
  if (command.elsewhere) return null;
  for (const area of areasOf(place)) {
    const hit = areaWrite(command, git, cwd, place, area);
    if (hit !== null) return { rule: area.rule, why: hit };
  }
  return null;
}

function areaWrite(command: SimpleCommand, git: GitPaths | null, cwd: string | null, place: PlaceContext, area: ProtectedArea): string | null {
  if (git !== null && (area.samples.length > 0 || git.writes.kind === 'files')) {
    const why = gitAreaWrite(git, place, area);
    if (why !== null) return why;
  }
  for (const target of command.writes) if (namesArea(target, cwd, place, area, false)) return `it writes ${target}, in ${area.label}`;
  const program = basename(command.words[0] ?? '');
  const { writes, removes, folders } = writtenPaths(command.words);
  // Taking away a folder that holds the area (`rm -rf .agent`, `mv .agent x`, `rm -rf .a*`) takes it too.
  const gone = removes.find((word) => namesArea(word, cwd, place, area, true));
  if (gone !== undefined) return `${program} of ${gone} takes away ${area.label}`;
  const into = folders.find((word) => namesArea(word, cwd, place, area, true));
  if (into !== undefined) return `${program} writes files into ${into}, which holds ${area.label}`;
  const hit = writes.find((word) => namesArea(word, cwd, place, area, false));
  return hit === undefined ? null : `${program} changes ${hit}, in ${area.label}`;
}

/** The protected area a file path (of the Write/Edit tools) is in, or null. */
export function protectedFile(path: string, place: PlaceContext): ProtectedArea | null {
  for (const area of PROTECTED_AREAS) {
    const areaPath = areaPathOf(area, place);
    if (candidates(resolve(path), place.real).some((candidate) => isInside(areaPath, candidate))) return area;
  }
  return null;
}
