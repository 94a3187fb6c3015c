import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Database, Keyspace, WRONGTYPE } from './keyspace.js';
import { LFU_INIT_VAL } from './access-clock.js';
import { STRING, type Collection, type ValueKind } from './values.js';
import { parseCursor, ScanCursors, collectKeys } from './scan.js';
import { copyValue, MutableString } from './values.js';

const NOW = 1_700_000_000_000;

/** Runs a full SCAN, calling `between` after every step; returns every key returned and the step count. */
function fullScan(db: Database, scans: ScanCursors, count: number, between: (step: number) => void = () => {}): { seen: Map<string, number>; steps: number } {
  const seen = new Map<string, number>();
  let cursor = 0n;
  let steps = 0;
  do {
    cursor = scans.scan(db, cursor, count, NOW, (k) => seen.set(k, (seen.get(k) ?? 0) + 1));
    between(++steps);
    assert.ok(steps < 100_000, 'scan must terminate');
  } while (cursor !== 0n);
  return { seen, steps };
}

test('moveTo carries the TTL across shards and databases and keeps accounting right', () => {
  const ks = new Keyspace(2, 16);
  const [a, b] = ks.dbs as [Database, Database];
  a.set('k', 'value');
  a.setExpire('k', NOW + 1000);
  const bytes = ks.bytes;
  a.moveTo('k', a, 'other-key-in-another-shard{x}');
  assert.is(a.expireAt('other-key-in-another-shard{x}'), NOW + 1000);
  assert.is(a.expiresCount, 1);
  assert.is(ks.bytes - bytes, 'other-key-in-another-shard{x}'.length - 'k'.length);
  a.moveTo('other-key-in-another-shard{x}', b, 'k');
  assert.is(a.size, 0);
  assert.is(a.expiresCount, 0);
  assert.is(a.bytes, 0);
  assert.is(b.expireAt('k'), NOW + 1000);
  assert.is(ks.bytes, bytes);
  // replacing a key with a TTL drops that TTL
  b.set('dst', 'x');
  b.setExpire('dst', NOW + 5);
  b.set('src', 'y');
  b.moveTo('src', b, 'dst');
  assert.is(b.expireAt('dst'), undefined);
  assert.is(b.expiresCount, 1); // only k
  b.clear();
  assert.is(ks.bytes, 0);
});

test('copyValue gives a MutableString its own buffer', () => {
  const m = MutableString.from('abc', 10);
  const c = copyValue(m) as MutableString;
  m.append('def');
  assert.is(c.toString(), 'abc');
  assert.is(m.toString(), 'abcdef');
  assert.is(copyValue('s'), 's');
  assert.is(copyValue(5), 5n); // an int object of its own, no longer the shared integer (OBJECT REFCOUNT 1)
});

test('randomKey finds keys, skips and removes expired ones', () => {
  const db = new Database(0, 16);
  assert.is(db.randomKey(NOW), undefined);
  db.set('live', 'v');
  for (let i = 0; i < 20; i++) {
    db.set(`dead${i}`, 'v');
    db.setExpire(`dead${i}`, NOW - 1);
  }
  for (let i = 0; i < 20; i++) assert.is(db.randomKey(NOW, 1000), 'live');
  assert.is(db.size, 1);
  assert.is(db.stats.expired, 20);
  const seen = new Set<string>();
  for (let i = 0; i < 10; i++) db.set(`k${i}`, i);
  for (let i = 0; i < 500; i++) seen.add(db.randomKey(NOW)!);
  assert.is(seen.size, 11);
});

test('parseCursor follows strtoul', () => {
  assert.is(parseCursor('0'), 0n);
  assert.is(parseCursor(''), 0n);
  assert.is(parseCursor('+7'), 7n);
  assert.is(parseCursor('-1'), (1n << 64n) - 1n);
  assert.is(parseCursor('-0'), 0n);
  assert.is(parseCursor('18446744073709551615'), (1n << 64n) - 1n);
  for (const bad of ['18446744073709551616', '-18446744073709551616', ' 1', '1 ', '0x1', '+', '-', '1.0', 'a']) {
    assert.is(parseCursor(bad), null, bad);
  }
});

test('a full scan returns every key exactly once when nothing changes, honouring COUNT', () => {
  const db = new Database(0, 64);
  for (let i = 0; i < 5000; i++) db.set(`key:${i}`, i);
  const scans = new ScanCursors();
  for (const count of [1, 7, 10, 100, 100_000]) {
    const { seen, steps } = fullScan(db, scans, count);
    assert.is(seen.size, 5000);
    for (const n of seen.values()) assert.is(n, 1);
    if (count === 10) assert.ok(steps >= 500 && steps <= 500 + 64, `steps ${steps}`);
  }
  assert.is(scans.size, 0, 'a finished scan leaves nothing parked');
});

