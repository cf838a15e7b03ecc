#!/usr/bin/env node
// Bundles the `cos` binary: src/bin.ts → dist/cli.js plus lazily loaded chunks in dist/chunks/,
// after `tsc` has written the library (dist/index.js and its .d.ts files), which stays unbundled.
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
import { rmSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

/** Packages bundled into the binary: the ones tree-shaking makes cheap. */
const BUNDLED = new Set(['zod']);

export async function bundleCli(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const external = Object.keys(pkg.dependencies ?? {})
    .filter((name) => !BUNDLED.has(name))
    .flatMap((name) => [name, `${name}/*`]);
  const outdir = join(root, 'dist');
  rmSync(join(outdir, 'chunks'), { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: { cli: 'src/bin.ts' },
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
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
    absWorkingDir: root,
    outdir,
    bundle: true,
    splitting: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: external.filter((name) => !HOOK_BUNDLED.has(name.replace(/\/\*$/, ''))),
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
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
