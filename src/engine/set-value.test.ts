import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SET, SetValue } from './set-value.js';

function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('an intset holds canonical int64s in ascending order, bigints included', () => {
  const s = new SetValue('5');
  for (const m of ['5', '-3', '9223372036854775807', '-9223372036854775808', '0', '9007199254740993', '12']) s.add(m, 512);
  assert.is(SET.encoding(s), 'intset');
  assert.equal(s.members(), ['-9223372036854775808', '-3', '0', '5', '12', '9007199254740993', '9223372036854775807']);
  assert.ok(s.has('9007199254740993'));
  assert.not.ok(s.has('9007199254740992'));
  assert.not.ok(s.has('05'));
  assert.not.ok(s.has('x'));
  assert.not.ok(s.add('5', 512));
});

test('non-canonical integers and other strings make a hashtable', () => {
  for (const m of ['-0', '01', '+1', ' 1', '9223372036854775808', '1.0', '']) {
    const s = new SetValue();
    s.add('1', 512);
    s.add(m, 512);
    assert.is(SET.encoding(s), 'hashtable', m);
    assert.ok(s.has(m) && s.has('1'), m);
    assert.is(SET.encoding(new SetValue(m)), 'hashtable', m);
  }
});

test('an intset converts after the insert that passes set-max-intset-entries', () => {
  const s = new SetValue('1');
  for (let i = 1; i <= 3; i++) s.add(String(i), 3);
  assert.is(SET.encoding(s), 'intset');
  s.add('4', 3);
  assert.is(SET.encoding(s), 'hashtable');
  assert.equal(s.members().sort(), ['1', '2', '3', '4']);
  s.delete('4');
  assert.is(SET.encoding(s), 'hashtable');
});

test('deleteAt and memberAt address every member; copy shares nothing', () => {
  for (const first of ['1', 'a']) {
    const s = new SetValue(first);
    for (const m of ['1', '2', '3', first]) s.add(m, 512);
    const c = SET.copy(s);
    const seen: string[] = [];
    while (s.size > 0) seen.push(s.deleteAt(s.size - 1));
    assert.equal(seen.sort(), c.members().sort());
    assert.is(SET.encoding(c), first === '1' ? 'intset' : 'hashtable');
    assert.ok(c.size > 0);
  }
});

test('bytes return to the empty size', () => {
  for (const first of ['1', 'a']) {
    const s = new SetValue(first);
    const empty = s.bytes;
    s.add(first, 512);
    s.add(first + '0', 512);
    assert.ok(s.bytes > empty);
    s.delete(first);
    s.delete(first + '0');
    assert.is(s.bytes, empty);
  }
});

test('randomised against a Set, integers and strings', () => {
  const rnd = prng(7);
  for (const [max, strings] of [[16, false], [100000, false], [100000, true]] as const) {
    const s = new SetValue();
    const ref = new Set<string>();
    for (let step = 0; step < 5000; step++) {
      const n = Math.floor(rnd() * 60) - 30;
      const m = strings && rnd() < 0.05 ? 'm' + n : String(n);
      const r = rnd();
      if (r < 0.5) {
        assert.is(s.add(m, max), !ref.has(m));
        ref.add(m);
      } else if (r < 0.7) {
        assert.is(s.delete(m), ref.delete(m));
      } else if (r < 0.8 && s.size > 0) {
        const i = Math.floor(rnd() * s.size);
        const got = s.deleteAt(i);
        assert.ok(ref.delete(got));
      } else {
        assert.is(s.has(m), ref.has(m));
      }
      assert.is(s.size, ref.size);
    }
    assert.equal(new Set(s.members()), ref);
    if (SET.encoding(s) === 'intset') {
      const nums = s.members().map(Number);
      assert.equal(nums, nums.slice().sort((a, b) => a - b));
    }
  }
});

test.run();
