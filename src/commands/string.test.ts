/*
 * Pure helpers of the string family: GETRANGE's range rules and SET/GETEX option parsing.
 * (Replies are checked byte for byte against redis-server in compat-tests/differential-string.)
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { INT64_MAX, INT64_MIN } from '../engine/int64.js';
import { parseExtendedStringArgs, parseSetOptions, rangeOf, SET_GET, SET_KEEPTTL, SET_NX, SET_PERSIST, SET_XX } from './string.js';
import { Err } from '../resp/errors.js';

test('rangeOf: negative indexes, clamping, empty ranges', () => {
  assert.equal(rangeOf(11, 0, 3), [0, 4]);
  assert.equal(rangeOf(11, -3, -1), [8, 11]);
  assert.equal(rangeOf(11, 10, 100), [10, 11]);
  assert.equal(rangeOf(11, -100, 2), [0, 3]);
  assert.equal(rangeOf(11, -12, -12), [0, 1]); // both clamp to 0: Redis returns the first byte
  assert.is(rangeOf(11, 5, 3), null);
  assert.is(rangeOf(11, -1, -5), null);
  assert.is(rangeOf(11, 11, 11), null);
  assert.is(rangeOf(0, 0, -1), null);
  assert.is(rangeOf(0, -1, 0), null);
  assert.equal(rangeOf(11, INT64_MIN, INT64_MAX), [0, 11]);
  assert.is(rangeOf(11, INT64_MAX, INT64_MAX), null);
  // start > end must be decided exactly, even where Numbers cannot tell the two apart
  assert.is(rangeOf(11, -9223372036854775807n, INT64_MIN), null);
  assert.equal(rangeOf(11, INT64_MIN, -9223372036854775807n), [0, 1]);
  assert.is(rangeOf(11, -9007199254740992n, -9007199254740993n), null);
});

test('parseExtendedStringArgs: SET options', () => {
  const set = (...opts: string[]) => parseExtendedStringArgs(['set', 'k', 'v', ...opts], true);
  assert.equal(set(), { flags: 0, unit: '', expireArg: '', cmp: '' });
  assert.equal(set('nx', 'GET'), { flags: SET_NX | SET_GET, unit: '', expireArg: '', cmp: '' });
  assert.equal(set('XX', 'xx'), { flags: SET_XX, unit: '', expireArg: '', cmp: '' });
  assert.equal(set('EX', '10', 'ex', '20'), { flags: 0, unit: 'ex', expireArg: '20', cmp: '' });
  assert.equal(set('KEEPTTL', 'keepttl'), { flags: SET_KEEPTTL, unit: '', expireArg: '', cmp: '' });
  for (const bad of [['NX', 'XX'], ['EX', '1', 'PX', '1'], ['EX', '1', 'KEEPTTL'], ['KEEPTTL', 'PXAT', '1'], ['EX'], ['PERSIST'], ['FOO']])
    assert.is(set(...bad), Err.SYNTAX, bad.join(' '));
});

test('parseExtendedStringArgs: GETEX options', () => {
  const getex = (...opts: string[]) => parseExtendedStringArgs(['getex', 'k', ...opts], false);
  assert.equal(getex(), { flags: 0, unit: '', expireArg: '', cmp: '' });
  assert.equal(getex('persist', 'PERSIST'), { flags: SET_PERSIST, unit: '', expireArg: '', cmp: '' });
  assert.equal(getex('PXAT', '5'), { flags: 0, unit: 'pxat', expireArg: '5', cmp: '' });
  for (const bad of [['NX'], ['XX'], ['GET'], ['KEEPTTL'], ['PERSIST', 'EX', '1'], ['EX', '1', 'PERSIST'], ['EX', '1', 'EXAT', '2'], ['PX']])
    assert.is(getex(...bad), Err.SYNTAX, bad.join(' '));
});

test('parseSetOptions: expire times become absolute ms, invalid ones are refused', () => {
  const now = 1_000_000;
  assert.equal(parseSetOptions(['set', 'k', 'v', 'EX', '10'], now, 'set'), { flags: 0, expireAt: now + 10_000 });
  assert.equal(parseSetOptions(['set', 'k', 'v', 'PXAT', '5'], now, 'set'), { flags: 0, expireAt: 5 });
  assert.is(parseSetOptions(['set', 'k', 'v', 'EX', '0'], now, 'set'), Err.INVALID_EXPIRE('set'));
  assert.is(parseSetOptions(['set', 'k', 'v', 'EX', '9223372036854775'], now, 'set'), Err.INVALID_EXPIRE('set'));
  assert.is(parseSetOptions(['set', 'k', 'v', 'EX', '1.5'], now, 'set'), Err.NOT_INTEGER);
});

test.run();
