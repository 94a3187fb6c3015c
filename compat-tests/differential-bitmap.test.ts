/*
 * Differential bitmap family: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO,
 * byte for byte against redis-server, in RESP2 and RESP3, with every error path and generated
 * cases (random strings and ranges, random BITFIELD programs). WRONGTYPE replies are checked in
 * bitmap-hyperloglog-wrongtype.test.ts (no other data type exists on this branch).
 */
import { differentialSuite, type Script } from './differential.js';

const MAX = '9223372036854775807';
const MIN = '-9223372036854775808';
const BIN = '\x00\xff\x0f\xf0\x80\x01\xaa\x55';

/** A deterministic stream of numbers in [0, 1) (mulberry32), so generated cases are stable. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random strings (biased to 0x00/0xff runs) and BITCOUNT/BITPOS over random ranges. */
function rangeCases(count: number, seed: number): Script {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const script: Script = [];
  for (let i = 0; i < count; i++) {
    const len = int(12);
    const kind = int(3);
    const bytes = Array.from({ length: len }, () => (kind === 0 ? 0xff : kind === 1 ? 0 : int(256)));
    if (len > 0 && int(2)) bytes[int(len)] = int(256);
    script.push(['SET', 'r', Buffer.from(bytes)]);
    const idx = () => String(int(3) === 0 ? -int(len * 8 + 3) : int(len * 8 + 3));
    const unit = ['BYTE', 'BIT', 'bit', 'byte'][int(4)]!;
    script.push(['BITCOUNT', 'r', idx(), idx(), unit], ['BITCOUNT', 'r', idx(), idx()]);
    const bit = String(int(2));
    script.push(['BITPOS', 'r', bit], ['BITPOS', 'r', bit, idx()], ['BITPOS', 'r', bit, idx(), idx()], ['BITPOS', 'r', bit, idx(), idx(), unit]);
  }
  return script;
}

/** Random BITFIELD programs over one key: every type width, offsets, overflow modes. */
function bitfieldCases(count: number, seed: number): Script {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const values = [MAX, MIN, '0', '1', '-1', '127', '-128', '255', '256', '9223372036854775806', '-9223372036854775807', '4294967296', '-4294967297'];
  const value = () => (int(2) ? values[int(values.length)]! : String(int(2) ? int(1 << 20) - (1 << 19) : int(300) - 150));
  const script: Script = [];
  for (let i = 0; i < count; i++) {
    const cmd = ['BITFIELD', 'bf'];
    const n = 1 + int(4);
    for (let j = 0; j < n; j++) {
      if (int(4) === 0) cmd.push('OVERFLOW', ['WRAP', 'SAT', 'FAIL', 'sat', 'fail'][int(5)]!);
      const signed = int(2) === 0;
      const bits = signed ? 1 + int(64) : 1 + int(63);
      const type = (signed ? 'i' : 'u') + bits;
      const offset = int(3) === 0 ? '#' + int(6) : String(int(100));
      const op = int(3);
      if (op === 0) cmd.push('GET', type, offset);
      else if (op === 1) cmd.push('SET', type, offset, value());
      else cmd.push('INCRBY', type, offset, value());
    }
    script.push(cmd);
    if (int(4) === 0) script.push(['GET', 'bf']);
  }
  script.push(['GET', 'bf'], ['STRLEN', 'bf']);
  return script;
}

// HELLO's reply carries the server version and connection id, which differ by design
const hello3 = { cmd: ['HELLO', '3'], normalize: (raw: string) => raw.slice(0, 2) };

