/*
 * The off-heap store (arena.ts, shard.ts) against a Map reference: random inserts, deletes,
 * overwrites with growing and shrinking values, TTLs set and removed, in-place edits, with the
 * tables resizing underneath; SCAN's guarantee while a table grows and shrinks; binary keys; the
 * reuse of free space (a bounded form of the fragmentation target).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Arena, chunkBytes, MAX_CLASS_BYTES, PAGE_BYTES } from './arena.js';
import { Database, Keyspace, WRONGTYPE } from './keyspace.js';
import { ScanCursors } from './scan.js';
import { ENTRY_OVERHEAD, LARGE_STRING } from './shard.js';
import { VT_KEEP_INT } from './value-type.js';
import { MutableString, sizeOf, STRING, stringOf, type Value, type ValueKind } from './values.js';

const NOW = 1_700_000_000_000;

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(r() * 256));
  return s;
}

function randomValue(r: () => number): Value {
  const x = r();
  if (x < 0.25) return Math.floor((r() - 0.5) * 2 ** 40);
  if (x < 0.3) return BigInt(Math.floor(r() * 1e9)) * 10_000_000_000n;
  if (x < 0.32) return MutableString.from(randomBytes(r, Math.floor(r() * 100)), 20);
  if (x < 0.33) return 'L'.repeat(LARGE_STRING + 1 + Math.floor(r() * 100));
  // strings of every size class region, growing and shrinking
  const n = x < 0.8 ? Math.floor(r() * 40) : Math.floor(r() * 3000);
  return randomBytes(r, n);
}

function same(a: Value | undefined, b: Value | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (typeof a === 'object' || typeof b === 'object') return a === b; // held by handle: the same object
  return a === b || (typeof a === typeof b && stringOf(a) === stringOf(b));
}

/** Checks `db` against the reference: every key, value, TTL, the counts and the byte accounting. */
function check(db: Database, model: Map<string, Value>, ttls: Map<string, number>, label: string): void {
  assert.is(db.size, model.size, `${label}: size`);
  assert.is(db.expiresCount, ttls.size, `${label}: expires`);
  let bytes = 0;
  for (const [k, v] of model) {
    const got = db.lookupWrite(k, 0);
    assert.ok(same(got, v), `${label}: value of ${JSON.stringify(k.slice(0, 20))}`);
    assert.is(db.expireAt(k), ttls.get(k), `${label}: ttl of ${JSON.stringify(k.slice(0, 20))}`);
    bytes += sizeOf(v) + ENTRY_OVERHEAD + k.length;
  }
  assert.is(db.bytes, bytes, `${label}: bytes`);
  let n = 0;
  for (const shard of db.shards) for (const [k, v] of shard.data) {
    assert.ok(same(model.get(k), v), `${label}: entry ${JSON.stringify(k.slice(0, 20))}`);
    n++;
  }
  assert.is(n, model.size);
}

