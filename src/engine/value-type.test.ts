/*
 * The typed-value tag in the record's meta word (shard.ts bits 3-5): it follows the record
 * through every way a record is rewritten or moved, and every plain write resets it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Database, Keyspace } from './keyspace.js';
import { LARGE_STRING } from './shard.js';
import { VT_BYTES, VT_DECIMAL, VT_FLOAT, VT_INT, VT_KEEP_INT, VT_STRING, valueTypeNamed, VALUE_TYPE_NAMES } from './value-type.js';
import { stringOf, type StringValue } from './values.js';

const NOW = 1_700_000_000_000;

test('set with a tag, read it back; a plain set resets it; a missing key is bytes', () => {
  const db = new Database(0, 4);
  assert.is(db.valueTypeOf('k'), VT_BYTES);
  db.set('k', 'hello', false, VT_STRING);
  assert.is(db.valueTypeOf('k'), VT_STRING);
  db.set('k', 'hello');
  assert.is(db.valueTypeOf('k'), VT_BYTES);
  for (const t of [VT_STRING, VT_INT, VT_FLOAT, VT_DECIMAL]) {
    db.set('k', 'v', false, t);
    assert.is(db.valueTypeOf('k'), t);
  }
  assert.is(valueTypeNamed('DECIMAL'), VT_DECIMAL);
  assert.is(valueTypeNamed('list'), -1);
  assert.equal(VALUE_TYPE_NAMES, ['bytes', 'string', 'int', 'float', 'decimal']);
});

test('the tag survives overwrite in place, a move to another size class, and every encoding', () => {
  const db = new Database(0, 4);
  const values: StringValue[] = ['abc', 'abd', 'x'.repeat(300), 'y', 42, 7, 2n ** 60n, 'z'.repeat(LARGE_STRING + 1), 'short again'];
  for (const v of values) {
    db.set('k', v, false, VT_DECIMAL);
    assert.is(db.valueTypeOf('k'), VT_DECIMAL, `after storing ${String(v).slice(0, 10)}`);
    assert.is(stringOf(db.lookupRead('k', NOW) as StringValue), stringOf(v));
  }
  // the access clock's updates (every lookup) leave it alone
  db.access.now = NOW + 60_000;
  db.lookupRead('k', NOW + 60_000);
  assert.is(db.valueTypeOf('k'), VT_DECIMAL);
});

test('the tag survives TTL set and persist, in place or moved', () => {
  const db = new Database(0, 4);
  for (const v of ['a', 'b'.repeat(27), 'c'.repeat(200), 5] as StringValue[]) {
    db.set('k', v, false, VT_FLOAT);
    db.setExpire('k', NOW + 1000);
    assert.is(db.valueTypeOf('k'), VT_FLOAT);
    assert.is(db.expireAt('k'), NOW + 1000);
    db.setExpire('k', NOW + 2000);
    assert.is(db.valueTypeOf('k'), VT_FLOAT);
    assert.ok(db.persist('k'));
    assert.is(db.valueTypeOf('k'), VT_FLOAT);
    assert.is(db.expireAt('k'), undefined);
  }
  // keepTtl writes carry a TTL and a new tag together
  db.set('t', 'x', false, VT_INT);
  db.setExpire('t', NOW + 5);
  db.set('t', 'yy', true, VT_STRING);
  assert.is(db.valueTypeOf('t'), VT_STRING);
  assert.is(db.expireAt('t'), NOW + 5);
});

test('INCR-style replace keeps only an Int tag; other replaces reset it', () => {
  const db = new Database(0, 4);
  db.set('i', 5, false, VT_INT);
  db.replace('i', 5, 6, VT_KEEP_INT);
  assert.is(db.valueTypeOf('i'), VT_INT);
  db.replace('i', 6, 2n ** 62n, VT_KEEP_INT); // to a handle (bigint)
  assert.is(db.valueTypeOf('i'), VT_INT);
  db.replace('i', 2n ** 62n, 3, VT_KEEP_INT); // and back
  assert.is(db.valueTypeOf('i'), VT_INT);
  db.setExpire('i', NOW + 10);
  db.replace('i', 3, 4, VT_KEEP_INT);
  assert.is(db.valueTypeOf('i'), VT_INT);
  db.set('d', 5, false, VT_DECIMAL);
  db.replace('d', 5, 6, VT_KEEP_INT);
  assert.is(db.valueTypeOf('d'), VT_BYTES);
  db.set('n', 1, false, VT_INT);
  db.replace('n', 1, 'text');
  assert.is(db.valueTypeOf('n'), VT_BYTES);
  // a new key written with KEEP_INT is plain bytes
  db.set('fresh', 1, false, VT_KEEP_INT);
  assert.is(db.valueTypeOf('fresh'), VT_BYTES);
});

test('RENAME and MOVE (moveTo), SWAPDB (swapWith) carry the tag and the TTL', () => {
  const ks = new Keyspace(2, 8);
  const [a, b] = ks.dbs as [Database, Database];
  a.set('k', '1.5', false, VT_DECIMAL);
  a.setExpire('k', NOW + 100);
  a.moveTo('k', a, 'renamed{other}');
  assert.is(a.valueTypeOf('renamed{other}'), VT_DECIMAL);
  assert.is(a.expireAt('renamed{other}'), NOW + 100);
  a.moveTo('renamed{other}', b, 'k');
  assert.is(b.valueTypeOf('k'), VT_DECIMAL);
  assert.is(b.expireAt('k'), NOW + 100);
  a.set('plain', 'x');
  a.swapWith(b);
  assert.is(a.valueTypeOf('k'), VT_DECIMAL);
  assert.is(b.valueTypeOf('plain'), VT_BYTES);
  // into a namespace and back
  const ns = ks.namespace('tenant');
  a.moveTo('k', ns, 'k');
  assert.is(ns.valueTypeOf('k'), VT_DECIMAL);
  assert.is(ns.expireAt('k'), NOW + 100);
});

test('the tag survives the index growing and shrinking (records relinked, not rewritten)', () => {
  const db = new Database(0, 1);
  for (let i = 0; i < 2000; i++) db.set(`k${i}`, `v${i}`, false, i % 5);
  for (let i = 0; i < 2000; i++) assert.is(db.valueTypeOf(`k${i}`), i % 5);
  for (let i = 0; i < 1990; i++) db.delete(`k${i}`);
  for (let i = 1990; i < 2000; i++) {
    db.lookupWrite(`k${i}`, NOW); // runs the shrink's rehash steps
    assert.is(db.valueTypeOf(`k${i}`), i % 5);
  }
});

test('a typed record costs exactly what a plain one does', () => {
  const plain = new Keyspace(1, 4);
  const typed = new Keyspace(1, 4);
  for (let i = 0; i < 5000; i++) {
    plain.dbs[0]!.set(`key:${i}`, `value-${i}`);
    typed.dbs[0]!.set(`key:${i}`, `value-${i}`, false, VT_STRING);
  }
  assert.is(typed.arena.usedBytes, plain.arena.usedBytes);
  assert.is(typed.memory, plain.memory);
});

test.run();
