/**
 * A block of text that cos owns inside a file people edit (AGENTS.md, CLAUDE.md), between
 * `<!-- cos:begin -->` and `<!-- cos:end -->`. Everything outside the markers is kept byte for
 * byte; writing the same block again changes nothing; removing it takes out the block and the one
 * blank line put before it. Pure.
 */
import { InputError } from '../errors.js';

export const BEGIN = '<!-- cos:begin -->';
export const END = '<!-- cos:end -->';

interface Located {
  start: number;
  /** Index just after the end marker's line (its newline included when there is one). */
  end: number;
}

function locate(text: string, file: string): Located | null {
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin === -1 && end === -1) return null;
  if (begin === -1 || end === -1 || end < begin) {
    throw new InputError(`${file} has a ${begin === -1 ? BEGIN.replace('begin', 'end') : BEGIN} marker without its partner; fix or remove it by hand, nothing was changed.`);
  }
  if (text.indexOf(BEGIN, begin + 1) !== -1 || text.indexOf(END, end + 1) !== -1) {
    throw new InputError(`${file} holds more than one cos section; keep one ${BEGIN} … ${END} block, nothing was changed.`);
  }
  let after = end + END.length;
  if (text.startsWith('\r\n', after)) after += 2;
  else if (text[after] === '\n') after += 1;
  return { start: begin, end: after };
}

/** The text with `section` (without markers) placed between the markers: replaced, or appended. */
export function upsertSection(text: string | null, section: string, file: string): { text: string; changed: boolean } {
  const original = text ?? '';
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const body = section.replace(/\s+$/, '').replace(/\r?\n/g, eol);
  const block = `${BEGIN}${eol}${body}${eol}${END}${eol}`;
  const found = locate(original, file);
  let next: string;
  if (found) next = original.slice(0, found.start) + block + original.slice(found.end);
  else if (original === '') next = block;
  else next = original + (original.endsWith('\n') ? eol : eol + eol) + block;
  return { text: next, changed: next !== original };
}

/** The text without the cos block (null when it held nothing else). */
export function removeSection(text: string | null, file: string): { text: string | null; changed: boolean } {
  if (text === null) return { text: null, changed: false };
  const found = locate(text, file);
  if (!found) return { text, changed: false };
  let before = text.slice(0, found.start);
  const after = text.slice(found.end);
  // The blank line upsertSection put before an appended block.
  if (after === '') {
    if (before.endsWith('\r\n\r\n')) before = before.slice(0, -2);
    else if (before.endsWith('\n\n')) before = before.slice(0, -1);
  }
  const next = before + after;
  return { text: next === '' ? null : next, changed: true };
}
