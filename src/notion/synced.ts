/**
 * Which entries are already mirrored to Notion, read from the local sync ledger without loading
 * the Notion client. Null when sync is not configured (then nothing counts as unsynced).
 *
 * The ledger records, per sprint, the file names of the COMPLETE and VERIFIED entries covered by
 * the state Notion accepted. An entry keeps its file name when `cos archive` moves it, so both
 * places it can live are returned: `status/current/<file>` and `status/archive/<sprint>/<file>`.
 */
import { isConfigured, loadNotionConfig } from './config.js';
import { readLedgerFile } from './ledger.js';

/** The entries already mirrored to Notion (from the local ledger), or null when sync is off. */
export function loadSynced(root: string): ReadonlySet<string> | null {
  if (!isConfigured(root)) return null;
  const synced = new Set<string>();
  let databaseId: string;
  let dataSourceId: string | null;
  try {
    const { config } = loadNotionConfig(root);
    databaseId = config.database_id;
    dataSourceId = config.data_source_id;
  } catch {
    // A broken config: nothing is synced until it is fixed (cos notion check says how).
    return synced;
  }
  const ledger = readLedgerFile(root);
  if (!ledger || ledger.database_id !== databaseId) return synced;
  if (dataSourceId !== null && ledger.data_source_id !== null && ledger.data_source_id !== dataSourceId) return synced;
  for (const [sprint, record] of Object.entries(ledger.sprints)) {
    for (const file of record.finished) {
      synced.add(`.agent/status/current/${file}`);
      synced.add(`.agent/status/archive/${sprint}/${file}`);
    }
  }
  return synced;
}
