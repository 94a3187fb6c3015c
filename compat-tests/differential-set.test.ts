/*
 * Differential set family: every command, option, edge case and error path, byte for byte
 * against redis-server, in RESP2 and RESP3.
 *
 * Order: an intset replies in ascending order here as in Redis, so those replies are compared as
 * they are. A hashtable-encoded set replies in Redis's dict order, which depends on its hash
 * function and cannot be reproduced: those steps sort the reply (`unordered`), and steps that
 * pick at random (SPOP, SRANDMEMBER) compare the reply's shape only (their members are checked
 * in set-random.test.ts).
 */
import { differentialSuite, type Script, type Step } from './differential.js';
import { shape, unordered, unorderedScan } from './unordered-replies.js';

const BIN = '\x00\xff\r\n\x80bin\x00';
const MAX = '9223372036854775807';
const MIN = '-9223372036854775808';

// hashtable order is Redis's dict order: compare the elements sorted
const sorted = (...cmd: string[]): Step => ({ cmd, normalize: unordered });
// random picks: compare the reply's type and size only
const shaped = (...cmd: string[]): Step => ({ cmd, normalize: shape });

const RESP3: Step = { cmd: ['HELLO', '3'], normalize: (raw) => raw.slice(0, 2) }; // HELLO's id and version differ by design
const RESET_LIMITS: Script = [['CONFIG', 'SET', 'set-max-intset-entries', '512']];

const ints = (key: string, from: number, to: number): string[] => ['SADD', key, ...Array.from({ length: to - from + 1 }, (_, i) => String(from + i))];
const words = (key: string, n: number): string[] => ['SADD', key, ...Array.from({ length: n }, (_, i) => `m${i}`)];

/** INFO stats reduced to the hit/miss counters: its other fields vary. */
const hitsAndMisses = (raw: string): string => (raw.match(/keyspace_(hits|misses):\d+/g) ?? ['no counters']).join(' ');
const stats = (...cmd: string[]): Script => [['CONFIG', 'RESETSTAT'], cmd, { cmd: ['INFO', 'stats'], normalize: hitsAndMisses }];

