/**
 * Per-session hook state in `.agent/state/sessions/<session_id>.json` (git-ignored, local):
 * whose session it is and when the next heartbeat is due. The post-tool-use fast path reads this
 * one small file and nothing else. Written by temp + rename: concurrent hooks of one session
 * (parallel tool calls) leave one complete record, never a torn one.
 */
import { dirname, join } from 'node:path';
import type { Roots } from '../trust/confine.js';
import { readBoundedText } from '../trust/read.js';
import { repositoryRoots } from '../trust/roots.js';
import { appendLog, writeFileAtomic } from '../store/local-files.js';
import type { Identity } from './identity.js';
import { isoSeconds } from '../protocol/time.js';

export interface SessionRecord {
  version: 1;
  session_id: string;
  sprint: string;
  agent: string;
  /** Where the identity came from: the environment, the agent's own cos post/heartbeat, or the session id (no identity yet). */
  source: 'env' | 'learned' | 'session';
  /** Before this time (ms since epoch) the post-tool-use hook does nothing. */
  due_at?: number;
  /** heartbeat.min_interval_seconds when due_at was set (a due_at further away than this is ignored). */
  min_interval_seconds?: number;
  /** The needs-human NOTE the notification hook wrote and no tool call has answered yet. */
  needs_human?: string;
  updated: string;
}

/** The repository of `<root>/.agent/state`. */
function stateRoots(state: string): Roots {
  return repositoryRoots(dirname(dirname(state)));
}

export function sessionsDir(state: string): string {
  return join(state, 'sessions');
}

export function readSession(state: string, sessionId: string): SessionRecord | null {
  try {
    const read = readBoundedText(join(sessionsDir(state), `${sessionId}.json`));
    if (!read.ok) return null;
    const value = JSON.parse(read.text) as SessionRecord;
    if (!value || typeof value.sprint !== 'string' || typeof value.agent !== 'string') return null;
    return value;
  } catch {
    return null;
  }
}

export function writeSession(state: string, record: SessionRecord): void {
  writeFileAtomic(join(sessionsDir(state), `${record.session_id}.json`), `${JSON.stringify(record)}\n`, stateRoots(state));
}

export function sameIdentity(a: Identity | null, b: Identity | null): boolean {
  return a !== null && b !== null && a.sprint === b.sprint && a.agent === b.agent;
}

const LOG_MAX_BYTES = 1024 * 1024;

/** One line in `.agent/state/hooks.log`; never throws (a hook must not fail on its log). */
export function logHook(state: string, event: string, message: string, now: Date): void {
  appendLog(join(state, 'hooks.log'), `${isoSeconds(now)} ${event} ${message.replace(/[\r\n]+/g, ' ')}\n`, stateRoots(state), LOG_MAX_BYTES);
}
