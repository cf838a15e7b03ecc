import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, renderMarkdown } from '../../src/board/markdown.js';

/** Every tag the renderer may produce, with exactly the attributes it may give them. */
const ALLOWED_TAG =
  /^<(\/?(p|br|h4|h5|h6|ul|ol|li|blockquote|pre|code|strong|em|hr)|\/a|a href="https?:\/\/[^\s"<>'`]+" rel="noopener noreferrer nofollow" target="_blank")>$/;

function tags(html: string): string[] {
  return html.match(/<[^>]*>?/g) ?? [];
}

/** The text a browser would show, roughly: tags dropped, the five escapes undone. */
function text(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[click](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '[x](data:text/html,<script>alert(1)</script>)',
  '[x](http://a" onmouseover="alert(1))',
  '<a href="javascript:alert(1)">x</a>',
  '`<script>`',
  '**<b>bold</b>**',
  '<svg onload=alert(1)>',
  '"><script>alert(1)</script>',
  '<!-- comment --><style>*{}</style>',
  '&lt;script&gt;',
  '\u0000<script>',
  '\uE000<script>\uE000',
  '\uE0000\uE000',
  'https://`<`',
  '[x](https://`<`)',
  '[`a`](https://a.example/`b`)',
];

describe('renderMarkdown', () => {
  it('renders the markdown entries use: headings, bold, lists, code, links', () => {
    const html = renderMarkdown('## 2026-01-14T04:30:00Z | Wiring\n**Agent:** dev\n\n- one\n- two `x`\n\n1. a\n2. b\n\n```\nconst a = 1 < 2;\n```\n\nSee [the PR](https://example.com/pr/1?a=1&b=2) and https://example.org.');
    expect(html).toContain('<h4>2026-01-14T04:30:00Z | Wiring</h4>');
    expect(html).toContain('<strong>Agent:</strong> dev');
    expect(html).toContain('<ul><li>one</li><li>two <code>x</code></li></ul>');
    expect(html).toContain('<ol><li>a</li><li>b</li></ol>');
    expect(html).toContain('<pre><code>const a = 1 &lt; 2;</code></pre>');
    expect(html).toContain('<a href="https://example.com/pr/1?a=1&amp;b=2" rel="noopener noreferrer nofollow" target="_blank">the PR</a>');
    expect(html).toContain('<a href="https://example.org." rel="noopener noreferrer nofollow" target="_blank">https://example.org.</a>');
  });

  it('shows script, event handlers and javascript: links as text, never as markup', () => {
    for (const attack of HOSTILE) {
      const html = renderMarkdown(attack);
      for (const tag of tags(html)) expect(tag, `${attack} → ${html}`).toMatch(ALLOWED_TAG);
      expect(html).not.toMatch(/<(script|img|svg|style|!--)|<a href="(?!https?:)/i);
    }
    expect(renderMarkdown('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(renderMarkdown('[click](javascript:alert(1))')).toBe('<p>[click](javascript:alert(1))</p>');
    expect(renderMarkdown('<img src=x onerror=alert(1)>')).toBe('<p>&lt;img src=x onerror=alert(1)&gt;</p>');
  });

  it('property: whatever the input, every tag in the output is one of ours, with our attributes only', () => {
    const pieces = fc.constantFrom('<', '>', '"', "'", '&', '`', '*', '_', '[', ']', '(', ')', '#', '-', '\n', ' ', 'http://', 'https://', 'javascript:', 'a', 'x', '1.', '> ', '```', '\uE000', '\u0000', '<script>', 'onerror=');
    const input = fc.oneof(fc.string(), fc.array(pieces, { maxLength: 60 }).map((parts) => parts.join('')));
    fc.assert(
      fc.property(input, (source) => {
        const html = renderMarkdown(source);
        for (const tag of tags(html)) if (!ALLOWED_TAG.test(tag)) return false;
        // No bare `<` or `>` outside our tags, and every `&` starts an escape.
        return !/[<>]/.test(html.replace(/<[^>]*>/g, '')) && !/&(?!(amp|lt|gt|quot|#39);)/.test(html);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: tags are properly nested', () => {
    const pieces = fc.constantFrom('*', '**', '_', '__', '`', '[', '](https://a.example)', 'x', ' ', '\n', '- ', '> ', 'https://b.example');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }).map((parts) => parts.join('')), (source) => {
        const stack: string[] = [];
        for (const tag of tags(renderMarkdown(source))) {
          const name = /^<\/?([a-z0-9]+)/.exec(tag)![1]!;
          if (name === 'br' || name === 'hr') continue;
          if (tag.startsWith('</')) {
            if (stack.pop() !== name) return false;
          } else stack.push(name);
        }
        return stack.length === 0;
      }),
      { numRuns: 2000 },
    );
  });

  it('property: plain text (no markdown characters) comes through unchanged, escaped', () => {
    const plain = fc.string().filter((s) => !/[*_`[\]#>\-+\d\n\r\uE000\u0000-\u001F\u007F]|https?:/i.test(s) && s.trim() === s && s !== '');
    fc.assert(fc.property(plain, (s) => text(renderMarkdown(s)) === s && renderMarkdown(s) === `<p>${escapeHtml(s)}</p>`));
  });

  it('cuts a very long body', () => {
    const html = renderMarkdown('x'.repeat(50_000));
    expect(html.length).toBeLessThan(21_000);
    expect(html).toContain('…');
  });
});
