import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { lzfCompress, lzfDecompress } from './lzf.js';
import { decodeListpack, encodeListpack } from './listpack.js';
import { decodeIntset, encodeIntset } from './intset.js';
import { decodeZiplist } from './ziplist.js';
import { crc64 } from './crc64.js';
import { dumpPayload, loadPayload } from './dump-payload.js';
import { BadFormat } from './bytes.js';
import type { RdbLimits } from './rdb-value.js';
import { HashValue } from '../hash-value.js';
import { ListValue } from '../list-value.js';
import { readRdb, RdbError, writeRdb } from './rdb-file.js';
import { keyDigest } from '../dataset-digest.js';
import { SetValue } from '../set-value.js';

const LIMITS: RdbLimits = { hashEntries: 128, hashValue: 64, setIntsetEntries: 512, zsetEntries: 128, zsetValue: 64, listFill: -2, listCompressDepth: 0 };

test('LZF: what it compresses decompresses to the input; null when it does not fit', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 3000 }), fc.integer({ min: 1, max: 4 }), (raw, alphabet) => {
      const input = raw.map((b) => b % (alphabet * 3 + 1));
      const packed = lzfCompress(input, input.length + 64);
      assert.ok(packed !== null);
      assert.equal(lzfDecompress(packed!, input.length), input);
      const tight = lzfCompress(input, input.length - 4);
      if (tight !== null) assert.ok(tight.length <= input.length - 4);
    }),
    { numRuns: 300 },
  );
  assert.is(lzfCompress(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 4), null);
});

test('LZF: the bytes Redis writes for 40 a (from redis-server DUMP)', () => {
  const packed = lzfCompress(new Uint8Array(40).fill(97), 36)!;
  assert.is(Buffer.from(packed).toString('hex'), '016161e01b00016161');
});

test('LZF decompression refuses malformed input', () => {
  assert.is(lzfDecompress(new Uint8Array([5, 1, 2]), 6), null); // literal run past the end
  assert.is(lzfDecompress(new Uint8Array([0x20, 0x05]), 3), null); // reference before the start
  assert.is(lzfDecompress(new Uint8Array([0, 65]), 2), null); // shorter than announced
  assert.is(lzfDecompress(new Uint8Array([0, 65]), 4_000_000_000), null); // a hostile length, not allocated
});

test('CRC-64/Jones check value', () => {
  assert.is(Buffer.from(crc64(Buffer.from('123456789'))).reverse().toString('hex'), 'e9c6d914c4b8d9ca');
});

test('listpack round trips, integers in every width and strings of every length class', () => {
  const entries = ['0', '127', '128', '-1', '-4096', '4095', '4096', '-32768', '32767', '8388607', '-8388608', '2147483647', '-2147483648',
    '9223372036854775807', '-9223372036854775808', '9223372036854775808', '01', '-0', '', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(4095), 'w'.repeat(4096), '\x00\xff'];
  assert.equal(decodeListpack(encodeListpack(entries)), entries);
  fc.assert(fc.property(fc.array(fc.string({ unit: 'binary-ascii', maxLength: 200 }), { maxLength: 50 }), (xs) => {
    assert.equal(decodeListpack(encodeListpack(xs)), xs);
  }));
  const lp = encodeListpack(['a']);
  assert.throws(() => decodeListpack(lp.subarray(0, lp.length - 1)), (e: unknown) => e instanceof BadFormat);
});

test('intset: widths and order', () => {
  assert.is(Buffer.from(encodeIntset([3, 1, 2])).toString('hex'), '0200000003000000010002000300');
  assert.equal(decodeIntset(encodeIntset([5, -9223372036854775808n, 70000])), ['-9223372036854775808', '5', '70000']);
  assert.throws(() => decodeIntset(Buffer.from('020000000200000002000100', 'hex')), (e: unknown) => e instanceof BadFormat); // unsorted
});

test('ziplist (Redis < 7 payloads): strings and every integer form', () => {
  // zlbytes, zltail, zllen; entries "ab" (0x02), 12 (immediate 0xfd), -2 (int8 0xfe), 1000 (int16 0xc0)
  const body = [0x00, 0x02, 0x61, 0x62, 0x04, 0xfd, 0x02, 0xfe, 0xfe, 0x03, 0xc0, 0xe8, 0x03];
  const total = 10 + body.length + 1;
  const zl = Buffer.alloc(total);
  zl.writeUInt32LE(total, 0);
  zl.writeUInt32LE(10 + 9, 4);
  zl.writeUInt16LE(4, 8);
  Buffer.from(body).copy(zl, 10);
  zl[total - 1] = 0xff;
  assert.equal(decodeZiplist(zl), ['ab', '12', '-2', '1000']);
  zl[10] = 7; // wrong prevlen
  assert.throws(() => decodeZiplist(zl), (e: unknown) => e instanceof BadFormat);
});

