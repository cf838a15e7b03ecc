/**
 * The only code that reads the status folders. A file that does not parse or validate becomes a
 * problem (file, reason): it never throws, and it is never modified.
 */
import { readdirSync, type Dirent, type Stats } from 'node:fs';
import { join, sep } from 'node:path';
import type { Entry } from '../protocol/fields.js';
import { looksLikeEntry, parseEntryFileName, type ParsedFileName } from '../protocol/filename.js';
import { entryFromMatter, parseEntry, type EntryParseResult } from '../protocol/entry.js';
import { parseFrontmatter } from '../protocol/frontmatter.js';
import { preferCopy, sortEntries } from '../protocol/order.js';
import { reachableMaxSeq, splitSeqOutliers } from '../protocol/seq-gap.js';
import { parseTimestamp } from '../protocol/time.js';
import { agentPaths, type AgentPaths } from './paths.js';
import { findRepository, type Worktree } from './worktrees.js';
import { confined, type Roots } from '../trust/confine.js';
import { readBounded } from '../trust/read.js';
import { identityOf, openReadCache, type CachedFolder, type CachedSettled, type Listed, type ReadCache, type ReadCacheOptions } from './read-cache.js';
import { repositoryRoots } from '../trust/roots.js';

/** The reason given for a file whose name is not valid UTF-8 (entry names are ASCII). */
export const NOT_UTF8 = 'its name is not valid UTF-8; an entry name is <seq>-<timestamp>-<agent>.md in ASCII';

/** The reason given for an archive folder whose name is not valid UTF-8 (sprint names are ASCII). */
export const NOT_UTF8_FOLDER = 'its name is not valid UTF-8, so cos cannot read the entries in it; an archive folder is named after its sprint, in ASCII';

/** Larger files are reported, not read: an entry is a status note, not a log dump. */
export const MAX_ENTRY_BYTES = 16 * 1024 * 1024;

/** A file in the store that is not a valid entry, and why. */
export interface Problem {
  /** Path relative to the repository root. */
  file: string;
  reason: string;
  /** What to do, when it is not "fix or remove it by hand". */
  action?: string;
}

/** One read of the store: the valid entries and the problems. */
export interface StoreSnapshot {
  root: string;
  /** Valid entries, current and archive, ordered by (seq, timestamp, file). */
  entries: Entry[];
  problems: Problem[];
  /** Highest sequence number in any entry-like file name (valid or not). */
  maxSeq: number;
  /** How many entry files were read in current/ of the worktree cos runs in (valid or not): what its archive bound limits. */
  currentCount: number;
  /**
   * The worktrees read: every worktree of the git repository on this machine, or just the root
   * (one, marked `here`) outside git. When there is more than one, every entry and problem names
   * its worktree, and the `path` of another worktree's file is relative to the root read from.
   */
  worktrees: Worktree[];
}

/** Options of `readStore`: whether to read the archive and the other worktrees, and the read cache. */
export interface ReadOptions {
  /** Read `status/archive/**` too (default true). */
  archive?: boolean;
  /** Read every worktree of the repository (default true); false reads only the root given. */
  worktrees?: boolean;
  /**
   * The read cache of archived entries (read-cache.ts), used on a full read (archive and every
   * worktree) in a git repository: false reads every file; options tune it (tests).
   */
  cache?: boolean | ReadCacheOptions;
}

/** A folder's entries; a missing folder is empty. Other errors throw unless `problems` collects them. */
function list(dir: string, problems?: { rel: (path: string) => string; list: Problem[] }, roots?: Roots): Dirent[] {
  return listed(dir, problems, roots) ?? [];
}

