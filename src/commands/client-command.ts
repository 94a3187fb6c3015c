/*
 * CLIENT ID | SETNAME | GETNAME | LIST | INFO | KILL | SETINFO | NO-EVICT | NO-TOUCH | REPLY |
 * PAUSE | UNPAUSE | HELP, and client-side caching: TRACKING | CACHING | GETREDIR | TRACKINGINFO
 * (state and invalidations: core/tracking.ts).
 * CLIENT LIST and CLIENT INFO describe connections in Redis 7.2's line format (7.0's fields
 * plus `lib-name` and `lib-ver`).
 */
import { Err } from '../resp/errors.js';
import { parseInt64 } from '../engine/int64.js';
import { ReplyMode, type Client } from '../core/client.js';
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

/** A replica (SYNC/PSYNC) is of type replica, a subscribed client pubsub, every other one normal (MONITOR clients count as normal in Redis too). */
function clientType(c: Client): ClientType {
  return c.replica ? 'replica' : c.subscriptions !== null ? 'pubsub' : 'normal';
}

/**
 * The flags field, in Redis's order: `O` monitor, `P` subscribed, `x` in MULTI, `b` blocked (a
 * blocking command, or one held by CLIENT PAUSE), `t` tracking (`R` broken redirect, `B` broadcast), `d` watched
 * key changed, `c` close after reply, `U` Unix socket, `e` no-evict, `T` no-touch, `N` when none.
 */
function clientFlags(c: Client): string {
  let f = '';
  if (c.replica) f += 'S';
  if (c.monitor) f += 'O';
  if (c.subscriptions !== null) f += 'P';
  if (c.multi !== null) f += 'x';
  if (c.held || c.blockedBy !== null) f += 'b';
  if (c.tracking !== null) {
    f += 't';
    if (c.tracking.brokenRedirect) f += 'R';
    if (c.tracking.bcast) f += 'B';
  }
  if (c.watchDirty) f += 'd';
  if (c.closeAfterReply) f += 'c';
  if (c.conn.addr.startsWith('/')) f += 'U';
  if (c.noEvict) f += 'e';
  if (c.noTouch) f += 'T';
  return f || 'N';
}

/** What a client costs beyond its buffers (the Client and connection objects, the decoder), roughly. */
const CLIENT_OVERHEAD = 1024;

/**
 * One CLIENT LIST line (without the newline), as Redis 7.2 prints it. `ownArgv` is the running
 * command's arguments when `c` is the client asking (its argv-mem, as Redis counts it).
 */
export function clientInfoLine(c: Client, now: number, ownArgv?: readonly string[]): string {
  let qbuf = c.conn.queryBufferBytes();
  const m = c.conn.memoryFields();
  let argvMem = m.argvMem;
  if (ownArgv !== undefined) {
    // Redis's query buffer still holds the command being run: count it as received
    qbuf += String(ownArgv.length).length + 3;
    for (const a of ownArgv) {
      argvMem += a.length;
      qbuf += String(a.length).length + a.length + 5;
    }
  }
  const totMem = qbuf + m.qbufFree + argvMem + m.obl + m.omem + m.rbs + CLIENT_OVERHEAD;
  const events = (m.reading ? 'r' : '') + (m.writing ? 'w' : '');
  const subs = c.subscriptions;
  return (
    `id=${c.id} addr=${c.conn.addr} laddr=${c.conn.laddr} fd=${c.conn.fd} name=${c.name}` +
    ` age=${Math.floor((now - c.createdAt) / 1000)} idle=${Math.floor((now - c.lastInteraction) / 1000)}` +
    ` flags=${clientFlags(c)} db=${c.db.label} sub=${subs?.channels.size ?? 0} psub=${subs?.patterns.size ?? 0} ssub=${subs?.shardChannels.size ?? 0}` +
    ` multi=${c.multi?.specs.length ?? -1} qbuf=${qbuf} qbuf-free=${m.qbufFree}` +
    ` argv-mem=${argvMem} multi-mem=0 rbs=${m.rbs} rbp=${m.rbp} obl=${m.obl} oll=${m.oll} omem=${m.omem} tot-mem=${totMem}` +
    ` events=${events} cmd=${c.lastCommand} user=${c.user.name} redir=${c.tracking?.redirect ?? -1} resp=${c.proto}` +
    ` lib-name=${c.libName} lib-ver=${c.libVer}`
  );
}

