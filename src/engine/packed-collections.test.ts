import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Keyspace, type Database } from './keyspace.js';
import { HashValue, HASH } from './hash-value.js';
import { SET, SetValue } from './set-value.js';
import { LIST, ListValue } from './list-value.js';
import { ZSetValue } from './zset-value.js';
import { ScanCursors } from './scan.js';

/** the form a list is held in (OBJECT ENCODING answers quicklist for both, as Redis 7.0) */
const internalForm = (l: ListValue): string => (l.quicklist ? 'quicklist' : 'listpack');
import { kindOf } from './values.js';

const NOW = 1_700_000_000_000;
const LIMITS = { hashEntries: 128, hashValue: 64 };

function smallHash(n: number): HashValue {
  const h = new HashValue();
  for (let i = 0; i < n; i++) h.set(`f${i}`, `v${i}`, LIMITS);
  return h;
}

function setup(): { ks: Keyspace; db: Database } {
  const ks = new Keyspace(2, 4);
  return { ks, db: ks.dbs[0]! };
}

test('a small hash is stored as bytes in its record: no handle, no object kept after settle', () => {
  const { ks, db } = setup();
  db.set('h', smallHash(3));
  ks.settle();
  assert.is(ks.arena.handles.filter((x) => x !== undefined).length, 0, 'no object held by handle');
  const h = db.lookupRead('h', NOW) as HashValue;
  assert.ok(h instanceof HashValue);
  assert.is(h.get('f1'), 'v1');
  assert.is(h.length, 3);
});

test('within a command every lookup returns the same object; its edits are packed back at settle', () => {
  const { ks, db } = setup();
  db.set('h', smallHash(2));
  ks.settle();
  const a = db.lookupWrite('h', NOW) as HashValue;
  assert.is(db.lookupRead('h', NOW), a, 'same object in one command');
  a.set('new', 'field', LIMITS);
  db.changed('h');
  assert.is((db.lookupRead('h', NOW) as HashValue).get('new'), 'field');
  ks.settle();
  const b = db.lookupRead('h', NOW) as HashValue;
  assert.is.not(b, a, 'a fresh object after settle');
  assert.is(b.get('new'), 'field');
  assert.is(b.length, 3);
});

test('an object edited after set (before settle) is stored in its final state', () => {
  const { ks, db } = setup();
  const h = new HashValue();
  db.set('h', h);
  h.set('late', 'edit', LIMITS); // a family that stores first and fills after
  ks.settle();
  assert.is((db.lookupRead('h', NOW) as HashValue).get('late'), 'edit');
});

test('a collection that outgrows its compact form is held as an object; TTL and access clock survive repacking', () => {
  const { ks, db } = setup();
  db.set('h', smallHash(2));
  db.setExpire('h', NOW + 5000);
  ks.settle();
  const clock = db.accessOf('h');
  const h = db.lookupWrite('h', NOW) as HashValue;
  for (let i = 0; i < 200; i++) h.set(`g${i}`, 'x', LIMITS);
  assert.not.ok(h.isListpack);
  db.changed('h');
  ks.settle();
  assert.is(db.expireAt('h'), NOW + 5000);
  assert.is(ks.arena.handles.filter((x) => x !== undefined).length, 1, 'now held by handle');
  const again = db.lookupRead('h', NOW) as HashValue;
  assert.is(again, h, 'the object itself, as any large collection');
  assert.is(again.length, 202);
  assert.is(HASH.encoding(again), 'hashtable');
  void clock;
});

test('intsets and compact sorted sets round-trip through their records', () => {
  const { ks, db } = setup();
  const s = new SetValue('1');
  for (const m of ['1', '-5', '70000', '3']) s.add(m, 512);
  db.set('s', s);
  const z = new ZSetValue();
  z.insert('b', 2, 128, 64);
  z.insert('a', 1.5, 128, 64);
  z.insert('c', -Infinity, 128, 64);
  db.set('z', z);
  ks.settle();
  const s2 = db.lookupRead('s', NOW) as SetValue;
  assert.is(s2.size, 4);
  assert.ok(s2.isIntset);
  assert.ok(s2.has('70000') && s2.has('-5') && !s2.has('2'));
  const z2 = db.lookupRead('z', NOW) as ZSetValue;
  assert.equal(z2.entries(), [['c', -Infinity], ['a', 1.5], ['b', 2]]);
  assert.is(z2.bytes, 3);
});

