/**
 * Who a person is when they run `cos resolve`, `cos ack` or `cos approve` without `--agent`
 * (PRODUCT.md version 2): `COS_AGENT` (when it is a slug), then the git user name as a slug, then
 * `human`. The one place this is decided.
 */
import { slugProblem } from '../protocol/slug.js';
import { tryGit } from './run.js';

/** "Ada Lovelace" → "ada-lovelace"; null when nothing usable is left. */
export function slugify(name: string): string | null {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '')
    .slice(0, 64)
    .replace(/[-.]+$/, '');
  return slug !== '' && slugProblem(slug) === null ? slug : null;
}

/** The author of a person's NOTE when --agent is not given. */
export async function defaultAgent(root: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromEnv = env.COS_AGENT;
  if (fromEnv !== undefined && fromEnv !== '' && slugProblem(fromEnv) === null) return fromEnv;
  try {
    const result = await tryGit(root, ['config', 'user.name'], { env });
    const slug = result.code === 0 ? slugify(result.stdout.trim()) : null;
    if (slug) return slug;
  } catch {
    // No git here: fall through.
  }
  return 'human';
}
