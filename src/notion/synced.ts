/**
 * Which entries are already mirrored to Notion, read from the local sync ledger without loading
 * the Notion client. Null when sync is not configured (then nothing counts as unsynced).
 * Placeholder until the Notion sync lands: sync is never configured.
 */
export function loadSynced(_root: string): ReadonlySet<string> | null {
  return null;
}
