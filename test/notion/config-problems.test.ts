/** notion-sync.yaml: every problem reported at once (like coordination.yaml), and whether sync is on read as YAML. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isConfigured, resolveNotionConfig } from '../../src/notion/config.js';
import { NOTION_SYNC_YAML } from '../../src/templates/config.js';
import { testdir } from '../helpers/tmp.js';

const FILE = '.agent/config/notion-sync.yaml';

describe('notion-sync.yaml', () => {
  it('names every bad key, each in its own sentence naming the file (as coordination.yaml), not only the first', () => {
    const raw = { database_id: 42, token_env: 'has space', rate_per_second: -1, concurrency: 99, properties: { nope: 'X', sprint: null } };
    let message = '';
    try {
      resolveNotionConfig(raw, FILE);
    } catch (error) {
      message = (error as Error).message;
    }
    const lines = message.split('\n');
    for (const key of ['"database_id" is 42 but', '"token_env" is "has space" but', '"rate_per_second" is -1 but', '"concurrency" is 99 but', '"properties.nope" is not a field', '"properties.sprint" cannot be turned off']) {
      expect(lines.filter((line) => line.includes(key))).toHaveLength(1);
    }
    expect(lines).toHaveLength(6);
    for (const line of lines) {
      expect(line.startsWith(`${FILE}: `)).toBe(true);
      expect(line.endsWith('.')).toBe(true);
    }
  });

  it('sync is on exactly when database_id holds an id, whatever the YAML spelling', () => {
    const cases: Array<[string, boolean]> = [
      [NOTION_SYNC_YAML, false],
      ['database_id: ~\n', false],
      ["database_id: ''\n", false],
      ['database_id: null # later\n', false],
      ['{ database_id: "" }\n', false],
      ['token_env: NOTION_TOKEN\n', false],
      ['database_id: 1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6\n', true],
      ['"database_id": abc-123\n', true],
      ['{ database_id: abc }\n', true],
      ['database_id: [unclosed\n', true],
    ];
    for (const [text, on] of cases) {
      const root = testdir({ [FILE]: text });
      expect([text, isConfigured(root)]).toEqual([text, on]);
    }
    expect(isConfigured(testdir())).toBe(false);
    const dir = testdir({ [FILE]: 'x' });
    writeFileSync(join(dir, FILE), 'database_id: abc\n');
    expect(isConfigured(dir)).toBe(true);
  });
});
