/**
 * Notion sync entry points used by `cos notion sync` and `cos watch`.
 *
 * Exactly once, per sprint:
 * - A sprint whose values hash equals the ledger's is unchanged: no request at all.
 * - A sprint with a ledger record is updated in place (PATCH is idempotent; a replay is harmless).
 * - A sprint without one is looked up by key first (one paginated query of the whole data source
 *   per run), and created only when no page has its key. A create whose outcome is unknown is
 *   followed by a lookup by key before it is tried again (client.ts).
 * - The ledger is written after Notion accepted each change, atomically. Killed at any instant,
 *   the next run finds either the ledger record or the page by key: never a second page.
 * - One sync at a time per clone (a lock under .agent/state/), so `cos watch` and a manual sync
 *   never race to create the same page.
 * Failures never throw for Notion's sake: they are counted, logged and returned; local files
 * other than the ledger and the log are never written.
 */
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { isCosError, makeDirectory, RefusedError } from '../errors.js';
import { analyze } from '../analyze.js';
import { severityRank, type Severity } from '../protocol/fields.js';
import type { SprintState } from '../state/lifecycle.js';
import { withLock } from '../store/lock.js';
import { agentPaths } from '../store/paths.js';
import { isConfigured, loadNotionConfig, readBaseUrl, readToken, type NotionConfig } from './config.js';
import { LEDGER_FILE, ledgerPath, loadLedger, saveLedger, type Ledger, type LedgerRecord } from './ledger.js';
import { appendLog, redact, type LogLine } from './log.js';
import { hashValues, notionProperties, sprintValues, type SprintValues } from './mapping.js';
import { isoSeconds } from '../protocol/time.js';

/** A sprint the Notion sync could not write, and why. */
export interface SyncFailure {
  sprint: string;
  code: string;
  message: string;
}

/** What `syncNotion` (`cos notion sync`) did, with its failures. */
export interface SyncSummary {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  failures: SyncFailure[];
  /** True when nothing was sent (--dry-run): the counts say what a sync would do. */
  dryRun?: boolean;
  /** Requests sent, retries, and 429 answers received (0 for a dry run). */
  requests?: number;
  retries?: number;
  rateLimited?: number;
}

/** Options of `syncNotion` (kept under this name for compatibility; NotionSyncOptions says so). */
export interface SyncOptions {
  dryRun?: boolean;
  now?: Date;
  env?: NodeJS.ProcessEnv;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** How long to wait for another sync of this repository to finish (default 8 s), then exit 3. */
  lockWaitMs?: number;
}

/** Cheap (no client import): whether notion-sync.yaml sets a database_id. */
export function isNotionConfigured(root: string): boolean {
  return isConfigured(root);
}

/** One sprint the Notion sync plans to create or update, with its values. */
export interface PlannedSprint {
  sprint: string;
  values: SprintValues;
  hash: string;
  record: LedgerRecord | undefined;
  finished: string[];
}

/** The sprints as the lifecycle derives them, each with the highest severity of its open findings. */
export interface NotionSprints {
  sprints: SprintState[];
  severities: ReadonlyMap<string, Severity>;
}

export function notionSprints(root: string, now: Date): NotionSprints {
  const { sprints, findings } = analyze(root, { now });
  const severities = new Map<string, Severity>();
  for (const finding of findings) {
    if (finding.sprint === null) continue;
    const known = severities.get(finding.sprint);
    if (known === undefined || severityRank(finding.severity) > severityRank(known)) severities.set(finding.sprint, finding.severity);
  }
  return { sprints: sprints.filter((sprint) => sprint.entries.length > 0), severities };
}

/** Pure: which sprints differ from what Notion last accepted. */
export function planSync(
  sprints: readonly SprintState[],
  ledger: Ledger,
  properties: NotionConfig['properties'],
  severities: ReadonlyMap<string, Severity> = new Map(),
): { due: PlannedSprint[]; unchanged: number } {
  const due: PlannedSprint[] = [];
  let unchanged = 0;
  // Oldest change first: a sync cut short leaves the longest-waiting sprints done.
  for (const sprint of [...sprints].reverse()) {
    const values = sprintValues(sprint, severities.get(sprint.sprint) ?? null);
    const hash = hashValues(values, properties);
    const record = ledger.sprints[sprint.sprint];
    if (record && record.hash === hash) {
      unchanged++;
      continue;
    }
    const finished = sprint.entries.filter((e) => e.status === 'COMPLETE' || e.status === 'VERIFIED').map((e) => e.file);
    due.push({ sprint: sprint.sprint, values, hash, record, finished });
  }
  return { due, unchanged };
}

