import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { latin1, SHORT_MAX } from './short-strings.js';

test('every length up to past SHORT_MAX, at every offset, equals latin1Slice (all 256 byte values)', () => {
  const buf = Buffer.alloc(512);
  for (let i = 0; i < buf.length; i++) buf[i] = (i * 151 + 7) & 255;
  for (let n = 0; n <= SHORT_MAX + 8; n++) {
    for (let at = 0; at + n <= 300; at += 7) {
      const s = latin1(buf, at, at + n);
      assert.is(s, buf.latin1Slice(at, at + n), `length ${n} at ${at}`);
      assert.is(Buffer.from(s, 'latin1').equals(buf.subarray(at, at + n)), true);
    }
  }
});

test('bytes 0x00, 0x80 and 0xff survive the round trip', () => {
  const buf = Buffer.from([0x00, 0x80, 0xff, 0x0d, 0x0a]);
  assert.equal([...latin1(buf, 0, 5)].map((c) => c.charCodeAt(0)), [0x00, 0x80, 0xff, 0x0d, 0x0a]);
});

test.run();
