/**
 * The sync ledger, `.agent/state/notion-ledger.json` (git-ignored, local to this clone): per
 * sprint, the Notion page and the hash of what Notion last accepted.
 *
 * Invariant: a record is written only after Notion answered 200 for that exact state, and the
 * file is replaced atomically (temp + rename), so a crash leaves the previous ledger or the new
 * one, never a torn file. A record missing after a crash is harmless: the next sync looks the
 * sprint up by key before creating, and adopts the page it finds.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../store/local-files.js';
import { agentPaths } from '../store/paths.js';
import { readBoundedText } from '../trust/read.js';
import { repositoryRoots } from '../trust/roots.js';

/** A ledger line is ~200 bytes a sprint: room for far more sprints than Notion would hold. */
const LEDGER_MAX_BYTES = 64 * 1024 * 1024;

export const LEDGER_FILE = 'notion-ledger.json';

/** One sprint in the Notion ledger: its page, the hash of what was synced, when. */
export interface LedgerRecord {
  page_id: string;
  hash: string;
  /** When Notion accepted it (ISO). */
  synced_at: string;
  /** File names of the sprint's COMPLETE and VERIFIED entries covered by that state. */
  finished: string[];
}

/** The Notion sync's record of what each sprint's page holds. */
export interface Ledger {
  version: 1;
  database_id: string;
  /** Discovered (or configured) data source: saves a request on the next sync. */
  data_source_id: string | null;
  sprints: Record<string, LedgerRecord>;
}

export function ledgerPath(root: string): string {
  return join(agentPaths(root).state, LEDGER_FILE);
}

function emptyLedger(databaseId: string): Ledger {
  return { version: 1, database_id: databaseId, data_source_id: null, sprints: {} };
}

function isRecord(value: unknown): value is LedgerRecord {
  if (!value || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  return typeof r.page_id === 'string' && typeof r.hash === 'string' && Array.isArray(r.finished) && r.finished.every((f) => typeof f === 'string');
}

/** The raw ledger on disk, validated; null when absent or unusable (then everything is re-checked). */
export function readLedgerFile(root: string): Ledger | null {
  const read = readBoundedText(ledgerPath(root), LEDGER_MAX_BYTES);
  if (!read.ok) return null;
  const text = read.text;
  try {
    const data = JSON.parse(text) as Record<string, unknown>;
    if (data?.version !== 1 || typeof data.database_id !== 'string' || !data.sprints || typeof data.sprints !== 'object') return null;
    const sprints: Record<string, LedgerRecord> = {};
    for (const [sprint, record] of Object.entries(data.sprints as Record<string, unknown>)) if (isRecord(record)) sprints[sprint] = record;
    return {
      version: 1,
      database_id: data.database_id,
      data_source_id: typeof data.data_source_id === 'string' ? data.data_source_id : null,
      sprints,
    };
  } catch {
    return null;
  }
}

/**
 * The ledger for this database. Records made for another database (or data source) do not
 * count: the config was pointed elsewhere, and every sprint is synced afresh there.
 */
export function loadLedger(root: string, databaseId: string, dataSourceId: string | null): Ledger {
  const ledger = readLedgerFile(root);
  if (!ledger || ledger.database_id !== databaseId) return emptyLedger(databaseId);
  if (dataSourceId !== null && ledger.data_source_id !== null && ledger.data_source_id !== dataSourceId) return emptyLedger(databaseId);
  return ledger;
}

/** Replace the ledger atomically: write a temp file beside it, then rename over it. */
export function saveLedger(root: string, ledger: Ledger): void {
  writeFileAtomic(ledgerPath(root), `${JSON.stringify(ledger, null, 1)}\n`, repositoryRoots(root));
}
