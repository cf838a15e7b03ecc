/**
 * Path leases end to end: cos lease / cos release, the refusal (exit 3) of an overlapping lease,
 * the lease-conflict finding, and the pre-commit hook that cos setup git-hooks installs, in a real
 * git repository: a commit touching a leased path is refused with a sentence naming the lease,
 * allowed after the lease's ttl, allowed with a warning for a person; the hook chains to an
 * existing one and respects core.hooksPath.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cos, runCli } from '../helpers/cli.js';
import { git, gitdir, testdir } from '../helpers/tmp.js';

const MIN = 60_000;

async function repo(): Promise<string> {
  const root = gitdir({ 'src/api/users.ts': 'export {};\n', 'docs/readme.md': '# x\n' });
  expect((await cos(['init', '--dir', root])).code).toBe(0);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'init');
  return root;
}

/** git commit as an agent (COS_AGENT) or a person, through the installed hook. */
function commit(root: string, file: string, agent: string | null, env: NodeJS.ProcessEnv = {}) {
  writeFileSync(join(root, file), `// ${Math.random()}\n`);
  git(root, 'add', file);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x.invalid', ...env };
  delete childEnv.COS_AGENT;
  if (agent !== null) childEnv.COS_AGENT = agent;
  return spawnSync('git', ['commit', '-q', '-m', `touch ${file}`], { cwd: root, env: childEnv, encoding: 'utf8' });
}

describe('cos lease / cos release', () => {
  it('a second agent leasing an overlapping glob is refused (exit 3) naming the holder; a disjoint one is fine', async () => {
    const root = await repo();
    const first = await cos(['lease', '--dir', root, '--sprint', 'api', '--agent', 'backend', 'src/api/**']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/leased src\/api\/\*\* until /);
    const second = await cos(['lease', '--dir', root, '--sprint', 'ui', '--agent', 'frontend', 'src/**/*.ts']);
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(/^cos lease: src\/\*\*\/\*\.ts overlaps src\/api\/\*\*, leased by backend on sprint api until .* \(\d{3}-.*-backend\.md\); ask backend to release it/);
    expect((await cos(['lease', '--dir', root, '--sprint', 'ui', '--agent', 'frontend', 'src/web/**', 'docs/*.md'])).code).toBe(0);
    // The same agent may widen its own lease.
    expect((await cos(['lease', '--dir', root, '--sprint', 'api', '--agent', 'backend', 'db/**/*.sql'])).code).toBe(0);
    // Bad patterns: one sentence, exit 1.
    expect((await cos(['lease', '--dir', root, '--sprint', 'api', '--agent', 'backend', '../etc/**'])).stderr).toMatch(/Invalid lease pattern "..\/etc\/\*\*": it climbs out/);
    expect((await cos(['lease', '--dir', root, '--sprint', 'api', '--agent', 'backend', '/etc'])).code).toBe(1);
    // Shown in cos status and the brief.
    const status = await cos(['status', '--json', '--dir', root]);
    expect(JSON.parse(status.stdout).leases.map((l: { agent: string; pattern: string }) => `${l.agent}:${l.pattern}`)).toEqual(['backend:src/api/**', 'frontend:src/web/**', 'frontend:docs/*.md', 'backend:db/**/*.sql']);
    expect((await cos(['status', '--dir', root])).stdout).toMatch(/Leases:\n.*backend.*src\/api\/\*\*/);
    expect((await cos(['brief', '--dir', root])).stdout).toMatch(/Leases/);
    // Released, the pattern is free for the other agent.
    const released = await cos(['release', '--dir', root, '--sprint', 'api', '--agent', 'backend', 'src/api/**']);
    expect(released.code).toBe(0);
    expect((await cos(['release', '--dir', root, '--sprint', 'api', '--agent', 'backend', 'src/api/**'])).code).toBe(1);
    const retry = await cos(['lease', '--dir', root, '--sprint', 'ui', '--agent', 'frontend', 'src/**/*.ts']);
    expect(retry.code).toBe(0); // backend's db/**/*.sql cannot match a .ts file under src/
  });

  it('a lease that ran out stays out when its holder heartbeats again; heartbeats while it is live keep it', { timeout: 60_000 }, async () => {
    const root = await repo();
    const t0 = Date.now();
    const at = (seconds: number) => new Date(t0 + seconds * 1000);
    const as = (seconds: number, args: string[], agent: string) => cos([...args, '--dir', root], { now: at(seconds), env: { COS_AGENT: agent } });
    expect((await as(0, ['post', '--sprint', 'api', '--agent', 'backend', '--status', 'IN_PROGRESS', '-m', 'api work'], 'backend')).code).toBe(0);
    expect((await as(0, ['lease', '--sprint', 'api', '--agent', 'backend', '--ttl', '1', 'src/**'], 'backend')).code).toBe(0);
    // A heartbeat while the lease is live refreshes it: at 80 s it still holds (until 90 s).
    expect((await as(30, ['heartbeat', '--sprint', 'api', '--agent', 'backend'], 'backend')).code).toBe(0);
    const refused = await as(80, ['lease', '--sprint', 'web', '--agent', 'frontend', 'src/x.ts'], 'frontend');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('backend');
    // Past 90 s it has run out; frontend takes the path; backend's next heartbeat does not revive its lease.
    expect((await as(120, ['lease', '--sprint', 'web', '--agent', 'frontend', 'src/x.ts'], 'frontend')).code).toBe(0);
    expect((await as(150, ['heartbeat', '--sprint', 'api', '--agent', 'backend'], 'backend')).code).toBe(0);
    const scan = await as(160, ['scan', '--json'], 'backend');
    expect(JSON.parse(scan.stdout).findings.filter((f: { kind: string }) => f.kind === 'lease-conflict')).toEqual([]);
    writeFileSync(join(root, 'src/x.ts'), 'x\n');
    git(root, 'add', 'src/x.ts');
    expect((await as(160, ['guard', 'pre-commit'], 'frontend')).code).toBe(0);
  });

  it('two live overlapping leases (taken in two clones and merged) are a lease-conflict finding', async () => {
    const root = await repo();
    expect((await cos(['lease', '--dir', root, '--sprint', 'api', '--agent', 'backend', 'src/api/**'])).code).toBe(0);
    // The other clone's lease, as a merge would bring it in.
    await cos(['post', '--dir', root, '--sprint', 'ui', '--agent', 'frontend', '--status', 'IN_PROGRESS']);
    const { postEntry } = await import('../../src/store/write.js');
    postEntry(root, { sprint: 'ui', agent: 'frontend', status: 'NOTE', lease: ['src/*/users.ts'] });
    const scan = JSON.parse((await cos(['scan', '--json', '--fail-on', 'never', '--dir', root])).stdout);
    expect(scan.findings.filter((f: { kind: string }) => f.kind === 'lease-conflict')).toEqual([
      expect.objectContaining({ severity: 'URGENT', message: expect.stringContaining('backend (api) leases src/api/** and frontend (ui) leases src/*/users.ts') }),
    ]);
  });
});

