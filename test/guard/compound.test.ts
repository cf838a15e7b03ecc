/**
 * Commands inside shell compound commands (`if`, `for`, `while`, `until`, `{ }`, `!`, `coproc`,
 * functions) are checked like the command alone, through the built CLI's pre-tool-use hook: the
 * reserved word is not the program. Each destructive line beside a harmless look-alike.
 */
import { describe, expect, it } from 'vitest';
import { expectGuardTable, project } from '../hooks/run-hook.js';

const ENV = { COS_SPRINT: 'compound', COS_AGENT: 'dev' };


const DENIED: Array<[string, string]> = [
  ['if true; then rm -rf ~; fi', 'recursive-delete-outside-repo'],
  ['for d in x; do git push --force origin main; done', 'force-push'],
  ['while true; do psql -c "DROP DATABASE prod"; done', 'drop-database'],
  ['{ rm -rf ~; }', 'recursive-delete-outside-repo'],
  ['! rm -rf ~', 'recursive-delete-outside-repo'],
  ['until rm -rf ~; do :; done', 'recursive-delete-outside-repo'],
  ['coproc rm -rf ~', 'recursive-delete-outside-repo'],
  ['f() { rm -rf ~; }; f', 'recursive-delete-outside-repo'],
  ['if true; then cos approve x.md; fi', 'self-approval'],
  ['rm --rec --force ~', 'recursive-delete-outside-repo'],
  ['rm --recur ~', 'recursive-delete-outside-repo'],
  ['git push --force-w origin main', 'force-push'],
];

const ALLOWED = ['if true; then rm -rf build; fi', 'for f in a; do echo "rm -rf ~"; done', 'while true; do psql -c "SELECT 1"; done', '{ rm -rf dist; }', 'f() { rm -rf build; }; f', 'rm --rec --force ./build'];

describe('compound commands, through the built CLI', () => {
  it('the command inside if/for/while/until/{ }/!/coproc/a function is denied as it is alone; look-alikes pass', { timeout: 120_000 }, async () => {
    await expectGuardTable(await project(), { denied: DENIED, allowed: ALLOWED, session: 'compound-session', env: ENV });
  });
});
