/*
 * Differential hash family: every command, option, edge case and error path, byte for byte
 * against redis-server, in RESP2 and RESP3.
 *
 * Order: a listpack-encoded hash replies in insertion order here as in Redis, so those replies
 * are compared as they are. A hashtable-encoded hash replies in Redis's dict order, which depends
 * on its hash function and cannot be reproduced: those steps sort the reply (`unordered…`), and
 * steps that pick at random (HRANDFIELD) compare the reply's shape only.
 */
import { differentialSuite, type Script, type Step } from './differential.js';
import { shape, unordered, unorderedPairs, unorderedScan } from './unordered-replies.js';

const BIN = '\x00\xff\r\n\x80bin\x00';
const LONG64 = 'v'.repeat(64);
const LONG65 = 'v'.repeat(65);
const MAX = '9223372036854775807';
const MIN = '-9223372036854775808';

// hashtable order is Redis's dict order: compare the elements sorted
const sorted = (...cmd: string[]): Step => ({ cmd, normalize: unordered });
const sortedPairs = (...cmd: string[]): Step => ({ cmd, normalize: unorderedPairs });
// random picks: compare the reply's type and size only
const shaped = (...cmd: string[]): Step => ({ cmd, normalize: shape });

const RESP3: Step = { cmd: ['HELLO', '3'], normalize: (raw) => raw.slice(0, 2) }; // HELLO's id and version differ by design
const RESET_LIMITS: Script = [['CONFIG', 'SET', 'hash-max-listpack-entries', '512', 'hash-max-listpack-value', '64']];

/** A hash `key` with `n` fields f0…f(n-1) = v0…, in one HSET. */
const fill = (key: string, n: number): string[] => ['HSET', key, ...Array.from({ length: n }, (_, i) => [`f${i}`, `v${i}`]).flat()];

/** The float increments the string family checks too, applied to a hash field. */
function floatCases(): Script {
  const values = ['10.5', '0.1', '-0.1', '1e300', '3.0e3', '1.5e-5', '0x10', '5.0e3', '-5.0e3', '17179869184', '0', '-0', '.5', '5.', '1.23456789012345678901234567890', '1e-4950', '1e4931'];
  const script: Script = [];
  for (const v of values) script.push(['HSET', 'hf', 'x', '1.1'], ['HINCRBYFLOAT', 'hf', 'x', v], ['HGET', 'hf', 'x'], ['HINCRBYFLOAT', 'hf', 'y', v]);
  return script;
}

/** INFO stats reduced to the hit/miss counters: its other fields vary. */
const hitsAndMisses = (raw: string): string => (raw.match(/keyspace_(hits|misses):\d+/g) ?? ['no counters']).join(' ');
const stats = (...cmd: string[]): Script => [['CONFIG', 'RESETSTAT'], cmd, { cmd: ['INFO', 'stats'], normalize: hitsAndMisses }];

