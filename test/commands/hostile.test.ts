/**
 * Must-show: hostile input. Bad names and values are refused before any file is written (exit 1,
 * one sentence on stderr); hostile files are reported or read correctly, never executed, never
 * crash `cos status`, and are never modified.
 */
import { existsSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStore } from '../../src/store/read.js';
import { cos, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';
import { tree } from '../helpers/tree.js';

async function initialised(): Promise<string> {
  const root = testdir();
  expect((await cos(['init', '--dir', root])).code).toBe(0);
  return root;
}

const ok = ['--sprint', 'good-sprint', '--agent', 'dev', '--status', 'IN_PROGRESS'];
function withFlag(flag: string, value: string): string[] {
  const args = [...ok];
  const at = args.indexOf(flag);
  if (at >= 0) args[at + 1] = value;
  else args.push(flag, value);
  return args;
}

describe('hostile command-line input: exit 1, one sentence, no file written', () => {
  const names: Array<[string, string, RegExp]> = [
    ['../x', 'path separator', /"\.\.\/x"/],
    ['a/b', 'path separator', /"a\/b"/],
    ['', 'empty', /""/],
    ['a'.repeat(65), '65 characters', /65 characters long/],
    ['a\nb', 'a newline', /"a\\nb".*control character/],
  ];
  for (const flag of ['--sprint', '--agent']) {
    it.each(names)(`${flag} %j (%s)`, async (value, _what, message) => {
      const root = await initialised();
      const before = tree(root);
      const result = await cos(['post', '--dir', root, ...withFlag(flag, value)]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(new RegExp(`^cos post: Invalid ${flag.slice(2)} `));
      expect(result.stderr).toMatch(message);
      expect(result.stderr.endsWith('.\n')).toBe(true);
      expect(result.stderr.split('\n')).toHaveLength(2);
      expect(tree(root)).toEqual(before);
    });
  }

  it.each([
    ['a bad status', withFlag('--status', 'DONE'), /Invalid status "DONE"/],
    ['a bad severity', [...ok, '--severity', 'LOUD'], /Invalid severity "LOUD"/],
    ['a zero ttl', [...ok, '--ttl', '0'], /Invalid --ttl "0"/],
    ['a fractional ttl', [...ok, '--ttl', '1.5'], /Invalid --ttl "1.5"/],
    ['a ttl over a year', [...ok, '--ttl', '600000'], /Invalid ttl "600000"/],
    ['a title with a newline', [...ok, '--title', 'two\nlines'], /Invalid title "two\\nlines"/],
    ['a role that is no slug', [...ok, '--role', 'QA Lead'], /Invalid role "QA Lead"/],
    ['a negative cost', [...ok, '--cost=-1'], /Invalid --cost "-1"/],
    ['a cost that is no number', [...ok, '--cost', 'lots'], /Invalid --cost "lots"/],
    ['--verifies of a missing entry', withFlag('--status', 'VERIFIED').concat('--verifies', '009-2026-01-14T04-30-00Z-dev.md'), /no entry of that name/],
    ['--verifies that is no file name', withFlag('--status', 'VERIFIED').concat('--verifies', '../../etc/passwd'), /Invalid verifies/],
    ['--verifies on a COMPLETE', withFlag('--status', 'COMPLETE').concat('--verifies', '001-2026-01-14T04-30-00Z-dev.md'), /--verifies goes with --status VERIFIED/],
    ['--resolves that is no file name', [...ok, '--resolves', 'x'], /Invalid resolves "x"/],
    ['--message and --body-file', [...ok, '--message', 'a', '--body-file', 'b'], /either --message or --body-file/],
    ['a missing --body-file', [...ok, '--body-file', 'nope.md'], /Cannot read --body-file "nope.md": no such file\.$/m],
    ['a --body-file that is a folder', [...ok, '--body-file', '.agent'], /Cannot read --body-file ".agent": it is a directory\.$/m],
    ['an agent that is no slug', withFlag('--agent', 'Dev One'), /Invalid agent "Dev One": .*; for example "developer"\./],
    ['a missing --status', ['--sprint', 's', '--agent', 'a'], /--status is required/],
    ['an unknown flag', [...ok, '--colour', 'red'], /Unknown option '--colour'/],
    ['a stray argument', [...ok, 'extra'], /nexpected argument "extra"/],
    ['a flag value that starts with a dash', [...ok, '--ttl', '-5'], /value of --ttl starts with "-"; write it as --ttl=<value>/],
    ['a negative ttl written with =', [...ok, '--ttl=-5'], /Invalid --ttl "-5"/],
    ['a --dir that does not exist', [...ok, '--dir', 'no/such/dir'], /--dir "no\/such\/dir" is not a directory/],
  ])('refuses %s', async (_what, args, message) => {
    const root = await initialised();
    const before = tree(root);
    const result = await cos(['post', '--dir', root, ...args], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(tree(root)).toEqual(before);
  });

  it('refuses the same through the built CLI as a real process', async () => {
    const root = await initialised();
    const before = tree(root);
    for (const [flag, value] of [['--sprint', '../x'], ['--agent', 'a\nb'], ['--sprint', ''], ['--agent', 'x'.repeat(65)], ['--sprint', 'a/b']] as const) {
      const result = await runCli(['post', '--dir', root, ...withFlag(flag, value)]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^cos post: Invalid (sprint|agent) /);
    }
    expect(tree(root)).toEqual(before);
  });
});

const VALID_FRONT = ['timestamp: 2026-01-14T04:30:00Z', 'sprint: s', 'agent: dev', 'status: IN_PROGRESS', 'severity: INFO', 'heartbeat: 2026-01-14T04:30:00Z', 'ttl_minutes: 30'];
const name = (seq: number) => `${String(seq).padStart(3, '0')}-2026-01-14T04-30-00Z-dev.md`;

function billionLaughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) {
    const here = String.fromCharCode(97 + i);
    lines.push(`${here}: &${here} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
  }
  return `---\n${VALID_FRONT.join('\n')}\n${lines.join('\n')}\n---\nlol\n`;
}

/** Deterministic garbage bytes. */
function garbage(size: number, seed = 7): Buffer {
  const bytes = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = x >> 16;
  }
  return bytes;
}

describe('hostile files: reported or read correctly, never executed, never crash cos status, never modified', () => {
  it('a whole folder of them', async () => {
    const root = await initialised();
    const current = join(root, '.agent', 'status', 'current');
    const marker = join(tmpdir(), `cos-pwned-${process.pid}-${Date.now()}`);
    const code = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'pwned')`;
    const valid = `${VALID_FRONT.join('\n')}\n`;
    const files: Array<[string, string | Buffer, 'problem' | 'entry', RegExp?]> = [
      [name(1), `---js\n${code}\n---\nbody\n`, 'problem', /declared as "js"/],
      [name(2), `---javascript\n${code}\n---\nbody\n`, 'problem', /declared as "javascript"/],
      [name(3), `---json\n{"timestamp": "2026-01-14T04:30:00Z", "x": ${JSON.stringify(code)}}\n---\n`, 'problem', /declared as "json"/],
      [name(4), `--- js\n${code}\n---\nbody\n`, 'problem', /declared as "js"/],
      [name(5), `---coffee\nrequire('fs').writeFileSync ${JSON.stringify(marker)}, 'pwned'\n---\n`, 'problem', /declared as "coffee"/],
      [name(6), billionLaughs(), 'problem', /alias/i],
      [name(7), `---\n${valid}---\n${'ten megabytes of body\n'.repeat(476_191)}`, 'entry'],
      [name(8), garbage(64 * 1024), 'problem', /no YAML front matter/],
      [name(9), `---\n${valid}---\nbody\n`.slice(0, 60), 'problem', /not closed/],
      [name(10), `---\r\n${VALID_FRONT.join('\r\n')}\r\n---\r\nCRLF body\r\n`, 'entry'],
      [name(11), `\ufeff---\n${valid}---\nBOM body\n`, 'entry'],
      [name(12), '---\njust a sentence\n---\n', 'problem', /a string, not a mapping/],
      [name(13), '---\n- a\n- b\n---\n', 'problem', /a list, not a mapping/],
      [name(14), `---\n${valid}sprint: t\n---\n`, 'problem', /unique/i],
      [name(15), `---\n${valid}`, 'problem', /not closed/],
      [name(16), '', 'problem', /no YAML front matter/],
      [name(17), `---\n${valid}x: "${'y'.repeat(100_000)}"\n---\n`, 'problem', /at most 65536/],
      [name(18), `---\n${valid}when: !!timestamp 2026-01-14\n---\n`, 'problem', /tag/],
      [name(19), Buffer.concat([Buffer.from(`---\n${valid}---\n`), garbage(1000, 3)]), 'entry'],
      ['notes.md', '# not an entry\n', 'problem', /its name is not/],
    ];
    for (const [file, content] of files) writeFileSync(join(current, file), content);
    symlinkSync('/dev/zero', join(current, name(20)));
    mkdirSync(join(root, '.agent', 'status', 'archive', 's'), { recursive: true });
    writeFileSync(join(root, '.agent', 'status', 'archive', 's', name(21)), `---json\n{}\n---\n`);
    const before = tree(root);

    const snapshot = readStore(root);
    const problems = new Map(snapshot.problems.map((problem) => [problem.file.split('/').pop()!, problem.reason]));
    const entries = new Map(snapshot.entries.map((entry) => [entry.file, entry]));
    for (const [file, , kind, reason] of files) {
      if (kind === 'entry') {
        expect(problems.get(file)).toBeUndefined();
        expect(entries.get(file)).toMatchObject({ sprint: 's', agent: 'dev', status: 'IN_PROGRESS', ttl_minutes: 30 });
      } else {
        expect(entries.has(file)).toBe(false);
        expect(problems.get(file)).toMatch(reason!);
      }
    }
    expect(problems.get(name(20))).toMatch(/symbolic link/);
    expect(problems.get(name(21))).toMatch(/declared as "json"/);
    expect(entries.get(name(7))!.body.length).toBe(22 * 476_191);
    expect(entries.get(name(10))!.body).toBe('CRLF body\r\n');
    expect(entries.get(name(11))!.body).toBe('BOM body\n');

    const human = await cos(['status', '--dir', root]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^s\s+STALE\s+dev:IN_PROGRESS\(stale\)/m);
    const json = await runCli(['status', '--dir', root, '--json', '--all']);
    expect(json.code).toBe(0);
    const document = JSON.parse(json.stdout);
    expect(document.version).toBe(1);
    expect(document.problems).toBe(snapshot.problems.length);
    expect(document.entries).toBe(4);
    expect(document.sprints.map((sprint: { sprint: string }) => sprint.sprint)).toEqual(['s']);

    // A post next to them works, numbers past them, and touches none of them.
    const posted = await cos(['post', '--dir', root, '--sprint', 's', '--agent', 'qa', '--status', 'BLOCKED', '--json']);
    expect(posted.code).toBe(0);
    expect(JSON.parse(posted.stdout).entry.seq).toBe(22);
    const after = tree(root);
    // New: the entry, and the hidden, git-ignored claim of its number.
    const added = Object.keys(after).filter((path) => !(path in before) && !path.includes('/.claims'));
    expect(added.map((path) => path.split('/').pop())).toEqual([expect.stringMatching(/^022-.*-qa\.md$/)]);
    for (const [path, stamp] of Object.entries(before)) {
      if (stamp.startsWith('dir')) continue;
      expect(after[path]).toBe(stamp);
    }
    expect(existsSync(marker)).toBe(false);
    expect(statSync(join(current, name(7))).size).toBeGreaterThan(10_000_000);
  });
});
