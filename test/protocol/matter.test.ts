/**
 * gray-matter, made safe (src/protocol/matter.ts): JavaScript (or any non-YAML) front matter never
 * runs, through the strict splitter of parseFrontmatter nor through gray-matter itself; YAML is
 * read by the hardened `yaml` engine (timestamps stay strings); no parse shares data with another.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFrontmatter } from '../../src/protocol/frontmatter.js';
import { readMatter } from '../../src/protocol/matter.js';
import { parseRole } from '../../src/protocol/role.js';
import { testdir } from '../helpers/tmp.js';

const g = globalThis as { __cosRan?: boolean };

/** Front matter that, if evaluated, sets a global and writes a file. */
function hostile(opener: string, marker: string): string {
  const code = `(function () { globalThis.__cosRan = true; require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); return { sprint: 'x' }; })()`;
  return `${opener}\n${code}\n---\nbody\n`;
}

const OPENERS = ['---js', '---javascript', '---JS', '--- js', '---Javascript', '---coffee', '---json'];

describe('front matter that could run code', () => {
  it.each(OPENERS)('%s never runs through parseFrontmatter (the strict splitter refuses it)', (opener) => {
    const marker = join(testdir(), 'ran');
    g.__cosRan = undefined;
    const result = parseFrontmatter(hostile(opener, marker));
    expect(result.ok).toBe(false);
    expect(g.__cosRan).toBeUndefined();
    expect(existsSync(marker)).toBe(false);
  });

  it.each(OPENERS)('%s never runs through gray-matter either (every non-YAML engine throws)', (opener) => {
    const marker = join(testdir(), 'ran');
    g.__cosRan = undefined;
    const yamlCalls: string[] = [];
    expect(() => readMatter(hostile(opener, marker), (source) => yamlCalls.push(source))).toThrow();
    expect(g.__cosRan).toBeUndefined();
    expect(existsSync(marker)).toBe(false);
    expect(yamlCalls).toEqual([]);
  });

  it('an unknown language is refused, not guessed', () => {
    expect(() => readMatter('---ruby\nputs 1\n---\n', () => ({}))).toThrow(/not registered/);
  });
});

describe('YAML the fast path declines goes through gray-matter with the hardened yaml engine', () => {
  const role = '---\nrole: developer\nmodel_tier: sonnet\nrequires:\n  files: [package.json]\n  skills: []\nstanding_orders:\n  - post at 2026-01-14T04:30:00Z\nreviewed: 2026-01-14T04:30:00Z\n---\nProse.\n';

  it('reads a role; a timestamp stays a string (js-yaml would make it a Date)', () => {
    const parsed = parseFrontmatter(role, { what: 'a role file' });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.data.reviewed).toBe('2026-01-14T04:30:00Z');
    expect(parsed.data.requires).toEqual({ files: ['package.json'], skills: [] });
    expect(parsed.body).toBe('Prose.\n');
    expect(parseRole(role, 'developer').ok).toBe(true);
  });

  it('hands out fresh data on every parse (no cache shared between calls)', () => {
    const first = parseFrontmatter(role);
    const second = parseFrontmatter(role);
    if (!first.ok || !second.ok) throw new Error('expected both to parse');
    (first.data.requires as { files: string[] }).files.push('poisoned');
    expect((second.data.requires as { files: string[] }).files).toEqual(['package.json']);
    const third = parseFrontmatter(role);
    expect(third.ok && (third.data.requires as { files: string[] }).files).toEqual(['package.json']);
  });

  it('aliases, duplicate keys and YAML 1.1 tags stay refused on this path', () => {
    expect(parseFrontmatter('---\na: &x [1]\nb: *x\n---\n')).toMatchObject({ ok: false });
    expect(parseFrontmatter('---\na: 1\na: 2\nlist: [1]\n---\n')).toMatchObject({ ok: false, reason: expect.stringMatching(/"a" appears twice/) });
    const tagged = parseFrontmatter('---\nwhen: !!timestamp 2026-01-14\nlist: [1]\n---\n');
    expect(tagged.ok && tagged.data.when instanceof Date).toBe(false);
  });
});