function replyClientLines(c: Client, clients: Iterable<Client>, argv: readonly string[]): void {
  let text = '';
  for (const other of clients) text += clientInfoLine(other, c.now, other === c ? argv : undefined) + '\n';
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
function clientInfoCommand(c: Client, argv: string[]): void {
  replyClientLines(c, [c], argv);
}

/* CLIENT LIST [TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]] */
function clientListCommand(c: Client, argv: string[]): void {
  const all = c.server.clients;
  if (argv.length === 2) return replyClientLines(c, all.values(), argv);
  const option = argv[2]!.toLowerCase();
  if (option === 'type' && argv.length === 4) {
    const type = parseClientType(argv[3]!);
    if (type === null) return c.reply.error(Err.UNKNOWN_CLIENT_TYPE(argv[3]!));
    return replyClientLines(c, [...all.values()].filter((o) => clientType(o) === type), argv);
  }
  if (option === 'id' && argv.length > 3) {
    const picked: Client[] = [];
    for (let i = 3; i < argv.length; i++) {
      const id = parseInt64(argv[i]!);
      if (id === null) return c.reply.error(Err.INVALID_CLIENT_ID);
      const other = typeof id === 'number' ? all.get(id) : undefined;
      if (other !== undefined) picked.push(other);
    }
    return replyClientLines(c, picked, argv);
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
      if (!c.server.acl.users.has(value)) {
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
  if (f.user !== undefined && other.user.name !== f.user) return false;
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

/* CLIENT NO-TOUCH ON|OFF */
function clientNoTouchCommand(c: Client, argv: string[]): void {
  const v = argv[2]!.toLowerCase();
  if (v !== 'on' && v !== 'off') return c.reply.error(Err.SYNTAX);
  c.noTouch = v === 'on';
  c.reply.ok();
}

/*
 * CLIENT MAINT_NOTIFICATIONS ON|OFF [moving-endpoint-type <type>]
 * Redis 8's registration for maintenance push notifications, which the 2026 clients (redis-py 8,
 * node-redis 6, ioredis 6, go-redis, Jedis) send on every RESP3 connection and warn about when
 * refused. A standalone kv-server has no maintenance events to announce: the registration is
 * checked and accepted, and no notification is ever sent.
 */
const ENDPOINT_TYPES = new Set(['internal-ip', 'internal-fqdn', 'external-ip', 'external-fqdn', 'none']);
function clientMaintNotificationsCommand(c: Client, argv: string[]): void {
  const v = argv[2]!.toLowerCase();
  if (v !== 'on' && v !== 'off') return c.reply.error(Err.SYNTAX);
  for (let i = 3; i < argv.length; i += 2) {
    if (argv[i]!.toLowerCase() !== 'moving-endpoint-type' || i + 1 >= argv.length) return c.reply.error(Err.SYNTAX);
    if (!ENDPOINT_TYPES.has(argv[i + 1]!.toLowerCase())) return c.reply.error(Err.SYNTAX);
  }
  c.reply.ok();
}

/*
 * CLIENT REPLY ON|OFF|SKIP
 * Only ON replies (+OK); the connection drops replies while the mode says so (resp-connection.ts).
 */
function clientReplyCommand(c: Client, argv: string[]): void {
  const v = argv[2]!.toLowerCase();
  if (v === 'on') {
    c.replyMode = ReplyMode.On;
    c.reply.ok();
  } else if (v === 'off') {
    c.replyMode = ReplyMode.Off;
  } else if (v === 'skip') {
    if (c.replyMode !== ReplyMode.Off) c.replyMode = ReplyMode.SkipNext;
  } else {
    c.reply.error(Err.SYNTAX);
  }
}

/* CLIENT PAUSE timeout [WRITE|ALL] */
function clientPauseCommand(c: Client, argv: string[]): void {
  const ms = parseInt64(argv[2]!);
  if (ms === null) return c.reply.error(Err.TIMEOUT_NOT_INTEGER);
  if (ms < 0) return c.reply.error(Err.TIMEOUT_NEGATIVE);
  let all = true;
  if (argv.length === 4) {
    const mode = argv[3]!.toLowerCase();
    if (mode === 'write') all = false;
    else if (mode !== 'all') return c.reply.error(Err.CLIENT_PAUSE_MODE);
  } else if (argv.length > 4) {
    return c.reply.error(Err.SUBCOMMAND_SYNTAX(argv[1]!, 'CLIENT'));
  }
  c.server.pause.start(c.now, c.now + Number(ms), all);
  c.reply.ok();
}

/* CLIENT UNPAUSE */
function clientUnpauseCommand(c: Client): void {
  c.server.pause.end();
  c.reply.ok();
}

/** Whether one of two prefixes starts the other (Redis's stringCheckPrefix). */
function prefixesOverlap(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

/*
 * CLIENT TRACKING ON|OFF [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN]
 *   [OPTOUT] [NOLOOP]
 */
function clientTrackingCommand(c: Client, argv: string[]): void {
  let redirect = 0;
  const opts = { bcast: false, optin: false, optout: false, noloop: false };
  const prefixes: string[] = [];
  for (let i = 3; i < argv.length; i++) {
    const opt = argv[i]!.toLowerCase();
    const more = i + 1 < argv.length;
    if (opt === 'redirect' && more) {
      if (redirect !== 0) return c.reply.error(Err.TRACKING_ONE_REDIRECT);
      const id = parseInt64(argv[++i]!);
      if (id === null) return c.reply.error(Err.NOT_INTEGER);
      if (typeof id !== 'number' || !c.server.clients.has(id)) return c.reply.error(Err.TRACKING_NO_REDIRECT_CLIENT);
      redirect = id;
    } else if (opt === 'bcast') opts.bcast = true;
    else if (opt === 'optin') opts.optin = true;
    else if (opt === 'optout') opts.optout = true;
    else if (opt === 'noloop') opts.noloop = true;
    else if (opt === 'prefix' && more) prefixes.push(argv[++i]!);
    else return c.reply.error(Err.SYNTAX);
  }
  const mode = argv[2]!.toLowerCase();
  if (mode === 'off') {
    c.server.tracking.disable(c);
    return c.reply.ok();
  }
  if (mode !== 'on') return c.reply.error(Err.SYNTAX);
  const current = c.tracking;
  if (!opts.bcast && prefixes.length !== 0) return c.reply.error(Err.TRACKING_PREFIX_NEEDS_BCAST);
  if (current !== null && current.bcast !== opts.bcast) return c.reply.error(Err.TRACKING_SWITCH_BCAST);
  if (opts.bcast && (opts.optin || opts.optout)) return c.reply.error(Err.TRACKING_BCAST_OPTIN);
  if (opts.optin && opts.optout) return c.reply.error(Err.TRACKING_OPTIN_AND_OPTOUT);
  if (current !== null && ((opts.optin && current.optout) || (opts.optout && current.optin))) return c.reply.error(Err.TRACKING_SWITCH_OPTIN);
  if (opts.bcast) {
    for (let i = 0; i < prefixes.length; i++) {
      const p = prefixes[i]!;
      for (const existing of current?.prefixes ?? []) {
        if (prefixesOverlap(existing, p)) return c.reply.error(Err.TRACKING_PREFIX_OVERLAPS_EXISTING(p, existing));
      }
      for (let j = i + 1; j < prefixes.length; j++) {
        if (prefixesOverlap(p, prefixes[j]!)) return c.reply.error(Err.TRACKING_PREFIX_OVERLAPS_GIVEN(p, prefixes[j]!));
      }
    }
  }
  c.server.tracking.enable(c, { redirect, ...opts }, prefixes);
  c.reply.ok();
}

/* CLIENT CACHING YES|NO */
function clientCachingCommand(c: Client, argv: string[]): void {
  const t = c.tracking;
  if (t === null) return c.reply.error(Err.CACHING_NOT_TRACKING);
  const v = argv[2]!.toLowerCase();
  if (v === 'yes') {
    if (!t.optin) return c.reply.error(Err.CACHING_YES_NOT_OPTIN);
  } else if (v === 'no') {
    if (!t.optout) return c.reply.error(Err.CACHING_NO_NOT_OPTOUT);
  } else return c.reply.error(Err.SYNTAX);
  t.caching = true;
  c.reply.ok();
}

/* CLIENT GETREDIR */
function clientGetRedirCommand(c: Client): void {
  c.reply.int(c.tracking?.redirect ?? -1);
}

/* CLIENT TRACKINGINFO */
function clientTrackingInfoCommand(c: Client): void {
  const t = c.tracking;
  const flags: string[] = [];
  if (t === null) flags.push('off');
  else {
    flags.push('on');
    if (t.bcast) flags.push('bcast');
    if (t.optin) {
      flags.push('optin');
      if (t.caching) flags.push('caching-yes');
    }
    if (t.optout) {
      flags.push('optout');
      if (t.caching) flags.push('caching-no');
    }
    if (t.noloop) flags.push('noloop');
    if (t.brokenRedirect) flags.push('broken_redirect');
  }
  const r = c.reply;
  r.map(3);
  r.bulk('flags');
  r.set(flags.length);
  for (const f of flags) r.bulk(f);
  r.bulk('redirect');
  r.int(t === null ? -1 : t.redirect);
  r.bulk('prefixes');
  // Redis keeps them in a radix tree: byte order
  r.bulks(t === null ? [] : [...t.prefixes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
}

/* CLIENT UNBLOCK client-id [TIMEOUT|ERROR] */
function clientUnblockCommand(c: Client, argv: string[]): void {
  const id = parseInt64(argv[2]!);
  if (id === null) return c.reply.error(Err.NOT_INTEGER);
  let withError = false;
  if (argv.length === 4) {
    const reason = argv[3]!.toLowerCase();
    if (reason === 'error') withError = true;
    else if (reason !== 'timeout') return c.reply.error(Err.UNBLOCK_REASON);
  }
  const target = c.server.clients.get(Number(id));
  c.reply.int(target !== undefined && c.server.blocking.unblock(target, withError) ? 1 : 0);
}

/* CLIENT HELP */
function clientHelpCommand(c: Client): void {
  // Redis 7.0.15's text and order, with what later versions added where they put it (KILL's ID
  // and MAXAGE filters, SETINFO, NO-TOUCH)
  replyHelp(c, 'CLIENT', [
    'CACHING (YES|NO)',
    '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
    'GETREDIR',
    '    Return the client ID we are redirecting to when tracking is enabled.',
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
    'UNPAUSE',
    '    Stop the current client pause, resuming traffic.',
    'PAUSE <timeout> [WRITE|ALL]',
    '    Suspend all, or just write, clients for <timeout> milliseconds.',
    'REPLY (ON|OFF|SKIP)',
    '    Control the replies sent to the current connection.',
    'SETNAME <name>',
    '    Assign the name <name> to the current connection.',
    'SETINFO <option> <value>',
    '    Set client meta attr. Options are:',
    '    * LIB-NAME: the client lib name.',
    '    * LIB-VER: the client lib version.',
    'UNBLOCK <clientid> [TIMEOUT|ERROR]',
    '    Unblock the specified blocked client.',
    'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
    '         [OPTIN] [OPTOUT] [NOLOOP]',
    '    Control server assisted client side caching.',
    'TRACKINGINFO',
    '    Report tracking status for the current connection.',
    'NO-EVICT (ON|OFF)',
    '    Protect current client connection from eviction.',
    'NO-TOUCH (ON|OFF)',
    '    Will not touch LRU/LFU stats when this mode is on.',
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
      { name: 'unblock', arity: -3, flags: 'admin noscript loading stale', categories: '@connection', handler: clientUnblockCommand },
      { name: 'no-evict', arity: 3, flags: ADMIN_CONN, categories: '@connection', handler: clientNoEvictCommand },
      { name: 'no-touch', arity: 3, flags: 'noscript loading stale', categories: '@connection', handler: clientNoTouchCommand },
      { name: 'maint_notifications', arity: -3, flags: CONN, categories: '@connection', handler: clientMaintNotificationsCommand },
      { name: 'reply', arity: 3, flags: CONN, categories: '@connection', handler: clientReplyCommand },
      { name: 'pause', arity: -3, flags: ADMIN_CONN, categories: '@connection', handler: clientPauseCommand },
      { name: 'unpause', arity: 2, flags: ADMIN_CONN, categories: '@connection', handler: clientUnpauseCommand },
      { name: 'help', arity: 2, flags: 'loading stale', categories: '@connection', handler: clientHelpCommand },
      { name: 'tracking', arity: -3, flags: 'noscript loading stale', categories: '@connection', handler: clientTrackingCommand },
      { name: 'caching', arity: 3, flags: 'noscript loading stale', categories: '@connection', handler: clientCachingCommand },
      { name: 'getredir', arity: 2, flags: 'noscript loading stale', categories: '@connection', handler: clientGetRedirCommand },
      { name: 'trackinginfo', arity: 2, flags: 'noscript loading stale', categories: '@connection', handler: clientTrackingInfoCommand },
    ],
  },
];
