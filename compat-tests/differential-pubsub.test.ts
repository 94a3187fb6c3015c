/*
 * Differential pub/sub and keyspace notifications, byte for byte against redis-server, over
 * several connections: subscription replies, messages, the RESP2 subscriber context and RESP3
 * pushes, PUBSUB introspection, and the keyspace events of the string and keyspace commands
 * (notify-keyspace-events KEA). Connection 0 subscribes; 1 publishes or writes.
 */
import { clientsDifferentialSuite, type ClientScript, type ClientStep } from './differential-clients.js';

const on1 = (...cmd: string[]): ClientStep => ({ c: 1, cmd });
const read = (n = 1): ClientStep[] => Array.from({ length: n }, () => ({ c: 0, read: true }));
const none: ClientStep = { c: 0, none: true };
const hello3 = (c = 0): ClientStep => ({ c, cmd: ['HELLO', '3'], normalize: () => 'hello' });

clientsDifferentialSuite('differential: pub/sub', {
  'subscribe, publish, unsubscribe': [
    ['SUBSCRIBE', 'a', 'b', 'a'], on1('PUBLISH', 'a', 'hello'), ...read(), on1('PUBLISH', 'b', ''), ...read(), on1('PUBLISH', 'zz', 'x'), none,
    { cmd: ['UNSUBSCRIBE', 'a', 'nope'], replies: 2 }, on1('PUBLISH', 'a', 'gone'), none, ['UNSUBSCRIBE'], ['UNSUBSCRIBE'], ['GET', 'k'],
  ],
  'subscribe confirms every channel': [{ cmd: ['SUBSCRIBE', 'a', 'b', 'c'], replies: 3 }, { cmd: ['UNSUBSCRIBE', 'c', 'b', 'a'], replies: 3 }],
  'unsubscribe without subscriptions': [['UNSUBSCRIBE'], ['PUNSUBSCRIBE'], ['SUNSUBSCRIBE'], ['UNSUBSCRIBE', 'x'], ['PUNSUBSCRIBE', 'x']],
  'patterns: pmessage, counts shared with channels': [
    { cmd: ['PSUBSCRIBE', 'news.*', 'h?llo'], replies: 2 }, ['SUBSCRIBE', 'news.tech'], on1('PUBLISH', 'news.tech', 'm1'), ...read(2),
    on1('PUBLISH', 'hallo', 'm2'), ...read(), on1('PUBLISH', 'news', 'm3'), none, ['PUNSUBSCRIBE', 'news.*'], ['PUNSUBSCRIBE'], ['UNSUBSCRIBE'],
  ],
  'pattern quirks: classes, escapes, binary': [
    ['PSUBSCRIBE', 'a[b-c]\\*'], on1('PUBLISH', 'ac*', 'x'), ...read(), on1('PUBLISH', 'acd', 'x'), none,
    ['PSUBSCRIBE', '\x00\xff*'], on1('PUBLISH', '\x00\xff\r\n', '\x80'), ...read(),
  ],
  'publish counts receivers across clients': [
    ['SUBSCRIBE', 'x'], { c: 2, cmd: ['PSUBSCRIBE', '*'] }, on1('PUBLISH', 'x', 'm'), ...read(), { c: 2, read: true }, on1('PUBLISH', 'y', 'm'),
    { c: 2, read: true }, none,
  ],
  'shard channels': [
    { cmd: ['SSUBSCRIBE', 's1', 's2'], replies: 2 }, ['SUBSCRIBE', 'c1'], on1('SPUBLISH', 's1', 'm'), ...read(),
    on1('PUBLISH', 's1', 'm'), none, on1('SPUBLISH', 'c1', 'm'), none, { cmd: ['SUNSUBSCRIBE', 's1', 's2'], replies: 2 }, ['SUNSUBSCRIBE'],
  ],
  'RESP2 subscriber context: only the subscribe family, PING, QUIT, RESET': [
    ['SUBSCRIBE', 'a'], ['PING'], ['PING', 'msg'], ['GET', 'k'], ['SET', 'k', 'v'], ['CLIENT', 'INFO'], ['MULTI'], ['EXEC'], ['NOSUCH'],
    ['PUBLISH', 'a', 'x'], ['PSUBSCRIBE', 'p'], ['UNSUBSCRIBE', 'a'], ['GET', 'k'], ['PUNSUBSCRIBE'], ['GET', 'k'],
  ],
  'RESET leaves subscriber mode': [['SUBSCRIBE', 'a'], ['PSUBSCRIBE', 'b*'], ['RESET'], ['GET', 'k'], on1('PUBLISH', 'a', 'x'), none, on1('PUBSUB', 'NUMPAT')],
  'SUBSCRIBE inside MULTI': [['MULTI'], ['SUBSCRIBE', 'c'], ['EXEC'], on1('PUBLISH', 'c', 'x'), ...read(), ['GET', 'k']],
  'RESP3: pushes, and any command while subscribed': [
    hello3(), ['SUBSCRIBE', 'a'], ['GET', 'k'], ['PING'], on1('PUBLISH', 'a', 'hi'), ...read(), ['PUBLISH', 'a', 'self'], ...read(),
    ['PSUBSCRIBE', 'a*'], on1('PUBLISH', 'ab', 'm'), ...read(), ['UNSUBSCRIBE'], ['UNSUBSCRIBE'], ['PUNSUBSCRIBE', 'x'], ['SSUBSCRIBE', 's'],
    on1('SPUBLISH', 's', 'm'), ...read(), ['SUNSUBSCRIBE'], ['SUNSUBSCRIBE'],
  ],
  'RESP3 subscriber publishing to itself': [hello3(), ['SUBSCRIBE', 'me'], { cmd: ['PUBLISH', 'me', 'x'], replies: 2 }],
  'PUBSUB introspection': [
    { cmd: ['SUBSCRIBE', 'ch1'] }, { c: 2, cmd: ['SUBSCRIBE', 'ch1', 'ch2'], replies: 2 }, { c: 2, cmd: ['PSUBSCRIBE', 'p*', 'q*'], replies: 2 },
    ['PSUBSCRIBE', 'p*'], on1('PUBSUB', 'NUMSUB', 'ch1', 'ch2', 'none'), on1('PUBSUB', 'NUMSUB'), on1('PUBSUB', 'NUMPAT'),
    on1('PUBSUB', 'CHANNELS', 'ch2'), on1('PUBSUB', 'CHANNELS', 'x*'), on1('PUBSUB', 'CHANNELS', 'a', 'b'), on1('PUBSUB', 'SHARDCHANNELS'),
    on1('PUBSUB', 'SHARDNUMSUB', 's'), on1('PUBSUB', 'HELP'), on1('PUBSUB', 'NOSUCH'), on1('PUBSUB'), on1('PUBSUB', 'NUMPAT', 'x'),
    { c: 2, cmd: ['SSUBSCRIBE', 'sh'] }, on1('PUBSUB', 'SHARDCHANNELS', 's*'), on1('PUBSUB', 'SHARDNUMSUB', 'sh', 'x'),
  ],
  'arity errors': [['SUBSCRIBE'], ['PSUBSCRIBE'], ['SSUBSCRIBE'], ['PUBLISH', 'a'], ['SPUBLISH', 'a', 'b', 'c']],
  'CLIENT LIST fields of a subscriber': [
    { cmd: ['SUBSCRIBE', 'a', 'b'], replies: 2 }, ['PSUBSCRIBE', 'c*'], ['SSUBSCRIBE', 'd'],
    // only the subscription fields compare: ids, addresses and ages differ by design
    { c: 1, cmd: ['CLIENT', 'LIST', 'TYPE', 'pubsub'], normalize: (r) => (r.match(/ (flags|sub|psub|ssub)=\S+/g) ?? []).join('').replace('U', '') },
    { c: 1, cmd: ['CLIENT', 'LIST', 'TYPE', 'normal'], normalize: (r) => String((r.match(/id=/g) ?? []).length) },
  ],
});