test('random operations agree with a Map reference, through resizes and relocations', () => {
  for (const shards of [1, 8]) {
    const r = rng(42 + shards);
    const db = new Database(0, shards);
    const model = new Map<string, Value>();
    const ttls = new Map<string, number>();
    const keyspace = 3000;
    const keyOf = () => `k${Math.floor(r() * keyspace)}${r() < 0.1 ? randomBytes(r, 30) : ''}`;
    // the model's keys in an array too, for picking one at random in O(1)
    const list: string[] = [];
    const at = new Map<string, number>();
    const track = (k: string) => {
      if (!at.has(k)) at.set(k, list.push(k) - 1);
    };
    const untrack = (k: string) => {
      const i = at.get(k);
      if (i === undefined) return;
      const last = list.pop()!;
      if (last !== k) {
        list[i] = last;
        at.set(last, i);
      }
      at.delete(k);
    };
    const known = () => list[Math.floor(r() * list.length)];
    for (let step = 0; step < 25_000; step++) {
      const op = r();
      if (op < 0.45) {
        const k = keyOf();
        const v = randomValue(r);
        const keep = r() < 0.3;
        db.set(k, v, keep);
        model.set(k, v);
        track(k);
        if (!keep) ttls.delete(k);
      } else if (op < 0.6 || model.size > 2500) {
        const k = r() < 0.8 ? known() : keyOf();
        if (k === undefined) continue;
        assert.is(db.delete(k), model.delete(k));
        ttls.delete(k);
        untrack(k);
      } else if (op < 0.72) {
        const k = known();
        if (k === undefined) continue;
        const when = NOW + Math.floor(r() * 1e6);
        db.setExpire(k, when);
        ttls.set(k, when);
      } else if (op < 0.78) {
        const k = known();
        if (k === undefined) continue;
        assert.is(db.persist(k), ttls.delete(k));
      } else if (op < 0.9) {
        const k = known();
        if (k === undefined) continue;
        const old = db.lookupWrite(k, 0)!;
        const v = randomValue(r);
        db.replace(k, old, v);
        model.set(k, v);
      } else if (op < 0.95) {
        // an in-place edit of a value held by handle, reported through changed()
        const k = known();
        if (k === undefined) continue;
        const v = model.get(k)!;
        if (v instanceof MutableString) {
          const before = v.buf.length;
          v.append(randomBytes(r, Math.floor(r() * 200)));
          db.changed(k, v.buf.length - before);
        }
      } else {
        const k = known();
        if (k === undefined) continue;
        const to = keyOf();
        const v = model.get(k)!;
        const when = ttls.get(k);
        db.moveTo(k, db, to);
        model.delete(k);
        ttls.delete(k);
        untrack(k);
        model.set(to, v);
        track(to);
        ttls.delete(to);
        if (when !== undefined) ttls.set(to, when);
      }
      if (step % 5000 === 4999) check(db, model, ttls, `shards ${shards} step ${step}`);
    }
    check(db, model, ttls, `shards ${shards} end`);
    // deleting everything returns every chunk and the byte count to zero
    for (const k of [...model.keys()]) db.delete(k);
    assert.is(db.size, 0);
    assert.is(db.bytes, 0);
    assert.is(db.arena.usedBytes, 0);
    assert.is(db.handleBytes, 0);
  }
});

/** A stand-in collection kind, as the list/hash/set families define theirs. */
class Bag {
  readonly items: string[] = [];
  get kind(): ValueKind<Bag> {
    return BAG;
  }
}
const BAG: ValueKind<Bag> = {
  name: 'list',
  encoding: () => 'quicklist',
  size: (b) => 64 + b.items.reduce((n, x) => n + x.length + 8, 0),
  copy: (b) => {
    const c = new Bag();
    c.items.push(...b.items);
    return c;
  },
};

test('collections are held by handle: the same object comes back, edits are accounted through changed()', () => {
  const ks = new Keyspace(2, 8);
  const [db, other] = ks.dbs as [Database, Database];
  const bag = new Bag();
  assert.is(db.writeOf('b', BAG, NOW), undefined);
  db.set('b', bag);
  db.setExpire('b', NOW + 1000);
  assert.is(db.readOf('b', BAG, NOW), bag);
  assert.is(db.readOf('b', STRING, NOW), WRONGTYPE);
  db.set('s', 'str');
  assert.is(db.readOf('s', BAG, NOW), WRONGTYPE);
  const before = BAG.size(bag);
  bag.items.push('hello', 'world');
  db.changed('b', BAG.size(bag) - before);
  assert.is(db.bytes, BAG.size(bag) + ENTRY_OVERHEAD + 1 + sizeOf('str') + ENTRY_OVERHEAD + 1);
  assert.is(ks.datasetBytes - ks.arena.usedBytes, BAG.size(bag), 'the collection estimate is part of the dataset');
  db.moveTo('b', other, 'renamed');
  assert.is(other.lookupWrite('renamed', NOW), bag);
  assert.is(other.expireAt('renamed'), NOW + 1000);
  db.swapWith(other);
  assert.is(db.lookupWrite('renamed', NOW), bag);
  assert.is(other.lookupWrite('s', NOW), 'str');
  assert.is(db.lookupWrite('renamed', NOW + 1000), undefined, 'expired');
  assert.is(ks.arena.handles.filter((h) => h !== undefined).length, 0, 'its handle was released');
  other.clear();
  assert.is(ks.bytes, 0);
  assert.is(ks.arena.usedBytes, 0);
  assert.is(ks.arena.pageBytes, 0, 'an empty keyspace gives its pages back');
  db.set('again', 'v');
  assert.is(db.lookupWrite('again', NOW), 'v');
});

