/**
 * `.agent/state/notion-sync.log` (git-ignored): one line per failed sprint sync,
 * `<ISO time> <sprint> <code> <message>`. Never the token: every message passes through
 * `redact` first. Rotated to `notion-sync.log.1` past 1 MiB, so it stays bounded.
 */
import { repositoryRoots } from '../trust/roots.js';
import { join } from 'node:path';
import { appendLog as appendLocalLog } from '../store/local-files.js';
import { agentPaths } from '../store/paths.js';
import { isoSeconds } from '../protocol/time.js';

export const LOG_FILE = 'notion-sync.log';
const MAX_LOG_BYTES = 1024 * 1024;

export interface LogLine {
  at: Date;
  sprint: string;
  code: string;
  message: string;
}

export function logPath(root: string): string {
  return join(agentPaths(root).state, LOG_FILE);
}

/** Remove the secret from a text, whatever echoed it. */
export function redact(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return text;
  let out = text;
  for (const form of secretForms(secret)) out = out.split(form).join('[redacted]');
  return out;
}

/**
 * The forms in which a secret can come back inside a message: as it is, URL-encoded (a query or
 * a form body), JSON-escaped, base64 and base64url (Basic auth, a token echoed in a payload), and
 * the base64 of `Bearer <secret>`; longest first, so a longer form is not half-replaced.
 */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  for (const text of [secret, `Bearer ${secret}`, `:${secret}`]) {
    const base64 = Buffer.from(text, 'utf8').toString('base64');
    forms.add(base64.replace(/=+$/, ''));
    forms.add(Buffer.from(text, 'utf8').toString('base64url'));
  }
  return [...forms].filter((form) => form.length >= 4).sort((a, b) => b.length - a.length);
}

export function formatLogLine(line: LogLine): string {
  const message = line.message.replace(/[\r\n\t]+/g, ' ').trim();
  return `${isoSeconds(line.at)} ${line.sprint} ${line.code} ${message}\n`;
}

/** Append the lines; a log that cannot be written never fails the sync (the summary still says it). */
export function appendLog(root: string, lines: readonly LogLine[], secret?: string): void {
  if (lines.length === 0) return;
  appendLocalLog(logPath(root), lines.map((line) => redact(formatLogLine(line), secret)).join(''), repositoryRoots(root), MAX_LOG_BYTES);
}
