/*
 * Differential DEBUG: DIGEST and DIGEST-VALUE (Redis's SHA-1 dataset signature) for every type,
 * POPULATE, PROTOCOL in RESP2 and RESP3, OBJECT's serialized lengths, RELOAD (through the RDB
 * file) keeping data, TTLs, encodings and functions, and the error paths — byte for byte.
 */
import { differentialSuite, type Script, type Step } from './differential.js';

const range = (n: number, f: (i: number) => string[]): string[] => Array.from({ length: n }, (_, i) => f(i)).flat();

/** A dataset with every type, small and large encodings, TTLs, two databases. */
const DATASET: Script = [
  ['SET', 'int', '12345'], ['SET', 'neg', '-7'], ['SET', 'raw', 'hello world'], ['SET', 'long', 'x'.repeat(300)], ['SET', 'bin', '\x00\xff\r\n'],
  ['RPUSH', 'list', 'a', 'b', '1', '2', 'c'], ['RPUSH', 'biglist', ...range(300, (i) => [`element-${i}-${'x'.repeat(40)}`])],
  ['HSET', 'hash', 'f1', 'v1', 'f2', '2'], ['HSET', 'bighash', ...range(600, (i) => [`f${i}`, `v${i}`])],
  ['SADD', 'intset', '1', '2', '3', '-5'], ['SADD', 'set', 'a', 'b', 'c'], ['SADD', 'bigset', ...range(600, (i) => [`m${i}`])],
  ['ZADD', 'zset', '1', 'a', '2.5', 'b', '-inf', 'c', '0.1', 'd'], ['ZADD', 'bigzset', ...range(200, (i) => [String(i / 7), `m${i}`])],
  ['XADD', 'stream', '1-1', 'f', 'v'], ['XADD', 'stream', '2-5', 'a', '1', 'b', '2'], ['XADD', 'stream', '3-0', 'x', 'y'], ['XDEL', 'stream', '2-5'],
  ['SET', 'ttl', 'v', 'EX', '1000'], ['HSET', 'ttlhash', 'a', 'b'], ['PEXPIRE', 'ttlhash', '500000'],
  ['SELECT', '1'], ['SET', 'other-db', 'v'], ['RPUSH', 'other-list', 'z'], ['SELECT', '0'],
];
const KEYS = ['int', 'neg', 'raw', 'long', 'bin', 'list', 'biglist', 'hash', 'bighash', 'intset', 'set', 'bigset', 'zset', 'bigzset', 'stream', 'ttl', 'ttlhash'];

/** DEBUG OBJECT names an address and access-clock readings of each server's own */
const debugObject = (raw: string): string =>
  raw.replace(/at:0x[0-9a-f]+/, 'at:0x?').replace(/lru:\d+/, 'lru:?').replace(/lru_seconds_idle:\d+/, 'lru_seconds_idle:?');
const object = (key: string): Step => ({ cmd: ['DEBUG', 'OBJECT', key], normalize: debugObject });
/** HELLO's map names the server and its version */
const hello3: Step = { cmd: ['HELLO', '3'], normalize: (raw) => raw.slice(0, 3) };

const PROTOCOL_TYPES = ['string', 'integer', 'double', 'bignum', 'null', 'array', 'set', 'map', 'attrib', 'push', 'verbatim', 'true', 'false', 'nosuch', 'STRING'];
const protocol = PROTOCOL_TYPES.map((t) => ['DEBUG', 'PROTOCOL', t]);

const LIB = "#!lua name=dbglib\nredis.register_function('dbgf', function() return 'from the library' end)";

