/**
 * The read cache of archived entries (src/store/read-cache.ts): a read through it gives exactly
 * what a read of every file gives, whatever happened to the files (property over random
 * histories); a corrupt or hostile cache costs speed, never a finding or a value cos would refuse.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serializeEntry } from '../../src/protocol/entry.js';
import type { Status } from '../../src/protocol/fields.js';
import { entryFileName } from '../../src/protocol/filename.js';
import { RACY_MS, READ_CACHE_VERSION, openReadCache, readCachePath } from '../../src/store/read-cache.js';
import { runChecks } from '../../src/checks/index.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { deriveSprints } from '../../src/state/lifecycle.js';
import { readStore } from '../../src/store/read.js';
import { analyze, scan } from '../../src/analyze.js';
import { runCli } from '../helpers/cli.js';
import { put, restoreMtime, tick } from '../helpers/status-files.js';
import { gitdir, testdir } from '../helpers/tmp.js';
import { tree } from '../helpers/tree.js';

const T0 = Date.parse('2026-02-01T08:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function text(sprint: string, agent: string, status: Status, seq: number, note = ''): string {
  const timestamp = iso(T0 + seq * 60_000);
  return serializeEntry({ timestamp, sprint, agent, status, severity: status === 'FAILED' ? 'URGENT' : 'INFO', heartbeat: timestamp, ttl_minutes: 30, extra: {} }, `Entry ${seq}.${note}\n`);
}

function fileOf(sprint: string, agent: string, seq: number): string {
  return `.agent/status/archive/${sprint}/${entryFileName(seq, iso(T0 + seq * 60_000), agent)}`;
}

/** What a reader sees, with and without the cache (racy window off: the files are seconds old). */
const cachedRead = (root: string) => readStore(root, { cache: { racyMs: 0 } });
const plainRead = (root: string) => readStore(root, { cache: false });

/**
 * The cache's folder records as the tests handle them: [path, dev, inode, mtimeMs, ctimeMs, other
 * names, file records, settled]. In the file, the index line holds the folders with their record
 * names joined by `/`, four numbers per name and each folder's data bytes; the data, after it, is
 * per folder a JSON list of [front matter, body]. cacheDocument puts them together and
 * writeCacheDocument takes them apart.
 */
type FolderRecord = [string, number, number, number, number, string | null, FileRecord[], unknown];
/** A file record with its data: [name, inode, size, mtimeMs, ctimeMs, front matter, body]. */
type FileRecord = [string, number, number, number, number, Record<string, unknown>, string];

function cacheDocument(root: string): { version: number; folders: FolderRecord[] } {
  return cacheDocumentAt(readCachePath(root)!);
}

function cacheDocumentAt(path: string): { version: number; folders: FolderRecord[] } {
  const bytes = readFileSync(path);
  const newline = bytes.indexOf(10);
  const index = JSON.parse(bytes.toString('utf8', 0, newline)) as { version: number; folders: unknown[][] };
  let offset = newline + 1;
  const folders = index.folders.map((folder) => {
    const length = folder[9] as number;
    const data = JSON.parse(bytes.toString('utf8', offset, offset + length)) as Array<[Record<string, unknown>, string]>;
    offset += length;
    const names = folder[6] === '' ? [] : (folder[6] as string).split('/');
    const ids = folder[7] as number[];
    const files = names.map((name, i): FileRecord => [name, ids[4 * i]!, ids[4 * i + 1]!, ids[4 * i + 2]!, ids[4 * i + 3]!, data[i]![0], data[i]![1]]);
    return [folder[0], folder[1], folder[2], folder[3], folder[4], folder[5], files, folder[8]] as FolderRecord;
  });
  return { version: index.version, folders };
}

