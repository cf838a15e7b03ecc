/** `cos init`: create the `.agent/` tree, default config, roles, skill and runbook. Never overwrites. */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AGENT_GITIGNORE, COORDINATION_YAML, NOTION_SYNC_YAML } from '../templates/config.js';
import { ROLE_FILES } from '../templates/roles.js';
import { EXAMPLE_PLAN } from '../templates/plan.js';
import { RUNBOOK_MD } from '../templates/runbook.js';
import { CHIEF_OF_STAFF_SKILL } from '../templates/skill.js';
import { agentPaths } from './paths.js';
import { anchorStateLine, GITIGNORE } from './gitignore.js';
import { makeDirectory } from '../errors.js';
import { confine } from '../trust/confine.js';
import { worktreeRoots } from '../trust/roots.js';

/** What `initRepo` (`cos init`) created, updated and found already there. */
export interface InitResult {
  root: string;
  /** Repository-relative paths written now. */
  created: string[];
  /** Repository-relative paths that were already there and were left alone. */
  existing: string[];
  /** Repository-relative paths migrated in place (the old `state/` line of .agent/.gitignore). */
  updated: string[];
}

/** Every file init writes, repository-relative, with its content. */
export function initFiles(): Array<[string, string]> {
  return [
    ['.agent/.gitignore', AGENT_GITIGNORE],
    ['.agent/config/coordination.yaml', COORDINATION_YAML],
    ['.agent/config/notion-sync.yaml', NOTION_SYNC_YAML],
    ...Object.entries(ROLE_FILES).map(([name, text]): [string, string] => [`.agent/roles/${name}.md`, text]),
    ['.agent/skills/chief-of-staff/SKILL.md', CHIEF_OF_STAFF_SKILL],
    ['.agent/status/current/.gitkeep', ''],
    ['.agent/status/archive/.gitkeep', ''],
    ['.agent/plans/example.yaml.sample', EXAMPLE_PLAN],
    ['runbook.md', RUNBOOK_MD],
  ];
}

/** Create the `.agent/` tree, default config, roles and runbook; never overwrites a file. */
export function initRepo(root: string): InitResult {
  const paths = agentPaths(root);
  const result: InitResult = { root: paths.root, created: [], existing: [], updated: [] };
  const roots = worktreeRoots(paths.root);
  for (const [rel, content] of initFiles()) {
    const path = join(paths.root, rel);
    // A folder committed as a link elsewhere (say .agent/skills/chief-of-staff) is refused first.
    confine(dirname(path), roots, dirname(rel));
    makeDirectory(dirname(path), dirname(rel));
    try {
      // 'wx': an existing file, even an empty or hand-edited one, is never overwritten.
      writeFileSync(path, content, { flag: 'wx' });
      result.created.push(rel);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      result.existing.push(rel);
    }
  }
  if (result.existing.includes(GITIGNORE) && anchorStateLine(paths.root)) {
    result.existing.splice(result.existing.indexOf(GITIGNORE), 1);
    result.updated.push(GITIGNORE);
  }
  return result;
}
