/**
 * The only chokidar importer (loaded lazily). Watches the `status/` directory itself — never
 * single files, which die on a rename-replace — so a deleted and recreated `current/` is seen.
 * Hidden names (temp files `.x.tmp`, `.claims/`) and `*.lock` directories are ignored.
 * `ignoreInitial`: the caller reads what exists itself, after `ready`.
 */
import type { FSWatcher } from 'chokidar';
import { sep } from 'node:path';
import { isIgnoredName, isLinkedArchiveFolder } from './files.js';

export type FileEventKind = 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir';

export interface FileWatchOptions {
  dir: string;
  /** How deep below `dir` to watch (default 2: status/current/x.md, status/archive/<sprint>/x.md). */
  depth?: number;
  /** Watch only this folder below `dir` (and what is in it); `dir` is still watched for it to appear. */
  only?: string;
  onEvent: (kind: FileEventKind, path: string) => void;
  onError: (error: NodeJS.ErrnoException) => void;
}

export interface FileWatch {
  close(): Promise<void>;
}

export type StartFileWatch = (options: FileWatchOptions) => Promise<FileWatch>;

export const startFileWatch: StartFileWatch = async ({ dir, onEvent, onError, depth = 2, only }) => {
  const { watch } = await import('chokidar');
  const outside = (path: string) => only !== undefined && path !== only && !path.startsWith(`${only}${sep}`);
  const watcher: FSWatcher = watch(dir, {
    ignoreInitial: true,
    depth,
    ignored: (path: string) => path !== dir && (isIgnoredName(path) || outside(path) || isLinkedArchiveFolder(dir, path)),
    // Writers rename complete files into place; no need to wait for writes to finish.
    awaitWriteFinish: false,
    // followSymlinks stays on: a current/ or archive/ linked inside the repository keeps its events
    // (one linked outside is refused before the watch starts: trust/layout.ts). An archive/<sprint>
    // that is a link is never entered (isLinkedArchiveFolder), as readStore never reads it; a link
    // named like an entry is reported as a problem by readEntryFile, which never opens through it.
  });
  for (const kind of ['add', 'change', 'unlink', 'addDir', 'unlinkDir'] as const) {
    watcher.on(kind, (path: string) => onEvent(kind, path));
  }
  // An error before `ready` (no inotify watches left) must not leave the caller waiting forever.
  await new Promise<void>((resolve) => {
    watcher.once('ready', () => resolve());
    watcher.on('error', (error: unknown) => {
      resolve();
      onError(error as NodeJS.ErrnoException);
    });
  });
  return { close: () => watcher.close() };
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
