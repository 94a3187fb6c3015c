/*
 * Differential string family: every command, option, edge case and error path, byte for byte
 * against redis-server. Keys are distinct per case so that no case depends on FLUSHALL.
 * Not covered yet: WRONGTYPE replies (no other data type exists so far; add a list/hash key to
 * these cases when they land).
 */
import { differentialSuite, type Script } from './differential.js';

const MAX = '9223372036854775807';
const MIN = '-9223372036854775808';
const BIN = '\x00\xff\r\n\x80bin\x00';

/** A deterministic stream of numbers in [0, 1) (mulberry32), so generated cases are stable. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Float strings of many shapes: plain, long, exponents near the long double limits, hex. */
function floatCases(count: number): Script {
  const rnd = prng(7);
  const int = (n: number) => Math.floor(rnd() * n);
  const digits = (n: number) => Array.from({ length: n }, () => int(10)).join('');
  const shapes = [
    () => digits(1 + int(3)) + '.' + digits(1 + int(3)),
    () => digits(1 + int(30)) + '.' + digits(int(30)),
    () => '0.' + digits(int(25)) + digits(1 + int(20)),
    () => digits(1 + int(20)) + 'e' + (int(2) ? '-' : '') + int(400),
    () => digits(1 + int(20)) + 'e' + (int(2) ? '-' : '') + (4900 + int(60)),
    () => '0x' + int(1 << 30).toString(16) + '.' + int(4096).toString(16) + 'p' + (int(2) ? '-' : '') + int(16500),
    () => String(rnd() * 10 ** int(25)),
  ];
  const value = () => (int(3) === 0 ? '-' : '') + shapes[int(shapes.length)]!();
  const script: Script = [];
  for (let i = 0; i < count; i++) script.push(['SET', 'gen', value()], ['INCRBYFLOAT', 'gen', value()], ['GET', 'gen']);
  return script;
}

/** INFO stats reduced to the hit/miss counters: its other fields (times, memory, totals) vary. */
const hitsAndMisses = (raw: string): string => (raw.match(/keyspace_(hits|misses):\d+/g) ?? ['no counters']).join(' ');
const stats = (...cmd: string[]): Script => [['CONFIG', 'RESETSTAT'], cmd, { cmd: ['INFO', 'stats'], normalize: hitsAndMisses }];

