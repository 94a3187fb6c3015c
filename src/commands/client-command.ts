/*
 * CLIENT ID | SETNAME | GETNAME | LIST | INFO | KILL | SETINFO | NO-EVICT | HELP.
 * CLIENT LIST and CLIENT INFO describe connections in Redis 7.2's line format (7.0's fields
 * plus `lib-name` and `lib-ver`); fields for machinery we do not have (pub/sub, MULTI, tracking,
 * reply-buffer sizing) report Redis's idle values.
 */
import { Err } from '../resp/errors.js';
import { parseInt64 } from '../engine/int64.js';
import type { Client } from '../core/client.js';
import { validClientName } from './connection.js';
import { replyHelp } from './admin.js';
import type { CommandRow } from '../core/command-types.js';

const CLIENT_TYPES = ['normal', 'master', 'replica', 'slave', 'pubsub'] as const;
type ClientType = 'normal' | 'master' | 'replica' | 'pubsub';

/** The type name a CLIENT LIST/KILL filter means, or null when unknown (`slave` is `replica`). */
function parseClientType(name: string): ClientType | null {
  const t = name.toLowerCase();
  if (!(CLIENT_TYPES as readonly string[]).includes(t)) return null;
  return t === 'slave' ? 'replica' : (t as ClientType);
}

/** Every client here is a normal one: there is no replication, and MONITOR clients count as normal in Redis too. */
function clientType(_c: Client): ClientType {
  return 'normal';
}

/** The flags field: `O` monitor, `c` close after reply, `e` no-evict, `U` Unix socket, `N` when none. */
function clientFlags(c: Client): string {
  let f = '';
  if (c.monitor) f += 'O';
  if (c.closeAfterReply) f += 'c';
  if (c.conn.addr.startsWith('/')) f += 'U';
  if (c.noEvict) f += 'e';
  return f || 'N';
}

/** One CLIENT LIST line (without the newline), as Redis 7.2 prints it. */
export function clientInfoLine(c: Client, now: number): string {
  const qbuf = c.conn.queryBufferBytes();
  const obl = c.conn.outputBufferBytes();
  return (
    `id=${c.id} addr=${c.conn.addr} laddr=${c.conn.laddr} fd=${c.conn.fd} name=${c.name}` +
    ` age=${Math.floor((now - c.createdAt) / 1000)} idle=${Math.floor((now - c.lastInteraction) / 1000)}` +
    ` flags=${clientFlags(c)} db=${c.dbIndex} sub=0 psub=0 ssub=0 multi=-1 qbuf=${qbuf} qbuf-free=0` +
    ` argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=${obl} oll=0 omem=${obl} tot-mem=${qbuf + obl}` +
    ` events=${obl > 0 ? 'rw' : 'r'} cmd=${c.lastCommand} user=default redir=-1 resp=${c.proto}` +
    ` lib-name=${c.libName} lib-ver=${c.libVer}`
  );
}

function replyClientLines(c: Client, clients: Iterable<Client>): void {
  let text = '';
  for (const other of clients) text += clientInfoLine(other, c.now) + '\n';
  c.reply.verbatim(text);
}

/* CLIENT ID */
function clientIdCommand(c: Client): void {
  c.reply.int(c.id);
}

/* CLIENT SETNAME connection-name */
function clientSetNameCommand(c: Client, argv: string[]): void {
  const name = argv[2]!;
  if (!validClientName(name)) return c.reply.error(Err.CLIENT_NAME_SPACES);
  c.name = name;
  c.reply.ok();
}

/* CLIENT GETNAME */
function clientGetNameCommand(c: Client): void {
  if (c.name === '') c.reply.nil();
  else c.reply.bulk(c.name);
}

/* CLIENT INFO */
function clientInfoCommand(c: Client): void {
  replyClientLines(c, [c]);
}

