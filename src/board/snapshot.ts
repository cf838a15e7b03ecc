/**
 * `cos board --out FILE.html`: the board as one self-contained file (styles, script and state
 * inlined; no network needed to open it), from one full read by the watch engine. The file is
 * written whole or not at all (temp file beside it, then rename).
 */
import { statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { InputError } from '../errors.js';
import { replaceFile } from '../store/local-files.js';
import { readOnce } from '../watch/session.js';
import { renderPage } from './page.js';
import { boardPlan } from './plan.js';
import { boardState, type BoardState } from './state.js';

/** Options of `snapshotState` and `writeSnapshot`: the root, the clock and the environment. */
export interface SnapshotOptions {
  root: string;
  now: () => Date;
  env: NodeJS.ProcessEnv;
}

/** The board's state from one full read (what /api/state would serve). */
export function snapshotState(options: SnapshotOptions): BoardState {
  const engine = readOnce({ ...options, emit: () => {} });
  const sprints = engine.sprints();
  return boardState({
    sprints,
    findings: engine.findings(),
    plan: boardPlan(options.root, sprints),
    entries: engine.summary().entries,
    now: options.now(),
    repository: basename(options.root),
  });
}

/** Write the snapshot page to `file`; returns its state. */
export function writeSnapshot(file: string, options: SnapshotOptions): BoardState {
  const dir = dirname(file);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // Reported below.
  }
  if (!isDir) throw new InputError(`Cannot write --out ${JSON.stringify(file)}: ${dir} is not an existing folder.`);
  try {
    if (statSync(file).isDirectory()) throw new InputError(`Cannot write --out ${JSON.stringify(file)}: it is a folder; name an .html file.`);
  } catch (error) {
    if (error instanceof InputError) throw error;
  }
  const state = snapshotState(options);
  try {
    replaceFile(file, renderPage({ state }));
  } catch (error) {
    throw new InputError(`Cannot write --out ${JSON.stringify(file)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, { cause: error });
  }
  return state;
}
