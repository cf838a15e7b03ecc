/**
 * The confinement and bounded-read modules, on real files: links in every position, missing
 * paths, dangling links, loops, FIFOs, devices, huge files; plus fast-check properties over
 * arbitrary relative keys (the shapes a state file, a plan or an MCP client can send).
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { confine, confined, isPlainRelative, joinInside, realRoots, resolveReal } from '../../src/trust/confine.js';
import { readBounded, readConfinedText } from '../../src/trust/read.js';
import { gitCommonDir, repositoryRoots } from '../../src/trust/roots.js';
import { testdir } from '../helpers/tmp.js';

function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

describe('confine', () => {
  it('accepts paths inside, through links that stay inside, and paths that do not exist yet', () => {
    const root = testdir({ 'a/b.txt': 'x' });
    symlinkSync(join(root, 'a'), join(root, 'link-in'));
    const roots = realRoots([root]);
    expect(confined(join(root, 'a/b.txt'), roots)).not.toBeNull();
    expect(confined(join(root, 'link-in/b.txt'), roots)).toBe(resolveReal(join(root, 'a/b.txt')));
    expect(confined(join(root, 'new/deeper/file'), roots)).not.toBeNull();
    expect(confined(root, roots)).not.toBeNull();
  });

  it('refuses a link out, a link out in a parent folder, a dangling link out, .. escapes, and link loops', () => {
    const root = testdir({ 'a/b.txt': 'x' });
    const outside = testdir({ 'secret.txt': 's' });
    symlinkSync(outside, join(root, 'out'));
    symlinkSync(join(outside, 'not-yet'), join(root, 'dangling'));
    symlinkSync(join(root, 'loop2'), join(root, 'loop1'));
    symlinkSync(join(root, 'loop1'), join(root, 'loop2'));
    const roots = realRoots([root]);
    expect(confined(join(root, 'out'), roots)).toBeNull();
    expect(confined(join(root, 'out/secret.txt'), roots)).toBeNull();
    expect(confined(join(root, 'out/new/file'), roots)).toBeNull();
    expect(confined(join(root, 'dangling'), roots)).toBeNull();
    expect(confined(join(root, 'dangling/x'), roots)).toBeNull();
    expect(confined(join(root, '../x'), roots)).toBeNull();
    expect(confined(join(root, 'loop1'), roots)).toBeNull();
    expect(() => confine(join(root, 'out/secret.txt'), roots, 'out/secret.txt')).toThrow(/^out\/secret\.txt leads outside the repository \(to .*secret\.txt\); cos reads and writes only inside/);
  });

  it('a sibling folder whose name starts like the root is outside', () => {
    const root = testdir();
    mkdirSync(`${root}-evil`, { recursive: true });
    expect(confined(`${root}-evil/x`, realRoots([root]))).toBeNull();
  });

  it('the git common directory is a root of a worktree; found without git', () => {
    const main = testdir();
    execFileSync('git', ['init', '-q', '-b', 'main', main]);
    expect(gitCommonDir(main)).toBe(join(main, '.git'));
    const wt = testdir();
    writeFileSync(join(wt, '.git'), `gitdir: ${join(main, '.git', 'worktrees', 'w')}\n`);
    mkdirSync(join(main, '.git', 'worktrees', 'w'), { recursive: true });
    writeFileSync(join(main, '.git', 'worktrees', 'w', 'commondir'), '../..\n');
    expect(gitCommonDir(wt)).toBe(join(main, '.git'));
    expect(repositoryRoots(wt)).toContain(resolveReal(join(main, '.git')));
    expect(gitCommonDir(testdir())).toBeNull();
  });
});

describe('readBounded', () => {
  it('reads a regular file; refuses a final link, a FIFO (without blocking), a device, a folder and a file past the bound', () => {
    const root = testdir({ 'ok.txt': 'hello', 'big.txt': 'x'.repeat(2000) });
    symlinkSync(join(root, 'ok.txt'), join(root, 'link.txt'));
    symlinkSync('/dev/zero', join(root, 'zero'));
    mkfifo(join(root, 'fifo'));
    const ok = readBounded(join(root, 'ok.txt'), 100);
    expect(ok.ok && ok.bytes.toString()).toBe('hello');
    expect(readBounded(join(root, 'link.txt'))).toMatchObject({ ok: false, kind: 'link' });
    expect(readBounded(join(root, 'zero'))).toMatchObject({ ok: false, kind: 'link' });
    expect(readBounded(join(root, 'fifo'))).toMatchObject({ ok: false, kind: 'not-regular', reason: 'it is a named pipe, not a regular file' });
    expect(readBounded('/dev/zero')).toMatchObject({ ok: false, kind: 'not-regular', reason: 'it is a device, not a regular file' });
    expect(readBounded(root)).toMatchObject({ ok: false, kind: 'not-regular' });
    expect(readBounded(join(root, 'big.txt'), 1000)).toMatchObject({ ok: false, kind: 'too-large', reason: 'it is 2000 bytes long (at most 1000)' });
    expect(readBounded(join(root, 'missing'))).toMatchObject({ ok: false, kind: 'missing' });
  });

  it('readConfinedText: null when missing, one sentence naming the file otherwise', () => {
    const root = testdir({ 'a/ok.txt': 'fine' });
    const outside = testdir({ 'secret.txt': 'SECRET' });
    symlinkSync(outside, join(root, 'out'));
    symlinkSync('/dev/zero', join(root, 'a/zero'));
    const roots = realRoots([root]);
    expect(readConfinedText(join(root, 'a/ok.txt'), roots, 'a/ok.txt')).toBe('fine');
    expect(readConfinedText(join(root, 'a/none'), roots, 'a/none')).toBeNull();
    expect(() => readConfinedText(join(root, 'a/zero'), roots, 'a/zero')).toThrow('Cannot read a/zero: it is a symbolic link; cos reads only regular files here.');
    expect(() => readConfinedText(join(root, 'out/secret.txt'), roots, 'out/secret.txt')).toThrow(/^out\/secret\.txt leads outside the repository/);
  });
});

/** Segments an attacker would try, mixed with ordinary names. */
const segment = fc.oneof(
  fc.constantFrom('..', '.', '', 'roles', 'skills', 'x.md', '.bashrc', '~', '%2e%2e', '..\\..', 'a\u0000b', '/', '\\'),
  fc.string({ maxLength: 6 }),
);
const key = fc.array(segment, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('/'));
const prefix = fc.constantFrom('', '/', './', '../', '/etc/', 'C:\\');

