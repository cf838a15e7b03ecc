/** The file watcher (src/watch/fswatch.ts) on real folders: what it reports, and what it never does. */
import { mkdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FileEventKind, type FileWatch, startFileWatch } from '../../src/watch/fswatch.js';
import { testdir } from '../helpers/tmp.js';
import { until } from './procs.js';

const watches: FileWatch[] = [];
afterEach(async () => {
  for (const watch of watches.splice(0)) await watch.close();
});

interface Seen {
  events: Array<[FileEventKind, string]>;
  errors: NodeJS.ErrnoException[];
  /** Events since the last call, as `kind rel` strings (paths relative to `base`). */
  take(): string[];
  has(kind: FileEventKind, path: string): boolean;
}

async function watch(dir: string, extra: { depth?: number; only?: string } = {}): Promise<Seen> {
  const events: Array<[FileEventKind, string]> = [];
  const errors: NodeJS.ErrnoException[] = [];
  let taken = 0;
  watches.push(await startFileWatch({ dir, onEvent: (kind, path) => events.push([kind, path]), onError: (error) => errors.push(error), ...extra }));
  return {
    events,
    errors,
    take() {
      const out = events.slice(taken).map(([kind, path]) => `${kind} ${path.slice(dir.length + 1)}`);
      taken = events.length;
      return out;
    },
    has: (kind, path) => events.some(([k, p]) => k === kind && p === path),
  };
}

/** A write as every cos writer does it: a hidden temp file, then a rename into place. */
function writeAtomic(path: string, text: string): void {
  const dir = join(path, '..');
  const temp = join(dir, `.${path.slice(dir.length + 1)}.tmp`);
  writeFileSync(temp, text);
  renameSync(temp, path);
}

function statusTree(): string {
  const status = join(testdir(), 'status');
  mkdirSync(join(status, 'current'), { recursive: true });
  mkdirSync(join(status, 'archive', 'old-sprint'), { recursive: true });
  writeFileSync(join(status, 'current', '001-a.md'), 'one');
  writeFileSync(join(status, 'archive', 'old-sprint', '000-z.md'), 'zero');
  return status;
}

describe('the file watcher', () => {
  it('reports add, change and unlink of files, never temp files or what was there at the start', async () => {
    const status = statusTree();
    const seen = await watch(status);
    const current = join(status, 'current');
    writeAtomic(join(current, '002-b.md'), 'two');
    await until(() => seen.has('add', join(current, '002-b.md')), 'add of 002-b.md');
    writeAtomic(join(current, '002-b.md'), 'two, again');
    await until(() => seen.has('change', join(current, '002-b.md')), 'change of 002-b.md');
    unlinkSync(join(current, '001-a.md'));
    await until(() => seen.has('unlink', join(current, '001-a.md')), 'unlink of 001-a.md');
    writeFileSync(join(current, 'x.lock'), '');
    writeAtomic(join(current, '003-c.md'), 'three');
    await until(() => seen.has('add', join(current, '003-c.md')), 'add of 003-c.md');
    const paths = seen.events.map(([, path]) => path);
    expect(paths.filter((path) => /\/\.|\.lock$/.test(path))).toEqual([]);
    expect(seen.events.filter(([kind]) => kind === 'add').map(([, path]) => path.slice(status.length + 1))).toEqual(['current/002-b.md', 'current/003-c.md']);
    expect(seen.errors).toEqual([]);
  });

  it('a new folder: addDir, then add for every file in it, also those moved in at once', async () => {
    const status = statusTree();
    const seen = await watch(status);
    const sprint = join(status, 'archive', 'new-sprint');
    mkdirSync(sprint);
    for (let i = 0; i < 20; i++) writeFileSync(join(sprint, `${100 + i}-x.md`), 'moved');
    await until(() => seen.has('addDir', sprint), 'addDir of archive/new-sprint');
    await until(() => seen.events.filter(([kind, path]) => kind === 'add' && path.startsWith(`${sprint}/`)).length === 20, 'the 20 files of the new folder');
    // Each file once as add, whichever of the listing and its own event saw it first.
    const adds = seen.events.filter(([kind]) => kind === 'add').map(([, path]) => path);
    expect(new Set(adds).size).toBe(adds.length);
    writeAtomic(join(sprint, '200-y.md'), 'later');
    await until(() => seen.has('add', join(sprint, '200-y.md')), 'add in the new folder, later');
  });

  it('a deleted and recreated current/: unlink and unlinkDir, then addDir, and the new folder is watched', async () => {
    const status = statusTree();
    const seen = await watch(status);
    const current = join(status, 'current');
    rmSync(current, { recursive: true });
    await until(() => seen.has('unlinkDir', current), 'unlinkDir of current/');
    expect(seen.has('unlink', join(current, '001-a.md'))).toBe(true);
    mkdirSync(current);
    await until(() => seen.events.filter(([kind, path]) => kind === 'addDir' && path === current).length === 1, 'addDir of current/');
    writeAtomic(join(current, '005-e.md'), 'five');
    await until(() => seen.has('add', join(current, '005-e.md')), 'add in the recreated current/');
  });

  it('goes no deeper than depth, and only into `only`', async () => {
    const status = statusTree();
    const deep = join(status, 'archive', 'old-sprint', 'deeper');
    mkdirSync(deep);
    const seen = await watch(status, { depth: 2 });
    writeAtomic(join(deep, '009-d.md'), 'too deep');
    writeAtomic(join(status, 'archive', 'old-sprint', '010-e.md'), 'deep enough');
    await until(() => seen.has('add', join(status, 'archive', 'old-sprint', '010-e.md')), 'add at depth 2');
    expect(seen.events.some(([, path]) => path.startsWith(`${deep}/`))).toBe(false);

    const common = testdir();
    mkdirSync(join(common, 'worktrees', 'wt1'), { recursive: true });
    mkdirSync(join(common, 'refs'));
    const git = await watch(common, { depth: 2, only: join(common, 'worktrees') });
    writeFileSync(join(common, 'refs', 'x'), 'ignored');
    writeFileSync(join(common, 'index'), 'ignored');
    mkdirSync(join(common, 'worktrees', 'wt2'));
    writeFileSync(join(common, 'worktrees', 'wt2', 'gitdir'), '/somewhere/.git\n');
    await until(() => git.has('add', join(common, 'worktrees', 'wt2', 'gitdir')), 'gitdir of a new worktree');
    expect(git.take().filter((line) => !line.split(' ')[1]!.startsWith('worktrees/'))).toEqual([]);
  });

  it('reports nothing after close', async () => {
    const status = statusTree();
    const seen = await watch(status);
    await watches.pop()!.close();
    writeAtomic(join(status, 'current', '007-g.md'), 'after close');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen.events).toEqual([]);
  });
});
