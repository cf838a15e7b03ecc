/**
 * The git the guard runs itself (guard/guard-git.ts: the changed files of a `git reset --hard`, the
 * dry run of a `git clean`, the files of a stash applied, the configuration of a push) writes
 * nothing to the repository and runs nothing from it, through the built pre-tool-use hook in the
 * JSON Claude Code sends: `.git/index` keeps its inode, mtime and bytes; a post-index-change hook,
 * a clean filter, an fsmonitor command and a promisor remote's upload-pack command (a lazy fetch
 * of a partial clone) set in `.git/config` never run.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, testdir } from '../helpers/tmp.js';
import { bashPreToolUse, guardDecision, project } from '../hooks/run-hook.js';

const CONFIG = '.agent/config/coordination.yaml';
const ENV = { COS_SPRINT: 'wiring', COS_AGENT: 'dev' };

async function decision(root: string, command: string, session: string): Promise<string> {
  return (await guardDecision(root, bashPreToolUse(root, command, session), ENV)).rule;
}

/** A committed project with a dirty config, src/x.ts stat-dirty, and `.git/config` set to run a marker from every place git could. */
async function trapped(): Promise<{ root: string; marks: string }> {
  const root = await project();
  const marks = testdir();
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src/x.ts'), 'a\n');
  writeFileSync(join(root, '.gitattributes'), '* filter=evil\n');
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'project');
  const script = (name: string) => {
    const path = join(marks, `${name}.sh`);
    writeFileSync(path, `#!/bin/sh\ntouch '${join(marks, name)}'\ncat\n`);
    chmodSync(path, 0o755);
    return path;
  };
  mkdirSync(join(root, 'hooks'));
  writeFileSync(join(root, 'hooks/post-index-change'), `#!/bin/sh\ntouch '${join(marks, 'post-index-change')}'\n`);
  chmodSync(join(root, 'hooks/post-index-change'), 0o755);
  git(root, 'config', 'core.hooksPath', join(root, 'hooks'));
  git(root, 'config', 'filter.evil.clean', script('clean-filter'));
  git(root, 'config', 'filter.evil.required', 'true');
  git(root, 'config', 'core.fsmonitor', script('fsmonitor'));
  writeFileSync(join(root, CONFIG), 'version: 1\nttl_minutes: 3000\n');
  // Stat-dirty without a change of content, and the index older than every file: git would compare contents (racily clean).
  utimesSync(join(root, 'src/x.ts'), new Date('2020-01-01'), new Date('2020-01-01'));
  utimesSync(join(root, '.git/index'), new Date('2019-01-01'), new Date('2019-01-01'));
  return { root, marks };
}

function indexState(root: string): string {
  const stat = statSync(join(root, '.git/index'), { bigint: true });
  return `${stat.ino} ${stat.mtimeNs} ${createHash('sha256').update(readFileSync(join(root, '.git/index'))).digest('hex')}`;
}

describe('the git the guard runs writes nothing and runs nothing from the repository (through the built hook)', () => {
  it('.git/index is left byte for byte, and no hook, filter or fsmonitor of .git/config runs', { timeout: 120_000 }, async () => {
    const { root, marks } = await trapped();
    const before = indexState(root);
    const got: Record<string, string> = {};
    for (const [i, command] of ['git reset --hard', 'git checkout -f main', 'git switch --discard-changes main', 'git read-tree --reset -u HEAD', 'git clean -fd', 'git stash pop', 'git push -f'].entries()) {
      got[command] = await decision(root, command, `idx-${i}`);
    }
    expect(got['git reset --hard']).toBe('config-edit');
    expect(got['git checkout -f main']).toBe('config-edit');
    expect(indexState(root)).toBe(before);
    expect(['post-index-change', 'clean-filter', 'fsmonitor'].filter((name) => existsSync(join(marks, name)))).toEqual([]);
  });

  it("a submodule's own clean filter does not run either (qa-reviewer-s6e: git status inside each submodule)", { timeout: 120_000 }, async () => {
    const marks = testdir();
    const filter = join(marks, 'filter.sh');
    writeFileSync(filter, `#!/bin/sh\ntouch '${join(marks, 'submodule-filter')}'\ncat\n`);
    chmodSync(filter, 0o755);
    const library = testdir({ f: 'hello\n', '.gitattributes': '* filter=evil2\n' });
    git(library, 'init', '-q', '-b', 'main');
    git(library, 'add', '-A');
    git(library, 'commit', '-q', '-m', 'lib');
    const root = await project();
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'project');
    git(root, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', library, 'lib');
    git(root, 'commit', '-q', '-m', 'submodule');
    git(root, 'config', '--file', '.git/modules/lib/config', 'filter.evil2.clean', filter);
    // Stat-dirty without a change of content: git status in the submodule would compare contents through the filter.
    utimesSync(join(root, 'lib/f'), new Date('2020-01-01'), new Date('2020-01-01'));
    for (const [i, command] of ['git reset --hard', 'git switch --discard-changes main'].entries()) {
      expect(await decision(root, command, `sub-${i}`)).toBe('allow');
    }
    expect(existsSync(join(marks, 'submodule-filter'))).toBe(false);
  });

  it('a stash read in a partial clone does not fetch: the promisor remote upload-pack command does not run', { timeout: 60_000 }, async () => {
    const origin = await project();
    git(origin, 'init', '-q', '-b', 'main');
    git(origin, 'add', '-A');
    git(origin, 'commit', '-q', '-m', 'project');
    const root = testdir();
    git(root, 'clone', '-q', '--no-local', origin, '.');
    const mark = join(testdir(), 'MARK');
    git(root, 'config', 'core.repositoryformatversion', '1');
    git(root, 'config', 'extensions.partialClone', 'origin');
    git(root, 'config', 'remote.origin.promisor', 'true');
    git(root, 'config', 'remote.origin.uploadpack', `touch '${mark}'; git-upload-pack`);
    // Plain git, asked for a commit it does not have, fetches it lazily and runs the command.
    try {
      git(root, 'rev-parse', '--verify', '--quiet', '0123456789abcdef0123456789abcdef01234567^{commit}');
    } catch {
      // not found after the fetch
    }
    expect(existsSync(mark)).toBe(true);
    rmSync(mark);
    const rule = await decision(root, 'git stash apply 0123456789abcdef0123456789abcdef01234567', 'lazy');
    // git would fetch the commit and apply it: what it holds is unknown, so too complex to check.
    expect(rule).toBe('too-complex');
    expect(existsSync(mark)).toBe(false);
  });
});