test('SCAN guarantee: keys present throughout are returned although keys come and go between calls', () => {
  const db = new Database(0, 16);
  const stable = new Set<string>();
  for (let i = 0; i < 3000; i++) {
    db.set(`s${i}`, i);
    stable.add(`s${i}`);
  }
  for (let i = 0; i < 3000; i++) db.set(`t${i}`, i);
  const scans = new ScanCursors();
  let added = 0;
  const { seen } = fullScan(db, scans, 5, (step) => {
    // delete transient keys, add new ones (growing and shrinking the shard maps, forcing rehashes)
    for (let j = 0; j < 20; j++) db.delete(`t${(step * 20 + j) % 3000}`);
    for (let j = 0; j < 40; j++) db.set(`n${added++}`, j);
    if (step % 50 === 0) for (let j = added - 2000; j < added; j += 2) db.delete(`n${j}`);
  });
  for (const k of stable) assert.ok(seen.has(k), `missed ${k}`);
});

test('a scan terminates although its shard grows faster than COUNT per call', () => {
  const db = new Database(0, 1);
  for (let i = 0; i < 100; i++) db.set(`k${i}`, i);
  let added = 0;
  const { seen, steps } = fullScan(db, new ScanCursors(), 2, () => {
    for (let j = 0; j < 10; j++) db.set(`new${added++}`, j);
  });
  // the reverse-binary cursor covers a growing share of the (doubling) table at every step: the
  // scan ends although the shard grows five times faster than it is read (here 1446 steps, deterministic)
  assert.ok(steps < 2000, `steps ${steps}`);
  for (let i = 0; i < 100; i++) assert.ok(seen.has(`k${i}`));
});

test('SCAN guarantee holds when parked iterators are evicted, reused or forged', () => {
  const db = new Database(0, 8);
  for (let i = 0; i < 2000; i++) db.set(`k${i}`, i);
  const scans = new ScanCursors();
  // many concurrent scans evict each other's iterators (more than the table holds)
  const cursors: bigint[] = Array.from({ length: 400 }, () => 0n);
  const seen = cursors.map(() => new Set<string>());
  let active = cursors.length;
  while (active > 0) {
    active = 0;
    for (let s = 0; s < cursors.length; s++) {
      if (cursors[s] === -1n) continue;
      cursors[s] = scans.scan(db, cursors[s]!, 3, NOW, (k) => seen[s]!.add(k));
      if (cursors[s] === 0n) cursors[s] = -1n;
      else active++;
    }
  }
  for (const set of seen) assert.is(set.size, 2000);
  // a cursor used twice: the second use must not skip what the first returned
  const first = scans.scan(db, 0n, 5, NOW, () => {});
  const a: string[] = [];
  const b: string[] = [];
  scans.scan(db, first, 5, NOW, (k) => a.push(k));
  scans.scan(db, first, 5, NOW, (k) => b.push(k));
  for (const k of a) assert.ok(b.includes(k), 'a replayed cursor rescans its shard');
});

test('scan skips and removes expired keys; SWAPDB and FLUSHDB mid-scan are safe', () => {
  const ks = new Keyspace(2, 4);
  const db = ks.dbs[0]!;
  for (let i = 0; i < 100; i++) db.set(`k${i}`, i);
  for (let i = 0; i < 50; i++) db.setExpire(`k${i}`, NOW - 1);
  const { seen } = fullScan(db, ks.scans, 1000);
  assert.is(seen.size, 50);
  assert.is(db.size, 50);
  assert.is(db.stats.expired, 50);
  const cursor = ks.scans.scan(db, 0n, 3, NOW, () => {});
  db.swapWith(ks.dbs[1]!);
  for (let i = 0; i < 10; i++) db.set(`fresh${i}`, i);
  const after = new Set<string>();
  let c = cursor;
  do c = ks.scans.scan(db, c, 3, NOW, (k) => after.add(k));
  while (c !== 0n);
  // the parked iterator belonged to the old shard: its shard is rescanned from the new contents
  assert.ok([...after].every((k) => k.startsWith('fresh')));
  db.clear();
  assert.is(fullScan(db, ks.scans, 10).seen.size, 0);
});

test('collectKeys skips expired keys without removing them', () => {
  const db = new Database(0, 4);
  db.set('a', 1);
  db.set('b', 2);
  db.setExpire('b', NOW);
  assert.equal(collectKeys(db, NOW, null), ['a']);
  assert.is(db.size, 2);
  assert.equal(collectKeys(db, NOW - 1, (k) => k === 'b'), ['b']);
});

/** A stand-in collection kind for the typed lookups. */
const OTHER: ValueKind<Collection> = { name: 'list', encoding: () => 'other', size: () => 8, copy: (v) => v };

