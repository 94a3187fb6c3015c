import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AccessPolicy, estimateIdleMs, lfuDecayed, lfuIncrement, lfuMinutes, LFU_INIT_VAL, LRU_CLOCK_MAX, lruClock } from './access-clock.js';
import { FakeClock } from './clock.js';

test('the LRU clock has 24 bits of seconds and idle times are estimated across a wrap-around', () => {
  const clock = new FakeClock(1_700_000_000_000);
  assert.is(lruClock(clock.now()), Math.floor(1_700_000_000) & 0xffffff);
  const stamp = lruClock(clock.now());
  clock.advance(90_500);
  assert.is(estimateIdleMs(stamp, clock.now()), 90_000);
  // a stamp just before the wrap, read just after it
  const wrapAt = (LRU_CLOCK_MAX + 1) * 1000 * 102; // a multiple of 2^24 seconds
  assert.is(lruClock(wrapAt), 0);
  assert.is(estimateIdleMs(lruClock(wrapAt - 3000), wrapAt + 2000), (2 + LRU_CLOCK_MAX - (LRU_CLOCK_MAX - 2)) * 1000);
});

test('the LFU counter grows logarithmically with lfu-log-factor and saturates at 255', () => {
  assert.is(lfuIncrement(LFU_INIT_VAL, 10, 0.99), LFU_INIT_VAL + 1); // at the base value p = 1
  assert.is(lfuIncrement(LFU_INIT_VAL + 10, 10, 0.5), LFU_INIT_VAL + 10); // p = 1/101
  assert.is(lfuIncrement(LFU_INIT_VAL + 10, 10, 0.009), LFU_INIT_VAL + 11);
  assert.is(lfuIncrement(LFU_INIT_VAL + 10, 0, 0.99), LFU_INIT_VAL + 11); // factor 0: always
  assert.is(lfuIncrement(255, 0, 0), 255);
  // with factor 10, 100K accesses reach about 142, as the table in Redis's redis.conf shows
  let seed = 12345;
  let counter = LFU_INIT_VAL;
  for (let i = 0; i < 100_000; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    counter = lfuIncrement(counter, 10, seed / 4294967296);
  }
  assert.ok(counter > 125 && counter < 160, `counter ${counter}`);
});

test('the LFU counter decays by one per lfu-decay-time minutes, and not at all with 0', () => {
  const clock = new FakeClock(1_700_000_000_000);
  const field = (lfuMinutes(clock.now()) << 8) | 20;
  clock.advance(5 * 60_000);
  assert.is(lfuDecayed(field, clock.now(), 1), 15);
  assert.is(lfuDecayed(field, clock.now(), 2), 18);
  assert.is(lfuDecayed(field, clock.now(), 0), 20);
  clock.advance(60 * 60_000);
  assert.is(lfuDecayed(field, clock.now(), 1), 0);
});

test('the policy stamps new keys and accesses as Redis (LRU clock, or LFU time and counter)', () => {
  const clock = new FakeClock(1_700_000_000_000);
  const p = new AccessPolicy();
  const lru = p.initial(clock.now());
  clock.advance(3000);
  assert.is(p.idleSeconds(lru, clock.now()), 3);
  assert.is(p.idleSeconds(p.touched(lru, clock.now()), clock.now()), 0);
  p.lfu = true;
  p.random = () => 0;
  let f = p.initial(clock.now());
  assert.is(p.frequency(f, clock.now()), LFU_INIT_VAL);
  f = p.touched(f, clock.now());
  assert.is(p.frequency(f, clock.now()), LFU_INIT_VAL + 1);
  clock.advance(3 * 60_000);
  assert.is(p.frequency(f, clock.now()), LFU_INIT_VAL - 2);
  // an access first applies the decay, then increments, and restamps the time
  f = p.touched(f, clock.now());
  assert.is(p.frequency(f, clock.now()), LFU_INIT_VAL - 1);
});

test.run();
