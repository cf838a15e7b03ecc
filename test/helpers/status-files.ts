/**
 * Status entries, config and plans written as real files into a repository, and the two readings
 * of it that must agree: `scan` (the fast path, through the read cache) and `analyze` with the
 * cache off (every file read). For the scan-equivalence tests.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { analyze, scan, type AnalyzeOptions, type ScanResult } from '../../src/analyze.js';
import { serializeEntry } from '../../src/protocol/entry.js';
import type { EntryFields, Severity, Status } from '../../src/protocol/fields.js';
import { entryFileName } from '../../src/protocol/filename.js';
import type { ReadCacheOptions } from '../../src/store/read-cache.js';

/**
 * AnalyzeOptions with the read cache option of the fast path (`cache`), spelled out here so the
 * tests compile whether or not src/analyze.ts declares it yet.
 */
export type ScanOptions = AnalyzeOptions & { cache?: boolean | ReadCacheOptions };

/** An ISO timestamp in whole seconds, as cos writes them. */
export const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const MINUTE = 60_000;
export const DAY = 86_400_000;

/** What one entry file holds and where it lives. */
export interface EntrySpec {
  seq: number;
  sprint: string;
  agent: string;
  status: Status;
  severity?: Severity;
  /** When it was written (ms since epoch). */
  at: number;
  /** Minutes from `at` to its heartbeat (default 0). */
  beat?: number;
  ttl?: number;
  /** `current`, `archive` (the archive folder itself) or `archive/<folder>`. */
  folder: string;
  /** Optional protocol fields: resolves, supersedes, verifies, acknowledges, approves, cost_usd, needs_human, denied, lease, releases, error. */
  fields?: Partial<EntryFields>;
  /** The body; default a line and a filler, so an in-place rewrite of the same size has room. */
  body?: string;
}

/** The repository-relative folder of a spec. */
export function folderPath(folder: string): string {
  return folder === 'current' ? '.agent/status/current' : `.agent/status/${folder}`;
}

export function fileNameOf(spec: Pick<EntrySpec, 'seq' | 'at' | 'agent'>): string {
  return entryFileName(spec.seq, iso(spec.at), spec.agent);
}

/** The text of an entry (front matter in the protocol's order, then the body). */
export function entryText(spec: EntrySpec): string {
  const timestamp = iso(spec.at);
  const fields: EntryFields = {
    timestamp,
    sprint: spec.sprint,
    agent: spec.agent,
    status: spec.status,
    severity: spec.severity ?? 'INFO',
    heartbeat: iso(spec.at + (spec.beat ?? 0) * MINUTE),
    ttl_minutes: spec.ttl ?? 30,
    extra: {},
    ...spec.fields,
  };
  return serializeEntry(fields, spec.body ?? `Entry ${spec.seq} of ${spec.sprint}.\n${'.'.repeat(160)}\n`);
}

/** Write a file (folders made as needed); returns its absolute path. */
export function put(root: string, rel: string, content: string): string {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

/** Write an entry; returns its repository-relative path. */
export function writeEntry(root: string, spec: EntrySpec): string {
  const rel = `${folderPath(spec.folder)}/${fileNameOf(spec)}`;
  put(root, rel, entryText(spec));
  return rel;
}

/** Put a file's or folder's mtime back to exactly what it was (to the nanosecond; utimes takes milliseconds). */
export function restoreMtime(path: string, mtimeNs: bigint): void {
  const ns = mtimeNs % 1_000_000_000n;
  execFileSync('touch', ['-m', '-d', `@${mtimeNs / 1_000_000_000n}.${String(ns).padStart(9, '0')}`, path]);
}

/**
 * Rewrite a file in place with `text` cut or padded (in its body) to the file's size, then put
 * its mtime back: the same inode, size and mtime; only its ctime tells. The folder is untouched.
 */
export function rewriteInPlace(path: string, text: string): void {
  const before = statSync(path, { bigint: true });
  const size = Number(before.size);
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > size) throw new Error(`rewriteInPlace: the new text (${bytes.length} bytes) is longer than ${path} (${size} bytes)`);
  writeFileSync(path, Buffer.concat([bytes, Buffer.alloc(size - bytes.length, 0x2e)]));
  restoreMtime(path, before.mtimeNs);
  const after = statSync(path, { bigint: true });
  if (after.size !== before.size || after.mtimeNs !== before.mtimeNs || after.ino !== before.ino)
    throw new Error(`rewriteInPlace: ${path} did not keep its identity`);
}

