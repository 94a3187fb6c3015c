import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HASH, HashValue, type HashLimits } from './hash-value.js';

const L = (entries: number, value = 64): HashLimits => ({ hashEntries: entries, hashValue: value });

/** A deterministic stream of numbers in [0, 1) (mulberry32). */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function entries(h: HashValue): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const view = h.view();
  for (let i = 0; i < view.length; i++) out.push([view.fieldAt(i), view.valueAt(i)]);
  return out;
}

test('listpack keeps insertion order; updates keep their place, deletes close the gap', () => {
  const h = new HashValue();
  assert.ok(h.set('a', '1', L(128)));
  assert.ok(h.set('b', '2', L(128)));
  assert.ok(h.set('c', '3', L(128)));
  assert.not.ok(h.set('a', '9', L(128)));
  assert.equal(entries(h), [['a', '9'], ['b', '2'], ['c', '3']]);
  assert.ok(h.delete('b'));
  assert.not.ok(h.delete('b'));
  assert.equal(entries(h), [['a', '9'], ['c', '3']]);
  assert.is(HASH.encoding(h), 'listpack');
  assert.is(h.get('c'), '3');
  assert.is(h.get('b'), undefined);
});

test('converts to hashtable after the insert that passes max entries, once and for good', () => {
  const h = new HashValue();
  for (let i = 0; i < 4; i++) h.set(`f${i}`, 'v', L(4));
  assert.is(HASH.encoding(h), 'listpack');
  h.set('f4', 'v', L(4));
  assert.is(HASH.encoding(h), 'hashtable');
  for (let i = 0; i < 5; i++) h.delete(`f${i}`);
  assert.is(h.length, 0);
  assert.is(HASH.encoding(h), 'hashtable');
  // max 0: the first insert converts
  const z = new HashValue();
  z.set('a', 'b', L(0));
  assert.is(HASH.encoding(z), 'hashtable');
});

test('a field or value longer than the value limit converts before the insert', () => {
  const h = new HashValue();
  h.set('a', 'bb', L(128, 2));
  assert.is(HASH.encoding(h), 'listpack');
  h.set('a', 'bbb', L(128, 2));
  assert.is(HASH.encoding(h), 'hashtable');
  const f = new HashValue();
  f.set('fff', 'b', L(128, 2));
  assert.is(HASH.encoding(f), 'hashtable');
  assert.is(f.get('fff'), 'b');
});

test('copy shares nothing and keeps the encoding', () => {
  for (const max of [128, 1]) {
    const h = new HashValue();
    h.set('a', '1', L(max));
    h.set('b', '2', L(max));
    const c = HASH.copy(h);
    c.set('a', 'x', L(max));
    c.delete('b');
    assert.is(h.get('a'), '1');
    assert.is(h.get('b'), '2');
    assert.is(HASH.encoding(c), HASH.encoding(h));
  }
});

test('bytes follow the contents and return to the empty size', () => {
  const h = new HashValue();
  const empty = h.bytes;
  h.set('field', 'value', L(128));
  const one = h.bytes;
  assert.ok(one > empty + 10);
  h.set('field', 'longer value', L(128));
  assert.is(h.bytes, one + 'longer value'.length - 'value'.length);
  h.delete('field');
  assert.is(h.bytes, empty);
});

test('randomised against a Map, across the conversion', () => {
  const rnd = prng(42);
  for (const max of [8, 30, 100000]) {
    const h = new HashValue();
    const ref = new Map<string, string>();
    for (let step = 0; step < 5000; step++) {
      const f = 'f' + Math.floor(rnd() * 80);
      const r = rnd();
      if (r < 0.5) {
        const v = String(Math.floor(rnd() * 1000));
        assert.is(h.set(f, v, L(max)), !ref.has(f));
        ref.set(f, v);
      } else if (r < 0.8) {
        assert.is(h.delete(f), ref.delete(f));
      } else {
        assert.is(h.get(f), ref.get(f));
        assert.is(h.has(f), ref.has(f));
      }
      assert.is(h.length, ref.size);
    }
    const got = new Map(entries(h));
    assert.equal(got, ref);
    if (max === 100000) assert.is(HASH.encoding(h), 'listpack');
    else assert.is(HASH.encoding(h), 'hashtable');
  }
});


test('randomised with binary, empty and long fields and values, listpack only', () => {
  const rnd = prng(99);
  const pick = () => ['', '\xfe', '\xff\x00', 'a'.repeat(300), 'b'.repeat(254), 'c'.repeat(253), String(Math.floor(rnd() * 20))][Math.floor(rnd() * 7)]! + String(Math.floor(rnd() * 5));
  const h = new HashValue();
  const ref = new Map<string, string>();
  const limits = L(1000, 100000);
  for (let step = 0; step < 3000; step++) {
    const f = pick();
    if (rnd() < 0.6) {
      const v = pick();
      assert.is(h.set(f, v, limits), !ref.has(f));
      ref.set(f, v);
    } else assert.is(h.delete(f), ref.delete(f));
    assert.is(h.get(f), ref.get(f));
  }
  assert.is(HASH.encoding(h), 'listpack');
  assert.equal(entries(h), [...ref.entries()]); // insertion order kept, as a listpack
  h.convert();
  assert.equal(new Map(entries(h)), ref);
});

test('an unpacked listpack counts its fields when asked, and after hits, misses and deletes', () => {
  const build = (n: number): HashValue => {
    const h = new HashValue();
    for (let i = 0; i < n; i++) h.set(`f${i}`, `v${i}`, L(128));
    return HashValue.fromPacked(h.packed()!);
  };
  assert.is(build(5).length, 5);
  assert.is(build(0).length, 0);
  // a hit (the count stays unknown), then a delete, then the count
  let h = build(5);
  assert.not.ok(h.set('f1', 'other', L(128)));
  assert.ok(h.delete('f2'));
  assert.is(h.length, 4);
  // a miss walks the whole listpack: the insert counts from there, and converts past the limit
  h = build(4);
  assert.ok(h.set('new', 'v', L(5)));
  assert.is(h.length, 5);
  assert.ok(h.isListpack);
  h = build(5);
  assert.ok(h.set('new', 'v', L(5)));
  assert.not.ok(h.isListpack);
  assert.is(h.length, 6);
  // deletes until empty
  h = build(3);
  for (const f of ['f0', 'f1', 'f2']) assert.ok(h.delete(f));
  assert.is(h.length, 0);
  assert.equal(HASH.copy(build(3)).length, 3);
});

test.run();
