/**
 * `cos status`, `cos post` and `cos scan` run from their own bundles (dist/cmd/<name>.cjs) through
 * V8's code cache (src/code-cache.ts). The built CLI, copied into a project's node_modules as npm
 * installs it: where the cache goes, that a good one is used, that a corrupt, truncated, empty or
 * foreign one changes nothing but is replaced, that no cache folder (or none allowed) is no cache,
 * and that an older build's files are removed.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCacheDir, intact } from '../src/code-cache.js';
import { testdir } from './helpers/tmp.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));

const projects: string[] = [];
afterAll(() => {
  for (const project of projects) rmSync(project, { recursive: true, force: true });
});

/** A project with agent-cos installed in node_modules (dist/ copied, its dependencies linked). */
function installed(): { cli: string; cache: string; project: string } {
  const project = mkdtempSync(join(tmpdir(), 'cos-code-cache-'));
  projects.push(project);
  const pkg = join(project, 'node_modules', 'agent-cos');
  mkdirSync(pkg, { recursive: true });
  cpSync(join(REPO, 'dist'), join(pkg, 'dist'), { recursive: true });
  cpSync(join(REPO, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(REPO, 'node_modules'), join(pkg, 'node_modules'), 'dir');
  return { cli: join(pkg, 'dist', 'cli.js'), cache: join(project, 'node_modules', '.cache', 'agent-cos'), project };
}

function run(cli: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', NODE_DISABLE_COMPILE_CACHE: '', ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The cache files of one command (`status-<build hash>-….v8`). */
function cacheFiles(cache: string, command: string): string[] {
  return existsSync(cache) ? readdirSync(cache).filter((name) => name.startsWith(`${command}-`)) : [];
}

describe('the code cache of the command bundles', () => {
  let setup: ReturnType<typeof installed>;
  let store: string;
  let expected: { code: number | null; stdout: string; stderr: string };

  beforeAll(() => {
    setup = installed();
    store = join(setup.project, 'repo');
    mkdirSync(store);
    expect(run(setup.cli, ['init', '--dir', store], { NODE_DISABLE_COMPILE_CACHE: '1' }).code).toBe(0);
    const posted = run(setup.cli, ['post', '--dir', store, '--sprint', 's-1', '--agent', 'dev', '--status', 'IN_PROGRESS', '-m', 'work'], { NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(posted).toMatchObject({ code: 0, stderr: '' });
    expected = run(setup.cli, ['status', '--json', '--dir', store], { NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(expected).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(expected.stdout).sprints.map((s: { sprint: string }) => s.sprint)).toEqual(['s-1']);
    // NODE_DISABLE_COMPILE_CACHE: nothing written.
    expect(existsSync(setup.cache)).toBe(false);
  }, 120_000);

  it('is written in the node_modules that holds the package, then used as it is', { timeout: 60_000 }, () => {
    expect(run(setup.cli, ['status', '--json', '--dir', store])).toEqual(expected);
    const [file] = cacheFiles(setup.cache, 'status');
    expect(file).toMatch(new RegExp(`^status-[0-9a-f]{16}-\\d+-\\d+-${process.version.replace(/\./g, '\\.')}-${process.arch}\\.v8$`));
    const before = statSync(join(setup.cache, file!));
    expect(run(setup.cli, ['status', '--json', '--dir', store])).toEqual(expected);
    const after = statSync(join(setup.cache, file!));
    // Accepted: not written again.
    expect({ ino: after.ino, mtime: after.mtimeMs }).toEqual({ ino: before.ino, mtime: before.mtimeMs });
    expect(cacheFiles(setup.cache, 'status')).toEqual([file]);
  });

  it('a corrupt, truncated, empty or foreign cache file changes nothing and is replaced', { timeout: 120_000 }, () => {
    run(setup.cli, ['status', '--json', '--dir', store]);
    run(setup.cli, ['scan', '--json', '--dir', store]);
    const [file] = cacheFiles(setup.cache, 'status');
    const [scanFile] = cacheFiles(setup.cache, 'scan');
    const path = join(setup.cache, file!);
    const good = readFileSync(path);
    const planted: [string, Buffer][] = [
      ['garbage', Buffer.from('not a V8 code cache at all\n'.repeat(100))],
      ['truncated', good.subarray(0, Math.floor(good.length / 2))],
      ['empty', Buffer.alloc(0)],
      ['the scan bundle’s cache', readFileSync(join(setup.cache, scanFile!))],
      // V8 itself accepts a header with a zeroed body and crashes: the second copy tells.
      ['a good header and a zeroed body', Buffer.concat([good.subarray(0, 64), Buffer.alloc(good.length - 64)])],
      ['a zeroed block inside', Buffer.concat([good.subarray(0, 4096), Buffer.alloc(4096), good.subarray(8192)])],
      ['one copy', good.subarray(0, good.length / 2)],
    ];
    for (const [what, bytes] of planted) {
      writeFileSync(path, bytes);
      expect({ what, result: run(setup.cli, ['status', '--json', '--dir', store]) }).toEqual({ what, result: expected });
      const replaced = readFileSync(path);
      expect({ what, replaced: replaced.equals(bytes) }).toEqual({ what, replaced: false });
    }
  });

  it('random bytes in the cache file never change what the command does', { timeout: 300_000 }, () => {
    run(setup.cli, ['status', '--json', '--dir', store]);
    const [file] = cacheFiles(setup.cache, 'status');
    const path = join(setup.cache, file!);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 4096 }), (bytes) => {
        writeFileSync(path, bytes);
        expect(run(setup.cli, ['status', '--json', '--dir', store])).toEqual(expected);
      }),
      { numRuns: 6 },
    );
  });

  it('is written by the first run that does the work, not by --help or bad usage', { timeout: 60_000 }, () => {
    const other = installed();
    const store = join(other.project, 'repo');
    mkdirSync(store);
    expect(run(other.cli, ['init', '--dir', store]).code).toBe(0);
    expect(run(other.cli, ['status', '--help']).code).toBe(0);
    expect(run(other.cli, ['status', '--bogus', '--dir', store]).code).toBe(1);
    expect(run(other.cli, ['post', '--dir', store, '--sprint', 'Bad Slug', '--agent', 'dev', '--status', 'IN_PROGRESS']).code).toBe(1);
    expect(cacheFiles(other.cache, 'status')).toEqual([]);
    expect(cacheFiles(other.cache, 'post')).toEqual([]);
    // cos scan exits 2 when it finds something: a real run all the same.
    const blocked = run(other.cli, ['post', '--dir', store, '--sprint', 's-9', '--agent', 'dev', '--status', 'BLOCKED', '--severity', 'URGENT'], { NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(blocked.code).toBe(0);
    expect(run(other.cli, ['scan', '--dir', store]).code).toBe(2);
    expect(cacheFiles(other.cache, 'scan')).toHaveLength(1);
    expect(run(other.cli, ['status', '--json', '--dir', store]).code).toBe(0);
    expect(cacheFiles(other.cache, 'status')).toHaveLength(1);
  });

  it('no folder for it is no cache: the command runs as before', { timeout: 60_000 }, () => {
    const other = installed();
    mkdirSync(join(other.project, 'node_modules', '.cache'), { recursive: true });
    // A file where the cache folder would be: it cannot be made.
    writeFileSync(other.cache, 'in the way');
    expect(run(other.cli, ['status', '--json', '--dir', store])).toEqual(expected);
    expect(readFileSync(other.cache, 'utf8')).toBe('in the way');
  });

  it('an older build’s cache files (and a killed run’s temporary file) go when a new one is written', { timeout: 60_000 }, () => {
    const other = installed();
    mkdirSync(other.cache, { recursive: true });
    const old = `status-0123456789abcdef-100-1-${process.version}-${process.arch}.v8`;
    const temporary = `status-0123456789abcdef-100-1-${process.version}-${process.arch}.v8.999.tmp`;
    const unrelated = 'something-else.json';
    for (const name of [old, temporary, unrelated]) writeFileSync(join(other.cache, name), 'x');
    expect(run(other.cli, ['status', '--json', '--dir', store])).toEqual(expected);
    const names = readdirSync(other.cache);
    expect(names).not.toContain(old);
    expect(names).not.toContain(temporary);
    expect(names).toContain(unrelated);
    expect(cacheFiles(other.cache, 'status')).toHaveLength(1);
  });
});

describe('compileCacheDir', () => {
  it('is node_modules/.cache/agent-cos in the node_modules holding the package, or the clone’s own', () => {
    const root = `${sep}p`;
    expect(compileCacheDir(join(root, 'node_modules', 'agent-cos', 'dist', 'cmd', 'status.cjs'), {})).toBe(join(root, 'node_modules', '.cache', 'agent-cos'));
    expect(compileCacheDir(join(root, 'node_modules', '.pnpm', 'agent-cos@1', 'node_modules', 'agent-cos', 'dist', 'cmd', 'post.cjs'), {})).toBe(
      join(root, 'node_modules', '.pnpm', 'agent-cos@1', 'node_modules', '.cache', 'agent-cos'),
    );
    expect(compileCacheDir(join(root, 'node_modules', 'agent-cos', 'dist', 'cmd', 'status.cjs'), { NODE_DISABLE_COMPILE_CACHE: '1' })).toBeNull();
    const clone = testdir({ 'dist/cmd/status.cjs': '' });
    expect(compileCacheDir(join(clone, 'dist', 'cmd', 'status.cjs'), {})).toBeNull();
    mkdirSync(join(clone, 'node_modules'));
    expect(compileCacheDir(join(clone, 'dist', 'cmd', 'status.cjs'), {})).toBe(join(clone, 'node_modules', '.cache', 'agent-cos'));
  });
});

describe('intact', () => {
  it('gives the data of a file holding it twice, and nothing for a file changed anywhere', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, at, flip) => {
        const data = Buffer.from(bytes);
        const file = Buffer.concat([data, data]);
        expect(intact(file)?.equals(data)).toBe(true);
        const damaged = Buffer.from(file);
        damaged[at % damaged.length]! ^= flip;
        expect(intact(damaged)).toBeUndefined();
        // A cut file is refused unless what is left is itself two equal halves (data of period 1
        // or 2, such as [7, 7] cut to [7] + [7]): then it holds that half, by the same rule.
        const cut = file.subarray(0, file.length - 1 - (at % file.length));
        const half = cut.length / 2;
        const doubled = cut.length > 0 && Number.isInteger(half) && cut.subarray(0, half).equals(cut.subarray(half));
        expect(intact(cut)?.equals(cut.subarray(0, half))).toBe(doubled ? true : undefined);
      }),
    );
    expect(intact(Buffer.alloc(0))).toBeUndefined();
  });
});
