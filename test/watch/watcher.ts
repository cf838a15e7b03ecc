/** A real `node dist/cli.js watch --json` child process, its stdout lines parsed, waited on by content. */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';
import { CLI } from '../helpers/cli.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Line = Record<string, any>;

export interface Watcher {
  child: ChildProcess;
  lines: Line[];
  stderr(): string;
  /** The first line (seen so far or to come) matching `match`; rejects after `ms`. */
  waitFor(match: (line: Line) => boolean, what: string, ms?: number): Promise<Line>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();

afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

export function startWatcher(root: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Watcher {
  const child = spawn(process.execPath, [CLI, 'watch', '--json', '--dir', root, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const lines: Line[] = [];
  const waiters: Array<{ match: (line: Line) => boolean; resolve: (line: Line) => void }> = [];
  let buffer = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const line = JSON.parse(text) as Line;
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.match(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitFor(match, what, ms = 30_000) {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no ${what} from the watcher within ${ms} ms; stdout:\n${lines.map((l) => JSON.stringify(l)).join('\n')}\nstderr:\n${stderr}`));
        }, ms);
        waiters.push({
          match,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(new Error(`the watcher exited (${code ?? signal}) before ${what}; stderr:\n${stderr}`));
        });
      });
    },
  };
}

/** Ask for summaries (SIGUSR2) until one matches. */
export async function summaryWhere(watcher: Watcher, match: (summary: Line) => boolean, what: string, ms = 60_000): Promise<Line> {
  const end = Date.now() + ms;
  for (;;) {
    const since = watcher.lines.length;
    watcher.child.kill('SIGUSR2');
    const line = await watcher.waitFor((l) => watcher.lines.indexOf(l) >= since && l.event === 'summary', 'a summary (SIGUSR2)', 30_000);
    if (match(line.summary)) return line;
    if (Date.now() > end) throw new Error(`no summary with ${what} within ${ms} ms; last: ${JSON.stringify(line)}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
