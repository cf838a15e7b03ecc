/**
 * Any coordination.yaml either loads or yields problems that name keys the file really has a
 * place for — never a throw from inside the validator, never a stack trace.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { DEFAULT_CONFIG, resolveConfig } from '../../src/config/schema.js';
import { CosError } from '../../src/errors.js';
import { testdir } from '../helpers/tmp.js';

/** The documented keys (PRODUCT.md, docs/ and the template cos init writes), written out here on purpose. */
const SECTIONS: Record<string, string[]> = {
  archive: ['max_current', 'max_age_days'],
  dispatch: ['attempt_cap', 'remote'],
  scan: ['fail_on'],
  watch: ['reconcile_seconds', 'exec_timeout_seconds', 'notion_debounce_seconds'],
  heartbeat: ['min_interval_seconds'],
  guard: ['deny', 'protected_branches', 'approval_minutes'],
  escalation: ['repeat_minutes'],
  notify: ['INFO', 'WARN', 'URGENT', 'BLOCKER'],
};
const LEAVES = ['version', 'protocol', 'verification', 'ttl_minutes', 'local_root', 'budget_usd_per_sprint'];
const REAL_KEYS = new Set([...LEAVES, ...Object.keys(SECTIONS), ...Object.entries(SECTIONS).flatMap(([section, keys]) => keys.map((key) => `${section}.${key}`))]);

const leaf = fc.oneof(
  fc.integer({ min: -5, max: 100 }),
  fc.double({ noNaN: false }),
  fc.string({ maxLength: 12 }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('required', 'optional', 'URGENT', 'never', '~/.claude', 'force-push', '', ' ', '__proto__', 'constructor'),
  fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.constant(null)), { maxLength: 3 }),
);
const key = (known: readonly string[]) => fc.oneof(fc.constantFrom(...known), fc.constantFrom(...known), fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'toString'));
const section = (name: string) => fc.oneof(leaf, fc.dictionary(key(SECTIONS[name] ?? []), leaf, { maxKeys: 4 }));
const document = fc.dictionary(key([...LEAVES, ...Object.keys(SECTIONS)]), leaf, { maxKeys: 8 }).chain((top) =>
  fc.record(Object.fromEntries(Object.keys(SECTIONS).map((name) => [name, fc.option(section(name), { nil: undefined })]))).map((sections) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(top)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    for (const [k, v] of Object.entries(sections)) if (v !== undefined) out[k] = v;
    return out;
  }),
);

const ERROR = /^"([^"]+)" is (.+) but (must .+)$/;

describe('coordination.yaml, any document', () => {
  it('resolveConfig never throws; each error names a real key and the value given, each warning a key the document has', () => {
    fc.assert(
      fc.property(fc.oneof(document, fc.anything()), (raw) => {
        const resolved = resolveConfig(raw);
        for (const error of resolved.errors) {
          if (error.startsWith('the file must be a mapping')) {
            expect(raw === null || typeof raw !== 'object' || Array.isArray(raw)).toBe(true);
            continue;
          }
          const match = ERROR.exec(error);
          expect(match, error).not.toBeNull();
          expect(REAL_KEYS.has(match?.[1] ?? ''), error).toBe(true);
        }
        for (const warning of resolved.warnings) {
          const name = /^unknown key "(.*)" is ignored$/s.exec(warning)?.[1];
          expect(name, warning).toBeDefined();
          expect(REAL_KEYS.has(name ?? ''), warning).toBe(false);
          // A top-level key of the document, or a key inside one of the real sections.
          const record = raw as Record<string, unknown>;
          const dot = (name ?? '').indexOf('.');
          const head = (name ?? '').slice(0, dot);
          const inSection = dot > 0 && Object.hasOwn(SECTIONS, head) && Object.hasOwn((record[head] ?? {}) as object, (name ?? '').slice(dot + 1));
          expect(Object.hasOwn(record, name ?? '') || inSection, warning).toBe(true);
        }
        if (resolved.errors.length === 0) {
          // What loaded is a complete config that loads again as itself, with no problem.
          const again = resolveConfig(resolved.config);
          expect(again).toEqual({ config: resolved.config, warnings: [], errors: [] });
        } else {
          expect(resolved.config).toEqual(DEFAULT_CONFIG);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('loadConfig over the same documents written as YAML: a config, or one InputError whose every line names the file', () => {
    const root = testdir();
    mkdirSync(join(root, '.agent/config'), { recursive: true });
    const file = '.agent/config/coordination.yaml';
    fc.assert(
      fc.property(document, (raw) => {
        writeFileSync(join(root, file), stringify(raw));
        let loaded: ReturnType<typeof loadConfig> | null = null;
        try {
          loaded = loadConfig(root);
        } catch (error) {
          expect(error).toBeInstanceOf(CosError);
          expect((error as CosError).exitCode).toBe(1);
          for (const line of (error as Error).message.split('\n')) expect(line.startsWith(`${file}`), line).toBe(true);
          return;
        }
        expect(loaded.file).toBe(file);
        for (const warning of loaded.warnings) expect(warning.startsWith(`${file}: unknown key "`)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
