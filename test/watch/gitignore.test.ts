/**
 * The old `state/` line of `.agent/.gitignore` (store/gitignore.ts) is a finding of cos scan and
 * cos status; cos watch shows it the same way — at start, and resolved once cos init rewrites the
 * line — through the built CLI as real processes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';
import { startWatcher, type Line } from './watcher.js';

const OLD_GITIGNORE = 'state/\n*.lock\n';
const repository = () =>
  testdir({
    '.agent/config/coordination.yaml': 'version: 1\nwatch:\n  reconcile_seconds: 1\n',
    '.agent/.gitignore': OLD_GITIGNORE,
  });
const isGitignore = (event: string) => (l: Line) => l.event === event && l.finding.kind === 'malformed' && l.finding.files[0] === '.agent/.gitignore';

describe('cos watch and the old state/ line of .agent/.gitignore', () => {
  it('--once reports the same finding as cos scan, in JSON and in text', async () => {
    const root = repository();
    const scan = await runCli(['scan', '--json', '--dir', root]);
    const [finding] = (JSON.parse(scan.stdout) as { findings: unknown[] }).findings;
    expect(finding).toMatchObject({ kind: 'malformed', severity: 'WARN', files: ['.agent/.gitignore'] });
    const once = await runCli(['watch', '--once', '--json', '--no-notion', '--dir', root]);
    expect(once.code).toBe(0);
    const lines = once.stdout.trim().split('\n').map((line) => JSON.parse(line) as Line);
    expect(lines.filter((l) => l.event === 'finding').map((l) => l.finding)).toEqual([finding]);
    expect(lines.at(-1)).toMatchObject({ event: 'summary', summary: { problems: 1, findings: 1 } });
    const text = await runCli(['watch', '--once', '--no-notion', '--dir', root]);
    const message = (finding as { message: string; action: string }).message;
    expect(text.stdout).toContain(`WARN     malformed  ${message}\n`);
    expect(text.stdout).toContain(`→ ${(finding as { action: string }).action}`);
  }, 60_000);

  it('a running watcher shows it at start and reports it resolved when cos init rewrites the line', async () => {
    const root = repository();
    const watcher = startWatcher(root, ['--no-notion']);
    const found = await watcher.waitFor(isGitignore('finding'), 'the .agent/.gitignore finding');
    expect(found).toMatchObject({ initial: true, finding: { severity: 'WARN', sprint: null } });
    const watching = await watcher.waitFor((l) => l.event === 'watching', 'the watching event');
    expect(watching.summary).toMatchObject({ problems: 1, findings: 1 });
    expect((await runCli(['init', '--dir', root])).code).toBe(0);
    expect(readFileSync(join(root, '.agent/.gitignore'), 'utf8')).toBe('/state/\n*.lock\n');
    await watcher.waitFor(isGitignore('resolved'), 'the .agent/.gitignore finding resolved', 60_000);
    watcher.child.kill('SIGTERM');
    expect(await watcher.exited).toEqual({ code: 0, signal: null });
    expect(watcher.lines.at(-1)).toMatchObject({ event: 'summary', reason: 'shutdown', summary: { problems: 0, findings: 0 } });
  }, 120_000);
});
