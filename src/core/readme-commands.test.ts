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
const notYetText = notYetAt < 0 ? '' : section.slice(notYetAt).toUpperCase();
/** The Not yet list without its `CONTAINER|SUB` entries (missing subcommands of commands we have). */
const notYet = notYetText.replace(/[A-Z_-]+\|[A-Z_-]+/g, '');
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

test("every Redis 7.0 command the table lacks is named in the README's Not yet list", () => {
  const table = buildCommandTable();
  const docs = JSON.parse(readFileSync(new URL('../commands/command-docs.json', import.meta.url), 'utf8')).commands;
  const names: string[] = Array.isArray(docs) ? docs.map((d: { name: string }) => d.name) : Object.keys(docs);
  const unnamed: string[] = [];
  for (const full of names) {
    const [name, sub] = full.toLowerCase().split('|') as [string, string | undefined];
    const spec = table.get(name);
    if (sub === undefined) {
      if (spec === undefined && !named(notYet, name.toUpperCase())) unnamed.push(name.toUpperCase());
    } else if (spec !== undefined && sub !== 'help' && spec.subcommands?.get(sub) === undefined) {
      // a missing subcommand of a command the table has: named as `LATENCY|GRAPH`
      const entry = `${name}|${sub}`.toUpperCase();
      if (!named(notYetText, entry)) unnamed.push(entry);
    }
  }
  assert.equal(unnamed, []);
});

test.run();