function writeCacheDocument(path: string, document: { version: number; folders: unknown[][] }): void {
  const parts: Buffer[] = [];
  // Broken records (the hostile-cache tests write them) are written as they are, with no data.
  const folders = document.folders.map((folder) => {
    if (!Array.isArray(folder) || !Array.isArray(folder[6])) return folder;
    const files = folder[6] as unknown[];
    const data = Buffer.from(JSON.stringify(files.map((file) => (Array.isArray(file) ? [file[5], file[6]] : null))));
    parts.push(data);
    const names = files.map((file) => String(Array.isArray(file) ? file[0] : file)).join('/');
    const ids = files.flatMap((file) => (Array.isArray(file) ? file.slice(1, 5) : [file]));
    return [...folder.slice(0, 6), names, ids, folder[7] ?? null, data.length];
  });
  writeFileSync(path, Buffer.concat([Buffer.from(`${JSON.stringify({ version: document.version, folders })}\n`), ...parts]));
}

/** Every file record of the cache, with its absolute path. */
function records(root: string): Array<{ path: string; data: Record<string, unknown>; body: string }> {
  return cacheDocument(root).folders.flatMap(([dir, , , , , , files]) => files.map((file) => ({ path: join(dir, file[0]), data: file[5], body: file[6] })));
}