/** list, with null for a folder that could not be listed (missing, a file, unreadable, outside): nothing to cache. */
function listed(dir: string, problems?: { rel: (path: string) => string; list: Problem[] }, roots?: Roots): Dirent[] | null {
  if (roots && confined(dir, roots) === null) {
    // A committed link to a folder elsewhere: never listed, never read, never moved.
    problems?.list.push({ file: problems.rel(dir), reason: 'it leads outside the repository (a symbolic link); cos reads entries only inside the repository' });
    return null;
  }
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ENOTDIR') {
      // A file where the folder should be: reported (cos post would refuse to write), not silently "all clear".
      problems?.list.push({ file: problems.rel(dir), reason: 'it, or a folder above it, is a file where a folder should be; move that file aside' });
      return null;
    }
    if (!problems) throw error;
    problems.list.push({ file: problems.rel(dir), reason: `the folder cannot be read (${code ?? (error as Error).message})` });
    return null;
  }
}

/** Why a name that looks like an entry is not one, from its type alone (a Dirent or lstat's Stats): nothing is opened. */
export function notRegular(kind: Pick<Dirent, 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>): string {
  const what = kind.isFIFO() ? 'a named pipe' : kind.isSocket() ? 'a socket' : kind.isCharacterDevice() || kind.isBlockDevice() ? 'a device' : 'not a regular file';
  return `it is ${what}${what.startsWith('a ') ? ', not a regular file' : ''}; an entry must be a regular file`;
}

function readText(path: string): { text: string; stats: Stats } | { reason: string } | { gone: true } {
  const read = readBounded(path, MAX_ENTRY_BYTES);
  if (read.ok) return { text: read.bytes.toString('utf8'), stats: read.stats };
  // Moved or removed between listing and reading (cos archive, a git checkout): not a problem.
  if (read.kind === 'missing') return { gone: true };
  return { reason: read.reason };
}

interface ReadState {
  paths: AgentPaths;
  snapshot: StoreSnapshot;
  /** Paths relative to the root read from (which differs from `paths.root` in another worktree). */
  rel: (path: string) => string;
  /** Whether this is the worktree cos runs in (its current/ is what currentCount counts). */
  here: boolean;
  /** The worktree's name, set on every entry when the repository has more than one. */
  worktree: string | undefined;
  /** Where reading may go: every worktree of the repository and its common dir (trust/roots.ts). */
  roots: Roots;
  /** `<worktree>\0<file name>` → index in snapshot.entries. */
  byName: Map<string, number>;
  /** The number of every entry-named file listed, valid or not (protocol/seq-gap.ts). */
  named: number[];
  /** Parsed archived entries by file identity (read-cache.ts), or null. */
  cache: ReadCache | null;
  /** Settled archive folders being left unread (`cos scan`), or null: every entry is kept at once. */
  settling: Settling | null;
}

/**
 * What `cos scan` passes to leave settled archive folders unread: the clock and the age after
 * which a sprint is no longer present, the sprints plans name, and the test of a folder's entries
 * (checks/settled.ts; the store does not know the checks).
 */
export interface SettleInput {
  now: Date;
  /** `archive.max_age_days` in ms. */
  maxAgeMs: number;
  /** Every sprint a plan names, as a step or a dependency. */
  planned: ReadonlySet<string>;
  settledSprint: (entries: readonly Entry[]) => Omit<CachedSettled, 'fingerprint'> | null;
}

/**
 * An archive folder whose cached records all still hold and which the cache says is a settled
 * sprint: left unread unless something else in the store reaches it (decided once every worktree
 * is listed).
 */
class Candidate {
  skip = false;
  constructor(
    readonly dir: string,
    readonly relDir: string,
    readonly worktree: string | undefined,
    readonly folder: CachedFolder,
    readonly settled: CachedSettled,
    readonly names: readonly string[],
    /** The number of each name (its name parsed again, should the folder be read after all). */
    readonly seqs: readonly number[],
  ) {}
}

