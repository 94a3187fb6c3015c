import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock, type Clock } from './clock.js';
import { ActiveExpiry, SAMPLE } from './expiry.js';
import { Keyspace } from './keyspace.js';

/** A clock that moves forward `step` ms each time it is read: a cycle "spends" time as it works. */
class TickingClock implements Clock {
  reads = 0;
  constructor(public ms = 0, readonly step = 1) {}
  now(): number {
    this.reads++;
    return (this.ms += this.step);
  }
}

const BUDGET_NEVER = 1e12;

test('keys that expire and are never touched are removed over cycles; accounting goes back down', () => {
  const clock = new FakeClock();
  const ks = new Keyspace(3, 16);
  const db0 = ks.dbs[0]!;
  const db2 = ks.dbs[2]!;
  for (let i = 0; i < 50; i++) db0.set(`keep${i}`, `value${i}`);
  const baseline = ks.bytes;
  for (let i = 0; i < 1000; i++) {
    const db = i % 2 ? db0 : db2;
    db.set(`ttl${i}`, 'x'.repeat(100));
    db.setExpire(`ttl${i}`, clock.ms + 1000 + i);
  }
  db0.set('later', 'v');
  db0.setExpire('later', clock.ms + 1_000_000);
  const expiry = new ActiveExpiry(ks, new TickingClock(0, 0));
  // nothing is due yet: a cycle removes nothing
  assert.is(expiry.run(clock.now(), BUDGET_NEVER).expired, 0);
  assert.is(db0.size + db2.size, 1051);
  clock.advance(2500);
  let cycles = 0;
  let expired = 0;
  while (db0.expiresCount + db2.expiresCount > 1 && cycles < 100) {
    expired += expiry.run(clock.now(), BUDGET_NEVER).expired;
    cycles++;
  }
  assert.is(expired, 1000);
  assert.ok(cycles <= 3, `took ${cycles} cycles`);
  assert.is(db0.size, 51);
  assert.is(db2.size, 0);
  assert.is(ks.stats.expired, 1000);
  assert.ok(db0.lookupWrite('later', clock.now()) !== undefined);
  db0.delete('later');
  assert.is(ks.bytes, baseline);
});

test('a cycle stops when its time budget is spent and the next one resumes', () => {
  const ks = new Keyspace(1, 4);
  const db = ks.dbs[0]!;
  const total = 20_000;
  for (let i = 0; i < total; i++) {
    db.set(`k${i}`, i);
    db.setExpire(`k${i}`, 10);
  }
  const budgetClock = new TickingClock(0, 1); // each clock read costs 1 ms
  const expiry = new ActiveExpiry(ks, budgetClock);
  const first = expiry.run(100, 5);
  assert.ok(first.timedOut);
  assert.ok(first.expired > 0 && first.expired < total, `expired ${first.expired}`);
  // the budget is 5 ms, one read per 16 steps: about 5 checks of 16 steps of SAMPLE keys
  assert.ok(first.sampled <= 6 * 16 * SAMPLE, `sampled ${first.sampled}`);
  assert.is(db.size, total - first.expired);
  let runs = 1;
  let left = db.size;
  while (left > 0 && runs < 1000) {
    const r = expiry.run(100, 5);
    assert.ok(r.expired > 0, 'every run makes progress');
    left -= r.expired;
    runs++;
  }
  assert.is(db.size, 0);
  assert.is(db.bytes, 0);
  assert.is(ks.stats.expired, total);
  assert.ok(runs > 5, 'the wave was spread over several runs');
});

test('a shard with few expired keys gets one step per cycle, so live TTL keys cost little', () => {
  const ks = new Keyspace(1, 1);
  const db = ks.dbs[0]!;
  for (let i = 0; i < 1000; i++) {
    db.set(`k${i}`, i);
    db.setExpire(`k${i}`, i === 500 ? 5 : 1_000_000);
  }
  const expiry = new ActiveExpiry(ks, new TickingClock(0, 0));
  const r = expiry.run(100, BUDGET_NEVER);
  assert.is(r.sampled, SAMPLE);
  // the sweep resumes where it stopped: within 1000 / SAMPLE cycles the expired key is found
  let cycles = 1;
  while (db.size === 1000 && cycles < 1000 / SAMPLE + 1) {
    expiry.run(100, BUDGET_NEVER);
    cycles++;
  }
  assert.is(db.size, 999);
  assert.not.ok(db.lookupWrite('k500', 100) !== undefined);
});