/* CLIENT LIST [TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]] */
function clientListCommand(c: Client, argv: string[]): void {
  const all = c.server.clients;
  if (argv.length === 2) return replyClientLines(c, all.values());
  const option = argv[2]!.toLowerCase();
  if (option === 'type' && argv.length === 4) {
    const type = parseClientType(argv[3]!);
    if (type === null) return c.reply.error(Err.UNKNOWN_CLIENT_TYPE(argv[3]!));
    return replyClientLines(c, [...all.values()].filter((o) => clientType(o) === type));
  }
  if (option === 'id' && argv.length > 3) {
    const picked: Client[] = [];
    for (let i = 3; i < argv.length; i++) {
      const id = parseInt64(argv[i]!);
      if (id === null) return c.reply.error(Err.INVALID_CLIENT_ID);
      const other = typeof id === 'number' ? all.get(id) : undefined;
      if (other !== undefined) picked.push(other);
    }
    return replyClientLines(c, picked);
  }
  c.reply.error(Err.SYNTAX);
}

interface KillFilter {
  id?: number;
  addr?: string;
  laddr?: string;
  type?: ClientType;
  user?: string;
  skipMe: boolean;
  maxAge?: number;
}

/**
 * Parses CLIENT KILL's `<option> <value>` pairs (argv from index 2). Replies the error itself
 * and returns null when they are wrong, as Redis checks them in order.
 */
function parseKillFilter(c: Client, argv: string[]): KillFilter | null {
  const f: KillFilter = { skipMe: true };
  for (let i = 2; i < argv.length; i += 2) {
    const option = argv[i]!.toLowerCase();
    const value = argv[i + 1];
    if (value === undefined) {
      c.reply.error(Err.SYNTAX);
      return null;
    }
    if (option === 'id') {
      const id = parseInt64(value);
      if (id === null || id < 1) {
        c.reply.error(Err.CLIENT_ID_POSITIVE);
        return null;
      }
      f.id = Number(id);
    } else if (option === 'type') {
      const type = parseClientType(value);
      if (type === null) {
        c.reply.error(Err.UNKNOWN_CLIENT_TYPE(value));
        return null;
      }
      f.type = type;
    } else if (option === 'addr') {
      f.addr = value;
    } else if (option === 'laddr') {
      f.laddr = value;
    } else if (option === 'user') {
      if (value !== 'default') {
        c.reply.error(Err.NO_SUCH_USER(value));
        return null;
      }
      f.user = value;
    } else if (option === 'skipme') {
      const v = value.toLowerCase();
      if (v !== 'yes' && v !== 'no') {
        c.reply.error(Err.SYNTAX);
        return null;
      }
      f.skipMe = v === 'yes';
    } else if (option === 'maxage') {
      const age = parseInt64(value);
      if (age === null) {
        c.reply.error(Err.NOT_INTEGER);
        return null;
      }
      f.maxAge = Number(age);
    } else {
      c.reply.error(Err.SYNTAX);
      return null;
    }
  }
  return f;
}

function killMatches(f: KillFilter, c: Client, other: Client): boolean {
  if (f.skipMe && other === c) return false;
  if (f.id !== undefined && other.id !== f.id) return false;
  if (f.addr !== undefined && other.conn.addr !== f.addr) return false;
  if (f.laddr !== undefined && other.conn.laddr !== f.laddr) return false;
  if (f.type !== undefined && clientType(other) !== f.type) return false;
  if (f.maxAge !== undefined && f.maxAge !== 0 && Math.floor((c.now - other.createdAt) / 1000) <= f.maxAge) return false;
  return true;
}

/**
 * Closes `other`. Side effect: the calling client is closed only after its reply is written,
 * as Redis's CLIENT_CLOSE_AFTER_REPLY; any other client is closed now.
 */
function killClient(c: Client, other: Client): void {
  if (other === c) c.closeAfterReply = true;
  else other.conn.close();
}

/*
 * CLIENT KILL ip:port
 * CLIENT KILL [ID id] [TYPE type] [USER name] [ADDR ip:port] [LADDR ip:port] [SKIPME yes|no] [MAXAGE s] ...
 */