test('binary keys and values with every byte value round-trip', () => {
  const db = new Database(0, 16);
  const all = randomBytes(() => 0, 0) + Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
  for (let i = 0; i < 256; i++) {
    const key = String.fromCharCode(i) + all.slice(i) + String.fromCharCode(255 - i);
    db.set(key, all.slice(0, i) + '\x00\xff');
  }
  db.set('', '');
  db.set('\x00', all);
  assert.is(db.size, 258);
  for (let i = 0; i < 256; i++) {
    const key = String.fromCharCode(i) + all.slice(i) + String.fromCharCode(255 - i);
    assert.is(db.lookupWrite(key, 0), all.slice(0, i) + '\x00\xff');
  }
  assert.is(db.lookupWrite('', 0), '');
  assert.is(db.lookupWrite('\x00', 0), all);
  assert.is(db.lookupWrite('\x00\x00', 0), undefined);
  const scanned = new Set<string>();
  let c = 0n;
  do c = new ScanCursors().scan(db, c, 10, 0, (k) => scanned.add(k));
  while (c !== 0n);
  assert.is(scanned.size, 258);
  // keys larger than the largest size class get a page of their own, released on delete
  const big = 'K'.repeat(MAX_CLASS_BYTES + 100);
  const pages = db.arena.pageBytes;
  db.set(big, 'v');
  assert.is(db.lookupWrite(big, 0), 'v');
  db.setExpire(big, NOW);
  assert.is(db.expireAt(big), NOW);
  db.delete(big);
  assert.is(db.arena.pageBytes, pages);
});

test('SCAN guarantee while a table grows and shrinks between calls', () => {
  const db = new Database(0, 1);
  const shard = db.shards[0]!;
  const stable: string[] = [];
  for (let i = 0; i < 200; i++) {
    db.set(`s${i}`, i);
    stable.push(`s${i}`);
  }
  const scans = new ScanCursors();
  const seen = new Set<string>();
  const sizes = new Set<number>();
  let cursor = 0n;
  let step = 0;
  let added = 0;
  do {
    cursor = scans.scan(db, cursor, 3, NOW, (k) => seen.add(k));
    step++;
    // grow to ~5000 keys, shrink back, grow again: doublings and halvings mid-scan
    const phase = Math.floor(step / 40) % 3;
    if (phase === 0 || phase === 2) for (let j = 0; j < 60; j++) db.set(`t${added++}`, j);
    else for (let j = 0; j < 200 && added > 0; j++) db.delete(`t${--added}`);
    sizes.add(shard.tableSizes[0]);
    assert.ok(step < 10_000, 'scan ends');
  } while (cursor !== 0n);
  for (const k of stable) assert.ok(seen.has(k), `missed ${k}`);
  assert.ok(sizes.size >= 4, `the table resized mid-scan (${[...sizes].join(', ')})`);
});

test('resizes are incremental: a second table is moved bucket by bucket', () => {
  const db = new Database(0, 1);
  const shard = db.shards[0]!;
  let sawBoth = 0;
  for (let i = 0; i < 100_000; i++) {
    db.set(`key:${i}`, i);
    if (shard.tableSizes[1] !== 0) sawBoth++;
  }
  assert.ok(sawBoth > 1000, `operations during a resize: ${sawBoth}`);
  for (let i = 0; i < 100_000; i++) assert.is(db.lookupWrite(`key:${i}`, 0), i);
  for (let i = 0; i < 99_990; i++) db.delete(`key:${i}`);
  while (shard.tableSizes[1] !== 0) db.lookupWrite('x', 0);
  assert.ok(shard.tableSizes[0] <= 64, `shrunk to ${shard.tableSizes[0]}`);
  for (let i = 99_990; i < 100_000; i++) assert.is(db.lookupWrite(`key:${i}`, 0), i);
});

