/*
 * COMMAND, COMMAND COUNT | INFO | DOCS | LIST | GETKEYS | GETKEYSANDFLAGS | HELP: the command table describing
 * itself. Name, arity, flags, key positions and ACL categories come from the table (the single
 * source of truth); what the table does not hold — documentation, command tips and key specs —
 * comes from command-docs.json, captured from redis-server 7.0.15 by scripts/gen-command-docs.mjs
 * and served only for the commands the table has.
 */
import { readFileSync } from 'node:fs';
import { Err } from '../resp/errors.js';
import { globMatch } from '../engine/glob.js';
import type { Client } from '../core/client.js';
import { replyHelp } from './admin.js';
import type { CommandTable } from '../core/table.js';
import { commandHasKeys, commandKeys } from './command-getkeys.js';
import type { CommandRow, CommandSpec, Reply } from '../core/command-types.js';

/**
 * A reply value kept with its RESP3 type: bulk string, integer, null, array, or the tagged
 * map (`m`: keys and values alternating), set (`t`) and simple string (`s`).
 */
export type DocValue = string | number | null | DocValue[] | { m: DocValue[] } | { t: DocValue[] } | { s: string };

export interface CapturedCommand {
  /** Redis's own row, for the test that compares it with ours */
  info: { arity: number; flags: string[]; first: number; last: number; step: number; categories: string[] };
  tips: DocValue;
  keySpecs: DocValue;
  /** the COMMAND DOCS map without `subcommands` (rebuilt from our table) */
  docs?: { m: DocValue[] };
}

let captured: Record<string, CapturedCommand> | null = null;

/** The captured Redis data, read on first use (most servers never run COMMAND). */
export function capturedCommands(): Record<string, CapturedCommand> {
  captured ??= (JSON.parse(readFileSync(new URL('./command-docs.json', import.meta.url), 'utf8')) as { commands: Record<string, CapturedCommand> }).commands;
  return captured;
}

/** Writes a captured value through the reply writer (which downgrades maps and sets for RESP2). */
export function writeDocValue(r: Reply, v: DocValue): void {
  if (v === null) r.nil();
  else if (typeof v === 'string') r.bulk(v);
  else if (typeof v === 'number') r.int(v);
  else if (Array.isArray(v)) {
    r.array(v.length);
    for (const item of v) writeDocValue(r, item);
  } else if ('m' in v) {
    r.map(v.m.length / 2);
    for (const item of v.m) writeDocValue(r, item);
  } else if ('t' in v) {
    r.set(v.t.length);
    for (const item of v.t) writeDocValue(r, item);
  } else r.simple(v.s);
}

const EMPTY_SET: DocValue = { t: [] };

/** The table: the dispatcher's, reached through the client's server. */
function tableOf(c: Client): CommandTable {
  return c.server.commandTable;
}

/** Top-level rows, then each one's subcommands: every command by its full name. */
function allSpecs(table: CommandTable): CommandSpec[] {
  const out: CommandSpec[] = [];
  for (const spec of table.all) {
    out.push(spec);
    if (spec.subcommands) out.push(...spec.subcommands.values());
  }
  return out;
}

/** A command by full name (`get`, `config|get`), any case. */
function lookupFullName(table: CommandTable, name: string): CommandSpec | undefined {
  const bar = name.indexOf('|');
  if (bar < 0) return table.get(name);
  return table.get(name.slice(0, bar))?.subcommands?.get(name.slice(bar + 1).toLowerCase());
}

/** Flags that Redis keeps to itself in COMMAND INFO (may_replicate, and those that only matter in Sentinel mode). */
const UNREPORTED_FLAGS = new Set(['may_replicate', 'sentinel', 'only_sentinel']);

/** The flags COMMAND INFO shows for a row. */
export function reportedFlags(spec: CommandSpec): readonly string[] {
  return spec.flags.filter((f) => !UNREPORTED_FLAGS.has(f));
}

/** One COMMAND INFO entry: the ten fields Redis 7 gives, subcommands nested. */
function replyCommandInfo(c: Client, spec: CommandSpec): void {
  const r = c.reply;
  const data = capturedCommands()[spec.name];
  r.array(10);
  r.bulk(spec.name);
  r.int(spec.arity);
  const flags = reportedFlags(spec);
  r.set(flags.length);
  for (const f of flags) r.simple(f);
  r.int(spec.firstKey);
  r.int(spec.lastKey);
  r.int(spec.step);
  r.set(spec.categories.length);
  for (const cat of spec.categories) r.simple(cat);
  writeDocValue(r, data?.tips ?? EMPTY_SET);
  writeDocValue(r, data?.keySpecs ?? EMPTY_SET);
  const subs = spec.subcommands ? [...spec.subcommands.values()] : [];
  r.set(subs.length);
  for (const sub of subs) replyCommandInfo(c, sub);
}

/** One COMMAND DOCS value: the captured map, plus the docs of the subcommands we have. */
function replyCommandDocs(c: Client, spec: CommandSpec): void {
  const own = capturedCommands()[spec.name]?.docs?.m ?? [];
  const subs = spec.subcommands ? [...spec.subcommands.values()] : [];
  c.reply.map(own.length / 2 + (subs.length > 0 ? 1 : 0));
  for (const item of own) writeDocValue(c.reply, item);
  if (subs.length === 0) return;
  c.reply.bulk('subcommands');
  c.reply.map(subs.length);
  for (const sub of subs) {
    c.reply.bulk(sub.name);
    replyCommandDocs(c, sub);
  }
}

/* COMMAND */
function commandCommand(c: Client): void {
  const all = tableOf(c).all;
  c.reply.array(all.length);
  for (const spec of all) replyCommandInfo(c, spec);
}

