#!/usr/bin/env node
/**
 * The `cos` entry point: a table of commands imported lazily (so `cos status` never loads the
 * Notion client, the file watcher or the MCP SDK), and the one place that turns errors into exit codes.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ALIASES, splitCommand } from './command-line.js';
import { runBinary, runCommand } from './command-run.js';
import type { CommandContext, CommandModule } from './commands/context.js';
import { EXIT } from './errors.js';
import { COS_VERSION } from './version.js';

interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
}

const COMMANDS: Record<string, CommandEntry> = {
  init: { summary: 'create the .agent/ tree, config, roles and runbook.md (never overwrites)', load: () => import('./commands/init.js') },
  post: { summary: 'write one status entry', load: () => import('./commands/post.js') },
  heartbeat: { summary: "refresh an agent's open entry on a sprint", load: () => import('./commands/heartbeat.js') },
  resolve: { summary: 'settle entries (an escalation, a failure) with a NOTE that holds nothing', load: () => import('./commands/resolve.js') },
  ack: { summary: 'acknowledge an escalation with a NOTE (stops re-escalation, does not resolve)', load: () => import('./commands/ack.js') },
  status: { summary: 'the pipeline dashboard: one row per sprint', load: () => import('./commands/status.js') },
  scan: { summary: 'every finding (stale, conflict, escalation, ...); exit 2 at --fail-on', load: () => import('./commands/scan.js') },
  brief: { summary: 'the daily briefing: highlights first, details after', load: () => import('./commands/brief.js') },
  dispatch: { summary: 'claim a sprint for a role and print the briefing prompt', load: () => import('./commands/dispatch.js') },
  plan: { summary: 'check or apply a plan of steps with dependencies (.agent/plans/)', load: () => import('./commands/plan.js') },
  ready: { summary: 'the plan steps that can be dispatched now, and what the others wait on', load: () => import('./commands/ready.js') },
  archive: { summary: 'move finished and old entries to status/archive/<sprint>/', load: () => import('./commands/archive.js') },
  review: { summary: 'the coordination changes since a git ref', load: () => import('./commands/review.js') },
  notion: { summary: 'check, set up and sync the Notion dashboard', load: () => import('./commands/notion.js') },
  watch: { summary: 'the chief-of-staff process: react to every entry as it lands', load: () => import('./commands/watch.js') },
  notify: { summary: 'review and approve the notify routes of coordination.yaml (cos watch runs only approved ones)', load: () => import('./commands/notify.js') },
  board: { summary: 'the team at a glance, live, in a browser (read-only local web page)', load: () => import('./commands/board.js') },
  sync: { summary: 'sync roles and skills between .agent/ and the local agent directory', load: () => import('./commands/sync.js') },
  cleanup: { summary: 'find cruft (temp files, stale locks, empty todos); delete with --apply', load: () => import('./commands/cleanup.js') },
  setup: { summary: 'install agent hooks (claude) or protocol instructions (agents-md)', load: () => import('./commands/setup.js') },
  approve: { summary: 'let a command the guard denied through once (a person, not the agent)', load: () => import('./commands/approve.js') },
  lease: { summary: 'lease repository paths for your work (other agents keep off them)', load: () => import('./commands/lease.js') },
  release: { summary: 'give back path leases', load: () => import('./commands/release.js') },
  guard: { summary: 'git hook guards: pre-commit refuses commits touching paths another agent leased', load: () => import('./commands/guard.js') },
  hook: { summary: 'run an agent hook (installed by cos setup claude; reads the hook JSON on stdin)', load: () => import('./commands/hook.js') },
  mcp: { summary: 'serve the same operations over MCP (stdio)', load: () => import('./commands/mcp.js') },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const rows = Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return [
    'cos — a git-native chief of staff for teams of AI coding agents',
    '',
    'Usage: cos <command> [options]      (cos <command> --help for its options)',
    '',
    'Commands:',
    ...rows,
    '  health' + ' '.repeat(Math.max(0, width - 6)) + '  alias of scan',
    '',
    'Every command takes --dir <path> (default: the nearest ancestor holding .agent/) and --json.',
    'Exit codes: 0 ok; 1 bad usage or input; 2 scan found a problem; 3 refused (conflict, escalation,',
    'another watcher); 4 preflight failed; 5 an external service (Notion, git) failed.',
    '',
    'Start here: cos init && cos post --sprint my-sprint --agent me --status IN_PROGRESS && cos status',
    '',
  ].join('\n');
}

export async function main(argv: string[], io: Partial<CommandContext> = {}): Promise<number> {
  const stdout = io.stdout ?? ((text: string) => void process.stdout.write(text));
  const stderr = io.stderr ?? ((text: string) => void process.stderr.write(text));
  const { name, rest } = splitCommand(argv);
  if (!name) {
    if (rest.includes('--version') || rest.includes('-v')) {
      stdout(`${COS_VERSION}\n`);
      return EXIT.ok;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      stdout(usage());
      return EXIT.ok;
    }
    stderr(`${usage()}\ncos: no command given.\n`);
    return EXIT.usage;
  }
  if (name === 'help') {
    const topic = rest.find((token) => !token.startsWith('-'));
    if (!topic) {
      stdout(usage());
      return EXIT.ok;
    }
    return main([topic, '--help'], io);
  }
  const command = ALIASES[name] ?? name;
  const entry = COMMANDS[command];
  if (!entry) {
    stderr(`cos: unknown command ${JSON.stringify(name)}; run cos --help for the list.\n`);
    return EXIT.usage;
  }
  return runCommand(command, rest, io, entry.load);
}

function isEntryPoint(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

let started = false;

/**
 * Run as the `cos` binary (once). The bundled dist/cli.js calls it; the unbundled module calls it
 * when it is the script node was started with, never when imported (tests import main()).
 */
export function runAsBinary(): void {
  if (started) return;
  started = true;
  runBinary((argv) => main(argv));
}

if (isEntryPoint()) runAsBinary();
