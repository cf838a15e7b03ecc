import { InputError } from '../errors.js';
import { SEVERITIES, type Severity } from '../protocol/fields.js';
import { styleFor } from '../output/style.js';
import { eventToJson, eventToText, type WatchEvent } from '../watch/events.js';
import { startWatch, watchOnce, type WatchOptions, type WatchSession } from '../watch/session.js';
import { intFlag, parseCommand, type CommandContext } from './context.js';
import { defineFlags, flagsHelp } from './flags.js';

export const flags = defineFlags({
  json: { type: 'boolean', help: 'one JSON object per line: {"version":1,"event":"finding"|"resolved"|"reescalated"|"ready"|"spawned"|"synced"|"error"|"watching"|"summary", "finding"?:{...}, "at":"<ISO time>"}; a reescalated event carries a finding nobody acknowledged, raised again every escalation.repeat_minutes; a ready event ({"sprint","role","plan","title"}) comes when a plan step becomes READY (its dependencies finished; "initial": true for those READY at start)' },
  'quiet-start': { type: 'boolean', help: 'do not print the findings already open at start (they are still tracked)' },
  exec: { type: 'string', value: 'CMD', help: 'run CMD through your shell for each NEW finding at or above --exec-on, with COS_KIND, COS_SEVERITY, COS_SPRINT, COS_FILES, COS_MESSAGE, COS_ACTION set and the finding as JSON on stdin; killed after watch.exec_timeout_seconds (10)' },
  'exec-on': { type: 'string', value: 'SEVERITY', help: 'INFO | WARN | URGENT (default) | BLOCKER' },
  'no-notion': { type: 'boolean', help: 'do not sync to Notion even when notion-sync.yaml is configured' },
  once: { type: 'boolean', help: 'read everything once, print every finding and a summary, exit (no lock)' },
  spawn: { type: 'string', value: 'CMD', help: 'run the team: for each READY plan step, win its dispatch claim (the DISPATCHED entry, agent <role>-<sprint>), then start CMD through your shell, detached, with COS_SPRINT, COS_ROLE, COS_AGENT, COS_PLAN, COS_DIR and COS_BRIEFING (a file holding the briefing prompt) set, output to .agent/state/spawn/<sprint>.log. Each spawn is recorded in a ledger (spawned.jsonl) shared by every worktree: a sprint is never started twice, also after a restart. Spawned agents outlive the watcher (stopping cos watch does not stop them); --exec commands do not.' },
  'max-parallel': { type: 'string', value: 'N', help: 'at most N plan sprints held by spawned agents at once (default 1); a slot frees when the agent posts COMPLETE or FAILED' },
  dir: { type: 'string', value: 'PATH', help: 'the repository (default: the nearest ancestor holding .agent/)' },
});

export const help = `Usage: cos watch [--json] [--quiet-start] [--exec CMD [--exec-on SEVERITY]] [--no-notion] [--once]
                 [--spawn CMD [--max-parallel N]]

The chief-of-staff process: watches .agent/status/ of every worktree of the repository (and
notices worktrees added or removed while it runs) and prints a line for every new finding
(escalation, conflict, stale agent, malformed file, ...) and every resolved one, as it happens.
Stale agents are reported when their heartbeat + ttl runs out, without any file event; a full
re-read every watch.reconcile_seconds (coordination.yaml, default 60) catches anything missed.
One watcher per repository, whichever worktree it runs in (lock: .git/cos/watch.lock in git,
.agent/state/watch.lock outside).

The notify routes of coordination.yaml (notify: {URGENT: "<command>", ...}) run, besides --exec,
for new and re-escalated findings of their severity — but they are the repository's commands, so
only once approved on this machine (cos notify allow); a new or changed route is not run, and
the watcher says so once.

Options:
${flagsHelp(flags)}

Signals: SIGINT/SIGTERM stop cleanly (exit 0); SIGUSR2 prints a summary of the state in memory.
Exit codes: 0 stopped cleanly; 1 bad usage or config; 3 another cos watch runs on this
repository (its pid, host and start time are named).

Example:
  cos watch --exec 'notify-send "cos: $COS_SEVERITY $COS_KIND" "$COS_MESSAGE"'`;

export async function run(context: CommandContext): Promise<number> {
  const { values, root, json } = parseCommand(context, flags);
  if (values.spawn !== undefined && values.spawn.trim() === '') throw new InputError('--spawn needs a command, e.g. --spawn \'claude -p "$(cat "$COS_BRIEFING")"\'.');
  const maxParallel = intFlag('max-parallel', values['max-parallel']);
  if (maxParallel !== undefined && values.spawn === undefined) throw new InputError('--max-parallel needs --spawn "<command>" to run.');
  if (values.spawn !== undefined && values.once) throw new InputError('--spawn runs the team while cos watch runs; it cannot be used with --once.');
  if (values.exec !== undefined && values.exec.trim() === '') throw new InputError('--exec needs a command, e.g. --exec "notify-send cos \\"$COS_MESSAGE\\"".');
  let minSeverity: Severity = 'URGENT';
  if (values['exec-on'] !== undefined) {
    const value = values['exec-on'].toUpperCase();
    if (!SEVERITIES.includes(value as Severity)) throw new InputError(`Invalid --exec-on ${JSON.stringify(values['exec-on'])}: use one of ${SEVERITIES.join(', ')}.`);
    if (values.exec === undefined) throw new InputError('--exec-on needs --exec "<command>" to run.');
    minSeverity = value as Severity;
  }
  const style = styleFor(context.isTTY, context.env);
  let outputClosed = false;
  const emit = (event: WatchEvent) => {
    if (!outputClosed) context.stdout(`${json ? eventToJson(event) : eventToText(event, style)}\n`);
  };
  const options: WatchOptions = {
    root,
    now: context.now,
    env: context.env,
    emit,
    quietStart: values['quiet-start'] === true,
    notion: values['no-notion'] !== true,
    ...(values.exec !== undefined ? { exec: { command: values.exec, minSeverity } } : {}),
    ...(values.spawn !== undefined ? { spawn: { command: values.spawn, maxParallel: maxParallel ?? 1 } } : {}),
  };
  if (values.once) return watchOnce(options);

  // Signals are handled from the start: one that arrives while the watcher starts stops it
  // right after (with the lock released), never kills it half-way.
  let session: WatchSession | null = null;
  let stopRequested = false;
  const onStop = () => {
    stopRequested = true;
    void session?.stop(0);
  };
  const onSummary = () => session?.summarize('signal');
  const stopSignals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of stopSignals) process.on(signal, onStop);
  if (process.platform !== 'win32') process.on('SIGUSR2', onSummary);
  // The reader of our stdout went away (`cos watch --json | head -3`): stop like on SIGTERM.
  // The listener stays: further write errors of a closed pipe are expected, not a crash.
  const onOutputError = () => {
    outputClosed = true;
    onStop();
  };
  process.stdout.on('error', onOutputError);
  try {
    session = await startWatch(options);
    if (stopRequested) void session.stop(0);
    return await session.done;
  } finally {
    for (const signal of stopSignals) process.off(signal, onStop);
    if (process.platform !== 'win32') process.off('SIGUSR2', onSummary);
    if (!outputClosed) process.stdout.off('error', onOutputError);
  }
}
