/**
 * Brace expansion as bash does it, before any other expansion: `{a,b}` and `x{a,b}y` (nested, with
 * empty alternatives), `{1..3}`, `{01..10..2}`, `{a..e}`. A `{` written as `${` (a parameter) or
 * without a matching `}` holding a top-level `,` or a sequence stays as written; so do quoted braces
 * (they arrive marked: guard/marks.ts). Words that expand to nothing are dropped, as bash drops
 * them. A word giving more than MAX_WORDS words, or with more than MAX_GROUPS groups, throws
 * TooComplex: the guard never reads part of an expansion. Pure.
 */

import { TooComplex } from './too-complex.js';

/** At most this many words from one word: `{1..100000}` is too complex (guard/too-complex.ts), never cut short. */
const MAX_WORDS = 1024;
/** At most this many groups one inside or after another (`{1..1}{1..1}…`): the expansion recurses once per group. */
const MAX_GROUPS = 64;

function tooMany(): never {
  throw new TooComplex(`a brace expansion gives more than ${MAX_WORDS} words`);
}

/** The index of the `}` closing a `${` at `at` (its `$`), or the word's end. */
function parameterEnd(word: string, at: number): number {
  const end = word.indexOf('}', at);
  return end === -1 ? word.length : end;
}

function sequence(body: string): string[] | null {
  const numbers = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(body);
  const letters = /^([a-zA-Z])\.\.([a-zA-Z])(?:\.\.(-?\d+))?$/.exec(body);
  if (!numbers && !letters) return null;
  const match = (numbers ?? letters)!;
  const from = numbers ? Number(match[1]) : match[1]!.charCodeAt(0);
  const to = numbers ? Number(match[2]) : match[2]!.charCodeAt(0);
  const step = Math.abs(Number(match[3] ?? 1)) || 1;
  const width = numbers && /^-?0\d/.test(match[1]!) ? Math.max(match[1]!.length, match[2]!.length) : numbers && /^-?0\d/.test(match[2]!) ? Math.max(match[1]!.length, match[2]!.length) : 0;
  const out: string[] = [];
  for (let n = from; from <= to ? n <= to : n >= to; n += from <= to ? step : -step) {
    if (out.length >= MAX_WORDS) tooMany();
    if (letters) out.push(String.fromCharCode(n));
    else out.push(n < 0 ? `-${String(-n).padStart(width - 1, '0')}` : String(n).padStart(width, '0'));
  }
  return out;
}

/** The words one word expands to. */
export function expandBraces(word: string): string[] {
  if (!word.includes('{')) return [word];
  const out = expand(word, 0).filter((expanded) => expanded !== '');
  return out.length > 0 || word === '' ? out : [];
}

function expand(word: string, groups: number): string[] {
  if (groups > MAX_GROUPS) throw new TooComplex(`a word has more than ${MAX_GROUPS} brace groups in a row or nested`);
  for (let i = 0; i < word.length; i++) {
    if (word[i] === '$' && word[i + 1] === '{') {
      i = parameterEnd(word, i);
      continue;
    }
    if (word[i] !== '{') continue;
    // `{}` at the start of a word (or of what follows a group) is literal, as bash reads it.
    if (i === 0 && word[1] === '}') {
      i = 1;
      continue;
    }
    let depth = 0;
    let close = -1;
    const commas: number[] = [];
    for (let j = i; j < word.length; j++) {
      const c = word[j]!;
      if (c === '$' && word[j + 1] === '{') j = parameterEnd(word, j);
      else if (c === '{') depth++;
      else if (c === '}') {
        // A `}` that would close a group with neither a `,` nor a sequence in it is literal, as bash
        // reads `{a},b}` (the words `a}` and `b`) and `{},a}`.
        // A body with `..` and more after it that is no sequence (`{..1}`, `{1..x}`) leaves this `{`
        // unexpanded, as in bash.
        if (depth === 1 && commas.length === 0 && sequence(word.slice(i + 1, j)) === null) {
          if (/^[^{}]*\.\.[^{}]+$/.test(word.slice(i + 1, j))) break;
          continue;
        }
        if (--depth === 0) {
          close = j;
          break;
        }
      } else if (c === ',' && depth === 1) commas.push(j);
    }
    if (close === -1) continue;
    const body = word.slice(i + 1, close);
    let alternatives: string[] | null;
    if (commas.length > 0) {
      alternatives = [];
      let from = i + 1;
      for (const comma of [...commas, close]) {
        alternatives.push(word.slice(from, comma));
        from = comma + 1;
      }
    } else alternatives = sequence(body);
    if (alternatives === null) continue;
    const prefix = word.slice(0, i);
    const suffixes = expand(word.slice(close + 1), groups + 1);
    const out: string[] = [];
    for (const alternative of alternatives) {
      for (const inner of expand(alternative, groups + 1)) {
        for (const suffix of suffixes) {
          if (out.length >= MAX_WORDS) tooMany();
          out.push(prefix + inner + suffix);
        }
      }
    }
    return out;
  }
  return [word];
}
