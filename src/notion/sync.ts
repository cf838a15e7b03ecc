/**
 * Notion sync entry points used by `cos notion sync` and `cos watch`.
 * Placeholder with the agreed interface until the Notion sync lands.
 */
import { ExternalError } from '../errors.js';

export interface SyncFailure {
  sprint: string;
  code: string;
  message: string;
}

export interface SyncSummary {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  failures: SyncFailure[];
}

export interface SyncOptions {
  dryRun?: boolean;
  now?: Date;
  env?: NodeJS.ProcessEnv;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** Cheap (no client import): whether notion-sync.yaml sets a database_id. */
export function isNotionConfigured(_root: string): boolean {
  return false;
}

export async function syncNotion(_root: string, _options: SyncOptions = {}): Promise<SyncSummary> {
  throw new ExternalError('Notion sync is not available in this build yet.');
}
