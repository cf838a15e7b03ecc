/** Entries with chosen timestamps, written straight to disk, for the chief-of-staff tests. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defaultBody, serializeEntry } from '../../src/protocol/entry.js';
import type { EntryFields, Severity, Status } from '../../src/protocol/fields.js';
import { entryFileName } from '../../src/protocol/filename.js';
import { cos } from '../helpers/cli.js';

export const NOW = new Date('2026-03-01T12:00:00Z');

/** An ISO time `minutes` before NOW. */
export const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface EntrySpec {
  seq: number;
  sprint: string;
  agent: string;
  status: Status;
  severity?: Severity;
  /** Minutes before NOW (default 10). */
  at?: number;
  /** Heartbeat minutes before NOW (default: same as `at`). */
  beat?: number;
  ttl?: number;
  archive?: boolean;
  error?: string;
  verifies?: string;
  resolves?: string | string[];
  supersedes?: string | string[];
  role?: string;
  cost?: number;
  message?: string;
}

/** Write one entry; returns its file name and repository-relative path. */
export function writeEntry(root: string, spec: EntrySpec): { file: string; path: string } {
  const timestamp = ago(spec.at ?? 10);
  const fields: EntryFields = {
    timestamp,
    sprint: spec.sprint,
    agent: spec.agent,
    status: spec.status,
    severity: spec.severity ?? 'INFO',
    heartbeat: spec.beat !== undefined ? ago(spec.beat) : timestamp,
    ttl_minutes: spec.ttl ?? 30,
    extra: {},
  };
  if (spec.role) fields.role = spec.role;
  if (spec.error) fields.error = spec.error;
  if (spec.verifies) fields.verifies = spec.verifies;
  if (spec.supersedes) fields.supersedes = spec.supersedes;
  if (spec.resolves) fields.resolves = spec.resolves;
  if (spec.cost !== undefined) fields.cost_usd = spec.cost;
  const file = entryFileName(spec.seq, timestamp, spec.agent);
  const path = spec.archive ? `.agent/status/archive/${spec.sprint}/${file}` : `.agent/status/current/${file}`;
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), serializeEntry(fields, defaultBody(fields, spec.message)));
  return { file, path };
}

export interface ScanJson {
  version: number;
  findings: Array<{ kind: string; severity: string; sprint: string | null; files: string[]; message: string; action: string }>;
  entries: number;
  problems: number;
}

/** `cos scan --json --fail-on never` at NOW, parsed. */
export async function scanJson(root: string, extra: string[] = []): Promise<ScanJson> {
  const result = await cos(['scan', '--json', '--fail-on', 'never', '--dir', root, ...extra], { now: NOW });
  if (result.code !== 0) throw new Error(`cos scan exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as ScanJson;
}

export function kinds(scan: ScanJson, kind?: string): ScanJson['findings'] {
  return kind ? scan.findings.filter((finding) => finding.kind === kind) : scan.findings;
}
