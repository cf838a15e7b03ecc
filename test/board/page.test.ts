import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { postEntry } from '../../src/store/write.js';
import { cos, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';
import { openPage } from './browser.js';
import { fetchRaw, startBoardProcess, teamDay } from './helpers.js';

const ORDER = ['WAITING', 'READY', 'DISPATCHED', 'IN_PROGRESS', 'BLOCKED', 'STALE', 'FAILED', 'COMPLETE', 'VERIFIED', 'NOTED'];
const RANK: Record<string, number> = { INFO: 0, WARN: 1, URGENT: 2, BLOCKER: 3 };

const HOSTILE_BODY = [
  '## Hostile entry',
  '<script>window.__xss = "script"; alert("script")</script>',
  '<img src=x onerror="window.__xss = \'img\'; alert(\'img\')">',
  '[click me](javascript:window.__xss=\'link\';alert(\'link\'))',
  '<a href="javascript:alert(1)">raw anchor</a> <b onmouseover=alert(1)>bold?</b>',
  '',
].join('\n');

interface StateRow {
  sprint: string;
  state: string;
}

describe('cos board in Chromium', () => {
  it('shows a team day: columns by state, the findings banner (URGENT first), agents and timelines', async () => {
    const root = await teamDay();
    const board = await startBoardProcess(root);
    const state = JSON.parse((await fetchRaw(`${board.url}api/state`)).body) as {
      sprints: StateRow[];
      findings: Array<{ severity: string; kind: string; sprint: string }>;
      leases: Array<{ agent: string; sprint: string; pattern: string; until: string }>;
    };
    const { page, dialogs, errors } = await openPage();
    await page.goto(board.url);
    await page.waitForSelector('.column');
    // One column per state that has sprints, in lifecycle order; each card in its sprint's column.
    const expected = ORDER.filter((s) => state.sprints.some((row) => row.state === s));
    expect(await page.$$eval('.column', (nodes) => nodes.map((n) => (n as HTMLElement).dataset.state))).toEqual(expected);
    for (const row of state.sprints) {
      expect(await page.$eval(`.card[data-sprint="${row.sprint}"]`, (n) => (n.closest('.column') as HTMLElement).dataset.state), row.sprint).toBe(row.state);
    }
    expect(await page.$$eval('.column[data-state="BLOCKED"] .card', (nodes) => nodes.map((n) => (n as HTMLElement).dataset.sprint))).toEqual(['billing']);
    expect(await page.$$eval('.column[data-state="VERIFIED"] .card', (nodes) => nodes.map((n) => (n as HTMLElement).dataset.sprint))).toEqual(['search']);
    // The banner: every open finding, most severe first, the URGENT escalation on billing at the top.
    const banner = await page.$$eval('#findings .finding', (nodes) => nodes.map((n) => ({ ...(n as HTMLElement).dataset, text: n.textContent }) as Record<string, string | null | undefined>));
    expect(banner).toHaveLength(state.findings.length);
    expect(banner[0]).toMatchObject({ severity: 'URGENT', kind: 'escalation', sprint: 'billing' });
    expect(banner[0]!.text).toContain('Need the Stripe test keys');
    const ranks = banner.map((f) => RANK[(f as Record<string, string | null | undefined>).severity!]!);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    // Heartbeat bars: the silent agent's is full and marked out; a fresh one is short.
    expect(await page.$eval('#agents .agent[data-agent="grace"] .bar', (n) => n.className)).toContain('out');
    expect(await page.$eval('#agents .agent[data-agent="alice"] .bar', (n) => n.className)).toBe('bar');
    // alice's path lease: its pattern, holder and sprint, and when it runs out (45 min after her
    // latest entry on the sprint, which extends it).
    const lease = state.leases.find((l) => l.agent === 'alice')!;
    expect(state.leases.map((l) => `${l.agent}:${l.sprint}:${l.pattern}`)).toEqual(['alice:auth-api:src/auth/**']);
    const leaseRow = page.locator('#leases li.lease[data-agent="alice"][data-sprint="auth-api"][data-pattern="src/auth/**"]');
    expect(await leaseRow.getAttribute('class')).toBe('lease');
    expect(await leaseRow.locator('time').getAttribute('datetime')).toBe(lease.until);
    expect(await leaseRow.textContent()).toMatch(new RegExp(`^src/auth/\\*\\*alice on auth-apiuntil ${lease.until.slice(11, 16)} UTC · 4\\d min left$`));
    expect(await page.textContent('#leases-h')).toBe('Path leases (1)');
    // A timeline opens with the keyboard and shows bodies rendered as markdown.
    await page.focus('.card[data-sprint="search"] summary');
    await page.keyboard.press('Enter');
    const timeline = page.locator('.card[data-sprint="search"] ol.timeline');
    await expect.poll(() => timeline.isVisible()).toBe(true);
    expect(await timeline.locator('> li').count()).toBe(3);
    expect(await timeline.locator('.md code').first().textContent()).toBe('41 ms');
    // The plan's steps sit in the READY and WAITING columns, with what they wait on.
    expect((await page.$$eval('.column[data-state="WAITING"] .card', (nodes) => nodes.map((n) => (n as HTMLElement).dataset.sprint))).sort()).toEqual(['checkout-ui', 'launch-review', 'payments-api']);
    expect(await page.textContent('.card[data-sprint="checkout-ui"] .planned')).toBe('plan checkout-v2 · waits on payments-api, receipts-email');
    // The dependency graph: every step and the sprints it depends on, one edge per dependency,
    // each node in a layer right of its dependencies, coloured by state.
    const graph = await page.$$eval('#plan svg g.node', (nodes) =>
      nodes.map((n) => ({ sprint: n.getAttribute('data-sprint')!, state: n.getAttribute('data-state')!, x: Number(/translate\(([\d.]+),/.exec(n.getAttribute('transform')!)![1]) })),
    );
    const nodes = Object.fromEntries(graph.map((n) => [n.sprint, n]));
    expect(Object.keys(nodes).sort()).toEqual(['billing', 'checkout-ui', 'launch-review', 'payments-api', 'receipts-email', 'search']);
    expect(nodes['receipts-email']!.state).toBe('READY');
    expect(nodes['payments-api']!.state).toBe('WAITING');
    expect(nodes.billing!.state).toBe(state.sprints.find((row) => row.sprint === 'billing')!.state);
    const edges = await page.$$eval('#plan svg path.edge', (paths) => paths.map((p) => `${p.getAttribute('data-from')}>${p.getAttribute('data-to')}`));
    expect(edges.sort()).toEqual(['billing>payments-api', 'checkout-ui>launch-review', 'payments-api>checkout-ui', 'receipts-email>checkout-ui', 'search>receipts-email']);
    for (const edge of edges) {
      const [from, to] = edge.split('>');
      expect(nodes[from!]!.x, edge).toBeLessThan(nodes[to!]!.x);
    }
    expect(await page.getAttribute('#plan svg', 'aria-label')).toBe('Plan dependency graph: 6 sprints, 5 dependencies');
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await board.stop();
  });

  it('shows an URGENT posted by another process without a reload, and drops it once resolved', async () => {
    const root = await teamDay();
    const board = await startBoardProcess(root);
    const { page, errors } = await openPage();
    await page.goto(board.url);
    await page.waitForSelector('.column');
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    const posted = await runCli(['post', '--dir', root, '--sprint', 'auth-api', '--agent', 'alice', '--status', 'BLOCKED', '--severity', 'URGENT', '--message', 'Prod tokens may have leaked', '--json']);
    expect(posted.code, posted.stderr).toBe(0);
    const file = basename(JSON.parse(posted.stdout).entry.file as string);
    const finding = page.locator('#findings .finding[data-kind="escalation"][data-sprint="auth-api"][data-severity="URGENT"]');
    await finding.waitFor({ timeout: 10_000 });
    expect(await finding.textContent()).toContain('Prod tokens may have leaked');
    await page.locator('.column[data-state="BLOCKED"] .card[data-sprint="auth-api"]').waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(await page.textContent('#live')).toBe('Live');
    const resolved = await runCli(['resolve', file, '--dir', root, '--agent', 'lead', '--message', 'Rotated; false alarm.']);
    expect(resolved.code, resolved.stderr).toBe(0);
    await finding.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(errors).toEqual([]);
    await board.stop();
  });

  it('renders incrementally: an update redraws only what it touches; focus, open timelines and filters stay', async () => {
    const root = await teamDay();
    const board = await startBoardProcess(root);
    const { page, dialogs, errors } = await openPage();
    await page.goto(board.url);
    await page.waitForSelector('.column');
    type Marked = Element & { __mark?: string };
    // Mark every node an unrelated update must leave alone: each card, its timeline, each
    // heartbeat row, the lease row, the graph.
    const mark = () =>
      page.evaluate(() => {
        for (const n of document.querySelectorAll('.card, .card details, #agents li.agent, #leases li.lease, #plan svg')) {
          (n as Marked).__mark = `${n.tagName}:${n.closest('[data-sprint]')?.getAttribute('data-sprint') ?? ''}:${n.getAttribute('data-agent') ?? ''}`;
        }
      });
    const marked = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('.card, .card details, #agents li.agent, #leases li.lease, #plan svg')].map((n) => (n as Marked).__mark ?? `NEW ${n.tagName}:${n.closest('[data-sprint]')?.getAttribute('data-sprint') ?? ''}`),
      );
    // auth-api's timeline open (mouse), then search's opened with the keyboard and focused.
    await page.locator('.card[data-sprint="auth-api"] summary').click();
    await expect.poll(() => page.locator('.card[data-sprint="auth-api"] ol.timeline > li').count()).toBe(3);
    await page.focus('.card[data-sprint="search"] summary');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.card[data-sprint="search"] ol.timeline').isVisible()).toBe(true);
    await mark();
    const before = await marked();
    expect(before.filter((m) => m.startsWith('NEW'))).toEqual([]);
    await page.evaluate(() => ((document.activeElement as Element & { __focused?: boolean }).__focused = true));

    // Another process: alice posts progress on auth-api, and a new sprint starts.
    const progress = await runCli(['post', '--dir', root, '--sprint', 'auth-api', '--agent', 'alice', '--status', 'IN_PROGRESS', '--message', 'PR **open**.', '--json']);
    expect(progress.code, progress.stderr).toBe(0);
    const progressName = basename(JSON.parse(progress.stdout).entry.file as string);
    const started = await runCli(['post', '--dir', root, '--sprint', 'docs-site', '--agent', 'ivan', '--status', 'IN_PROGRESS', '--ttl', '30']);
    expect(started.code, started.stderr).toBe(0);
    await page.locator('.column[data-state="IN_PROGRESS"] .card[data-sprint="docs-site"]').waitFor({ timeout: 10_000 });
    await page.locator('#agents li.agent[data-agent="ivan"]').waitFor({ timeout: 10_000 });
    // auth-api's open timeline got the new entry on top, in the same <details>.
    const authTimeline = page.locator('.card[data-sprint="auth-api"] ol.timeline > li');
    await expect.poll(() => authTimeline.count(), { timeout: 10_000 }).toBe(4);
    expect(await authTimeline.first().getAttribute('data-entry')).toBe(progressName);
    expect(await authTimeline.first().locator('.md strong').textContent()).toBe('open');
    expect(await page.locator('.card[data-sprint="auth-api"] details').getAttribute('open')).toBe('');
    // The focused summary is the same node and still focused; search's timeline still open.
    expect(await page.evaluate(() => (document.activeElement as Element & { __focused?: boolean }).__focused === true)).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.closest('.card')?.getAttribute('data-sprint'))).toBe('search');
    expect(await page.locator('.card[data-sprint="search"] details').getAttribute('open')).toBe('');
    // Only what the two posts touched was redrawn: alice's heartbeat row and her lease row (her
    // post refreshed both), and the new sprint's card, timeline and heartbeat row are new; every
    // other node marked before is the same node.
    const after = await marked();
    expect(after.filter((m) => !m.startsWith('NEW')).sort()).toEqual(before.filter((m) => m !== 'LI:auth-api:alice').sort());
    expect(before.filter((m) => m === 'LI:auth-api:alice')).toHaveLength(2);
    expect(after.filter((m) => m.startsWith('NEW')).sort()).toEqual(['NEW ARTICLE:docs-site', 'NEW DETAILS:docs-site', 'NEW LI:auth-api', 'NEW LI:auth-api', 'NEW LI:docs-site']);

    // A filter holds across updates: URGENT and up shows billing; an URGENT on auth-api joins it.
    await page.selectOption('#filter-severity', 'URGENT');
    const shown = () => page.$$eval('.card', (nodes) => nodes.map((n) => (n as HTMLElement).dataset.sprint).sort());
    expect(await shown()).toEqual(['billing']);
    const urgent = await runCli(['post', '--dir', root, '--sprint', 'auth-api', '--agent', 'alice', '--status', 'BLOCKED', '--severity', 'URGENT', '--message', 'Token store is down.']);
    expect(urgent.code, urgent.stderr).toBe(0);
    await page.locator('.column[data-state="BLOCKED"] .card[data-sprint="auth-api"]').waitFor({ timeout: 10_000 });
    expect(await shown()).toEqual(['auth-api', 'billing']);
    expect(await page.inputValue('#filter-severity')).toBe('URGENT');
    // auth-api's card moved to another column with its timeline, still open.
    expect(await page.locator('.card[data-sprint="auth-api"] details').getAttribute('open')).toBe('');
    expect(await page.locator('.card[data-sprint="auth-api"] ol.timeline > li').count()).toBe(5);
    await page.selectOption('#filter-severity', '');
    expect((await shown()).length).toBe(12);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await board.stop();
  });

  it('an entry holding <script>, <img onerror> and a javascript: link runs nothing and shows the text escaped', async () => {
    const root = await teamDay();
    postEntry(root, { sprint: 'hostile', agent: 'mallory', status: 'IN_PROGRESS', body: HOSTILE_BODY });
    const board = await startBoardProcess(root);
    const { page, dialogs, errors } = await openPage();
    await page.goto(board.url);
    await page.waitForSelector('.card[data-sprint="hostile"]');
    // The same body once more, live.
    postEntry(root, { sprint: 'hostile', agent: 'mallory', status: 'IN_PROGRESS', body: HOSTILE_BODY.replace('Hostile entry', 'Hostile again') });
    await page.locator('.card[data-sprint="hostile"] summary').click();
    const bodies = page.locator('.card[data-sprint="hostile"] .md');
    await expect.poll(() => bodies.count(), { timeout: 10_000 }).toBe(2);
    for (const body of await bodies.all()) {
      const text = await body.textContent();
      expect(text).toContain('<script>window.__xss = "script"; alert("script")</script>');
      expect(text).toContain(`<img src=x onerror="window.__xss = 'img'; alert('img')">`);
      expect(text).toContain("[click me](javascript:window.__xss='link';alert('link'))");
      expect(await body.locator('script, img, b, [onerror], [onmouseover]').count()).toBe(0);
    }
    expect(await page.locator('a[href^="javascript"], a[href^="JAVASCRIPT"]').count()).toBe(0);
    // Hover and click where the link would be: still nothing.
    await bodies.first().hover();
    await bodies.first().click();
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await board.stop();
  });

  it('the --out snapshot opens from file:// with the network off and shows the same sprints', async () => {
    const root = await teamDay();
    const dir = testdir();
    const out = join(dir, 'board.html');
    const written = await runCli(['board', '--dir', root, '--out', out]);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toContain('11 sprints');
    const status = JSON.parse((await cos(['status', '--json', '--dir', root])).stdout) as { sprints: StateRow[] };
    const { page, dialogs, errors } = await openPage({ offline: true });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(out).href);
    await page.waitForSelector('.column');
    const cards = await page.$$eval('.card', (nodes) => nodes.map((n) => `${(n as HTMLElement).dataset.sprint}:${(n as HTMLElement).dataset.state}`));
    expect(cards.sort()).toEqual(status.sprints.map((row) => `${row.sprint}:${row.state}`).sort());
    expect(await page.textContent('#live')).toMatch(/^Snapshot of \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    expect(requests).toEqual([pathToFileURL(out).href]);
    expect(readFileSync(out, 'utf8')).not.toMatch(/<script[^>]+src=|<link[^>]+(stylesheet|href="http)|<img[^>]+src="http|url\(\s*['"]?http|@import/);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('shows who holds which paths until when, a lease conflict marked, leases taken and released live, and in the snapshot', async () => {
    const root = await teamDay();
    const leased = await runCli(['lease', '--dir', root, '--sprint', 'auth-api', '--agent', 'alice', '--ttl', '45', 'src/auth/**', 'docs/auth.md']);
    expect(leased.code, leased.stderr).toBe(0);
    // A lease over alice's, as a merge from another clone brings it (cos lease would refuse it).
    postEntry(root, { sprint: 'release-notes', agent: 'heidi', status: 'NOTE', lease: ['src/auth/tokens.ts'], message: 'Leased in another clone.' });
    const board = await startBoardProcess(root);
    type Ref = { agent: string; pattern: string };
    const api = JSON.parse((await fetchRaw(`${board.url}api/state`)).body) as {
      leases: Array<{ pattern: string; agent: string; sprint: string; until: string; path: string }>;
      lease_conflicts: Array<{ a: Ref; b: Ref }>;
    };
    const status = JSON.parse((await cos(['status', '--json', '--dir', root])).stdout) as { leases: unknown[] };
    expect(api.leases).toEqual(status.leases);
    expect(api.leases.map((l) => `${l.agent}:${l.pattern}`).sort()).toEqual(['alice:docs/auth.md', 'alice:src/auth/**', 'heidi:src/auth/tokens.ts']);
    expect(api.lease_conflicts.map((c) => `${c.a.agent}:${c.a.pattern}|${c.b.agent}:${c.b.pattern}`)).toEqual(['alice:src/auth/**|heidi:src/auth/tokens.ts']);
    const { page, dialogs, errors } = await openPage();
    await page.goto(board.url);
    await page.waitForSelector('#leases');
    const rows = () =>
      page.$$eval('#leases li.lease', (nodes) =>
        nodes.map((n) => {
          const data = (n as HTMLElement).dataset;
          return { agent: data.agent, sprint: data.sprint, pattern: data.pattern, cls: n.className, until: n.querySelector('time')!.getAttribute('datetime'), text: n.textContent };
        }),
      );
    const shown = await rows();
    expect(shown.map((r) => `${r.agent}:${r.sprint}:${r.pattern}`).sort()).toEqual(['alice:auth-api:docs/auth.md', 'alice:auth-api:src/auth/**', 'heidi:release-notes:src/auth/tokens.ts']);
    for (const row of shown) {
      const lease = api.leases.find((l) => l.pattern === row.pattern)!;
      expect(row.until).toBe(lease.until);
      expect(row.text).toContain(`until ${lease.until.slice(11, 16)} UTC`);
    }
    // The conflict: both overlapping leases are marked, and the finding is in the banner.
    expect(shown.filter((r) => r.cls.includes('conflict')).map((r) => r.pattern).sort()).toEqual(['src/auth/**', 'src/auth/tokens.ts']);
    await page.locator('#findings .finding[data-kind="lease-conflict"]').waitFor({ timeout: 10_000 });
    expect(await page.textContent('#leases-h')).toBe('Path leases (3)');
    // Filters apply: one agent's leases.
    await page.selectOption('#filter-agent', 'heidi');
    expect(await page.$$eval('#leases li.lease', (nodes) => nodes.map((n) => (n as HTMLElement).dataset.pattern))).toEqual(['src/auth/tokens.ts']);
    await page.selectOption('#filter-agent', '');
    // Taken and released by other processes: on the page without a reload.
    const erin = await runCli(['lease', '--dir', root, '--sprint', 'onboarding-ui', '--agent', 'erin', 'web/onboarding/**']);
    expect(erin.code, erin.stderr).toBe(0);
    await page.locator('#leases li.lease[data-agent="erin"][data-pattern="web/onboarding/**"]').waitFor({ timeout: 10_000 });
    const released = await runCli(['release', '--dir', root, '--sprint', 'release-notes', '--agent', 'heidi', 'src/auth/tokens.ts']);
    expect(released.code, released.stderr).toBe(0);
    await page.locator('#leases li.lease[data-agent="heidi"]').waitFor({ state: 'detached', timeout: 10_000 });
    await page.locator('#findings .finding[data-kind="lease-conflict"]').waitFor({ state: 'detached', timeout: 10_000 });
    expect(await page.$$eval('#leases li.lease.conflict', (nodes) => nodes.length)).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await board.stop();
    // The snapshot holds them too.
    const out = join(testdir(), 'leases.html');
    const written = await runCli(['board', '--dir', root, '--out', out]);
    expect(written.code, written.stderr).toBe(0);
    const snap = await openPage({ offline: true });
    await snap.page.goto(pathToFileURL(out).href);
    await snap.page.waitForSelector('#leases');
    expect((await snap.page.$$eval('#leases li.lease', (nodes) => nodes.map((n) => `${(n as HTMLElement).dataset.agent}:${(n as HTMLElement).dataset.pattern}`))).sort()).toEqual([
      'alice:docs/auth.md',
      'alice:src/auth/**',
      'erin:web/onboarding/**',
    ]);
    expect(snap.errors).toEqual([]);
  });

  it('renders the README screenshot (written to docs/ only with COS_UPDATE_SCREENSHOT=1)', async () => {
    const root = await teamDay();
    const board = await startBoardProcess(root);
    for (const scheme of ['light', 'dark'] as const) {
      const { page, errors } = await openPage({ colorScheme: scheme, width: 1680, height: 1000 });
      await page.goto(board.url);
      await page.waitForSelector('.column');
      await page.locator('.card[data-sprint="billing"] summary').click();
      const shot = await page.screenshot({ fullPage: true });
      expect(shot.length).toBeGreaterThan(10_000);
      expect(errors).toEqual([]);
      if (process.env.COS_UPDATE_SCREENSHOT === '1') {
        const docs = fileURLToPath(new URL('../../docs/', import.meta.url));
        mkdirSync(docs, { recursive: true });
        await page.screenshot({ path: join(docs, scheme === 'light' ? 'board.png' : 'board-dark.png'), fullPage: true });
      }
    }
    await board.stop();
  });
});
