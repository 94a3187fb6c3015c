import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { atoi, countedKeys } from './movable-keys.js';

test('atoi reads as glibc: space, sign, digits, then anything; saturates to a long, keeps 32 bits', () => {
  assert.is(atoi('12'), 12);
  assert.is(atoi('  \t-7x'), -7);
  assert.is(atoi('+3'), 3);
  assert.is(atoi('2abc'), 2);
  assert.is(atoi('abc'), 0);
  assert.is(atoi(''), 0);
  assert.is(atoi('- 1'), 0);
  assert.is(atoi('4294967297'), 1);
  assert.is(atoi('9223372036854775808'), -1); // LONG_MAX, whose low 32 bits are -1
  assert.is(atoi('-99999999999999999999'), 0); // LONG_MIN's low 32 bits
});

test('countedKeys: keys after a count, the store key last, none for a bad count', () => {
  const zunionstore = countedKeys(2, 3, 1);
  assert.equal(zunionstore(['zunionstore', 'd', '2', 'a', 'b', 'WEIGHTS']).map((k) => k.pos), [3, 4, 1]);
  assert.equal(zunionstore(['zunionstore', 'd', '0', 'a']), []);
  assert.equal(zunionstore(['zunionstore', 'd', '3', 'a', 'b']), []);
  const lmpop = countedKeys(1, 2);
  assert.equal(lmpop(['lmpop', '2x', 'a', 'b', 'LEFT']).map((k) => k.pos), [2, 3]);
  assert.equal(lmpop(['lmpop', '-1', 'a']), []);
});

test.run();