function emptySummary(): SyncSummary {
  return { created: 0, updated: 0, unchanged: 0, failed: 0, failures: [], requests: 0, retries: 0, rateLimited: 0 };
}

/** Which version of the ledger file is on disk (every save renames a new file into place). */
function ledgerSignature(root: string): string {
  try {
    const stat = statSync(ledgerPath(root));
    return `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
  } catch {
    return 'none';
  }
}

/** Stray temp files of a ledger write killed half-way (we hold the sync lock: none is live). */
function removeStaleTemps(root: string): void {
  const state = agentPaths(root).state;
  try {
    for (const name of readdirSync(state)) {
      if (name.startsWith(`${LEDGER_FILE}.`) && name.endsWith('.tmp')) unlinkSync(join(state, name));
    }
  } catch {
    // nothing to clean
  }
}

/** Mirror changed sprints to Notion exactly once, within its rate limit; failures are logged, never lose local data. */
export async function syncNotion(root: string, options: SyncOptions = {}): Promise<SyncSummary> {
  const env = options.env ?? process.env;
  const now = options.now ?? new Date();
  const { config } = loadNotionConfig(root);

  if (options.dryRun) {
    const { sprints, severities } = notionSprints(root, now);
    const ledger = loadLedger(root, config.database_id, config.data_source_id);
    const { due, unchanged } = planSync(sprints, ledger, config.properties, severities);
    const summary = emptySummary();
    summary.dryRun = true;
    summary.unchanged = unchanged;
    for (const item of due) item.record ? summary.updated++ : summary.created++;
    return summary;
  }

  const token = readToken(config, env);
  readBaseUrl(env);
  const paths = agentPaths(root);
  makeDirectory(paths.state, paths.rel(paths.state));
  // The entries are read before taking the lock: reading a large store blocks the event loop,
  // which under the lock would stop its refresh and let a waiting sync take it over as stale.
  // If another sync wrote the ledger while this one waited, it may have sent newer entries than
  // these: then they are read again, so the older state is never put back.
  const ledgerBefore = ledgerSignature(root);
  let sprints = notionSprints(root, now);
  let entered = false;
  try {
    return await withLock(
      join(paths.state, 'notion-sync'),
      () => {
        entered = true;
        if (ledgerSignature(root) !== ledgerBefore) sprints = notionSprints(root, now);
        return syncLocked(root, config, sprints, token, env, options);
      },
      { stale: 2_000, wait: options.lockWaitMs ?? 8_000 },
    );
  } catch (error) {
    if (!entered && isCosError(error, 'locked')) {
      throw new RefusedError('another cos notion sync (or cos watch) is syncing this repository; try again when it has finished.', { cause: error, code: 'busy' });
    }
    throw error;
  }
}

async function syncLocked(
  root: string,
  config: NotionConfig,
  { sprints, severities }: NotionSprints,
  token: string,
  env: NodeJS.ProcessEnv,
  options: SyncOptions,
): Promise<SyncSummary> {
  removeStaleTemps(root);
  // Read under the lock: another sync may have just recorded what it did.
  const ledger = loadLedger(root, config.database_id, config.data_source_id);
  const { due, unchanged } = planSync(sprints, ledger, config.properties, severities);
  const summary = emptySummary();
  summary.unchanged = unchanged;
  const total = due.length;
  let done = 0;
  options.onProgress?.(0, total);
  if (total === 0) return summary;

  const logLines: LogLine[] = [];
  const fail = (sprint: string, code: string, message: string) => {
    const clean = redact(message, token);
    summary.failed++;
    summary.failures.push({ sprint, code, message: clean });
    logLines.push({ at: new Date(), sprint, code, message: clean });
  };

  // Loaded only now: a sync with nothing to do never pays for the client.
  const { openSession, resolveDataSource } = await import('./session.js');
  const { NotionFailure } = await import('./client.js');
  const { compareSchema, propertyTypes } = await import('./schema.js');
  const { api } = await openSession(config, env, options.signal);
  const keyProperty = config.properties.sprint!;

  const asFailure = (error: unknown): InstanceType<typeof NotionFailure> => {
    if (error instanceof NotionFailure) return error;
    throw error;
  };

  try {
    let dataSource;
    let types;
    try {
      dataSource = await resolveDataSource(api, config, ledger.data_source_id);
      types = await api.retrieveDataSource(dataSource.id);
    } catch (error) {
      // A remembered data source that is gone: ask the database again, once.
      if (dataSource?.source !== 'ledger' || asFailure(error).code !== 'object_not_found') throw error;
      dataSource = await resolveDataSource(api, config, null);
      types = await api.retrieveDataSource(dataSource.id);
    }
    if (ledger.data_source_id !== dataSource.id) {
      ledger.data_source_id = dataSource.id;
      saveLedger(root, ledger);
    }
    // Missing select options are no obstacle: Notion adds them when a page uses them.
    const blockers = compareSchema(types, config.properties).filter((p) => !(p.kind === 'missing-options' && p.actual === 'select'));
    if (blockers.length > 0) {
      const names = blockers.map((p) => `"${p.property}" (${p.kind})`).join(', ');
      throw new NotionFailure('schema_mismatch', `the data source does not match the mapping: ${names}; run cos notion check for the fixes (cos notion setup adds missing properties)`, null, true);
    }
    const encodeTypes = propertyTypes(types);
    const dataSourceId = dataSource.id;
    const index = due.some((d) => !d.record) ? await api.indexByKey(dataSourceId, keyProperty) : new Map();

    let stop: InstanceType<typeof NotionFailure> | null = null;
    const commit = (item: PlannedSprint, pageId: string) => {
      ledger.sprints[item.sprint] = { page_id: pageId, hash: item.hash, synced_at: isoSeconds(new Date()), finished: item.finished };
      saveLedger(root, ledger);
    };
    const gone = (f: InstanceType<typeof NotionFailure>) =>
      f.code === 'object_not_found' || (f.code === 'validation_error' && /archived|trash/i.test(f.message));

    const syncOne = async (item: PlannedSprint): Promise<'created' | 'updated'> => {
      const properties = notionProperties(item.values, config.properties, encodeTypes);
      if (item.record) {
        try {
          await api.updatePage(item.record.page_id, properties);
          commit(item, item.record.page_id);
          return 'updated';
        } catch (error) {
          if (!gone(asFailure(error))) throw error;
        }
        // The page was deleted in Notion: find another with the key, else create it again.
        const found = await api.findByKey(dataSourceId, keyProperty, item.sprint);
        if (found) index.set(item.sprint, found);
      }
      const existing = index.get(item.sprint);
      if (existing) {
        await api.updatePage(existing.id, properties);
        commit(item, existing.id);
        return 'updated';
      }
      const { page } = await api.createPage(dataSourceId, keyProperty, item.sprint, properties);
      commit(item, page.id);
      return 'created';
    };

    const queue = [...due];
    const worker = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        if (stop) {
          fail(item.sprint, stop.code, `not attempted after an earlier failure: ${stop.message}`);
        } else {
          try {
            const outcome = await syncOne(item);
            summary[outcome]++;
          } catch (error) {
            const f = asFailure(error);
            fail(item.sprint, f.code, f.message);
            if (f.global) stop ??= f;
          }
        }
        options.onProgress?.(++done, total);
      }
    };
    await Promise.all(Array.from({ length: Math.min(config.concurrency, total) }, worker));
  } catch (error) {
    const f = asFailure(error);
    for (const item of due.slice(done)) {
      if (summary.failures.some((x) => x.sprint === item.sprint)) continue;
      fail(item.sprint, f.code, f.message);
    }
    options.onProgress?.(total, total);
  } finally {
    appendLog(root, logLines, token);
    summary.requests = api.stats.requests;
    summary.retries = api.stats.retries;
    summary.rateLimited = api.stats.rateLimited;
  }
  return summary;
}
