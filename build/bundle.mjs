#!/usr/bin/env node
// Bundles the `cos` binary: src/bin.ts → dist/cli.js, which loads one of: a command bundled on its
// own (dist/cmd/<name>.cjs), the hook binary (dist/hook.js) or the general CLI (dist/chunks/cli.js
// and the chunks it loads lazily), after `tsc` has written the library (dist/index.js and its
// .d.ts files), which stays unbundled.
//
// Why: every command loads coordination.yaml through a zod schema; unbundled, zod alone costs
// about as much as node's own start-up (its ESM build is ~100 files). Bundled and tree-shaken,
// the schema costs a few milliseconds. Our own modules are bundled too (fewer files to resolve).
// Packages other than zod stay external: they load only in the commands that need them (the
// Notion client, the MCP SDK, chokidar, ...) and are resolved from node_modules as before.
//
// Chunks sit one folder below dist/, as the modules they come from did (dist/board/page.js), so
// paths built from import.meta.url (the board's assets, the path of cli.js) stay right.
//
// Usage: node build/bundle.mjs [--root DIR]   (DIR holds src/, package.json and node_modules/)
import { createHash } from 'node:crypto';
import { rmSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

/**
 * Commands run often enough that each gets a bundle of its own, dist/cmd/<name>.cjs: the command
 * with everything it imports (lazy imports of our own modules included) in one CommonJS file,
 * which dist/cli.js runs through V8's code cache (src/code-cache.ts). CommonJS because a
 * `vm.Script` is a script: ES modules have no code cache in node 20.
 */
const COMMAND_BUNDLES = ['status', 'post', 'scan'];

/**
 * Packages bundled into the command bundles besides BUNDLED: the ones every run of such a command
 * loads (cos post takes the store's lock through proper-lockfile, ~15 CommonJS files resolved one
 * by one through node_modules when left outside).
 */
const COMMAND_BUNDLED = new Set(['proper-lockfile']);

/** Packages bundled into the binary: the ones tree-shaking makes cheap. */
const BUNDLED = new Set(['zod']);

export async function bundleCli(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const external = Object.keys(pkg.dependencies ?? {})
    .filter((name) => !BUNDLED.has(name))
    .flatMap((name) => [name, `${name}/*`]);
  const outdir = join(root, 'dist');
  // What every bundle shares: node 20, minified, quiet unless something is wrong.
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
  };
  rmSync(join(outdir, 'chunks'), { recursive: true, force: true });
  rmSync(join(outdir, 'cmd'), { recursive: true, force: true });
  const hashes = {};
  for (const name of COMMAND_BUNDLES) {
    const outfile = join(outdir, 'cmd', `${name}.cjs`);
    await build({
      ...common,
      stdin: {
        contents: `import * as command from './src/commands/${name}.js';\nimport { runBundledCommand } from './src/command-run.js';\nexport const start = () => runBundledCommand(command);\n`,
        resolveDir: root,
        sourcefile: `cmd-${name}.ts`,
        loader: 'ts',
      },
      outfile,
      format: 'cjs',
      external: external.filter((name) => !COMMAND_BUNDLED.has(name.replace(/\/\*$/, ''))),
      // src/code-cache.ts passes the file's URL in; import() of a package becomes require(), as
      // a vm.Script cannot import() without an experimental flag.
      define: { 'import.meta.url': '__cosImportMetaUrl' },
      supported: { 'dynamic-import': false },
    });
    hashes[name] = createHash('sha256').update(readFileSync(outfile)).digest('hex').slice(0, 16);
  }
  // The general CLI (src/cli.ts: every command, each loaded lazily) is dist/chunks/cli.js with the
  // chunks it shares between commands beside it.
  await build({
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: join(outdir, 'chunks'),
    chunkNames: '[name]-[hash]',
    splitting: true,
    format: 'esm',
    external,
  });
  // dist/cli.js, the binary (src/bin.ts), one small file: it picks a command bundle, dist/hook.js
  // or the general CLI, and loads only that.
  await build({
    ...common,
    entryPoints: { cli: 'src/bin.ts' },
    define: { COS_COMMAND_BUNDLES: JSON.stringify(hashes) },
    outdir,
    splitting: false,
    format: 'esm',
    external,
  });
  // `cos hook <event>` (src/bin.ts → src/hooks/binary.ts) is bundled on its own, in two files:
  // what the hooks need on every call (reading the hook JSON, the session record, the guard's
  // settings and decision) is dist/hook.js — one file instead of the ~20 chunks the general CLI
  // path loads; the work they do only now and then (a denial's NOTE, a heartbeat, the briefing,
  // the config schema: src/hooks/work.ts) is dist/hook-work.js, which dist/hook.js imports lazily.
  // Each is a single file (no splitting: shared modules are copied, they hold no state). The
  // packages the guard reaches on every call are bundled in (a CommonJS package costs node's
  // CommonJS loader on top of its own code).
  const hookOptions = {
    ...common,
    outdir,
    splitting: false,
    format: 'esm',
    external: external.filter((name) => !HOOK_BUNDLED.has(name.replace(/\/\*$/, ''))),
  };
  await build({ ...hookOptions, entryPoints: { 'hook-work': 'src/hooks/work.ts' } });
  await build({ ...hookOptions, entryPoints: { hook: 'src/hook-bin.ts' }, plugins: [lazyWork] });
}

/** In dist/hook.js, the lazy imports of what src/hooks/work.ts gathers load dist/hook-work.js. */
const WORK_MODULES = /(?:^|\/)(?:hooks\/)?(?:guard|refresh)\.js$|(?:^|\/)config\/(?:load|schema)\.js$/;
const lazyWork = {
  name: 'lazy-hook-work',
  setup(build) {
    build.onResolve({ filter: WORK_MODULES }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const inHooks = /[\\/]src[\\/](?:hooks|guard)$/.test(args.resolveDir);
      return inHooks ? { path: './hook-work.js', external: true } : undefined;
    });
  },
};

/** Packages bundled into dist/hook.js besides BUNDLED. */
const HOOK_BUNDLED = new Set(['shell-quote']);

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { root: { type: 'string' } } });
  await bundleCli(resolve(values.root ?? fileURLToPath(new URL('..', import.meta.url))));
}