/** A read that leaves settled folders unread: entries are kept in read order once that is decided. */
interface Settling {
  input: SettleInput;
  /** Entries read and candidate folders, in read order (keep() depends on it for equal copies). */
  slots: (Entry | Candidate)[];
  candidates: Candidate[];
  /** The sprint of every entry read. */
  sprints: Set<string>;
  /** seq → the one file name (not folder) listed with it, in every folder of every worktree, or null when two names share it. */
  seqOwner: Map<number, string | null>;
  /** seq → how many more times than once its one name was listed (other worktrees, other folders): only for such seqs. */
  seqRepeats: Map<number, number>;
  /** Entries left unread. */
  settledEntries: number;
}

/** What a folder read gave: its valid entries (collected only when settling) and whether every entry name in it was one. */
interface FolderRead {
  entries: Entry[];
  clean: boolean;
}

function readDir(state: ReadState, dir: string, location: Entry['location'], dirents?: readonly Listed[], folder: CachedFolder | null = null, relDir = state.rel(dir)): FolderRead {
  const { snapshot, settling } = state;
  const read: FolderRead = { entries: [], clean: true };
  let names = 0;
  let valid = 0;
  // Names from a listing hold no separator: joined by hand, not by path.join and path.relative per file or folder.
  for (const dirent of dirents ?? list(dir, { rel: state.rel, list: snapshot.problems }, state.roots)) {
    const name = dirent.name;
    if (!looksLikeEntry(name)) continue;
    const path = `${dir}${sep}${name}`;
    const rel = relDir === '' ? name : `${relDir}/${name}`;
    // Numbered as scanSeqs numbers it (every name but a folder's), so reader and writer agree on the reachable highest.
    const named = dirent.isDirectory() ? null : parseEntryFileName(name);
    if (named) state.named.push(named.seq);
    if (settling !== null && named !== null) countName(settling, name, named.seq);
    names++;
    if (name.includes('\uFFFD')) {
      // Listed under a lossy UTF-8 decoding, so it cannot be opened by that name: report it.
      snapshot.problems.push({ file: rel, reason: NOT_UTF8 });
      continue;
    }
    if (dirent.isSymbolicLink()) {
      // Never followed: it could point anywhere (a device, a huge file, outside the repository).
      snapshot.problems.push({ file: rel, reason: 'it is a symbolic link; an entry must be a regular file' });
      continue;
    }
    if (!dirent.isFile()) {
      // A FIFO, socket or device named like an entry: reported from its type, never opened.
      if (!dirent.isDirectory()) snapshot.problems.push({ file: rel, reason: notRegular(dirent) });
      continue;
    }
    const parsed = readEntry(path, { file: name, path: rel, location }, named, folder);
    if (parsed === null) continue;
    if (location === 'current' && state.here) snapshot.currentCount++;
    if (named && named.seq > snapshot.maxSeq) snapshot.maxSeq = named.seq;
    if (!parsed.ok) {
      snapshot.problems.push({ file: rel, reason: parsed.reason });
      continue;
    }
    if (state.worktree !== undefined) parsed.entry.worktree = state.worktree;
    valid++;
    if (settling === null) keep(state, parsed.entry);
    else {
      read.entries.push(parsed.entry);
      settling.slots.push(parsed.entry);
      settling.sprints.add(parsed.entry.sprint);
    }
  }
  read.clean = valid === names;
  return read;
}

/** Count a file name listed (by its number: integer keys cost less than 10,000 string keys; one lookup for a number seen once). */
function countName(settling: Settling, name: string, seq: number): void {
  const owner = settling.seqOwner.get(seq);
  if (owner === undefined) settling.seqOwner.set(seq, name);
  else if (owner !== name) settling.seqOwner.set(seq, null);
  else settling.seqRepeats.set(seq, (settling.seqRepeats.get(seq) ?? 0) + 1);
}

/** How many times the one name numbered `seq` was listed, or 0 when no name or two names use it. */
function listedCount(settling: Settling, seq: number, name: string): number {
  return settling.seqOwner.get(seq) === name ? 1 + (settling.seqRepeats.get(seq) ?? 0) : 0;
}

