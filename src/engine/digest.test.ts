import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { digestOf, initDigest, isDigestText } from './digest.js';

test.before(() => initDigest());

test('XXH3-64 known vectors (seed 0)', () => {
  // the empty input: xxHash's reference value; "Hello world": Redis's DIGEST documentation
  assert.is(digestOf(''), '2d06800538d394c2');
  assert.is(digestOf('Hello world'), 'b6acb9d84a38ff74');
  assert.is(digestOf('a'), 'e6c632b61e964e1f');
  assert.is(digestOf('test'), '9ec9f7918d7dfc40');
  assert.is(digestOf('hello'), '9555e8555c62dcfd');
});

test('bytes, not UTF-8: a latin1 string hashes its bytes', () => {
  assert.is(digestOf('\xff'), digestOf(Buffer.from([0xff]).toString('latin1')));
  assert.is.not(digestOf('\xff'), digestOf('\xc3\xbf'));
  // longer inputs take XXH3's other code paths (17-128, 129-240, > 240 bytes)
  for (const n of [16, 17, 128, 129, 240, 241, 1024, 100_000]) assert.is(digestOf('x'.repeat(n)).length, 16);
});

test('digest text validation', () => {
  assert.ok(isDigestText('b6acb9d84a38ff74'));
  assert.ok(isDigestText('B6ACB9D84A38FF74'));
  assert.not.ok(isDigestText('b6acb9d84a38ff7'));
  assert.not.ok(isDigestText('b6acb9d84a38ff74a'));
  assert.not.ok(isDigestText('g6acb9d84a38ff74'));
});

test.run();