const cases: Record<string, Script> = {
  'sadd, srem, sismember, smismember, scard, smembers (intset)': [
    ['SADD', 's', '3', '1', '2', '1'], ['SADD', 's', '2', '5'], ['SMEMBERS', 's'], ['SCARD', 's'], ['SISMEMBER', 's', '2'], ['SISMEMBER', 's', '02'], ['SISMEMBER', 's', 'x'],
    ['SMISMEMBER', 's', '1', 'x', '5', '1'], ['SREM', 's', '1', '1', 'x', '7'], ['SMEMBERS', 's'], ['OBJECT', 'ENCODING', 's'], ['TYPE', 's'],
    ['SISMEMBER', 'nokey', 'a'], ['SMISMEMBER', 'nokey', 'a', 'b'], ['SCARD', 'nokey'], ['SMEMBERS', 'nokey'], ['SREM', 'nokey', 'a'],
    ['SREM', 's', '2', '3', '5'], ['EXISTS', 's'], ['SADD', 's', '1'], ['SREM', 's', '1', '2'], ['TYPE', 's'],
  ],
  'intset: int64 bounds, negative, canonical forms only': [
    ['SADD', 'si', MAX, MIN, '0', '-1', '9007199254740993', '9007199254740992', '-9007199254740993', '100', '-100'], ['OBJECT', 'ENCODING', 'si'], ['SMEMBERS', 'si'],
    ['SISMEMBER', 'si', MAX], ['SISMEMBER', 'si', '9223372036854775808'], ['SISMEMBER', 'si', '-0'], ['SREM', 'si', '9007199254740993'], ['SMEMBERS', 'si'],
    ['SADD', 'sj', '1', '-0'], ['OBJECT', 'ENCODING', 'sj'], ['SADD', 'sk', '+1'], ['OBJECT', 'ENCODING', 'sk'], ['SADD', 'sl', '01'], ['OBJECT', 'ENCODING', 'sl'],
    ['SADD', 'sm', '9223372036854775808'], ['OBJECT', 'ENCODING', 'sm'], ['SADD', 'sn', ' 1'], ['OBJECT', 'ENCODING', 'sn'], ['SADD', 'so', '1.0'], ['OBJECT', 'ENCODING', 'so'],
  ],
  'strings make a hashtable at once (7.0 has no set listpack)': [
    ['SADD', 'sh', 'a'], ['OBJECT', 'ENCODING', 'sh'], ['SADD', 'sh2', '1', '2'], ['SADD', 'sh2', 'x'], ['OBJECT', 'ENCODING', 'sh2'], ['SREM', 'sh2', 'x'], ['OBJECT', 'ENCODING', 'sh2'],
    sorted('SMEMBERS', 'sh2'), ['SISMEMBER', 'sh2', '1'], ['SMISMEMBER', 'sh2', '1', '2', 'x'], ['CONFIG', 'GET', 'set-max-*'], ['CONFIG', 'GET', 'set-max-listpack-entries'],
  ],
  'binary and empty members': [
    ['SADD', BIN, BIN, '', 'x'], ['SISMEMBER', BIN, BIN], ['SISMEMBER', BIN, ''], ['SCARD', BIN], sorted('SMEMBERS', BIN), ['SREM', BIN, ''], sorted('SMEMBERS', BIN),
    { cmd: ['SSCAN', BIN, '0', 'COUNT', '100'], normalize: unorderedScan(false) },
  ],
  'intset threshold and CONFIG': [
    ['CONFIG', 'SET', 'set-max-intset-entries', '3'], ints('st', 1, 3), ['OBJECT', 'ENCODING', 'st'], ['SADD', 'st', '4'], ['OBJECT', 'ENCODING', 'st'], ['SREM', 'st', '4', '3'],
    ['OBJECT', 'ENCODING', 'st'], ints('st2', 1, 4), ['OBJECT', 'ENCODING', 'st2'], ['CONFIG', 'SET', 'set-max-intset-entries', '0'], ['SADD', 'st3', '1'], ['OBJECT', 'ENCODING', 'st3'],
    ['CONFIG', 'GET', 'set-max-intset-entries'], ['CONFIG', 'SET', 'set-max-intset-entries', '-1'], ['CONFIG', 'SET', 'set-max-intset-entries', 'x'],
    ['CONFIG', 'SET', 'set-max-intset-entries', '99999999999999999999'], ['CONFIG', 'SET', 'set-max-listpack-entries', '1'], ...RESET_LIMITS,
    ints('st4', 1, 512), ['OBJECT', 'ENCODING', 'st4'], ['SADD', 'st4', '513'], ['OBJECT', 'ENCODING', 'st4'],
  ],
  'spop': [
    ['SPOP', 'nokey'], ['SPOP', 'nokey', '3'], ['SPOP', 'nokey', '0'], ['SADD', 'sp', '1', '2', '3'], shaped('SPOP', 'sp'), ['SCARD', 'sp'], ['SPOP', 'sp', '0'],
    ['SPOP', 'sp', '-1'], ['SPOP', 'sp', 'x'], ['SPOP', 'sp', '1.5'], ['SPOP', 'sp', '1', '2'], ['SPOP', 'nokey', '-1'], shaped('SPOP', 'sp', '5'), ['EXISTS', 'sp'],
    ints('sp2', 1, 10), shaped('SPOP', 'sp2', '3'), ['SCARD', 'sp2'], shaped('SPOP', 'sp2', '6'), ['SCARD', 'sp2'], ['OBJECT', 'ENCODING', 'sp2'], shaped('SPOP', 'sp2', '1'),
    ['EXISTS', 'sp2'], ['SADD', 'sp3', 'a'], ['SPOP', 'sp3'], ['EXISTS', 'sp3'], ['SADD', 'sp4', 'a', 'b', 'c'], sorted('SPOP', 'sp4', '3'), ['EXISTS', 'sp4'],
    words('sp5', 100), shaped('SPOP', 'sp5', '90'), ['SCARD', 'sp5'], ['OBJECT', 'ENCODING', 'sp5'], shaped('SPOP', 'sp5', '5'), ['SCARD', 'sp5'], shaped('SPOP', 'sp5', MAX), ['EXISTS', 'sp5'],
  ],
  'spop rebuilding from what remains takes the encoding of its first member': [
    ['SADD', 'sr', 'x', ...Array.from({ length: 20 }, (_, i) => String(i))], ['SREM', 'sr', 'x'], ['OBJECT', 'ENCODING', 'sr'], shaped('SPOP', 'sr', '19'),
    ['SCARD', 'sr'], ['OBJECT', 'ENCODING', 'sr'],
  ],
  'srandmember': [
    ['SRANDMEMBER', 'nokey'], ['SRANDMEMBER', 'nokey', '3'], ['SRANDMEMBER', 'nokey', '-3'], ['SRANDMEMBER', 'nokey', '0'], ['SRANDMEMBER', 'nokey', 'x'],
    ['SADD', 'sm', '1', '2', '3'], shaped('SRANDMEMBER', 'sm'), ['SRANDMEMBER', 'sm', '0'], ['SRANDMEMBER', 'sm', '3'], ['SRANDMEMBER', 'sm', '10'], ['SRANDMEMBER', 'sm', MAX],
    shaped('SRANDMEMBER', 'sm', '2'), shaped('SRANDMEMBER', 'sm', '-10'), shaped('SRANDMEMBER', 'sm', '-1'), ['SRANDMEMBER', 'sm', MIN], ['SRANDMEMBER', 'sm', 'x'],
    ['SRANDMEMBER', 'sm', '1', '2'], ['SRANDMEMBER', 'sm', '1.5'], words('sw', 50), sorted('SRANDMEMBER', 'sw', '50'), sorted('SRANDMEMBER', 'sw', '100'),
    shaped('SRANDMEMBER', 'sw', '40'), shaped('SRANDMEMBER', 'sw', '5'), shaped('SRANDMEMBER', 'sw', '-100'), ['SCARD', 'sw'],
  ],
  'smove': [
    ['SADD', 'a', '1', '2', '3'], ['SADD', 'b', 'x'], ['SMOVE', 'a', 'b', '1'], sorted('SMEMBERS', 'b'), ['SMEMBERS', 'a'], ['SMOVE', 'a', 'b', '1'], ['SMOVE', 'a', 'b', '9'],
    ['SMOVE', 'a', 'c', '2'], ['OBJECT', 'ENCODING', 'c'], ['SMEMBERS', 'c'], ['SMOVE', 'a', 'd', '3'], ['EXISTS', 'a'], ['SMOVE', 'nokey', 'd', '3'], ['SMOVE', 'd', 'd', '3'],
    ['SMOVE', 'd', 'd', '4'], ['SADD', 'e', '3'], ['SMOVE', 'd', 'e', '3'], ['SMEMBERS', 'e'], ['EXISTS', 'd'], ['SADD', 'f', 'w'], ['SMOVE', 'f', 'g', 'w'], ['OBJECT', 'ENCODING', 'g'],
    ['SET', 'str', 'v'], ['SMOVE', 'str', 'e', '3'], ['SMOVE', 'e', 'str', '3'], ['SMOVE', 'nokey', 'str', '3'], ['SMOVE', 'e', 'str', 'nothere'], ['SMEMBERS', 'e'],
    // a destination that holds the member already is not modified: a WATCH on it holds
    ['SADD', 'ws', 'a', 'b'], ['SADD', 'wd', 'a'], ['WATCH', 'wd'], ['SMOVE', 'ws', 'wd', 'a'], ['MULTI'], ['SCARD', 'wd'], ['EXEC'],
    ['WATCH', 'ws'], ['SMOVE', 'ws', 'wd', 'b'], ['MULTI'], ['SCARD', 'wd'], ['EXEC'],
  ],
  'sinter, sintercard, sinterstore': [
    ['SADD', 'i1', '1', '2', '3', '4'], ['SADD', 'i2', '2', '3', '4', '5'], ['SADD', 'i3', '3', '4', 'x'], ['SINTER', 'i1', 'i2'], sorted('SINTER', 'i1', 'i2', 'i3'), ['SINTER', 'i1'],
    ['SINTER', 'i1', 'i1'], ['SINTER', 'i1', 'nokey'], ['SINTER', 'nokey'], ['SINTERCARD', '2', 'i1', 'i2'], ['SINTERCARD', '3', 'i1', 'i2', 'i3'], ['SINTERCARD', '2', 'i1', 'i2', 'LIMIT', '2'],
    ['SINTERCARD', '2', 'i1', 'i2', 'limit', '0'], ['SINTERCARD', '2', 'i1', 'i2', 'LIMIT', '100'], ['SINTERCARD', '1', 'nokey'], ['SINTERCARD', '2', 'i1', 'nokey'],
    ['SINTERSTORE', 'd', 'i1', 'i2'], ['SMEMBERS', 'd'], ['OBJECT', 'ENCODING', 'd'], ['SINTERSTORE', 'd', 'i1', 'i3'], ['OBJECT', 'ENCODING', 'd'], ['SMEMBERS', 'd'],
    ['SINTERSTORE', 'd', 'i1', 'nokey'], ['EXISTS', 'd'], ['SINTERSTORE', 'd', 'nokey'], ['SET', 'd', 'v'], ['EXPIRE', 'd', '100'], ['SINTERSTORE', 'd', 'i1', 'i2'], ['TTL', 'd'], ['TYPE', 'd'],
    ['SINTERSTORE', 'i1', 'i1', 'i2'], ['SMEMBERS', 'i1'], ['SADD', 'i4', 'x', 'y'], ['SINTER', 'i3', 'i4'], ['SINTERSTORE', 'd2', 'i3', 'i4'], ['SMEMBERS', 'd2'], ['OBJECT', 'ENCODING', 'd2'],
  ],
  'sintercard errors': [
    ['SINTERCARD', '0', 'a'], ['SINTERCARD', '-1', 'a'], ['SINTERCARD', 'x', 'a'], ['SINTERCARD', '2', 'a'], ['SINTERCARD', '1', 'a', 'LIMIT'], ['SINTERCARD', '1', 'a', 'LIMIT', '-1'],
    ['SINTERCARD', '1', 'a', 'LIMIT', 'x'], ['SINTERCARD', '1', 'a', 'FOO'], ['SINTERCARD', '1', 'a', 'b'], ['SINTERCARD', '1', 'a', 'LIMIT', '1', 'LIMIT', '2'], ['SINTERCARD', MAX, 'a'],
    ['SET', 'str', 'v'], ['SINTERCARD', '2', 'nokey', 'str'], ['SINTERCARD', '1', 'str', 'LIMIT', 'x'],
  ],
  'sunion, sdiff and their store forms': [
    ['SADD', 'u1', '1', '2', '3'], ['SADD', 'u2', '3', '4'], ['SADD', 'u3', 'a', '1'], ['SUNION', 'u1', 'u2'], ['SUNION', 'u1', 'nokey'], ['SUNION', 'nokey'], sorted('SUNION', 'u1', 'u3'),
    ['SDIFF', 'u1', 'u2'], ['SDIFF', 'u1', 'u1'], ['SDIFF', 'u1'], ['SDIFF', 'nokey', 'u1'], ['SDIFF', 'u1', 'nokey'], ['SDIFF', 'u1', 'u3'], sorted('SDIFF', 'u3', 'u1', 'u2'),
    ['SUNIONSTORE', 'd', 'u1', 'u2'], ['SMEMBERS', 'd'], ['OBJECT', 'ENCODING', 'd'], ['SUNIONSTORE', 'd', 'u1', 'u3'], ['OBJECT', 'ENCODING', 'd'], ['SUNIONSTORE', 'd', 'nokey'], ['EXISTS', 'd'],
    ['SDIFFSTORE', 'd', 'u1', 'u2'], ['SMEMBERS', 'd'], ['SDIFFSTORE', 'd', 'u1', 'u1'], ['EXISTS', 'd'], ['SDIFFSTORE', 'u1', 'u1', 'u2'], ['SMEMBERS', 'u1'],
    ['SUNIONSTORE', 'u2', 'u2', 'u3'], sorted('SMEMBERS', 'u2'), ['SDIFFSTORE', 'd3', 'u3', 'nokey'], ['OBJECT', 'ENCODING', 'd3'], sorted('SMEMBERS', 'd3'),
    ['CONFIG', 'SET', 'set-max-intset-entries', '2'], ['SUNIONSTORE', 'd4', 'u1', 'u2'], ['OBJECT', 'ENCODING', 'd4'], ...RESET_LIMITS,
  ],
  'wrongtype for every command': [
    ['SET', 'str', 'x'], ['HSET', 'hash', 'a', '1'], ['SADD', 'set', '1'],
    ...['str', 'hash'].flatMap((k) => [
      ['SADD', k, 'a'], ['SREM', k, 'a'], ['SISMEMBER', k, 'a'], ['SMISMEMBER', k, 'a'], ['SMEMBERS', k], ['SCARD', k], ['SPOP', k], ['SPOP', k, '1'], ['SPOP', k, '0'],
      ['SRANDMEMBER', k], ['SRANDMEMBER', k, '1'], ['SRANDMEMBER', k, '0'], ['SINTER', 'set', k], ['SINTER', 'nokey', k], ['SINTERCARD', '2', 'set', k], ['SUNION', 'set', k],
      ['SUNION', 'nokey', k], ['SDIFF', 'set', k], ['SDIFF', 'nokey', k], ['SDIFF', k, 'nokey'], ['SINTERSTORE', 'd', 'set', k], ['SINTERSTORE', 'd', 'nokey', k],
      ['SUNIONSTORE', 'd', 'set', k], ['SDIFFSTORE', 'd', 'set', k], ['SDIFFSTORE', 'd', 'nokey', k], ['SSCAN', k, '0'], ['SSCAN', k, 'x'], ['SPOP', k, '-1'], ['SRANDMEMBER', k, 'x'],
    ]),
    ['EXISTS', 'd'], ['SINTERSTORE', 'str', 'set'], ['TYPE', 'str'], ['SUNIONSTORE', 'hash', 'set'], ['TYPE', 'hash'], ['GET', 'set'], ['HGET', 'set', 'a'],
  ],
  'sscan': [
    ints('ss', 1, 30), ['SSCAN', 'ss', '0'], ['SSCAN', 'ss', '0', 'COUNT', '1'], ['SSCAN', 'ss', '7', 'COUNT', '2'], ['SSCAN', 'ss', '0', 'MATCH', '1*'], ['SSCAN', 'ss', '0', 'MATCH', '*'],
    ['SSCAN', 'ss', 'abc'], ['SSCAN', 'ss', '0', 'COUNT', '0'], ['SSCAN', 'ss', '0', 'COUNT', 'x'], ['SSCAN', 'ss', '0', 'MATCH'], ['SSCAN', 'ss', '0', 'TYPE', 'set'], ['SSCAN', 'ss', '0', 'FOO', 'x'],
    ['SSCAN', 'nokey', '0'], ['SSCAN', 'nokey', '0', 'FOO'], ['SSCAN', 'nokey', 'x'], words('sw', 100), { cmd: ['SSCAN', 'sw', '0', 'COUNT', '1000'], normalize: unorderedScan(false) },
    { cmd: ['SSCAN', 'sw', '0', 'COUNT', '1000', 'MATCH', 'm1?'], normalize: unorderedScan(false) },
  ],
  'wrong arity': [
    ['SADD', 's'], ['SREM', 's'], ['SISMEMBER', 's'], ['SISMEMBER', 's', 'a', 'b'], ['SMISMEMBER', 's'], ['SMEMBERS'], ['SMEMBERS', 's', 'x'], ['SCARD'], ['SPOP'], ['SRANDMEMBER'],
    ['SMOVE', 'a', 'b'], ['SINTER'], ['SINTERCARD', '1'], ['SUNION'], ['SDIFF'], ['SINTERSTORE', 'd'], ['SUNIONSTORE', 'd'], ['SDIFFSTORE', 'd'], ['SSCAN', 's'], ['sadd', 'x'],
  ],
  'keyspace commands on sets': [
    ['SADD', 'k1', '1', '2'], ['SADD', 'k2', 'a', 'b'], ['COPY', 'k1', 'k3'], ['SADD', 'k3', '3'], ['SMEMBERS', 'k1'], ['SMEMBERS', 'k3'], ['COPY', 'k2', 'k4'], ['OBJECT', 'ENCODING', 'k4'],
    ['RENAME', 'k3', 'k5'], ['SMEMBERS', 'k5'], ['EXPIRE', 'k5', '100'], ['SADD', 'k5', '9'], { cmd: ['TTL', 'k5'], tolerance: 1 }, ['SPOP', 'k5', '10'], ['TTL', 'k5'],
  ],
  'keyspace hits and misses': [
    ['SADD', 'sm', '1'], ['SADD', 'sm2', '2'],
    ...[['SISMEMBER', 'sm', '1'], ['SISMEMBER', 'nokey', '1'], ['SMEMBERS', 'sm'], ['SCARD', 'nokey'], ['SINTER', 'sm', 'sm2', 'nokey'], ['SINTERSTORE', 'd', 'sm', 'nokey'],
      ['SUNIONSTORE', 'd', 'sm', 'sm2'], ['SUNION', 'sm', 'nokey'], ['SRANDMEMBER', 'nokey'], ['SMOVE', 'sm', 'sm2', '1'], ['SSCAN', 'sm2', '0'], ['SINTERCARD', '2', 'sm2', 'nokey'],
      ['SADD', 'sm2', '3'], ['SREM', 'nokey', '1']].flatMap((cmd) => stats(...cmd)),
  ],
  'resp3 replies': [
    RESP3, ['SADD', 's3', '1', '2', '3'], ['SMEMBERS', 's3'], ['SMEMBERS', 'nokey'], ['SMISMEMBER', 's3', '1', 'x'], ['SINTER', 's3', 's3'], ['SINTER', 's3', 'nokey'],
    ['SUNION', 's3', 'nokey'], ['SDIFF', 's3', 'nokey'], ['SRANDMEMBER', 's3', '5'], ['SRANDMEMBER', 'nokey', '5'], ['SRANDMEMBER', 'nokey'], shaped('SRANDMEMBER', 's3', '-4'),
    ['SPOP', 'nokey'], ['SPOP', 'nokey', '2'], ['SPOP', 's3', '0'], shaped('SPOP', 's3', '1'), shaped('SSCAN', 's3', '0'), ['SSCAN', 'nokey', '0'], shaped('SPOP', 's3', '5'),
    ['SINTERCARD', '1', 's3'], ['SADD', 's4', 'a', 'b'], sorted('SMEMBERS', 's4'), sorted('SPOP', 's4', '2'),
  ],
};

differentialSuite('differential: sets', cases);
