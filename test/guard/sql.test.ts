/** What the database runs of an SQL text (guard/sql.ts): literals, quoted identifiers and comments are not code. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sqlCode } from '../../src/guard/sql.js';

const DROP = /\bdrop\s+table\b/i;
const runs = (text: string, dialect: 'sql' | 'js' = 'sql') => sqlCode(text, dialect).some((code) => DROP.test(code));

describe('SQL code', () => {
  it('examples: literals, identifiers, dollar quotes, comments; MySQL executable comments and backslash escapes', () => {
    expect(runs("SELECT 'DROP TABLE x'")).toBe(false);
    expect(runs("SELECT 'it''s'; DROP TABLE x")).toBe(true);
    expect(runs('SELECT "drop table" FROM t')).toBe(false);
    expect(runs('-- DROP TABLE x\nSELECT 1')).toBe(false);
    expect(runs('SELECT 1; -- note\nDROP TABLE x')).toBe(true);
    expect(runs('/* DROP TABLE x */ SELECT 1')).toBe(false);
    expect(runs('/*! DROP TABLE x */')).toBe(true);
    expect(runs('CREATE FUNCTION f() AS $body$ DROP TABLE x $body$')).toBe(false);
    expect(runs("SELECT 'a\\'; DROP TABLE x; --'")).toBe(true); // standard SQL: the DROP runs
    expect(runs('db.x.find() // DROP TABLE', 'js')).toBe(false);
  });

  it('text inside a string literal or a comment never runs (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.constantFrom('literal', 'line', 'block'), (text, where) => {
        const body = `DROP TABLE ${text}`;
        const sql = where === 'literal' ? `SELECT '${body.replace(/'/g, "''").replace(/\\/g, '')}'` : where === 'line' ? `-- ${body.replace(/\n/g, ' ')}\nSELECT 1` : `/* ${body.replace(/\*\//g, '')} */ SELECT 1`;
        expect(runs(sql)).toBe(false);
      }),
    );
  });
});
