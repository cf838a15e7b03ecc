import { mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deleteCruft, findCruft } from '../../src/cleanup/cruft.js';
import { readStore } from '../../src/store/read.js';
import { postEntry } from '../../src/store/write.js';
import { cos } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';

const HOUR_AGO = new Date(Date.now() - 3_600_000);
// "Fresh" items get a modification time ahead of the clock, so that no delay on a loaded machine
// between writing the fixture and running cleanup can age them past a threshold.
const IN_AN_HOUR = new Date(Date.now() + 3_600_000);

function age(path: string, when = HOUR_AGO): void {
  utimesSync(path, when, when);
}

/** Every path under dir (files and folders), relative. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const dirent of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, dirent.name);
      out.push(relative(dir, p) + (dirent.isDirectory() ? '/' : ''));
      if (dirent.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

function fixture() {
  const root = testdir({ '.agent/status/current/.gitkeep': '' });
  const e1 = postEntry(root, { sprint: 's', agent: 'dev', status: 'IN_PROGRESS' });
  const e2 = postEntry(root, { sprint: 's', agent: 'dev', status: 'COMPLETE' });
  const cur = join(root, '.agent/status/current');
  // An old entry (valid) must never be touched, however old.
  age(join(root, e1.path));
  writeFileSync(join(cur, '999-2026-01-01T00-00-00Z-broken.md'), 'malformed\n');
  age(join(cur, '999-2026-01-01T00-00-00Z-broken.md'));
  const oldTemp = join(cur, `.${e1.file}.4242.deadbeef.tmp`);
  writeFileSync(oldTemp, 'half');
  age(oldTemp);
  writeFileSync(join(cur, `.${e2.file}.4243.cafebabe.tmp`), 'live writer'); // fresh: kept
  age(join(cur, `.${e2.file}.4243.cafebabe.tmp`), IN_AN_HOUR);
  mkdirSync(join(root, '.agent/status/archive/old'), { recursive: true });
  const archTemp = join(root, `.agent/status/archive/old/.001-2026-01-01T00-00-00Z-x.md.77.00ff00ff.tmp`);
  writeFileSync(archTemp, '');
  age(archTemp);
  const staleLock = join(cur, `${e1.file}.lock`);
  mkdirSync(staleLock);
  age(staleLock);
  mkdirSync(join(cur, `${e2.file}.lock`)); // fresh lock: a live holder
  age(join(cur, `${e2.file}.lock`), IN_AN_HOUR);
  const claims = join(root, '.agent/status/.claims');
  for (let n = 3; n <= 300; n++) {
    writeFileSync(join(claims, String(n)), '');
    if (n < 290) age(join(claims, String(n)));
  }
  const local = testdir();
  mkdirSync(join(local, 'todos'));
  const todo = (name: string, content: string, old = true) => {
    writeFileSync(join(local, 'todos', name), content);
    age(join(local, 'todos', name), old ? HOUR_AGO : IN_AN_HOUR);
  };
  todo('a-agent.json', '[]');
  todo('b-agent.json', '');
  todo('c-agent.json', '{}\n');
  todo('d-agent.json', '[{"content":"real work","status":"pending"}]');
  todo('e-agent.json', '[]', false); // fresh
  todo('notes.txt', '');
  return { root, local, e1, e2 };
}

const EXPECTED = (e1: { file: string }) => [
  ['temp-file', `.agent/status/current/.${e1.file}.4242.deadbeef.tmp`],
  ['stale-lock', `.agent/status/current/${e1.file}.lock`],
  ['temp-file', '.agent/status/archive/old/.001-2026-01-01T00-00-00Z-x.md.77.00ff00ff.tmp'],
  // claims below 300 - 256 = 44 and old: 3..43
  ...Array.from({ length: 41 }, (_, i) => ['old-claim', `.agent/status/.claims/${i + 3}`]),
];

describe('cos cleanup', () => {
  it('without --apply lists the cruft and deletes nothing', async () => {
    const { root, local, e1 } = fixture();
    const before = [...tree(root), ...tree(local)];
    const mtimes = tree(root).map((p) => statSync(join(root, p)).mtimeMs);
    const result = await cos(['cleanup', '--json', '--target', local], { cwd: root });
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.applied).toBe(false);
    expect(out.deleted).toBe(0);
    const repoItems = out.items.filter((i: { kind: string }) => i.kind !== 'empty-todo').map((i: { kind: string; path: string }) => [i.kind, i.path]);
    expect(repoItems).toEqual(EXPECTED(e1));
    expect(out.items.filter((i: { kind: string }) => i.kind === 'empty-todo').map((i: { path: string }) => relative(local, i.path))).toEqual([
      'todos/a-agent.json',
      'todos/b-agent.json',
      'todos/c-agent.json',
    ]);
    expect([...tree(root), ...tree(local)]).toEqual(before);
    expect(tree(root).map((p) => statSync(join(root, p)).mtimeMs)).toEqual(mtimes);
    const text = await cos(['cleanup', '--target', local], { cwd: root });
    // The hint repeats --target: a bare `cos cleanup --apply` would clean local_root instead.
    expect(text.stdout.split('\n')[0]).toBe(`Found 47 items of cruft (nothing deleted; cos cleanup --apply --target ${local} deletes them):`);
    const plain = await cos(['cleanup'], { cwd: root });
    expect(plain.stdout).not.toContain('--target');
    expect(text.stdout).toMatch(/old seq claims: 41 in \.agent\/status\/\.claims\//);
    expect([...tree(root), ...tree(local)]).toEqual(before);
  });

  it('--apply deletes exactly what it listed; entries, malformed files, fresh temps and live locks stay', async () => {
    const { root, local, e1, e2 } = fixture();
    const entriesBefore = readStore(root);
    const before = new Set([...tree(root).map((p) => `R:${p}`), ...tree(local).map((p) => `L:${p}`)]);
    const result = await cos(['cleanup', '--apply', '--json', '--target', local], { cwd: root });
    const out = JSON.parse(result.stdout);
    expect(out.applied).toBe(true);
    expect(out.deleted).toBe(47);
    expect(out.kept).toEqual([]);
    const after = new Set([...tree(root).map((p) => `R:${p}`), ...tree(local).map((p) => `L:${p}`)]);
    const gone = [...before].filter((p) => !after.has(p)).map((p) => p.replace(/\/$/, ''));
    const listed = out.items.map((i: { path: string }) => (i.path.startsWith('/') ? `L:${relative(local, i.path)}` : `R:${i.path}`));
    expect(gone.sort()).toEqual(listed.sort());
    expect([...after].filter((p) => !before.has(p))).toEqual([]);
    const entriesAfter = readStore(root);
    expect(entriesAfter.entries.map((e) => e.path)).toEqual(entriesBefore.entries.map((e) => e.path));
    expect(entriesAfter.problems).toEqual(entriesBefore.problems);
    expect(after.has(`R:.agent/status/current/.${e2.file}.4243.cafebabe.tmp`)).toBe(true);
    expect(after.has(`R:.agent/status/current/${e2.file}.lock/`)).toBe(true);
    expect(after.has(`R:.agent/status/current/${e1.file}`)).toBe(true);
    expect(after.has('L:todos/d-agent.json')).toBe(true);
    expect(after.has('L:todos/e-agent.json')).toBe(true);
    // A second look finds nothing more.
    const again = JSON.parse((await cos(['cleanup', '--json', '--target', local], { cwd: root })).stdout);
    expect(again.items).toEqual([]);
  });

  it('re-checks before deleting: a todo that filled up or a lock that was refreshed since the listing is kept', () => {
    const { root, local } = fixture();
    const report = findCruft(root, { now: new Date(), localRoot: local });
    writeFileSync(join(local, 'todos/a-agent.json'), '[{"content":"x"}]');
    const lock = report.items.find((i) => i.kind === 'stale-lock')!;
    utimesSync(lock.abs, IN_AN_HOUR, IN_AN_HOUR);
    const result = deleteCruft(report, new Date());
    expect(result.kept.map((k) => [k.item.kind, k.why])).toEqual([
      ['stale-lock', 'it changed since it was listed'],
      ['empty-todo', 'it changed since it was listed'],
    ]);
    expect(result.deleted).toHaveLength(report.items.length - 2);
  });
});

describe('cos cleanup: dispatch claims and hook sessions', () => {
  it('lists a dispatch claim lock left by a killed cos dispatch and hook sessions not written for 7 days; --apply deletes only those', async () => {
    const root = testdir({ '.agent/status/current/.gitkeep': '' });
    const entry = postEntry(root, { sprint: 's1', agent: 'dev', status: 'IN_PROGRESS' });
    const claims = join(root, '.agent/status/.claims');
    mkdirSync(join(claims, 'sprint-s1.lock'), { recursive: true });
    age(join(claims, 'sprint-s1.lock'));
    mkdirSync(join(claims, 'sprint-s2.lock'));
    age(join(claims, 'sprint-s2.lock'), IN_AN_HOUR); // a live dispatch holds it
    const sessions = join(root, '.agent/state/sessions');
    mkdirSync(sessions, { recursive: true });
    const day = 24 * 3_600_000;
    const session = (name: string, daysAgo: number) => {
      writeFileSync(join(sessions, name), '{"version":1,"session_id":"x","sprint":"s1","agent":"dev","source":"env","updated":"2026-01-01T00:00:00Z"}\n');
      const when = new Date(Date.now() - daysAgo * day);
      age(join(sessions, name), when);
    };
    session('ended-long-ago.json', 8);
    session('this-week.json', 6);
    session('live.json', -1);
    session('killed.json.4242.1700000000000.tmp', 1);
    // A name like a session temp file outside sessions/ is not cruft of that kind.
    writeFileSync(join(root, '.agent/status/current/notes.json.1.2.tmp'), 'x');
    age(join(root, '.agent/status/current/notes.json.1.2.tmp'));
    const local = testdir();

    const before = tree(root);
    const listed = JSON.parse((await cos(['cleanup', '--json', '--target', local], { cwd: root })).stdout);
    expect(listed.items.map((i: { kind: string; path: string }) => [i.kind, i.path])).toEqual([
      ['stale-lock', '.agent/status/.claims/sprint-s1.lock'],
      ['old-session', '.agent/state/sessions/ended-long-ago.json'],
      ['temp-file', '.agent/state/sessions/killed.json.4242.1700000000000.tmp'],
    ]);
    expect(tree(root)).toEqual(before);
    const text = (await cos(['cleanup', '--target', local], { cwd: root })).stdout;
    expect(text).toContain('stale lock    .agent/status/.claims/sprint-s1.lock/');
    expect(text).toContain('old session   .agent/state/sessions/ended-long-ago.json');

    const applied = JSON.parse((await cos(['cleanup', '--apply', '--json', '--target', local], { cwd: root })).stdout);
    expect(applied.deleted).toBe(3);
    const gone = before.filter((p) => !tree(root).includes(p));
    expect(gone).toEqual([
      '.agent/state/sessions/ended-long-ago.json',
      '.agent/state/sessions/killed.json.4242.1700000000000.tmp',
      '.agent/status/.claims/sprint-s1.lock/',
    ]);
    expect(tree(root)).toContain(entry.path);
  });
});
