/**
 * Who a person's command writes as (`cos approve`, `cos resolve`, `cos ack`): `--agent`, else
 * `COS_AGENT`, else the git user name as a slug, else `human`.
 */
import { tryGit } from '../git/run.js';
import { slugProblem } from '../protocol/slug.js';

export function toSlug(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').replace(/-+$/, '').slice(0, 64);
}

export async function defaultAgent(root: string, env: NodeJS.ProcessEnv, given?: string): Promise<string> {
  if (given !== undefined) return given;
  if (env.COS_AGENT !== undefined && env.COS_AGENT !== '') return env.COS_AGENT;
  try {
    const result = await tryGit(root, ['config', 'user.name']);
    const slug = result.code === 0 ? toSlug(result.stdout.trim()) : '';
    if (slug !== '' && slugProblem(slug) === null) return slug;
  } catch {
    // no git here: a person all the same
  }
  return 'human';
}