const cases: Record<string, Script> = {
  'hset, hget, hmset, hmget, hsetnx': [
    ['HSET', 'h', 'a', '1', 'b', '2'], ['HSET', 'h', 'a', '1', 'c', '3'], ['HGET', 'h', 'a'], ['HGET', 'h', 'x'], ['HGET', 'nokey', 'a'],
    ['HMSET', 'h', 'd', '4', 'a', '9'], ['HMGET', 'h', 'a', 'x', 'd', 'a'], ['HMGET', 'nokey', 'a', 'b'], ['HSETNX', 'h', 'a', 'z'], ['HSETNX', 'h', 'e', '5'],
    ['HSETNX', 'new', 'f', 'v'], ['HGETALL', 'new'], ['HGETALL', 'h'], ['HLEN', 'h'], ['TYPE', 'h'], ['OBJECT', 'ENCODING', 'h'],
  ],
  'duplicate fields in one call': [
    ['HSET', 'hd', 'a', '1', 'a', '2', 'b', '3', 'a', '4'], ['HGETALL', 'hd'], ['HDEL', 'hd', 'a', 'a', 'x'], ['HGETALL', 'hd'], ['HMSET', 'hd', 'b', '1', 'b', '2'], ['HGET', 'hd', 'b'],
  ],
  'binary and empty fields and values': [
    ['HSET', BIN, BIN, BIN, '', '', 'e', ''], ['HGET', BIN, BIN], ['HGET', BIN, ''], ['HSTRLEN', BIN, BIN], ['HSTRLEN', BIN, 'e'], ['HSTRLEN', BIN, 'x'],
    ['HGETALL', BIN], ['HKEYS', BIN], ['HVALS', BIN], ['HEXISTS', BIN, ''], ['HEXISTS', BIN, 'x'], ['HSCAN', BIN, '0'], ['HSCAN', BIN, '0', 'MATCH', '*bin*'],
  ],
  'hdel, hexists, hlen, hkeys, hvals; the last field deletes the key': [
    ['HSET', 'hx', 'a', '1', 'b', '2', 'c', '3'], ['HDEL', 'hx', 'b'], ['HKEYS', 'hx'], ['HVALS', 'hx'], ['HEXISTS', 'hx', 'b'], ['HEXISTS', 'hx', 'a'],
    ['HDEL', 'hx', 'x'], ['HDEL', 'nokey', 'a'], ['HLEN', 'nokey'], ['HKEYS', 'nokey'], ['HVALS', 'nokey'], ['HGETALL', 'nokey'], ['HEXISTS', 'nokey', 'a'],
    ['HDEL', 'hx', 'a', 'c', 'zz'], ['EXISTS', 'hx'], ['HLEN', 'hx'], ['HSET', 'hx', 'a', '1'], ['HDEL', 'hx', 'a'], ['TYPE', 'hx'],
  ],
  'hincrby': [
    ['HINCRBY', 'hi', 'a', '5'], ['HINCRBY', 'hi', 'a', '-7'], ['HGET', 'hi', 'a'], ['HSET', 'hi', 'm', MAX], ['HINCRBY', 'hi', 'm', '1'], ['HINCRBY', 'hi', 'm', '0'],
    ['HSET', 'hi', 'n', MIN], ['HINCRBY', 'hi', 'n', '-1'], ['HINCRBY', 'hi', 'n', MAX], ['HSET', 'hi', 's', 'abc'], ['HINCRBY', 'hi', 's', '1'],
    ['HSET', 'hi', 'sp', ' 1'], ['HINCRBY', 'hi', 'sp', '1'], ['HSET', 'hi', 'z', '01'], ['HINCRBY', 'hi', 'z', '1'], ['HINCRBY', 'hi', 'a', 'x'], ['HINCRBY', 'hi', 'a', '1.5'],
    ['HINCRBY', 'hi', 'a', '9223372036854775808'], ['HINCRBY', 'nokey2', 'a', 'x'], ['EXISTS', 'nokey2'], ['HINCRBY', 'hi', 'big', MIN], ['HGETALL', 'hi'],
  ],
  'hincrbyfloat results as Redis formats them': floatCases(),
  'hincrbyfloat errors': [
    ['HSET', 'hf2', 's', 'abc', 'n', '1', 'i', 'inf', 'sp', ' 1'], ['HINCRBYFLOAT', 'hf2', 's', '1'], ['HINCRBYFLOAT', 'hf2', 'sp', '1'], ['HINCRBYFLOAT', 'hf2', 'n', 'abc'],
    ['HINCRBYFLOAT', 'hf2', 'n', 'inf'], ['HINCRBYFLOAT', 'hf2', 'n', '-inf'], ['HINCRBYFLOAT', 'hf2', 'n', 'nan'], ['HINCRBYFLOAT', 'hf2', 'n', '1e5000'], ['HINCRBYFLOAT', 'hf2', 'i', '1'],
    ['HINCRBYFLOAT', 'hf2', 'n', ''], ['HINCRBYFLOAT', 'nokey3', 'a', 'inf'], ['EXISTS', 'nokey3'], ['HSET', 'hf2', 'h', '1e4932'], ['HINCRBYFLOAT', 'hf2', 'h', '1e4932'], ['HGET', 'hf2', 'n'],
  ],
  'hstrlen': [['HSET', 'hs', 'a', '12345', 'n', '-100'], ['HSTRLEN', 'hs', 'a'], ['HINCRBYFLOAT', 'hs', 'n', '0.1'], ['HSTRLEN', 'hs', 'n'], ['HSTRLEN', 'hs', 'x'], ['HSTRLEN', 'nokey', 'x'], ['HINCRBYFLOAT', 'hs', 'n', '0.5'], ['HSTRLEN', 'hs', 'n']],
  'hscan of a listpack: whole, cursor 0, whatever the cursor and count': [
    fill('hl', 20), ['HSCAN', 'hl', '0'], ['HSCAN', 'hl', '0', 'COUNT', '1'], ['HSCAN', 'hl', '123', 'COUNT', '2'], ['HSCAN', 'hl', '0', 'MATCH', 'f1*'],
    ['HSCAN', 'hl', '0', 'match', 'x*', 'count', '100'], ['HSCAN', 'hl', '0', 'MATCH', 'f?', 'MATCH', 'f1?'], ['HSCAN', 'hl', '-1'], ['HSCAN', 'hl', ''],
    ['HSCAN', 'hl', '18446744073709551615'], ['HSCAN', 'hl', '0', 'MATCH', '*'],
  ],
  'hscan errors': [
    ['HSET', 'he', 'a', '1'], ['HSCAN', 'he', 'abc'], ['HSCAN', 'he', '18446744073709551616'], ['HSCAN', 'he', '0', 'COUNT', '0'], ['HSCAN', 'he', '0', 'COUNT', '-1'],
    ['HSCAN', 'he', '0', 'COUNT', 'x'], ['HSCAN', 'he', '0', 'COUNT'], ['HSCAN', 'he', '0', 'MATCH'], ['HSCAN', 'he', '0', 'FOO', 'bar'], ['HSCAN', 'he', '0', 'NOVALUES'],
    ['HSCAN', 'he', '0', 'TYPE', 'hash'], ['HSCAN', 'nokey', '0', 'FOO'], ['HSCAN', 'nokey', 'abc'], ['HSCAN', 'nokey', '0'], ['SET', 'str', 'x'], ['HSCAN', 'str', '0', 'FOO'], ['HSCAN', 'str', 'x'],
  ],
  'hscan of a hashtable': [
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '100'], fill('ht', 200), ['OBJECT', 'ENCODING', 'ht'],
    { cmd: ['HSCAN', 'ht', '0', 'COUNT', '1000'], normalize: unorderedScan(true) },
    { cmd: ['HSCAN', 'ht', '0', 'COUNT', '1000', 'MATCH', 'f1?'], normalize: unorderedScan(true) },
    ...RESET_LIMITS,
  ],
  'hrandfield': [
    ['HRANDFIELD', 'nokey'], ['HRANDFIELD', 'nokey', '5'], ['HRANDFIELD', 'nokey', '-5', 'WITHVALUES'], ['HRANDFIELD', 'nokey', '0'],
    ['HSET', 'hr', 'a', '1', 'b', '2', 'c', '3'], shaped('HRANDFIELD', 'hr'), ['HRANDFIELD', 'hr', '0'], ['HRANDFIELD', 'hr', '0', 'WITHVALUES'],
    ['HRANDFIELD', 'hr', '3'], ['HRANDFIELD', 'hr', '10', 'WITHVALUES'], ['HRANDFIELD', 'hr', MAX], shaped('HRANDFIELD', 'hr', '2'), shaped('HRANDFIELD', 'hr', '2', 'WITHVALUES'),
    shaped('HRANDFIELD', 'hr', '-5'), shaped('HRANDFIELD', 'hr', '-5', 'withvalues'), shaped('HRANDFIELD', 'hr', '-1'),
    ['HRANDFIELD', 'hr', MIN], ['HRANDFIELD', 'hr', 'x'], ['HRANDFIELD', 'hr', '1.5'], ['HRANDFIELD', 'hr', '1', 'FOO'], ['HRANDFIELD', 'hr', '1', 'WITHVALUES', 'x'],
    ['HRANDFIELD', 'hr', '4611686018427387904', 'WITHVALUES'], ['HRANDFIELD', 'hr', '-4611686018427387904', 'WITHVALUES'], ['HRANDFIELD', 'nokey', 'x'],
    ['HRANDFIELD', 'nokey', '1', 'foo'], ['SET', 'str', 'x'], ['HRANDFIELD', 'str'], ['HRANDFIELD', 'str', '0'], ['HRANDFIELD', 'str', 'x'], ['HRANDFIELD', 'str', '1', 'foo'],
  ],
  'hrandfield of a hashtable': [
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '10'], fill('hrt', 50), ['OBJECT', 'ENCODING', 'hrt'], sorted('HRANDFIELD', 'hrt', '50'), sorted('HRANDFIELD', 'hrt', '60'),
    sortedPairs('HRANDFIELD', 'hrt', '100', 'WITHVALUES'), shaped('HRANDFIELD', 'hrt', '40'), shaped('HRANDFIELD', 'hrt', '5'), shaped('HRANDFIELD', 'hrt', '-100', 'WITHVALUES'),
    ...RESET_LIMITS,
  ],
  'wrongtype for every command': [
    ['SET', 'str', 'x'], ['SADD', 'set', 'a'],
    ...['str', 'set'].flatMap((k) => [
      ['HSET', k, 'a', '1'], ['HSETNX', k, 'a', '1'], ['HGET', k, 'a'], ['HMSET', k, 'a', '1'], ['HMGET', k, 'a'], ['HDEL', k, 'a'], ['HEXISTS', k, 'a'], ['HLEN', k],
      ['HKEYS', k], ['HVALS', k], ['HGETALL', k], ['HINCRBY', k, 'a', '1'], ['HINCRBYFLOAT', k, 'a', '1'], ['HSTRLEN', k, 'a'], ['HSCAN', k, '0'], ['HRANDFIELD', k], ['HRANDFIELD', k, '1'],
      // argument errors come before the type check in these
      ['HINCRBY', k, 'a', 'x'], ['HINCRBYFLOAT', k, 'a', 'x'], ['HRANDFIELD', k, 'x'],
    ]),
    ['HSET', 'h', 'a', '1'], ['GET', 'h'], ['SADD', 'h', 'x'], ['INCR', 'h'], ['APPEND', 'h', 'x'],
  ],
  'wrong arity': [
    ['HSET', 'h'], ['HSET', 'h', 'a'], ['HSET', 'h', 'a', '1', 'b'], ['HMSET', 'h', 'a'], ['HMSET', 'h', 'a', '1', 'b'], ['HSETNX', 'h', 'a'], ['HSETNX', 'h', 'a', '1', '2'],
    ['HGET', 'h'], ['HMGET', 'h'], ['HDEL', 'h'], ['HEXISTS', 'h'], ['HLEN'], ['HKEYS', 'h', 'x'], ['HVALS'], ['HGETALL', 'h', 'x'], ['HINCRBY', 'h', 'a'],
    ['HINCRBYFLOAT', 'h', 'a', '1', '2'], ['HSTRLEN', 'h'], ['HSCAN', 'h'], ['HRANDFIELD'], ['hset', 'h', 'a'], ['HGETALL', 'h'],
  ],
  'encoding: entries threshold, one way, with the ziplist alias': [
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '4'], ['HSET', 'he1', 'a', '1', 'b', '2', 'c', '3', 'd', '4'], ['OBJECT', 'ENCODING', 'he1'], ['HSET', 'he1', 'a', '5'],
    ['OBJECT', 'ENCODING', 'he1'], ['HSET', 'he1', 'e', '5'], ['OBJECT', 'ENCODING', 'he1'], ['HDEL', 'he1', 'a', 'b', 'c', 'd'], ['OBJECT', 'ENCODING', 'he1'],
    ['HSET', 'he2', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5'], ['OBJECT', 'ENCODING', 'he2'], ['HSETNX', 'he3', 'a', '1'], ['OBJECT', 'ENCODING', 'he3'],
    ['CONFIG', 'SET', 'hash-max-ziplist-entries', '0'], ['CONFIG', 'GET', 'hash-max-listpack-entries'], ['CONFIG', 'GET', 'hash-max-ziplist-entries'],
    ['CONFIG', 'GET', 'HASH-MAX-ZIPLIST-ENTRIES'],
    // several names: Redis replies in the order of a dict with a per-process seed
    { cmd: ['CONFIG', 'GET', 'hash-max-ziplist-entries', 'hash-max-listpack-entries', 'hash-max-ziplist-entries'], normalize: unorderedPairs },
    { cmd: ['CONFIG', 'GET', 'hash-max-*'], normalize: unorderedPairs },
    ['HSET', 'he4', 'a', '1'], ['OBJECT', 'ENCODING', 'he4'], ['HINCRBY', 'he5', 'a', '1'], ['OBJECT', 'ENCODING', 'he5'], ['HINCRBYFLOAT', 'he6', 'a', '1'], ['OBJECT', 'ENCODING', 'he6'],
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '1', 'hash-max-ziplist-entries', '3'], ['CONFIG', 'GET', 'hash-max-listpack-entries'],
    ['CONFIG', 'SET', 'hash-max-ziplist-entries', 'x'], ['CONFIG', 'SET', 'hash-max-listpack-entries', '-1'], ['CONFIG', 'SET', 'hash-max-listpack-entries', '99999999999999999999'],
    ['CONFIG', 'SET', 'hash-max-listpack-entries', MAX], ['CONFIG', 'GET', 'hash-max-listpack-entries'], ...RESET_LIMITS,
  ],
  'encoding: value length threshold': [
    ['HSET', 'hv1', 'a', LONG64], ['OBJECT', 'ENCODING', 'hv1'], ['HSET', 'hv1', 'b', LONG65], ['OBJECT', 'ENCODING', 'hv1'], ['HSET', 'hv2', LONG65, '1'], ['OBJECT', 'ENCODING', 'hv2'],
    ['HSET', 'hv3', 'a', '1'], ['HSETNX', 'hv3', 'a', LONG65], ['OBJECT', 'ENCODING', 'hv3'], ['HSETNX', 'hv3', 'b', LONG65], ['OBJECT', 'ENCODING', 'hv3'],
    ['HSET', 'hv4', 'a', '1'], ['HINCRBY', 'hv4', LONG65, '1'], ['OBJECT', 'ENCODING', 'hv4'], ['HSET', 'hv5', 'a', '1'], ['HINCRBYFLOAT', 'hv5', LONG65, '1'], ['OBJECT', 'ENCODING', 'hv5'],
    ['HINCRBYFLOAT', 'hv6', 'a', '1.' + '0'.repeat(70) + '1'], ['OBJECT', 'ENCODING', 'hv6'], ['HMSET', 'hv7', 'a', '1', 'b', LONG65], ['OBJECT', 'ENCODING', 'hv7'],
    ['CONFIG', 'SET', 'hash-max-ziplist-value', '2'], ['CONFIG', 'GET', 'hash-max-listpack-value'], ['HSET', 'hv8', 'ab', 'cd'], ['OBJECT', 'ENCODING', 'hv8'],
    ['HSET', 'hv8', 'ab', 'cde'], ['OBJECT', 'ENCODING', 'hv8'], ['CONFIG', 'SET', 'hash-max-listpack-value', '1k'], ['CONFIG', 'GET', 'hash-max-listpack-value'],
    ['CONFIG', 'SET', 'hash-max-listpack-value', '-1'], ['CONFIG', 'SET', 'hash-max-ziplist-value', 'x'], ...RESET_LIMITS,
  ],
  'hashtable replies (sorted: dict order)': [
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '2'], ['HSET', 'hh', 'a', '1', 'b', '2', 'c', '3', 'd', '4'], ['OBJECT', 'ENCODING', 'hh'], sortedPairs('HGETALL', 'hh'),
    sorted('HKEYS', 'hh'), sorted('HVALS', 'hh'), ['HMGET', 'hh', 'a', 'x', 'd'], ['HDEL', 'hh', 'b'], sortedPairs('HGETALL', 'hh'), ['HLEN', 'hh'], ['HINCRBY', 'hh', 'a', '10'],
    ['HINCRBYFLOAT', 'hh', 'a', '0.5'], ['HGET', 'hh', 'a'], ['HDEL', 'hh', 'a', 'c', 'd'], ['EXISTS', 'hh'], ...RESET_LIMITS,
  ],
  'keyspace commands on hashes': [
    ['HSET', 'hk', 'a', '1', 'b', '2'], ['COPY', 'hk', 'hk2'], ['HSET', 'hk2', 'c', '3'], ['HGETALL', 'hk'], ['HGETALL', 'hk2'], ['OBJECT', 'ENCODING', 'hk2'],
    ['RENAME', 'hk2', 'hk3'], ['HGETALL', 'hk3'], ['TYPE', 'hk3'], ['EXPIRE', 'hk3', '100'], ['HSET', 'hk3', 'd', '4'], { cmd: ['TTL', 'hk3'], tolerance: 1 },
    ['HINCRBYFLOAT', 'hk3', 'd', '1.5'], { cmd: ['TTL', 'hk3'], tolerance: 1 }, ['HDEL', 'hk3', 'a', 'b', 'c', 'd'], ['TTL', 'hk3'], ['SCAN', '0', 'TYPE', 'hash'], ['DEL', 'hk'], ['EXISTS', 'hk'],
  ],
  'keyspace hits and misses': [
    ['HSET', 'hm', 'a', '1'],
    ...[['HGET', 'hm', 'a'], ['HGET', 'nokey', 'a'], ['HMGET', 'hm', 'a'], ['HLEN', 'nokey'], ['HGETALL', 'hm'], ['HEXISTS', 'hm', 'x'], ['HSTRLEN', 'hm', 'a'],
      ['HSET', 'hm', 'b', '2'], ['HDEL', 'hm', 'zz'], ['HINCRBY', 'hm', 'c', '1'], ['HSCAN', 'hm', '0'], ['HRANDFIELD', 'nokey']].flatMap((cmd) => stats(...cmd)),
  ],
  'resp3 replies': [
    RESP3, ['HSET', 'h3', 'a', '1', 'b', '2'], ['HGETALL', 'h3'], ['HGETALL', 'nokey'], ['HMGET', 'h3', 'a', 'x'], ['HGET', 'h3', 'x'], ['HKEYS', 'h3'], ['HVALS', 'nokey'],
    ['HRANDFIELD', 'h3', '5', 'WITHVALUES'], ['HRANDFIELD', 'h3', '5'], ['HRANDFIELD', 'nokey'], ['HRANDFIELD', 'nokey', '2', 'WITHVALUES'], shaped('HRANDFIELD', 'h3', '-3', 'WITHVALUES'),
    ['HSCAN', 'h3', '0'], ['HSCAN', 'nokey', '0'], ['HINCRBYFLOAT', 'h3', 'a', '0.25'], ['HINCRBY', 'h3', 'b', '5'], ['HSETNX', 'h3', 'a', '1'], ['HMSET', 'h3', 'c', '3'], ['HSTRLEN', 'h3', 'a'],
    ['HRANDFIELD', 'h3', '0', 'WITHVALUES'], ['CONFIG', 'SET', 'hash-max-listpack-entries', '1'], ['HSET', 'h4', 'a', '1', 'b', '2'], sortedPairs('HGETALL', 'h4'),
    sortedPairs('HRANDFIELD', 'h4', '2', 'WITHVALUES'), ...RESET_LIMITS,
  ],
};

differentialSuite('differential: hashes', cases);
