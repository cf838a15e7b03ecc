/**
 * Text a repository wrote, made safe to show on a terminal: control characters (C0, DEL, C1 —
 * ESC starts the sequences that move the cursor, erase a line, set the title or the clipboard)
 * and the bidirectional overrides that reorder what is shown ("Trojan Source") are written as
 * `\u{…}` escapes, so what a person reads is what the bytes say. Line breaks and tabs are kept
 * unless `oneLine`. Pure.
 */
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const HIDDEN_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escaped = (char: string) => `\\u{${char.codePointAt(0)!.toString(16)}}`;

export function visible(text: string, { oneLine = false }: { oneLine?: boolean } = {}): string {
  return text.replace(oneLine ? HIDDEN_ONE_LINE : HIDDEN, escaped);
}