/** `cmd` on connection 1, then the `n` messages it makes connection 0 (subscribed to every event) see, then nothing more. */
const events = (n: number, ...cmd: string[]): ClientStep[] => [on1(...cmd), ...read(n), none];
const keyspaceCases = (prefix: ClientStep[]): Record<string, ClientScript> => ({
  'string commands': [
    ...prefix, ...events(2, 'SET', 'k', 'v'), ...events(4, 'SET', 'k', 'v', 'EX', '100'), ...events(0, 'SET', 'k', 'v', 'NX'), ...events(2, 'SETNX', 'n', '1'),
    ...events(4, 'SETEX', 'k', '10', 'v'), ...events(4, 'PSETEX', 'k', '10000', 'v'), ...events(2, 'GETSET', 'k', 'w'), ...events(2, 'APPEND', 'k', 'x'),
    ...events(2, 'APPEND', 'new', 'x'), ...events(2, 'SETRANGE', 'k', '1', 'zz'), ...events(0, 'SETRANGE', 'k', '1', ''), ...events(0, 'SETRANGE', 'miss', '1', ''),
    ...events(2, 'INCR', 'i'), ...events(2, 'DECR', 'i'), ...events(2, 'INCRBY', 'i', '5'), ...events(2, 'DECRBY', 'i', '5'), ...events(0, 'INCR', 'k'),
    ...events(2, 'INCRBYFLOAT', 'f', '1.5'), ...events(4, 'MSET', 'a', '1', 'b', '2'), ...events(4, 'MSETNX', 'c', '1', 'd', '2'), ...events(0, 'MSETNX', 'c', '1', 'e', '2'),
    ...events(2, 'GETDEL', 'a'), ...events(0, 'GETDEL', 'a'), ...events(0, 'GETEX', 'b'), ...events(2, 'GETEX', 'b', 'EX', '100'), ...events(2, 'GETEX', 'b', 'PERSIST'),
    ...events(0, 'GETEX', 'b', 'PERSIST'), ...events(2, 'GETEX', 'b', 'PXAT', '1'), ...events(0, 'GET', 'k'),
  ],
  'keyspace commands': [
    ...prefix, on1('MSET', 'a', '1', 'b', '2', 'c', '3'), ...read(6), ...events(4, 'DEL', 'a', 'b', 'zz'), ...events(2, 'UNLINK', 'c'), on1('SET', 'k', 'v'), ...read(2),
    ...events(2, 'EXPIRE', 'k', '100'), ...events(0, 'EXPIRE', 'k', '100', 'NX'), ...events(2, 'PEXPIRE', 'k', '100000'), ...events(2, 'PERSIST', 'k'), ...events(0, 'PERSIST', 'k'),
    ...events(2, 'EXPIREAT', 'k', '99999999999'), ...events(0, 'EXPIRE', 'nope', '10'), ...events(4, 'RENAME', 'k', 'k2'), ...events(0, 'RENAME', 'k2', 'k2'),
    ...events(4, 'RENAMENX', 'k2', 'k3'), ...events(4, 'MOVE', 'k3', '1'), ...events(0, 'MOVE', 'k3', '1'), on1('SET', 'src', 'v'), ...read(2),
    ...events(2, 'COPY', 'src', 'dst'), ...events(0, 'COPY', 'src', 'dst'), ...events(2, 'COPY', 'src', 'dst', 'REPLACE'), ...events(2, 'COPY', 'src', 'dst', 'DB', '2'),
    ...events(2, 'EXPIRE', 'src', '-1'), ...events(0, 'FLUSHDB'), ...events(0, 'SWAPDB', '0', '1'), ...events(0, 'EXISTS', 'dst'),
  ],
  'expiry: lazy and active': [
    ...prefix, on1('SET', 'e', 'v', 'PX', '30'), ...read(4), { c: 1, cmd: ['PING'], sleepAfter: 60 }, ...events(2, 'GET', 'e'),
    { c: 1, cmd: ['SET', 'e2', 'v', 'PX', '20'], sleepAfter: 400 }, ...read(6), none,
  ],
});