differentialSuite('differential: bitmaps', {
  'setbit and getbit': [
    ['SETBIT', 'b', '7', '1'], ['GET', 'b'], ['SETBIT', 'b', '7', '1'], ['SETBIT', 'b', '7', '0'], ['GET', 'b'], ['STRLEN', 'b'],
    ['SETBIT', 'b', '100', '1'], ['STRLEN', 'b'], ['GET', 'b'], ['GETBIT', 'b', '100'], ['GETBIT', 'b', '101'], ['GETBIT', 'b', '99999'],
    ['GETBIT', 'missing', '0'], ['GETBIT', 'missing', '4294967295'], ['SETBIT', 'z', '30', '0'], ['GET', 'z'], ['EXISTS', 'z'],
    ['OBJECT', 'ENCODING', 'b'], ['SETBIT', 'b', '0', '1'], ['GET', 'b'],
  ],
  'setbit on int and short strings': [
    ['SET', 'n', '12345'], ['OBJECT', 'ENCODING', 'n'], ['GETBIT', 'n', '2'], ['SETBIT', 'n', '2', '1'], ['GET', 'n'], ['OBJECT', 'ENCODING', 'n'],
    ['SET', 'e', 'abc'], ['SETBIT', 'e', '1', '1'], ['OBJECT', 'ENCODING', 'e'], ['SET', 'e', 'abc'], ['SETBIT', 'e', '1', '0'], ['GET', 'e'],
    ['SET', 'e2', 'abc'], ['SETBIT', 'e2', '1', '1'], ['OBJECT', 'ENCODING', 'e2'], ['SETBIT', 'e2', '40', '1'], ['GET', 'e2'], ['APPEND', 'e2', 'zz'], ['GET', 'e2'],
    ['SET', 'ttl', 'v', 'EX', '100'], ['SETBIT', 'ttl', '100', '1'], { cmd: ['TTL', 'ttl'], tolerance: 1 },
  ],
  'setbit and getbit errors': [
    ['SETBIT', 'b', '-1', '1'], ['SETBIT', 'b', 'x', '1'], ['SETBIT', 'b', '1.5', '1'], ['SETBIT', 'b', '4294967296', '1'], ['SETBIT', 'b', MAX, '1'],
    ['SETBIT', 'b', '0', '2'], ['SETBIT', 'b', '0', '-1'], ['SETBIT', 'b', '0', 'x'], ['SETBIT', 'b', '0', ''], ['SETBIT', 'b', '#1', '1'], ['SETBIT', 'b', '-1', 'x'],
    ['GETBIT', 'b', '-1'], ['GETBIT', 'b', 'x'], ['GETBIT', 'b', '4294967296'], ['GETBIT', 'b'], ['SETBIT', 'b', '1'], ['GETBIT', 'b', '1', '2'], ['EXISTS', 'b'],
  ],
  'offsets follow proto-max-bulk-len': [
    ['CONFIG', 'SET', 'proto-max-bulk-len', '1mb'], ['SETBIT', 'p', '8388608', '1'], ['SETBIT', 'p', '8388607', '1'], ['STRLEN', 'p'], ['GETBIT', 'p', '8388608'],
    ['BITFIELD', 'p', 'GET', 'u8', '8388607'], ['BITFIELD', 'p', 'GET', 'u8', '8388608'], ['BITFIELD', 'p', 'SET', 'u8', '#1048575', '1'], ['BITFIELD', 'p', 'SET', 'u8', '#1048576', '1'],
    ['CONFIG', 'SET', 'proto-max-bulk-len', '512mb'],
  ],
  'bitcount': [
    ['SET', 's', 'foobar'], ['BITCOUNT', 's'], ['BITCOUNT', 's', '0', '0'], ['BITCOUNT', 's', '1', '1'], ['BITCOUNT', 's', '1', '-2'], ['BITCOUNT', 's', '-1', '-1'],
    ['BITCOUNT', 's', '5', '30'], ['BITCOUNT', 's', '-100', '100'], ['BITCOUNT', 's', '3', '1'], ['BITCOUNT', 's', '-1', '-3'], ['BITCOUNT', 's', MIN, MAX], ['BITCOUNT', 's', MAX, MAX],
    ['BITCOUNT', 's', '1', '5', 'BIT'], ['BITCOUNT', 's', '5', '30', 'BIT'], ['BITCOUNT', 's', '0', '-1', 'bit'], ['BITCOUNT', 's', '-5', '-1', 'BIT'], ['BITCOUNT', 's', '7', '8', 'BIT'],
    ['BITCOUNT', 's', '0', '0', 'BYTE'], ['BITCOUNT', 's', '9', '9', 'BIT'], ['BITCOUNT', 's', '47', '100', 'BIT'], ['BITCOUNT', 's', '48', '100', 'BIT'],
    ['SET', 'empty', ''], ['BITCOUNT', 'empty'], ['BITCOUNT', 'empty', '0', '-1'], ['BITCOUNT', 'empty', '0', '0', 'BIT'], ['BITCOUNT', 'missing'],
    ['SET', 'num', '-1234567890'], ['BITCOUNT', 'num'], ['BITCOUNT', 'num', '2', '4'], ['SET', 'bin', BIN], ['BITCOUNT', 'bin'], ['BITCOUNT', 'bin', '1', '6', 'BIT'],
  ],
  'bitcount errors and their order': [
    ['SET', 's', 'foobar'], ['BITCOUNT', 's', '1'], ['BITCOUNT', 's', 'a', '1'], ['BITCOUNT', 's', '1', 'a'], ['BITCOUNT', 's', '0', '1', 'FOO'], ['BITCOUNT', 's', '-1', '-2', 'FOO'],
    ['BITCOUNT', 's', '0', '1', 'BIT', 'x'], ['BITCOUNT', 's', '1.5', '2'], ['BITCOUNT', 'missing', 'a', 'b'], ['BITCOUNT', 'missing', '1'], ['BITCOUNT'],
  ],
  'bitpos': [
    ['SET', 's', '\xff\xf0\x00'], ['BITPOS', 's', '0'], ['BITPOS', 's', '1'], ['BITPOS', 's', '1', '2'], ['BITPOS', 's', '0', '1'], ['BITPOS', 's', '1', '1', '1'], ['BITPOS', 's', '0', '-1'],
    ['SET', 'f', '\xff\xff\xff'], ['BITPOS', 'f', '0'], ['BITPOS', 'f', '0', '0'], ['BITPOS', 'f', '0', '1'], ['BITPOS', 'f', '0', '0', '-1'], ['BITPOS', 'f', '0', '0', '1'], ['BITPOS', 'f', '1', '3'],
    ['BITPOS', 'f', '0', '3'], ['BITPOS', 'f', '0', '2', '1'], ['BITPOS', 'f', '0', '0', '-1', 'BIT'], ['BITPOS', 'f', '0', '5', 'BIT'], ['BITPOS', 'f', '0', '5', '12', 'BIT'],
    ['SET', 'z', '\x00\x00\x00'], ['BITPOS', 'z', '1'], ['BITPOS', 'z', '0'], ['BITPOS', 'z', '1', '0', '-1'], ['BITPOS', 'z', '0', '5', '12', 'BIT'], ['BITPOS', 'z', '1', '5', '12', 'bit'],
    ['SET', 'm', '\x00\x01\x80\x00'], ['BITPOS', 'm', '1', '8', '14', 'BIT'], ['BITPOS', 'm', '1', '8', '15', 'BIT'], ['BITPOS', 'm', '1', '16', '16', 'BIT'], ['BITPOS', 'm', '1', '17', '31', 'BIT'],
    ['BITPOS', 'm', '0', '15', '16', 'BIT'], ['BITPOS', 'm', '1', '-17', '-1', 'BIT'], ['BITPOS', 'm', '1', '2', '1'], ['BITPOS', 'm', '0', MIN, MAX], ['BITPOS', 'm', '1', MIN, MAX, 'BIT'],
    ['BITPOS', 'missing', '0'], ['BITPOS', 'missing', '1'], ['BITPOS', 'missing', '0', '5', '10'], ['SET', 'empty', ''], ['BITPOS', 'empty', '0'], ['BITPOS', 'empty', '1'], ['BITPOS', 'empty', '0', '0'],
    ['SET', 'num', '1'], ['BITPOS', 'num', '0'], ['BITPOS', 'num', '1'],
  ],
  'bitpos errors and their order': [
    ['SET', 's', 'ab'], ['BITPOS', 's', '2'], ['BITPOS', 's', '-1'], ['BITPOS', 's', 'x'], ['BITPOS', 's', '1', 'x'], ['BITPOS', 's', '1', '0', 'x'], ['BITPOS', 's', '1', '0', '1', 'FOO'],
    ['BITPOS', 's', '1', '0', 'x', 'FOO'], ['BITPOS', 's', '1', 'x', '1', 'FOO'], ['BITPOS', 's', '1', '0', '1', 'BIT', 'x'], ['BITPOS', 'missing', '0', 'x'], ['BITPOS', 'missing', '2'], ['BITPOS', 's'],
  ],
  'bitop': [
    ['SET', 'a', 'foobar'], ['SET', 'b', 'abcdef'], ['SET', 'c', 'xy'], ['BITOP', 'AND', 'd', 'a', 'b'], ['GET', 'd'], ['BITOP', 'or', 'd', 'a', 'b', 'c'], ['GET', 'd'],
    ['BITOP', 'XOR', 'd', 'a', 'c'], ['GET', 'd'], ['BITOP', 'AND', 'd', 'a', 'c'], ['GET', 'd'], ['BITOP', 'NOT', 'd', 'c'], ['GET', 'd'], ['OBJECT', 'ENCODING', 'd'],
    ['BITOP', 'AND', 'd', 'a', 'missing'], ['GET', 'd'], ['BITOP', 'OR', 'd', 'missing', 'a'], ['GET', 'd'], ['BITOP', 'XOR', 'd', 'a', 'a'], ['GET', 'd'], ['BITOP', 'AND', 'd', 'a'], ['GET', 'd'],
    ['SET', 'n', '123'], ['BITOP', 'NOT', 'd', 'n'], ['GET', 'd'], ['SET', 'bin', BIN], ['BITOP', 'NOT', 'bin2', 'bin'], ['GET', 'bin2'], ['BITOP', 'XOR', 'd', 'bin', 'bin2', 'a'], ['GET', 'd'],
    ['SET', 'ttl', 'x', 'EX', '100'], ['BITOP', 'OR', 'ttl', 'a'], ['TTL', 'ttl'], ['BITOP', 'AND', 'a', 'a', 'b'], ['GET', 'a'],
  ],
  'bitop with an empty result deletes the destination': [
    ['SET', 'd', 'old'], ['BITOP', 'OR', 'd', 'missing1', 'missing2'], ['EXISTS', 'd'], ['SET', 'e', ''], ['SET', 'd', 'old'], ['BITOP', 'NOT', 'd', 'e'], ['EXISTS', 'd'],
    ['BITOP', 'AND', 'nothing', 'missing'], ['EXISTS', 'nothing'], ['SET', 'd', 'x'], ['BITOP', 'AND', 'd', 'e', 'e'], ['EXISTS', 'd'],
  ],
  'bitop errors': [
    ['BITOP', 'NOT', 'd', 'a', 'b'], ['BITOP', 'not', 'd'], ['BITOP', 'FOO', 'd', 'a'], ['BITOP', 'ANDX', 'd', 'a'], ['BITOP', 'AND', 'd'], ['BITOP', 'AND'], ['BITOP', 'NOT', 'd', 'a', 'b', 'c'],
  ],
  'bitfield basics': [
    ['BITFIELD', 'bf', 'SET', 'i8', '0', '100', 'GET', 'u4', '0', 'GET', 'i4', '4', 'INCRBY', 'u2', '102', '1', 'GET', 'i8', '0'], ['GET', 'bf'], ['STRLEN', 'bf'],
    ['BITFIELD', 'bf', 'INCRBY', 'i5', '100', '1', 'GET', 'u4', '0'], ['BITFIELD', 'bf', 'SET', 'u8', '#2', '255', 'GET', 'u8', '#2', 'GET', 'u16', '#1'], ['GET', 'bf'],
    ['BITFIELD', 'bf'], ['BITFIELD', 'missing'], ['BITFIELD', 'missing', 'GET', 'u8', '0', 'GET', 'i64', '100'], ['EXISTS', 'missing'],
    ['BITFIELD', 'bf', 'get', 'I8', '0'], ['BITFIELD', 'bf', 'set', 'u63', '0', MAX], ['BITFIELD', 'bf', 'get', 'u63', '0', 'get', 'i64', '0', 'get', 'i1', '0', 'get', 'u1', '0'],
    ['BITFIELD', 'bf', 'SET', 'i64', '3', MIN, 'GET', 'i64', '3', 'INCRBY', 'i64', '3', '-1', 'GET', 'u63', '3'], ['GET', 'bf'],
    ['SET', 'n', '999'], ['BITFIELD', 'n', 'GET', 'u8', '0', 'SET', 'u8', '0', '65'], ['GET', 'n'], ['OBJECT', 'ENCODING', 'n'],
  ],
  'bitfield overflow': [
    ['BITFIELD', 'o', 'SET', 'u8', '0', '255', 'INCRBY', 'u8', '0', '10', 'OVERFLOW', 'SAT', 'INCRBY', 'u8', '0', '300', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '1', 'GET', 'u8', '0'],
    ['BITFIELD', 'o', 'OVERFLOW', 'SAT', 'SET', 'u8', '0', '-1', 'SET', 'u8', '0', '-200', 'SET', 'u8', '0', '256', 'INCRBY', 'u8', '0', '-300'],
    ['BITFIELD', 'o', 'OVERFLOW', 'FAIL', 'SET', 'u8', '0', '-1', 'SET', 'i8', '0', '128', 'SET', 'i8', '0', '-129', 'SET', 'i8', '0', '-128', 'INCRBY', 'i8', '0', '-1', 'GET', 'i8', '0'],
    ['BITFIELD', 'o', 'OVERFLOW', 'WRAP', 'SET', 'i8', '0', '128', 'SET', 'i8', '0', '-129', 'INCRBY', 'i8', '0', '300', 'SET', 'u8', '0', '-1', 'INCRBY', 'u8', '0', '-300'],
    ['BITFIELD', 'o', 'OVERFLOW', 'SAT', 'SET', 'i8', '0', MIN, 'SET', 'i8', '0', MAX, 'SET', 'i16', '8', MIN, 'INCRBY', 'i8', '0', MIN, 'INCRBY', 'i8', '0', MAX, 'GET', 'i8', '0'],
    ['BITFIELD', 'o', 'OVERFLOW', 'WRAP', 'SET', 'i8', '0', MIN, 'SET', 'i63', '0', MIN, 'SET', 'i64', '0', MAX, 'INCRBY', 'i64', '0', '1', 'INCRBY', 'i64', '0', '-1', 'INCRBY', 'i64', '0', MIN],
    ['BITFIELD', 'o', 'OVERFLOW', 'SAT', 'SET', 'i64', '0', MAX, 'INCRBY', 'i64', '0', '1', 'INCRBY', 'i64', '0', MIN, 'INCRBY', 'i64', '0', MIN, 'INCRBY', 'i64', '0', MIN],
    ['BITFIELD', 'o', 'OVERFLOW', 'FAIL', 'SET', 'u63', '0', '1', 'INCRBY', 'u63', '0', MAX, 'INCRBY', 'u63', '0', '-2', 'SET', 'u63', '0', MIN, 'SET', 'u1', '0', '2'],
    ['BITFIELD', 'o', 'OVERFLOW', 'SAT', 'SET', 'u63', '0', MIN, 'INCRBY', 'u63', '0', MIN, 'OVERFLOW', 'WRAP', 'INCRBY', 'u63', '0', MAX, 'INCRBY', 'u63', '0', MIN], ['GET', 'o'],
  ],
  'bitfield with every write failing still grows the string': [
    ['BITFIELD', 'g', 'OVERFLOW', 'FAIL', 'SET', 'u8', '800', '256'], ['STRLEN', 'g'], ['GET', 'g'], ['BITFIELD', 'g', 'OVERFLOW', 'FAIL', 'INCRBY', 'i8', '900', '200'], ['STRLEN', 'g'],
  ],
  'bitfield errors': [
    ['BITFIELD', 'bf', 'GET'], ['BITFIELD', 'bf', 'GET', 'u8'], ['BITFIELD', 'bf', 'SET', 'u8', '0'], ['BITFIELD', 'bf', 'INCRBY', 'u8', '0'], ['BITFIELD', 'bf', 'FOO', 'u8', '0'],
    ['BITFIELD', 'bf', 'OVERFLOW'], ['BITFIELD', 'bf', 'OVERFLOW', 'BAR'], ['BITFIELD', 'bf', 'GET', 'u64', '0'], ['BITFIELD', 'bf', 'GET', 'i65', '0'], ['BITFIELD', 'bf', 'GET', 'u0', '0'],
    ['BITFIELD', 'bf', 'GET', 'x8', '0'], ['BITFIELD', 'bf', 'GET', 'U8', '0'], ['BITFIELD', 'bf', 'GET', 'u', '0'], ['BITFIELD', 'bf', 'GET', 'u-1', '0'], ['BITFIELD', 'bf', 'GET', 'u08', '0'],
    ['BITFIELD', 'bf', 'GET', 'u8', '-1'], ['BITFIELD', 'bf', 'GET', 'u8', 'x'], ['BITFIELD', 'bf', 'GET', 'u8', '#-1'], ['BITFIELD', 'bf', 'GET', 'u8', '#x'], ['BITFIELD', 'bf', 'GET', 'u8', '##1'],
    ['BITFIELD', 'bf', 'GET', 'u8', '#1152921504606846976'], ['BITFIELD', 'bf', 'GET', 'i64', '#1152921504606846976'], ['BITFIELD', 'bf', 'GET', 'u8', '4294967296'],
    ['BITFIELD', 'bf', 'SET', 'u8', '0', 'x'], ['BITFIELD', 'bf', 'INCRBY', 'u8', '0', '1.5'], ['BITFIELD', 'bf', 'SET', 'u8', '0', '9223372036854775808'],
    ['BITFIELD', 'bf', 'SET', 'u8', '0', '1', 'GET', 'u64', '0'], ['EXISTS', 'bf'], ['BITFIELD', 'bf', 'OVERFLOW', 'SAT', 'OVERFLOW', 'BAD', 'GET', 'u8', '0'], ['BITFIELD'],
  ],
  'bitfield_ro': [
    ['BITFIELD', 'r', 'SET', 'u8', '0', '200'], ['BITFIELD_RO', 'r', 'GET', 'u8', '0', 'GET', 'i8', '0', 'GET', 'u4', '#1'], ['BITFIELD_RO', 'r'], ['BITFIELD_RO', 'missing', 'GET', 'i8', '0'],
    ['BITFIELD_RO', 'r', 'SET', 'u8', '0', '1'], ['BITFIELD_RO', 'r', 'INCRBY', 'u8', '0', '1'], ['BITFIELD_RO', 'r', 'OVERFLOW', 'SAT', 'GET', 'u8', '0'], ['BITFIELD_RO', 'r', 'GET', 'u8', '0', 'SET', 'u64', '0', '1'],
    ['BITFIELD_RO', 'r', 'GET', 'u8', '0', 'SET', 'u8', '0', '1'], ['BITFIELD_RO', 'r', 'GET', 'u8'], ['GET', 'r'],
  ],
  'resp3 replies': [
    hello3, ['BITFIELD', 'x', 'OVERFLOW', 'FAIL', 'SET', 'u8', '0', '256', 'SET', 'u8', '0', '3', 'GET', 'u8', '0'], ['BITFIELD_RO', 'x', 'GET', 'i8', '0'], ['SETBIT', 'x', '1', '1'], ['GETBIT', 'x', '1'],
    ['BITCOUNT', 'x'], ['BITPOS', 'x', '1'], ['BITOP', 'NOT', 'y', 'x'], ['BITFIELD', 'x'], ['BITFIELD', 'x', 'GET', 'u8', 'x'],
  ],
  'random ranges': rangeCases(120, 11),
  'random bitfield programs': bitfieldCases(250, 5),
});