test('payloads: version and checksum, and arbitrary bodies never throw', () => {
  const h = new HashValue();
  h.set('f', 'v', { hashEntries: 128, hashValue: 64 });
  const payload = dumpPayload(h, LIMITS)!;
  assert.ok(loadPayload(payload, LIMITS) instanceof HashValue);
  const bad = Uint8Array.from(payload);
  bad[bad.length - 1] ^= 1;
  assert.is(loadPayload(bad, LIMITS), 'checksum');
  assert.is(loadPayload(bad, LIMITS, true) instanceof HashValue, true);
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (body) => {
    const framed = new Uint8Array(body.length + 10);
    framed.set(body);
    framed[body.length] = 10;
    framed.set(crc64(framed.subarray(0, body.length + 2)), body.length + 2);
    const out = loadPayload(framed, LIMITS);
    assert.ok(out !== 'checksum');
  }), { numRuns: 2000 });
  assert.ok(loadPayload(dumpPayload(ListValue.from(['a', 'b']), LIMITS)!, LIMITS) instanceof ListValue);
  // a kind without an RDB form: no payload (DUMP answers DUMP_UNSUPPORTED)
  const odd = { kind: { name: 'odd', encoding: () => 'odd', size: () => 0, copy: (x: unknown) => x } } as unknown as Parameters<typeof dumpPayload>[0];
  assert.is(dumpPayload(odd, LIMITS), null);
});

test('RDB file: what is written reads back (several databases, TTLs, libraries); expired keys are dropped', () => {
  const now = 1_700_000_000_000;
  const list = ListValue.from(['a', 'b', 'c']);
  const hash = new HashValue();
  hash.set('f', 'v', { hashEntries: 128, hashValue: 64 });
  const bytes = writeRdb(
    [['redis-ver', '7.2.4'], ['ctime', '1700000000']],
    ['#!lua name=x\nredis.register_function("f", function() return 1 end)'],
    [
      { id: 0, records: [
        { key: 'str', value: 'hello', expireAt: -1, idle: -1, freq: -1 },
        { key: 'num', value: 42, expireAt: now + 5000, idle: -1, freq: -1 },
        { key: 'gone', value: 'x', expireAt: now - 1, idle: -1, freq: -1 },
        { key: 'list', value: list, expireAt: -1, idle: 7, freq: -1 },
      ] },
      { id: 3, records: [{ key: 'hash', value: hash, expireAt: -1, idle: -1, freq: 5 }] },
      { id: 4, records: [] },
    ],
    LIMITS,
  );
  assert.is(Buffer.from(bytes.subarray(0, 9)).toString(), 'REDIS0010');
  const back = readRdb(bytes, LIMITS, now);
  assert.is(back.aux.get('redis-ver'), '7.2.4');
  assert.equal(back.libraries.length, 1);
  assert.equal(back.databases.map((d) => d.id), [0, 3], 'an empty database is not written');
  const db0 = back.databases[0]!.records;
  assert.equal(db0.map((r) => r.key), ['str', 'num', 'list']);
  assert.is(db0[1]!.expireAt, now + 5000);
  assert.is(db0[2]!.idle, 7);
  assert.equal((db0[2]!.value as ListValue).toArray(), ['a', 'b', 'c']);
  assert.is(back.databases[1]!.records[0]!.freq, 5);
  // a flipped byte fails the checksum; a cut file is a short read; other bytes are no RDB file
  const bad = Uint8Array.from(bytes);
  bad[12]! ^= 1;
  assert.throws(() => readRdb(bad, LIMITS, now), (e: unknown) => e instanceof RdbError);
  assert.throws(() => readRdb(bytes.subarray(0, bytes.length - 12), LIMITS, now), (e: unknown) => e instanceof RdbError && /Short read/.test(e.message));
  assert.throws(() => readRdb(Buffer.from('hello world'), LIMITS, now), (e: unknown) => e instanceof RdbError && /signature/.test(e.message));
});

test('dataset digest: a set is order-free, a list is not, a TTL counts', () => {
  const a = new SetValue();
  const b = new SetValue();
  for (const m of ['x', 'y', 'z']) a.add(m, 512);
  for (const m of ['z', 'x', 'y']) b.add(m, 512);
  assert.equal(keyDigest('k', a, false), keyDigest('k', b, false));
  assert.not.equal(keyDigest('k', a, false), keyDigest('k', a, true));
  assert.not.equal(keyDigest('k', ListValue.from(['1', '2']), false), keyDigest('k', ListValue.from(['2', '1']), false));
  assert.not.equal(keyDigest('k', 'v', false), keyDigest('j', 'v', false));
});

test.run();
