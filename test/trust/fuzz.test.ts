/**
 * Must-show (issue 12): fuzzing with fast-check, in-process, against the confinement and parsing
 * modules — entry file names, front matter, sync-record state files and MCP `body_file`
 * arguments — asserting the two properties of the hostile-repository suite: nothing outside
 * the repository changes, and no secret's content comes in (or out, in what cos returns).
 * Every case runs on real files; a case either works or is a problem/one-sentence error.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseEntry } from '../../src/protocol/entry.js';
import { MAX_SEQ, parseEntryFileName } from '../../src/protocol/filename.js';
import { syncLocal } from '../../src/localsync/sync.js';
import { readStore } from '../../src/store/read.js';
import { readRepositoryBodyFile } from '../../src/trust/body-file.js';
import { filesContaining, hashTree } from './hostile-repo.js';
import { testdir } from '../helpers/tmp.js';

const SECRET = 'SECRET-FUZZ-0f1e2d3c';

/** A repository with links to an outside folder holding a secret, and that folder. */
function world() {
  const repo = testdir({ '.agent/roles/dev.md': '---\nmodel: sonnet\n---\nrole\n', 'notes/ok.md': 'ok body\n' });
  const outside = testdir({ 'secret.txt': `${SECRET}\n`, 'roles/x.md': `${SECRET}\n`, '.bashrc': `${SECRET}\n` });
  mkdirSync(join(repo, '.agent/status/current'), { recursive: true });
  symlinkSync(outside, join(repo, 'notes/out'));
  symlinkSync(join(outside, 'secret.txt'), join(repo, 'notes/secret-link.md'));
  return { repo, outside, before: hashTree(outside) };
}

const traversal = fc.constantFrom('..', '../..', '../../..', '.', '', '/', '//', '~', 'notes/out', 'notes/out/secret.txt', 'notes/secret-link.md', '/etc/hostname', '/dev/zero', '\u0000', 'a\\..\\b', '%2e%2e');
const pathish = fc.array(fc.oneof(traversal, fc.stringMatching(/^[a-z0-9._-]{1,8}$/)), { minLength: 1, maxLength: 5 }).map((parts) => parts.join('/'));

describe('fuzz: entry file names', () => {
  it('a parsed name always has a safe, bounded seq; parseEntry never throws', () => {
    const digits = fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 40n }).map(String), fc.constantFrom('9007199254740990', '9007199254740993', '999999999999', '1000000000000', '000'));
    const name = fc.tuple(digits, fc.constantFrom('2026-01-14T04-00-00Z', '2026-01-14T04-00-00.123Z', 'x'), fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,70}$/), fc.string()), fc.constantFrom('.md', '.txt', '')).map(([s, t, a, e]) => `${s}-${t}-${a}${e}`);
    fc.assert(
      fc.property(fc.oneof(name, fc.string()), (file) => {
        const parsed = parseEntryFileName(file);
        if (parsed) {
          expect(Number.isSafeInteger(parsed.seq)).toBe(true);
          expect(parsed.seq).toBeLessThanOrEqual(MAX_SEQ);
        }
        const result = parseEntry('---\ntimestamp: 2026-01-14T04:00:00Z\n---\n', { file, path: file, location: 'current' });
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 3000 },
    );
  });
});