/**
 * An archive folder's names and its part of the read cache: the cached listing when the folder
 * is unchanged (its lstat, taken before any listing, is the identity it was listed with), else a
 * listing made now (and remembered). Without a cache, or for what is no plain folder, just list().
 */
function listArchive(state: ReadState, dir: string, roots?: Roots): { names: readonly Listed[]; folder: CachedFolder | null } {
  const problems = { rel: state.rel, list: state.snapshot.problems };
  if (state.cache === null || (roots && confined(dir, roots) === null)) return { names: list(dir, problems, roots), folder: null };
  const folder = state.cache.folder(dir, identityOf(dir));
  if (folder === null) return { names: list(dir, problems), folder: null };
  if (folder.listing !== undefined) return { names: folder.listing, folder };
  const names = listed(dir, problems);
  if (names !== null) folder.listed(names);
  return { names: names ?? [], folder };
}

/**
 * Whether the archive folder `dir` is a candidate to be left unread (then it is one, in the
 * settling's slots): the cache says it is a settled sprint, and every entry name of its listing is
 * a regular file whose record still holds (an lstat each, as a cached read takes). Otherwise
 * nothing is counted and the folder is read as usual.
 */
function candidate(state: ReadState, settling: Settling, dir: string, relDir: string, listing: readonly Listed[], folder: CachedFolder): boolean {
  const settled = folder.settled;
  if (!settled) return false;
  const names: string[] = [];
  const seqs: number[] = [];
  for (const dirent of listing) {
    const name = dirent.name;
    if (!looksLikeEntry(name)) continue;
    const named = dirent.isFile() && !name.includes('\uFFFD') ? parseEntryFileName(name) : null;
    if (named === null) return false;
    const stats = identityOf(`${dir}${sep}${name}`);
    if (stats === null || !stats.isFile() || !folder.matches(name, stats)) return false;
    names.push(name);
    seqs.push(named.seq);
  }
  if (names.length === 0) return false;
  for (let i = 0; i < names.length; i++) {
    const seq = seqs[i]!;
    state.named.push(seq);
    countName(settling, names[i]!, seq);
    if (seq > state.snapshot.maxSeq) state.snapshot.maxSeq = seq;
  }
  const found = new Candidate(dir, relDir, state.worktree, folder, settled, names, seqs);
  settling.candidates.push(found);
  settling.slots.push(found);
  return true;
}

/**
 * Which candidates stay unread: a settled sprint that nothing else reaches. Its sprint has no
 * entry read elsewhere and no plan names it; it is not present (its latest entry is older than
 * archive.max_age_days); each worktree holds at most one folder of it, all the same copy; and
 * each of its file names is listed nowhere else, with a sequence number no other name uses and
 * within the reachable highest (so it is no duplicate-seq, no outlier, no second copy).
 */
function decide(settling: Settling, reachable: number): void {
  const { input } = settling;
  const bySprint = new Map<string, Candidate[]>();
  for (const found of settling.candidates) {
    let group = bySprint.get(found.settled.sprint);
    if (!group) bySprint.set(found.settled.sprint, (group = []));
    group.push(found);
  }
  for (const [sprint, group] of bySprint) {
    if (settling.sprints.has(sprint) || input.planned.has(sprint)) continue;
    const first = group[0]!;
    if (input.now.getTime() - first.settled.updatedMs <= input.maxAgeMs) continue;
    const worktrees = new Set(group.map((found) => found.worktree));
    if (worktrees.size !== group.length) continue;
    if (!group.every((found) => found.settled.fingerprint === first.settled.fingerprint && found.names.length === first.names.length)) continue;
    const alone = group.every((found) =>
      found.names.every((name, i) => {
        const seq = found.seqs[i]!;
        return listedCount(settling, seq, name) === group.length && seq <= reachable;
      }),
    );
    if (!alone) continue;
    for (const found of group) found.skip = true;
    settling.settledEntries += first.names.length;
  }
}