test('the TTL index follows records that move; active expiry sampling finds exactly the expired', () => {
  const ks = new Keyspace(1, 4);
  const db = ks.dbs[0]!;
  const r = rng(7);
  for (let i = 0; i < 2000; i++) {
    db.set(`k${i}`, 'x');
    if (i % 2 === 0) db.setExpire(`k${i}`, i % 4 === 0 ? 100 : 1e15);
  }
  // grow values (relocating records) keeping their TTL
  for (let i = 0; i < 2000; i++) db.set(`k${i}`, randomBytes(r, Math.floor(r() * 500)), true);
  assert.is(db.expiresCount, 1000);
  let expired = 0;
  for (let shard = 0; shard < 4; shard++) {
    const s = db.shards[shard]!;
    for (let pos = 0; pos < s.ttlCount; pos++) {
      const key = s.keyOf(s.ttl[pos]!);
      const n = Number(key.slice(1));
      assert.ok(n % 2 === 0, `${key} has a TTL`);
    }
  }
  while (db.expiresCount > 500) {
    for (const s of db.shards) {
      for (let pos = 0; pos < s.ttlCount; ) {
        const a = s.ttl[pos]!;
        if (s.expiryOf(a) <= 200) {
          db.expire(s, s.keyOf(a));
          expired++;
        } else pos++;
      }
    }
  }
  assert.is(expired, 500);
  for (let i = 0; i < 2000; i++) {
    const has = db.lookupWrite(`k${i}`, 200) !== undefined;
    assert.is(has, i % 4 !== 0, `k${i}`);
  }
});

test('free space is reused: random overwrites with 1-1000 byte values stay within 1.3x of the first fill', () => {
  const db = new Database(0, 16);
  const r = rng(99);
  const keys = 20_000;
  const value = () => 'v'.repeat(1 + Math.floor(r() * 1000));
  for (let i = 0; i < keys; i++) db.set(`key:${i}`, value());
  const afterFill = db.arena.pageBytes;
  let peak = afterFill;
  for (let i = 0; i < 10 * keys; i++) {
    db.set(`key:${Math.floor(r() * keys)}`, value());
    if (i % 10_000 === 0) peak = Math.max(peak, db.arena.pageBytes);
  }
  peak = Math.max(peak, db.arena.pageBytes);
  assert.ok(peak <= afterFill * 1.3, `pages ${peak} after overwrites vs ${afterFill} after the fill`);
  // and the chunks in use stay close to the payload (size classes lose at most 12.5% + header)
  assert.ok(db.arena.usedBytes <= db.arena.pageBytes);
});

test('size classes: a chunk is at most 12.5% (or 8 bytes) larger than its record', () => {
  for (let b = 1; b <= MAX_CLASS_BYTES; b += 7) {
    const c = chunkBytes(b);
    assert.ok(c >= b && (c - b <= 8 || c <= b * 1.125 + 8), `${b} -> ${c}`);
  }
  assert.is(chunkBytes(MAX_CLASS_BYTES + 1), 0);
  const arena = new Arena();
  const a = arena.alloc(40);
  const b = arena.alloc(40);
  assert.ok(a !== 0 && b !== 0 && a !== b);
  arena.free(a, 40);
  assert.is(arena.alloc(36), a, 'a freed chunk is reused by its class');
  assert.is(arena.pageBytes, PAGE_BYTES);
});

