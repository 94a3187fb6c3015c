/*
 * The parsed values Config keeps for the hot paths (`limits`, `int`) follow every change made
 * through `set`, whatever name (or old alias) the change used.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Config } from './config.js';

test('limits start at the defaults and follow set, aliases included', () => {
  const config = new Config();
  assert.equal(config.limits, { hashEntries: 512, hashValue: 64, setIntsetEntries: 512, zsetEntries: 128, zsetValue: 64, listSize: -2 });
  config.set('hash-max-listpack-entries', '10');
  config.set('hash-max-ziplist-value', '1kb');
  config.set('set-max-intset-entries', '7');
  config.set('zset-max-ziplist-entries', '3');
  config.set('zset-max-listpack-value', '5');
  config.set('list-max-ziplist-size', '-5');
  assert.equal(config.limits, { hashEntries: 10, hashValue: 1024, setIntsetEntries: 7, zsetEntries: 3, zsetValue: 5, listSize: -5 });
});

test('int reads a parameter once and again after each set', () => {
  const config = new Config();
  assert.is(config.int('hz'), 10);
  assert.is(config.int('hz'), 10);
  config.set('hz', '50');
  assert.is(config.int('hz'), 50);
  // a refused value changes nothing
  assert.throws(() => config.set('hz', 'fast'));
  assert.is(config.int('hz'), 50);
  assert.is(config.int('hash-max-ziplist-entries'), 512);
  config.set('hash-max-listpack-entries', '9');
  assert.is(config.int('hash-max-ziplist-entries'), 9);
});

test.run();