/** The entries of a candidate that is read after all, from its records (or the file, when a record fails the protocol's rules). */
function materialize(state: ReadState, found: Candidate): void {
  for (let i = 0; i < found.names.length; i++) {
    const name = found.names[i]!;
    const rel = found.relDir === '' ? name : `${found.relDir}/${name}`;
    const parsed = readEntry(`${found.dir}${sep}${name}`, { file: name, path: rel, location: 'archive' }, parseEntryFileName(name), found.folder);
    if (parsed === null) continue;
    if (!parsed.ok) {
      state.snapshot.problems.push({ file: rel, reason: parsed.reason });
      continue;
    }
    if (found.worktree !== undefined) parsed.entry.worktree = found.worktree;
    keep(state, parsed.entry);
  }
}

type Where = { file: string; path: string; location: Entry['location'] };

/** One entry file read and parsed (through the read cache when there is one), or null when it is gone. */
function readEntry(path: string, where: Where, named: ParsedFileName | null, folder: CachedFolder | null): EntryParseResult | null {
  if (folder !== null) {
    const hit = cached(folder, path, where, named);
    if (hit !== undefined) return hit;
  }
  const read = readText(path);
  if ('gone' in read) return null;
  if ('reason' in read) return { ok: false, reason: read.reason };
  return parseRead(read.text, read.stats, where, named, folder);
}

/** The entry the read cache holds for `path` if its identity still matches, null when the file is gone, undefined when the file must be read. */
function cached(folder: CachedFolder, path: string, where: Where, named: ParsedFileName | null): EntryParseResult | null | undefined {
  const stats = identityOf(path);
  if (stats === null) return null;
  if (!stats.isFile()) return undefined;
  const matter = folder.get(where.file, stats);
  if (matter === undefined) return undefined;
  const parsed = entryFromMatter(matter.data, matter.body, where, named);
  if (parsed.ok) return parsed;
  folder.drop(where.file);
  return undefined;
}

/** parseEntry, remembering a valid entry's front matter in the read cache. */
function parseRead(text: string, stats: Stats, where: Where, named: ParsedFileName | null, folder: CachedFolder | null): EntryParseResult {
  if (folder === null) return parseEntry(text, where);
  const matter = parseFrontmatter(text);
  if (!matter.ok) return parseEntry(text, where);
  const parsed = entryFromMatter(matter.data, matter.body, where, named);
  if (parsed.ok) folder.put(where.file, stats, matter.data, matter.body);
  return parsed;
}

/**
 * Identity is the file name: one entry per name within a worktree. The same name is seen twice
 * when `cos archive` moves it from current/ to archive/ while this read runs (current/ is listed
 * first, so a moving entry is never missed, but it can be met on both sides), or after a git
 * merge in which one clone archived what another still has in current/. The copy with the later
 * heartbeat counts; on a tie the one in current/ (so cos archive still sees, and settles, a
 * merged duplicate). Across worktrees, oneCopyPerName decides.
 */
function keep(state: Pick<ReadState, 'byName' | 'snapshot'>, entry: Entry): void {
  const key = entry.worktree === undefined ? entry.file : `${entry.worktree}\0${entry.file}`;
  const seen = state.byName.get(key);
  if (seen === undefined) {
    state.byName.set(key, state.snapshot.entries.length);
    state.snapshot.entries.push(entry);
    return;
  }
  if (preferCopy(entry, state.snapshot.entries[seen]!)) state.snapshot.entries[seen] = entry;
}

/** The worktrees to read for `root`: all of its repository's, or just itself. */
export function worktreesOf(root: string, all = true): Worktree[] {
  const repo = all ? findRepository(root) : null;
  if (repo !== null) return repo.worktrees;
  const absRoot = agentPaths(root).root;
  return [{ name: absRoot.split(/[\\/]/).pop() || absRoot, top: absRoot, root: absRoot, here: true }];
}

