/*
 * Namespaces (our extension, KV.NS): named, isolated keyspaces beside Redis's numbered
 * databases. A namespace is a full `Database` (engine/keyspace.ts) with a negative id, so keys,
 * TTLs, SCAN, FLUSHDB, DBSIZE, WATCH, blocking, notifications, MULTI and scripts stay within it
 * exactly as they stay within a numbered database. docs/extensions.md gives the rules.
 *
 * A connection can be bound to a namespace (an ACL user with a namespace: the ACL code calls
 * `enterNamespace(c, name, true)` at authentication); it then cannot leave it: SELECT, KV.NS USE of
 * another name, SWAPDB, FLUSHALL, MOVE and COPY … DB answer NOPERM.
 */
import { isNamespaceName } from '../engine/keyspace.js';
import { Err } from '../resp/errors.js';
import type { Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';

/**
 * Puts `c` into namespace `name` (created empty when new). With `bound`, the connection may not
 * leave it afterwards (`c.boundNamespace`); without, any binding is lifted. Throws on an invalid
 * name (the caller validates what users type).
 */
export function enterNamespace(c: Client, name: string, bound: boolean): void {
  if (!isNamespaceName(name)) throw new RangeError(`invalid namespace name ${JSON.stringify(name)}`);
  c.useDatabase(c.server.keyspace.namespace(name));
  c.boundNamespace = bound ? name : null;
}

/** Whether `c` may address `name` (unbound, or bound to it); replies NOPERM when not. */
function mayUse(c: Client, name: string): boolean {
  const bound = c.boundNamespace;
  if (bound === null || bound === name) return true;
  c.reply.error(Err.NS_BOUND(bound));
  return false;
}

/* KV.NS USE name */
function nsUseCommand(c: Client, argv: string[]): void {
  const name = argv[2]!;
  if (!mayUse(c, name)) return;
  if (!isNamespaceName(name)) return c.reply.error(Err.NS_INVALID_NAME);
  c.useDatabase(c.server.keyspace.namespace(name));
  c.reply.ok();
}

/* KV.NS CURRENT */
function nsCurrentCommand(c: Client): void {
  const name = c.db.name;
  if (name === null) c.reply.nil();
  else c.reply.bulk(name);
}

/* KV.NS LIST (a bound connection sees only its own namespace) */
function nsListCommand(c: Client): void {
  const names = [...c.server.keyspace.namespaces.keys()];
  const bound = c.boundNamespace;
  c.reply.bulks(bound === null ? names : names.filter((n) => n === bound));
}

/* KV.NS DROP name */
function nsDropCommand(c: Client, argv: string[]): void {
  const name = argv[2]!;
  if (!mayUse(c, name)) return;
  const keyspace = c.server.keyspace;
  const db = keyspace.namespaces.get(name);
  if (db === undefined) return c.reply.int(0);
  // a namespace some connection still uses stays (empty): they keep working in it
  let inUse = false;
  for (const other of c.server.clients.values()) {
    if (other.db === db) {
      inUse = true;
      break;
    }
  }
  c.reply.int(keyspace.dropNamespace(name, inUse));
}

const NS_HELP = [
  'KV.NS <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'USE <name>',
  '    Switch the connection to namespace <name> (created on first use). SELECT goes back',
  '    to a numbered database.',
  'CURRENT',
  '    Return the connection\'s namespace, or nil in a numbered database.',
  'LIST',
  '    Return the names of the namespaces.',
  'DROP <name>',
  '    Remove the namespace and all its keys; return how many keys it held.',
  'HELP',
  '    Print this help.',
];

/* KV.NS HELP */
function nsHelpCommand(c: Client): void {
  c.reply.array(NS_HELP.length);
  for (const line of NS_HELP) c.reply.simple(line);
}

export const namespaceCommands: CommandRow[] = [
  {
    name: 'kv.ns',
    arity: -2,
    flags: '',
    categories: '',
    subcommands: [
      { name: 'use', arity: 3, flags: 'loading stale fast', categories: '@connection', handler: nsUseCommand },
      { name: 'current', arity: 2, flags: 'loading stale fast', categories: '@connection', handler: nsCurrentCommand },
      { name: 'list', arity: 2, flags: 'loading stale', categories: '@keyspace', handler: nsListCommand },
      { name: 'drop', arity: 3, flags: 'write', categories: '@keyspace @dangerous', handler: nsDropCommand },
      { name: 'help', arity: 2, flags: 'loading stale', categories: '@keyspace', handler: nsHelpCommand },
    ],
  },
];
