/*
 * int64: Redis's string2ll acceptance rules and exact arithmetic at the bounds.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { addInt64, INT64_MAX, INT64_MIN, negateInt64, normalize, parseInt64 } from './int64.js';

test('parseInt64 accepts canonical integers, as number within 2^53 and bigint beyond', () => {
  assert.is(parseInt64('0'), 0);
  assert.is(parseInt64('7'), 7);
  assert.is(parseInt64('-7'), -7);
  assert.is(parseInt64('123456789012345'), 123456789012345);
  assert.is(parseInt64('9007199254740991'), 9007199254740991);
  assert.is(parseInt64('-9007199254740991'), -9007199254740991);
  assert.is(parseInt64('9007199254740992'), 9007199254740992n);
  assert.is(parseInt64('9007199254740993'), 9007199254740993n);
  assert.is(parseInt64('9223372036854775807'), INT64_MAX);
  assert.is(parseInt64('-9223372036854775808'), INT64_MIN);
});

test('parseInt64 refuses what string2ll refuses', () => {
  for (const s of ['', '-', '+1', ' 1', '1 ', '01', '-01', '00', '-0', '1.0', '1e3', '0x10', '10.5', 'abc', '1\x00', '٣',
    '9223372036854775808', '-9223372036854775809', '18446744073709551616', '123456789012345678901', '99999999999999999999'])
    assert.is(parseInt64(s), null, JSON.stringify(s));
  assert.is(parseInt64('+5'), null);
  assert.is(parseInt64('-5'), -5);
});

test('addInt64 is exact and reports overflow at both bounds', () => {
  assert.is(addInt64(1, 2), 3);
  assert.is(addInt64(9007199254740991, 1), 9007199254740992n);
  assert.is(addInt64(9007199254740992n, -1), 9007199254740991); // back to a number: one representation per value
  assert.is(addInt64(9007199254740991, 9007199254740991), 18014398509481982n);
  assert.is(addInt64(INT64_MAX, 0), INT64_MAX);
  assert.is(addInt64(INT64_MAX, 1), null);
  assert.is(addInt64(INT64_MIN, -1), null);
  assert.is(addInt64(INT64_MIN, INT64_MAX), -1);
  assert.is(addInt64(INT64_MAX, INT64_MIN), -1);
  assert.is(addInt64(INT64_MIN, 0), INT64_MIN);
  assert.is(addInt64(INT64_MAX, INT64_MAX), null);
  assert.is(addInt64(INT64_MIN, INT64_MIN), null);
});

test('negateInt64 and normalize', () => {
  assert.is(negateInt64(5), -5);
  assert.is(Object.is(negateInt64(0), 0), true); // never -0
  assert.is(negateInt64(INT64_MAX), -9223372036854775807n);
  assert.is(negateInt64(INT64_MIN), null);
  assert.is(normalize(42n), 42);
  assert.is(normalize(-9007199254740992n), -9007199254740992n);
});

test.run();