function readWorktree(state: ReadState, options: ReadOptions): void {
  const { paths, snapshot } = state;
  readDir(state, paths.current, 'current');
  if (options.archive !== false) {
    const archive = listArchive(state, paths.archive, state.roots);
    const archiveRel = state.rel(paths.archive);
    readDir(state, paths.archive, 'archive', archive.names, archive.folder, archiveRel);
    for (const dirent of archive.names) {
      if (dirent.name.startsWith('.')) continue;
      if (dirent.isDirectory() && dirent.name.includes('\uFFFD')) {
        // Listed under a lossy decoding, it cannot be opened by that name: its entries would go unseen.
        snapshot.problems.push({ file: state.rel(join(paths.archive, dirent.name)), reason: NOT_UTF8_FOLDER });
      } else if (dirent.isDirectory()) {
        // A real folder (not a link) in the confined archive folder: inside by construction, so
        // listed without resolving its path again (a realpath per sprint folder).
        const dir = `${paths.archive}${sep}${dirent.name}`;
        const folder = listArchive(state, dir);
        const relDir = archiveRel === '' ? dirent.name : `${archiveRel}/${dirent.name}`;
        if (state.settling !== null && folder.folder !== null && candidate(state, state.settling, dir, relDir, folder.names, folder.folder)) continue;
        const read = readDir(state, dir, 'archive', folder.names, folder.folder, relDir);
        // A sprint folder read whole: what it settles is remembered for the next scan.
        if (state.settling !== null && folder.folder !== null && folder.folder.settled === undefined && read.clean) {
          folder.folder.settle(state.settling.input.settledSprint(read.entries), read.entries.map((entry) => entry.file));
        }
      }
      else if (dirent.isSymbolicLink() && !looksLikeEntry(dirent.name)) {
        snapshot.problems.push({ file: paths.rel(join(paths.archive, dirent.name)), reason: 'it is a symbolic link; an archive folder must be a real folder inside the repository' });
      }
    }
  }
}

/**
 * The same file name in several worktrees (a merge brought it into more than one) is one entry:
 * the worktree whose copy has the latest heartbeat keeps its copies (current and archive), the
 * others' copies are dropped. Ties go to the worktree cos runs in (`here`), then to the first name.
 * Entries without a worktree (a single checkout) are returned as they are.
 */
export function oneCopyPerName<E extends Entry>(entries: E[], here: string | undefined): E[] {
  // The latest heartbeat of each file name in each worktree.
  const beats = new Map<string, Map<string | undefined, number>>();
  let shared = false;
  for (const entry of entries) {
    let byTree = beats.get(entry.file);
    if (!byTree) beats.set(entry.file, (byTree = new Map()));
    const beat = parseTimestamp(entry.heartbeat);
    const seen = byTree.get(entry.worktree);
    if (seen === undefined) {
      if (byTree.size > 0) shared = true;
      byTree.set(entry.worktree, beat);
    } else if (beat > seen) byTree.set(entry.worktree, beat);
  }
  if (!shared) return entries;
  const rank = (worktree: string | undefined) => (worktree === here ? '' : `~${worktree ?? ''}`);
  const winner = new Map<string, string | undefined>();
  for (const [file, byTree] of beats) {
    let best: [string | undefined, number] | null = null;
    for (const [worktree, beat] of byTree) {
      if (best === null || beat > best[1] || (beat === best[1] && rank(worktree) < rank(best[0]))) best = [worktree, beat];
    }
    winner.set(file, best![0]);
  }
  return entries.filter((entry) => winner.get(entry.file) === entry.worktree);
}

/** Every entry in status/current and status/archive (of every worktree), ordered, and a problem (file, reason) for each file that is not one. */
export function readStore(root: string, options: ReadOptions = {}): StoreSnapshot {
  return readSettling(root, options, null).snapshot;
}

