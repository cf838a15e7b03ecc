/**
 * An existing repository whose .agent/.gitignore was written by an older cos (the unanchored
 * `state/` line) keeps ignoring status/archive/state/, the archive of a sprint named state. cos
 * scan reports it; cos init rewrites exactly that line. Real git, real CLI processes.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { git, gitdir } from '../helpers/tmp.js';

const OLD = '# Local to this machine: never committed.\nstate/\nstatus/.claims/\nstatus/**/.*.tmp\nstatus/**/*.lock/\n';

describe('the old state/ line of .agent/.gitignore', () => {
  it('hides an archived sprint named state from git; cos scan says so; cos init rewrites only that line and git sees the archive', async () => {
    const repo = gitdir({ 'README.md': 'x\n' });
    expect((await runCli(['init', '--dir', repo])).code).toBe(0);
    // A hand-added line and CRLF-free text around it must survive the rewrite byte for byte.
    writeFileSync(join(repo, '.agent/.gitignore'), `${OLD}# mine\nscratch/\n`);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'an older cos');
    // The bug: an archived sprint named state is ignored by git.
    const ignored = (path: string) => spawnSync('git', ['check-ignore', '-q', path], { cwd: repo }).status === 0;
    expect(ignored('.agent/status/archive/state/001-2026-01-01T00-00-00Z-dev.md')).toBe(true);

    const scan = JSON.parse((await runCli(['scan', '--json', '--dir', repo])).stdout) as { findings: Array<{ kind: string; files: string[]; message: string; action: string }> };
    const finding = scan.findings.find((f) => f.kind === 'malformed' && f.files.includes('.agent/.gitignore'));
    expect(finding?.message).toMatch(/^\.agent\/\.gitignore is malformed: its line state\/ \(written by an older cos\) also ignores status\/archive\/state\//);
    expect(finding?.action).toMatch(/^cos init/);

    const init = await runCli(['init', '--dir', repo]);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/^Updated \.agent\/\.gitignore: its line state\/ is now \/state\//);
    expect(readFileSync(join(repo, '.agent/.gitignore'), 'utf8')).toBe(`${OLD.replace('\nstate/\n', '\n/state/\n')}# mine\nscratch/\n`);
    expect(git(repo, 'status', '--porcelain', '--untracked-files=all')).toBe(' M .agent/.gitignore\n');
    expect(ignored('.agent/status/archive/state/001-2026-01-01T00-00-00Z-dev.md')).toBe(false);
    // cos's own local folder stays ignored.
    expect(git(repo, 'check-ignore', '.agent/state/x.json').trim()).toBe('.agent/state/x.json');
    const again = JSON.parse((await runCli(['scan', '--json', '--dir', repo])).stdout) as { findings: Array<{ files: string[] }> };
    expect(again.findings.filter((f) => f.files.includes('.agent/.gitignore'))).toEqual([]);
    // A second init changes nothing.
    expect(JSON.parse((await runCli(['init', '--json', '--dir', repo])).stdout).updated).toEqual([]);
  }, 240_000);

  it('cos archive of a sprint named state rewrites that line first, so archive --commit versions the archived entries', async () => {
    const repo = gitdir({ 'README.md': 'x\n' });
    expect((await runCli(['init', '--dir', repo])).code).toBe(0);
    writeFileSync(join(repo, '.agent/.gitignore'), OLD);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'an older cos');
    for (const [agent, status] of [['dev', 'COMPLETE'], ['qa', 'VERIFIED']]) {
      expect((await runCli(['post', '--dir', repo, '--sprint', 'state', '--agent', agent!, '--status', status!])).code).toBe(0);
    }
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'the state sprint is done');
    const archive = await runCli(['archive', '--commit', '--dir', repo]);
    expect(archive.stderr).toBe('');
    expect(archive.code).toBe(0);
    expect(archive.stdout).toMatch(/^Updated \.agent\/\.gitignore: its line state\/ is now \/state\//);
    expect(git(repo, 'ls-files', '.agent/status/archive/state').split('\n').filter(Boolean)).toHaveLength(2);
    expect(git(repo, 'show', 'HEAD:.agent/.gitignore')).toContain('\n/state/\n');
    expect(git(repo, 'status', '--porcelain', '--untracked-files=all')).toBe('');
  }, 240_000);
});
