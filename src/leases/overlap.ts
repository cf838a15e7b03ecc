/**
 * Whether two path globs can match one path: the intersection of the two patterns is not empty.
 * No glob library answers this (they match paths against a pattern), so it is decided here, on
 * the same syntax picomatch matches with (leases.ts uses picomatch for paths): `**` segments, `*`,
 * `?`, `[...]` classes and `{a,b}` alternatives. Segment lists are intersected with `**` taking
 * any number of segments, and two segments by a small dynamic programme over their tokens. It
 * never says "no" when some path matches both (property-tested against picomatch); syntax it does
 * not model (extglobs) is taken as matching anything in its segment — a false "overlap" at worst.
 * Pure.
 */

type Token = { kind: 'star' } | { kind: 'any' } | { kind: 'char'; ch: string } | { kind: 'class'; test: (ch: string) => boolean };
type Segment = { globstar: true } | { globstar: false; tokens: Token[] };

const MAX_ALTERNATIVES = 64;

/** `{a,b}c` → [ac, bc] (nested braces too), at most MAX_ALTERNATIVES. */
export function expandBraces(pattern: string): string[] {
  let depth = 0;
  let open = -1;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '{') {
      if (depth === 0) open = i;
      depth++;
    } else if (c === '}' && depth > 0) {
      depth--;
      if (depth === 0) {
        const inner = pattern.slice(open + 1, i);
        const parts: string[] = [];
        let level = 0;
        let start = 0;
        for (let j = 0; j < inner.length; j++) {
          if (inner[j] === '{') level++;
          else if (inner[j] === '}') level--;
          else if (inner[j] === ',' && level === 0) {
            parts.push(inner.slice(start, j));
            start = j + 1;
          }
        }
        parts.push(inner.slice(start));
        if (parts.length === 1) continue; // `{x}` is literal
        const head = pattern.slice(0, open);
        const tails = expandBraces(pattern.slice(i + 1));
        const out: string[] = [];
        for (const part of parts) for (const middle of expandBraces(part)) for (const tail of tails) if (out.length < MAX_ALTERNATIVES) out.push(head + middle + tail);
        return out;
      }
    }
  }
  return [pattern];
}

function classTest(body: string): (ch: string) => boolean {
  const negate = body.startsWith('!') || body.startsWith('^');
  const set = negate ? body.slice(1) : body;
  const ranges: Array<[string, string]> = [];
  for (let i = 0; i < set.length; i++) {
    if (set[i + 1] === '-' && i + 2 < set.length) {
      ranges.push([set[i]!, set[i + 2]!]);
      i += 2;
    } else ranges.push([set[i]!, set[i]!]);
  }
  return (ch) => ranges.some(([from, to]) => ch >= from && ch <= to) !== negate;
}

function tokenize(segment: string): Token[] {
  if (/[@!+*?]\(/.test(segment)) return [{ kind: 'star' }];
  const tokens: Token[] = [];
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '\\' && i + 1 < segment.length) tokens.push({ kind: 'char', ch: segment[++i]! });
    else if (c === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === '?') tokens.push({ kind: 'any' });
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close === -1) tokens.push({ kind: 'char', ch: c });
      else {
        tokens.push({ kind: 'class', test: classTest(segment.slice(i + 1, close)) });
        i = close;
      }
    } else tokens.push({ kind: 'char', ch: c });
  }
  return tokens;
}

function segments(pattern: string): Segment[] {
  const parts = pattern.replace(/^\.\//, '').split('/').filter((part, i, all) => part !== '' || i === all.length - 1);
  const out: Segment[] = [];
  for (const part of parts) {
    if (part === '**') {
      if (!(out.at(-1) as { globstar?: boolean } | undefined)?.globstar) out.push({ globstar: true });
    } else out.push({ globstar: false, tokens: tokenize(part) });
  }
  return out;
}

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).filter((ch) => ch !== '/');

function charsMeet(a: Token, b: Token): boolean {
  const test = (t: Token) => (t.kind === 'char' ? (ch: string) => ch === t.ch : t.kind === 'class' ? t.test : () => true);
  if (a.kind === 'char') return test(b)(a.ch);
  if (b.kind === 'char') return test(a)(b.ch);
  const ta = test(a);
  const tb = test(b);
  return PRINTABLE.some((ch) => ta(ch) && tb(ch));
}

/**
 * Whether two sequences can match one common text, where a "star" item matches any run of the
 * other side's items (none included) and two plain items must meet. Memoised on (i, j); shared by
 * the characters of a segment (`*`) and the segments of a path (`**`).
 */
function sequencesMeet<T>(a: readonly T[], b: readonly T[], isStar: (item: T) => boolean, meet: (x: T, y: T) => boolean): boolean {
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === a.length && j === b.length) result = true;
    else if (i < a.length && isStar(a[i]!)) result = go(i + 1, j) || (j < b.length && go(i, j + 1));
    else if (j < b.length && isStar(b[j]!)) result = go(i, j + 1) || (i < a.length && go(i + 1, j));
    else if (i < a.length && j < b.length) result = meet(a[i]!, b[j]!) && go(i + 1, j + 1);
    else result = false;
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

/** Some non-empty text matches both segment token lists. */
function segmentsMeet(a: Token[], b: Token[]): boolean {
  // A path segment is never empty: two lone stars meet on "x", and so does everything else the
  // programme accepts, except two empty segments (a trailing slash), which also meet.
  return sequencesMeet(a, b, (token) => token.kind === 'star', charsMeet);
}

function listsMeet(a: Segment[], b: Segment[]): boolean {
  return sequencesMeet(
    a,
    b,
    (segment) => segment.globstar,
    (x, y) => segmentsMeet((x as { tokens: Token[] }).tokens, (y as { tokens: Token[] }).tokens),
  );
}

/** Whether some path matches both globs. */
export function globsOverlap(a: string, b: string): boolean {
  for (const left of expandBraces(a)) for (const right of expandBraces(b)) if (listsMeet(segments(left), segments(right))) return true;
  return false;
}
