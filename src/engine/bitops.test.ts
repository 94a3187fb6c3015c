/*
 * Bit operations against simple reference models: counting and searching bits over random
 * ranges, BITFIELD's field access at every width and offset, and its overflow arithmetic
 * (compared with exact arithmetic wherever Redis's int64 checks are exact, plus the cases
 * where they are not). Replies are checked against redis-server in differential-bitmap.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  addSigned,
  addUnsigned,
  bitAt,
  countBits,
  findBit,
  getSignedField,
  getUnsignedField,
  growTo,
  OVERFLOW_FAIL,
  OVERFLOW_SAT,
  OVERFLOW_WRAP,
  popcount,
  setField,
} from './bitops.js';
import { MutableString } from './values.js';

function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const bitsOf = (buf: Uint8Array): number[] => Array.from(buf).flatMap((b) => Array.from({ length: 8 }, (_, i) => (b >> (7 - i)) & 1));

test('popcount, countBits and findBit agree with a bit-by-bit model', () => {
  const rnd = prng(1);
  for (let round = 0; round < 500; round++) {
    const len = 1 + Math.floor(rnd() * 20);
    const fill = Math.floor(rnd() * 3);
    const buf = Uint8Array.from({ length: len }, () => (fill === 0 ? 0 : fill === 1 ? 0xff : Math.floor(rnd() * 256)));
    if (rnd() < 0.5) buf[Math.floor(rnd() * len)] = Math.floor(rnd() * 256);
    const bits = bitsOf(buf);
    assert.is(popcount(buf, 0, len), bits.filter((b) => b === 1).length);
    const a = Math.floor(rnd() * bits.length);
    const b = a + Math.floor(rnd() * (bits.length - a));
    const slice = bits.slice(a, b + 1);
    assert.is(countBits(buf, a, b), slice.filter((x) => x === 1).length, `count ${a}..${b}`);
    for (const bit of [0, 1] as const) {
      const i = slice.indexOf(bit);
      assert.is(findBit(buf, a, b, bit), i < 0 ? -1 : a + i, `find ${bit} in ${a}..${b}`);
    }
  }
});

test('bitAt reads zeros past the end', () => {
  const buf = Uint8Array.from([0x80, 0x01]);
  assert.is(bitAt(buf, 0), 1);
  assert.is(bitAt(buf, 15), 1);
  assert.is(bitAt(buf, 14), 0);
  assert.is(bitAt(buf, 16), 0);
});

test('growTo zero-fills, whatever the spare capacity held', () => {
  const m = new MutableString(Buffer.from([1, 2, 0xaa, 0xbb]), 2);
  assert.is(growTo(m, 4), 0);
  assert.equal(Array.from(m.buf.subarray(0, 4)), [1, 2, 0, 0]);
  growTo(m, 40);
  assert.is(m.len, 40);
  assert.ok(m.buf.subarray(2, 40).every((b) => b === 0));
  assert.is(growTo(m, 10), 0);
  assert.is(m.len, 40);
});

test('fields: every width at unaligned offsets round-trips, neighbours untouched', () => {
  const rnd = prng(2);
  for (let bits = 1; bits <= 64; bits++) {
    const buf = new Uint8Array(16).fill(0xa5);
    const offset = Math.floor(rnd() * 60);
    const value = BigInt.asUintN(bits, BigInt(Math.floor(rnd() * 2 ** 32)) * BigInt(Math.floor(rnd() * 2 ** 32)) + 12345n);
    setField(buf, offset, bits, value);
    assert.is(getUnsignedField(buf, 16, offset, bits), value, `u${bits}@${offset}`);
    assert.is(getSignedField(buf, 16, offset, bits), BigInt.asIntN(bits, value), `i${bits}@${offset}`);
    const model = bitsOf(new Uint8Array(16).fill(0xa5));
    const got = bitsOf(buf);
    for (let i = 0; i < 128; i++) if (i < offset || i >= offset + bits) assert.is(got[i], model[i], `bit ${i} kept`);
  }
  // reads past the string's length are zeros
  const short = Uint8Array.from([0xff, 0xff, 0xff]);
  assert.is(getUnsignedField(short, 1, 4, 8), 0xf0n);
  assert.is(getSignedField(short, 1, 0, 8), -1n);
});

const I64_MAX = (1n << 63n) - 1n;
const I64_MIN = -(1n << 63n);

test('signed overflow: exact sums where Redis checks exactly', () => {
  const rnd = prng(3);
  const pick = (): bigint => {
    const r = rnd();
    if (r < 0.2) return BigInt(Math.floor(rnd() * 600) - 300);
    if (r < 0.4) return [I64_MAX, I64_MIN, 0n, 1n, -1n][Math.floor(rnd() * 5)]!;
    return BigInt.asIntN(64, BigInt(Math.floor(rnd() * 2 ** 32)) << BigInt(Math.floor(rnd() * 33)));
  };
  for (let round = 0; round < 3000; round++) {
    const bits = 1 + Math.floor(rnd() * 64);
    const max = (1n << BigInt(bits - 1)) - 1n;
    const min = -max - 1n;
    const value = BigInt.asIntN(bits, pick()); // a field's current value is always in range
    const incr = pick();
    const sum = value + incr;
    const sat = addSigned(value, incr, bits, OVERFLOW_SAT);
    const wrap = addSigned(value, incr, bits, OVERFLOW_WRAP);
    const fail = addSigned(value, incr, bits, OVERFLOW_FAIL);
    const over = sum > max || sum < min;
    assert.is(sat.overflow, over, `${value} + ${incr} in i${bits}`);
    assert.is(fail.overflow, over);
    assert.is(sat.value, sum > max ? max : sum < min ? min : sum);
    assert.is(wrap.value, BigInt.asIntN(bits, sum));
  }
});

test('signed overflow: where Redis\'s int64 difference wraps (SET i8 with -2^63 saturates high)', () => {
  assert.equal(addSigned(I64_MIN, 0n, 8, OVERFLOW_SAT), { overflow: true, value: 127n });
  assert.equal(addSigned(I64_MIN, 0n, 8, OVERFLOW_WRAP), { overflow: true, value: 0n });
  assert.equal(addSigned(-200n, 0n, 8, OVERFLOW_SAT), { overflow: true, value: -128n });
  assert.equal(addSigned(I64_MAX, 1n, 64, OVERFLOW_WRAP), { overflow: true, value: I64_MIN });
  assert.equal(addSigned(I64_MIN, -1n, 64, OVERFLOW_SAT), { overflow: true, value: I64_MIN });
  assert.equal(addSigned(I64_MIN, I64_MAX, 64, OVERFLOW_SAT), { overflow: false, value: -1n });
});

test('unsigned overflow: exact sums; negative SET values count as huge', () => {
  const rnd = prng(4);
  for (let round = 0; round < 3000; round++) {
    const bits = 1 + Math.floor(rnd() * 63);
    const max = (1n << BigInt(bits)) - 1n;
    const value = BigInt.asUintN(bits, BigInt(Math.floor(rnd() * 2 ** 32)) << BigInt(Math.floor(rnd() * 32)));
    const incr = BigInt(Math.floor(rnd() * 2 ** 32) - 2 ** 31) << BigInt(Math.floor(rnd() * 32));
    const sum = value + incr;
    const sat = addUnsigned(value, incr, bits, OVERFLOW_SAT);
    assert.is(sat.overflow, sum > max || sum < 0n, `${value} + ${incr} in u${bits}`);
    assert.is(sat.value, sum > max ? max : sum < 0n ? 0n : sum);
    assert.is(addUnsigned(value, incr, bits, OVERFLOW_WRAP).value, BigInt.asUintN(bits, sum));
  }
  // SET u8 -1: the value is taken as 2^64-1, beyond the field: saturates to 255, wraps to 255
  assert.equal(addUnsigned(BigInt.asUintN(64, -1n), 0n, 8, OVERFLOW_SAT), { overflow: true, value: 255n });
  assert.equal(addUnsigned(BigInt.asUintN(64, -200n), 0n, 8, OVERFLOW_WRAP), { overflow: true, value: 56n });
});

test.run();