differentialSuite(
  'differential: debug',
  {
    'DIGEST of an empty dataset, of every type, and DIGEST-VALUE': [
      ['DEBUG', 'DIGEST'], ...DATASET, ['DEBUG', 'DIGEST'], ['DEBUG', 'DIGEST-VALUE', ...KEYS, 'nosuch'], ['DEBUG', 'DIGEST-VALUE'],
      // the order of a list counts, the order of a set's members does not
      ['DEL', 'list'], ['RPUSH', 'list', 'b', 'a', '1', '2', 'c'], ['DEBUG', 'DIGEST-VALUE', 'list'],
      ['DEL', 'set'], ['SADD', 'set', 'c', 'a', 'b'], ['DEBUG', 'DIGEST-VALUE', 'set'], ['PERSIST', 'ttl'], ['DEBUG', 'DIGEST'],
    ],
    // a small list is `listpack` here (Redis 7.2's encoding), `quicklist` in 7.0: see docs/compatibility.md
    'OBJECT serialized lengths of every encoding': [...DATASET, ...KEYS.filter((k) => k !== 'list').map(object)],
    'POPULATE: names, values, sizes, existing keys kept, errors': [
      ['SET', 'key:3', 'mine'], ['DEBUG', 'POPULATE', '10'], ['DBSIZE'], ['GET', 'key:3'], ['GET', 'key:9'],
      ['DEBUG', 'POPULATE', '5', 'p', '20'], ['GET', 'p:4'], ['DEBUG', 'POPULATE', '3', 'q', '2'], ['GET', 'q:2'], ['DEBUG', 'POPULATE', '2', 'r', '0'], ['GET', 'r:1'],
      ['DEBUG', 'POPULATE', '0'], ['DEBUG', 'DIGEST'],
      ['DEBUG', 'POPULATE', '-1'], ['DEBUG', 'POPULATE', 'x'], ['DEBUG', 'POPULATE', '1', 'a', '-1'], ['DEBUG', 'POPULATE', '1', 'a', 'x'], ['DEBUG', 'POPULATE'],
      ['DEBUG', 'POPULATE', '1', 'a', '1', 'extra'],
    ],
    'PROTOCOL in RESP2 and RESP3': [...protocol, hello3, ...protocol],
    'RELOAD keeps keys, TTLs, encodings and functions': [
      ...DATASET, ['FUNCTION', 'LOAD', LIB], ['DEBUG', 'DIGEST'], ['DEBUG', 'RELOAD'], ['DEBUG', 'DIGEST'], ['DBSIZE'],
      ...KEYS.filter((k) => k !== 'list').map((k) => ['OBJECT', 'ENCODING', k]),
      { cmd: ['TTL', 'ttl'], tolerance: 1 }, { cmd: ['PTTL', 'ttlhash'], tolerance: 1000 }, ['FCALL', 'dbgf', '0'], ['XINFO', 'STREAM', 'stream'].slice(0, 0),
      ['SELECT', '1'], ['LRANGE', 'other-list', '0', '-1'], ['SELECT', '0'],
      ['DEBUG', 'RELOAD', 'NOSAVE'], ['DEBUG', 'DIGEST'], ['SET', 'later', 'x'], ['DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE'], ['GET', 'later'], ['DEBUG', 'DIGEST'],
      ['DEBUG', 'RELOAD', 'FOO'], ['FLUSHALL'], ['DEBUG', 'RELOAD'], ['DBSIZE'], ['FUNCTION', 'LIST'].slice(0, 0),
    ].filter((s) => !Array.isArray(s) || s.length !== 0),
    'RELOAD of an expired key, of a key about to expire': [
      ['SET', 'gone', 'v', 'PX', '1'], { cmd: ['SET', 'kept', 'v', 'EX', '100'], sleepAfter: 10 }, ['DEBUG', 'RELOAD'], ['EXISTS', 'gone'], ['EXISTS', 'kept'], ['DBSIZE'],
    ],
    'the small subcommands and their errors': [
      ['DEBUG', 'ERROR', 'foo bar'], ['DEBUG', 'ERROR', '-WRONGTYPE x'], ['DEBUG', 'ERROR', ''], ['DEBUG', 'LOG', 'a line'], ['DEBUG', 'LEAK', 'x'],
      ['HSET', 'h', 'a', 'b'], ['SET', 's', 'v'], ['DEBUG', 'LISTPACK', 'h'], ['DEBUG', 'LISTPACK', 's'], ['DEBUG', 'LISTPACK', 'nosuch'], ['DEBUG', 'QUICKLIST', 'h'],
      ['DEBUG', 'QUICKLIST', 'nosuch'], ['RPUSH', 'big', ...range(300, (i) => [`e${i}-${'x'.repeat(40)}`])], ['DEBUG', 'QUICKLIST', 'big'], ['DEBUG', 'QUICKLIST', 'big', '1'],
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0'], ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '1b'], ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '5gb'],
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', 'x'], ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '1gb'],
      ['DEBUG', 'PAUSE-CRON', '1'], ['DEBUG', 'PAUSE-CRON', '0'], ['DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', '1'], ['DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', '0'],
      ['DEBUG', 'LOG'], ['DEBUG', 'ERROR'], ['DEBUG', 'DIGEST', 'x'], ['DEBUG', 'NOSUCH'],
    ],
  },
  {},
  { 'enable-debug-command': 'yes' },
);