differentialSuite('differential: strings', {
  // SET and GET gaps
  'set: repeated options and conflicts': [
    ['SET', 'so', 'v', 'EX', '10', 'EX', '20'], ['TTL', 'so'], ['SET', 'so', 'v', 'PX', '100', 'EX', '10'], ['SET', 'so', 'v', 'NX', 'NX'],
    ['SET', 'so', 'v', 'XX', 'XX', 'GET', 'GET'], ['SET', 'so', 'v', 'KEEPTTL', 'KEEPTTL'], ['SET', 'so', 'v', 'PERSIST'], ['SET', 'so', 'v', 'ex', '10', 'exat', '99999999999'],
    ['SET', 'so', 'v', 'EX', '9223372036854775'], ['SET', 'so', 'v', 'PXAT', MAX], ['SET', 'so', 'v', 'EXAT', MAX], ['SET', 'so', 'v', 'PX', '-0'],
  ],
  'set: keepttl keeps and plain set clears the ttl': [
    ['SET', 'sk', 'v', 'EX', '100'], ['SET', 'sk', 'w', 'KEEPTTL'], { cmd: ['TTL', 'sk'], tolerance: 1 }, ['SET', 'sk', 'x'], ['TTL', 'sk'],
    ['SET', 'sk', 'y', 'EX', '100', 'GET'], { cmd: ['TTL', 'sk'], tolerance: 1 },
  ],
  'set and get: empty and binary': [['SET', '', ''], ['GET', ''], ['SET', BIN, BIN], ['GET', BIN], ['STRLEN', BIN], ['SET', 'sg', 'x', 'GET'], ['GET', 'sg']],
  // SETNX, SETEX, PSETEX, GETSET
  'setnx': [['SETNX', 'nx1', 'a'], ['SETNX', 'nx1', 'b'], ['GET', 'nx1'], ['SETNX', 'nx1'], ['SETNX', 'nx1', 'a', 'b'], ['SETNX', '', BIN], ['GET', '']],
  'setnx leaves an existing ttl alone': [['SET', 'nx2', 'a', 'EX', '100'], ['SETNX', 'nx2', 'b'], { cmd: ['TTL', 'nx2'], tolerance: 1 }],
  'setex and psetex': [
    ['SETEX', 'se1', '100', 'v'], { cmd: ['TTL', 'se1'], tolerance: 1 }, ['GET', 'se1'], ['PSETEX', 'se2', '100000', 'w'], { cmd: ['PTTL', 'se2'], tolerance: 50 },
    ['SETEX', 'se3', '0', 'v'], ['SETEX', 'se3', '-5', 'v'], ['SETEX', 'se3', 'x', 'v'], ['SETEX', 'se3', '1.5', 'v'], ['PSETEX', 'se3', '0', 'v'], ['PSETEX', 'se3', '-1', 'v'],
    ['SETEX', 'se3', MAX, 'v'], ['SETEX', 'se3', '9223372036854775', 'v'], ['PSETEX', 'se3', MAX, 'v'], ['SETEX', 'se3', '9223372036854775808', 'v'], ['EXISTS', 'se3'],
    ['SETEX', 'se3', '10'], ['PSETEX', 'se3', '10', 'v', 'x'], ['SETEX', 'se1', '100', BIN], ['GET', 'se1'],
  ],
  'setex replaces value and ttl': [['SET', 'se4', 'a'], ['SETEX', 'se4', '50', 'b'], { cmd: ['TTL', 'se4'], tolerance: 1 }, ['SETEX', 'se4', '500', 'c'], { cmd: ['TTL', 'se4'], tolerance: 1 }, ['GET', 'se4']],
  'getset': [
    ['GETSET', 'gs1', 'a'], ['GETSET', 'gs1', 'b'], ['GET', 'gs1'], ['GETSET', 'gs1'], ['SET', 'gs2', 'v', 'EX', '100'], ['GETSET', 'gs2', 'w'], ['TTL', 'gs2'],
    ['SET', 'gs3', '12'], ['GETSET', 'gs3', BIN], ['GETSET', 'gs3', ''], ['GET', 'gs3'],
  ],
  // GETDEL, GETEX
  'getdel': [['SET', 'gd1', 'v'], ['GETDEL', 'gd1'], ['GETDEL', 'gd1'], ['EXISTS', 'gd1'], ['GETDEL'], ['GETDEL', 'gd1', 'x'], ['SET', 'gd2', '42'], ['GETDEL', 'gd2'], ['SET', 'gd3', ''], ['GETDEL', 'gd3'], ['EXISTS', 'gd3']],
  'getex options': [
    ['GETEX', 'ge0'], ['GETEX', 'ge0', 'EX', 'abc'], ['GETEX', 'ge0', 'FOO'], ['GETEX', 'ge0', 'EX'],
    ['SET', 'ge1', 'v'], ['GETEX', 'ge1'], ['TTL', 'ge1'], ['GETEX', 'ge1', 'EX', '100'], { cmd: ['TTL', 'ge1'], tolerance: 1 },
    ['GETEX', 'ge1', 'PX', '200000'], { cmd: ['TTL', 'ge1'], tolerance: 1 }, ['GETEX', 'ge1', 'EXAT', '4102444800'], { cmd: ['TTL', 'ge1'], tolerance: 2 },
    ['GETEX', 'ge1', 'PXAT', '4102444800000'], { cmd: ['TTL', 'ge1'], tolerance: 2 }, ['GETEX', 'ge1', 'PERSIST'], ['TTL', 'ge1'],
    ['GETEX', 'ge1', 'ex', '10', 'ex', '20'], { cmd: ['TTL', 'ge1'], tolerance: 1 }, ['GETEX', 'ge1', 'persist', 'PERSIST'], ['TTL', 'ge1'],
  ],
  'getex errors': [
    ['SET', 'ge2', 'v'], ['GETEX', 'ge2', 'EX', 'abc'], ['GETEX', 'ge2', 'EX', '0'], ['GETEX', 'ge2', 'EX', '-1'], ['GETEX', 'ge2', 'PX', '0'], ['GETEX', 'ge2', 'EXAT', '0'],
    ['GETEX', 'ge2', 'PXAT', '-5'], ['GETEX', 'ge2', 'EX', '10', 'PX', '100'], ['GETEX', 'ge2', 'PERSIST', 'EX', '1'], ['GETEX', 'ge2', 'EX', '1', 'PERSIST'],
    ['GETEX', 'ge2', 'EX'], ['GETEX', 'ge2', 'KEEPTTL'], ['GETEX', 'ge2', 'NX'], ['GETEX', 'ge2', 'XX'], ['GETEX', 'ge2', 'GET'], ['GETEX', 'ge2', 'EX', MAX],
    ['GETEX', 'ge2', 'PX', MAX], ['GETEX', 'ge2', 'EXAT', MAX], ['GETEX', 'ge2', 'EX', '9223372036854775'], ['GETEX', 'ge2', 'EX', '9223372036854775808'], ['GETEX'], ['TTL', 'ge2'],
  ],
  'getex with a time in the past deletes the key': [
    ['SET', 'ge3', 'v'], ['GETEX', 'ge3', 'EXAT', '1'], ['EXISTS', 'ge3'], ['SET', 'ge4', 'w'], ['GETEX', 'ge4', 'PXAT', '1'], ['GET', 'ge4'],
    ['SET', 'ge5', 'x'], ['GETEX', 'ge5', 'PXAT', MAX], ['GET', 'ge5'],
  ],
  // MGET, MSET, MSETNX
  'mget': [['SET', 'mg1', 'a'], ['SET', 'mg2', ''], ['MGET', 'mg1', 'mgx', 'mg2', 'mg1'], ['MGET', 'mgx'], ['MGET'], ['SET', BIN, BIN], ['MGET', BIN, '']],
  'mset': [
    ['MSET', 'ms1', 'a', 'ms2', 'b'], ['MGET', 'ms1', 'ms2'], ['MSET', 'ms1'], ['MSET', 'ms1', 'a', 'ms2'], ['MSET'], ['MSET', 'ms3', '1', 'ms3', '2'], ['GET', 'ms3'],
    ['SET', 'ms4', 'v', 'EX', '100'], ['MSET', 'ms4', 'w'], ['TTL', 'ms4'], ['MSET', '', BIN, BIN, ''], ['MGET', '', BIN],
  ],
  'msetnx is all or nothing': [
    ['MSETNX', 'mn1', 'a', 'mn2', 'b'], ['MSETNX', 'mn3', 'c', 'mn1', 'x'], ['EXISTS', 'mn3'], ['GET', 'mn1'], ['MSETNX', 'mn4', '1', 'mn5', '2', 'mn4', '3'],
    ['MGET', 'mn4', 'mn5'], ['MSETNX', 'mn6'], ['MSETNX', 'mn6', 'a', 'mn7'], ['MSETNX'],
  ],
  // APPEND, STRLEN
  'append': [
    ['APPEND', 'ap1', 'Hello'], ['APPEND', 'ap1', ' World'], ['GET', 'ap1'], ['STRLEN', 'ap1'], ['APPEND', 'ap2', ''], ['EXISTS', 'ap2'], ['GET', 'ap2'],
    ['APPEND', 'ap1', ''], ['APPEND', 'ap3', BIN], ['APPEND', 'ap3', BIN], ['GET', 'ap3'], ['APPEND', 'ap3'], ['APPEND', 'ap3', 'a', 'b'],
    ['SET', 'ap4', '12'], ['APPEND', 'ap4', '34'], ['INCR', 'ap4'], ['APPEND', 'ap4', 'x'], ['INCR', 'ap4'], ['GET', 'ap4'],
  ],
  'append keeps the ttl and grows over many calls': [
    ['SET', 'ap5', 'x', 'EX', '100'], ['APPEND', 'ap5', 'y'], { cmd: ['TTL', 'ap5'], tolerance: 1 },
    ...Array.from({ length: 40 }, (_, i) => ['APPEND', 'ap6', 'chunk' + i + '-'.repeat(i * 7)]), ['GET', 'ap6'], ['STRLEN', 'ap6'], ['GETRANGE', 'ap6', '100', '140'],
  ],
  'strlen': [['STRLEN', 'sl0'], ['SET', 'sl1', 'abc'], ['STRLEN', 'sl1'], ['SET', 'sl2', ''], ['STRLEN', 'sl2'], ['SET', 'sl3', '-12345'], ['STRLEN', 'sl3'], ['SET', 'sl4', '12345678901234567890123'], ['STRLEN', 'sl4'], ['STRLEN'], ['STRLEN', 'a', 'b']],
  // GETRANGE, SUBSTR
  'getrange': [
    ['SET', 'gr', 'Hello World'],
    ...[['0', '3'], ['-3', '-1'], ['0', '-1'], ['10', '100'], ['5', '3'], ['-1', '-5'], ['-100', '-50'], ['-100', '2'], ['0', '0'], ['11', '11'], ['-11', '-11'], ['-12', '-12'],
      ['-12', '0'], [MIN, MAX], [MAX, MAX], [MIN, MIN], [MAX, MIN], ['-9223372036854775807', MIN], [MIN, '-9223372036854775807'], ['-9007199254740993', '-9007199254740992'],
      ['-9007199254740992', '-9007199254740993'], ['9223372036854775808', '1'], ['a', '1'], ['1', 'x'], ['', '1'], ['01', '2'], ['+1', '2'], ['1.0', '2'], ['3', '-2'], ['-0', '2']].map(([a, b]) => ['GETRANGE', 'gr', a!, b!]),
    ['GETRANGE', 'gr0', '0', '-1'], ['GETRANGE', 'gr0', 'x', '1'], ['GETRANGE', 'gr', '0'], ['GETRANGE', 'gr', '0', '1', '2'],
  ],
  'getrange on numbers, empty, binary and appended values': [
    ['SET', 'gr1', '12345'], ['GETRANGE', 'gr1', '1', '-2'], ['SET', 'gr2', '-9223372036854775808'], ['GETRANGE', 'gr2', '0', '4'], ['SET', 'gr3', ''], ['GETRANGE', 'gr3', '0', '-1'],
    ['GETRANGE', 'gr3', '-1', '0'], ['SET', 'gr4', BIN], ['GETRANGE', 'gr4', '1', '3'], ['APPEND', 'gr5', 'abc'], ['APPEND', 'gr5', 'def'], ['GETRANGE', 'gr5', '2', '4'], ['GETRANGE', 'gr5', '-2', '100'],
  ],
  'substr': [['SET', 'sb', 'Hello World'], ['SUBSTR', 'sb', '0', '3'], ['SUBSTR', 'sb', '-3', '-1'], ['SUBSTR', 'sb', '5', '1'], ['SUBSTR', 'sbx', '0', '1'], ['SUBSTR', 'sb', 'a', '1'], ['SUBSTR', 'sb', '0']],
  // SETRANGE
  'setrange': [
    ['SETRANGE', 'sr1', '-1', 'x'], ['SETRANGE', 'sr1', 'x', 'x'], ['SETRANGE', 'sr1', '1.5', 'x'], ['SETRANGE', 'sr1', '0', ''], ['EXISTS', 'sr1'], ['SETRANGE', 'sr1', '5', 'ab'],
    ['GET', 'sr1'], ['SETRANGE', 'sr1', '1', 'XYZW'], ['GET', 'sr1'], ['SETRANGE', 'sr1', '100000000000', ''], ['SETRANGE', 'sr1', '0', BIN], ['GET', 'sr1'], ['STRLEN', 'sr1'],
    ['SETRANGE', 'sr1', '536870912', 'a'], ['SETRANGE', 'sr1', '536870911', 'ab'], ['SETRANGE', 'sr1', MAX, 'a'], ['SETRANGE', 'sr1', '9223372036854775808', 'a'], ['SETRANGE', 'sr1', MIN, 'a'],
    ['SETRANGE', 'sr2', '536870912', ''], ['SETRANGE', 'sr2', '536870912', 'x'], ['EXISTS', 'sr2'], ['SETRANGE', 'sr2', '0'], ['SETRANGE', 'sr2', '0', 'a', 'b'],
  ],
  'setrange on integers, past the end, keeping the ttl': [
    ['SET', 'sr3', '12345'], ['SETRANGE', 'sr3', '1', '9'], ['GET', 'sr3'], ['INCR', 'sr3'], ['SETRANGE', 'sr3', '8', 'x'], ['GET', 'sr3'], ['SETRANGE', 'sr3', '0', ''],
    ['SET', 'sr4', 'abc', 'EX', '100'], ['SETRANGE', 'sr4', '1', 'Z'], { cmd: ['TTL', 'sr4'], tolerance: 1 }, ['SETRANGE', 'sr4', '2000', 'end'], ['STRLEN', 'sr4'], ['GETRANGE', 'sr4', '1990', '-1'],
    ['APPEND', 'sr5', 'abcdef'], ['SETRANGE', 'sr5', '2', '\x00\x00'], ['GET', 'sr5'], ['SETRANGE', 'sr5', '10', 'q'], ['GET', 'sr5'], ['APPEND', 'sr5', 'r'], ['GET', 'sr5'],
  ],
  // INCR, DECR, INCRBY, DECRBY
  'incr and decr': [
    ['INCR', 'in1'], ['INCR', 'in1'], ['DECR', 'in1'], ['DECR', 'in2'], ['DECR', 'in2'], ['GET', 'in2'], ['SET', 'in3', '-1'], ['INCR', 'in3'], ['GET', 'in3'],
    ['SET', 'in4', '9007199254740991'], ['INCR', 'in4'], ['INCR', 'in4'], ['GET', 'in4'], ['DECR', 'in4'], ['DECR', 'in4'], ['DECR', 'in4'], ['SET', 'in5', '-9007199254740992'], ['DECR', 'in5'], ['INCR', 'in5'],
    ['INCR'], ['INCR', 'a', 'b'], ['DECR'],
  ],
  'incr at the int64 bounds': [
    ['SET', 'ib1', MAX], ['INCR', 'ib1'], ['GET', 'ib1'], ['DECR', 'ib1'], ['INCRBY', 'ib1', '1'], ['INCRBY', 'ib1', MAX], ['SET', 'ib2', MIN], ['DECR', 'ib2'], ['DECRBY', 'ib2', '1'],
    ['INCRBY', 'ib2', '-1'], ['INCRBY', 'ib2', MIN], ['INCRBY', 'ib2', MAX], ['GET', 'ib2'], ['INCRBY', 'ib3', MIN], ['INCRBY', 'ib3', '-1'], ['DECRBY', 'ib4', MAX], ['DECRBY', 'ib4', '1'], ['DECRBY', 'ib4', '1'],
    ['SET', 'ib5', '0'], ['DECRBY', 'ib5', MIN], ['DECRBY', 'ib5', '-9223372036854775807'], ['DECRBY', 'ib5', '-1'], ['GET', 'ib5'], ['INCRBY', 'ib6', '9223372036854775808'], ['DECRBY', 'ib6', '-9223372036854775809'],
    ['SET', 'ib7', '-9223372036854775807'], ['INCRBY', 'ib7', MAX], ['SET', 'ib8', '1'], ['INCRBY', 'ib8', '-9223372036854775807'], ['DECR', 'ib8'], ['DECR', 'ib8'],
  ],
  'incrby and decrby': [
    ['INCRBY', 'iy1', '10'], ['INCRBY', 'iy1', '-25'], ['DECRBY', 'iy1', '-5'], ['DECRBY', 'iy1', '100'], ['INCRBY', 'iy1', '0'], ['GET', 'iy1'],
    ['INCRBY', 'iy1', '1.5'], ['INCRBY', 'iy1', ''], ['INCRBY', 'iy1', ' 1'], ['INCRBY', 'iy1', '+1'], ['INCRBY', 'iy1', '01'], ['DECRBY', 'iy1', '-0'], ['DECRBY', 'iy1', 'x'],
    ['INCRBY', 'iy1', '123456789012345678901'], ['INCRBY', 'iy1'], ['DECRBY', 'iy1', '1', '2'], ['INCRBY', 'iy2', '4503599627370496'], ['INCRBY', 'iy2', '4503599627370496'], ['INCRBY', 'iy2', '4503599627370496'], ['DECRBY', 'iy2', '9007199254740993'],
  ],
  'incr refuses values that are not int64': [
    ...['10.5', ' 1', '1 ', '+1', '01', '-0', '123456789012345678901', '9223372036854775808', '-9223372036854775809', '', '1e3', '0x10', BIN, 'abc'].flatMap((v, i) => [
      ['SET', `ni${i}`, v], ['INCR', `ni${i}`], ['DECRBY', `ni${i}`, '1'], ['GET', `ni${i}`],
    ]),
  ],
  'incr keeps the ttl': [['SET', 'it1', '5', 'EX', '100'], ['INCR', 'it1'], { cmd: ['TTL', 'it1'], tolerance: 1 }, ['DECRBY', 'it1', '3'], { cmd: ['TTL', 'it1'], tolerance: 1 }, ['GET', 'it1']],
  // INCRBYFLOAT
  'incrbyfloat: long double results': [
    ...[['0.1', '0.2'], ['10.5', '0.1'], ['1e300', '0'], ['5.0e3', '0'], ['0', '1e-20'], ['0', '-1e-20'], ['3.0000000000000000001', '0'], ['0', '0.000003814697265625'],
      ['1', '-1'], ['-0', '-0'], ['18446744073709551617', '0'], ['18446744073709551615', '1'], [MAX, '1'], [MIN, '-1'], ['1.5', '-3'], ['0x1p3', '0x1.8'], ['0X10', '-0x.8p1'],
      ['1.18973149535723176502e4932', '0'], ['3.6e-4951', '1'], ['1e-4940', '0'], ['123456789.123456789', '987654321.987654321'], ['100', '-99.99'],
      ['3.14159265358979323846264338327950288', '0'], ['1e17', '0.5'], ['1e18', '0.3'], ['0.000000000000000015', '0'], ['0.000000000000000005', '0'], ['7', '1e-17'],
      ['1e308', '1e308'], ['+1.5', '-.5'], ['1.', '2.'], ['0x1p-16445', '0'], ['0x1p16383', '0'], ['1e-300', '1e300']].flatMap(([a, b], i) => [['SET', `fl${i}`, a!], ['INCRBYFLOAT', `fl${i}`, b!], ['GET', `fl${i}`]]),
  ],
  'incrbyfloat: errors': [
    ...[['inf', '0'], ['1', '-infinity'], ['INF', '-inf'], ['0x1p16383', '0x1p16383'], ['-0x1p16383', '-0x1p16383'], ['nan', '1'], ['1', 'nan'], ['', '1'], ['1', ''], [' 1', '1'], ['1 ', '1'], ['1', '\t1'],
      ['0x', '1'], ['1e', '1'], ['1e5000', '0'], ['1e-5000', '0'], ['1\x002', '1'], ['\x001', '1'], ['0x1p-16446', '0'], ['0x1p16384', '0'], ['1_0', '1'], ['1,5', '1'], [BIN, '1'],
      ['0'.repeat(5119), '1'], ['0'.repeat(5120), '1'], ['1', '0'.repeat(5120)]].flatMap(([a, b], i) => [['SET', `fe${i}`, a!], ['INCRBYFLOAT', `fe${i}`, b!], ['GET', `fe${i}`]]),
    ['INCRBYFLOAT', 'fe-missing', 'abc'], ['EXISTS', 'fe-missing'], ['INCRBYFLOAT', 'fe-missing'], ['INCRBYFLOAT', 'fe-missing', '1', '2'],
  ],
  'incrbyfloat: on a missing key, then integer commands on the result': [
    ['INCRBYFLOAT', 'ff1', '10'], ['INCR', 'ff1'], ['INCRBYFLOAT', 'ff1', '0.5'], ['INCR', 'ff1'], ['INCRBYFLOAT', 'ff1', '-11.5'], ['INCRBY', 'ff1', '5'],
    ['SET', 'ff2', '1', 'EX', '100'], ['INCRBYFLOAT', 'ff2', '1.25'], { cmd: ['TTL', 'ff2'], tolerance: 1 }, ['APPEND', 'ff3', '1.5'], ['INCRBYFLOAT', 'ff3', '1'], ['INCRBYFLOAT', 'ff3', '1e-17'],
  ],
  'incrbyfloat: generated values (seeded)': floatCases(300),
  'object encoding of stored results': [
    ['SET', 'oe1', '123'], ['OBJECT', 'ENCODING', 'oe1'], ['APPEND', 'oe2', '123'], ['OBJECT', 'ENCODING', 'oe2'], ['APPEND', 'oe2', '4'], ['OBJECT', 'ENCODING', 'oe2'],
    ['APPEND', 'oe3', 'abc'], ['OBJECT', 'ENCODING', 'oe3'], ['SETRANGE', 'oe4', '0', '12'], ['OBJECT', 'ENCODING', 'oe4'], ['SET', 'oe5', '12'], ['SETRANGE', 'oe5', '0', '3'],
    ['OBJECT', 'ENCODING', 'oe5'], ['INCR', 'oe5'], ['OBJECT', 'ENCODING', 'oe5'], ['SET', 'oe6', '9223372036854775806'], ['INCR', 'oe6'], ['OBJECT', 'ENCODING', 'oe6'],
    ['INCRBY', 'oe7', '9007199254740993'], ['OBJECT', 'ENCODING', 'oe7'], ['MSET', 'oe8', '-5', 'oe9', 'x'.repeat(45)], ['OBJECT', 'ENCODING', 'oe8'], ['OBJECT', 'ENCODING', 'oe9'],
    ['SETEX', 'oe10', '100', '77'], ['OBJECT', 'ENCODING', 'oe10'], ['GETSET', 'oe10', '7.5'], ['OBJECT', 'ENCODING', 'oe10'], ['SETNX', 'oe11', '0'], ['OBJECT', 'ENCODING', 'oe11'],
    // Redis stores INCRBYFLOAT's text (embstr/raw); integral results like "2" differ here (compatibility.md)
    ['INCRBYFLOAT', 'oe12', '0.5'], ['OBJECT', 'ENCODING', 'oe12'], ['INCRBYFLOAT', 'oe13', '1e50'], ['OBJECT', 'ENCODING', 'oe13'],
  ],
  'proto-max-bulk-len bounds APPEND and SETRANGE': [
    ['CONFIG', 'SET', 'proto-max-bulk-len', '1mb'], ['SETRANGE', 'pm1', '1048575', 'a'], ['STRLEN', 'pm1'], ['SETRANGE', 'pm1', '1048576', 'a'], ['SETRANGE', 'pm1', '1048575', 'ab'],
    ['APPEND', 'pm1', 'b'], ['SETRANGE', 'pm1', '1048575', 'c'], ['SETRANGE', 'pm1', '2000000', ''], ['GETRANGE', 'pm1', '-3', '-1'], ['SETRANGE', 'pm2', '1048576', 'a'], ['EXISTS', 'pm2'],
    ['SET', 'pm3', 'x'.repeat(1048575)], ['APPEND', 'pm3', 'y'], ['APPEND', 'pm3', 'z'], ['APPEND', 'pm3', ''], ['STRLEN', 'pm3'], ['DEL', 'pm1', 'pm3'],
    ['CONFIG', 'SET', 'proto-max-bulk-len', '512mb'],
  ],
  'keyspace hits and misses: reads count, writes do not': [
    ['SET', 'ks1', 'v'], ['SET', 'ks2', 'v'],
    ...[['GET', 'ks1'], ['GET', 'ksx'], ['MGET', 'ks1', 'ksx', 'ksx'], ['GETRANGE', 'ks1', '0', '1'], ['SUBSTR', 'ksx', '0', '1'], ['STRLEN', 'ks1'], ['STRLEN', 'ksx'],
      ['GETDEL', 'ksx'], ['SET', 'ks3', 'v', 'GET'], ['SET', 'ks3', 'v', 'GET'], ['GETSET', 'ks4', 'x'], ['GETSET', 'ks4', 'y'], ['GETEX', 'ks4'], ['GETEX', 'ksx', 'PERSIST'],
      ['INCR', 'ks5'], ['APPEND', 'ks1', 'x'], ['SETRANGE', 'ks1', '0', 'x'], ['INCRBYFLOAT', 'ks6', '1'], ['MSETNX', 'ks1', '1'], ['SETNX', 'ks1', '1'],
      ['SET', 'ks1', 'v', 'NX'], ['SETEX', 'ks1', '10', 'v'], ['GETDEL', 'ks2']].flatMap((cmd) => stats(...cmd)),
  ],
  'resp3 replies': [
    // HELLO's reply carries the server version and connection id, which differ by design
    { cmd: ['HELLO', '3'], normalize: (raw) => raw.slice(0, 2) },
    ['SET', 'r3a', '1'], ['MGET', 'r3a', 'r3x'], ['GETDEL', 'r3x'], ['GETEX', 'r3x'], ['GETSET', 'r3y', 'v'], ['SET', 'r3y', 'w', 'GET'], ['INCRBYFLOAT', 'r3a', '0.5'],
    ['INCR', 'r3b'], ['GETRANGE', 'r3x', '0', '1'], ['MSETNX', 'r3a', 'x'], ['SETNX', 'r3c', 'x'], ['MSET', 'r3d', 'x'], ['GETRANGE', 'r3a', '0', '0'],
  ],
  // arity of every command
  'wrong arity': [
    ['SETNX', 'a'], ['SETEX', 'a', '1'], ['PSETEX', 'a'], ['GETSET', 'a'], ['GETDEL'], ['GETEX'], ['MGET'], ['MSET', 'a'], ['MSETNX', 'a'], ['APPEND', 'a'], ['STRLEN'],
    ['GETRANGE', 'a', '1'], ['SUBSTR', 'a'], ['SETRANGE', 'a', '1'], ['INCR'], ['DECR', 'a', 'b'], ['INCRBY', 'a'], ['DECRBY'], ['INCRBYFLOAT', 'a'], ['setnx'], ['Mset', 'a', 'b', 'c'],
  ],
});