function clientKillCommand(c: Client, argv: string[]): void {
  if (argv.length === 3) {
    for (const other of c.server.clients.values()) {
      if (other.conn.addr === argv[2]) {
        killClient(c, other);
        return c.reply.ok();
      }
    }
    return c.reply.error(Err.NO_SUCH_CLIENT);
  }
  const filter = parseKillFilter(c, argv);
  if (filter === null) return;
  const victims = [...c.server.clients.values()].filter((o) => killMatches(filter, c, o));
  c.reply.int(victims.length);
  for (const other of victims) killClient(c, other);
}

/* CLIENT SETINFO LIB-NAME|LIB-VER value */
function clientSetInfoCommand(c: Client, argv: string[]): void {
  const attr = argv[2]!;
  const which = attr.toLowerCase();
  if (which !== 'lib-name' && which !== 'lib-ver') return c.reply.error(Err.UNRECOGNIZED_OPTION(attr));
  const value = argv[3]!;
  if (!validClientName(value)) return c.reply.error(Err.CLIENT_ATTR_SPACES(attr));
  if (which === 'lib-name') c.libName = value;
  else c.libVer = value;
  c.reply.ok();
}

/* CLIENT NO-EVICT ON|OFF */
function clientNoEvictCommand(c: Client, argv: string[]): void {
  const v = argv[2]!.toLowerCase();
  if (v !== 'on' && v !== 'off') return c.reply.error(Err.SYNTAX);
  c.noEvict = v === 'on';
  c.reply.ok();
}

/* CLIENT HELP */
function clientHelpCommand(c: Client): void {
  replyHelp(c, 'CLIENT', [
    'GETNAME',
    '    Return the name of the current connection.',
    'ID',
    '    Return the ID of the current connection.',
    'INFO',
    '    Return information about the current client connection.',
    'KILL <ip:port>',
    '    Kill connection made from <ip:port>.',
    'KILL <option> <value> [<option> <value> [...]]',
    '    Kill connections. Options are:',
    '    * ADDR (<ip:port>|<unixsocket>:0)',
    '      Kill connections made from the specified address',
    '    * LADDR (<ip:port>|<unixsocket>:0)',
    '      Kill connections made to specified local address',
    '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
    '      Kill connections by type.',
    '    * USER <username>',
    '      Kill connections authenticated by <username>.',
    '    * SKIPME (YES|NO)',
    '      Skip killing current connection (default: yes).',
    '    * ID <client-id>',
    '      Kill connections by client id.',
    '    * MAXAGE <maxage>',
    '      Kill connections older than the specified age.',
    'LIST [options ...]',
    '    Return information about client connections. Options:',
    '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
    '      Return clients of specified type.',
    'SETNAME <name>',
    '    Assign the name <name> to the current connection.',
    'SETINFO <option> <value>',
    '    Set client meta attr. Options are:',
    '    * LIB-NAME: the client lib name.',
    '    * LIB-VER: the client lib version.',
    'NO-EVICT (ON|OFF)',
    '    Protect current client connection from eviction.',
  ]);
}

const CONN = 'noscript loading stale';
const ADMIN_CONN = 'admin noscript loading stale';

export const clientCommands: CommandRow[] = [
  {
    name: 'client', arity: -2, flags: '', categories: '',
    subcommands: [
      { name: 'id', arity: 2, flags: CONN, categories: '@connection', handler: clientIdCommand },
      { name: 'setname', arity: 3, flags: CONN, categories: '@connection', handler: clientSetNameCommand },
      { name: 'getname', arity: 2, flags: CONN, categories: '@connection', handler: clientGetNameCommand },
      { name: 'info', arity: 2, flags: CONN, categories: '@connection', handler: clientInfoCommand },
      { name: 'list', arity: -2, flags: ADMIN_CONN, categories: '@connection', handler: clientListCommand },
      { name: 'kill', arity: -3, flags: ADMIN_CONN, categories: '@connection', handler: clientKillCommand },
      { name: 'setinfo', arity: 4, flags: CONN, categories: '@connection', handler: clientSetInfoCommand },
      { name: 'no-evict', arity: 3, flags: ADMIN_CONN, categories: '@connection', handler: clientNoEvictCommand },
      { name: 'help', arity: 2, flags: 'loading stale', categories: '@connection', handler: clientHelpCommand },
    ],
  },
];
