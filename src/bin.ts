#!/usr/bin/env node
/**
 * The entry the bundler starts from: `npm run build` bundles this file into dist/cli.js, the `cos`
 * binary (build/bundle.mjs). src/cli.ts stays importable without running anything.
 */
import { runAsBinary } from './cli.js';

runAsBinary();
