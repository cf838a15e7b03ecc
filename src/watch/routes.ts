/**
 * Notify routes (`notify:` in coordination.yaml) are shell commands that the repository chooses,
 * so a cloned repository must not get them run by `cos watch` on its own say (docs/security.md).
 * Like direnv's `allow`, a route runs only once a person approved that exact command for that
 * severity on this machine (`cos notify allow`); a route changed since (after a pull, say) waits
 * for a new approval. `--exec`, typed by the user, needs none.
 *
 * An approval is the sha256 of `<SEVERITY>\n<command>`, kept where a clone cannot put it
 * (src/trust/approvals.ts: the git common directory, or the user's state directory).
 */
import { createHash } from 'node:crypto';
import { SEVERITIES, type Severity } from '../protocol/fields.js';
import { addApprovals, writeApprovals, type ApprovalStore } from '../trust/approvals.js';

export const CONFIG_FILE = '.agent/config/coordination.yaml';

export interface Route {
  severity: Severity;
  command: string;
  /** sha256 of `<severity>\n<command>`: what an approval records. */
  sha256: string;
}

export function routeHash(severity: Severity, command: string): string {
  return createHash('sha256').update(`${severity}\n${command}`).digest('hex');
}

/** The routes of a config's `notify:`, in severity order. Pure. */
export function listRoutes(notify: Partial<Record<Severity, string>>): Route[] {
  return SEVERITIES.flatMap((severity) => {
    const command = notify[severity];
    return command === undefined ? [] : [{ severity, command, sha256: routeHash(severity, command) }];
  });
}

/** The routes no approval covers. Pure. */
export function unapproved(routes: readonly Route[], approved: ReadonlySet<string>): Route[] {
  return routes.filter((route) => !approved.has(route.sha256));
}

/** What `cos watch` says, once, about routes it does not run: one sentence. Pure. */
export function unapprovedSentence(routes: readonly Route[]): string {
  const which = routes.map((route) => route.severity).join(', ');
  const one = routes.length === 1;
  return `The notify route${one ? '' : 's'} for ${which} in ${CONFIG_FILE} ${one ? 'is' : 'are'} not approved on this machine (new, or changed since approved), so cos watch does not run ${one ? 'it' : 'them'}; review with cos notify and approve with cos notify allow.`;
}

/** Record `routes` as approved, beside those approved before. */
export function approveRoutes(store: ApprovalStore, routes: readonly Route[]): void {
  addApprovals(store, 'approved_sha256', routes.map((route) => route.sha256));
}

/** Forget every route approval of this repository: no route runs until approved again. */
export function revokeApprovals(store: ApprovalStore): void {
  writeApprovals(store, 'approved_sha256', new Set());
}
