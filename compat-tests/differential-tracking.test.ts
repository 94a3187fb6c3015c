/*
 * Differential client-side caching: CLIENT TRACKING invalidations byte for byte against
 * redis-server, in RESP3 (pushes) and RESP2 (the __redis__:invalidate channel of a redirect
 * client), default, BCAST, OPTIN, OPTOUT and NOLOOP modes, flushes, and the option errors.
 * Connection 0 tracks, 1 writes, 2 receives redirected invalidations.
 */
import { clientsDifferentialSuite, type ClientStep } from './differential-clients.js';

const on1 = (...cmd: string[]): ClientStep => ({ c: 1, cmd });
const read = (c = 0): ClientStep => ({ c, read: true });
const none = (c = 0): ClientStep => ({ c, none: true });
const hello3: ClientStep = { cmd: ['HELLO', '3'], normalize: () => 'hello' };
const redirectTo2: ClientStep[] = [{ c: 2, cmd: ['SUBSCRIBE', '__redis__:invalidate'] }, { cmd: ['CLIENT', 'TRACKING', 'ON', 'REDIRECT', '$ID2'] }];

clientsDifferentialSuite('differential: client-side caching', {
  'RESP3: a key read is invalidated once when another client writes it': [
    hello3, ['CLIENT', 'TRACKING', 'ON'], ['GET', 'k'], on1('SET', 'k', '1'), read(), on1('SET', 'k', '2'), none(), ['GET', 'k'], on1('DEL', 'k'), read(),
    ['GET', 'k'], on1('SET', 'x', '1'), none(),
  ],
  'RESP3: every key of MGET, and the writes that invalidate': [
    hello3, ['CLIENT', 'TRACKING', 'ON'], on1('MSET', 'a', '1', 'b', '2', 'c', '3'), ['MGET', 'a', 'b', 'c'], on1('APPEND', 'a', 'x'), read(), on1('EXPIRE', 'b', '100'), read(),
    on1('RENAME', 'c', 'd'), read(), ['STRLEN', 'd'], on1('INCR', 'n'), none(), on1('SETRANGE', 'd', '0', 'z'), read(),
  ],
  'RESP3: writes do not track, reads of other types do': [hello3, ['CLIENT', 'TRACKING', 'ON'], ['SET', 'w', '1'], on1('SET', 'w', '2'), none(), ['EXISTS', 'w'], on1('SET', 'w', '3'), read()],
  'RESP3: the client writing a key it read gets its invalidation after the reply': [
    hello3, ['CLIENT', 'TRACKING', 'ON'], ['GET', 'k'], { cmd: ['SET', 'k', 'v'], replies: 2 }, none(),
  ],
  'RESP3: NOLOOP skips the client own writes': [
    hello3, ['CLIENT', 'TRACKING', 'ON', 'NOLOOP'], ['GET', 'k'], ['SET', 'k', 'v'], none(), ['GET', 'k'], on1('SET', 'k', 'w'), read(),
  ],
  'RESP3: inside a transaction the invalidation follows EXEC': [
    hello3, ['CLIENT', 'TRACKING', 'ON'], ['GET', 'k'], ['MULTI'], ['SET', 'k', 'v'], ['GET', 'k'], { cmd: ['EXEC'], replies: 2 }, none(),
  ],
  'RESP3: a flush invalidates everything with a null': [hello3, ['CLIENT', 'TRACKING', 'ON'], ['GET', 'k'], on1('FLUSHALL'), read(), on1('FLUSHDB'), read(), none()],
  'RESP3: tracking off stops invalidations': [hello3, ['CLIENT', 'TRACKING', 'ON'], ['GET', 'k'], ['CLIENT', 'TRACKING', 'OFF'], on1('SET', 'k', '1'), none()],
  'RESP3: OPTIN tracks only after CLIENT CACHING YES': [
    hello3, ['CLIENT', 'TRACKING', 'ON', 'OPTIN'], ['GET', 'a'], ['CLIENT', 'CACHING', 'YES'], ['GET', 'b'], ['GET', 'c'], on1('SET', 'a', '1'), none(),
    on1('SET', 'c', '1'), none(), on1('SET', 'b', '1'), read(),
  ],
  'RESP3: OPTOUT tracks all but after CLIENT CACHING NO': [
    hello3, ['CLIENT', 'TRACKING', 'ON', 'OPTOUT'], ['CLIENT', 'CACHING', 'NO'], ['GET', 'a'], ['GET', 'b'], on1('SET', 'a', '1'), none(), on1('SET', 'b', '1'), read(),
  ],
  'RESP3: BCAST announces every matching key without reads': [
    hello3, ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'user:', 'PREFIX', 'cfg'], on1('SET', 'user:1', 'a'), read(), on1('SET', 'other', 'x'), none(),
    on1('SET', 'cfg', 'x'), read(), on1('DEL', 'user:1'), read(), ['CLIENT', 'TRACKINGINFO'],
  ],
  'RESP3: BCAST without prefix gets every key': [hello3, ['CLIENT', 'TRACKING', 'ON', 'BCAST'], on1('SET', 'any', 'a'), read(), ['CLIENT', 'TRACKINGINFO']],
  'RESP3: BCAST NOLOOP leaves out the client own writes': [
    hello3, ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'NOLOOP'], ['SET', 'mine', '1'], none(), on1('SET', 'theirs', '1'), read(),
  ],
  'RESP2: invalidations go to the redirect client subscribed to __redis__:invalidate': [
    ...redirectTo2, ['GET', 'k'], on1('SET', 'k', '1'), read(2), none(2), none(), ['GET', 'k'], ['SET', 'k', '2'], read(2), ['GET', 'k'], on1('FLUSHALL'), read(2),
  ],
  'RESP2: redirect to a RESP3 client is a push': [
    { c: 2, cmd: ['HELLO', '3'], normalize: () => 'hello' }, { cmd: ['CLIENT', 'TRACKING', 'ON', 'REDIRECT', '$ID2'] }, ['GET', 'k'], on1('SET', 'k', '1'), read(2),
  ],
  'RESP2: without redirect nothing can be sent': [['CLIENT', 'TRACKING', 'ON'], ['GET', 'k'], on1('SET', 'k', '1'), none(), ['GET', 'k']],
  'RESP2: a redirect client not subscribed gets nothing': [['CLIENT', 'TRACKING', 'ON', 'REDIRECT', '$ID2'], ['GET', 'k'], on1('SET', 'k', '1'), none(2)],
  'GETREDIR, TRACKINGINFO and the CLIENT INFO fields': [
    ['CLIENT', 'GETREDIR'], ['CLIENT', 'TRACKING', 'ON', 'REDIRECT', '$ID2', 'NOLOOP'], { cmd: ['CLIENT', 'GETREDIR'], normalize: (r) => r.replace(/\d+/, 'ID') },
    { cmd: ['CLIENT', 'TRACKINGINFO'], normalize: (r) => r.replace(/:\d+\r\n/, ':ID\r\n') },
    // flags and redir= only: the other fields differ by design (ids, addresses, buffers)
    { cmd: ['CLIENT', 'INFO'], normalize: (r) => (r.match(/ (flags|redir)=\S+/g) ?? []).join('').replace('U', '').replace(/redir=\d+/, 'redir=ID') },
    ['CLIENT', 'TRACKING', 'OFF'], ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'GETREDIR'],
  ],
  'RESP3 NOLOOP: keys the client writes from its own script are not invalidated': [
    hello3, ['CLIENT', 'TRACKING', 'ON', 'NOLOOP'], ['SET', 'k', '1'], ['GET', 'k'],
    ['EVAL', "return redis.call('set', KEYS[1], '2')", '1', 'k'], none(), ['GET', 'k'], on1('SET', 'k', '3'), read(),
  ],
  'RESP3: a key the client writes from its own script is invalidated after the script reply': [
    hello3, ['CLIENT', 'TRACKING', 'ON'], ['GET', 'k'], { cmd: ['EVAL', "return redis.call('set', KEYS[1], '2')", '1', 'k'], replies: 2 }, none(),
  ],
  // Redis 7.0 remembers the keys a script declares when one of its commands reads, not the keys read
  'RESP3: a script that reads tracks the keys it declares': [
    hello3, ['CLIENT', 'TRACKING', 'ON'], on1('MSET', 'k1', '1', 'k2', '1'),
    ['EVAL', "redis.call('set', 'k3', 'bar')", '2', 'k1', 'k2'], on1('MSET', 'k2', '2', 'k1', '2'), none(),
    ['EVAL', "redis.call('get', 'k3')", '2', 'k1', 'k2'], on1('MSET', 'k2', '2', 'k1', '2'), read(), read(), on1('SET', 'k3', 'x'), none(),
    ['EVAL_RO', "redis.call('ping')", '2', 'k1', 'k2'], on1('MSET', 'k2', '2', 'k1', '2'), none(),
    ['EVAL_RO', "redis.call('get', 'k1')", '2', 'k1', 'k2'], on1('MSET', 'k2', '3', 'k1', '3'), read(), read(),
    ['FUNCTION', 'LOAD', 'REPLACE', "#!lua name=trk\nredis.register_function{function_name='trk_get', callback=function(k) return redis.call('get', 'other') end, flags={'no-writes'}}"],
    ['FCALL_RO', 'trk_get', '1', 'k1'], on1('SET', 'other', 'x'), none(), on1('SET', 'k1', 'x'), read(),
  ],
  'RESP3 OPTIN: a script tracks only after CLIENT CACHING YES': [
    hello3, ['CLIENT', 'TRACKING', 'ON', 'OPTIN'], ['EVAL', "return redis.call('get', KEYS[1])", '1', 'a'], on1('SET', 'a', '1'), none(),
    ['CLIENT', 'CACHING', 'YES'], ['EVAL', "return redis.call('get', KEYS[1])", '1', 'a'], on1('SET', 'a', '2'), read(),
  ],
  'RESP3: an unblocked BLMOVE gets its invalidation after its reply': [
    hello3, ['CLIENT', 'TRACKING', 'ON'], on1('RPUSH', 'list2', 'a'), ['LRANGE', 'list2', '0', '-1'],
    { cmd: ['BLMOVE', 'list1', 'list2', 'LEFT', 'LEFT', '0'], replies: 0, sleepAfter: 50 }, on1('RPUSH', 'list1', 'foo'), read(), read(), none(),
  ],
  'RESP3 NOLOOP: an unblocked BLMOVE writing a key the client tracks sends nothing': [
    hello3, ['CLIENT', 'TRACKING', 'ON', 'NOLOOP'], on1('RPUSH', 'list2', 'a'), ['LRANGE', 'list2', '0', '-1'],
    { cmd: ['BLMOVE', 'list1', 'list2', 'LEFT', 'LEFT', '0'], replies: 0, sleepAfter: 50 }, on1('RPUSH', 'list1', 'foo'), read(), none(),
  ],
  // Redis forgets keys at random: which of the two goes is normalised away
  'RESP3: keys past tracking-table-max-keys are forgotten by the cron, their readers told': [
    hello3, ['CLIENT', 'TRACKING', 'ON'], on1('MSET', 'k1', '1', 'k2', '2'), ['MGET', 'k1', 'k2'],
    { cmd: ['CONFIG', 'SET', 'tracking-table-max-keys', '1'], sleepAfter: 400 }, { read: true, normalize: (r) => r.replace(/k[12]/, 'k?') }, none(),
    { cmd: ['INFO', 'clients'], normalize: (r) => /tracking_clients:\d+/.exec(r)?.[0] ?? 'no field' },
    ['CONFIG', 'SET', 'tracking-table-max-keys', '-1'], ['CONFIG', 'SET', 'tracking-table-max-keys', '0'], ['CONFIG', 'GET', 'tracking-table-max-keys'],
    ['CONFIG', 'SET', 'tracking-table-max-keys', '1000000'],
  ],
  // the cron paused, the limit applies before the next command, even one MULTI queues (Redis #11715)
  'RESP3: a table past its limit is trimmed before the next command, its invalidation first': [
    on1('DEBUG', 'PAUSE-CRON', '1'), on1('CONFIG', 'SET', 'tracking-table-max-keys', '2'),
    hello3, ['CLIENT', 'TRACKING', 'ON'], ['MGET', '1{tag}', '2{tag}'], ['MULTI'], on1('CONFIG', 'SET', 'tracking-table-max-keys', '1'),
    { cmd: ['PING'], replies: 2, normalize: (r) => r.replace(/[12]\{tag\}/, '?{tag}') }, ['EXEC'], none(),
    on1('DEBUG', 'PAUSE-CRON', '0'), on1('CONFIG', 'SET', 'tracking-table-max-keys', '1000000'),
  ],
  'option errors': [
    ['CLIENT', 'TRACKING'], ['CLIENT', 'TRACKING', 'maybe'], ['CLIENT', 'TRACKING', 'ON', 'foo'], ['CLIENT', 'TRACKING', 'ON', 'REDIRECT', '99999'],
    ['CLIENT', 'TRACKING', 'ON', 'REDIRECT', 'x'], ['CLIENT', 'TRACKING', 'ON', 'REDIRECT'], ['CLIENT', 'TRACKING', 'ON', 'PREFIX', 'a'],
    ['CLIENT', 'TRACKING', 'ON', 'OPTIN', 'OPTOUT'], ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'OPTIN'], ['CLIENT', 'TRACKING', 'ON', 'REDIRECT', '$ID1', 'REDIRECT', '$ID2'],
    ['CLIENT', 'CACHING', 'YES'], ['CLIENT', 'CACHING', 'YES', 'x'], ['CLIENT', 'TRACKING', 'ON'], ['CLIENT', 'CACHING', 'YES'], ['CLIENT', 'CACHING', 'NO'],
    ['CLIENT', 'CACHING', 'maybe'], ['CLIENT', 'TRACKING', 'ON', 'BCAST'], ['CLIENT', 'TRACKING', 'ON', 'OPTIN'], ['CLIENT', 'TRACKING', 'OFF'],
    ['CLIENT', 'TRACKING', 'ON', 'OPTIN'], ['CLIENT', 'CACHING', 'YES'], ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'TRACKING', 'ON', 'OPTOUT'], ['CLIENT', 'TRACKING', 'OFF'],
    ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'a', 'PREFIX', 'ab'], ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'b', 'PREFIX', 'a', 'NOLOOP'],
    ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'abc'], ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'c'], ['CLIENT', 'TRACKINGINFO'],
  ],
}, { settings: { 'enable-debug-command': 'yes' } }); // DEBUG PAUSE-CRON