/* COMMAND COUNT */
function commandCountCommand(c: Client): void {
  c.reply.int(tableOf(c).all.length);
}

/* COMMAND INFO [command-name ...] */
function commandInfoCommand(c: Client, argv: string[]): void {
  if (argv.length === 2) return commandCommand(c);
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const spec = lookupFullName(tableOf(c), argv[i]!);
    if (spec === undefined) c.reply.nil();
    else replyCommandInfo(c, spec);
  }
}

/* COMMAND DOCS [command-name ...] */
function commandDocsCommand(c: Client, argv: string[]): void {
  const table = tableOf(c);
  const specs: CommandSpec[] = [];
  if (argv.length === 2) specs.push(...table.all);
  for (let i = 2; i < argv.length; i++) {
    const spec = lookupFullName(table, argv[i]!);
    if (spec !== undefined) specs.push(spec);
  }
  c.reply.map(specs.length);
  for (const spec of specs) {
    c.reply.bulk(spec.name);
    replyCommandDocs(c, spec);
  }
}

/* COMMAND LIST [FILTERBY MODULE module-name | ACLCAT category | PATTERN pattern] */
function commandListCommand(c: Client, argv: string[]): void {
  let keep: (spec: CommandSpec) => boolean = () => true;
  if (argv.length === 5 && argv[2]!.toLowerCase() === 'filterby') {
    const kind = argv[3]!.toLowerCase();
    const value = argv[4]!;
    if (kind === 'module') keep = () => false; // there are no modules
    else if (kind === 'aclcat') keep = (s) => s.categories.includes('@' + value.toLowerCase());
    else if (kind === 'pattern') keep = (s) => globMatch(value, s.name, true);
    else return c.reply.error(Err.SYNTAX);
  } else if (argv.length !== 2) {
    return c.reply.error(Err.SYNTAX);
  }
  c.reply.bulks(allSpecs(tableOf(c)).filter(keep).map((s) => s.name));
}

/*
 * COMMAND GETKEYS command [arg ...]   COMMAND GETKEYSANDFLAGS command [arg ...]
 * The keys found as command-getkeys.ts finds them; none is an error unless the command's keys
 * are optional (no_mandatory_keys).
 */
function getKeysGeneric(c: Client, argv: string[], withFlags: boolean): void {
  const line = argv.slice(2);
  let spec = tableOf(c).get(line[0]!);
  if (spec?.subcommands && line.length > 1) spec = spec.subcommands.get(line[1]!.toLowerCase());
  if (spec === undefined) return c.reply.error(Err.GETKEYS_INVALID_COMMAND);
  if (!commandHasKeys(spec)) return c.reply.error(Err.GETKEYS_NO_KEYS);
  if (spec.arity >= 0 ? line.length !== spec.arity : line.length < -spec.arity) return c.reply.error(Err.GETKEYS_BAD_ARITY);
  const keys = commandKeys(spec, line);
  if (keys.length === 0 && !spec.flags.includes('no_mandatory_keys')) return c.reply.error(Err.GETKEYS_INVALID_ARGUMENTS);
  c.reply.array(keys.length);
  for (const key of keys) {
    if (!withFlags) {
      c.reply.bulk(line[key.pos]!);
      continue;
    }
    c.reply.array(2);
    c.reply.bulk(line[key.pos]!);
    c.reply.set(key.flags.length);
    for (const f of key.flags) c.reply.simple(f);
  }
}

function commandGetKeysCommand(c: Client, argv: string[]): void {
  getKeysGeneric(c, argv, false);
}

function commandGetKeysAndFlagsCommand(c: Client, argv: string[]): void {
  getKeysGeneric(c, argv, true);
}

/* COMMAND HELP */
function commandHelpCommand(c: Client): void {
  replyHelp(c, 'COMMAND', [
    '(no subcommand)',
    '    Return details about all Redis commands.',
    'COUNT',
    '    Return the total number of commands in this Redis server.',
    'LIST',
    '    Return a list of all commands in this Redis server.',
    'INFO [<command-name> ...]',
    '    Return details about multiple Redis commands.',
    '    If no command names are given, documentation details for all',
    '    commands are returned.',
    'DOCS [<command-name> ...]',
    '    Return documentation details about multiple Redis commands.',
    '    If no command names are given, documentation details for all',
    '    commands are returned.',
    'GETKEYS <full-command>',
    '    Return the keys from a full Redis command.',
    'GETKEYSANDFLAGS <full-command>',
    '    Return the keys and the access flags from a full Redis command.',
  ]);
}

const INTRO = 'loading stale';
const CAT = '@connection';

export const commandCommands: CommandRow[] = [
  {
    name: 'command', arity: -1, flags: INTRO, categories: CAT, handler: commandCommand,
    subcommands: [
      { name: 'count', arity: 2, flags: INTRO, categories: CAT, handler: commandCountCommand },
      { name: 'docs', arity: -2, flags: INTRO, categories: CAT, handler: commandDocsCommand },
      { name: 'getkeys', arity: -4, flags: INTRO, categories: CAT, handler: commandGetKeysCommand },
      { name: 'getkeysandflags', arity: -4, flags: INTRO, categories: CAT, handler: commandGetKeysAndFlagsCommand },
      { name: 'help', arity: 2, flags: INTRO, categories: CAT, handler: commandHelpCommand },
      { name: 'info', arity: -2, flags: INTRO, categories: CAT, handler: commandInfoCommand },
      { name: 'list', arity: -2, flags: INTRO, categories: CAT, handler: commandListCommand },
    ],
  },
];
