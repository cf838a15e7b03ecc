/**
 * visible / terminalText (src/output/visible.ts): what they escape, and that what a person reads
 * decodes back to exactly the text: every `\uXXXX` in a one-line value stands for one character.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { terminalText, visible } from '../../src/output/visible.js';

/** Undo the escapes: each `\uXXXX` is the UTF-16 unit it names (as in a JSON string). */
const decode = (text: string) => text.replace(/\\u([0-9a-f]{4})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

/** What must never be shown raw: controls, format characters (Cf), line and paragraph separators. */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** Text rich in what matters here: backslashes, `u`, hex digits, line breaks, controls, format characters, emoji. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\\', 'u', '0', '0', 'a', 'F', 'x', ' ', '\n', '\t', '\r', '\u001b', '\u009b', '\u200b', '\u200d', '\u2028', '\u202e', '\ufeff', '😀', '\u{e0041}', '\u{1d173}'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 40,
});

describe('visible', () => {
  it('one line: nothing hidden is left, and the text decodes back exactly (a literal \\u000a never reads as a line break)', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const shown = visible(text, { oneLine: true });
        expect(shown).not.toMatch(HIDDEN);
        expect(decode(shown)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('a literal \\u000a and a real line break are shown differently; text without such a backslash is unchanged', () => {
    expect(visible('x\\u000ay', { oneLine: true })).toBe('x\\u005cu000ay');
    expect(visible('x\ny', { oneLine: true })).toBe('x\\u000ay');
    for (const plain of ['C:\\dir\\name.md', 'a\\b', '\\u12', '\\uzzzz', 'café 😀 naïve']) expect(visible(plain, { oneLine: true })).toBe(plain);
  });

  it('every control, format (Cf) and separator character of Unicode is escaped; no other character is', () => {
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCodePoint(code);
      const hidden = HIDDEN.test(char) || code === 0x2065;
      const shown = visible(char, { oneLine: true });
      if (hidden) expect(decode(shown), code.toString(16)).toBe(char);
      if (hidden !== (shown !== char)) expect.fail(`U+${code.toString(16)}: ${hidden ? 'not escaped' : 'escaped'}`);
    }
  });

  it('without oneLine line breaks and tabs stay; everything else hidden is escaped, and backslashes are left alone', () => {
    expect(visible('a\n\tb\u2028c\u200b\\u000a')).toBe('a\n\tb\\u2028c\\u200b\\u000a');
  });
});

describe('terminalText', () => {
  it('a JSON document keeps its meaning: it parses back to the same value', () => {
    fc.assert(
      fc.property(fc.dictionary(hostile, hostile, { maxKeys: 4 }), (value) => {
        const json = JSON.stringify(value, null, 2);
        const shown = terminalText(json);
        expect(shown).not.toMatch(/[\p{Cf}\p{Zl}\p{Zp}]|(?![\n])\p{Cc}/u);
        expect(JSON.parse(shown)).toEqual(value);
      }),
      { numRuns: 1000 },
    );
  });

  it("on a colour terminal only cos's own colour sequences pass", () => {
    expect(terminalText('\u001b[31mred\u001b[39m \u001b[2J \u{e0041} 😀', true)).toBe('\u001b[31mred\u001b[39m \\u001b[2J \\udb40\\udc41 😀');
    expect(terminalText('\u001b[31mred\u001b[39m', false)).toBe('\\u001b[31mred\\u001b[39m');
  });
});
