import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { InputError } from '../errors.js';
import { agentPaths } from '../store/paths.js';
import { intFlag, parseCommand, printJson, type CommandContext } from './context.js';
import { defineFlags, flagsHelp } from './flags.js';
import { countOf } from '../output/count.js';

export const flags = defineFlags({
  port: { type: 'string', value: 'N', help: 'the port (default 7317; 0 picks a free one)' },
  host: {
    type: 'string',
    value: 'H',
    help: 'the address to listen on (default 127.0.0.1, this machine only); any other address lets every machine that can reach it read the board: a warning says so',
  },
  out: { type: 'string', value: 'FILE.html', help: 'write one self-contained snapshot page (no network needed to open it) and exit' },
  json: { type: 'boolean', help: 'print {"version":1,"url","host","port","pid"} once listening (with --out: {"version":1,"out","sprints","findings"}) instead of text' },
  dir: { type: 'string', value: 'PATH', help: 'the repository (default: the nearest ancestor holding .agent/)' },
});

export const help = `Usage: cos board [--port N] [--host H] [--out FILE.html] [--json]

The team at a glance, live, in a browser: a local, read-only web page with the open findings on
top (URGENT and BLOCKER first, shown as soon as the entry lands), the sprints as columns by
state, each sprint's timeline of entries, the agents with their heartbeat age, the path leases
with who holds them until when, and the plan dependencies as a graph. It is fed by the same
engine as cos watch, but takes no watcher lock, runs no --exec, syncs nothing and writes
nothing: it only shows. Stop it with Ctrl-C.

Options:
${flagsHelp(flags)}

Endpoints: GET / (the page), GET /api/state ({"version":1,"sprints":[as cos status --json],
"findings":[as cos scan --json],"ready":[...],"waiting":[...],"leases":[as cos status --json],
...}), GET /events (server-sent events: state, entry, finding, resolved, ready). Only GET and
HEAD are accepted.

Exit codes: 0 stopped (Ctrl-C) or snapshot written; 1 bad usage, no .agent/ here, or the port is
in use.

Examples:
  cos board                     # then open http://127.0.0.1:7317/
  cos board --out board.html    # a snapshot for a CI artifact or a PR comment`;

export async function run(context: CommandContext): Promise<number> {
  const { values, root, json } = parseCommand(context, flags);
  const port = intFlag('port', values.port, { min: 0 });
  if (port !== undefined && port > 65535) throw new InputError(`Invalid --port ${JSON.stringify(values.port)}: give a whole number from 0 to 65535.`);
  if (values.host !== undefined && values.host.trim() === '') throw new InputError('--host needs an address, e.g. --host 127.0.0.1.');
  if (values.out !== undefined && values.out.trim() === '') throw new InputError('--out needs a file name, e.g. --out board.html.');
  if (values.out !== undefined && (values.port !== undefined || values.host !== undefined)) {
    throw new InputError('--out writes a file and serves nothing: leave out --port and --host.');
  }
  if (!existsSync(agentPaths(root).agent)) throw new InputError(`No .agent/ here (or above) in ${root}; run cos init first, or pass --dir <repository>.`);

  if (values.out !== undefined) {
    const { writeSnapshot } = await import('../board/snapshot.js');
    const file = resolve(context.cwd, values.out);
    const state = writeSnapshot(file, { root, now: context.now, env: context.env });
    if (json) printJson(context, { out: file, sprints: state.sprints.length, findings: state.findings.length });
    else context.stdout(`Wrote ${values.out}: ${countOf(state.sprints.length, 'sprint')}, ${countOf(state.findings.length, 'open finding')} (open it in any browser; it needs no network).\n`);
    return 0;
  }

  const { startBoard, isLoopback } = await import('../board/server.js');
  const host = values.host?.trim() ?? '127.0.0.1';
  if (!isLoopback(host)) {
    context.stderr(
      `cos board: warning: listening on ${host}, not on 127.0.0.1: anyone who can reach this machine on that address can read the board (sprints, entries, findings, agents). It stays read-only.\n`,
    );
  }
  let stopRequested = false;
  let resolveStop!: () => void;
  const stopped = new Promise<void>((done) => (resolveStop = done));
  const onStop = () => {
    stopRequested = true;
    resolveStop();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, onStop);
  try {
    const board = await startBoard({
      root,
      host,
      ...(port !== undefined ? { port } : {}),
      now: context.now,
      env: context.env,
      onError: (message) => context.stderr(`cos board: ${message}\n`),
    });
    if (json) context.stdout(`${JSON.stringify({ version: 1, url: board.url, host: board.host, port: board.port, pid: process.pid })}\n`);
    else context.stdout(`cos board: ${board.url} (read-only; Ctrl-C to stop)\n`);
    if (!stopRequested) await stopped;
    await board.close();
    return 0;
  } finally {
    for (const signal of signals) process.off(signal, onStop);
  }
}
