/**
 * Entry bodies as HTML for the board: a small markdown subset, safe by construction. Pure.
 *
 * The invariant: the text is HTML-escaped FIRST (`&`, `<`, `>`, `"`, `'`), so nothing from an
 * entry can open a tag or leave an attribute; only then do a few rules add tags of our own, from a
 * fixed list (p, br, h4–h6, ul, ol, li, blockquote, pre, code, strong, em, a, hr). A link is made
 * only for an http(s) address, with fixed attributes; any other scheme (`javascript:`, `data:`)
 * stays text. The property tests check that every tag in the output is one of these.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text with the five HTML special characters escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Longest body rendered; the rest is cut (the file itself stays whole). */
export const MAX_BODY_CHARS = 20_000;

// Private-use markers for code spans and links, so later rules cannot reach inside them; any
// such character in the input is dropped first, with control characters.
const MARK = '\uE000';
const STRIP = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uE000\uE001]/g;

/** `http(s)://…` after escaping; the address may hold `&amp;` but never a quote (escaped) or space. */
const SAFE_URL = /^https?:\/\/[^\s<>"'`\uE000]+$/i;

function link(label: string, url: string): string {
  return `<a href="${url}" rel="noopener noreferrer nofollow" target="_blank">${label}</a>`;
}

/** Inline rules over one escaped line: code spans, links, bold, emphasis, bare addresses. */
export function renderInline(escaped: string): string {
  const held: string[] = [];
  const hold = (html: string) => `${MARK}${held.push(html) - 1}${MARK}`;
  let out = escaped.replace(/`([^`]+)`/g, (_, code: string) => hold(`<code>${code}</code>`));
  out = out.replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (whole, label: string, url: string) => (SAFE_URL.test(url) ? hold(link(label, url)) : whole));
  out = out.replace(/(^|[\s(])(https?:\/\/[^\s<>"'`)\uE000]+)/gi, (_, before: string, url: string) => `${before}${hold(link(url, url))}`);
  out = out.replace(/\*\*(?=\S)([^*<]*?\S)\*\*/g, '<strong>$1</strong>');
  out = out.replace(/__(?=\S)([^_<]*?\S)__/g, '<strong>$1</strong>');
  out = out.replace(/(^|[^*\w])\*(?=\S)([^*<]*?\S)\*(?!\*)/g, '$1<em>$2</em>');
  out = out.replace(/(^|[^_\w])_(?=\S)([^_<]*?\S)_(?![_\w])/g, '$1<em>$2</em>');
  // Held pieces may themselves hold markers (a link label with code): restore until none is left.
  for (let i = 0; i < 3 && out.includes(MARK); i++) out = out.replace(new RegExp(`${MARK}(\\d+)${MARK}`, 'g'), (_, n: string) => held[Number(n)] ?? '');
  return out;
}

type Block = { kind: 'p'; lines: string[] } | { kind: 'quote'; lines: string[] } | { kind: 'ul'; items: string[] } | { kind: 'ol'; items: string[] } | { kind: 'pre'; lines: string[] };

/** Markdown → HTML, escaped first (see the module comment). */
export function renderMarkdown(source: string): string {
  let text = source.length > MAX_BODY_CHARS ? `${source.slice(0, MAX_BODY_CHARS)}\n\n…` : source;
  text = text.replace(/\r\n?/g, '\n').replace(STRIP, '');
  const lines = escapeHtml(text).split('\n');
  const out: string[] = [];
  let block = null as Block | null;
  const flush = () => {
    const done = block;
    block = null;
    if (!done) return;
    if (done.kind === 'p') out.push(`<p>${done.lines.map(renderInline).join('<br>')}</p>`);
    else if (done.kind === 'quote') out.push(`<blockquote><p>${done.lines.map(renderInline).join('<br>')}</p></blockquote>`);
    else if (done.kind === 'pre') out.push(`<pre><code>${done.lines.join('\n')}</code></pre>`);
    else out.push(`<${done.kind}>${done.items.map((item) => `<li>${renderInline(item)}</li>`).join('')}</${done.kind}>`);
  };
  for (const line of lines) {
    if (block?.kind === 'pre') {
      if (/^\s*```/.test(line)) flush();
      else block.lines.push(line);
      continue;
    }
    if (/^\s*```/.test(line)) {
      flush();
      block = { kind: 'pre', lines: [] };
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      // Entry headings sit inside a card: h1–h3 become h4, the rest h5/h6.
      const level = Math.min(6, Math.max(4, heading[1]!.length + 1));
      out.push(`<h${level}>${renderInline(heading[2]!)}</h${level}>`);
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush();
      out.push('<hr>');
      continue;
    }
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d{1,9}[.)]\s+(.*)$/.exec(line);
    const item = bullet ? { kind: 'ul' as const, text: bullet[1]! } : numbered ? { kind: 'ol' as const, text: numbered[1]! } : null;
    if (item) {
      let list = block?.kind === 'ul' || block?.kind === 'ol' ? block : null;
      if (list?.kind !== item.kind) {
        flush();
        block = list = { kind: item.kind, items: [] };
      }
      list!.items.push(item.text);
      continue;
    }
    const quote = /^\s*&gt;\s?(.*)$/.exec(line);
    if (quote) {
      if (block?.kind !== 'quote') {
        flush();
        block = { kind: 'quote', lines: [] };
      }
      block.lines.push(quote[1]!);
      continue;
    }
    if (block?.kind === 'ul' || block?.kind === 'ol') {
      // A continuation line of the last item.
      block.items[block.items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    if (block?.kind !== 'p') {
      flush();
      block = { kind: 'p', lines: [] };
    }
    block.lines.push(line);
  }
  flush();
  return out.join('\n');
}
