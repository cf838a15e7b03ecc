/** A unified diff of two small texts (what `--dry-run` prints). Pure; LCS over lines. */

function lines(text: string | null): string[] {
  if (text === null || text === '') return [];
  const list = text.split('\n');
  if (list[list.length - 1] === '') list.pop();
  return list;
}

type Op = { kind: ' ' | '-' | '+'; line: string; a: number; b: number };

function diffOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = length of the LCS of a[i..] and b[j..]; settings and AGENTS.md are small.
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ kind: ' ', line: a[i]!, a: i++, b: j++ });
    else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) ops.push({ kind: '+', line: b[j]!, a: i, b: j++ });
    else ops.push({ kind: '-', line: a[i]!, a: i++, b: j });
  }
  return ops;
}

/** `--- a/file` / `+++ b/file` and hunks with 3 lines of context; '' when nothing differs. */
export function unifiedDiff(file: string, before: string | null, after: string | null, context = 3): string {
  if (before === after) return '';
  const ops = diffOps(lines(before), lines(after));
  const changed = ops.map((op, index) => (op.kind === ' ' ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return '';
  let out = `--- ${before === null ? '/dev/null' : `a/${file}`}\n+++ ${after === null ? '/dev/null' : `b/${file}`}\n`;
  let start = 0;
  while (start < changed.length) {
    let end = start;
    while (end + 1 < changed.length && changed[end + 1]! - changed[end]! <= context * 2 + 1) end++;
    const from = Math.max(0, changed[start]! - context);
    const to = Math.min(ops.length - 1, changed[end]! + context);
    const hunk = ops.slice(from, to + 1);
    const aCount = hunk.filter((op) => op.kind !== '+').length;
    const bCount = hunk.filter((op) => op.kind !== '-').length;
    const aStart = aCount === 0 ? hunk[0]!.a : hunk[0]!.a + 1;
    const bStart = bCount === 0 ? hunk[0]!.b : hunk[0]!.b + 1;
    out += `@@ -${aStart},${aCount} +${bStart},${bCount} @@\n`;
    for (const op of hunk) out += `${op.kind}${op.line}\n`;
    start = end + 1;
  }
  return out;
}