test('delete, overwrite with a string, moveTo and swapWith of a collection in hand', () => {
  const { ks, db } = setup();
  const other = ks.dbs[1]!;
  db.set('h', smallHash(2));
  ks.settle();
  (db.lookupWrite('h', NOW) as HashValue).set('x', 'y', LIMITS);
  db.changed('h');
  db.moveTo('h', other, 'moved');
  ks.settle();
  assert.is(db.lookupRead('h', NOW), undefined);
  assert.is((other.lookupRead('moved', NOW) as HashValue).get('x'), 'y');
  ks.settle();
  // overwritten by a string in the same command: the string wins
  (other.lookupWrite('moved', NOW) as HashValue).set('z', 'w', LIMITS);
  other.changed('moved');
  other.set('moved', 'plain');
  ks.settle();
  assert.is(other.lookupRead('moved', NOW), 'plain');
  // deleted in the same command: stays deleted
  db.set('gone', smallHash(1));
  db.delete('gone');
  ks.settle();
  assert.is(db.lookupRead('gone', NOW), undefined);
  // SWAPDB with an edit in hand
  db.set('sw', smallHash(1));
  (db.lookupWrite('sw', NOW) as HashValue).set('edited', '1', LIMITS);
  db.swapWith(other);
  ks.settle();
  assert.is((other.lookupRead('sw', NOW) as HashValue).get('edited'), '1');
  assert.is(db.lookupRead('sw', NOW), undefined);
});

test("SCAN's values see the kind of packed records", () => {
  const { ks, db } = setup();
  db.set('h', smallHash(1));
  db.set('str', 'v');
  ks.settle();
  const kinds = new Map<string, string>();
  const scans = new ScanCursors();
  let cursor = 0n;
  do cursor = scans.scan(db, cursor, 10, NOW, (k, v) => kinds.set(k, kindOf(v!).name));
  while (cursor !== 0n);
  assert.equal(Object.fromEntries(kinds), { h: 'hash', str: 'string' });
});

test('accounting: packing a hash costs its bytes in the arena, and removing it returns them', () => {
  const { ks, db } = setup();
  const before = ks.arena.usedBytes;
  db.set('h', smallHash(10));
  ks.settle();
  const used = ks.arena.usedBytes - before;
  assert.ok(used > 60 && used < 200, `record of ${used} bytes`);
  db.delete('h');
  assert.is(ks.arena.usedBytes, before);
  assert.is(db.bytes, 0);
});

test('small lists and small string sets are stored as bytes in their records, edits packed back at settle', () => {
  const { ks, db } = setup();
  db.set('l', ListValue.from(['a', '', '\x00\xff', '12']));
  const s = new SetValue('x');
  for (const m of ['x', '', '\xfe', '12', '-0']) s.add(m, 512);
  db.set('s', s);
  ks.settle();
  assert.is(ks.arena.handles.filter((x) => x !== undefined).length, 0, 'no object held by handle');
  const l = db.lookupWrite('l', NOW) as ListValue;
  assert.ok(l instanceof ListValue);
  assert.is(db.lookupRead('l', NOW), l, 'same object in one command');
  l.pushHead('h');
  assert.is(l.popTail(), '12');
  db.changed('l');
  const s2 = db.lookupWrite('s', NOW) as SetValue;
  assert.is(SET.encoding(s2), 'hashtable');
  s2.add('new', 512);
  s2.delete('');
  db.changed('s');
  ks.settle();
  assert.equal((db.lookupRead('l', NOW) as ListValue).toArray(), ['h', 'a', '', '\x00\xff']);
  assert.is(internalForm(db.lookupRead('l', NOW) as ListValue), 'listpack');
  assert.equal((db.lookupRead('s', NOW) as SetValue).members(), ['x', '\xfe', '12', '-0', 'new']);
  ks.settle();
  assert.is(ks.arena.handles.filter((x) => x !== undefined).length, 0);
  // grown past its compact form: an object held by handle
  const grown = db.lookupWrite('l', NOW) as ListValue;
  grown.growing(3, 1, 1);
  grown.pushTail('t');
  db.changed('l');
  ks.settle();
  assert.is(internalForm(db.lookupRead('l', NOW) as ListValue), 'quicklist');
  assert.is(ks.arena.handles.filter((x) => x !== undefined).length, 1);
  assert.equal((db.lookupRead('l', NOW) as ListValue).toArray(), ['h', 'a', '', '\x00\xff', 't']);
});

