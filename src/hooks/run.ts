/**
 * The hooks `cos setup claude` installs, as Claude Code runs them: JSON on stdin, cwd = the
 * project. A hook never breaks the agent's session: whatever happens it returns normally (exit
 * 0); a bad input or a failure is one line in `.agent/state/hooks.log`, and a directory without
 * `.agent/` is not a cos project, so the hook does nothing there at all.
 *
 * Start-up cost matters for post-tool-use (it runs after every tool call): this module loads only
 * node:fs/path and small pure modules; the store, the config (yaml) and the briefing are imported
 * only when a hook actually has work to do.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { agentPaths, findRoot } from '../store/paths.js';
import { identityFromEnv, identityFromTool, type Identity } from './identity.js';
import { parseHookInput, type HookInput } from './input.js';
import { logHook, readSession, sameIdentity, writeSession, type SessionRecord } from './session.js';
import { isoSeconds } from '../protocol/time.js';

export const HOOK_EVENTS = ['session-start', 'post-tool-use', 'stop'] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

export interface HookRun {
  event: HookEvent;
  /** The hook JSON as read from stdin. */
  stdin: string;
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

/** The repository: --dir, else the nearest ancestor with `.agent/` of the hook's cwd, the project dir, our cwd. */
function findProject(run: HookRun, input: HookInput | null): string | null {
  if (run.dir !== undefined) {
    const dir = resolve(run.cwd, run.dir);
    return isProject(dir) ? dir : null;
  }
  for (const start of [input?.cwd, run.env.CLAUDE_PROJECT_DIR, run.cwd]) {
    if (!start || !existsSync(start)) continue;
    const root = findRoot(start);
    if (isProject(root)) return root;
  }
  return null;
}

function message(error: unknown): string {
  const err = error as NodeJS.ErrnoException;
  return err?.code ? `${err.code}: ${err.message}` : String(err?.message ?? err);
}

export async function runHook(run: HookRun): Promise<void> {
  const parsed = parseHookInput(run.stdin);
  const root = findProject(run, parsed.ok ? parsed.input : null);
  if (root === null) return;
  const state = agentPaths(root).state;
  if (!parsed.ok) {
    logHook(state, run.event, parsed.reason, run.now);
    return;
  }
  try {
    if (run.event === 'post-tool-use') await postToolUse(root, state, parsed.input, run);
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
  const previous = readSession(state, input.session_id);
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
