/**
 * The always-on places as properties (src/guard/protected.ts): every spelling in a generated family
 * of commands that write into `.agent/config/` or `.agent/status/` is denied by its rule, and no
 * command that only reads them is denied. A real tree in a temp dir (with a link into the
 * repository from outside), the real-path function the hook uses.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideTool, type GuardContext } from '../../src/guard/rules.js';
import { guardContext } from './context.js';
import { testdir } from '../helpers/tmp.js';

function tree(): { context: GuardContext; link: string } {
  const root = testdir({ '.agent/config/coordination.yaml': 'version: 1\n', '.agent/status/current/001-2026-11-29T22-00-00Z-dev.md': '---\n---\n', 'src/a.ts': '' });
  mkdirSync(join(root, 'build'));
  writeFileSync(join(root, 'build/out.txt'), '');
  const outside = testdir();
  const link = join(outside, 'repo-link');
  symlinkSync(root, link);
  return {
    link,
    context: guardContext(root),
  };
}

/** Spellings of one file inside the repository: relative, ./, $PWD, absolute, through a link, globbed, from a subfolder. */
function spellings(rel: string, root: string, link: string): fc.Arbitrary<{ path: string; cd: string }> {
  const [dir, file] = [rel.slice(0, rel.lastIndexOf('/')), rel.slice(rel.lastIndexOf('/') + 1)];
  const top = rel.split('/')[1]!; // config | status
  return fc.constantFrom(
    { path: rel, cd: '' },
    { path: `./${rel}`, cd: '' },
    { path: `$PWD/${rel}`, cd: '' },
    { path: `"$PWD"/${rel}`, cd: '' },
    { path: `${root}/${rel}`, cd: '' },
    { path: `${link}/${rel}`, cd: '' },
    { path: `src/../${rel}`, cd: '' },
    { path: `../${rel}`, cd: 'cd src && ' },
    { path: `${rel.replace(`/${top}/`, `/${top.slice(0, 3)}*/`)}`, cd: '' },
    { path: `${dir}/${file.slice(0, 3)}*`, cd: '' },
    { path: `.ag?nt/${rel.slice('.agent/'.length)}`, cd: '' },
    { path: rel.slice('.agent/'.length), cd: 'cd .agent && ' },
    { path: `"${rel}"`, cd: '' },
  );
}

const WRITERS = fc.constantFrom(
  (p: string) => `echo x > ${p}`,
  (p: string) => `printf 'x' >> ${p}`,
  (p: string) => `cat /tmp/x &> ${p}`,
  (p: string) => `tee ${p} < /tmp/x`,
  (p: string) => `tee -a ${p} < /tmp/x`,
  (p: string) => `cp /tmp/x ${p}`,
  (p: string) => `install -m 644 /tmp/x ${p}`,
  (p: string) => `mv /tmp/x ${p}`,
  (p: string) => `rsync -a /tmp/x ${p}`,
  (p: string) => `sed -i s/a/b/ ${p}`,
  (p: string) => `perl -pi -e s/a/b/ ${p}`,
  (p: string) => `yq -i .a=1 ${p}`,
  (p: string) => `awk -i inplace 1 ${p}`,
  (p: string) => `truncate -s 0 ${p}`,
  (p: string) => `dd if=/tmp/x of=${p}`,
  (p: string) => `touch ${p}`,
  (p: string) => `rm -f ${p}`,
  (p: string) => `curl -so ${p} https://example.com/x`,
  (p: string) => `patch ${p} < /tmp/fix.patch`,
  (p: string) => `ln -sf /tmp/x ${p}`,
  (p: string) => `git checkout HEAD~1 -- ${p}`,
  (p: string) => `git restore ${p}`,
  (p: string) => `find ${p} -delete`,
);

const READERS = fc.constantFrom(
  (p: string) => `cat ${p}`,
  (p: string) => `head -n 3 ${p}`,
  (p: string) => `tail -f ${p}`,
  (p: string) => `grep -n ttl ${p}`,
  (p: string) => `wc -l ${p}`,
  (p: string) => `yq .ttl_minutes ${p}`,
  (p: string) => `awk '{print $1}' ${p}`,
  (p: string) => `sed -n 1,5p ${p}`,
  (p: string) => `perl -ne print ${p}`,
  (p: string) => `ls -la ${p}`,
  (p: string) => `stat ${p}`,
  (p: string) => `sha256sum ${p}`,
  (p: string) => `diff ${p} /tmp/x`,
  (p: string) => `cp ${p} /tmp/backup`,
  (p: string) => `rsync -a ${p} /tmp/backup/`,
  (p: string) => `tar -czf /tmp/a.tgz ${p}`,
  (p: string) => `gzip -c ${p} > /tmp/x.gz`,
  (p: string) => `git diff -- ${p}`,
  (p: string) => `git log --oneline -- ${p}`,
  (p: string) => `git add ${p}`,
  (p: string) => `git restore --staged ${p}`,
  (p: string) => `git reset -- ${p}`,
  (p: string) => `cp -t build ${p}`,
  (p: string) => `find ${p} -newer /tmp/x`,
);

const PREFIXES = fc.constantFrom('', 'sudo ', 'env A=1 ', 'true && ', 'ls; ', 'timeout 5 ');

const AREAS = [
  { rel: '.agent/config/coordination.yaml', rule: 'config-edit' },
  { rel: '.agent/status/current/001-2026-11-29T22-00-00Z-dev.md', rule: 'status-edit' },
] as const;

describe('the always-on places, as properties', () => {
  for (const area of AREAS) {
    it(`every spelling of a write into ${area.rel} is denied (${area.rule})`, () => {
      const { context, link } = tree();
      fc.assert(
        fc.property(spellings(area.rel, context.root, link), WRITERS, PREFIXES, (spelling, writer, prefix) => {
          const command = `${spelling.cd}${prefix}${writer(spelling.path)}`;
          const decision = decideTool('Bash', { command }, context);
          expect(decision, command).toMatchObject({ decision: 'deny', rule: area.rule });
        }),
        { numRuns: 400 },
      );
    });

    it(`no command that only reads ${area.rel} is denied`, () => {
      const { context, link } = tree();
      fc.assert(
        fc.property(spellings(area.rel, context.root, link), READERS, PREFIXES, (spelling, reader, prefix) => {
          const command = `${spelling.cd}${prefix}${reader(spelling.path)}`;
          expect(decideTool('Bash', { command }, context), command).toEqual({ decision: 'allow' });
        }),
        { numRuns: 400 },
      );
    });
  }

  it('Write and Edit of any spelling of a path in a protected place are denied; of a path beside it, never', () => {
    const { context, link } = tree();
    const inside = fc.constantFrom(...AREAS.flatMap((area) => [area.rel, `./${area.rel}`, `${context.root}/${area.rel}`, `${link}/${area.rel}`, `src/../${area.rel}`].map((path) => ({ path, rule: area.rule }))));
    const beside = fc.constantFrom('.agent/roles/dev.md', `${link}/src/a.ts`, 'build/out.txt', '.agent/configuration.md', '.agent/status-notes.md', `${context.root}/README.md`);
    fc.assert(
      fc.property(fc.constantFrom('Write', 'Edit', 'MultiEdit'), inside, beside, (tool, hit, miss) => {
        expect(decideTool(tool, { file_path: hit.path, content: 'x' }, context)).toMatchObject({ decision: 'deny', rule: hit.rule });
        expect(decideTool(tool, { file_path: miss, content: 'x' }, context)).toEqual({ decision: 'allow' });
      }),
      { numRuns: 100 },
    );
  });
});
