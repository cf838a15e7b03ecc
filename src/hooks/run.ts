/**
 * The hooks `cos setup claude` installs, as Claude Code runs them: JSON on stdin, cwd = the
 * project. A hook never breaks the agent's session: whatever happens it returns normally (exit
 * 0); a bad input or a failure is one line in `.agent/state/hooks.log`, and a directory without
 * `.agent/` is not a cos project, so the hook does nothing there at all.
 *
 * Start-up cost matters (pre- and post-tool-use run around every tool call): this module loads
 * node:fs/path, small pure modules and the guard's decision (settings, prefilter, rules); the
 * store, the config (yaml, zod) and the briefing are imported only when a hook actually has work
 * to do (src/hooks/work.ts gathers them for the hook bundle, dist/hook-work.js).
 */
import { checkLayout } from '../trust/layout.js';
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { agentPaths, findRoot } from '../store/paths.js';
import { isLinkedWorktreeTop } from '../store/worktrees.js';
import { identityFromEnv, identityFromTool, type Identity } from './identity.js';
import { parseHookInput, type HookInput } from './input.js';
import { logHook, readSession, sameIdentity, writeSession, type SessionRecord } from './session.js';
import { isoSeconds } from '../protocol/time.js';
import { gitConfigOf } from '../guard/git-config.js';
import { currentBranchOf, remoteDefaultBranchOf } from '../guard/git-files.js';
import { stashFilesOf } from '../guard/stash-files.js';
import { cleanFilesOf } from '../guard/clean-files.js';
import { filesUnder } from '../guard/files-under.js';
import { changedFilesOf } from '../guard/changed-files.js';
import { cwdInAgent, mayBeDenied } from '../guard/prefilter.js';
import { approvalsUsedDir } from '../guard/approval-use.js';
import { realPathOf } from '../guard/real-path.js';
import { decideTool, isCosReporting, type GuardDecision } from '../guard/rules.js';
import { guardSettings } from '../guard/settings.js';

/** How a hook's log line about unread stdin begins. */
export const STDIN_NOT_READ = 'hook input on stdin was not read: ';

export const HOOK_EVENTS = ['session-start', 'pre-tool-use', 'post-tool-use', 'notification', 'stop'] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

export interface HookRun {
  event: HookEvent;
  /** The hook JSON as read from stdin. */
  stdin: string;
  /** Why stdin could not be read (past its bound): logged instead of parsing. */
  stdinProblem?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** `--dir`, when given. */
  dir?: string;
  now: Date;
  stdout: (text: string) => void;
}