test('keys re-set without TTL or persisted are not expired; flushed shards restart their sweep', () => {
  const ks = new Keyspace(1, 2);
  const db = ks.dbs[0]!;
  for (let i = 0; i < 100; i++) {
    db.set(`k${i}`, i);
    db.setExpire(`k${i}`, 10);
  }
  const expiry = new ActiveExpiry(ks, new TickingClock(0, 0));
  for (let i = 0; i < 50; i++) db.set(`k${i}`, 'fresh'); // SET drops the TTL
  db.persist('k99');
  expiry.run(100, BUDGET_NEVER);
  assert.is(db.size, 51);
  db.clear();
  db.set('x', 1);
  db.setExpire('x', 10);
  assert.is(expiry.run(100, BUDGET_NEVER).expired, 1);
  assert.is(db.size, 0);
});

test('the keyspace counts its TTL records across databases; a run skips its walk while there are none', () => {
  const ks = new Keyspace(4, 16);
  const [db0, db1, , db3] = ks.dbs;
  const clock = new TickingClock(0, 0);
  const expiry = new ActiveExpiry(ks, clock);
  for (let i = 0; i < 200; i++) db0!.set(`plain${i}`, `v${i}`);
  assert.is(ks.arena.ttlRecords, 0);
  // no TTL anywhere: the run reads no clock and looks at no shard
  assert.equal(expiry.run(100, BUDGET_NEVER), { expired: 0, sampled: 0, timedOut: false });
  assert.is(clock.reads, 0);
  db1!.set('a', 'x');
  db1!.setExpire('a', 1_000);
  db3!.set('b', 1);
  db3!.setExpire('b', 50);
  db3!.setExpire('b', 60); // a new time for the same key: still one record
  db0!.setExpire('plain0', 70);
  assert.is(ks.arena.ttlRecords, 3);
  assert.is(ks.arena.ttlRecords, db0!.expiresCount + db1!.expiresCount + db3!.expiresCount);
  // the count goes down with every way a TTL goes: persist, SET without KEEPTTL, delete, flush, expiry
  db0!.persist('plain0');
  assert.is(ks.arena.ttlRecords, 2);
  db1!.set('a', 'y');
  assert.is(ks.arena.ttlRecords, 1);
  db1!.setExpire('a', 1_000);
  db1!.delete('a');
  assert.is(ks.arena.ttlRecords, 1);
  db1!.set('c', 'z');
  db1!.setExpire('c', 10);
  db1!.clear();
  assert.is(ks.arena.ttlRecords, 1);
  // one TTL key left: the run walks again, and expires it
  const r = expiry.run(100, BUDGET_NEVER);
  assert.is(r.expired, 1);
  assert.ok(clock.reads > 0);
  assert.is(db3!.size, 0);
  assert.is(ks.arena.ttlRecords, 0);
  const reads = clock.reads;
  expiry.run(200, BUDGET_NEVER);
  assert.is(clock.reads, reads, 'back to skipping');
});

test('namespaces share the keyspace-wide TTL count', () => {
  const ks = new Keyspace(1, 4);
  const ns = ks.namespace('tenant');
  ns.set('k', 'v');
  ns.setExpire('k', 5);
  assert.is(ks.arena.ttlRecords, 1);
  const expiry = new ActiveExpiry(ks, new TickingClock(0, 0));
  assert.is(expiry.run(10, BUDGET_NEVER).expired, 1);
  assert.is(ks.arena.ttlRecords, 0);
  ns.set('k2', 'v');
  ns.setExpire('k2', 5);
  assert.is(ks.dropNamespace('tenant', false), 1);
  assert.is(ks.arena.ttlRecords, 0);
});

test.run();
