/*
 * The access clock (OBJECT IDLETIME / OBJECT FREQ): its LRU and LFU arithmetic, and which
 * lookups touch it, driven by a fake clock.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AccessClock, LFU_INIT_VAL, LRU_CLOCK_MAX } from './access-clock.js';
import { FakeClock } from './clock.js';
import { Keyspace } from './keyspace.js';

test('LRU: idle seconds since the last touch, across the 24-bit wrap-around', () => {
  const a = new AccessClock();
  const t0 = 1_700_000_000_000;
  const f = a.fresh(t0);
  assert.is(a.idleSeconds(f, t0), 0);
  assert.is(a.idleSeconds(f, t0 + 999), 0);
  assert.is(a.idleSeconds(f, t0 + 61_000), 61);
  // a field stamped just before the clock wraps
  const late = LRU_CLOCK_MAX - 5;
  const wrapped = (LRU_CLOCK_MAX + 1 + 10) * 1000; // clock reads 10
  assert.is(a.idleSeconds(late, wrapped), 10 + 5);
  assert.is(a.touched(f, t0 + 5000), a.fresh(t0 + 5000));
});

test('LFU: new keys start at 5, the increment is logarithmic, the counter decays per lfu-decay-time', () => {
  const a = new AccessClock();
  a.lfu = true;
  const t0 = 1_700_000_000_000;
  let f = a.fresh(t0);
  assert.is(a.decayed(f, t0), LFU_INIT_VAL);
  // with random() at 0.5 an increment happens while 1 / ((c - 5) * 10 + 1) > 0.5: from 5 only
  a.random = () => 0.5;
  f = a.touched(f, t0);
  assert.is(f & 255, 6);
  f = a.touched(f, t0);
  assert.is(f & 255, 6, 'p = 1/11 < 0.5: no increment');
  // with random() at 0 every access counts, up to 255
  a.random = () => 0;
  for (let i = 0; i < 300; i++) f = a.touched(f, t0);
  assert.is(f & 255, 255);
  // lfu-log-factor 0: p is 1 whatever the counter
  const b = new AccessClock();
  b.lfu = true;
  b.logFactor = 0;
  b.random = () => 0.999;
  let g = b.fresh(t0);
  for (let i = 0; i < 10; i++) g = b.touched(g, t0);
  assert.is(g & 255, LFU_INIT_VAL + 10);
  // decay: one per lfu-decay-time minutes, not below zero; 0 turns decay off
  assert.is(a.decayed(f, t0 + 10 * 60_000), 245);
  a.decayTime = 5;
  assert.is(a.decayed(f, t0 + 10 * 60_000), 253);
  assert.is(a.decayed(a.fresh(t0), t0 + 3600_000), 0);
  a.decayTime = 0;
  assert.is(a.decayed(f, t0 + 3600_000), 255);
  // an access after a long idle first decays, then increments
  a.decayTime = 1;
  a.random = () => 0.99;
  assert.is(a.touched(f, t0 + 100 * 60_000) & 255, 155);
});

test('lookups touch the clock in the record header; touch=false (TYPE, TTL, EXISTS, OBJECT) does not', () => {
  const clock = new FakeClock();
  const ks = new Keyspace(1, 16);
  const db = ks.dbs[0]!;
  db.lookupWrite('k', clock.now()); // SET's lookup: the time a new key is stamped with
  db.set('k', 'value');
  db.set('n', 123456);
  db.setExpire('n', clock.now() + 1e9); // the clock survives the record growing a TTL block
  clock.advance(30_000);
  assert.is(ks.access.idleSeconds(db.accessOf('k')!, clock.now()), 30);
  db.lookupRead('k', clock.now(), false);
  assert.is(ks.access.idleSeconds(db.accessOf('k')!, clock.now()), 30, 'no touch');
  db.lookupRead('k', clock.now());
  assert.is(ks.access.idleSeconds(db.accessOf('k')!, clock.now()), 0);
  assert.is(ks.access.idleSeconds(db.accessOf('n')!, clock.now()), 30);
  db.lookupWrite('n', clock.now());
  assert.is(ks.access.idleSeconds(db.accessOf('n')!, clock.now()), 0, 'write lookups touch too');
  clock.advance(5000);
  db.set('k', 'another value of another length entirely'); // an overwrite is a new object under LRU
  assert.is(ks.access.idleSeconds(db.accessOf('k')!, clock.now()), 5, 'stamped with the last lookup time');
  assert.is(db.accessOf('nope'), undefined);
  // LFU: an overwrite keeps the counter (as Redis's dbSetValue)
  ks.access.lfu = true;
  ks.access.random = () => 0;
  db.lookupWrite('f', clock.now());
  db.set('f', 'x');
  assert.is(ks.access.decayed(db.accessOf('f')!, clock.now()), LFU_INIT_VAL);
  for (let i = 0; i < 3; i++) db.lookupRead('f', clock.now());
  assert.is(ks.access.decayed(db.accessOf('f')!, clock.now()), LFU_INIT_VAL + 3);
  db.set('f', 'y'.repeat(200));
  assert.is(ks.access.decayed(db.accessOf('f')!, clock.now()), LFU_INIT_VAL + 3);
  clock.advance(2 * 60_000);
  assert.is(ks.access.decayed(db.accessOf('f')!, clock.now()), LFU_INIT_VAL + 1);
});

test('integers 0-9999 share one clock per value while sharing is on, as Redis\'s shared objects', () => {
  const clock = new FakeClock();
  const ks = new Keyspace(1, 4);
  const db = ks.dbs[0]!;
  ks.access.startShared(clock.now()); // the server stamps them at start
  clock.advance(100_000);
  db.lookupWrite('a', clock.now());
  db.set('a', 7);
  db.set('b', 7);
  db.set('c', 10000);
  // a key holding a shared integer reports the shared object's clock: stamped at start
  assert.is(ks.access.idleSeconds(db.accessOf('a')!, clock.now()), 100);
  assert.is(ks.access.idleSeconds(db.accessOf('c')!, clock.now()), 0);
  db.lookupRead('b', clock.now());
  assert.is(ks.access.idleSeconds(db.accessOf('a')!, clock.now()), 0, 'touching b touched the shared 7');
  clock.advance(10_000);
  // maxmemory with an LRU/LFU policy: every key its own clock (here: stamped when it was set)
  ks.access.sharing = false;
  assert.is(ks.access.idleSeconds(db.accessOf('a')!, clock.now()), 10);
  db.lookupRead('a', clock.now());
  assert.is(ks.access.idleSeconds(db.accessOf('a')!, clock.now()), 0);
  assert.is(ks.access.idleSeconds(db.accessOf('b')!, clock.now()), 10);
});

test.run();
