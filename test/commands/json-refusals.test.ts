/**
 * `--json` and a refusal (README, "JSON output"): on bad input or a refusal (exit 1, 3, 4) stdout
 * stays empty and the one sentence goes to stderr; `cos dispatch --json` is the documented
 * exception (a refusal document on stdout beside the sentence). `cos post` and `cos heartbeat`
 * follow the rule: these pin it, through the built CLI, with nothing written.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/tmp.js';
import { tree } from '../helpers/tree.js';

async function project(): Promise<string> {
  const root = testdir();
  expect((await runCli(['init', '--dir', root])).code).toBe(0);
  return root;
}

const REFUSED: Array<[string, string[], RegExp]> = [
  ['post, a bad status', ['post', '--json', '--sprint', 's', '--agent', 'a', '--status', 'BOGUS'], /^cos post: Invalid status "BOGUS": use one of /],
  ['post, a missing flag', ['post', '--json', '--sprint', 's', '--agent', 'a'], /^cos post: --status is required; see cos post --help\.\n$/],
  ['post, a path as the sprint', ['post', '--json', '--sprint', '../x', '--agent', 'a', '--status', 'NOTE'], /^cos post: Invalid sprint "\.\.\/x": /],
  ['post, an unknown flag', ['post', '--json', '--sprint', 's', '--agent', 'a', '--status', 'NOTE', '--bogus'], /^cos post: Unknown option '--bogus'/],
  ['heartbeat, no open entry', ['heartbeat', '--json', '--sprint', 's', '--agent', 'a'], /^cos heartbeat: Agent "a" has no open entry on sprint "s" to heartbeat/],
  ['heartbeat, a missing flag', ['heartbeat', '--json', '--sprint', 's'], /^cos heartbeat: --agent is required; see cos heartbeat --help\.\n$/],
  ['heartbeat, a bad ttl', ['heartbeat', '--json', '--sprint', 's', '--agent', 'a', '--ttl=-3'], /^cos heartbeat: .*ttl/],
];

describe('--json refusals of cos post and cos heartbeat', () => {
  for (const [what, args, sentence] of REFUSED) {
    it(`${what}: exit 1, stdout empty, one sentence on stderr, nothing written`, async () => {
      const root = await project();
      const before = tree(root);
      const result = await runCli([...args, '--dir', root]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.split('\n')).toHaveLength(2);
      expect(result.stderr).toMatch(sentence);
      expect(tree(root)).toEqual(before);
    }, 30_000);
  }

  it('cos dispatch --json, the documented exception: the refusal document on stdout beside the same sentence', async () => {
    const root = await project();
    const result = await runCli(['dispatch', '--json', 'developer', '--dir', root]);
    expect(result.code).toBe(1);
    const document = JSON.parse(result.stdout) as { version: number; ok: boolean; error: { code: string; exit_code: number; message: string } };
    expect(document).toEqual({ version: 1, ok: false, error: { code: 'invalid', exit_code: 1, message: expect.any(String) } });
    expect(result.stderr).toBe(`cos dispatch: ${document.error.message}\n`);
  }, 30_000);
});
