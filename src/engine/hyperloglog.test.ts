/*
 * The HyperLogLog engine against outputs captured from redis-server 7.0.15: the register and run
 * length of single elements (PFDEBUG DECODE after one PFADD), a count, and the exact bytes of a
 * sparse HyperLogLog. Plus the representation's invariants: dense registers, sparse-to-dense
 * conversion, promotion, corruption. (compat-tests/differential-hyperloglog.test.ts compares
 * against a live redis-server.)
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  HLL_DENSE_SIZE,
  HLL_REGISTERS,
  denseGet,
  denseSet,
  hllAdd,
  hllCacheValid,
  hllCachedCount,
  hllCount,
  hllCountRaw,
  hllCreate,
  hllDecodeSparse,
  hllMerge,
  hllPatLen,
  hllRegisters,
  hllSet,
  hllSparseToDense,
  hllStoreCount,
  isHll,
  murmurHash64A,
} from './hyperloglog.js';
import { MutableString } from './values.js';

test('hllPatLen: register and run length as Redis computes them', () => {
  // captured with PFADD t <e>; PFDEBUG DECODE t  →  "Z:<index> v:<count>,1 Z:…"
  const captured: Array<[string, number, number]> = [
    ['a', 12711, 2], ['foo', 7348, 5], ['', 5938, 2], ['hello world!!', 5226, 1], ['0123456789abcdef', 5949, 1], ['redis', 9467, 2],
  ];
  for (const [e, index, count] of captured) assert.equal(hllPatLen(e), [index, count], JSON.stringify(e));
});

test('murmurHash64A: 64-bit arithmetic on halves agrees with BigInt', () => {
  const M = 0xc6a4a7935bd1e995n;
  const mask = (1n << 64n) - 1n;
  const reference = (s: string, seed: bigint): bigint => {
    const bytes = Buffer.from(s, 'latin1');
    let h = (seed ^ (BigInt(bytes.length) * M)) & mask;
    const blocks = bytes.length - (bytes.length % 8);
    for (let i = 0; i < blocks; i += 8) {
      let k = bytes.readBigUInt64LE(i);
      k = (k * M) & mask;
      k ^= k >> 47n;
      k = (k * M) & mask;
      h ^= k;
      h = (h * M) & mask;
    }
    const rest = bytes.length % 8;
    if (rest) {
      for (let r = rest - 1; r >= 0; r--) h ^= BigInt(bytes[blocks + r]!) << BigInt(8 * r);
      h = (h * M) & mask;
    }
    h ^= h >> 47n;
    h = (h * M) & mask;
    h ^= h >> 47n;
    return h;
  };
  for (let len = 0; len < 40; len++) {
    const s = Array.from({ length: len }, (_, i) => String.fromCharCode((i * 37 + len * 11) & 0xff)).join('');
    assert.is(murmurHash64A(s, 0xadc83b19), reference(s, 0xadc83b19n), `length ${len}`);
    assert.is(murmurHash64A(s, 0), reference(s, 0n), `length ${len}, seed 0`);
  }
});

test('a new HyperLogLog is 18 bytes: header, one XZERO, cached count 0', () => {
  const m = hllCreate();
  assert.is(m.len, 18);
  assert.is(m.toString(), 'HYLL\x01\0\0\0\0\0\0\0\0\0\0\0\x7f\xff');
  assert.ok(isHll(m.buf, m.len));
  assert.ok(hllCacheValid(m.buf));
  assert.is(hllCount(m.buf, m.len), 0);
  assert.is(hllDecodeSparse(m.buf, m.len), 'Z:16384');
});

test('200 elements: the sparse bytes and the count are Redis\'s', () => {
  const m = hllCreate();
  for (let i = 1; i <= 200; i++) hllAdd(m, String(i), 3000);
  assert.not.ok(hllCacheValid(m.buf));
  const card = hllCount(m.buf, m.len);
  assert.is(card, 201);
  hllStoreCount(m.buf, card);
  // GET after PFADD t 1..200 and PFCOUNT t on redis-server 7.0.15
  const want =
    '48594c4c01000000c900000000000000407388404690409784208c2a8c404a841c803380404790018440c680407e8016803b802b801c8c4041884091843b8016881084404d8007803680118041418c128038840798406a8404840880318840ed804059842080078040f480418380098040808817801c804040842b80178440778006942e8040aa800a8040ad80018c378833804076804046804052803180405f802c840580404a8001884054904083804054848040898040628440568414802280108c1e84409f980f8040588040948037802480404b8001804121803180328441628040ad94404390406580407990028c407e8040578040ac90038040758040cb881a840c8004802a8c258040db80048c0f8440bf84159440bb8c378c09880c84405c880d804056844045843a940b8c3a80407780318c28802d803c801c8029804072802e884196802a80404b88404b801a8040b084409e804052883e804095800d84405d8840c4841b881588408d804044804095842d800e90388440eb8037843788218440a580406d84407384405280407584298040da80198409804058800680406b8804a0407b8440cd84388c40fb80358422801d882184406f80168c0b801b844099802880404880404a942c801180258c12841c802188179040768840a680404a8c40b880158418883a8040d994408a80407b80404e804098';
  assert.is(Buffer.from(m.buf.subarray(0, m.len)).toString('hex'), want);
});

test('1000 elements count 1001, as on redis-server', () => {
  const m = hllCreate();
  for (let i = 1; i <= 1000; i++) hllAdd(m, String(i), 3000);
  assert.is(hllCount(m.buf, m.len), 1001);
});

test('adding the same element twice changes nothing the second time', () => {
  const m = hllCreate();
  assert.is(hllAdd(m, 'x', 3000), 1);
  const bytes = m.toString();
  assert.is(hllAdd(m, 'x', 3000), 0);
  assert.is(m.toString(), bytes);
});

test('dense registers: 6 bits each, every position, neighbours untouched', () => {
  const buf = new Uint8Array(HLL_DENSE_SIZE);
  for (let i = 0; i < HLL_REGISTERS; i++) denseSet(buf, i, (i * 7) % 64);
  for (let i = 0; i < HLL_REGISTERS; i++) assert.is(denseGet(buf, i), (i * 7) % 64);
  denseSet(buf, 100, 0);
  assert.is(denseGet(buf, 99), (99 * 7) % 64);
  assert.is(denseGet(buf, 101), (101 * 7) % 64);
});

test('sparse and dense hold the same registers and count the same', () => {
  const m = hllCreate();
  for (let i = 0; i < 1500; i++) hllAdd(m, `e${i}`, 100000);
  assert.is(m.buf[4], 1);
  const sparseRegs = hllRegisters(m.buf, m.len)!;
  const sparseCount = hllCount(m.buf, m.len);
  const d = new MutableString(Buffer.from(m.buf.subarray(0, m.len)), m.len);
  assert.ok(hllSparseToDense(d));
  assert.is(d.len, HLL_DENSE_SIZE);
  assert.is(d.buf[4], 0);
  assert.equal(hllRegisters(d.buf, d.len), sparseRegs);
  assert.is(hllCount(d.buf, d.len), sparseCount);
  assert.is(hllCountRaw(sparseRegs), sparseCount);
});

test('promotion: past hll-sparse-max-bytes, and for a value above 32', () => {
  const m = hllCreate();
  let i = 0;
  while (m.buf[4] === 1) hllAdd(m, `p${i++}`, 200);
  assert.is(m.len, HLL_DENSE_SIZE);
  assert.ok(i > 10 && i < 200, `promoted after ${i}`);
  const n = hllCreate();
  assert.is(hllSet(n, 7, 33, 3000), 1);
  assert.is(n.buf[4], 0);
  assert.is(denseGet(n.buf, 7), 33);
  const s = hllCreate();
  assert.is(hllSet(s, 7, 32, 3000), 1);
  assert.is(s.buf[4], 1);
  assert.is(hllDecodeSparse(s.buf, s.len), 'z:7 v:32,1 Z:16376');
});

test('sparse updates: splits, in-place raises and merges of equal neighbours', () => {
  const m = hllCreate();
  hllSet(m, 0, 3, 3000);
  assert.is(hllDecodeSparse(m.buf, m.len), 'v:3,1 Z:16383');
  hllSet(m, 1, 3, 3000);
  assert.is(hllDecodeSparse(m.buf, m.len), 'v:3,2 Z:16382');
  hllSet(m, 3, 3, 3000);
  assert.is(hllDecodeSparse(m.buf, m.len), 'v:3,2 z:1 v:3,1 Z:16380');
  hllSet(m, 2, 3, 3000);
  assert.is(hllDecodeSparse(m.buf, m.len), 'v:3,4 Z:16380');
  hllSet(m, 1, 5, 3000);
  assert.is(hllDecodeSparse(m.buf, m.len), 'v:3,1 v:5,1 v:3,2 Z:16380');
  assert.is(hllSet(m, 1, 4, 3000), 0);
  hllSet(m, 100, 2, 3000);
  assert.is(hllDecodeSparse(m.buf, m.len), 'v:3,1 v:5,1 v:3,2 Z:96 v:2,1 Z:16283');
});

test('corrupted sparse forms are refused', () => {
  const make = (...ops: number[]) => {
    const b = Buffer.concat([Buffer.from('HYLL\x01\0\0\0\0\0\0\0\0\0\0\x80', 'latin1'), Buffer.from(ops)]);
    return new MutableString(b, b.length);
  };
  const short = make(0x40, 0x00);
  assert.is(hllCount(short.buf, short.len), -1);
  assert.is(hllAdd(short, 'a', 3000), -1);
  assert.not.ok(hllSparseToDense(short));
  const long = make(0x7f, 0xfb, 0xff, 0xff);
  assert.is(hllCount(long.buf, long.len), -1);
  assert.not.ok(hllMerge(new Uint8Array(HLL_REGISTERS), long.buf, long.len));
  assert.not.ok(isHll(Buffer.from('HYLL\x02' + '\0'.repeat(11), 'latin1'), 16));
  assert.not.ok(isHll(Buffer.from('HYLL\x00' + '\0'.repeat(11), 'latin1'), 16));
  assert.not.ok(isHll(Buffer.from('HYL', 'latin1'), 3));
});

test('cached cardinality: little-endian, top bit marks it stale', () => {
  const m = hllCreate();
  hllStoreCount(m.buf, 0x123456789a);
  assert.ok(hllCacheValid(m.buf));
  assert.is(hllCachedCount(m.buf), 0x123456789a);
  assert.is(Buffer.from(m.buf.subarray(8, 16)).toString('hex'), '9a78563412000000');
  m.buf.writeBigUInt64LE(0x7fffffffffffffffn, 8);
  assert.is(hllCachedCount(m.buf), 0x7fffffffffffffffn);
});

test.run();
