/**
 * The code of an SQL (or mongo shell JavaScript) text, without what the database does not run:
 * string literals (`'DROP TABLE x'`), quoted identifiers (`"drop table"`, `` `x` ``), dollar-quoted
 * bodies (`$$…$$`, `$fn$…$fn$`) and comments (`-- …`, `/* … *\/`; `//` in JavaScript). Each is
 * replaced by a space. Pure.
 *
 * Where dialects differ, both readings are returned and a rule checks each: a backslash escapes a
 * quote in MySQL (`'it\'s'`) but not in standard SQL, so `'a\'; DROP TABLE x; --'` is one string to
 * MySQL and a DROP to PostgreSQL. MySQL's executable comments (`/*! … *\/`) are code. Block comments
 * end at the first `*\/` (PostgreSQL nests them; reading them flat can only show more code).
 */

export type Dialect = 'sql' | 'js';

function strip(text: string, dialect: Dialect, backslashEscapes: boolean): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const two = text.slice(i, i + 2);
    if ((dialect === 'sql' && two === '--') || (dialect === 'js' && two === '//')) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
      out += ' ';
      continue;
    }
    if (two === '/*' && text[i + 2] !== '!') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
      out += ' ';
      continue;
    }
    if (dialect === 'sql' && c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i));
      if (tag) {
        const end = text.indexOf(tag[0], i + tag[0].length);
        i = end === -1 ? text.length : end + tag[0].length;
        out += ' ';
        continue;
      }
    }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      for (; j < text.length; j++) {
        if (backslashEscapes && text[j] === '\\') j++;
        else if (text[j] === c) {
          if (text[j + 1] === c) j++; // a doubled quote is the quote itself
          else break;
        }
      }
      i = j + 1;
      out += ' ';
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** The code of a text in each reading (backslashes escaping quotes, and not). */
export function sqlCode(text: string, dialect: Dialect = 'sql'): string[] {
  return [strip(text, dialect, false), strip(text, dialect, true)];
}
