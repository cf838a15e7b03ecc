/**
 * Text a repository wrote, made safe to show on a terminal: control characters (C0, DEL, C1 —
 * ESC starts the sequences that move the cursor, erase a line, set the window title or the
 * clipboard) and the bidirectional controls that reorder what is shown ("Trojan Source") are
 * written as `\uXXXX`, so what a person reads is what the bytes say. The same escape means the
 * same character inside a JSON string, so JSON output stays valid and unchanged in meaning.
 * Pure.
 */
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const HIDDEN_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The colour and weight sequences cos's own style writes (output/style.ts), and the hidden characters. */
const HIDDEN_OR_OURS = /\u001b\[(?:1|2|22|31|32|33|36|39)m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escaped = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Every hidden character escaped; line breaks and tabs kept unless `oneLine`. */
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
 * or hide a line), otherwise every one is escaped.
 */
export function terminalText(text: string, colour = false): string {
  if (!colour) return text.replace(HIDDEN, escaped);
  return text.replace(HIDDEN_OR_OURS, (match) => (match.length > 1 ? match : escaped(match)));
}