describe('cos guard pre-commit, installed by cos setup git-hooks', () => {
  it('an older cos hook is updated by one atomic replace (a new file renamed into place), executable, never rewritten in place', async () => {
    const root = await repo();
    expect((await runCli(['setup', 'git-hooks', '--dir', root])).code).toBe(0);
    const hook = join(root, '.git/hooks/pre-commit');
    const current = readFileSync(hook, 'utf8');
    const older = current.replace('run_cos guard pre-commit', 'run_cos guard pre-commit --old');
    writeFileSync(hook, older);
    // A second name for the old file: an in-place write would change it too, a replace leaves it.
    linkSync(hook, join(root, '.git/hooks/old-pre-commit'));
    const setup = await runCli(['setup', 'git-hooks', '--dir', root]);
    expect(setup.code).toBe(0);
    expect(readFileSync(hook, 'utf8')).toBe(current);
    expect(readFileSync(join(root, '.git/hooks/old-pre-commit'), 'utf8')).toBe(older);
    expect(statSync(hook).mode & 0o777).toBe(0o755);
    expect(readdirSync(join(root, '.git/hooks')).filter((name) => name.includes('.tmp') || name.startsWith('.'))).toEqual([]);
  });

  it('refuses another agent\'s commit touching a leased path with one sentence naming the lease; allowed after the ttl; a person gets a warning', { timeout: 120_000 }, async () => {
    const root = await repo();
    const setup = await runCli(['setup', 'git-hooks', '--dir', root]);
    expect(setup.code).toBe(0);
    expect(setup.stdout).toBe('.git/hooks/pre-commit: installed the cos pre-commit guard\n');
    expect((await runCli(['setup', 'git-hooks', '--dir', root])).stdout).toContain('already up to date');
    const hook = readFileSync(join(root, '.git/hooks/pre-commit'), 'utf8');
    expect(hook).not.toMatch(/^cos /m);
    expect(hook).toContain(`${process.execPath} `);

    const lease = await cos(['lease', '--dir', root, '--sprint', 'api', '--agent', 'backend', '--ttl', '30', 'src/api/**']);
    expect(lease.code).toBe(0);
    const leaseFile = /^(.*\.md)$/m.exec(lease.stdout)![1]!.split('/').pop()!;

    const refused = commit(root, 'src/api/users.ts', 'frontend');
    expect(refused.status).toBe(1);
    const sentences = refused.stderr.trim().split('\n');
    expect(sentences[0]).toBe(
      `cos guard: frontend may not commit this: src/api/users.ts is leased by backend (sprint api, pattern src/api/**, ${leaseFile}) until ${/until (\S+)/.exec(lease.stdout)![1]}.`,
    );
    // The holder itself, and paths outside the lease, commit fine.
    expect(commit(root, 'src/api/users.ts', 'backend').status).toBe(0);
    expect(commit(root, 'docs/readme.md', 'frontend').status).toBe(0);
    // A person (no COS_AGENT): allowed, with a warning naming the lease.
    const person = commit(root, 'src/api/users.ts', null);
    expect(person.status).toBe(0);
    expect(person.stderr).toMatch(/cos guard: warning: src\/api\/users\.ts is leased by backend .*committing anyway/);
    // After the lease's ttl (30 minutes past the holder's latest heartbeat) it is allowed.
    writeFileSync(join(root, 'src/api/users.ts'), 'changed\n');
    git(root, 'add', 'src/api/users.ts');
    expect((await cos(['guard', 'pre-commit', '--dir', root], { env: { COS_AGENT: 'frontend' } })).code).toBe(1);
    const later = await cos(['guard', 'pre-commit', '--dir', root], { env: { COS_AGENT: 'frontend' }, now: new Date(Date.now() + 31 * MIN) });
    expect(later).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('a lease on a directory without a glob covers everything under it: overlap refused (exit 3), the pre-commit hook refuses a file in it', { timeout: 120_000 }, async () => {
    const root = await repo();
    mkdirSync(join(root, 'src/auth/deep'), { recursive: true });
    for (const file of ['src/auth/login.ts', 'src/auth/deep/token.ts', 'src/authz.ts']) writeFileSync(join(root, file), 'export {};\n');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'auth');
    expect((await runCli(['setup', 'git-hooks', '--dir', root])).code).toBe(0);
    // A trailing slash names the same directory.
    const lease = await cos(['lease', '--dir', root, '--sprint', 'auth', '--agent', 'backend', 'src/auth/']);
    expect(lease.code).toBe(0);
    expect(lease.stdout).toMatch(/^leased src\/auth until /m);
    // Another agent's pattern that can match a file under it is refused, naming the holder.
    for (const pattern of ['src/auth/login.ts', 'src/auth/deep/**', 'src/**/*.ts', 'src/auth', 'src']) {
      const refused = await cos(['lease', '--dir', root, '--sprint', 'ui', '--agent', 'frontend', pattern]);
      expect({ pattern, code: refused.code }).toEqual({ pattern, code: 3 });
      expect(refused.stderr).toContain('overlaps src/auth, leased by backend on sprint auth');
    }
    // A sibling that only shares the prefix is not under it.
    expect((await cos(['lease', '--dir', root, '--sprint', 'ui', '--agent', 'frontend', 'src/authz.ts', 'src/auth*.md'])).code).toBe(0);
    // The installed pre-commit hook refuses another agent's commit of a file deep inside it.
    const refused = commit(root, 'src/auth/deep/token.ts', 'qa');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('cos guard: qa may not commit this: src/auth/deep/token.ts is leased by backend (sprint auth, pattern src/auth,');
    expect(commit(root, 'src/auth/login.ts', 'backend').status).toBe(0);
    expect(commit(root, 'src/authz.ts', 'frontend').status).toBe(0); // its own lease
    // A glob means what it says: src/auth/* covers the files directly in it, not deeper ones.
    expect((await cos(['release', '--dir', root, '--sprint', 'auth', '--agent', 'backend', 'src/auth'])).code).toBe(0);
    expect((await cos(['lease', '--dir', root, '--sprint', 'auth', '--agent', 'backend', 'src/auth/*'])).code).toBe(0);
    expect(commit(root, 'src/auth/deep/token.ts', 'qa').status).toBe(0);
    expect(commit(root, 'src/auth/login.ts', 'qa').status).toBe(1);
  });

  it('works in a linked worktree without node_modules: the hook falls back to the cos that ran the setup, and guards that worktree', { timeout: 120_000 }, async () => {
    const root = await repo();
    // The project has cos installed (a node_modules/.bin/cos that runs this build); linked
    // worktrees share the hooks folder but have no node_modules of their own.
    mkdirSync(join(root, 'node_modules/.bin'), { recursive: true });
    writeFileSync(join(root, 'node_modules/.bin/cos'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`);
    chmodSync(join(root, 'node_modules/.bin/cos'), 0o755);
    writeFileSync(join(root, '.gitignore'), 'node_modules/\n');
    git(root, 'add', '.gitignore');
    git(root, 'commit', '-q', '-m', 'ignore node_modules');
    expect((await runCli(['setup', 'git-hooks', '--dir', root])).code).toBe(0);
    const linked = `${root}-wt`;
    git(root, 'worktree', 'add', '-q', '-b', 'frontend-work', linked);
    expect(existsSync(join(linked, 'node_modules'))).toBe(false);
    expect((await cos(['lease', '--dir', root, '--sprint', 'api', '--agent', 'backend', 'src/api/**'])).code).toBe(0);

    const allowed = commit(linked, 'docs/readme.md', 'frontend');
    expect(allowed.stderr).toBe('');
    expect(allowed.status).toBe(0);
    const refused = commit(linked, 'src/api/users.ts', 'frontend');
    expect(refused.stderr).not.toContain('not found');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^cos guard: frontend may not commit this: src\/api\/users\.ts is leased by backend/);
    // The main worktree runs its own node_modules/.bin/cos.
    expect(commit(root, 'docs/readme.md', 'frontend').status).toBe(0);
    expect(commit(root, 'src/api/users.ts', 'frontend').status).toBe(1);
  });

  it('chains to an existing pre-commit hook (which still runs and can still refuse), respects core.hooksPath, and --remove puts it back', { timeout: 120_000 }, async () => {
    const root = await repo();
    const hooks = join(root, '.githooks');
    mkdirSync(hooks);
    git(root, 'config', 'core.hooksPath', '.githooks');
    const original = '#!/bin/sh\necho "lint ran" >> lint.log\ngrep -q FORBIDDEN "$(git rev-parse --show-toplevel)/docs/readme.md" && exit 1\nexit 0\n';
    writeFileSync(join(hooks, 'pre-commit'), original);
    chmodSync(join(hooks, 'pre-commit'), 0o755);
    const setup = await runCli(['setup', 'git-hooks', '--dir', root]);
    expect(setup.stdout).toBe('.githooks/pre-commit: installed the cos pre-commit guard (runs the existing hook, kept as .githooks/pre-commit.pre-cos, after the guard)\n');
    expect(readFileSync(join(hooks, 'pre-commit.pre-cos'), 'utf8')).toBe(original);
    expect(existsSync(join(root, '.git/hooks/pre-commit'))).toBe(false);

    expect(commit(root, 'docs/readme.md', 'frontend').status).toBe(0);
    expect(readFileSync(join(root, 'lint.log'), 'utf8')).toBe('lint ran\n');
    writeFileSync(join(root, 'docs/readme.md'), 'FORBIDDEN\n');
    git(root, 'add', 'docs/readme.md');
    const refusedByOriginal = spawnSync('git', ['commit', '-q', '-m', 'x'], { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x.invalid' } });
    expect(refusedByOriginal.status).toBe(1);
    // The guard refuses before the chained hook runs.
    expect((await cos(['lease', '--dir', root, '--sprint', 'api', '--agent', 'backend', 'src/**'])).code).toBe(0);
    expect(commit(root, 'src/api/users.ts', 'frontend').status).toBe(1);
    expect(readFileSync(join(root, 'lint.log'), 'utf8')).toBe('lint ran\nlint ran\n');

    const removed = await runCli(['setup', 'git-hooks', '--remove', '--dir', root]);
    expect(removed.code).toBe(0);
    expect(readFileSync(join(hooks, 'pre-commit'), 'utf8')).toBe(original);
    expect(existsSync(join(hooks, 'pre-commit.pre-cos'))).toBe(false);
    expect((await runCli(['setup', 'git-hooks', '--remove', '--dir', root])).stdout).toContain("nothing of cos's to remove");
  });

  it('a committed hooks folder (core.hooksPath in the work tree) that is a link out: refused, nothing written outside', { timeout: 120_000 }, async () => {
    const root = await repo();
    const outside = testdir();
    symlinkSync(outside, join(root, '.githooks'));
    git(root, 'config', 'core.hooksPath', '.githooks');
    const setup = await runCli(['setup', 'git-hooks', '--dir', root]);
    expect(setup.code).toBe(1);
    expect(setup.stderr).toMatch(/^cos setup: \.githooks leads outside the repository \(to .*\); cos reads and writes only inside the repository/);
    expect(readdirSync(outside)).toEqual([]);
    // A hooks folder the user's own config puts outside the work tree is theirs: installed there.
    git(root, 'config', 'core.hooksPath', outside);
    expect((await runCli(['setup', 'git-hooks', '--dir', root])).code).toBe(0);
    expect(readdirSync(outside)).toEqual(['pre-commit']);
  });

  it('outside a project, cos guard pre-commit does nothing (exit 0)', async () => {
    const dir = gitdir({ 'a.txt': 'x\n' });
    expect(await cos(['guard', 'pre-commit', '--dir', dir])).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
