/** agent-cos's own version, read once from its package.json (the one place it is written). */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The `version` of package.json (`cos --version`, the MCP server's version). */
export function packageVersion(): string {
  if (cached === undefined) {
    // dist/version.js and src/version.ts both sit one folder below package.json.
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    cached = typeof manifest.version === 'string' ? manifest.version : '0.0.0';
  }
  return cached;
}
