/*
 * Differential DUMP / RESTORE. DUMP's bytes must equal Redis 7.0's for every value whose layout is
 * deterministic: strings in each encoding (integers, LZF-compressed or not), listpack hashes and
 * sorted sets, intsets, lists cut into quicklist nodes (also with list-compress-depth), skiplist
 * sorted sets. RESTORE's options, errors, TTL handling and resulting encodings are compared too.
 * Hash tables (large hashes and sets) are written in each server's own hash order, so those are
 * checked by moving payloads between the servers instead (dump-crossing.test.ts).
 */
import { differentialSuite, type Script, type Step } from './differential.js';

const HELLO_PAYLOAD = Buffer.from('000568656c6c6f0a006372df76653420', 'hex').toString('latin1').replace(/ $/, '') ;

const strings: Array<[string, string]> = [
  ['empty', ''], ['short', 'hello'], ['zero', '0'], ['minus one', '-1'], ['127', '127'], ['128', '128'], ['-128', '-128'],
  ['-129', '-129'], ['32767', '32767'], ['32768', '32768'], ['int32 max', '2147483647'], ['int32 min', '-2147483648'],
  ['2^31', '2147483648'], ['int64', '9223372036854775807'], ['leading zero', '012'], ['minus zero', '-0'], ['plus', '+1'],
  ['spaces', ' 1'], ['20 digits', '12345678901234567890'], ['21 a', 'a'.repeat(21)], ['40 a', 'a'.repeat(40)],
  ['incompressible 30', 'abcdefghijklmnopqrstuvwxyz0123'], ['pattern 100', 'abc123'.repeat(17)], ['binary', '\x00\xff\x01\xfe'.repeat(10)],
  ['10 KB text', 'the quick brown fox jumps over the lazy dog '.repeat(240)], ['long run', 'x'.repeat(5000) + 'y'.repeat(3000)],
];

const dump = (key: string): Step => ({ cmd: ['DUMP', key] });

function stringCases(): Record<string, Script> {
  const out: Record<string, Script> = {};
  for (const [name, value] of strings) out[`string: ${name}`] = [['SET', 'k', value], dump('k'), ['OBJECT', 'ENCODING', 'k']];
  out['string: APPEND-grown and INCR-made'] = [['SET', 'k', 'ab'], ['APPEND', 'k', 'cd'.repeat(20)], dump('k'), ['INCR', 'n'], ['INCRBY', 'n', '70000'], dump('n')];
  return out;
}

const ints = ['-5', '127', '128', '4095', '4096', '-4096', '-4097', '32767', '-32768', '32768', '8388607', '-8388608', '8388608',
  '2147483647', '-2147483649', '9223372036854775807', '-9223372036854775808', '01', '-0', '1.5', ''];