clientsDifferentialSuite('differential: keyspace notifications (KEA)', keyspaceCases([
  on1('CONFIG', 'SET', 'notify-keyspace-events', 'KEA'), { c: 0, cmd: ['PSUBSCRIBE', '__key*__:*'] },
]));

clientsDifferentialSuite('differential: keyspace notifications (classes and channels)', {
  'only keyevents of the generic class': [
    on1('CONFIG', 'SET', 'notify-keyspace-events', 'Eg'), ['PSUBSCRIBE', '*'], ...events(0, 'SET', 'k', 'v'), ...events(1, 'EXPIRE', 'k', '10'), ...events(1, 'DEL', 'k'),
  ],
  'only keyspace of strings': [on1('CONFIG', 'SET', 'notify-keyspace-events', 'K$'), ['PSUBSCRIBE', '*'], ...events(1, 'SET', 'k', 'v'), ...events(0, 'DEL', 'k')],
  'a class without K or E sends nothing': [on1('CONFIG', 'SET', 'notify-keyspace-events', 'A'), ['PSUBSCRIBE', '*'], ...events(0, 'SET', 'k', 'v')],
  'expired class only': [
    on1('CONFIG', 'SET', 'notify-keyspace-events', 'Ex'), ['SUBSCRIBE', '__keyevent@0__:expired'], { c: 1, cmd: ['SET', 'k', 'v', 'PX', '10'], sleepAfter: 30 },
    ...events(1, 'GET', 'k'),
  ],
  'new keys (class n)': [
    on1('CONFIG', 'SET', 'notify-keyspace-events', 'En'), ['PSUBSCRIBE', '*'], ...events(1, 'SET', 'k', 'v'), ...events(0, 'SET', 'k', 'w'), ...events(1, 'INCR', 'i'),
    ...events(1, 'APPEND', 'a', 'x'), ...events(1, 'RENAME', 'k', 'k2'), ...events(1, 'COPY', 'k2', 'k3'), ...events(1, 'MSET', 'k3', '1', 'k4', '2'),
    ...events(1, 'SETRANGE', 'r', '2', 'x'), on1('CONFIG', 'SET', 'notify-keyspace-events', ''),
  ],
  'turned off again': [on1('CONFIG', 'SET', 'notify-keyspace-events', 'KEA'), on1('CONFIG', 'SET', 'notify-keyspace-events', ''), ['PSUBSCRIBE', '*'], ...events(0, 'SET', 'k', 'v')],
  'other database': [
    on1('CONFIG', 'SET', 'notify-keyspace-events', 'KEA'), ['PSUBSCRIBE', '*'], on1('SELECT', '5'), ...events(2, 'SET', 'k', 'v'), on1('CONFIG', 'SET', 'notify-keyspace-events', ''),
  ],
  'RESP3 subscriber gets pushes': [
    hello3(), on1('CONFIG', 'SET', 'notify-keyspace-events', 'KEA'), ['PSUBSCRIBE', '__keyspace@0__:*'], ...events(1, 'SET', 'k', 'v'),
    on1('CONFIG', 'SET', 'notify-keyspace-events', ''),
  ],
});
