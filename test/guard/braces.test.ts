/**
 * Brace expansion (guard/braces.ts) against the real thing: random words expanded by bash itself
 * (one bash process for the whole batch) and by the guard must give the same words, in order.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandBraces } from '../../src/guard/braces.js';
import { TooComplex } from '../../src/guard/too-complex.js';

/** What bash makes of each word: its words, in order. */
function bashExpands(words: string[]): string[][] {
  const script = words.map((word) => `for w in ${word}; do printf '[%s]' "$w"; done; echo`).join('\n');
  const out = execFileSync('bash', ['--norc', '--noprofile', '-f', '-c', script], { encoding: 'utf8' });
  return out.split('\n').slice(0, words.length).map((line) => [...line.matchAll(/\[([^\]]*)\]/g)].map((match) => match[1]!));
}

describe('brace expansion', () => {
  it('examples: alternatives, nesting, empty alternatives, sequences, a parameter, unmatched braces', () => {
    expect(expandBraces('{~,x}')).toEqual(['~', 'x']);
    expect(expandBraces('-r{f,}')).toEqual(['-rf', '-r']);
    expect(expandBraces('x{a,{b,c}}y')).toEqual(['xay', 'xby', 'xcy']);
    expect(expandBraces('{01..10..3}')).toEqual(['01', '04', '07', '10']);
    expect(expandBraces('{c..a}')).toEqual(['c', 'b', 'a']);
    const parameter = `\${X}`; // a variable the guard does not know, as the tokenizer writes it
    expect(expandBraces(`${parameter}{a,b}`)).toEqual([`${parameter}a`, `${parameter}b`]);
    expect(expandBraces('{a}')).toEqual(['{a}']);
    expect(expandBraces('{}')).toEqual(['{}']);
    expect(expandBraces('{a{b,c}')).toEqual(['{ab', '{ac']);
    expect(expandBraces('{,}')).toEqual([]);
    expect(expandBraces('{1..1024}')).toHaveLength(1024);
  });

  it('never reads part of an expansion: too many words, or too many groups, throw TooComplex', () => {
    expect(() => expandBraces('{1..100000}')).toThrow(TooComplex);
    expect(() => expandBraces('{{1..1024},~}')).toThrow(/more than 1024 words/);
    expect(() => expandBraces('{1..1}'.repeat(3000))).toThrow(/brace groups/); // no stack overflow
    expect(() => expandBraces(`${'{a,'.repeat(2000)}b${'}'.repeat(2000)}`)).toThrow(TooComplex);
    expect(expandBraces('{1..1}'.repeat(60))).toEqual(['1'.repeat(60)]);
  });

  it('gives the words bash gives (property, bash as the oracle)', { timeout: 120_000 }, () => {
    // Words from brace groups (alternatives, nested, empty; sequences) among text with stray `}` and `,`.
    // (Not generated: `..` in a group that is no sequence — bash's reading of `{..1},}` against
    // `{1..}x,y}` is not modelled beyond `{..1}` staying as written.)
    const { word } = fc.letrec<{ word: string; group: string }>((tie) => ({
      word: fc.array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom('a', 'b', '-', 'x', '}', ',', '{}') }, { weight: 2, arbitrary: tie('group') }), { minLength: 1, maxLength: 4 }).map((parts) => parts.join('')),
      group: fc.oneof(
        { weight: 3, arbitrary: fc.array(fc.oneof(fc.constant(''), tie('word')), { minLength: 2, maxLength: 3 }).map((alternatives) => `{${alternatives.join(',')}}`) },
        { weight: 1, arbitrary: fc.constantFrom('{1..3}', '{a..c}', '{3..1}', '{01..3}', '{1..7..3}', '{a}', '{}', '{1..}') },
      ),
    }));
    // Short words: a long one can expand to millions of words in bash.
    const short = word.filter((w) => w.length <= 24);
    fc.assert(
      fc.property(fc.array(short, { minLength: 1, maxLength: 50 }), (words) => {
        const truth = bashExpands(words);
        words.forEach((w, i) => expect({ word: w, words: expandBraces(w) }).toEqual({ word: w, words: truth[i] }));
      }),
      { numRuns: 60 },
    );
  });
});