test('settle: one command storing a value, editing it, then another key and a third — each packed back right', () => {
  const { ks, db } = setup();
  db.set('a', smallHash(1));
  ks.settle();
  // the command: store b, edit it, then edit a (second key in hand), then c (third)
  const b = new SetValue('x');
  b.add('x', 512);
  db.set('b', b);
  b.add('y', 512);
  db.changed('b');
  const a = db.lookupWrite('a', NOW) as HashValue;
  assert.is(db.lookupRead('b', NOW), b, 'the first key still in hand');
  a.set('more', '1', LIMITS);
  db.changed('a');
  const c = ListValue.from(['1', '2']);
  db.set('c', c);
  c.pushTail('3');
  db.changed('c');
  assert.is(db.lookupRead('a', NOW), a, 'the second key still in hand');
  assert.is(db.lookupRead('c', NOW), c);
  ks.settle();
  assert.equal((db.lookupRead('b', NOW) as SetValue).members(), ['x', 'y']);
  assert.is((db.lookupRead('a', NOW) as HashValue).get('more'), '1');
  assert.equal((db.lookupRead('c', NOW) as ListValue).toArray(), ['1', '2', '3']);
  ks.settle();
  assert.is(ks.arena.handles.filter((x) => x !== undefined).length, 0);
});

test('settle: a value read and left unchanged is not written; the next command sees its record', () => {
  const { ks, db } = setup();
  const first = new SetValue('m');
  first.add('m', 512);
  db.set('s', first);
  ks.settle();
  const s = db.lookupWrite('s', NOW) as SetValue;
  s.add('not-reported', 512); // an edit no changed() reports is not packed back
  ks.settle();
  assert.equal((db.lookupRead('s', NOW) as SetValue).members(), ['m'], 'the record as it was');
  ks.settle();
});

test('settle: the first key dropped mid-command frees its slot; a key in hand elsewhere moves to it', () => {
  const { ks, db } = setup();
  db.set('a', smallHash(1));
  db.set('b', smallHash(1));
  ks.settle();
  const a = db.lookupWrite('a', NOW) as HashValue;
  const b = db.lookupWrite('b', NOW) as HashValue;
  b.set('b-edit', '1', LIMITS);
  db.changed('b');
  db.delete('a');
  void a;
  // b is looked up again (now possibly kept in the freed slot) and edited once more
  const b2 = db.lookupWrite('b', NOW) as HashValue;
  assert.is(b2, b);
  b2.set('b-edit2', '2', LIMITS);
  db.changed('b');
  db.set('a', smallHash(2)); // a new object for the deleted key
  ks.settle();
  assert.is((db.lookupRead('a', NOW) as HashValue).length, 2);
  const b3 = db.lookupRead('b', NOW) as HashValue;
  assert.is(b3.get('b-edit'), '1');
  assert.is(b3.get('b-edit2'), '2');
  ks.settle();
});

test('settle covers every database a command touched, and a flush in the command forgets what was in hand', () => {
  const { ks, db } = setup();
  const other = ks.dbs[1]!;
  db.set('k', smallHash(1));
  other.set('k', smallHash(1));
  ks.settle();
  (db.lookupWrite('k', NOW) as HashValue).set('in-0', '1', LIMITS);
  db.changed('k');
  (other.lookupWrite('k', NOW) as HashValue).set('in-1', '1', LIMITS);
  other.changed('k');
  ks.settle();
  assert.is((db.lookupRead('k', NOW) as HashValue).get('in-0'), '1');
  assert.is((other.lookupRead('k', NOW) as HashValue).get('in-1'), '1');
  ks.settle();
  (db.lookupWrite('k', NOW) as HashValue).set('lost', '1', LIMITS);
  db.changed('k');
  db.clear();
  ks.settle();
  assert.is(db.lookupRead('k', NOW), undefined);
  assert.is(db.size, 0);
});

test('settle: an edit that leaves the packed bytes as they were still counts as a change; the data stays right', () => {
  const { ks, db } = setup();
  db.set('h', smallHash(2));
  ks.settle();
  const before = db.lookupRead('h', NOW) as HashValue;
  const packed = before.packed();
  ks.settle();
  const dirty = db.stats.dirty;
  const h = db.lookupWrite('h', NOW) as HashValue;
  assert.is(h.set('f1', 'v1', LIMITS), false, 'the field existed');
  assert.is(h.packed(), packed, 'the same value again leaves the listpack as it was');
  db.changed('h');
  assert.is(db.stats.dirty, dirty + 1, 'still a write (WATCH, notifications, propagation)');
  ks.settle();
  // an edit undone in the same command (a script: SADD then SREM)
  const s = new SetValue('a');
  s.add('a', 512);
  db.set('s', s);
  ks.settle();
  const s2 = db.lookupWrite('s', NOW) as SetValue;
  s2.add('b', 512);
  db.changed('s');
  s2.delete('b');
  db.changed('s');
  ks.settle();
  assert.equal((db.lookupRead('s', NOW) as SetValue).members(), ['a']);
  assert.equal((db.lookupRead('h', NOW) as HashValue).get('f1'), 'v1');
  ks.settle();
});

test.run();
