/**
 * Text a repository wrote, made safe to show on a terminal: control characters (C0, DEL, C1 —
 * ESC starts the sequences that move the cursor, erase a line, set the window title or the
 * clipboard), the invisible format characters (Unicode category Cf: the bidirectional controls
 * that reorder what is shown — "Trojan Source" —, zero-width spaces and joiners, the word joiner,
 * the byte order mark, the invisible "tag" characters) and the line and paragraph separators
 * (U+2028, U+2029: editors and log viewers break lines on them) are written as `\uXXXX`, so what a
 * person reads is what the bytes say. The same escape means the same character inside a JSON
 * string, so JSON output stays valid and unchanged in meaning (a character past U+FFFF is written
 * as its two UTF-16 halves, as JSON does). Pure.
 */
/**
 * The invisible format characters (Unicode category Cf, U+2065 with them) and the line and
 * paragraph separators of the Basic Multilingual Plane. Written out, not `\p{Cf}`: a regular
 * expression without the `u` flag, and with at most 16 ranges in its class, is several times
 * faster over a large JSON document (V8), and every command's output goes through one.
 */
const FORMAT = '\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb';
/** A character past U+FFFF whose first half is that of a format character: `escaped` decides (isFormatPastBmp). */
const PAIR = '[\\ud804\\ud80d\\ud82f\\ud834\\udb40][\\udc00-\\udfff]';
/** Control characters but the line feed and the tab. */
const CONTROL = '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f';
const HIDDEN = new RegExp(`[${CONTROL}${FORMAT}]|${PAIR}`, 'g');
/** A repository's value on one line: its line breaks and tabs too; and a backslash that would read as one of these escapes. */
const HIDDEN_ONE_LINE = new RegExp(`\\\\(?=u[0-9a-fA-F]{4})|[\\u0000-\\u001f\\u007f-\\u009f${FORMAT}]|${PAIR}`, 'g');
/** The colour and weight sequences cos's own style writes (output/style.ts), and the hidden characters. */
const HIDDEN_OR_OURS = new RegExp(`\\u001b\\[(?:1|2|22|31|32|33|36|39)m|[${CONTROL}${FORMAT}]|${PAIR}`, 'g');

/** The format characters (Cf) past U+FFFF: the Kaithi and Egyptian hieroglyph marks, shorthand and musical format controls, and the invisible tag characters (U+E0001, U+E0020–U+E007F). */
function isFormatPastBmp(code: number): boolean {
  return code === 0x110bd || code === 0x110cd || (code >= 0x13430 && code <= 0x1343f) || (code >= 0x1bca0 && code <= 0x1bca3) || (code >= 0x1d173 && code <= 0x1d17a) || code === 0xe0001 || (code >= 0xe0020 && code <= 0xe007f);
}

/** `\uXXXX` for a hidden character (a character past U+FFFF as its two UTF-16 halves); any other character as it is. */
function escaped(chars: string): string {
  if (chars.length === 2 && !isFormatPastBmp(chars.codePointAt(0)!)) return chars;
  let out = '';
  for (let i = 0; i < chars.length; i++) out += `\\u${chars.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/**
 * Every hidden character escaped; line breaks and tabs kept unless `oneLine`. With `oneLine` (a
 * repository's value shown inside a line of cos's), a backslash that starts `\u` and four hex
 * digits is written `\u005c` as well: a file literally named `x\u000ay` is shown
 * `x\u005cu000ay`, never like a file whose name holds a line break (`x\u000ay`), so every
 * `\uXXXX` a person reads stands for exactly one character. Text without such a backslash (the
 * common case, Windows paths included) is unchanged.
 */
export function visible(text: string, { oneLine = false }: { oneLine?: boolean } = {}): string {
  return text.replace(oneLine ? HIDDEN_ONE_LINE : HIDDEN, escaped);
}

/**
 * Lines for a person, each kept on its one line: a line break or tab inside one (a file name or an
 * entry's field can hold them) is escaped like every hidden character. For text without cos's
 * colours; a coloured renderer passes each repository value through `visible(…, { oneLine: true })`.
 */
export function visibleLines(lines: readonly string[]): string {
  return `${lines.map((line) => visible(line, { oneLine: true })).join('\n')}\n`;
}

/**
 * What a command prints on stdout (cli.ts): like `visible`; when cos colours its output, its own
 * colour sequences pass (an attacker's copy of them can only colour text, never move the cursor
 * or hide a line), otherwise every one is escaped. Backslashes are left alone: this is the last
 * step of every output, JSON documents included, where a backslash is JSON's own escape.
 */
export function terminalText(text: string, colour = false): string {
  if (!colour) return text.replace(HIDDEN, escaped);
  return text.replace(HIDDEN_OR_OURS, (match) => (match.charCodeAt(0) === 0x1b && match.length > 1 ? match : escaped(match)));
}
