/**
 * The board's one HTML page: the stylesheet and script shipped in `assets/board/` inlined, and,
 * for a snapshot, the state embedded as JSON. The same page is served live (it then reads
 * `/events`) and written by `cos board --out` (it then needs nothing but itself).
 *
 * A Content-Security-Policy allows exactly the inlined style and script (by their hashes), no
 * other script, no plugin, no frame, and network access only to the page's own origin: even a
 * mistake in the markdown renderer could not run a script an entry smuggled in.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { escapeHtml } from './markdown.js';
import type { BoardState } from './state.js';

export interface PageAssets {
  css: string;
  js: string;
}

const ASSETS = new URL('../../assets/board/', import.meta.url);

let loaded: PageAssets | null = null;

/** The page's stylesheet and script, read once from the package. */
export function pageAssets(): PageAssets {
  loaded ??= {
    css: readFileSync(new URL('board.css', ASSETS), 'utf8'),
    js: readFileSync(new URL('board.js', ASSETS), 'utf8'),
  };
  return loaded;
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The policy for a page holding exactly this style and script. */
export function contentSecurityPolicy(assets: PageAssets, { live }: { live: boolean }): string {
  return [
    "default-src 'none'",
    `style-src ${sha256(assets.css)}`,
    `script-src ${sha256(assets.js)}`,
    "img-src data:",
    `connect-src ${live ? "'self'" : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * JSON that is safe inside a `<script type="application/json">`: no `<` at all (so no
 * `</script>` or `<!--`), and the two line separators JavaScript once treated as newlines.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export interface PageOptions {
  /** Embedded for a snapshot; absent for the live page, which reads /events. */
  state?: BoardState;
  assets?: PageAssets;
}

export function renderPage(options: PageOptions = {}): string {
  const assets = options.assets ?? pageAssets();
  const state = options.state;
  const title = state ? `cos board · ${state.repository} · ${state.generated_at}` : 'cos board';
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // The live page gets the policy as a header too (frame-ancestors works only there).
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(assets, { live: !state })}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="color-scheme" content="light dark">',
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${assets.css}</style>`,
    '</head>',
    '<body>',
    `<div id="board"><p class="empty">${state ? 'Loading the snapshot…' : 'Connecting to cos board…'}</p></div>`,
    state ? `<script type="application/json" id="cos-state">${embedJson(state)}</script>` : '',
    `<script>${assets.js}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
