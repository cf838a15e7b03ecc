/**
 * Entry file names: `<seq>-<timestamp>-<agent>.md`, seq zero-padded to at least 3 digits,
 * timestamp in UTC with `:` written as `-`. Identity of an entry is its file name.
 */
import { SLUG_PATTERN } from './slug.js';

const FILE_NAME = /^(\d{3,})-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:\.\d+)?Z)-([a-z0-9][a-z0-9._-]*)\.md$/;

/**
 * The largest sequence number cos writes or accepts (twelve digits): far past any real team, far
 * below Number.MAX_SAFE_INTEGER, so `seq + 1` is always exact. A file name claiming more is
 * malformed, and counts for nothing when the next number is chosen.
 */
export const MAX_SEQ = 999_999_999_999;

/** An entry file name taken apart: sequence number, timestamp and agent. */
export interface ParsedFileName {
  seq: number;
  /** The timestamp as written in the name (`-` for `:`). */
  stamp: string;
  agent: string;
}

/** A sequence number zero-padded to at least three digits. */
export function formatSeq(seq: number): string {
  return String(seq).padStart(3, '0');
}

/** `2026-01-14T03:45:00Z` → `2026-01-14T03-45-00Z`. */
export function fileStamp(timestamp: string): string {
  return timestamp.replace(/:/g, '-');
}

/** The file name of an entry: `<seq>-<timestamp>-<agent>.md`. */
export function entryFileName(seq: number, timestamp: string, agent: string): string {
  return `${formatSeq(seq)}-${fileStamp(timestamp)}-${agent}.md`;
}

/** seq, timestamp and agent from an entry file name, or null when it is not one. */
export function parseEntryFileName(name: string): ParsedFileName | null {
  const match = FILE_NAME.exec(name);
  if (!match) return null;
  const agent = match[3]!;
  if (agent.length > 64 || !SLUG_PATTERN.test(agent)) return null;
  if (match[1]!.length > 15) return null;
  const seq = Number(match[1]);
  if (!Number.isSafeInteger(seq) || seq > MAX_SEQ) return null;
  return { seq, stamp: match[2]!, agent };
}

/** Whether a file in `status/` looks like an entry at all (as opposed to temp or lock files). */
export function looksLikeEntry(name: string): boolean {
  return name.endsWith('.md') && !name.startsWith('.');
}
