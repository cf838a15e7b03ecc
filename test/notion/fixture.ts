/** Fixtures for the Notion tests: a repository with entries and a notion-sync.yaml pointing at the test server. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { postEntry } from '../../src/store/write.js';
import { initRepo } from '../../src/store/init.js';
import { testdir } from '../helpers/tmp.js';
import type { NotionTestServer } from './server.js';

export interface RepoOptions {
  databaseId: string;
  dataSourceId?: string;
  /** Extra YAML lines for notion-sync.yaml (rate_per_second, properties, ...). */
  extra?: string;
  rate?: number;
}

export function writeNotionConfig(root: string, options: RepoOptions): void {
  const lines = [
    `database_id: ${options.databaseId}`,
    ...(options.dataSourceId ? [`data_source_id: ${options.dataSourceId}`] : []),
    'token_env: NOTION_TOKEN',
    `rate_per_second: ${options.rate ?? 500}`,
    `burst: ${options.rate && options.rate < 10 ? 3 : 20}`,
    'timeout_seconds: 3',
    'retry_base_seconds: 0.02',
    'max_retries: 3',
  ];
  // A key given in `extra` replaces the default line.
  const extraKeys = new Set((options.extra ?? '').split('\n').map((l) => /^([a-z_]+):/.exec(l)?.[1]).filter(Boolean));
  const kept = lines.filter((l) => !extraKeys.has(/^([a-z_]+):/.exec(l)?.[1]));
  if (options.extra) kept.push(options.extra);
  writeFileSync(join(root, '.agent/config/notion-sync.yaml'), `${kept.join('\n')}\n`);
}

/** A repository after `cos init`, with one COMPLETE entry (after an IN_PROGRESS one) per sprint. */
export function notionRepo(options: RepoOptions & { sprints: number }): string {
  const root = testdir();
  initRepo(root);
  writeNotionConfig(root, options);
  const base = Date.parse('2026-01-14T03:00:00Z');
  for (let i = 0; i < options.sprints; i++) {
    const sprint = `sprint-${String(i).padStart(3, '0')}`;
    postEntry(root, { sprint, agent: 'developer', status: 'IN_PROGRESS', now: new Date(base + i * 60_000) });
    postEntry(root, { sprint, agent: 'developer', status: 'COMPLETE', severity: i % 7 === 0 ? 'WARN' : 'INFO', now: new Date(base + i * 60_000 + 30_000) });
  }
  return root;
}

export function notionEnv(server: NotionTestServer): NodeJS.ProcessEnv {
  return { NOTION_TOKEN: server.token, NOTION_BASE_URL: server.url };
}

/** Every file under .agent/status with its bytes: to show a failed sync touched no entry. */
export function statusSnapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const dirent of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, dirent.name);
      if (dirent.isDirectory()) walk(path);
      else out[path.slice(root.length)] = readFileSync(path, 'utf8');
    }
  };
  walk(join(root, '.agent/status'));
  return out;
}

/** The data source schema that matches the default property mapping (Name is the title). */
export const FULL_SCHEMA = {
  Status: 'select:WAITING,READY,DISPATCHED,IN_PROGRESS,STALE,BLOCKED,FAILED,COMPLETE,VERIFIED',
  Severity: 'select:INFO,WARN,URGENT,BLOCKER',
  Agents: 'multi_select',
  'Last update': 'date',
  'Completed at': 'date',
  'Verified at': 'date',
  'Latest entry': 'rich_text',
  Entries: 'number',
  Failures: 'number',
};