test('a key found again by the same string object: right after chains change, records move, tables resize', () => {
  // one shard, so every key shares its chains and resizes; a few key objects reused throughout
  // (find's found-record shortcut), fresh strings for the rest
  const r = rng(7);
  const db = new Database(0, 1);
  const model = new Map<string, Value>();
  const ttls = new Map<string, number>();
  const pool = Array.from({ length: 24 }, (_, i) => `pooled:${i}`);
  const fresh = () => `k${Math.floor(r() * 4000)}`.slice(0); // a new string object each time
  for (let step = 0; step < 40_000; step++) {
    const k = pool[Math.floor(r() * pool.length)]!;
    const old = db.lookupWrite(k, 0);
    assert.ok(same(old, model.get(k)), `step ${step}: lookup of ${k}`);
    // something between the lookup and the write that may change chains or move records
    const between = r();
    if (between < 0.3) {
      const f = fresh();
      const v = randomValue(r);
      db.set(f, v);
      model.set(f, v);
      ttls.delete(f);
    } else if (between < 0.5) {
      const f = fresh();
      assert.is(db.delete(f), model.delete(f));
      ttls.delete(f);
    } else if (between < 0.6) {
      const other = pool[Math.floor(r() * pool.length)]!;
      if (model.has(other)) {
        db.setExpire(other, NOW + 1e6);
        ttls.set(other, NOW + 1e6);
      }
    } else if (between < 0.65 && model.has(k)) {
      db.setExpire(k, NOW + 2e6); // k's record grows a TTL block: it may move
      ttls.set(k, NOW + 2e6);
    } else if (between < 0.7 && model.has(k)) {
      assert.is(db.persist(k), ttls.delete(k));
    } else if (between < 0.75 && model.size > 500) {
      // many deletions: the table shrinks
      for (const f of [...model.keys()].slice(0, 200)) {
        db.delete(f);
        model.delete(f);
        ttls.delete(f);
      }
    }
    const v = randomValue(r);
    const op = r();
    if (op < 0.6 && db.lookupWrite(k, 0) !== undefined) {
      db.replace(k, db.lookupWrite(k, 0)!, v);
      model.set(k, v);
    } else if (op < 0.8) {
      db.set(k, v);
      model.set(k, v);
      ttls.delete(k);
    } else {
      assert.is(db.delete(k), model.delete(k));
      ttls.delete(k);
    }
    assert.is(db.stored(k), model.has(k), `step ${step}: ${k} stored`);
    if (step % 4000 === 3999) check(db, model, ttls, `step ${step}`);
  }
  check(db, model, ttls, 'end');
});

test("replace of an integer by an integer (INCR) in place: the same record as put's overwrite makes", () => {
  // the same operations on two databases; `b` passes a non-number as the old value, which takes
  // put's general overwrite, `a` the in-place rewrite
  const r = rng(11);
  const a = new Database(0, 4);
  const b = new Database(0, 4);
  const keys = Array.from({ length: 50 }, (_, i) => `n${i}`);
  for (let step = 0; step < 20_000; step++) {
    const k = keys[Math.floor(r() * keys.length)]!;
    const op = r();
    for (const db of [a, b]) db.access.now = NOW + step * 1000; // LRU clocks move between writes
    if (op < 0.15) {
      const vtype = Math.floor(r() * 5); // BYTES, STRING, INT, FLOAT, DECIMAL
      const v = r() < 0.8 ? Math.floor((r() - 0.5) * 1e6) : `t${step}`;
      for (const db of [a, b]) db.set(k, v, false, vtype);
    } else if (op < 0.2) {
      for (const db of [a, b]) if (db.stored(k)) db.setExpire(k, NOW + 1e9);
    } else {
      const old = a.lookupWrite(k, NOW + step * 1000);
      assert.ok(same(old, b.lookupWrite(k, NOW + step * 1000)));
      if (typeof old !== 'number') continue;
      const v = old + Math.floor((r() - 0.5) * 10);
      a.replace(k, old, v, VT_KEEP_INT);
      b.replace(k, String(old), v, VT_KEEP_INT);
    }
  }
  for (const k of keys) {
    assert.ok(same(a.lookupRead(k, NOW, false), b.lookupRead(k, NOW, false)), k);
    assert.is(a.expireAt(k), b.expireAt(k), `${k} ttl`);
    assert.is(a.valueTypeOf(k), b.valueTypeOf(k), `${k} type`);
    assert.is(a.accessOf(k), b.accessOf(k), `${k} clock`);
  }
  assert.is(a.bytes, b.bytes);
  assert.is(a.arena.usedBytes, b.arena.usedBytes);
});

test.run();
