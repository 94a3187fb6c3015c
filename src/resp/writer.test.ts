import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RespWriter, formatDouble } from './writer.js';

function written(proto: 2 | 3, fill: (w: RespWriter) => void): string {
  const w = new RespWriter();
  w.proto = proto;
  fill(w);
  return w.take()?.toString('latin1') ?? '';
}

const both = (fill: (w: RespWriter) => void) => [written(2, fill), written(3, fill)];

test('simple, error, int and bulk are the same in both protocols', () => {
  assert.equal(both((w) => w.simple('PONG')), ['+PONG\r\n', '+PONG\r\n']);
  assert.equal(both((w) => w.error('ERR x\r\ny')), ['-ERR x  y\r\n', '-ERR x  y\r\n']);
  for (const n of [0, -1, 1024, 1025, -2, -12345, 10, 100, 9007199254740991, -9007199254740991, 2 ** 53, -9223372036854775808n]) {
    assert.equal(both((w) => w.int(n)), [`:${n}\r\n`, `:${n}\r\n`]);
  }
  assert.equal(both((w) => w.bulk('')), ['$0\r\n\r\n', '$0\r\n\r\n']);
  const binary = '\x00\xff\r\n' + 'x'.repeat(100);
  assert.equal(written(2, (w) => w.bulk(binary)), `$${binary.length}\r\n${binary}\r\n`);
  assert.equal(written(2, (w) => w.bulkBuffer(Buffer.from([0, 255]))), '$2\r\n\x00\xff\r\n');
  assert.equal(written(2, (w) => w.ok()), '+OK\r\n');
});

test('integers at every digit-count boundary, around 2^31, random, both signs, up to 2^53-1', () => {
  const values: number[] = [Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
  for (let p = 10; p <= 1e15; p *= 10) values.push(p - 1, p, p + 1, -(p - 1), -p, -(p + 1));
  // around 2^31, where the digits switch from double to int32 arithmetic, and random ones
  for (const b of [2 ** 31, 2 ** 32]) values.push(b - 2, b - 1, b, b + 1, b + 9, -(b - 1), -b, -(b + 1));
  let seed = 3;
  for (let i = 0; i < 2000; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const n = Math.floor((seed / 2 ** 32) * 10 ** (i % 16)) * (i % 2 ? -1 : 1);
    values.push(i % 7 === 0 ? Number.MAX_SAFE_INTEGER - (seed % 1000) : n);
  }
  for (const n of values) assert.equal(both((w) => w.int(n)), [`:${n}\r\n`, `:${n}\r\n`], String(n));
  assert.equal(both((w) => w.array(123456789)), ['*123456789\r\n', '*123456789\r\n']);
});

test('nulls: $-1 / *-1 in RESP2, _ in RESP3', () => {
  assert.equal(both((w) => w.nil()), ['$-1\r\n', '_\r\n']);
  assert.equal(both((w) => w.nilArray()), ['*-1\r\n', '_\r\n']);
});

test('aggregates downgrade for RESP2', () => {
  assert.equal(both((w) => w.array(2)), ['*2\r\n', '*2\r\n']);
  for (const n of [0, 9, 10, 99, 100, 999, 1000, 9999, 10000, 123456789012]) {
    assert.is(written(2, (w) => w.array(n)), `*${n}\r\n`);
    const s = 'z'.repeat(n % 1000);
    assert.is(written(2, (w) => w.bulk(s)), `$${s.length}\r\n${s}\r\n`);
  }
  assert.equal(both((w) => w.map(2)), ['*4\r\n', '%2\r\n']);
  assert.equal(both((w) => w.set(3)), ['*3\r\n', '~3\r\n']);
  assert.equal(both((w) => w.push(3)), ['*3\r\n', '>3\r\n']);
  assert.equal(both((w) => w.bulks(['a', null])), ['*2\r\n$1\r\na\r\n$-1\r\n', '*2\r\n$1\r\na\r\n_\r\n']);
});

test('double, boolean, big number, verbatim', () => {
  assert.equal(both((w) => w.double(1.5)), ['$3\r\n1.5\r\n', ',1.5\r\n']);
  assert.equal(both((w) => w.double(Infinity)), ['$3\r\ninf\r\n', ',inf\r\n']);
  assert.equal(both((w) => w.bool(true)), [':1\r\n', '#t\r\n']);
  assert.equal(both((w) => w.bool(false)), [':0\r\n', '#f\r\n']);
  assert.equal(both((w) => w.bigNumber('1234567890123456789012')), ['$22\r\n1234567890123456789012\r\n', '(1234567890123456789012\r\n']);
  assert.equal(both((w) => w.verbatim('a\r\nb')), ['$4\r\na\r\nb\r\n', '=8\r\ntxt:a\r\nb\r\n']);
  assert.is(formatDouble(-Infinity), '-inf');
  assert.is(formatDouble(NaN), 'nan');
});

test('the buffer grows for large replies and take() empties it', () => {
  const w = new RespWriter();
  const big = 'y'.repeat(3 * 1024 * 1024);
  w.bulk(big);
  assert.is(w.pending, big.length + 12);
  const out = w.take()!;
  assert.is(out.toString('latin1', 0, 10), `$${big.length}\r\n`);
  assert.is(w.pending, 0);
  assert.is(w.take(), null);
  w.simple('OK');
  assert.is(w.take()!.toString(), '+OK\r\n');
});

test.run();
