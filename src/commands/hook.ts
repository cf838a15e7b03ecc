import { InputError } from '../errors.js';
import { HOOK_EVENTS, runHook, type HookEvent } from '../hooks/run.js';
import { parseCommand, readStdin, type CommandContext } from './context.js';
import { STDIN_NOT_READ } from '../hooks/run.js';

export const help = `Usage: cos hook <session-start | pre-tool-use | post-tool-use | notification | stop> [--dir D]

Run one of the Claude Code hooks that cos setup claude installs. Reads the hook JSON that Claude
Code writes on stdin (session_id, cwd, tool_name, ...) and always exits 0: a hook never breaks
the agent's session. Problems go to .agent/state/hooks.log (stdin longer than 16 MiB is logged
as such, naming the bound, and decides nothing); outside a cos project
(no .agent/ above the hook's cwd or $CLAUDE_PROJECT_DIR, or a linked git worktree without its
own .agent/ — never its main checkout's) it does nothing.

  session-start   print the agent's briefing (Claude Code adds it to the session's context):
                  its open entries and what cos brief says about its sprints
  pre-tool-use    the guard (docs/guard.md): deny a destructive command (guard.deny of
                  coordination.yaml: force pushes to shared branches, recursive deletes outside
                  the repository, dropping databases, your own patterns), an agent's own
                  cos approve, edits of .agent/config/, and — when budget_usd_per_sprint is set —
                  every tool call but cos reporting of an agent whose sprint is over budget.
                  Prints Claude Code's permissionDecision "deny" JSON with the reason and posts a
                  BLOCKER NOTE naming the command (once per agent and command until resolved);
                  a person lets it through once with cos approve FILE. A seat belt, not a
                  security boundary.
  post-tool-use   refresh the agent's open entry's heartbeat when the last one is older than
                  heartbeat.min_interval_seconds (default 60); otherwise return at once
  notification    the agent waits on a person (permission_prompt, idle_prompt, ...): an URGENT NOTE
                  with needs_human (finding needs-human), resolved by the agent's next tool call
  stop            when the agent's latest entry is still open, post a WARN entry saying so
                  (status IN_PROGRESS, once per open entry)

Which sprint and agent: COS_SPRINT and COS_AGENT in the environment, else learned from the
agent's own "cos post/heartbeat --sprint S --agent A" (Bash or the cos MCP server) and kept per
session in .agent/state/sessions/<session_id>.json. See docs/agents.md.

Example (what Claude Code does):
  echo '{"session_id":"abc","cwd":"'"$PWD"'","hook_event_name":"PostToolUse"}' | cos hook post-tool-use`;

export async function run(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommand(context, {}, { positionals: 1 });
  const event = positionals[0];
  if (!event || !(HOOK_EVENTS as readonly string[]).includes(event)) {
    throw new InputError(`${event === undefined ? 'Name the hook' : `Unknown hook ${JSON.stringify(event)}`}: use one of ${HOOK_EVENTS.join(', ')}; see cos hook --help.`);
  }
  const interactive = (context.stdin as NodeJS.ReadStream).isTTY === true;
  // Too much stdin is no hook JSON: the hook logs why (naming the bound), decides nothing, and
  // exits 0 like every hook (src/hooks/binary.ts does the same on the hooks' own path).
  let stdinProblem: string | undefined;
  const stdin = interactive
    ? ''
    : await readStdin(context).catch((error: unknown) => {
        stdinProblem = `${STDIN_NOT_READ}${(error as Error).message}`;
        return '';
      });
  await runHook({
    event: event as HookEvent,
    stdin,
    ...(stdinProblem !== undefined ? { stdinProblem } : {}),
    env: context.env,
    cwd: context.cwd,
    ...(values.dir !== undefined ? { dir: values.dir } : {}),
    now: context.now(),
    stdout: context.stdout,
  });
  return 0;
}