/**
 * readStore for `cos scan`: settled archive folders that nothing else in the store reaches are
 * left unread (SettleInput, checks/settled.ts) and only counted. The snapshot then holds every
 * other entry and every problem; `settledEntries` is how many entries were left out. Without a
 * read cache (outside git, or `cache: false`), or with `settle` null, nothing is left out.
 */
export function readSettling(root: string, options: ReadOptions, settle: SettleInput | null): { snapshot: StoreSnapshot; settledEntries: number } {
  const paths = agentPaths(root);
  const worktrees = worktreesOf(paths.root, options.worktrees !== false);
  const snapshot: StoreSnapshot = { root: paths.root, entries: [], problems: [], maxSeq: 0, currentCount: 0, worktrees };
  const several = worktrees.length > 1;
  // The worktree cos runs in first: its copies win ties and its files are listed first.
  const ordered = [...worktrees].sort((a, b) => Number(b.here) - Number(a.here));
  const roots = repositoryRoots(paths.root);
  const byName = new Map<string, number>();
  const named: number[] = [];
  const full = options.archive !== false && options.worktrees !== false && options.cache !== false;
  const cache = full ? openReadCache(paths.root, typeof options.cache === 'object' ? options.cache : {}) : null;
  const settling: Settling | null =
    cache === null || settle === null ? null : { input: settle, slots: [], candidates: [], sprints: new Set(), seqOwner: new Map(), seqRepeats: new Map(), settledEntries: 0 };
  const states: ReadState[] = [];
  for (const worktree of ordered) {
    const own = agentPaths(worktree.root);
    const state: ReadState = { paths: own, snapshot, rel: paths.rel, here: worktree.here, worktree: several ? worktree.name : undefined, roots, byName, named, cache, settling };
    states.push(state);
    readWorktree(state, options);
  }
  // Every entry's number is among `named` (each entry was listed by its name).
  const reachable = reachableMaxSeq(named);
  if (settling !== null) {
    decide(settling, reachable);
    // In read order, as readStore keeps them: which of two equal copies counts depends on it.
    for (const slot of settling.slots) {
      if (!(slot instanceof Candidate)) keep(states[0]!, slot);
      else if (!slot.skip) materialize(states[0]!, slot);
    }
  }
  cache?.save();
  if (several) snapshot.entries = oneCopyPerName(snapshot.entries, worktrees.find((worktree) => worktree.here)?.name);
  dropSeqOutliers(snapshot, named, reachable);
  sortEntries(snapshot.entries);
  snapshot.problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { snapshot, settledEntries: settling?.settledEntries ?? 0 };
}

/**
 * Every sequence number used by an entry-like file name, current and archive, without parsing,
 * over every worktree of the repository (the writer numbers after the reachable highest).
 */
export function scanSeqs(root: string): number[] {
  const seqs: number[] = [];
  for (const worktree of worktreesOf(root)) scanSeqsOf(worktree.root, seqs);
  return seqs;
}

function scanSeqsOf(root: string, seqs: number[]): void {
  const paths = agentPaths(root);
  const visit = (dir: string) => {
    for (const dirent of list(dir)) {
      if (dirent.isDirectory()) {
        if (dir === paths.archive && !dirent.name.startsWith('.')) visit(join(dir, dirent.name));
        continue;
      }
      const parsed = parseEntryFileName(dirent.name);
      if (parsed) seqs.push(parsed.seq);
    }
  };
  visit(paths.current);
  visit(paths.archive);
}

/**
 * Entries numbered far past every lower one (protocol/seq-gap.ts) become problems: they did not
 * come from cos. Reachability counts `named`, every entry-named file listed (valid or not), as the
 * writer does (scanSeqs), so what the writer numbers is never dropped here.
 */
function dropSeqOutliers(snapshot: StoreSnapshot, named: number[], reachable: number): void {
  const { kept, outliers } = splitSeqOutliers(snapshot.entries, named, reachable);
  if (outliers.length === 0) return;
  snapshot.problems.push(...outliers);
  snapshot.entries = kept;
}