describe('fuzz: front matter and entry files on disk', () => {
  it('readStore over fuzzed entries, links and names never throws, never reads through a link, never changes anything outside', () => {
    const { repo, outside, before } = world();
    const current = join(repo, '.agent/status/current');
    const key = fc.oneof(fc.constantFrom('timestamp', 'sprint', 'agent', 'status', 'severity', 'heartbeat', 'ttl_minutes', 'verifies', '__proto__', 'constructor', '<<'), fc.string({ maxLength: 8 }));
    const value = fc.oneof(fc.constantFrom('2026-01-14T04:00:00Z', '2999-01-01T00:00:00Z', 's', 'x', 'IN_PROGRESS', 'COMPLETE', 'INFO', 'URGENT', '30', '-1', '1e309', '*a', '&a [1]', '!!js/function x', '{', '[', "'", '"', '|', '---', '---js'), fc.string({ maxLength: 20 }));
    const front = fc.array(fc.tuple(key, value), { maxLength: 10 }).map((pairs) => pairs.map(([k, v]) => `${k}: ${v}`).join('\n'));
    const text = fc.oneof(
      front.map((f) => `---\n${f}\n---\nbody\n`),
      front.map((f) => `---js\n${f}\n---\n`),
      fc.string({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    );
    const file = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.nat(999), fc.constantFrom('x', 'dev', 'a.lock', 'Bad', '')).map(([kind, n, agent]) =>
      kind === 0 ? `${String(n).padStart(3, '0')}-2026-01-14T04-00-00Z-${agent}.md` : kind === 1 ? `${'9'.repeat(13 + (n % 10))}-2026-01-14T04-00-00Z-x.md` : kind === 2 ? `${n}.md` : `.${n}.md.tmp`,
    );
    const target = fc.constantFrom(join(outside, 'secret.txt'), '/dev/zero', outside, join(outside, 'missing'));
    fc.assert(
      fc.property(fc.array(fc.tuple(file, fc.oneof(text, target.map((t) => ({ link: t })))), { maxLength: 6 }), (files) => {
        rmSync(current, { recursive: true, force: true });
        mkdirSync(current, { recursive: true });
        for (const [name, content] of files) {
          const path = join(current, name);
          rmSync(path, { force: true });
          if (typeof content === 'string') writeFileSync(path, content);
          else symlinkSync(content.link, path);
        }
        const snapshot = readStore(repo);
        for (const entry of snapshot.entries) {
          expect(entry.seq).toBeLessThanOrEqual(MAX_SEQ);
          expect(JSON.stringify(entry)).not.toContain(SECRET);
        }
        expect(JSON.stringify(snapshot.problems)).not.toContain(SECRET);
        // Identity is the file name: never two entries of one name.
        expect(new Set(snapshot.entries.map((e) => e.file)).size).toBe(snapshot.entries.length);
      }),
      { numRuns: 300 },
    );
    expect(hashTree(outside)).toEqual(before);
  });
});

describe('fuzz: sync-record state files', () => {
  it('cos sync (push and pull) with a fuzzed .agent/state/sync.json changes nothing outside <local>/roles and <local>/skills and brings no secret in', async () => {
    const { repo, outside } = world();
    const home = testdir({ '.bashrc': 'stock bashrc\n', '.ssh/id_ed25519': `${SECRET}-ssh\n`, 'claude/roles/.keep': '' });
    const local = join(home, 'claude');
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const skip = (path: string) => path.startsWith(join(local, 'roles')) || path.startsWith(join(local, 'skills'));
    const homeBefore = hashTree(home, skip);
    const outsideBefore = hashTree(outside);
    const key = fc.oneof(
      fc.constantFrom('roles/../../.bashrc', 'roles/../../.ssh/id_ed25519', 'skills/../../../.bashrc', 'skills/s/../../../.bashrc', '/etc/passwd', 'roles/dev.md', 'skills/s/SKILL.md', 'roles/.hidden.md', 'roles/a/b.md'),
      pathish.map((p) => `roles/${p}`),
      pathish.map((p) => `skills/${p}`),
      pathish,
    );
    const hash = fc.constantFrom(sha('stock bashrc\n'), sha(`${SECRET}-ssh\n`), sha('placeholder\n'), 'x', '');
    const record = fc.dictionary(key, hash, { maxKeys: 6 }).map((files) => JSON.stringify({ version: 1, targets: { [local]: files } }));
    writeFileSync(join(repo, '.bashrc'), 'attacker\n');
    writeFileSync(join(repo, 'placeholder'), 'placeholder\n');
    await fc.assert(
      fc.asyncProperty(fc.oneof(record, fc.string({ maxLength: 100 })), fc.constantFrom('push', 'pull'), async (text, direction) => {
        mkdirSync(join(repo, '.agent/state'), { recursive: true });
        writeFileSync(join(repo, '.agent/state/sync.json'), text);
        try {
          await syncLocal(repo, { target: local, direction: direction as 'push' | 'pull' });
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 150 },
    );
    expect(hashTree(home, skip)).toEqual(homeBefore);
    expect(hashTree(outside)).toEqual(outsideBefore);
    expect(filesContaining(repo, [SECRET])).toEqual([]);
  }, 300_000);
});

describe('fuzz: MCP body_file arguments', () => {
  it('a body_file is read only inside the repository: anything else is one InputError sentence, never the secret', () => {
    const { repo, outside, before } = world();
    fc.assert(
      fc.property(fc.oneof(pathish, fc.string(), fc.constantFrom('notes/ok.md', './notes/ok.md', 'notes/out/secret.txt', 'notes/secret-link.md', join(outside, 'secret.txt')), fc.anything()), (value) => {
        try {
          const body = readRepositoryBodyFile(repo, value);
          expect(body).not.toContain(SECRET);
          expect(typeof value === 'string' && !value.startsWith('/') && !value.split('/').includes('..')).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          expect((error as Error).message.split('\n')).toHaveLength(1);
          expect((error as Error).message).not.toContain(SECRET);
        }
      }),
      { numRuns: 2000 },
    );
    expect(readRepositoryBodyFile(repo, 'notes/ok.md')).toBe('ok body\n');
    expect(hashTree(outside)).toEqual(before);
  });
});
