/**
 * JSON files that people edit: parse, and write back in the file's own layout (indent, line
 * ending, final newline, BOM), so that a file cos did not change keeps its bytes. Pure.
 */

export interface JsonLayout {
  indent: string;
  eol: '\n' | '\r\n';
  finalNewline: boolean;
  bom: boolean;
}

export const DEFAULT_LAYOUT: JsonLayout = { indent: '  ', eol: '\n', finalNewline: true, bom: false };

/** The layout of an existing JSON text (defaults for what cannot be seen). */
export function detectLayout(text: string): JsonLayout {
  const bom = text.charCodeAt(0) === 0xfeff;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indentMatch = /\n([ \t]+)\S/.exec(text);
  const indent = indentMatch ? indentMatch[1]! : DEFAULT_LAYOUT.indent;
  const finalNewline = text.length === 0 ? true : /\n$/.test(text);
  return { indent, eol, finalNewline, bom };
}

export type JsonParse = { ok: true; value: unknown; layout: JsonLayout } | { ok: false; reason: string };

export function parseJsonText(text: string): JsonParse {
  const layout = detectLayout(text);
  const body = layout.bom ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body), layout };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

export function formatJson(value: unknown, layout: JsonLayout = DEFAULT_LAYOUT): string {
  let text = JSON.stringify(value, null, layout.indent);
  if (layout.eol === '\r\n') text = text.replace(/\n/g, '\r\n');
  if (layout.finalNewline) text += layout.eol;
  return layout.bom ? `\ufeff${text}` : text;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
