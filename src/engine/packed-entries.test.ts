import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeAll, encodeEntry, entryEnd, entryStart, flatString } from './packed-entries.js';

const SAMPLES = ['', 'a', '\xfe', '\xff\x00\xfe', 'x'.repeat(253), 'y'.repeat(254), 'z'.repeat(70000), '\x00'.repeat(300), 'value:00001'];

test('entries round-trip whatever their length and bytes', () => {
  const packed = flatString(...SAMPLES.map(encodeEntry));
  assert.equal(decodeAll(packed), SAMPLES);
  assert.equal(decodeAll(packed, true), SAMPLES);
  let at = 0;
  for (const s of SAMPLES) {
    assert.is(entryEnd(packed, at) - entryStart(packed, at), s.length);
    at = entryEnd(packed, at);
  }
  assert.is(at, packed.length);
});

test('headers: one byte below 254, five from 254 on', () => {
  assert.is(encodeEntry('x'.repeat(253)).length, 254);
  assert.is(encodeEntry('x'.repeat(254)).length, 259);
  assert.is(encodeEntry('').length, 1);
});

test('flatString concatenates, short and long', () => {
  assert.is(flatString('ab', 'c'), 'abc');
  assert.is(flatString('a'.repeat(10), 'b'.repeat(10)), 'a'.repeat(10) + 'b'.repeat(10));
  const big = 'q'.repeat(200000);
  assert.is(flatString(big, 'r'), big + 'r');
});

test.run();
