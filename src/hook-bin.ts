/**
 * The entry build/bundle.mjs bundles, with everything it reaches, into the one file dist/hook.js:
 * the binary (src/bin.ts) loads it for `cos hook <event>` (src/hooks/binary.ts says why).
 */
export { fastHookArgs, runHookBinary } from './hooks/binary.js';