function isProject(dir: string): boolean {
  try {
    return statSync(join(dir, '.agent')).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The repository: --dir, else the nearest ancestor with `.agent/` of the hook's cwd (from its JSON),
 * of our own cwd, then of $CLAUDE_PROJECT_DIR. The search from a directory stops at the top of a
 * linked git worktree (store/paths.ts findRoot): a worktree nested in the main checkout (Claude
 * Code's `.claude/worktrees/<x>`) is its own project, with its own `.agent/`, and one without
 * `.agent/` is no cos project — never its main checkout, whatever $CLAUDE_PROJECT_DIR says (cos
 * writes only into the worktree it runs in). $CLAUDE_PROJECT_DIR serves a session whose cwd is
 * outside any checkout.
 */
function findProject(run: HookRun, input: HookInput | null): string | null {
  if (run.dir !== undefined) {
    const dir = resolve(run.cwd, run.dir);
    return isProject(dir) ? dir : null;
  }
  for (const start of [input?.cwd, run.cwd, run.env.CLAUDE_PROJECT_DIR]) {
    if (!start || !existsSync(start)) continue;
    const root = findRoot(start);
    if (isProject(root)) return root;
    if (isLinkedWorktreeTop(root)) return null;
  }
  return null;
}

function message(error: unknown): string {
  const err = error as NodeJS.ErrnoException;
  return err?.code ? `${err.code}: ${err.message}` : String(err?.message ?? err);
}

export async function runHook(run: HookRun): Promise<void> {
  const parsed: ReturnType<typeof parseHookInput> = run.stdinProblem !== undefined ? { ok: false, reason: run.stdinProblem } : parseHookInput(run.stdin);
  const root = findProject(run, parsed.ok ? parsed.input : null);
  if (root === null) return;
  const state = agentPaths(root).state;
  if (!parsed.ok) {
    logHook(state, run.event, parsed.reason, run.now);
    return;
  }
  try {
    checkLayout(root);
    if (run.event === 'post-tool-use') await postToolUse(root, state, parsed.input, run);
    else if (run.event === 'pre-tool-use') await preToolUse(root, state, parsed.input, run);
    else if (run.event === 'notification') await notification(root, state, parsed.input, run);
    else if (run.event === 'session-start') await sessionStart(root, state, parsed.input, run);
    else await stop(root, state, parsed.input, run);
  } catch (error) {
    logHook(state, run.event, `session ${parsed.input.session_id}: ${message(error)}`, run.now);
  }
}

function record(input: HookInput, identity: Identity, source: SessionRecord['source'], now: Date, previous: SessionRecord | null): SessionRecord {
  return {
    version: 1,
    session_id: input.session_id,
    sprint: identity.sprint,
    agent: identity.agent,
    source,
    ...(previous && sameIdentity(previous, identity) && previous.due_at !== undefined ? { due_at: previous.due_at } : {}),
    ...(previous && sameIdentity(previous, identity) && previous.min_interval_seconds !== undefined ? { min_interval_seconds: previous.min_interval_seconds } : {}),
    updated: isoSeconds(now),
  };
}

/**
 * After every tool call: learn the identity from the agent's own cos post/heartbeat, then refresh
 * its open entry's heartbeat when due. Fast path: the session record says the next heartbeat is
 * not due yet → return after reading stdin and one small file.
 */
async function postToolUse(root: string, state: string, input: HookInput, run: HookRun): Promise<void> {
  const previous = await answerNeedsHuman(root, state, input, run, readSession(state, input.session_id));
  const fromEnv = identityFromEnv(run.env);
  const learned = fromEnv ? null : identityFromTool(input.tool_name, input.tool_input);
  const identity = fromEnv ?? learned ?? (previous ? { sprint: previous.sprint, agent: previous.agent } : null);
  if (!identity) return;
  const now = run.now.getTime();
  if (previous && sameIdentity(previous, identity) && previous.due_at !== undefined && previous.min_interval_seconds !== undefined) {
    const wait = previous.due_at - now;
    // Not due yet (and the record is not from a clock that has since gone backwards).
    if (wait > 0 && wait <= previous.min_interval_seconds * 1000) return;
  }
  if (!fromEnv && !learned && previous?.source === 'session') return;
  const source: SessionRecord['source'] = fromEnv ? 'env' : previous && sameIdentity(previous, identity) && !learned ? previous.source : 'learned';
  const { refreshHeartbeat } = await import('./refresh.js');
  let next: SessionRecord;
  try {
    const { dueAt, minIntervalSeconds } = await refreshHeartbeat(root, identity, run.now);
    next = { ...record(input, identity, source, run.now, null), due_at: dueAt, min_interval_seconds: minIntervalSeconds };
  } catch (error) {
    // Try again in a minute, not after every tool call.
    next = { ...record(input, identity, source, run.now, null), due_at: now + 60_000, min_interval_seconds: 60 };
    writeSession(state, next);
    throw error;
  }
  writeSession(state, next);
}

/** At session start: record an identity from the environment, and print the briefing. */
async function sessionStart(root: string, state: string, input: HookInput, run: HookRun): Promise<void> {
  const previous = readSession(state, input.session_id);
  const fromEnv = identityFromEnv(run.env);
  const identity: Identity | null = fromEnv ?? (previous ? { sprint: previous.sprint, agent: previous.agent } : null);
  if (fromEnv) writeSession(state, record(input, fromEnv, 'env', run.now, previous));
  const { briefingFor } = await import('./refresh.js');
  run.stdout(briefingFor(root, identity, run.now));
}

/** At stop: an agent whose latest entry is still open gets a WARN entry saying so. */
async function stop(root: string, state: string, input: HookInput, run: HookRun): Promise<void> {
  const previous = readSession(state, input.session_id);
  const identity = identityFromEnv(run.env) ?? (previous ? { sprint: previous.sprint, agent: previous.agent } : null);
  if (!identity) return;
  const { warnIfOpen } = await import('./refresh.js');
  const posted = warnIfOpen(root, identity, input.session_id, run.now);
  if (posted) logHook(state, 'stop', `session ${input.session_id}: posted ${posted} (entry left open)`, run.now);
}

/**
 * Who a session is when neither the environment nor the agent's own reporting said so yet: sprint
 * `unassigned`, agent `session-<first 12 letters and digits of the session id>`. Guard denials
 * and needs-human NOTEs of such a session still land somewhere a person sees them.
 */
export function sessionIdentity(sessionId: string): Identity {
  const id = sessionId.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 12) || 'unknown';
  return { sprint: 'unassigned', agent: `session-${id}` };
}

function identityOf(input: HookInput, run: HookRun, previous: SessionRecord | null): Identity {
  return identityFromEnv(run.env) ?? identityFromTool(input.tool_name, input.tool_input) ?? (previous ? { sprint: previous.sprint, agent: previous.agent } : null) ?? sessionIdentity(input.session_id);
}

/** A tool call after a needs-human NOTE: the agent is back, resolve it (once). Returns the session record as it is now. */
async function answerNeedsHuman(root: string, state: string, input: HookInput, run: HookRun, previous: SessionRecord | null): Promise<SessionRecord | null> {
  if (!previous?.needs_human) return previous;
  const { needs_human: file, ...rest } = previous;
  const next: SessionRecord = { ...rest, updated: run.now.toISOString() };
  writeSession(state, next);
  const { resolveNeedsHuman } = await import('./guard.js');
  const written = resolveNeedsHuman(root, { sprint: previous.sprint, agent: previous.agent }, file, run.now);
  if (written) logHook(state, run.event, `session ${input.session_id}: ${written.path} resolves ${file} (the agent is back)`, run.now);
  return next;
}

const ADVICE: Record<string, string> = {
  'force-push': 'Push to a branch of your own instead (or open a pull request)',
  'recursive-delete-outside-repo': 'Delete only inside the repository, naming the exact paths',
  'drop-database': 'Do not drop the database; ask a person if it must go',
  'self-approval': 'Ask a person to approve it',
  'config-edit': 'Ask a person to change .agent/config/ (propose the change in your report)',
  'status-edit': 'Report with cos post / cos resolve; a person approves with cos approve',
  'too-complex': 'Split it into simpler commands (fewer brace words, less nesting of bash -c / eval / $( )), or ask a person to approve it',
};

/**
 * Before every tool call: the guard. A call it denies gets Claude Code's permissionDecision JSON
 * on stdout (the agent sees the reason) and a BLOCKER NOTE; a call from an agent whose sprint is
 * over budget is denied unless it only reports to cos. Allowed calls print nothing, so Claude
 * Code's own permission rules still apply. Fast path: no denial, no budget → nothing is read but
 * the hook JSON, the cached guard settings and the session record.
 */
async function preToolUse(root: string, state: string, input: HookInput, run: HookRun): Promise<void> {
  const tool = input.tool_name;
  if (!tool) return;
  const toolInput = input.tool_input ?? {};
  const settings = await guardSettings(root);
  if (settings.problem !== undefined) logHook(state, 'pre-tool-use', `session ${input.session_id}: ${settings.problem}; the guard applies its default rules until coordination.yaml is fixed`, run.now);
  // Only Bash and the file-writing tools can do what the rules deny: the rest (Read, Grep, MCP
  // tools, ...) are never parsed, nor is a command without any word a rule needs.
  // A cwd inside .agent/ (Claude Code keeps `cd` between calls) makes every command parsed.
  let guarded = GUARDED_TOOLS.has(tool);
  const cwd = input.cwd !== undefined && existsSync(input.cwd) ? resolve(input.cwd) : root;
  if (guarded && tool === 'Bash' && typeof toolInput.command === 'string') {
    guarded = mayBeDenied(toolInput.command, settings.deny) || settings.budget !== null || cwdInAgent(realPathOf(root), realPathOf(cwd));
  }
  let decision: GuardDecision = { decision: 'allow' };
  if (guarded) {
    decision = decideTool(tool, toolInput, {
      root,
      cwd,
      home: homedir(),
      deny: settings.deny,
      protectedBranches: settings.protected_branches,
      currentBranch: () => currentBranchOf(cwd),
      remoteDefaultBranch: (remote) => remoteDefaultBranchOf(cwd, remote),
      gitConfig: () => gitConfigOf(cwd),
      realPath: realPathOf,
      approvalsUsedDir: () => approvalsUsedDir(root),
      stashFiles: (ref) => stashFilesOf(cwd, ref),
      cleanFiles: (dir, dryRun) => cleanFilesOf(dir, dryRun),
      filesUnder,
      changedFiles: (dir) => changedFilesOf(dir),
    });
  }
  const previous = await answerNeedsHuman(root, state, input, run, readSession(state, input.session_id));
  const identity = identityOf(input, run, previous);
  if (decision.decision === 'deny') {
    const { denyOrApprove } = await import('./guard.js');
    let where = '';
    try {
      const outcome = await denyOrApprove(root, identity, decision, settings.approval_minutes, run.now);
      if ('approved' in outcome) {
        logHook(state, 'pre-tool-use', `session ${input.session_id}: ${identity.agent} ran an approved command (${outcome.approved}): ${decision.command}`, run.now);
        return;
      }
      where = ` A person can let exactly this command through once with: cos approve ${outcome.note.file} (${outcome.fresh ? 'posted' : 'already posted'} as ${outcome.note.path}).`;
    } catch (error) {
      logHook(state, 'pre-tool-use', `session ${input.session_id}: the denial NOTE could not be written: ${message(error)}`, run.now);
    }
    const advice = ADVICE[decision.rule] ?? 'Find another way, or ask a person';
    denyToolCall(run, `cos guard denied this (rule ${decision.rule}): ${decision.why}. ${advice}; do not retry the same command.${where}`);
    return;
  }
  // The budget gate: only when a budget is configured, never for cos's own reporting.
  if (settings.budget === null || identity.sprint === 'unassigned' || COS_MCP_TOOL.test(tool)) return;
  if (tool === 'Bash' && isCosReporting(tool, toolInput)) return;
  const { overBudget } = await import('./guard.js');
  const over = overBudget(root, identity, run.now);
  if (over) {
    denyToolCall(
      run,
      `cos guard denied this tool call: ${over}. Stop and report: cos post --sprint ${identity.sprint} --agent ${identity.agent} --status BLOCKED --severity URGENT --message "over budget: <what is left to do>" (cos commands still work); a person raises budget_usd_per_sprint or approves the spend.`,
    );
  }
}

const GUARDED_TOOLS: ReadonlySet<string> = new Set(['Bash', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit']);
const COS_MCP_TOOL = /^mcp__(?:cos|agent-cos)__/;

function denyToolCall(run: HookRun, reason: string): void {
  run.stdout(`${JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } })}\n`);
}

const NOTIFICATION_TYPE = /^[a-z0-9][a-z0-9_.-]{0,39}$/;

/** Claude Code waits on a person: an URGENT NOTE by the agent (one per wait, until a tool call answers it). */
async function notification(root: string, state: string, input: HookInput, run: HookRun): Promise<void> {
  const previous = readSession(state, input.session_id);
  const { postNeedsHuman, needsHumanOpen } = await import('./guard.js');
  // Still waiting on the same person: nothing new. Once resolved (a person's cos resolve, an entry
  // of the agent), the next notification is a new wait.
  if (previous?.needs_human && needsHumanOpen(root, previous.needs_human)) return;
  const fromEnv = identityFromEnv(run.env);
  const identity = fromEnv ?? (previous ? { sprint: previous.sprint, agent: previous.agent } : sessionIdentity(input.session_id));
  const type = input.notification_type !== undefined && NOTIFICATION_TYPE.test(input.notification_type) ? input.notification_type : 'notification';
  const note = postNeedsHuman(root, identity, { notification_type: type, message: input.message ?? '', title: input.title ?? '', session_id: input.session_id }, run.now);
  const base: SessionRecord = previous && sameIdentity(previous, identity)
    ? previous
    : { version: 1, session_id: input.session_id, sprint: identity.sprint, agent: identity.agent, source: fromEnv ? 'env' : 'session', updated: run.now.toISOString() };
  writeSession(state, { ...base, needs_human: note.file, updated: run.now.toISOString() });
}
