/** Minimal terminal styling: colour only on a TTY, never when NO_COLOR is set. */
import type { Severity } from '../protocol/fields.js';

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
  severity(severity: Severity, text?: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export function createStyle(enabled: boolean): Style {
  const id = (text: string) => text;
  const bold = enabled ? wrap(1, 22) : id;
  const dim = enabled ? wrap(2, 22) : id;
  const red = enabled ? wrap(31, 39) : id;
  const yellow = enabled ? wrap(33, 39) : id;
  const green = enabled ? wrap(32, 39) : id;
  const cyan = enabled ? wrap(36, 39) : id;
  return {
    bold,
    dim,
    red,
    yellow,
    green,
    cyan,
    severity(severity, text = severity) {
      if (severity === 'BLOCKER') return bold(red(text));
      if (severity === 'URGENT') return red(text);
      if (severity === 'WARN') return yellow(text);
      return dim(text);
    },
  };
}

/** Whether cos colours its output: on a terminal, unless NO_COLOR is set or TERM is dumb. */
export function colourEnabled(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  return isTTY && !env.NO_COLOR && env.TERM !== 'dumb';
}

export function styleFor(isTTY: boolean, env: NodeJS.ProcessEnv): Style {
  return createStyle(colourEnabled(isTTY, env));
}

/** Pad cells into aligned columns. */
export function table(rows: string[][], visibleLength = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '').length): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell));
    });
  }
  return rows
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visibleLength(cell)))).join('  ').trimEnd())
    .join('\n');
}
