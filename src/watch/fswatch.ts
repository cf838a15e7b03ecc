/**
 * The file watcher: node's own `fs.watch` on each folder of the tree (never on single files,
 * which die on a rename-replace), so a deleted and recreated `current/` is seen. Each event names
 * the file that changed; that one file is looked at (one lstat), never the whole folder, so an
 * event costs the same in a folder of 50 files as in one of 10,000, and no event is lost while a
 * folder is listed.
 *
 * (chokidar 5, used before, re-lists a folder with an lstat per file on every change in it, and
 * counts changes that arrive during a listing for 1 s only: when the listing takes longer — 3,000
 * files on a busy machine, 10,000 anywhere — the rename that puts an entry in place after its
 * temp file was created is dropped, and the entry is seen only at the next full reconcile. It also
 * kept an fs.watch per file: about 90 MiB for 10,000 entries.)
 *
 * Hidden names (temp files `.x.tmp`, `.claims/`) and `*.lock` directories are ignored; so is an
 * `archive/<name>` that is a symbolic link. Nothing is reported for what exists when the watch
 * starts: the caller reads that itself, after the watch is set up.
 */
import { type Dirent, type FSWatcher, lstatSync, readdirSync, statSync, watch as fsWatch } from 'node:fs';
import { join, sep } from 'node:path';
import { isIgnoredName, isLinkedArchiveFolder } from './files.js';

/** The kinds of file event a watch reports. */
export type FileEventKind = 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir';

/** What a file watch watches and whom it tells. */
export interface FileWatchOptions {
  dir: string;
  /** How deep below `dir` to watch (default 2: status/current/x.md, status/archive/<sprint>/x.md). */
  depth?: number;
  /** Watch only this folder below `dir` (and what is in it); `dir` is still watched for it to appear. */
  only?: string;
  onEvent: (kind: FileEventKind, path: string) => void;
  onError: (error: NodeJS.ErrnoException) => void;
}

/** A running file watch. */
export interface FileWatch {
  close(): Promise<void>;
}

/** Starts a file watch (fs.watch by default; tests give their own). */
export type StartFileWatch = (options: FileWatchOptions) => Promise<FileWatch>;

type Kind = 'file' | 'dir';

interface Folder {
  level: number;
  /** The folder's inode when it was watched: a folder replaced under the same name is watched anew. */
  ino: number;
  watcher: FSWatcher | null;
  /** What the folder holds, by name (ignored names left out). */
  children: Map<string, Kind>;
}

/** Errors that only mean the path went away while it was being looked at. */
const GONE = new Set(['ENOENT', 'ENOTDIR']);
/** The kernel ran out of watches or descriptors. */
const EXHAUSTED = new Set(['ENOSPC', 'EMFILE', 'ENFILE']);

/**
 * What is at `path` now: a folder (a link to a folder is followed, as a linked `current/` inside
 * the repository must keep its events), something else (a file, a link named like an entry, a
 * FIFO: the reader decides), or null when nothing is there.
 */
function kindAt(path: string): { kind: Kind; ino: number } | null {
  try {
    const stats = lstatSync(path);
    if (stats.isDirectory()) return { kind: 'dir', ino: stats.ino };
    if (stats.isSymbolicLink()) {
      try {
        const target = statSync(path);
        if (target.isDirectory()) return { kind: 'dir', ino: target.ino };
      } catch {
        // A dangling link: still a name in the folder.
      }
    }
    return { kind: 'file', ino: stats.ino };
  } catch {
    return null;
  }
}

function direntKind(folder: string, entry: Dirent): Kind {
  if (entry.isDirectory()) return 'dir';
  if (entry.isSymbolicLink()) return kindAt(join(folder, entry.name))?.kind ?? 'file';
  return 'file';
}