differentialSuite('differential: dump', {
  ...stringCases(),
  'DUMP of a missing key': [dump('nokey')],
  'hash: listpack with every entry encoding': [['HSET', 'h', ...ints.flatMap((v, i) => [`f${i}`, v])], dump('h'), ['HSET', 'h2', 'a', 'x'.repeat(63), 'b', 'y'.repeat(64)], dump('h2')],
  'hash: long field values up to the listpack limit': [['CONFIG', 'SET', 'hash-max-listpack-value', '5000'], ['HSET', 'h', 'f', 'v'.repeat(4095), 'g', 'w'.repeat(4096)], dump('h')],
  'list: every entry encoding in one node': [['RPUSH', 'l', ...ints], dump('l'), ['LPUSH', 'l2', 'c', 'b', 'a'], dump('l2')],
  'list: many nodes, RPUSH-built': [['RPUSH', 'l', ...Array.from({ length: 3000 }, (_, i) => `element:${i}`)], dump('l')],
  'list: nodes by count (list-max-listpack-size 5)': [['CONFIG', 'SET', 'list-max-listpack-size', '5'], ['RPUSH', 'l', ...Array.from({ length: 23 }, (_, i) => String(i * 1000))], dump('l')],
  'list: compressed inner nodes (list-compress-depth 1)': [
    ['CONFIG', 'SET', 'list-compress-depth', '1'], ['CONFIG', 'SET', 'list-max-listpack-size', '-1'],
    ['RPUSH', 'l', ...Array.from({ length: 2000 }, (_, i) => `compressible element number ${i % 10}`)], dump('l'),
  ],
  'set: intsets of 16, 32 and 64 bits': [['SADD', 's', '3', '1', '2'], dump('s'), ['SADD', 's4', '1', '70000', '-5'], dump('s4'), ['SADD', 's8', '1', '-9223372036854775808', '5'], dump('s8')],
  'zset: listpack scores': [
    ['ZADD', 'z', '1', 'a', '2.5', 'b', '-0', 'c', '0.1', 'd', '1e20', 'e', 'inf', 'f', '-inf', 'g', '3e-5', 'h', '4503599627370496', 'i', '-17', 'j', '1000', '1000'],
    dump('z'),
  ],
  'zset: skiplist, written from the highest score': [
    ['ZADD', 'z', ...Array.from({ length: 200 }, (_, i) => [String((i * 7919) % 1000 / 8), `m${i}`]).flat()], ['OBJECT', 'ENCODING', 'z'], dump('z'),
  ],
  'stream: entries with the master fields, other fields, deleted ones': [
    ['XADD', 's', '1-1', 'a', '1', 'b', '2'], ['XADD', 's', '1-2', 'a', '3', 'b', '4'], ['XADD', 's', '2-0', 'c', 'x'.repeat(70)],
    ['XADD', 's', '5-7', 'a', '-9', 'b', ''], ['XDEL', 's', '1-2'], dump('s'),
  ],
  'stream: groups without deliveries, several nodes, trimmed': [
    ...Array.from({ length: 250 }, (_, i) => ['XADD', 's', `${i + 1}-0`, 'field', `value ${i}`, 'n', String(i)]),
    ['XTRIM', 's', 'MAXLEN', '~', '120'], ['XDEL', 's', '150-0'], ['XGROUP', 'CREATE', 's', 'g1', '0'], ['XGROUP', 'CREATE', 's', 'g0', '$'],
    ['XGROUP', 'CREATE', 's', 'g2', '200-0', 'ENTRIESREAD', '5'], dump('s'),
    ['EVAL', "return redis.call('RESTORE', KEYS[1] .. ':copy', 0, redis.call('DUMP', KEYS[1]))", '1', 's'], dump('s:copy'),
    ['XINFO', 'STREAM', 's:copy'], ['XINFO', 'GROUPS', 's:copy'], ['XRANGE', 's:copy', '-', '+', 'COUNT', '3'],
  ],
  'stream: empty after XDEL, with its ids kept': [['XADD', 's', '3-3', 'f', 'v'], ['XDEL', 's', '3-3'], dump('s'),
    ['EVAL', "return redis.call('RESTORE', KEYS[1] .. ':copy', 0, redis.call('DUMP', KEYS[1]))", '1', 's'], ['XINFO', 'STREAM', 's:copy']],
  'RESTORE: a payload, its encoding and TTL': [
    ['RESTORE', 'k', '0', HELLO_PAYLOAD], ['GET', 'k'], ['TTL', 'k'], ['OBJECT', 'ENCODING', 'k'],
    ['RESTORE', 'k', '0', HELLO_PAYLOAD], ['RESTORE', 'k', '0', HELLO_PAYLOAD, 'REPLACE'],
    { cmd: ['RESTORE', 't', '100000', HELLO_PAYLOAD], }, { cmd: ['PTTL', 't'], tolerance: 50 },
    ['RESTORE', 'a', '99999999999999', HELLO_PAYLOAD, 'ABSTTL'], ['PEXPIRETIME', 'a'],
    ['RESTORE', 'gone', '1', HELLO_PAYLOAD, 'ABSTTL'], ['EXISTS', 'gone'],
    ['RESTORE', 'k', '1', HELLO_PAYLOAD, 'ABSTTL', 'REPLACE'], ['EXISTS', 'k'],
  ],
  'RESTORE: round trips of every type through DUMP': [
    ['RPUSH', 'l', 'a', '1', 'b'], ['HSET', 'h', 'f', 'v', 'n', '12'], ['SADD', 's', '5', '-3'], ['ZADD', 'z', '1.5', 'x', '2', 'y'], ['SET', 'n', '123'],
    // (OBJECT ENCODING of lists follows Redis 7.2 here: docs/compatibility.md)
    ...['l', 'h', 's', 'z', 'n'].flatMap((k) => [
      ['EVAL', "return redis.call('RESTORE', KEYS[1] .. ':copy', 0, redis.call('DUMP', KEYS[1]))", '1', k],
      ...(k === 'l' ? [] : [['OBJECT', 'ENCODING', `${k}:copy`]]), ['DUMP', `${k}:copy`], ['TYPE', `${k}:copy`],
    ]),
    ['LRANGE', 'l:copy', '0', '-1'], ['HGETALL', 'h:copy'], ['SMEMBERS', 's:copy'], ['ZRANGE', 'z:copy', '0', '-1', 'WITHSCORES'], ['GET', 'n:copy'],
  ],
  'RESTORE: encodings follow this server\'s limits': [
    ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'], ['SADD', 's', '1', '2', '3'], ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '2'], ['CONFIG', 'SET', 'set-max-intset-entries', '2'], ['CONFIG', 'SET', 'zset-max-listpack-entries', '2'],
    // (hash tables are written in each server's hash order: only the skiplist's bytes compare)
    ...['h', 's', 'z'].flatMap((k) => [
      ['EVAL', "return redis.call('RESTORE', KEYS[1] .. ':copy', 0, redis.call('DUMP', KEYS[1]))", '1', k], ['OBJECT', 'ENCODING', `${k}:copy`],
    ]),
    ['DUMP', 'z:copy'], ['HLEN', 'h:copy'], ['HMGET', 'h:copy', 'a', 'b', 'c'],
  ],
  'RESTORE: IDLETIME and FREQ': [
    ['RESTORE', 'k', '0', HELLO_PAYLOAD, 'IDLETIME', '1000'], { cmd: ['OBJECT', 'IDLETIME', 'k'], tolerance: 2 },
    ['RESTORE', 'k', '0', HELLO_PAYLOAD, 'IDLETIME', '5', 'FREQ', '5'], ['RESTORE', 'k', '0', HELLO_PAYLOAD, 'FREQ', '5', 'IDLETIME', '5'],
    ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'], ['RESTORE', 'f', '0', HELLO_PAYLOAD, 'FREQ', '100'], ['OBJECT', 'FREQ', 'f'],
    ['RESTORE', 'g', '0', HELLO_PAYLOAD, 'IDLETIME', '10'], ['OBJECT', 'FREQ', 'g'],
    ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
  ],
  'RESTORE: errors in Redis\'s order': [
    ['SET', 'k', 'v'],
    ['RESTORE', 'k', '0', 'garbage'], ['RESTORE', 'k', 'x', 'garbage'], ['RESTORE', 'new', 'x', 'garbage'], ['RESTORE', 'new', '-1', 'garbage'],
    ['RESTORE', 'new', '0', 'garbage'], ['RESTORE', 'new', '0', HELLO_PAYLOAD, 'BOGUS'], ['RESTORE', 'new', '0', HELLO_PAYLOAD, 'IDLETIME'],
    ['RESTORE', 'new', '0', HELLO_PAYLOAD, 'IDLETIME', 'x'], ['RESTORE', 'new', '0', HELLO_PAYLOAD, 'IDLETIME', '-1'],
    ['RESTORE', 'new', '0', HELLO_PAYLOAD, 'FREQ', '256'], ['RESTORE', 'new', '0', HELLO_PAYLOAD, 'FREQ', '-1'],
    ['RESTORE', 'new', '0', HELLO_PAYLOAD.slice(0, -1) + 'X'], ['RESTORE', 'new', '0', HELLO_PAYLOAD.slice(1)],
    ['RESTORE', 'new', '0', '\x00\x05hello\x0b\x00' + HELLO_PAYLOAD.slice(-8)],
    ['RESTORE', 'new', '0', ''], ['RESTORE', 'new'], ['DUMP'], ['DUMP', 'a', 'b'],
    ['EXISTS', 'new'],
  ],
});
