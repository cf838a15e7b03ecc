/** A file where cos needs a folder (or a folder where it reads a file): one sentence naming it, exit 1, never "unexpected error". */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cos } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';

function oneSentence(stderr: string, command: string, pattern: RegExp): void {
  expect(stderr).not.toMatch(/unexpected error/);
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(new RegExp(`^cos ${command}: `));
  expect(stderr).toMatch(pattern);
}

describe('files and folders in the way', () => {
  it('cos post when .agent/status/current is a file', async () => {
    const root = testdir({ '.agent/status/current': '' });
    const result = await cos(['post', '--dir', root, '--sprint', 's', '--agent', 'a', '--status', 'IN_PROGRESS']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    oneSentence(result.stderr, 'post', /Cannot create the folder \.agent\/status\/current: it, or a folder above it, is a file; move that file aside and try again\.$/m);
  });

  it('cos scan and cos status report a file where a status folder should be, instead of all clear', async () => {
    const root = testdir({ '.agent/status/current': '' });
    const scan = await cos(['scan', '--dir', root, '--json']);
    expect(scan.code).toBe(0);
    const out = JSON.parse(scan.stdout);
    expect(out.problems).toBe(1);
    expect(out.findings.map((f: { kind: string; files: string[] }) => [f.kind, f.files])).toEqual([['malformed', ['.agent/status/current']]]);
    expect(out.findings[0].message).toMatch(/is a file where a folder should be/);
    const status = await cos(['status', '--dir', root]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/\.agent\/status\/current .*is a file where a folder should be/);
  });

  it('cos archive, cos dispatch and cos sync when a folder they create is a file', async () => {
    const root = testdir();
    expect((await cos(['init', '--dir', root])).code).toBe(0);
    expect((await cos(['post', '--dir', root, '--sprint', 'a', '--agent', 'dev', '--status', 'COMPLETE'])).code).toBe(0);
    expect((await cos(['post', '--dir', root, '--sprint', 'a', '--agent', 'qa', '--status', 'VERIFIED'])).code).toBe(0);
    writeFileSync(join(root, '.agent/status/archive/a'), '');
    const archive = await cos(['archive', '--dir', root]);
    expect(archive.code).toBe(1);
    oneSentence(archive.stderr, 'archive', /Cannot create the folder \.agent\/status\/archive\/a: /);

    rmSync(join(root, '.agent/status/.claims'), { recursive: true, force: true });
    writeFileSync(join(root, '.agent/status/.claims'), '');
    const dispatch = await cos(['dispatch', '--dir', root, 'developer', 'b']);
    expect(dispatch.code).toBe(1);
    oneSentence(dispatch.stderr, 'dispatch', /Cannot create the folder \.agent\/status\/\.claims: /);

    rmSync(join(root, '.agent/state'), { recursive: true, force: true });
    writeFileSync(join(root, '.agent/state'), '');
    const sync = await cos(['sync', '--dir', root, '--target', testdir()]);
    expect(sync.code).toBe(1);
    oneSentence(sync.stderr, 'sync', /Cannot create the folder \.agent\/state: /);
  });

  it('cos init when .agent/roles is a file', async () => {
    const root = testdir({ '.agent/roles': '' });
    const result = await cos(['init', '--dir', root]);
    expect(result.code).toBe(1);
    oneSentence(result.stderr, 'init', /Cannot create the folder \.agent\/roles: /);
  });

  it('cos dispatch when the role file is a folder, and cos status when the config is a folder', async () => {
    const root = testdir();
    expect((await cos(['init', '--dir', root])).code).toBe(0);
    rmSync(join(root, '.agent/roles/developer.md'));
    mkdirSync(join(root, '.agent/roles/developer.md'));
    const dispatch = await cos(['dispatch', '--dir', root, 'developer', 's']);
    expect(dispatch.code).toBe(1);
    oneSentence(dispatch.stderr, 'dispatch', /Cannot read \.agent\/roles\/developer\.md: it is a directory\.$/m);

    rmSync(join(root, '.agent/config/coordination.yaml'));
    mkdirSync(join(root, '.agent/config/coordination.yaml'));
    const status = await cos(['status', '--dir', root]);
    expect(status.code).toBe(1);
    oneSentence(status.stderr, 'status', /Cannot read \.agent\/config\/coordination\.yaml: it is a directory\.$/m);
  });
});
