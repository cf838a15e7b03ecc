/**
 * `cos post --commit` whose git commit fails after the entry was written (README, "JSON output"):
 * the entry stays, and it is still printed — its path, or with --json its whole document with
 * `"commit": null`, `"ok": false` and the error — beside one sentence on stderr naming the failure
 * and the file, exit 5. Through the built CLI as a child process, in real git repositories made
 * to fail four ways: a pre-commit hook that refuses, no user identity, an index.lock another git
 * holds, no repository at all.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEntry } from '../../src/protocol/entry.js';
import { cos, runCli } from '../helpers/cli.js';
import { git, gitdir, testdir } from '../helpers/tmp.js';

const CURRENT = '.agent/status/current';

/** A repository made to refuse commits one way; `env` is what the cos process runs with. */
interface Broken {
  root: string;
  env: NodeJS.ProcessEnv;
  /** Text git (or cos) gives for it, found in the sentence. */
  says: RegExp;
}

/** The environment of a process without any git identity from outside the repository. */
function noIdentityEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: join(home, 'gitconfig') };
  for (const name of ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'EMAIL']) delete env[name];
  return env;
}

async function project(root: string): Promise<void> {
  expect((await runCli(['init', '--dir', root])).code).toBe(0);
}

const WAYS: Record<string, () => Promise<Broken>> = {
  'a pre-commit hook that refuses': async () => {
    const root = gitdir({ 'README.md': 'r\n' });
    await project(root);
    writeFileSync(join(root, '.git/hooks/pre-commit'), '#!/bin/sh\necho "hook says no" >&2\nexit 1\n', { mode: 0o755 });
    return { root, env: process.env, says: /git commit failed \(hook says no\)/ };
  },
  'no user identity': async () => {
    const root = testdir({ 'README.md': 'r\n' });
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'config', 'user.useConfigOnly', 'true');
    git(root, 'config', 'commit.gpgsign', 'false');
    await project(root);
    const home = testdir({ gitconfig: '' });
    return { root, env: noIdentityEnv(home), says: /git commit failed \(.*(identity|user\.email|name)/i };
  },
  'an index.lock another git holds': async () => {
    const root = gitdir({ 'README.md': 'r\n' });
    await project(root);
    writeFileSync(join(root, '.git/index.lock'), '');
    return { root, env: process.env, says: /git add failed \(.*index\.lock/ };
  },
  'no git repository': async () => {
    const root = testdir();
    await project(root);
    return { root, env: process.env, says: /not inside a git repository/ };
  },
};

const entries = (root: string) => readdirSync(join(root, CURRENT)).filter((name) => name.endsWith('.md'));

describe('cos post --commit when the commit fails', () => {
  for (const [way, make] of Object.entries(WAYS)) {
    it(`${way}: --json prints the written entry with "commit": null and the error; one sentence on stderr; exit 5`, async () => {
      const broken = await make();
      const before = entries(broken.root);
      const result = await runCli(['post', '--json', '--commit', '--sprint', 'wiring', '--agent', 'dev', '--status', 'IN_PROGRESS', '-m', 'started', '--dir', broken.root], {
        baseEnv: broken.env,
      });
      expect(result.code).toBe(5);
      const document = JSON.parse(result.stdout);
      expect(Object.keys(document)).toEqual(['version', 'entry', 'commit', 'ok', 'error']);
      expect(document).toMatchObject({ version: 1, commit: null, ok: false, error: { code: 'external', exit_code: 5 } });
      // The document is the entry on disk: the one new file, whose fields and body it carries.
      const added = entries(broken.root).filter((name) => !before.includes(name));
      expect(added).toEqual([document.entry.name]);
      expect(document.entry.file).toBe(`${CURRENT}/${document.entry.name}`);
      const parsed = parseEntry(readFileSync(join(broken.root, document.entry.file), 'utf8'), { path: document.entry.file, file: document.entry.name, location: 'current' });
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      expect(parsed.entry).toMatchObject({ sprint: 'wiring', agent: 'dev', status: 'IN_PROGRESS', body: document.entry.body });
      expect(document.entry.body).toContain('started');
      // One sentence on stderr: the failure, naming the written file; the document's message is it.
      expect(result.stderr).toBe(`cos post: ${document.error.message}\n`);
      expect(document.error.message).toMatch(broken.says);
      expect(document.error.message).toContain(`${document.entry.file} is written but not committed`);
    }, 120_000);
  }

  it('without --json: the path on stdout, the sentence on stderr, exit 5', async () => {
    const broken = await WAYS['a pre-commit hook that refuses']!();
    const result = await runCli(['post', '--commit', '--sprint', 'wiring', '--agent', 'dev', '--status', 'NOTE', '--dir', broken.root]);
    expect(result.code).toBe(5);
    const [name] = entries(broken.root);
    expect(result.stdout).toBe(`${CURRENT}/${name}\n`);
    expect(result.stderr).toBe(`cos post: git commit failed (hook says no); ${CURRENT}/${name} is written but not committed — commit it by hand (running the command again does not).\n`);
    expect(git(broken.root, 'log', '--format=%s').trim()).toBe('fixture');
  }, 60_000);

  it('a commit that succeeds: "commit" is its sha, and no "ok" or "error"', async () => {
    const root = gitdir({ 'README.md': 'r\n' });
    await project(root);
    const result = await runCli(['post', '--json', '--commit', '--sprint', 'wiring', '--agent', 'dev', '--status', 'NOTE', '--dir', root]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const document = JSON.parse(result.stdout);
    expect(Object.keys(document)).toEqual(['version', 'entry', 'commit']);
    expect(document.commit).toBe(git(root, 'rev-parse', 'HEAD').trim());
  }, 60_000);

  it('property: whatever git does, --json names the one file written, and the exit code is its error\'s (or 0)', async () => {
    // In process (main(), the same run() the binary calls) to afford many repositories.
    const hooks = { refuses: '#!/bin/sh\necho no >&2\nexit 1\n', accepts: '#!/bin/sh\nexit 0\n', none: null };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(hooks) as Array<keyof typeof hooks>)),
        fc.constantFrom('IN_PROGRESS', 'NOTE', 'BLOCKED', 'COMPLETE'),
        fc.boolean(),
        async (hook, status, staged) => {
          const root = gitdir({ 'README.md': 'r\n', 'other.txt': 'o\n' });
          expect((await cos(['init', '--dir', root])).code).toBe(0);
          if (hooks[hook] !== null) writeFileSync(join(root, '.git/hooks/pre-commit'), hooks[hook]!, { mode: 0o755 });
          if (staged) {
            writeFileSync(join(root, 'other.txt'), 'staged\n');
            git(root, 'add', 'other.txt');
          }
          const before = entries(root);
          const result = await cos(['post', '--json', '--commit', '--sprint', 's', '--agent', 'a', '--status', status, '--dir', root]);
          const document = JSON.parse(result.stdout);
          expect(entries(root).filter((name) => !before.includes(name))).toEqual([document.entry.name]);
          expect(result.code).toBe(document.error?.exit_code ?? 0);
          expect(document.ok === false).toBe(hook === 'refuses');
          expect(document.commit === null).toBe(hook === 'refuses');
          expect(result.stderr).toBe(hook === 'refuses' ? `cos post: ${document.error.message}\n` : '');
          // The user's staged change is never committed, whichever way it went.
          if (staged) expect(git(root, 'diff', '--cached', '--name-only')).toContain('other.txt');
        },
      ),
      { numRuns: 12 },
    );
  }, 180_000);
});
