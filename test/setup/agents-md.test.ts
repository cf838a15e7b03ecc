/** cos setup agents-md: a protocol section between markers, idempotent, everything else kept, removable. */
import { existsSync, lstatSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BEGIN, END, removeSection, upsertSection } from '../../src/setup/markers.js';
import { cos } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';

async function initialised(files: Record<string, string> = {}): Promise<string> {
  const root = testdir(files);
  expect((await cos(['init', '--dir', root])).code).toBe(0);
  return root;
}

const read = (root: string, file: string) => readFileSync(join(root, file), 'utf8');

describe('cos setup agents-md', () => {
  it('CLAUDE.md as a symlink to AGENTS.md stays a symlink, and the file gets one section', async () => {
    const original = '# My project\n';
    const root = await initialised({ 'AGENTS.md': original });
    symlinkSync('AGENTS.md', join(root, 'CLAUDE.md'));
    const result = await cos(['setup', 'agents-md', '--dir', root]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('AGENTS.md: updated\n');
    expect(lstatSync(join(root, 'CLAUDE.md')).isSymbolicLink()).toBe(true);
    expect(read(root, 'AGENTS.md').split(BEGIN)).toHaveLength(2);
    expect((await cos(['setup', 'agents-md', '--file', 'CLAUDE.md', '--dir', root])).stdout).toContain('nothing to change');
    expect((await cos(['setup', 'agents-md', '--remove', '--dir', root])).code).toBe(0);
    expect(lstatSync(join(root, 'CLAUDE.md')).isSymbolicLink()).toBe(true);
    expect(read(root, 'AGENTS.md')).toBe(original);
  });

  it('writes the commands and every role\'s standing orders into AGENTS.md, keeping the rest; twice changes nothing; --remove restores', async () => {
    const original = '# My project\n\nBuild with `make`.\n';
    const root = await initialised({ 'AGENTS.md': original });
    const result = await cos(['setup', 'agents-md', '--dir', root]);
    expect(result.code).toBe(0);
    const text = read(root, 'AGENTS.md');
    expect(text.startsWith(`${original}\n${BEGIN}\n`)).toBe(true);
    expect(text.endsWith(`${END}\n`)).toBe(true);
    for (const command of ['--status IN_PROGRESS', 'cos heartbeat --sprint <sprint> --agent <you>', '--status VERIFIED --verifies', 'cos resolve <URGENT/BLOCKER entry file>', 'cos ack ', '--status FAILED --error', '--status FAILED --verifies']) {
      expect(text).toContain(command);
    }
    // The developer role's standing orders, read from .agent/roles/developer.md.
    expect(text).toContain('**developer** (Developer):');
    expect(text).toContain('- On FAILED, give an error signature (--error) that another attempt can be compared with.');
    expect(text).toContain('**qa-reviewer**');

    expect((await cos(['setup', 'agents-md', '--dir', root])).stdout).toContain('nothing to change');
    expect(read(root, 'AGENTS.md')).toBe(text);

    expect((await cos(['setup', 'agents-md', '--remove', '--dir', root])).code).toBe(0);
    expect(read(root, 'AGENTS.md')).toBe(original);
  });

  it('replaces only the block between the markers when roles change, and writes CLAUDE.md when asked', async () => {
    const root = await initialised({ 'CLAUDE.md': 'Intro\n' });
    expect((await cos(['setup', 'agents-md', '--dir', root])).code).toBe(0);
    // Default: AGENTS.md, and CLAUDE.md because it exists.
    expect(read(root, 'AGENTS.md')).toContain(BEGIN);
    expect(read(root, 'CLAUDE.md')).toContain(BEGIN);
    const edited = read(root, 'CLAUDE.md') + '\nMy own notes after the block.\n';
    writeFileSync(join(root, 'CLAUDE.md'), edited);
    const role = read(root, '.agent/roles/developer.md').replace('Commit early with honest messages', 'Run the linter before every commit');
    writeFileSync(join(root, '.agent/roles/developer.md'), role);
    expect((await cos(['setup', 'agents-md', '--file', 'CLAUDE.md', '--dir', root])).code).toBe(0);
    const after = read(root, 'CLAUDE.md');
    expect(after).toContain('- Run the linter before every commit');
    expect(after).not.toContain('Commit early with honest messages');
    expect(after.startsWith('Intro\n\n<!-- cos:begin -->')).toBe(true);
    expect(after.endsWith('<!-- cos:end -->\n\nMy own notes after the block.\n')).toBe(true);
  });

  it('--role limits the standing orders; an unknown role is one sentence', async () => {
    const root = await initialised();
    expect((await cos(['setup', 'agents-md', '--role', 'developer', '--dir', root])).code).toBe(0);
    const text = read(root, 'AGENTS.md');
    expect(text).toContain('**developer**');
    expect(text).not.toContain('**qa-reviewer**');
    const bad = await cos(['setup', 'agents-md', '--role', 'wizard', '--dir', root]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Unknown role "wizard"');
  });

  it('an unpaired marker or a path outside the repository writes nothing', async () => {
    const root = await initialised({ 'AGENTS.md': `x\n${BEGIN}\nhalf\n` });
    const result = await cos(['setup', 'agents-md', '--dir', root]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('marker without its partner');
    expect(read(root, 'AGENTS.md')).toBe(`x\n${BEGIN}\nhalf\n`);
    const outside = await cos(['setup', 'agents-md', '--file', '../AGENTS.md', '--dir', root]);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain('inside the repository');
  });

  it('--dry-run shows the diff and creates nothing', async () => {
    const root = await initialised();
    const result = await cos(['setup', 'agents-md', '--dry-run', '--dir', root]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('+++ b/AGENTS.md');
    expect(result.stdout).toContain(`+${BEGIN}`);
    expect(existsSync(join(root, 'AGENTS.md'))).toBe(false);
  });
});

describe('markers (pure)', () => {
  it('round-trips texts with and without a final newline, and CRLF', () => {
    for (const original of ['', 'a', 'a\n', 'a\n\n', 'a\r\nb\r\n']) {
      const { text } = upsertSection(original === '' ? null : original, 'Section\nbody', 'F.md');
      expect(upsertSection(text, 'Section\nbody', 'F.md')).toEqual({ text, changed: false });
      const back = removeSection(text, 'F.md').text;
      // Only a text without a final newline gains one.
      expect(back).toBe(original === '' ? null : original === 'a' ? 'a\n' : original);
    }
  });
});
