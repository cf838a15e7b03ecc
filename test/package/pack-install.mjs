#!/usr/bin/env node
/**
 * The package as a user gets it, once per CI run (`.ci/run` calls it after `npm test`):
 * `npm pack` (which builds dist/ on prepack) → a fresh project → `npm install <tarball>` from
 * npm's cache (--prefer-offline) → both bin names work, the CLI works, the library imports as
 * `agent-cos` (a .mjs script) and type-checks as `agent-cos` (a .ts file checked by tsc), the
 * docs the README links to and the LICENSE are in the package, and installing ran no install
 * script (npm prints an `install-scripts` warning for one).
 *
 * Prints `N passed, N failed` last; exits 1 when a check failed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'cos-pack-'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let passed = 0;
let failed = 0;

function check(name, fn) {
  try {
    fn();
    passed++;
    console.log(`  ✓ ${name}`);
  } catch (error) {
    failed++;
    console.log(`  ✗ ${name}\n    ${String(error?.message ?? error).split('\n').join('\n    ')}`);
  }
}

function run(command, args, cwd, { input } = {}) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', input, env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' } });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function expectOk(result, what) {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}: ${result.stderr.trim() || result.stdout.trim()}`);
  return result;
}

try {
  console.log('package: npm pack → install in a fresh project → use it');
  const packed = expectOk(run(npm, ['pack', '--silent', '--pack-destination', work], repo), 'npm pack');
  const tarball = join(work, packed.stdout.trim().split('\n').pop());
  const project = join(work, 'project');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true, type: 'module' }, null, 2));
  const install = run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], project);
  const pkg = join(project, 'node_modules', 'agent-cos');

  check('npm install of the tarball succeeds and runs no install script', () => {
    expectOk(install, 'npm install');
    const output = install.stdout + install.stderr;
    if (/install-scripts|prepare|postinstall/i.test(output)) throw new Error(`npm warned about install scripts:\n${output}`);
  });
  check('npx agent-cos --version prints the package version', () => {
    const out = expectOk(run(npm, ['exec', '--no', '--', 'agent-cos', '--version'], project), 'npx agent-cos --version').stdout.trim();
    if (out !== manifest.version) throw new Error(`printed ${JSON.stringify(out)}, expected ${manifest.version}`);
  });
  check('npx cos works too: init, post, status --json', () => {
    expectOk(run(npm, ['exec', '--no', '--', 'cos', 'init'], project), 'cos init');
    const posted = expectOk(run(npm, ['exec', '--no', '--', 'cos', 'post', '--sprint', 'first', '--agent', 'me', '--status', 'IN_PROGRESS', '--json'], project), 'cos post');
    const entry = JSON.parse(posted.stdout).entry;
    if (entry.sprint !== 'first' || !existsSync(join(project, entry.file))) throw new Error(`unexpected entry ${posted.stdout}`);
    const status = JSON.parse(expectOk(run(npm, ['exec', '--no', '--', 'cos', 'status', '--json'], project), 'cos status').stdout);
    if (status.sprints.length !== 1 || status.sprints[0].sprint !== 'first') throw new Error(`unexpected status ${JSON.stringify(status)}`);
  });
  check("import … from 'agent-cos' works as a user writes it", () => {
    writeFileSync(
      join(project, 'use.mjs'),
      `import { postEntry, readStore, scan, FIELDS, isCosError, ERROR_CODES } from 'agent-cos';
const entry = postEntry(process.cwd(), { sprint: 'api', agent: 'lib', status: 'COMPLETE', message: 'from the library' });
const { entries } = readStore(process.cwd());
const result = scan(process.cwd());
let refused = null;
try { postEntry(process.cwd(), { sprint: '../x', agent: 'lib', status: 'COMPLETE' }); } catch (error) { refused = isCosError(error, 'invalid') ? { code: error.code, exit: ERROR_CODES[error.code] } : 'other'; }
console.log(JSON.stringify({ seq: entry.seq, entries: entries.length, kinds: result.findings.map((f) => f.kind), fields: Object.keys(FIELDS).length, refused }));
`,
    );
    const out = JSON.parse(expectOk(run(process.execPath, ['use.mjs'], project), 'node use.mjs').stdout);
    if (out.seq !== 2 || out.entries !== 2 || out.refused?.code !== 'invalid' || out.refused?.exit !== 1 || out.fields < 7) throw new Error(`unexpected ${JSON.stringify(out)}`);
    if (!out.kinds.includes('unverified')) throw new Error(`scan found ${JSON.stringify(out.kinds)}, expected an unverified claim`);
  });
  check("the exported types check in a user's TypeScript file (import type { ArchiveOptions, ReviewOptions, Lease, … } from 'agent-cos')", () => {
    writeFileSync(
      join(project, 'use.ts'),
      `import { postEntry, isCosError, parseEntry, type Entry, type PostInput, type Finding, type CoordinationConfig, type ErrorCode, type ExitCode } from 'agent-cos';
import type { ArchiveOptions, SnapshotOptions, EntryParseResult, ReviewOptions, Lease, ClaimInput, BriefInput, Analysis } from 'agent-cos';
const archive: ArchiveOptions = { dryRun: true, bounds: { max_current: 50, max_age_days: 7 } };
const review: ReviewOptions = { since: '24h' };
const parsed: EntryParseResult = parseEntry('---\\n---\\n', { file: 'x.md', path: 'x.md', location: 'current' });
const leases: Lease[] = [];
type Named = [SnapshotOptions, ClaimInput, BriefInput, Analysis];
const input: PostInput = { sprint: 'typed', agent: 'ts', status: 'IN_PROGRESS', ttl_minutes: 5 };
const entry: Entry = postEntry('.', input);
const seq: number = entry.seq;
const code: ExitCode = 3;
const kind: ErrorCode = 'conflict';
// @ts-expect-error: an error code that does not exist is a type error
const unknownKind: ErrorCode = 'no-such-code';
const conflicted = (error: unknown): boolean => isCosError(error, kind);
const findings: Finding[] = [];
const ttl: CoordinationConfig['ttl_minutes'] = 30;
// @ts-expect-error: a typo in a field name is a type error
const wrong: PostInput = { sprint: 'x', agent: 'y', status: 'COMPLETE', ttl: 5 };
export { seq, code, findings, ttl, wrong, unknownKind, conflicted, archive, review, parsed, leases, type Named };
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(repo, 'node_modules/@types')] }, files: ['use.ts'] }),
    );
    expectOk(run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], project), 'tsc');
  });
  // After the checks that count entries: the denial writes a BLOCKER NOTE.
  check('the installed hooks run from the package (dist/hook.js): the guard denies, a harmless call prints nothing, post-tool-use runs quietly', () => {
    const hookInput = (command) => JSON.stringify({ session_id: 'pack-session', transcript_path: join(project, 't.jsonl'), cwd: project, permission_mode: 'default', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 'toolu_1' });
    const hook = (event, input) => spawnSync(join(project, 'node_modules/.bin/cos'), ['hook', event], { cwd: project, input, encoding: 'utf8', env: { ...process.env, COS_SPRINT: 'first', COS_AGENT: 'me' } });
    const denied = hook('pre-tool-use', hookInput('rm -rf ~'));
    if (denied.status !== 0 || JSON.parse(denied.stdout).hookSpecificOutput.permissionDecision !== 'deny') throw new Error(`no denial: ${denied.stdout} ${denied.stderr}`);
    const allowed = hook('pre-tool-use', hookInput('npm test'));
    if (allowed.status !== 0 || allowed.stdout !== '' || allowed.stderr !== '') throw new Error(`allowed call printed: ${allowed.stdout} ${allowed.stderr}`);
    const after = hook('post-tool-use', hookInput('npm test').replace('PreToolUse', 'PostToolUse'));
    if (after.status !== 0 || after.stderr !== '') throw new Error(`post-tool-use: ${after.stderr}`);
    if (existsSync(join(project, '.agent/state/hooks.log'))) throw new Error(`hooks.log: ${readFileSync(join(project, '.agent/state/hooks.log'), 'utf8')}`);
  });

  check('the docs the README links to, runbook.md and LICENSE are in the package', () => {
    const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)#:]+)\)/g)].map((match) => match[1]);
    if (links.length === 0) throw new Error('no relative links found in the README');
    const missing = [...new Set(links)].filter((link) => !existsSync(join(pkg, link)));
    if (missing.length > 0) throw new Error(`missing from the package: ${missing.join(', ')}`);
    if (!/MIT License/.test(readFileSync(join(pkg, 'LICENSE'), 'utf8')) || manifest.license !== 'MIT') throw new Error('LICENSE is not the MIT license package.json names');
  });
  check('the package ships dist/ and no sources or tests', () => {
    const top = readdirSync(pkg).sort();
    for (const name of ['src', 'test', 'bench', '.agent']) if (top.includes(name)) throw new Error(`${name}/ is in the package`);
    if (!existsSync(join(pkg, 'dist/cli.js')) || !existsSync(join(pkg, 'dist/index.d.ts'))) throw new Error('dist/ is incomplete');
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`package: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
