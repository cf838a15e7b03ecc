/**
 * The one way a hook writes an entry: on behalf of the session's identity (its sprint, its agent),
 * with the repository's default ttl — the guard's denial NOTE, the notification hook's needs-human
 * NOTE and its resolution, the stop hook's warning.
 */
import { loadConfig } from '../config/load.js';
import type { Entry } from '../protocol/fields.js';
import { postEntry, type PostInput } from '../store/write.js';
import type { Identity } from './identity.js';

/** Post `fields` as `identity` at `now` (the ttl defaults to coordination.yaml's ttl_minutes). */
export function postAs(root: string, identity: Identity, fields: Omit<PostInput, 'sprint' | 'agent' | 'now'>, now: Date): Entry {
  const { config } = loadConfig(root);
  return postEntry(root, { ...fields, sprint: identity.sprint, agent: identity.agent, now }, { defaultTtl: config.ttl_minutes });
}
