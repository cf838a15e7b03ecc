/**
 * The repo ↔ local agent directory sync, decided per file from three content hashes (pure):
 * the repository's copy (R), the local copy (L) and the copy recorded at the last sync (B, the
 * base). A side that still equals the base has not changed since, so the other side's change can
 * flow to it; when both sides changed (and differ) it is a conflict, left alone. Nothing is
 * overwritten that the last sync did not write.
 */
export type Direction = 'push' | 'pull';

/** What `cos sync` does with one role or skill. */
export type SyncAction =
  /** Both sides equal: nothing to do. */
  | 'unchanged'
  /** Copy to the destination side (it did not exist there). */
  | 'create'
  /** Copy over the destination side (unchanged there since the last sync). */
  | 'update'
  /** Remove from the destination side: the source removed it, the destination never changed it. */
  | 'delete'
  /** Only the destination side changed: this direction leaves it; the other direction takes it. */
  | 'skip'
  /** Changed on both sides since the last sync: left alone. */
  | 'conflict';

export interface FileState {
  /** `roles/<name>.md` or `skills/<skill>/<path>`. */
  key: string;
  repo: string | null;
  local: string | null;
  base: string | null;
}

/** What `cos sync` plans per role and skill before copying. */
export interface PlannedSync {
  key: string;
  action: SyncAction;
  /** The hash both sides hold afterwards (what the record keeps), null when gone from both. */
  after: string | null;
  /** For skip and conflict: why, in words. */
  reason?: string;
}

export function planFile(state: FileState, direction: Direction): PlannedSync {
  const source = direction === 'push' ? state.repo : state.local;
  const dest = direction === 'push' ? state.local : state.repo;
  const { key, base } = state;
  const sourceSide = direction === 'push' ? '.agent/' : 'the local directory';
  const destSide = direction === 'push' ? 'the local directory' : '.agent/';
  const other = direction === 'push' ? 'cos sync --pull' : 'cos sync (--push)';
  if (source === dest) return { key, action: 'unchanged', after: source };
  if (dest === base) {
    if (source === null) return { key, action: 'delete', after: null };
    return { key, action: dest === null ? 'create' : 'update', after: source };
  }
  if (source === base) {
    return { key, action: 'skip', after: base, reason: `changed only in ${destSide} since the last sync; ${other} carries it over` };
  }
  const what = base === null ? `differs between ${sourceSide} and ${destSide} and was never synced` : `changed in both ${sourceSide} and ${destSide} since the last sync`;
  return { key, action: 'conflict', after: base, reason: `${what}; left alone — keep one version (copy it over the other), then run cos sync again` };
}

export function planSync(states: readonly FileState[], direction: Direction): PlannedSync[] {
  return [...states].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((state) => planFile(state, direction));
}