describe('read cache', () => {
  it('lives in the git common dir; a second read takes archived entries from it and sees what a read of every file sees', () => {
    const root = gitdir();
    put(root, fileOf('alpha', 'dev', 1), text('alpha', 'dev', 'COMPLETE', 1));
    put(root, fileOf('alpha', 'qa', 2), text('alpha', 'qa', 'VERIFIED', 2));
    put(root, `.agent/status/current/${entryFileName(3, iso(T0 + 3 * 60_000), 'dev')}`, text('beta', 'dev', 'IN_PROGRESS', 3));
    const first = cachedRead(root);
    const path = readCachePath(root)!;
    expect(path).toBe(join(execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: root, encoding: 'utf8' }).trim(), 'cos', 'read-cache.json'));
    // Archived entries only; current/ is read every time.
    expect(records(root).map((record) => record.path).sort()).toEqual([join(root, fileOf('alpha', 'dev', 1)), join(root, fileOf('alpha', 'qa', 2))]);
    expect(cachedRead(root)).toEqual(first);
    expect(first).toEqual(plainRead(root));
    // Nothing of it is in the work tree: git sees only the entries written above.
    const changes = execFileSync('git', ['status', '--porcelain', '--ignored', '--untracked-files=all'], { cwd: root, encoding: 'utf8' }).trim().split('\n');
    expect(changes).toHaveLength(3);
    for (const line of changes) expect(line).toMatch(/^\?\? \.agent\/status\//);
  });

  it('a record is used only while its file keeps the identity it was read with (an in-place rewrite of the same size, mtime put back, is seen)', () => {
    const root = gitdir();
    const file = fileOf('alpha', 'dev', 1);
    put(root, file, text('alpha', 'dev', 'COMPLETE', 1, ' aaaa'));
    cachedRead(root);
    // Proof the record is what the second read used: a marker put into it (with the file's identity) shows.
    const document = cacheDocument(root);
    document.folders.find((folder) => folder[6].length > 0)![6][0]![6] = 'from the cache\n';
    writeCacheDocument(readCachePath(root)!, document);
    expect(cachedRead(root).entries[0]!.body).toBe('from the cache\n');
    tick();
    const before = statSync(join(root, file), { bigint: true });
    writeFileSync(join(root, file), text('alpha', 'dev', 'COMPLETE', 1, ' bbbb'));
    restoreMtime(join(root, file), before.mtimeNs);
    const after = statSync(join(root, file), { bigint: true });
    expect([after.size, after.mtimeNs, after.ino]).toEqual([before.size, before.mtimeNs, before.ino]);
    expect(cachedRead(root).entries[0]!.body).toBe('Entry 1. bbbb\n');
    expect(cachedRead(root)).toEqual(plainRead(root));
  });

  it('an unchanged folder is not listed again, yet an entry edited in place (same size, same second, folder untouched) is seen', () => {
    const root = gitdir();
    const file = fileOf('alpha', 'dev', 1);
    put(root, file, text('alpha', 'dev', 'COMPLETE', 1, ' aaaa'));
    put(root, fileOf('alpha', 'qa', 2), text('alpha', 'qa', 'VERIFIED', 2));
    const folder = join(root, '.agent/status/archive/alpha');
    cachedRead(root);
    // Proof the listing is what the second read used: a name put into the cached listing (with
    // the folder's identity) is looked up, and being gone, is no entry and no problem.
    const genuine = readFileSync(readCachePath(root)!, 'utf8');
    const document = cacheDocument(root);
    const record = document.folders.find((entry) => entry[0] === folder)!;
    expect(record[5]).toBe('');
    record[5] = `f${entryFileName(3, iso(T0 + 3 * 60_000), 'ghost')}/p${entryFileName(4, iso(T0 + 4 * 60_000), 'pipe')}`;
    writeCacheDocument(readCachePath(root)!, document);
    // The named pipe the listing claims is reported from its type, never opened: the listing was used.
    expect(cachedRead(root).problems.map((problem) => problem.file)).toEqual([`.agent/status/archive/alpha/${entryFileName(4, iso(T0 + 4 * 60_000), 'pipe')}`]);
    writeFileSync(readCachePath(root)!, genuine);
    expect(cachedRead(root).problems).toEqual([]);
    tick();
    const folderBefore = statSync(folder, { bigint: true });
    const before = statSync(join(root, file), { bigint: true });
    writeFileSync(join(root, file), text('alpha', 'dev', 'FAILED', 1, ' bbbb').slice(0, Number(before.size)).padEnd(Number(before.size), ' '));
    restoreMtime(join(root, file), before.mtimeNs);
    const folderAfter = statSync(folder, { bigint: true });
    const after = statSync(join(root, file), { bigint: true });
    // In place: the folder keeps its identity, the file its inode, size and mtime (only its ctime moved).
    expect([folderAfter.ino, folderAfter.mtimeNs, folderAfter.ctimeNs]).toEqual([folderBefore.ino, folderBefore.mtimeNs, folderBefore.ctimeNs]);
    expect([after.size, after.mtimeNs, after.ino]).toEqual([before.size, before.mtimeNs, before.ino]);
    const read = cachedRead(root);
    expect(read.entries.find((entry) => entry.file === file.split('/').pop())!.status).toBe('FAILED');
    expect(read).toEqual(plainRead(root));
  });

  it('a name added to a cached folder is seen even when the folder\'s mtime is put back (its ctime moved)', () => {
    const root = gitdir();
    put(root, fileOf('alpha', 'dev', 1), text('alpha', 'dev', 'COMPLETE', 1));
    const folder = join(root, '.agent/status/archive/alpha');
    expect(cachedRead(root).entries).toHaveLength(1);
    tick();
    const before = statSync(folder, { bigint: true });
    put(root, fileOf('alpha', 'qa', 2), text('alpha', 'qa', 'VERIFIED', 2));
    restoreMtime(folder, before.mtimeNs);
    expect(statSync(folder, { bigint: true }).mtimeNs).toBe(before.mtimeNs);
    expect(cachedRead(root).entries.map((entry) => entry.status)).toEqual(['COMPLETE', 'VERIFIED']);
    expect(cachedRead(root)).toEqual(plainRead(root));
  });

  it('a file changed within the racy window before it was read is not cached', () => {
    const root = gitdir();
    put(root, fileOf('alpha', 'dev', 1), text('alpha', 'dev', 'COMPLETE', 1));
    readStore(root);
    expect(existsSync(readCachePath(root)!)).toBe(false);
    readStore(root, { cache: { now: () => Date.now() + 10_000 } });
    expect(records(root)).toHaveLength(1);
  });

  it('outside git there is no cache: nothing is written anywhere', () => {
    const root = testdir({ [fileOf('alpha', 'dev', 1)]: text('alpha', 'dev', 'COMPLETE', 1) });
    const before = tree(root);
    expect(cachedRead(root).entries).toHaveLength(1);
    expect(readCachePath(root)).toBeNull();
    expect(tree(root)).toEqual(before);
  });

  it('cos scan leaves a settled sprint folder unread (its data in the cache is never parsed), and reads it again once an entry elsewhere names it', () => {
    const root = gitdir();
    // alpha: finished months ago (not present); beta: live in current/.
    put(root, fileOf('alpha', 'dev', 1), text('alpha', 'dev', 'COMPLETE', 1));
    put(root, fileOf('alpha', 'qa', 2), text('alpha', 'qa', 'VERIFIED', 2));
    put(root, `.agent/status/current/${entryFileName(3, iso(T0 + 3 * 60_000), 'dev')}`, text('beta', 'dev', 'IN_PROGRESS', 3));
    const now = new Date(T0 + 30 * 86_400_000);
    const fast = () => scan(root, { now, cache: { racyMs: 0 } });
    const full = () => {
      const analysis = analyze(root, { now, cache: false });
      return { findings: analysis.findings, entries: analysis.snapshot.entries.length, problems: analysis.snapshot.problems.length };
    };
    expect(fast()).toEqual(full());
    const alpha = cacheDocument(root).folders.find((folder) => folder[0].endsWith(join('archive', 'alpha')))!;
    expect(alpha[7]).toEqual(['alpha', T0 + 2 * 60_000, expect.any(String)]);
    // Garbage of the same length in place of alpha's data: a read that parsed it would read the
    // files again and rewrite the cache; the scan leaves both as they are.
    const path = readCachePath(root)!;
    const bytes = readFileSync(path);
    const newline = bytes.indexOf(10);
    const index = JSON.parse(bytes.toString('utf8', 0, newline)) as { folders: unknown[][] };
    let offset = newline + 1;
    for (const folder of index.folders) {
      if (folder[0] === alpha[0]) bytes.fill('x', offset, offset + (folder[9] as number));
      offset += folder[9] as number;
    }
    writeFileSync(path, bytes);
    expect(fast()).toEqual(full());
    expect(readFileSync(path).equals(bytes)).toBe(true);
    // A full read (cos status) parses it, finds it unusable, reads the files and mends the cache.
    expect(cachedRead(root)).toEqual(plainRead(root));
    expect(readFileSync(path).equals(bytes)).toBe(false);
    // A NOTE on alpha in current/ (resolving its COMPLETE) reaches alpha: the folder is read, the result the same.
    writeFileSync(path, bytes);
    put(root, `.agent/status/current/${entryFileName(4, iso(T0 + 4 * 60_000), 'lead')}`, serializeEntry({ timestamp: iso(T0 + 4 * 60_000), sprint: 'alpha', agent: 'lead', status: 'NOTE', severity: 'INFO', heartbeat: iso(T0 + 4 * 60_000), ttl_minutes: 30, extra: {}, resolves: entryFileName(1, iso(T0 + 60_000), 'dev') }, 'Accepted.\n'));
    expect(fast()).toEqual(full());
    expect(readFileSync(path).equals(bytes)).toBe(false);
  });

  it("another release's settled marks are not trusted: the folder is read and marked again; its records still count", () => {
    const root = gitdir();
    put(root, fileOf('alpha', 'dev', 1), text('alpha', 'dev', 'COMPLETE', 1));
    put(root, fileOf('alpha', 'qa', 2), text('alpha', 'qa', 'VERIFIED', 2));
    const now = new Date(T0 + 30 * 86_400_000);
    const fast = () => scan(root, { now, cache: { racyMs: 0 } });
    fast();
    const path = readCachePath(root)!;
    const bytes = readFileSync(path);
    const newline = bytes.indexOf(10);
    const index = JSON.parse(bytes.toString('utf8', 0, newline)) as { cos: string; folders: unknown[][] };
    expect(index.folders.some((folder) => Array.isArray(folder[8]))).toBe(true);
    // The same cache, as an older release would have left it.
    index.cos = '0.0.1-older';
    const older = Buffer.concat([Buffer.from(`${JSON.stringify(index)}\n`), bytes.subarray(newline + 1)]);
    writeFileSync(path, older);
    expect(fast()).toEqual(scan(root, { now, cache: false }));
    const again = readFileSync(path);
    const rewritten = JSON.parse(again.toString('utf8', 0, again.indexOf(10))) as { cos: string; folders: unknown[][] };
    expect(rewritten.cos).not.toBe('0.0.1-older');
    expect(rewritten.folders.some((folder) => Array.isArray(folder[8]))).toBe(true);
  });

  it('a deleted archived file leaves the cache; an unchanged cache is not rewritten', () => {
    const root = gitdir();
    put(root, fileOf('alpha', 'dev', 1), text('alpha', 'dev', 'COMPLETE', 1));
    put(root, fileOf('alpha', 'qa', 2), text('alpha', 'qa', 'VERIFIED', 2));
    cachedRead(root);
    const written = statSync(readCachePath(root)!);
    tick();
    cachedRead(root);
    expect(statSync(readCachePath(root)!).ino).toBe(written.ino);
    unlinkSync(join(root, fileOf('alpha', 'qa', 2)));
    expect(cachedRead(root).entries).toHaveLength(1);
    expect(records(root).map((record) => record.path)).toEqual([join(root, fileOf('alpha', 'dev', 1))]);
  });

  it('the data part is taken only from the file whose index was read: a cache replaced in between gives nothing of its data', () => {
    const root = gitdir();
    put(root, fileOf('alpha', 'dev', 1), text('alpha', 'dev', 'COMPLETE', 1));
    put(root, fileOf('alpha', 'qa', 2), text('alpha', 'qa', 'VERIFIED', 2));
    cachedRead(root);
    const path = readCachePath(root)!;
    // The same index line over other data (another body of the same length for every record):
    // what a cache written by another run between this run's index read and its data read could
    // hold at the same offsets.
    const bytes = readFileSync(path);
    const newline = bytes.indexOf(10);
    const index = JSON.parse(bytes.toString('utf8', 0, newline)) as { folders: unknown[][] };
    const forged = (body: string) => `${'F'.repeat(body.length - 1)}\n`;
    const name = fileOf('alpha', 'dev', 1).split('/').pop()!;
    let own = '';
    const parts: Buffer[] = [bytes.subarray(0, newline + 1)];
    let offset = newline + 1;
    for (const folder of index.folders) {
      const length = folder[9] as number;
      const items = JSON.parse(bytes.toString('utf8', offset, offset + length)) as Array<[Record<string, unknown>, string]>;
      const names = (folder[6] as string).split('/');
      if (names.includes(name)) own = items[names.indexOf(name)]![1];
      parts.push(Buffer.from(JSON.stringify(items.map(([data, body]) => [data, forged(body)]))));
      offset += length;
    }
    const replacement = `${path}.next`;
    writeFileSync(replacement, Buffer.concat(parts));
    expect(statSync(replacement).size).toBe(bytes.length);
    expect(own).not.toBe('');
    const cache = openReadCache(root, { racyMs: 0 })!;
    renameSync(replacement, path);
    const dir = join(root, '.agent/status/archive/alpha');
    const folder = cache.folder(dir, statSync(dir))!;
    expect(folder.get(name, statSync(join(dir, name)))).toBeUndefined();
    // Opened after the replacement, the same record gives the new file's body.
    const again = openReadCache(root, { racyMs: 0 })!;
    expect(again.folder(dir, statSync(dir))!.get(name, statSync(join(dir, name)))?.body).toBe(forged(own));
  });

  describe('a corrupt or hostile cache costs speed, never correctness', () => {
    function repository(): { root: string; expected: ReturnType<typeof readStore> } {
      const root = gitdir();
      put(root, fileOf('alpha', 'dev', 1), text('alpha', 'dev', 'COMPLETE', 1));
      put(root, fileOf('alpha', 'qa', 2), text('alpha', 'qa', 'VERIFIED', 2));
      put(root, fileOf('beta', 'dev', 3), text('beta', 'dev', 'FAILED', 3));
      put(root, fileOf('beta', 'dev', 4), '---\nnot: [closed\n---\n');
      return { root, expected: plainRead(root) };
    }

    const corruptions: Array<[string, (path: string) => void]> = [
      ['garbage bytes', (path) => writeFileSync(path, Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22]))],
      ['cut short', (path) => writeFileSync(path, readFileSync(path, 'utf8').slice(0, 200))],
      ['another version', (path) => writeFileSync(path, readFileSync(path, 'utf8').replace(`"version":${READ_CACHE_VERSION}`, `"version":${READ_CACHE_VERSION + 1}`))],
      ['not an object', (path) => writeFileSync(path, '[1,2,3]')],
      ['records of the wrong shape', (path) => {
        const { folders } = cacheDocumentAt(path);
        // Right-shaped folders whose file records, listings and data are not.
        const broken = folders.map((folder) => [folder[0], folder[1], folder[2], folder[3], folder[4], 'x/f', [null, 3, ['x'], [1, 2, 3, 4, 5, {}, ''], ['../up.md', 1, 2, 3, 4, {}, ''], [folder[6][0]?.[0] ?? 'a.md', 1, 2, 3, 4, 'not a mapping', 7]], [1, 2, 3]]);
        writeCacheDocument(path, { version: READ_CACHE_VERSION, folders: broken });
      }],
      ['folder records of the wrong shape', (path) => {
        const { folders } = cacheDocumentAt(path);
        writeCacheDocument(path, { version: READ_CACHE_VERSION, folders: [[null, 3, ['x'], [1, 2, 3, 4, 5, 6, 7]] as unknown as FolderRecord, ...folders] });
      }],
      ['data lengths that do not add up', (path) => {
        const bytes = readFileSync(path);
        const newline = bytes.indexOf(10);
        const index = JSON.parse(bytes.toString('utf8', 0, newline)) as { folders: unknown[][] };
        for (const folder of index.folders) folder[9] = (folder[9] as number) + 1;
        writeFileSync(path, Buffer.concat([Buffer.from(`${JSON.stringify(index)}\n`), bytes.subarray(newline + 1)]));
      }],
      ['a link to /dev/zero', (path) => { unlinkSync(path); symlinkSync('/dev/zero', path); }],
      ['a named pipe', (path) => { unlinkSync(path); execFileSync('mkfifo', [path]); }],
      ['a folder', (path) => { unlinkSync(path); mkdirSync(path); }],
    ];
    for (const [what, corrupt] of corruptions) {
      it(`${what}: the files are read, the findings are the same`, async () => {
        const { root, expected } = repository();
        cachedRead(root);
        corrupt(readCachePath(root)!);
        expect(cachedRead(root)).toEqual(expected);
        expect(cachedRead(root)).toEqual(expected);
        const scans = await Promise.all([runCli(['scan', '--json', '--fail-on', 'never'], { cwd: root }), runCli(['scan', '--json', '--fail-on', 'never', '--dir', root], { cwd: root })]);
        for (const scan of scans) expect(JSON.parse(scan.stdout).findings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'malformed' })]));
        expect(scans[0]!.stdout).toBe(scans[1]!.stdout);
      });
    }

    it('forged records with the files\' identities but values cos refuses: each file is read instead, and the record dropped', () => {
      const { root, expected } = repository();
      cachedRead(root);
      const document = cacheDocument(root);
      const forged: Array<(data: Record<string, unknown>) => unknown> = [
        (data) => ({ ...data, sprint: '../../etc' }),
        (data) => ({ ...data, agent: 'someone-else' }),
        (data) => ({ ...data, status: 'OWNED' }),
        (data) => ({ ...data, ttl_minutes: -5, severity: '\u001b[31mBLOCKER' }),
      ];
      let i = 0;
      for (const folder of document.folders) for (const file of folder[6]) file[5] = forged[i++ % forged.length]!(file[5]) as Record<string, unknown>;
      expect(i).toBe(3);
      writeCacheDocument(readCachePath(root)!, document);
      expect(cachedRead(root)).toEqual(expected);
      // The forged records are gone and the files' true front matter cached again.
      const again = records(root);
      expect(again).toHaveLength(3);
      for (const record of again) expect((record.data as { sprint: string }).sprint).toMatch(/^(alpha|beta)$/);
      expect(cachedRead(root)).toEqual(expected);
    });
  });

  it('the same entries, problems and findings with and without the cache over random histories', { timeout: 600_000 }, async () => {
    const root = gitdir();
    const sprints = ['alpha', 'beta', 'gamma'];
    const agents = ['dev', 'qa'];
    const statuses: Status[] = ['IN_PROGRESS', 'COMPLETE', 'VERIFIED', 'FAILED', 'BLOCKED'];
    const step = fc.oneof(
      fc.record({ op: fc.constant('add' as const), sprint: fc.constantFrom(...sprints), agent: fc.constantFrom(...agents), status: fc.constantFrom(...statuses), seq: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ op: fc.constant('rewrite' as const), pick: fc.nat(), status: fc.constantFrom(...statuses), keepSize: fc.boolean() }),
      fc.record({ op: fc.constant('break' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('move' as const), pick: fc.nat(), sprint: fc.constantFrom(...sprints) }),
      fc.record({ op: fc.constant('unarchive' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('rename-folder' as const), from: fc.constantFrom(...sprints), to: fc.constantFrom(...sprints) }),
      fc.record({ op: fc.constant('damage-cache' as const), cut: fc.nat() }),
      // Folder-level changes: what decides whether a folder's cached listing still counts.
      fc.record({ op: fc.constant('remove-folder' as const), sprint: fc.constantFrom(...sprints) }),
      fc.record({ op: fc.constant('add-keep-folder-mtime' as const), sprint: fc.constantFrom(...sprints), agent: fc.constantFrom(...agents), status: fc.constantFrom(...statuses), seq: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ op: fc.constant('junk' as const), sprint: fc.constantFrom(...sprints), kind: fc.constantFrom('folder' as const, 'link' as const, 'fifo' as const, 'text' as const), seq: fc.integer({ min: 1, max: 40 }) }),
    );
    const now = new Date(T0 + 3_600_000);
    const findingsOf = (snapshot: ReturnType<typeof readStore>) =>
      runChecks({ entries: snapshot.entries, problems: snapshot.problems, sprints: deriveSprints(snapshot.entries, now), now, config: DEFAULT_CONFIG, currentCount: snapshot.currentCount, synced: null });
    const archived = (): string[] => {
      const out: string[] = [];
      for (const sprint of sprints) {
        const dir = join(root, '.agent/status/archive', sprint);
        if (!existsSync(dir)) continue;
        for (const name of execFileSync('ls', [dir], { encoding: 'utf8' }).split('\n').filter(Boolean)) if (/^\d+-.*Z-(?!junk)[^/]+\.md$/.test(name)) out.push(join(dir, name));
      }
      return out;
    };
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
        rmSync(join(root, '.agent'), { recursive: true, force: true });
        rmSync(join(root, '.git/cos'), { recursive: true, force: true });
        for (const s of steps) {
          tick();
          const files = archived();
          const pick = (n: number) => files[n % files.length]!;
          switch (s.op) {
            case 'add':
              put(root, fileOf(s.sprint, s.agent, s.seq), text(s.sprint, s.agent, s.status, s.seq));
              break;
            case 'rewrite': {
              if (files.length === 0) break;
              const path = pick(s.pick);
              const name = path.split('/').pop()!;
              const [, seq, agent] = /^(\d+)-.*Z-(.+)\.md$/.exec(name)!;
              const sprint = path.split('/').at(-2)!;
              const before = statSync(path, { bigint: true });
              let next = text(sprint, agent!, s.status, Number(seq));
              const size = Number(before.size);
              if (s.keepSize) next = next.length >= size ? next.slice(0, size) : next.padEnd(size, ' ');
              writeFileSync(path, next);
              if (s.keepSize) restoreMtime(path, before.mtimeNs);
              break;
            }
            case 'break':
              if (files.length > 0) writeFileSync(pick(s.pick), '---\nsprint: [\n---\n');
              break;
            case 'delete':
              if (files.length > 0) unlinkSync(pick(s.pick));
              break;
            case 'move': {
              if (files.length === 0) break;
              const from = pick(s.pick);
              mkdirSync(join(root, '.agent/status/archive', s.sprint), { recursive: true });
              renameSync(from, join(root, '.agent/status/archive', s.sprint, from.split('/').pop()!));
              break;
            }
            case 'unarchive': {
              if (files.length === 0) break;
              const from = pick(s.pick);
              mkdirSync(join(root, '.agent/status/current'), { recursive: true });
              renameSync(from, join(root, '.agent/status/current', from.split('/').pop()!));
              break;
            }
            case 'rename-folder': {
              const from = join(root, '.agent/status/archive', s.from);
              const to = join(root, '.agent/status/archive', s.to);
              if (s.from !== s.to && existsSync(from) && !existsSync(to)) renameSync(from, to);
              break;
            }
            case 'remove-folder':
              rmSync(join(root, '.agent/status/archive', s.sprint), { recursive: true, force: true });
              break;
            case 'add-keep-folder-mtime': {
              const folder = join(root, '.agent/status/archive', s.sprint);
              if (!existsSync(folder)) break;
              const before = statSync(folder, { bigint: true });
              put(root, fileOf(s.sprint, s.agent, s.seq), text(s.sprint, s.agent, s.status, s.seq));
              restoreMtime(folder, before.mtimeNs);
              break;
            }
            case 'junk': {
              const folder = join(root, '.agent/status/archive', s.sprint);
              mkdirSync(folder, { recursive: true });
              const name = entryFileName(s.seq, iso(T0 + s.seq * 60_000), 'junk');
              const path = s.kind === 'text' ? join(folder, `notes-${s.seq}.txt`) : join(folder, name);
              if (existsSync(path)) break;
              if (s.kind === 'folder') mkdirSync(path);
              else if (s.kind === 'link') symlinkSync('/dev/null', path);
              else if (s.kind === 'fifo') execFileSync('mkfifo', [path]);
              else writeFileSync(path, 'not an entry\n');
              break;
            }
            case 'damage-cache': {
              const path = readCachePath(root)!;
              if (existsSync(path)) writeFileSync(path, readFileSync(path, 'utf8').slice(0, s.cut % 4000));
              break;
            }
          }
          // After every step: what the step stored is what the next step's change must invalidate.
          const cached = cachedRead(root);
          const plain = plainRead(root);
          expect(cached).toEqual(plain);
          expect(findingsOf(cached)).toEqual(findingsOf(plain));
        }
        const plain = plainRead(root);
        expect(cachedRead(root)).toEqual(plain);
        // Twice: the second read is the one served from what the first stored.
        expect(cachedRead(root)).toEqual(plain);
      }),
      { numRuns: 40 },
    );
    // And the findings through the real command with the real racy window: once the files are
    // older than it, the first scan fills the cache and the second is served from it.
    put(root, fileOf('alpha', 'dev', 41), text('alpha', 'dev', 'COMPLETE', 41));
    rmSync(join(root, '.git/cos'), { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 500));
    const cold = await runCli(['scan', '--json', '--fail-on', 'never', '--dir', root]);
    expect(records(root).length).toBe(archived().filter((file) => !readFileSync(file, 'utf8').includes('sprint: [')).length);
    const warm = await runCli(['scan', '--json', '--fail-on', 'never', '--dir', root]);
    expect(warm.stdout).toBe(cold.stdout);
    expect(JSON.parse(warm.stdout).entries).toBe(plainRead(root).entries.length);
  });
});
