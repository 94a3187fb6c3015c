/*
 * The bitmap family's pure parts: offsets (with `#` and the proto-max-bulk-len bound), BITFIELD
 * types and operation lists with their first error, and BITOP over strings of unequal length.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bitop, parseBitfieldOps, parseBitOffset, parseFieldType } from './bitmap.js';
import { Err } from '../resp/errors.js';

const MB512 = 512 * 1024 * 1024;

test('parseBitOffset: non-negative, below 2^32 bits by default, # multiplies by the width', () => {
  assert.is(parseBitOffset('0', 0, MB512), 0);
  assert.is(parseBitOffset('4294967295', 0, MB512), 4294967295);
  assert.is(parseBitOffset('4294967296', 0, MB512), null);
  assert.is(parseBitOffset('-1', 0, MB512), null);
  assert.is(parseBitOffset('1.5', 0, MB512), null);
  assert.is(parseBitOffset('#3', 0, MB512), null);
  assert.is(parseBitOffset('#3', 8, MB512), 24);
  assert.is(parseBitOffset('#-1', 8, MB512), null);
  assert.is(parseBitOffset('#536870911', 8, MB512), 4294967288);
  assert.is(parseBitOffset('#536870912', 8, MB512), null);
  // the product wraps around int64 as in C: 2^60 * 16 = 2^64 = 0
  assert.is(parseBitOffset('#1152921504606846976', 16, MB512), 0);
  assert.is(parseBitOffset('8388608', 0, 1024 * 1024), null);
  assert.is(parseBitOffset('8388607', 0, 1024 * 1024), 8388607);
});

test('parseFieldType: i1..i64, u1..u63, lowercase only', () => {
  assert.equal(parseFieldType('i64'), [true, 64]);
  assert.equal(parseFieldType('u63'), [false, 63]);
  assert.equal(parseFieldType('u1'), [false, 1]);
  for (const bad of ['u64', 'i65', 'i0', 'U8', 'I8', 'x8', 'u', 'u08', 'u-1', '', 'u 8']) assert.is(parseFieldType(bad), null, bad);
  assert.equal(parseFieldType('i8\0junk'), [true, 8]);
});

test('parseBitfieldOps: operations in order, OVERFLOW applies to those after it, first error wins', () => {
  const ops = parseBitfieldOps(['bitfield', 'k', 'GET', 'u8', '0', 'OVERFLOW', 'SAT', 'INCRBY', 'i5', '#2', '-3', 'overflow', 'fail', 'set', 'u1', '7', '1'], MB512);
  assert.equal(ops, [
    { op: 0, signed: false, bits: 8, offset: 0, value: 0n, overflow: 0 },
    { op: 2, signed: true, bits: 5, offset: 10, value: -3n, overflow: 1 },
    { op: 1, signed: false, bits: 1, offset: 7, value: 1n, overflow: 2 },
  ]);
  assert.equal(parseBitfieldOps(['bitfield', 'k'], MB512), []);
  const err = (...args: string[]) => parseBitfieldOps(['bitfield', 'k', ...args], MB512);
  assert.is(err('GET', 'u8'), Err.SYNTAX);
  assert.is(err('FOO', 'u8', '0'), Err.SYNTAX);
  assert.is(err('OVERFLOW', 'x'), Err.BITFIELD_OVERFLOW_TYPE);
  assert.is(err('GET', 'u64', 'x'), Err.BITFIELD_TYPE);
  assert.is(err('GET', 'u8', 'x'), Err.BIT_OFFSET);
  assert.is(err('SET', 'u8', '0', 'x'), Err.NOT_INTEGER);
  assert.is(err('GET', 'u8', '0', 'OVERFLOW', 'x', 'GET', 'u64', '0'), Err.BITFIELD_OVERFLOW_TYPE);
});

test('bitop: missing bytes of shorter strings are zeros', () => {
  const a = Uint8Array.from([0xf0, 0x0f, 0xff]);
  const b = Uint8Array.from([0xff]);
  assert.equal(Array.from(bitop(0, [a, b])), [0xf0, 0, 0]);
  assert.equal(Array.from(bitop(1, [a, b])), [0xff, 0x0f, 0xff]);
  assert.equal(Array.from(bitop(2, [a, b])), [0x0f, 0x0f, 0xff]);
  assert.equal(Array.from(bitop(3, [a])), [0x0f, 0xf0, 0x00]);
  assert.equal(Array.from(bitop(0, [b, a])), [0xf0, 0, 0]);
  assert.is(bitop(1, [new Uint8Array(0), new Uint8Array(0)]).length, 0);
});

test.run();
