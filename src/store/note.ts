/**
 * NOTEs a person (or an agent) writes about other entries (PRODUCT.md version 2, NOTE):
 * `cos resolve FILE...` settles entries (an escalation, a failure to stop counting, a VERIFIED
 * that counts for nothing, a spend to approve) with `resolves: [FILE...]`; `cos ack FILE` writes
 * `acknowledges: FILE`, which stops re-escalation without resolving. A NOTE holds nothing and
 * changes no sprint's state. Each NOTE goes on the sprint of the entries it names (one NOTE per
 * sprint when they span several), so a sprint's lifecycle reads only its own entries. Every FILE
 * is checked before anything is written.
 */
import { InputError } from '../errors.js';
import type { Entry } from '../protocol/fields.js';
import { showValue } from '../protocol/slug.js';
import { bareName } from '../state/review.js';
import { readStore } from './read.js';
import { postEntry, type PostOptions } from './write.js';

export interface ResolveInput {
  /** Entry file names or paths (current or archive). */
  files: readonly string[];
  /** Who resolves (the caller supplies the default: COS_AGENT, git user name, `human`). */
  agent: string;
  message?: string;
  now?: Date;
}

export interface AckInput {
  file: string;
  agent: string;
  message?: string;
  now?: Date;
}

/** The entries named, in the order given, or an InputError naming the first unknown one. */
function findEntries(root: string, files: readonly string[], verb: string): Entry[] {
  if (files.length === 0) throw new InputError(`Name at least one entry file to ${verb}, e.g. cos ${verb} 012-2026-01-14T04-30-00Z-developer.md.`);
  const { entries } = readStore(root);
  const byName = new Map(entries.map((entry) => [entry.file, entry]));
  const out: Entry[] = [];
  for (const file of files) {
    if (typeof file !== 'string' || file === '') throw new InputError(`Invalid file ${showValue(file)}: give an entry file name or path.`);
    const entry = byName.get(bareName(file));
    if (!entry) throw new InputError(`No entry ${showValue(file)} in .agent/status/current or .agent/status/archive; give the file name of the entry to ${verb}.`);
    if (!out.includes(entry)) out.push(entry);
  }
  return out;
}

/** Write one NOTE per sprint resolving the named entries; returns the NOTEs written. */
export function resolveEntries(root: string, input: ResolveInput, options: PostOptions = {}): Entry[] {
  const targets = findEntries(root, input.files, 'resolve');
  const bySprint = new Map<string, Entry[]>();
  for (const entry of targets) bySprint.set(entry.sprint, [...(bySprint.get(entry.sprint) ?? []), entry]);
  const notes: Entry[] = [];
  for (const [sprint, list] of bySprint) {
    const names = list.map((entry) => entry.file);
    const message = input.message ?? `Resolves ${names.join(', ')}.`;
    notes.push(
      postEntry(
        root,
        {
          sprint,
          agent: input.agent,
          status: 'NOTE',
          severity: 'INFO',
          resolves: names.length === 1 ? names[0]! : names,
          message,
          ...(input.now ? { now: input.now } : {}),
        },
        options,
      ),
    );
  }
  return notes;
}

/** Write a NOTE acknowledging an escalation (URGENT or BLOCKER): re-escalation stops, the finding stays until resolved. */
export function acknowledgeEntry(root: string, input: AckInput, options: PostOptions = {}): Entry {
  const [target] = findEntries(root, [input.file], 'ack');
  if (target!.severity !== 'URGENT' && target!.severity !== 'BLOCKER') {
    throw new InputError(`${target!.file} is ${target!.severity}, not an escalation (URGENT or BLOCKER); there is nothing to acknowledge.`);
  }
  return postEntry(
    root,
    {
      sprint: target!.sprint,
      agent: input.agent,
      status: 'NOTE',
      severity: 'INFO',
      acknowledges: target!.file,
      message: input.message ?? `Acknowledged ${target!.file}; being dealt with.`,
      ...(input.now ? { now: input.now } : {}),
    },
    options,
  );
}
