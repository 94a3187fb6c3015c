/*
 * Connection commands: PING, ECHO, QUIT, RESET, HELLO, AUTH, SELECT.
 */
import { REDIS_VERSION } from '../core/version.js';
import { Err } from '../resp/errors.js';
import { enterNamespace } from './namespaces.js';
import { parseInt64 } from '../engine/int64.js';
import type { Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';

/* PING [message] */
function pingCommand(c: Client, argv: string[]): void {
  if (argv.length > 2) return c.reply.error(Err.WRONG_ARITY('ping'));
  // a subscribed RESP2 client gets an array, as a message would be
  if (c.subscriptions !== null && c.proto === 2) {
    c.reply.array(2);
    c.reply.bulk('pong');
    c.reply.bulk(argv.length === 1 ? '' : argv[1]!);
  } else if (argv.length === 1) c.reply.simple('PONG');
  else c.reply.bulk(argv[1]!);
}

/* ECHO message */
function echoCommand(c: Client, argv: string[]): void {
  c.reply.bulk(argv[1]!);
}

/* QUIT */
function quitCommand(c: Client): void {
  c.reply.ok();
  c.closeAfterReply = true;
}

/* RESET */
function resetCommand(c: Client): void {
  // transaction, watched keys, subscriptions, tracking
  c.server.releaseClientState(c);
  // back to the default user, authenticated if it needs no password; a connection whose user is
  // bound to a namespace (ACL `namespace=`, commands/namespaces.ts) goes back to it, not to db 0
  c.user = c.server.acl.defaultUser;
  c.authenticated = !c.server.acl.authRequired;
  if (c.user.namespace !== undefined) enterNamespace(c, c.user.namespace, true);
  else {
    c.boundNamespace = null;
    c.select(0);
  }
  c.setProto(2);
  c.name = '';
  c.noEvict = false;
  if (c.monitor) {
    c.monitor = false;
    c.server.monitors.delete(c);
  }
  c.reply.simple('RESET');
}

/**
 * Checks a username/password pair against the ACL users. Side effects: on success the client
 * runs as that user, authenticated; on failure ACL LOG records it (`object`: the command's name
 * as sent) and
 * the client keeps the user it had.
 */
function authenticate(c: Client, user: string, pass: string, object: string): boolean {
  const acl = c.server.acl;
  const u = acl.authenticate(user, pass);
  if (u === null) {
    acl.addLogEntry(c, 'auth', c.multi !== null ? 'multi' : 'toplevel', object, user);
    return false;
  }
  c.user = u;
  c.authenticated = true;
  // a user bound to a namespace lands in it and cannot leave it; another user is not bound
  if (u.namespace !== undefined) enterNamespace(c, u.namespace, true);
  else c.boundNamespace = null;
  return true;
}

/* AUTH [username] password */
function authCommand(c: Client, argv: string[]): void {
  if (argv.length > 3) return c.reply.error(Err.SYNTAX);
  if (argv.length === 2 && c.server.acl.defaultUser.nopass) return c.reply.error(Err.AUTH_NO_PASSWORD);
  const user = argv.length === 3 ? argv[1]! : 'default';
  if (!authenticate(c, user, argv[argv.length - 1]!, argv[0]!)) return c.reply.error(Err.WRONGPASS);
  c.reply.ok();
}

/* HELLO [protover [AUTH username password] [SETNAME clientname]] */
function helloCommand(c: Client, argv: string[]): void {
  let proto: number = c.proto;
  if (argv.length >= 2) {
    const v = parseInt64(argv[1]!);
    if (v === null) return c.reply.error(Err.HELLO_PROTO_NOT_INTEGER);
    if (v !== 2 && v !== 3) return c.reply.error(Err.NOPROTO);
    proto = v;
  }
  let auth: [string, string] | null = null;
  let setName: string | null = null;
  for (let i = 2; i < argv.length; i++) {
    const opt = argv[i]!.toLowerCase();
    const left = argv.length - i - 1;
    if (opt === 'auth' && left >= 2) {
      auth = [argv[i + 1]!, argv[i + 2]!];
      i += 2;
    } else if (opt === 'setname' && left >= 1) {
      setName = argv[i + 1]!;
      i += 1;
    } else {
      return c.reply.error(Err.HELLO_SYNTAX(argv[i]!));
    }
  }
  if (auth !== null && !authenticate(c, auth[0], auth[1], argv[0]!)) return c.reply.error(Err.WRONGPASS);
  if (!c.authenticated && c.server.acl.authRequired) return c.reply.error(Err.HELLO_NOAUTH);
  if (setName !== null) {
    if (!validClientName(setName)) return c.reply.error(Err.CLIENT_NAME_SPACES);
    c.name = setName;
  }
  c.setProto(proto as 2 | 3);
  const r = c.reply;
  r.map(7);
  r.bulk('server');
  r.bulk('redis');
  r.bulk('version');
  r.bulk(REDIS_VERSION);
  r.bulk('proto');
  r.int(proto);
  r.bulk('id');
  r.int(c.id);
  r.bulk('mode');
  r.bulk('standalone');
  r.bulk('role');
  r.bulk('master');
  r.bulk('modules');
  r.array(0);
}

/** Client names may not contain spaces, newlines or other characters outside '!'..'~'. */
export function validClientName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 33 || ch > 126) return false;
  }
  return true;
}

/* SELECT index */
function selectCommand(c: Client, argv: string[]): void {
  const v = parseInt64(argv[1]!);
  if (v === null || typeof v === 'bigint' || v < -2147483648 || v > 2147483647) return c.reply.error(Err.NOT_INTEGER);
  if (v < 0 || v >= c.server.keyspace.dbs.length) return c.reply.error(Err.DB_INDEX_RANGE);
  if (c.boundNamespace !== null) return c.reply.error(Err.NS_BOUND(c.boundNamespace));
  c.select(v);
  c.reply.ok();
}

export const connectionCommands: CommandRow[] = [
  { name: 'ping', arity: -1, flags: 'fast sentinel', categories: '@connection', handler: pingCommand },
  { name: 'echo', arity: 2, flags: 'loading stale fast', categories: '@connection', handler: echoCommand },
  { name: 'quit', arity: -1, flags: 'noscript loading stale fast no_auth allow_busy', categories: '@connection', handler: quitCommand },
  { name: 'reset', arity: 1, flags: 'noscript loading stale fast no_auth allow_busy', categories: '@connection', handler: resetCommand },
  { name: 'hello', arity: -1, flags: 'noscript loading stale fast no_auth sentinel allow_busy', categories: '@connection', handler: helloCommand },
  { name: 'auth', arity: -2, flags: 'noscript loading stale fast no_auth sentinel allow_busy', categories: '@connection', handler: authCommand },
  { name: 'select', arity: 2, flags: 'loading stale fast', categories: '@connection', handler: selectCommand },
];
