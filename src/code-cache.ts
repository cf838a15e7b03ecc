/**
 * Loads a command bundled on its own (build/bundle.mjs: dist/cmd/<name>.cjs, a CommonJS file)
 * with V8's code cache, so a second run does not compile it again: node 20 has no compile cache
 * of its own for modules (node 22's module.enableCompileCache), but `vm.Script` takes the bytes
 * `script.createCachedData()` gave an earlier run.
 *
 * Where: `node_modules/.cache/agent-cos/`, in the node_modules folder that holds the package (or,
 * in a clone, the clone's own node_modules/), the place JavaScript tools keep caches. Whoever can
 * write there can already change the code itself, so the cache adds nothing to trust. No such
 * folder, or one that cannot be written: no cache, the file is compiled as without one.
 * `NODE_DISABLE_COMPILE_CACHE=1` (node's own switch for its cache) turns it off.
 *
 * Safety: a cache file is used only for the exact bundle it was made from: its name holds the
 * bundle's build hash, size and modification time, node's version and the architecture; V8 itself
 * refuses data from another V8 version, other flags or another source length
 * (`script.cachedDataRejected`). V8 does not checksum the data in release builds (a file whose
 * body was zeroed is accepted and crashes the run), and a checksum in JavaScript or node:crypto
 * costs more than the cache saves: the file holds the data twice and is used only when both
 * copies are the same length and byte for byte equal, which no torn, truncated, zero-filled or
 * otherwise damaged file is. A refused or unreadable file only means compiling as usual, then
 * writing a good one. A file is written whole under a temporary name, then renamed, so a reader
 * never sees half of one; when a new one is written, the files of older builds of the same bundle
 * are removed, so the folder does not grow.
 */
import type { Script } from 'node:vm';

// Node's modules taken as objects, not through `import`: an ES module importing node:fs gets a
// facade that reads every export, fs.ReadStream's lazy getter included (~2 ms of loading streams
// on every run of dist/cli.js, which is an ES module).
const { closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } = process.getBuiltinModule('node:fs');
const { createRequire } = process.getBuiltinModule('node:module');
const { basename, dirname, join, sep } = process.getBuiltinModule('node:path');
const { pathToFileURL } = process.getBuiltinModule('node:url');
const vm = process.getBuiltinModule('node:vm');

/** The CommonJS wrapper, on the first line so line numbers in stack traces stay the bundle's. */
const HEAD = '(function (exports, require, module, __filename, __dirname, __cosImportMetaUrl) {';
const TAIL = '\n})';

/** The folder for cache files of the package whose file `file` is, or null for none. */
export function compileCacheDir(file: string, env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.NODE_DISABLE_COMPILE_CACHE) return null;
  // dist/cmd/<name>.cjs → the package's folder.
  const packageDir = dirname(dirname(dirname(file)));
  const parts = packageDir.split(sep);
  const nodeModules = parts.lastIndexOf('node_modules');
  if (nodeModules > 0) return join(parts.slice(0, nodeModules + 1).join(sep) || sep, '.cache', 'agent-cos');
  const own = join(packageDir, 'node_modules');
  return existsSync(own) ? join(own, '.cache', 'agent-cos') : null;
}

/** How loadCached treats this run. */
export interface CacheRun {
  env?: NodeJS.ProcessEnv;
  /**
   * Whether this run does the command's real work (not `--help`): only such a run, ending with
   * any exit code but 1 (bad usage or input), writes a missing cache, so the cache holds the functions a real run compiles
   * rather than the few a usage error or the help text needs (the first cache stays until the
   * next build).
   */
  representative?: boolean;
}

/**
 * Run the CommonJS file `file` (built with build hash `buildHash`) and return its exports,
 * compiled from the code cache when a good one exists; when none did, one is written at the exit
 * of a representative run that did not stop at bad usage.
 */
export function loadCached(file: string, buildHash: string, { env = process.env, representative = true }: CacheRun = {}): unknown {
  const fd = openSync(file, 'r');
  let source: string;
  let size: number;
  let mtime: number;
  try {
    const stat = fstatSync(fd);
    size = stat.size;
    mtime = Math.trunc(stat.mtimeMs);
    source = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
  const dir = compileCacheDir(file, env);
  const stem = `${basename(file, '.cjs')}-`;
  const cacheFile = dir === null ? null : join(dir, `${stem}${buildHash}-${size}-${mtime}-${process.version}-${process.arch}.v8`);
  let cachedData: Buffer | undefined;
  if (cacheFile !== null) {
    try {
      cachedData = intact(readFileSync(cacheFile));
    } catch {
      // None yet (or unreadable): compile as usual.
    }
  }
  const script = new vm.Script(`${HEAD}${source}${TAIL}`, { filename: file, ...(cachedData ? { cachedData } : {}) });
  if (representative && cacheFile !== null && (cachedData === undefined || script.cachedDataRejected === true)) {
    // At exit the functions the command ran are compiled too, and go into the cache with it.
    process.once('exit', (code) => {
      // Exit 1 is bad usage or input (EXIT.usage): the command stopped before its work.
      if (code !== 1) writeCache(script, cacheFile, stem);
    });
  }
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(file), module, file, dirname(file), pathToFileURL(file).href);
  return module.exports;
}

/** The cached data a file holds, or undefined when its two copies differ (a damaged file). */
export function intact(file: Buffer): Buffer | undefined {
  const half = file.length / 2;
  if (half === 0 || !Number.isInteger(half)) return undefined;
  const data = file.subarray(0, half);
  return data.equals(file.subarray(half)) ? data : undefined;
}

function writeCache(script: Script, cacheFile: string, stem: string): void {
  const dir = dirname(cacheFile);
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    const data = script.createCachedData();
    mkdirSync(dir, { recursive: true });
    writeFileSync(temporary, Buffer.concat([data, data]));
    renameSync(temporary, cacheFile);
    // Older builds' files of this bundle, and temporary files a killed run left.
    for (const name of readdirSync(dir)) {
      if (name.startsWith(stem) && (name.endsWith('.v8') || name.endsWith('.tmp')) && join(dir, name) !== cacheFile) rmSync(join(dir, name), { force: true });
    }
  } catch {
    // A cache that cannot be written is no cache: nothing else changes.
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was written.
    }
  }
}
