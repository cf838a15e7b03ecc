/** Who the hook reports for: the environment, or the agent's own cos post/heartbeat. Pure. */
import { describe, expect, it } from 'vitest';
import { identityFromEnv, identityFromTool } from '../../src/hooks/identity.js';
import { parseHookInput } from '../../src/hooks/input.js';

const bash = (command: string) => identityFromTool('Bash', { command });

describe('identity', () => {
  it('from COS_SPRINT and COS_AGENT, only when both are slugs', () => {
    expect(identityFromEnv({ COS_SPRINT: 's1', COS_AGENT: 'dev' })).toEqual({ sprint: 's1', agent: 'dev' });
    expect(identityFromEnv({ COS_SPRINT: 's1' })).toBeNull();
    expect(identityFromEnv({ COS_SPRINT: '../x', COS_AGENT: 'dev' })).toBeNull();
    expect(identityFromEnv({ COS_SPRINT: 'S1', COS_AGENT: 'dev' })).toBeNull();
  });

  it('from the agent\'s cos post / heartbeat commands, however cos is invoked', () => {
    expect(bash('cos post --sprint s1 --agent dev --status IN_PROGRESS')).toEqual({ sprint: 's1', agent: 'dev' });
    expect(bash('node dist/cli.js --json heartbeat --agent=dev --sprint=s1')).toEqual({ sprint: 's1', agent: 'dev' });
    expect(bash('npx cos --dir .. post --status COMPLETE --message "done; tests | pass" --sprint s1 --agent dev')).toEqual({ sprint: 's1', agent: 'dev' });
    expect(bash("cd x && ./node_modules/.bin/cos post --sprint 's1' --agent \"dev\" -m 'a && b'")).toEqual({ sprint: 's1', agent: 'dev' });
    // The last cos post of a compound command wins.
    expect(bash('cos post --sprint a --agent dev --status COMPLETE; cos post --sprint b --agent dev --status IN_PROGRESS')).toEqual({ sprint: 'b', agent: 'dev' });
  });

  it('not from anything else', () => {
    expect(bash('cos dispatch developer s1 --agent dev')).toBeNull();
    expect(bash('cos status')).toBeNull();
    expect(bash('echo cos post --sprint s1')).toBeNull();
    expect(bash('curl -X post --sprint s1 --agent dev')).toBeNull();
    expect(bash('cos post --sprint ../x --agent dev --status IN_PROGRESS')).toBeNull();
    expect(identityFromTool('Read', { file_path: 'cos post --sprint s1 --agent dev' })).toBeNull();
  });

  it('from the cos MCP server\'s post and heartbeat tools', () => {
    expect(identityFromTool('mcp__cos__post', { sprint: 's1', agent: 'dev', status: 'IN_PROGRESS' })).toEqual({ sprint: 's1', agent: 'dev' });
    expect(identityFromTool('mcp__cos__heartbeat', { sprint: 's1', agent: 'dev' })).toEqual({ sprint: 's1', agent: 'dev' });
    expect(identityFromTool('mcp__slack__post', { sprint: 's1', agent: 'dev' })).toBeNull();
    expect(identityFromTool('mcp__cos__post', { sprint: 's1', agent: 7 })).toBeNull();
  });

  it('hook input: a session id that could become a path is refused', () => {
    expect(parseHookInput('{"session_id":"abc-123","cwd":"/x","tool_input":{"a":1}}')).toEqual({ ok: true, input: { session_id: 'abc-123', cwd: '/x', tool_input: { a: 1 } } });
    for (const id of ['../x', 'a/b', '', '.hidden', 'a..b']) expect(parseHookInput(JSON.stringify({ session_id: id })).ok).toBe(false);
    expect(parseHookInput('null').ok).toBe(false);
  });
});
