/*
 * The README's command list cannot drift from the command table: every command (and every
 * container's subcommand) the table has is named in the README's Commands section, and the
 * "Not yet" paragraph names nothing the table has.
 */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildCommandTable } from './command-list.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Commands'), readme.indexOf('\n## ', readme.indexOf('## Commands') + 5));
const notYetAt = section.indexOf('Not yet:');
const listed = section.slice(0, notYetAt < 0 ? undefined : notYetAt).toUpperCase();
const notYet = notYetAt < 0 ? '' : section.slice(notYetAt).toUpperCase();
const named = (text: string, name: string) => new RegExp(`(^|[^A-Z0-9_.|-])${name.replace(/[.|]/g, '\\$&')}(?![A-Z0-9_-]|\\.[A-Z0-9])`).test(text);

test('every command of the table is in the README', () => {
  const missing: string[] = [];
  for (const spec of buildCommandTable().all) {
    const name = spec.name.toUpperCase();
    if (!named(listed, name)) missing.push(name);
    for (const sub of spec.subcommands?.values() ?? []) {
      const subName = sub.name.split('|')[1]!.toUpperCase();
      if (subName !== 'HELP' && !named(listed, subName)) missing.push(`${name} ${subName}`);
    }
  }
  assert.equal(missing, []);
});

test("the README's Not yet list names no command the table has", () => {
  const table = buildCommandTable();
  const present = table.all.map((s) => s.name.toUpperCase()).filter((name) => named(notYet, name));
  assert.equal(present, []);
});

test.run();
