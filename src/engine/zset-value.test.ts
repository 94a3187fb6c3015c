/*
 * The sorted set structure against a sorted-array reference model, in both forms, with random
 * operations; plus the ordering rules (byte order of members, -0 in the compact form) and the
 * one-way conversion at the limits.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ZSetValue, type LexBound } from './zset-value.js';

function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Pair = [string, number];
const cmp = (a: Pair, b: Pair) => (a[1] - b[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

function check(z: ZSetValue, model: Pair[], rnd: () => number): void {
  assert.is(z.size, model.length);
  assert.equal(z.entries(), model);
  assert.is(z.bytes, model.reduce((n, [m]) => n + m.length, 0), 'member bytes counted');
  for (let k = 0; k < 5 && model.length > 0; k++) {
    const i = Math.floor(rnd() * model.length);
    const [m, s] = model[i]!;
    assert.is(z.rank(m), i);
    assert.is(z.score(m), s);
    assert.equal(z.at(i), [m, s]);
    const lo = Math.floor(rnd() * model.length);
    const hi = lo + Math.floor(rnd() * (model.length - lo + 1));
    assert.equal(z.slice(lo, hi), model.slice(lo, hi));
    assert.equal(z.slice(lo, hi, true), model.slice(lo, hi).reverse());
    const t = Math.floor(rnd() * 50) - 25;
    assert.is(z.countBelow(t, false), model.filter((p) => p[1] < t).length);
    assert.is(z.countBelow(t, true), model.filter((p) => p[1] <= t).length);
  }
  assert.is(z.rank('absent-member'), -1);
  assert.is(z.score('absent-member'), undefined);
  // by position (what ZSCAN walks): every element once
  assert.equal([...z.memberScores()].sort(cmp), model);
}

function randomRun(seed: number, maxEntries: number, ops: number): void {
  const rnd = prng(seed);
  const z = new ZSetValue();
  let model: Pair[] = [];
  for (let op = 0; op < ops; op++) {
    const member = 'm' + String.fromCharCode(Math.floor(rnd() * 256)) + Math.floor(rnd() * 300);
    const score = Math.floor(rnd() * 40) - 20 + (rnd() < 0.3 ? 0.5 : 0);
    const r = rnd();
    const present = model.findIndex((p) => p[0] === member);
    // as ZADD does, half the time: the score looked up first, then the write
    if (rnd() < 0.5) assert.is(z.score(member), present < 0 ? undefined : model[present]![1]);
    if (r > 0.9) {
      // ZPOPMIN / ZPOPMAX with a count
      const max = rnd() < 0.5;
      const count = 1 + Math.floor(rnd() * 3);
      const expected = max ? model.slice(-count).reverse() : model.slice(0, count);
      assert.equal(z.pop(max, count), expected);
      model = max ? model.slice(0, Math.max(0, model.length - count)) : model.slice(count);
    } else if (r < 0.55) {
      if (present < 0) {
        z.insert(member, score, maxEntries, 64);
        model.push([member, score]);
      } else {
        z.setScore(member, score);
        model[present] = [member, score];
      }
      model.sort(cmp);
    } else {
      assert.is(z.remove(member), present >= 0);
      if (present >= 0) model.splice(present, 1);
    }
    if (op % 17 === 0) check(z, model, rnd);
  }
  check(z, model, rnd);
  model = z.entries();
  assert.is(z.encoding, maxEntries >= 1000 ? 'listpack' : 'skiplist');
  const copy = z.clone();
  copy.remove(model[0]![0]);
  assert.is(z.size, model.length);
  assert.equal(z.entries(), model);
}

test('random operations agree with a sorted-array model (compact form)', () => {
  for (let seed = 1; seed <= 5; seed++) randomRun(seed, 100000, 600);
});

test('random operations agree with a sorted-array model (skiplist form)', () => {
  for (let seed = 11; seed <= 15; seed++) randomRun(seed, 8, 3000);
});

test('members order by bytes after score (memcmp: shorter prefix first, high bytes last)', () => {
  for (const compact of [true, false]) {
    const z = new ZSetValue(compact);
    for (const m of ['b', 'a\xff', 'a', '\x00', 'a\x00', 'A', '\x80']) z.insert(m, 1, 1000, 1000);
    z.insert('z', 0, 1000, 1000);
    assert.equal(z.entries().map((p) => p[0]), ['z', '\x00', 'A', 'a', 'a\x00', 'a\xff', 'b', '\x80']);
    assert.equal(z.encoding, compact ? 'listpack' : 'skiplist');
  }
});

test('the compact form stores -0 as 0, the skiplist keeps it', () => {
  const a = new ZSetValue();
  a.insert('x', -0, 128, 64);
  assert.ok(Object.is(a.score('x'), 0));
  const b = new ZSetValue(false);
  b.insert('x', -0, 128, 64);
  assert.ok(Object.is(b.score('x'), -0));
});

test('converts to the skiplist past the entry or member length limits, and back only by compactIfFits', () => {
  const z = new ZSetValue();
  for (let i = 0; i < 3; i++) z.insert('m' + i, i, 3, 5);
  assert.is(z.encoding, 'listpack');
  z.insert('m3', 3, 3, 5);
  assert.is(z.encoding, 'skiplist');
  z.remove('m3');
  assert.is(z.encoding, 'skiplist');
  const w = new ZSetValue();
  w.insert('123456', 1, 3, 5);
  assert.is(w.encoding, 'skiplist');
  z.compactIfFits(3, 5);
  assert.is(z.encoding, 'listpack');
  assert.equal(z.entries(), [['m0', 0], ['m1', 1], ['m2', 2]]);
  w.compactIfFits(3, 5);
  assert.is(w.encoding, 'skiplist');
});

test('score and lex ranges give rank bounds', () => {
  const lex = (s: string): LexBound =>
    s === '-' ? { inf: -1, value: '', ex: false } : s === '+' ? { inf: 1, value: '', ex: false } : { inf: 0, value: s.slice(1), ex: s[0] === '(' };
  for (const compact of [true, false]) {
    const z = new ZSetValue(compact);
    for (const m of ['a', 'b', 'c', 'd', 'e']) z.insert(m, 0, 1000, 1000);
    assert.equal(z.lexRange(lex('[b'), lex('(d')), [1, 3]);
    assert.equal(z.lexRange(lex('-'), lex('+')), [0, 5]);
    assert.equal(z.lexRange(lex('+'), lex('-')).map((x, _i, a) => a[1] - a[0])[0], 0);
    assert.equal(z.lexRange(lex('(c'), lex('[c'))[1] - z.lexRange(lex('(c'), lex('[c'))[0], 0);
    assert.equal(z.lexRange(lex('[b'), lex('(d'), true), [1, 3]);
    const y = new ZSetValue(compact);
    for (let i = 0; i < 10; i++) y.insert('m' + i, i, 1000, 1000);
    assert.equal(y.scoreRange({ value: 2, ex: false }, { value: 5, ex: true }), [2, 5]);
    assert.equal(y.scoreRange({ value: 2, ex: true }, { value: 5, ex: false }), [3, 6]);
    assert.equal(y.scoreRange({ value: -Infinity, ex: false }, { value: Infinity, ex: false }), [0, 10]);
    const [lo, hi] = y.scoreRange({ value: 5, ex: false }, { value: 2, ex: false });
    assert.is(hi - lo, 0);
  }
});

test('skiplist: a score change in place or moving, freed nodes reused, ranks right at scale', () => {
  const z = new ZSetValue(false);
  for (let i = 0; i < 5000; i++) z.insert(`m${i}`, i * 2, 128, 64);
  z.setScore('m10', 21); // between 20 and 22: stays in place
  assert.is(z.rank('m10'), 10);
  z.setScore('m10', 10001); // moves past m5000's place: after m4999 (9998) and before none
  assert.is(z.rank('m10'), 4999);
  assert.equal(z.at(4999), ['m10', 10001]);
  assert.equal(z.at(10), ['m11', 22]);
  for (let i = 0; i < 5000; i += 2) z.remove(`m${i}`);
  for (let i = 0; i < 2000; i++) z.insert(`n${i}`, i * 5 + 1, 128, 64);
  const model: Array<[string, number]> = [];
  for (let i = 1; i < 5000; i += 2) model.push([`m${i}`, i * 2]);
  for (let i = 0; i < 2000; i++) model.push([`n${i}`, i * 5 + 1]);
  model.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  assert.is(z.size, model.length);
  assert.equal(z.entries(), model);
  for (const i of [0, 1, 777, 2222, model.length - 1]) {
    assert.is(z.rank(model[i]![0]), i);
    assert.equal(z.at(i), model[i]);
  }
  assert.equal(z.slice(100, 110, true), model.slice(100, 110).reverse());
  assert.is(z.countBelow(1000, true), model.filter((p) => p[1] <= 1000).length);
});

test.run();
