/**
 * The front matter reader: the fast path must mean exactly what YAML 1.2 core means, and every
 * hostile shape is a reason, never an exception, never executed.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse as yamlParse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { fastParse, fastParseBlock, parseFrontmatter, parseYaml, stringifyFrontmatter } from '../../src/protocol/frontmatter.js';
import { COORDINATION_YAML } from '../../src/templates/config.js';

const KEYS = ['sprint', 'agent', 'ttl_minutes', 'x', '_k', 'A1', 'true', 'True', 'null', 'NULL', 'false', '__proto__', 'constructor', 'y', 'on', 'e1', 'a-b', 'a.b', '1', '~'];
const WORDS = [
  '', 'null', 'Null', '~', 'true', 'false', 'TRUE', 'yes', 'no', 'on', 'off', '0', '-0', '007', '1.5', '1.50', '-2.25', '1e3', '.5', '.inf', '.nan', '0x1F', '0o7',
  '123456789012345', '1234567890123456', '2026-01-14T04:30:00Z', '2026-01-14T04:30:00.123+02:00', '2026-01-14', '001-2026-01-14T03-45-00Z-dev.md',
  'developer', 'a b', 'a  b', 'a: b', 'a #b', 'a#b', '#x', '-x', '- x', 'x -y', '~/.claude', '/abs/path', '~x', '@x', '`x`', '!tag x', '&a x', '*a', '|', '>',
  '%x', '?x', '? x', '[a]', '{a: 1}', "'single'", "'it''s'", 'x ', ' x', 'a,b', 'é', 'naïve', 'a\tb', 'Ünïcödé', '💥',
];
const value = fc.oneof(
  fc.constantFrom(...WORDS),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
  fc.string({ unit: 'binary', maxLength: 8 }).map((s) => JSON.stringify(s)),
  fc.integer().map(String),
  fc.double({ noNaN: true }).map(String),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ._/+:#-]{0,10}$/),
);
const key = fc.oneof({ weight: 3, arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/) }, { weight: 1, arbitrary: fc.constantFrom(...KEYS) });
const separator = fc.oneof({ weight: 12, arbitrary: fc.constant(': ') }, { weight: 1, arbitrary: fc.constantFrom(':', ':  ', ' : ', ':\t') });
const line = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(key, separator, value).map(([k, sep, v]) => `${k}${sep}${v}`) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(key, fc.constantFrom(':', ': '), fc.array(fc.tuple(fc.constantFrom('  - ', '  - ', '  - ', ' - ', '- ', '    - ', '  -  ', '  -'), value), { minLength: 1, maxLength: 3 }))
      .map(([k, sep, items]) => `${k}${sep}\n${items.map(([dash, v]) => `${dash}${v}`).join('\n')}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('# comment', '  indented: 1', '- item', '', 'key', 'a: b: c', '"quoted key": 1', '---x') },
);

describe('the fast path agrees with yaml (YAML 1.2 core) on everything it accepts', () => {
  it('property: fastParse(front) is null or deep-equal to yaml.parse(front, core)', () => {
    let accepted = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 4 }), (lines) => {
        runs++;
        const front = `${lines.join('\n')}\n`;
        const fast = fastParse(front);
        if (fast === null) return;
        accepted++;
        const slow = yamlParse(front, { schema: 'core' }) as Record<string, unknown>;
        expect(fast).toEqual(slow);
        expect(Object.getOwnPropertyNames(fast)).toEqual(Object.getOwnPropertyNames(slow));
        expect(Object.getPrototypeOf(fast)).toBe(Object.prototype);
        // The same block with CRLF line ends means the same to yaml, and to parseFrontmatter.
        const crlf = front.replace(/\n/g, '\r\n');
        expect(yamlParse(crlf, { schema: 'core' })).toEqual(slow);
        const whole = parseFrontmatter(`---\r\n${crlf}---\r\nbody\r\n`);
        expect(whole).toEqual({ ok: true, data: slow, body: 'body\r\n' });
      }),
      { numRuns: 4000 },
    );
    // Not vacuous: a good share of the generated blocks take the fast path.
    expect(accepted).toBeGreaterThan(runs / 20);
  });

  it('takes the fast path for what cos writes, and falls back for what it does not know', () => {
    expect(fastParse('sprint: s\nttl_minutes: 30\ntitle: "a: b"\n')).toEqual({ sprint: 's', ttl_minutes: 30, title: 'a: b' });
    for (const front of ['True: x\n', 'null: x\n', '__proto__: x\n', 'a: 007\n', 'a: x # comment\n', 'a:  b\n', 'a: b\r\n', '']) {
      expect(fastParse(front)).toBeNull();
    }
  });
});

function entryText(front: string, body = 'body\n'): string {
  return `---\n${front}---\n${body}`;
}

describe('hostile front matter is a reason, never an exception, never executed', () => {
  it.each(['js', 'javascript', 'json', ' js', 'coffee', 'JS', 'yaml js', 'toml'])('refuses ---%s and never runs its code', (language) => {
    const marker = join(tmpdir(), `cos-pwned-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const code = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'pwned'); module.exports = { timestamp: '2026-01-14T04:30:00Z' }`;
    const result = parseFrontmatter(`---${language}\n${code}\n---\nbody\n`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/only YAML front matter is allowed/);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a billion-laughs document (and any alias at all) quickly', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const result = parseFrontmatter(entryText(`${levels.join('\n')}\n`));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/alias/i);
    const self = parseFrontmatter(entryText('a: &a [*a]\n'));
    expect(self.ok).toBe(false);
  });

  it.each([
    ['a scalar', 'just a sentence\n', /a string, not a mapping/],
    ['a number', '42\n', /a number, not a mapping/],
    ['a list', '- a\n- b\n', /a list, not a mapping/],
    ['empty', '', /empty, not a mapping/],
    ['only a comment', '# nothing\n', /empty, not a mapping/],
    ['duplicate keys', 'sprint: a\nsprint: b\n', /unique: "sprint" appears twice/i],
    ['duplicate quoted keys', 'x:\n  y: 1\n  "y": 2\n', /unique: "y" appears twice/i],
    ['a YAML 1.1 timestamp tag', 'timestamp: !!timestamp 2026-01-14\n', /tag/i],
    ['a binary tag', 'x: !!binary aGVsbG8=\n', /tag/i],
    ['a js tag', 'x: !!js/function "function(){}"\n', /tag/i],
    ['a local tag', 'x: !thing y\n', /tag/i],
    ['broken YAML', 'a: [1, 2\n', /not valid YAML/],
  ])('refuses %s', (_what, front, reason) => {
    const result = parseFrontmatter(entryText(front));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it.each([
    ['no front matter', 'hello\n', /no YAML front matter/],
    ['an unclosed block', '---\nsprint: s\nagent: a\n', /not closed/],
    ['a block closed by ---x', '---\nsprint: s\n---x\nbody\n', /closed by "---x"/],
    ['a truncated file', '---\nsprint: s\nage', /not closed/],
    ['binary garbage', '\u0000\u0001\u00ff\ufffd---', /no YAML front matter/],
    ['front matter over 64 KiB', `---\nx: "${'a'.repeat(70_000)}"\n---\n`, /at most 65536/],
  ])('refuses %s', (_what, text, reason) => {
    const result = parseFrontmatter(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('reads CRLF, a BOM and both, keeping the body verbatim', () => {
    const lf = parseFrontmatter('---\nsprint: s\nn: 3\n---\nline 1\nline 2\n');
    const crlf = parseFrontmatter('---\r\nsprint: s\r\nn: 3\r\n---\r\nline 1\r\nline 2\r\n');
    const bom = parseFrontmatter('\ufeff---\nsprint: s\nn: 3\n---\nline 1\nline 2\n');
    const both = parseFrontmatter('\ufeff---\r\nsprint: s\r\nn: 3\r\n---\r\nline 1\r\nline 2\r\n');
    for (const result of [lf, crlf, bom, both]) {
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.data).toEqual({ sprint: 's', n: 3 });
    }
    if (crlf.ok) expect(crlf.body).toBe('line 1\r\nline 2\r\n');
    if (bom.ok) expect(bom.body).toBe('line 1\nline 2\n');
  });

  it('keeps timestamps as strings and __proto__ as a plain key', () => {
    const result = parseFrontmatter(entryText('timestamp: 2026-01-14T04:30:00Z\nwhen: 2026-01-14\n"__proto__": {polluted: true}\n'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.timestamp).toBe('2026-01-14T04:30:00Z');
    expect(result.data.when).toBe('2026-01-14');
    expect(Object.getOwnPropertyNames(result.data)).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('writes awkward keys so that they read back as themselves', () => {
    const pairs: Array<[string, unknown]> = [['true', 1], ['null', 2], ['a b', 3], ['x: y', 4], ['#c', 5], ['', 6], ['__proto__', 7], ['-', 8]];
    const text = stringifyFrontmatter(pairs, '');
    const result = parseFrontmatter(text);
    expect(result.ok).toBe(true);
    if (result.ok) {
      for (const [key, value] of pairs) expect(Object.getOwnPropertyDescriptor(result.data, key)?.value).toBe(value);
    }
  });
});

const blockLine = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(key, separator, value).map(([k, sep, v]) => `${k}${sep}${v}`) },
  { weight: 3, arbitrary: key.map((k) => `${k}:`) },
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('  ', '  ', '   ', ' ', '    '), key, separator, value).map(([i, k, sep, v]) => `${i}${k}${sep}${v}`) },
  { weight: 2, arbitrary: fc.constantFrom('# comment', '  # indented comment', '', '   ', '- item', '  - item', '---', '...', 'a: b # trailing', '\tb: 1') },
);

describe('the config fast path agrees with yaml too', () => {
  it('property: fastParseBlock(source) is null or deep-equal to yaml.parse(source, core)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(blockLine, { minLength: 1, maxLength: 8 }), (lines) => {
        const source = `${lines.join('\n')}\n`;
        const fast = fastParseBlock(source);
        if (fast === null) return;
        accepted++;
        const slow = yamlParse(source, { schema: 'core' }) as Record<string, unknown>;
        expect(fast).toEqual(slow);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
      }),
      { numRuns: 4000 },
    );
    expect(accepted).toBeGreaterThan(100);
  });

  it('reads the coordination.yaml that cos init writes without loading yaml', () => {
    expect(fastParseBlock(COORDINATION_YAML)).toEqual(yamlParse(COORDINATION_YAML));
  });
});

describe('parseYaml (config files)', () => {
  it('allows a few aliases but not a bomb, and refuses several documents', () => {
    expect(parseYaml('a: &x 1\nb: *x\n')).toEqual({ ok: true, value: { a: 1, b: 1 } });
    const bomb = ['a: &a [1,1,1,1,1,1,1,1,1,1]'];
    for (let i = 1; i < 8; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    expect(parseYaml(bomb.join('\n')).ok).toBe(false);
    expect(parseYaml('a: 1\n---\nb: 2\n').ok).toBe(false);
    expect(parseYaml('')).toEqual({ ok: true, value: null });
  });
});
