/*
 * formatDouble against what redis-server 7.0.15 answers (ZSCORE of a skiplist-encoded member):
 * printf's "%.17g", ties rounded to even on the exact binary value, as glibc does.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDouble } from './writer.js';

const REDIS: Array<[number, string]> = [
  [0.1, '0.10000000000000001'], [1e20, '1e+20'], [3.0, '3'], [-0.0, '-0'], [0, '0'], [1.5e-7, '1.4999999999999999e-07'],
  [69253.92150878906, '69253.921508789062'], [-66500306129455.56, '-66500306129455.562'], [1e16, '10000000000000000'],
  [9999999999999998, '9999999999999998'], [1e17, '1e+17'], [123456789012345678, '1.2345678901234568e+17'], [0.0001, '0.0001'],
  [0.00001, '1.0000000000000001e-05'], [1e-310, '9.9999999999999694e-311'], [1.7976931348623157e308, '1.7976931348623157e+308'],
  [5e-324, '4.9406564584124654e-324'], [-2.5, '-2.5'], [100, '100'], [1e15, '1000000000000000'],
  [Infinity, 'inf'], [-Infinity, '-inf'],
];

test('formatDouble is Redis 7.0 "%.17g"', () => {
  for (const [d, want] of REDIS) assert.is(formatDouble(d), want, String(d));
});

test('ties at the 17th digit round to even (V8 rounds them away from zero)', () => {
  // 69253.9215087890625 and 0.5000000000000000625-like exact values
  assert.is(formatDouble(69253.9215087890625), '69253.921508789062');
  assert.is(formatDouble(2 ** -1 + 2 ** -53), '0.50000000000000011');
  assert.is(formatDouble(-(2 ** 52 + 0.5)), '-4503599627370496');
  assert.is(formatDouble(2 ** 52 + 1.5), '4503599627370498');
});

test.run();
