/**
 * Names as git prints and reads them C-quoted (quote.c): git quotes a name holding a double quote,
 * a backslash or a control character (a tab, a newline; with core.quotePath, bytes above 0x7f
 * too) in its output (`git clean -n`), and unquotes a line starting with a double quote that
 * `--pathspec-from-file` or `git checkout-index --stdin` reads. Pure.
 */

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/**
 * A name as git prints it, unquoted: git C-quotes a name holding a double quote, a backslash or a
 * control character (a tab, a newline; with core.quotePath, bytes above 0x7f too) — `"new\"x.yaml"`,
 * `"\303\251"` — whatever core.quotePath says (quote.c quote_c_style). A name not in quotes is as is.
 */
export function unquoted(name: string): string {
  if (name.length < 2 || !name.startsWith('"') || !name.endsWith('"')) return name;
  const bytes: number[] = [];
  const inner = Buffer.from(name.slice(1, -1), 'utf8');
  for (let i = 0; i < inner.length; i++) {
    const byte = inner[i]!;
    if (byte !== 92 || i + 1 >= inner.length) {
      bytes.push(byte);
      continue;
    }
    const next = String.fromCharCode(inner[i + 1]!);
    const octal = /^[0-3][0-7][0-7]$/.test(inner.subarray(i + 1, i + 4).toString('latin1'));
    if (octal) {
      bytes.push(Number.parseInt(inner.subarray(i + 1, i + 4).toString('latin1'), 8));
      i += 3;
    } else if (next in ESCAPES) {
      bytes.push(ESCAPES[next]!);
      i += 1;
    } else bytes.push(byte);
  }
  return Buffer.from(bytes).toString('utf8');
}