/** A root whose inside/ holds a file and a link `out` to a folder with a secret. */
function keyFixture() {
  const root = testdir({ 'inside/file.md': 'x' });
  const outside = testdir({ 'secret.txt': 'SECRET' });
  symlinkSync(outside, join(root, 'inside', 'out'));
  return { root, outside, roots: realRoots([root]) };
}

describe('properties over arbitrary keys', () => {
  it('a key accepted by isPlainRelative has no empty, . or .. segment, and joinInside never yields a path outside the roots', () => {
    const { root, roots } = keyFixture();
    fc.assert(
      fc.property(prefix, key, (p, k) => {
        const value = p + k;
        const joined = joinInside(join(root, 'inside'), value, roots);
        if (isPlainRelative(value)) {
          expect(value.split('/').every((s) => s !== '' && s !== '.' && s !== '..')).toBe(true);
          expect(value.startsWith('/')).toBe(false);
        } else expect(joined).toBeNull();
        if (joined !== null) expect(confined(joined, roots)).not.toBeNull();
        // Through the link out: never accepted.
        if (joined !== null && (value === 'out' || value.startsWith('out/'))) throw new Error(`accepted ${value}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('whatever the key, a read through joinInside never returns the secret', () => {
    const { root, outside, roots } = keyFixture();
    expect(readBounded(join(outside, 'secret.txt')).ok).toBe(true);
    fc.assert(
      fc.property(fc.oneof(key, fc.constantFrom('out/secret.txt', 'out/../out/secret.txt', '../../' + outside + '/secret.txt')), (k) => {
        const joined = joinInside(join(root, 'inside'), k, roots);
        if (joined === null) return;
        const read = readBounded(joined, 1024);
        if (read.ok) expect(read.bytes.toString()).not.toContain('SECRET');
      }),
      { numRuns: 1000 },
    );
  });
});
