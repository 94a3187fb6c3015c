import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bytesAre, decodeAll, encodeEntry, entryEnd, entryStart, flatString } from './packed-entries.js';

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

test('bytesAre compares a run of chars with a string, every byte counting', () => {
  const packed = flatString(...SAMPLES.map(encodeEntry));
  let at = 0;
  for (const s of SAMPLES) {
    const start = entryStart(packed, at);
    assert.ok(bytesAre(packed, start, s), JSON.stringify(s.slice(0, 20)));
    if (s.length > 0) {
      // one byte changed anywhere (first, middle, last) is a difference
      for (const i of [0, s.length >> 1, s.length - 1]) {
        const other = s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) ^ 1) + s.slice(i + 1);
        assert.not.ok(bytesAre(packed, start, other), `byte ${i} of ${s.length}`);
      }
    }
    at = entryEnd(packed, at);
  }
  // a run inside a longer string, and the empty run
  assert.ok(bytesAre('xxvalue:00001yy', 2, 'value:00001'));
  assert.not.ok(bytesAre('xxvalue:00002yy', 2, 'value:00001'));
  assert.ok(bytesAre('abc', 1, ''));
});

test.run();
