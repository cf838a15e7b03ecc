/** One glob translator, two dialects: bash's segment glob and git's pathspec wildmatch. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type GlobDialect, globSource } from '../../src/guard/glob.js';
import { segmentRegExp } from '../../src/guard/paths.js';

const GIT: GlobDialect = { star: '.*', question: '.', char: (c) => c };
const matches = (pattern: string, dialect: GlobDialect, name: string) => new RegExp(`^${globSource(pattern, dialect)}$`).test(name);

const GIT_ESCAPING: GlobDialect = { ...GIT, escape: true, globstar: '(?:.*/)?' };

describe('globSource', () => {
  it("git's wildmatch: a backslash makes the next character itself, also in a bracket expression; **/ is any number of folders", () => {
    for (const [pattern, name, want] of [
      ['.agent/\\config', '.agent/config', true],
      ['\\*x', '*x', true],
      ['\\*x', 'ax', false],
      ['[\\]]x', ']x', true],
      ['**/c.yaml', 'c.yaml', true],
      ['**/c.yaml', '.agent/config/c.yaml', true],
      ['a/**/b', 'a/b', true],
    ] as const) {
      expect(matches(pattern, GIT_ESCAPING, name), `${pattern} ${name}`).toBe(want);
    }
  });

  it('a pattern without *, ? or [ matches exactly itself, whatever regular-expression characters it holds', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '.', '+', '^', '$', '{', '}', '(', ')', '|', '\\', ']', '/', 'b') });
    fc.assert(
      fc.property(text, text, (pattern, other) => {
        expect(matches(pattern, GIT, pattern)).toBe(true);
        expect(matches(pattern, GIT, other)).toBe(other === pattern);
      }),
    );
  });

  it('bracket expressions read alike in both dialects; * and ? differ at / and at a leading dot', () => {
    for (const [pattern, name, bash, git] of [
      ['[a-c]x', 'bx', true, true],
      ['[!a-c]x', 'bx', false, false],
      ['[^a-c]x', 'dx', true, true],
      ['[x', '[x', true, true],
      ['a*', 'a/b', false, true],
      ['a?b', 'a/b', false, true],
      ['*', '.env', false, true],
      ['.*', '.env', true, true],
      ['[[:lower:]]x', 'cx', true, true], // POSIX classes
      ['[[:digit:]]x', 'cx', false, false],
      ['[]a]x', ']x', true, true], // a ] first is a member
      ['[!]]x', 'ax', true, true],
      ['[a-]x', '-x', true, true],
    ] as const) {
      expect(segmentRegExp(pattern).test(name), `bash ${pattern} ${name}`).toBe(bash);
      expect(matches(pattern, GIT, name), `git ${pattern} ${name}`).toBe(git);
    }
  });
});