export const startFileWatch: StartFileWatch = async ({ dir, onEvent, onError, depth = 2, only }) => {
  const folders = new Map<string, Folder>();
  let closed = false;

  const outside = (path: string) => only !== undefined && path !== only && !path.startsWith(`${only}${sep}`);
  const ignored = (path: string) => path !== dir && (isIgnoredName(path) || outside(path) || isLinkedArchiveFolder(dir, path));

  // Once the kernel ran out of watches (the caller then polls), no further watch is tried.
  let exhausted = false;
  const report = (error: NodeJS.ErrnoException) => {
    if (closed || exhausted || GONE.has(error.code ?? '')) return;
    if (EXHAUSTED.has(error.code ?? '')) exhausted = true;
    onError(error);
  };

  /** The names in `path` that count, with their kinds; null when it cannot be listed. */
  function list(path: string): Map<string, Kind> | null {
    let entries: Dirent[];
    try {
      entries = readdirSync(path, { withFileTypes: true });
    } catch (error) {
      report(error as NodeJS.ErrnoException);
      return null;
    }
    const children = new Map<string, Kind>();
    for (const entry of entries) {
      const child = join(path, entry.name);
      if (!ignored(child)) children.set(entry.name, direntKind(path, entry));
    }
    return children;
  }

  /**
   * Watch `path` (at `level` below `dir`) and the folders in it down to `depth`. The watch is set
   * before the folder is listed, so nothing created meanwhile is missed; `announce` reports what
   * the listing finds (a folder that appeared while watching), as `addDir` and `add`.
   */
  function watchFolder(path: string, level: number, announce: boolean): void {
    if (closed || exhausted || folders.has(path)) return;
    const at = kindAt(path);
    if (at === null || at.kind !== 'dir') return;
    let watcher: FSWatcher;
    try {
      watcher = fsWatch(path, { persistent: true }, (_event, name) => onChange(path, name));
    } catch (error) {
      report(error as NodeJS.ErrnoException);
      return;
    }
    watcher.on('error', (error: NodeJS.ErrnoException) => {
      // A watched folder that is deleted may end its watch with an error: that is its unlinkDir.
      if (kindAt(path) === null) return;
      report(error);
    });
    const folder: Folder = { level, ino: at.ino, watcher, children: new Map() };
    folders.set(path, folder);
    const children = list(path) ?? new Map<string, Kind>();
    folder.children = children;
    for (const [name, kind] of children) {
      const child = join(path, name);
      if (kind === 'dir') {
        if (announce) onEvent('addDir', child);
        if (level + 1 <= depth) watchFolder(child, level + 1, announce);
      } else if (announce) onEvent('add', child);
    }
  }

  /** Stop watching `path` and everything below it, reporting what it held as gone. */
  function forget(path: string): void {
    const folder = folders.get(path);
    if (!folder) return;
    folders.delete(path);
    folder.watcher?.close();
    for (const [name, kind] of folder.children) {
      const child = join(path, name);
      if (kind === 'dir') {
        forget(child);
        onEvent('unlinkDir', child);
      } else onEvent('unlink', child);
    }
  }

  /** Look at one name in a watched folder and report what changed about it. */
  function look(parent: string, folder: Folder, name: string): void {
    const path = join(parent, name);
    if (ignored(path)) return;
    const known = folder.children.get(name);
    const now = kindAt(path);
    if (known === 'dir' && (now === null || now.kind !== 'dir' || folders.get(path)?.ino !== now.ino)) {
      // Gone, or replaced by a file or by another folder of the same name.
      folder.children.delete(name);
      forget(path);
      onEvent('unlinkDir', path);
    } else if (known === 'file' && (now === null || now.kind === 'dir')) {
      folder.children.delete(name);
      onEvent('unlink', path);
    }
    if (now === null) return;
    const still = folder.children.get(name);
    if (now.kind === 'dir') {
      if (still === 'dir') return;
      folder.children.set(name, 'dir');
      onEvent('addDir', path);
      if (folder.level + 1 <= depth) watchFolder(path, folder.level + 1, true);
    } else {
      folder.children.set(name, 'file');
      onEvent(still === 'file' ? 'change' : 'add', path);
    }
  }

  function onChange(parent: string, name: string | Buffer | null): void {
    if (closed) return;
    const folder = folders.get(parent);
    if (!folder) return;
    const text = typeof name === 'string' ? name : name === null ? null : name.toString('utf8');
    const named = text !== null && text !== '' && !text.includes(sep);
    // Most events in a git common folder are about files outside `only`: dropped without a look.
    if (named && ignored(join(parent, text))) return;
    if (parent === dir && kindAt(dir) === null) {
      // The watched folder itself went: everything in it is gone.
      forget(dir);
      onEvent('unlinkDir', dir);
      return;
    }
    if (named) {
      look(parent, folder, text);
      return;
    }
    // No name given (some platforms, some events): compare the folder with what it held.
    const now = list(parent);
    if (now === null) return;
    for (const name of new Set([...folder.children.keys(), ...now.keys()])) look(parent, folder, name);
  }

  watchFolder(dir, 0, false);

  return {
    close: async () => {
      closed = true;
      for (const folder of folders.values()) folder.watcher?.close();
      folders.clear();
    },
  };
};

/** A clear sentence for a watch error; `exhausted` when the kernel ran out of watches or descriptors. */
export function describeWatchError(error: NodeJS.ErrnoException): { message: string; exhausted: boolean } {
  if (error.code === 'ENOSPC') {
    return {
      exhausted: true,
      message:
        'the system ran out of inotify watches (ENOSPC); raise the limit with `sudo sysctl fs.inotify.max_user_watches=524288` (persist it in /etc/sysctl.conf); falling back to polling the status folders',
    };
  }
  if (error.code === 'EMFILE' || error.code === 'ENFILE') {
    return {
      exhausted: true,
      message: `too many open files or inotify instances (${error.code}); raise \`ulimit -n\` or \`sudo sysctl fs.inotify.max_user_instances=1024\` (and fs.inotify.max_user_watches); falling back to polling the status folders`,
    };
  }
  return { exhausted: false, message: `file watching failed (${error.code ?? 'error'}: ${error.message})` };
}
