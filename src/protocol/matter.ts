/**
 * gray-matter, the only importer, made safe. It reads every front matter document the strict
 * fast path of frontmatter.ts declines (roles, skills, plans, hand-edited or foreign entries);
 * the flat front matter cos writes never loads it (gray-matter costs ~25 ms to import).
 *
 * Its defaults are unsafe, so none is used:
 * - it `eval`s JavaScript front matter (`---js`, `---javascript`, `---JS`), and `engines: { js:
 *   false }` does not stop that (false falls through to the alias): every non-YAML engine it
 *   knows (javascript, js, json, coffee, coffeescript, cson) is replaced by one that throws, and
 *   the language is forced to YAML;
 * - its YAML engine (js-yaml 3) makes timestamps into Dates: the engine is the caller's own
 *   parser (the `yaml` package, core schema, hardened in frontmatter.ts);
 * - without an options object it caches every parsed text forever and hands out one shared
 *   `data` object: an options object is always passed.
 * frontmatter.ts splits the text first (and refuses a declared language before anything reads
 * the block); gray-matter gets the block back between plain `---` lines, so both agree on where
 * the front matter ends.
 */
import { createRequire } from 'node:module';

type GrayMatter = (input: string, options: Record<string, unknown>) => { data: unknown; content: string };

const require = createRequire(import.meta.url);
let grayMatter: GrayMatter | undefined;

function load(): GrayMatter {
  grayMatter ??= require('gray-matter') as GrayMatter;
  return grayMatter;
}

function never(language: string) {
  const refuse = (): never => {
    throw new Error(`${language} front matter is never run; only YAML front matter is read`);
  };
  return { parse: refuse, stringify: refuse };
}

/** The engines gray-matter may use: ours for YAML, a refusal for everything that could run code. */
function engines(parseYaml: (source: string) => unknown) {
  return {
    yaml: { parse: (source: string) => parseYaml(source), stringify: never('yaml').stringify },
    javascript: never('javascript'),
    js: never('js'),
    json: never('json'),
    coffee: never('coffee'),
    coffeescript: never('coffeescript'),
    cson: never('cson'),
  };
}

/**
 * Parse `text` (front matter first) with gray-matter, the block read by `parseYaml` and nothing
 * else. Throws what `parseYaml` throws, or gray-matter's error for a language it does not know.
 */
export function readMatter(text: string, parseYaml: (source: string) => unknown): { data: unknown; content: string } {
  const file = load()(text, { language: 'yaml', engines: engines(parseYaml), excerpt: false });
  return { data: file.data, content: file.content };
}