test('typed lookups: the value, undefined or WRONGTYPE; reads count hits and misses, writes do not', () => {
  const ks = new Keyspace(1, 4);
  const db = ks.dbs[0]!;
  db.set('s', 'text');
  db.set('o', { kind: OTHER });
  assert.is(db.readOf('s', STRING, NOW), 'text');
  assert.is(db.readOf('missing', STRING, NOW), undefined);
  assert.is(db.readOf('o', STRING, NOW), WRONGTYPE);
  assert.is(db.writeOf('o', STRING, NOW), WRONGTYPE);
  assert.equal({ hits: ks.stats.hits, misses: ks.stats.misses }, { hits: 2, misses: 1 });
  db.lookupWrite('s', NOW);
  db.lookupWrite('missing', NOW);
  assert.equal({ hits: ks.stats.hits, misses: ks.stats.misses }, { hits: 2, misses: 1 });
  // an expired key is missing to both, removed, and counted as expired (a read's miss too)
  db.setExpire('s', NOW + 10);
  assert.is(db.readOf('s', STRING, NOW + 10), undefined);
  assert.is(ks.stats.expired, 1);
  assert.is(ks.stats.misses, 2);
});

test('the modification hook sees every write, with dirty counted; expiry signals without dirty', () => {
  const ks = new Keyspace(2, 4);
  const [a, b] = ks.dbs as [Database, Database];
  const seen: string[] = [];
  const expired: string[] = [];
  ks.hooks.modified = (db, key) => seen.push(`${db.id}:${key ?? '*'}`);
  ks.hooks.expired = (db, key) => expired.push(`${db.id}:${key}`);
  a.set('k', 'v');
  a.replace('k', 'v', 'w');
  a.changed('k', 3);
  a.setExpire('k', NOW + 5);
  a.persist('k');
  a.persist('k'); // no TTL: no change
  a.moveTo('k', b, 'k2');
  b.delete('k2');
  b.delete('k2'); // missing: no change
  a.set('x', '1');
  a.clear();
  a.swapWith(b);
  assert.equal(seen, ['0:k', '0:k', '0:k', '0:k', '0:k', '0:k', '1:k2', '1:k2', '0:x', '0:*', '0:*', '1:*']);
  // 8 single-key changes (moveTo is one, as RENAME and MOVE, signalling both keys), the flush its
  // one key (as Redis: an empty flush counts nothing), the swap one
  assert.is(ks.stats.dirty, 8 + 1 + 1);
  const dirty = ks.stats.dirty;
  b.set('t', 'v');
  b.setExpire('t', NOW + 1);
  seen.length = 0;
  assert.is(b.lookupRead('t', NOW + 1), undefined);
  assert.equal(expired, ['1:t']);
  assert.equal(seen, ['1:t']);
  assert.is(ks.stats.dirty, dirty + 2);
});

test('access clocks: reads and writes touch, touch=false and CLIENT NO-TOUCH do not; MOVE carries it; LFU keeps counters over SET', () => {
  const ks = new Keyspace(2, 4);
  const [db, other] = ks.dbs as [Database, Database];
  const access = ks.access;
  const idle = (d: Database, key: string, now: number) => access.idleSeconds(d.accessOf(key)!, now);
  access.now = NOW;
  db.set('k', 'v');
  assert.is(idle(db, 'k', NOW + 5000), 5);
  db.lookupRead('k', NOW + 5000, false); // TYPE, TTL, OBJECT…: no touch
  assert.is(idle(db, 'k', NOW + 8000), 8);
  db.lookupRead('k', NOW + 8000);
  assert.is(idle(db, 'k', NOW + 9000), 1);
  access.suppressed = true; // CLIENT NO-TOUCH
  db.lookupWrite('k', NOW + 20_000);
  access.suppressed = false;
  assert.is(idle(db, 'k', NOW + 20_000), 12);
  db.lookupWrite('k', NOW + 20_000);
  assert.is(idle(db, 'k', NOW + 20_000), 0);
  // RENAME/MOVE carry the clock
  db.moveTo('k', other, 'k');
  assert.is(idle(other, 'k', NOW + 23_000), 3);
  // LFU: a new key starts at LFU_INIT_VAL, and a value replaced keeps its counter
  access.lfu = true;
  access.random = () => 0; // every access increments
  db.set('f', 'v');
  assert.is(access.decayed(db.accessOf('f')!, NOW), LFU_INIT_VAL);
  db.lookupRead('f', NOW);
  db.lookupRead('f', NOW);
  db.set('f', 'w');
  assert.is(access.decayed(db.accessOf('f')!, NOW), LFU_INIT_VAL + 2);
});

test.run();