/**
 * A clock tick: file times are coarse, so a change made after it has a later ctime than a read
 * made before it (the tests turn the cache's racy window off with `racyMs: 0`).
 */
export function tick(): void {
  const until = Date.now() + 15;
  while (Date.now() < until) {
    // spin: the tests are synchronous
  }
}

/** The config a test writes to .agent/config/coordination.yaml. */
export interface ConfigSpec {
  maxAgeDays?: number;
  maxCurrent?: number;
  budget?: number;
  verification?: 'required' | 'optional';
}

export function writeConfig(root: string, config: ConfigSpec): void {
  const lines = ['version: 1'];
  if (config.verification) lines.push(`verification: ${config.verification}`);
  if (config.maxAgeDays !== undefined || config.maxCurrent !== undefined) {
    lines.push('archive:');
    if (config.maxCurrent !== undefined) lines.push(`  max_current: ${config.maxCurrent}`);
    if (config.maxAgeDays !== undefined) lines.push(`  max_age_days: ${config.maxAgeDays}`);
  }
  if (config.budget !== undefined) lines.push(`budget_usd_per_sprint: ${config.budget}`);
  put(root, '.agent/config/coordination.yaml', `${lines.join('\n')}\n`);
}

/** One step of a stored plan. */
export interface PlanStepSpec {
  sprint: string;
  depends_on: readonly string[];
}

/** A stored plan `.agent/plans/<name>.yaml` (roles are not checked for a stored plan). */
export function writePlan(root: string, name: string, steps: readonly PlanStepSpec[]): void {
  const lines = [`summary: Plan ${name}`, 'attempt: 1', 'steps:'];
  for (const step of steps) {
    lines.push(
      `  - sprint: ${step.sprint}`,
      `    title: Step ${step.sprint}`,
      '    role: developer',
      `    done_when: ${step.sprint} is verified`,
      `    depends_on: [${step.depends_on.join(', ')}]`,
      '    skills: []',
    );
  }
  put(root, `.agent/plans/${name}.yaml`, `${lines.join('\n')}\n`);
}

/** What `scan` must give: `analyze` with every file read (no read cache). */
export function fullScan(root: string, options: ScanOptions = {}): ScanResult {
  const full: ScanOptions = { ...options, cache: false };
  const analysis = analyze(root, full);
  return { findings: analysis.findings, entries: analysis.snapshot.entries.length, problems: analysis.snapshot.problems.length };
}

/** `scan` through the read cache with the racy window off (the files are milliseconds old). */
export function fastScan(root: string, options: ScanOptions = {}): ScanResult {
  const fast: ScanOptions = { ...options, cache: { racyMs: 0 } };
  return scan(root, fast);
}

/** `scan` through the read cache equals `analyze` without it; returns what both gave. */
export function expectScanMatches(root: string, options: ScanOptions = {}, label = ''): ScanResult {
  const expected = fullScan(root, options);
  const got = fastScan(root, options);
  expect(got, label).toEqual(expected);
  return expected;
}

/** The finding kinds of a scan, with the files each names (file names only), for readable assertions. */
export function kinds(result: ScanResult): string[] {
  return result.findings.map((finding) => `${finding.kind} ${finding.files.map((file) => file.split('/').pop()).join(',')}`);
}
