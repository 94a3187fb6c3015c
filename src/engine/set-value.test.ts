import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SET, SetValue, SMALL_ENTRIES, SMALL_VALUE } from './set-value.js';

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

test('intset widths: 2, 4 then 8 bytes per member, widened for all; bytes follow', () => {
  const s = new SetValue('1');
  const ref: bigint[] = [];
  const add = (m: string) => {
    s.add(m, 512);
    if (!ref.includes(BigInt(m))) ref.push(BigInt(m));
  };
  add('1');
  add('-32768');
  add('32767');
  assert.is(s.bytes - new SetValue().bytes, 6);
  add('40000');
  assert.is(s.bytes - new SetValue().bytes, 16);
  add('-2147483649');
  add('1099511627776');
  add('9223372036854775807');
  add('-9223372036854775808');
  add('-9007199254740993');
  add('9007199254740992');
  assert.is(s.bytes - new SetValue().bytes, 80);
  ref.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  assert.equal(s.members(), ref.map(String));
  for (const m of ref) assert.ok(s.has(String(m)), String(m));
  assert.not.ok(s.has('9223372036854775806'));
  assert.ok(s.delete('40000'));
  assert.not.ok(s.delete('40000'));
  assert.is(s.size, ref.length - 1);
  assert.is(SET.encoding(s), 'intset');
});

test('randomised intset over the whole int64 range against a Set', () => {
  const rnd = prng(3);
  const s = new SetValue();
  const ref = new Set<string>();
  const value = () => {
    const r = rnd();
    if (r < 0.3) return String(Math.floor(rnd() * 200) - 100);
    if (r < 0.5) return String(Math.floor(rnd() * 2 ** 32) - 2 ** 31);
    if (r < 0.7) return String(Math.floor(rnd() * 2 ** 53) * (rnd() < 0.5 ? -1 : 1));
    const big = BigInt(Math.floor(rnd() * 2 ** 31)) * BigInt(2 ** 32) + BigInt(Math.floor(rnd() * 2 ** 32));
    return String(rnd() < 0.5 ? -big : big);
  };
  const pool = Array.from({ length: 300 }, value);
  for (let step = 0; step < 4000; step++) {
    const m = pool[Math.floor(rnd() * pool.length)]!;
    if (rnd() < 0.6) {
      assert.is(s.add(m, 100000), !ref.has(m));
      ref.add(m);
    } else assert.is(s.delete(m), ref.delete(m));
    assert.is(s.size, ref.size);
  }
  const want = [...ref].map(BigInt).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String);
  assert.equal(s.members(), want);
  assert.is(SET.encoding(s), 'intset');
});

/** The set as settle and the next lookup leave it: packed into its record's bytes and unpacked (null: held as an object). */
function repacked(s: SetValue): SetValue | null {
  const bytes = SET.packing!.pack(s);
  return bytes === null ? null : SET.packing!.unpack(bytes);
}

test('small string sets: packed as entries (still "hashtable" to OBJECT ENCODING), binary, empty and integer-looking members exact', () => {
  const members = ['', 'a', '\x00', '\xfe\xff', '\r\n', '01', '-0', '+1', '1.0', '9223372036854775808', 'x'.repeat(SMALL_VALUE), 'élan'];
  let s = new SetValue('a');
  for (const m of members) assert.ok(s.add(m, 512) || m === 'a', m);
  s = repacked(s)!;
  assert.ok(s !== null, 'packs');
  assert.is(SET.encoding(s), 'hashtable');
  assert.is(s.size, members.length);
  assert.equal(s.members(), members, 'insertion order');
  for (const m of members) assert.ok(s.has(m), m);
  for (const m of ['0', '1', 'x'.repeat(SMALL_VALUE - 1), '\x00\x00', 'b']) assert.not.ok(s.has(m), m);
  assert.not.ok(s.add('01', 512));
  // integers join the entries as strings (no intset any more)
  assert.ok(s.add('7', 512));
  s = repacked(s)!;
  assert.ok(s.has('7') && !s.has('07'));
  assert.ok(s.delete('\x00'));
  assert.not.ok(s.delete('\x00'));
  s = repacked(s)!;
  assert.is(s.size, members.length);
  const all: string[] = [];
  for (let i = 0; i < s.size; i++) all.push(s.memberAt(i));
  assert.equal(all, s.members());
  assert.is(s.memberAt(3), all[3]); // backwards after forwards
  const empty = repacked(new SetValue('word'))!;
  assert.is(empty.size, 0);
  assert.equal(empty.members(), []);
});

test('small string sets: thresholds (members and member length) make the table, which holds as an object', () => {
  const s = new SetValue('m0');
  for (let i = 0; i < SMALL_ENTRIES; i++) s.add('m' + i, 512);
  assert.is(s.size, SMALL_ENTRIES);
  assert.ok(repacked(s) !== null, `${SMALL_ENTRIES} members pack`);
  s.add('one more', 512);
  assert.is(repacked(s), null, 'past the entries limit: the table');
  assert.is(SET.encoding(s), 'hashtable');
  s.delete('one more');
  assert.is(repacked(s), null, 'one way');
  for (let i = 0; i < SMALL_ENTRIES; i++) assert.ok(s.has('m' + i));

  const long = new SetValue('short');
  long.add('short', 512);
  assert.ok(repacked(long) !== null);
  long.add('y'.repeat(SMALL_VALUE + 1), 512);
  assert.is(repacked(long), null, 'a member past the length limit: the table');
  assert.ok(long.has('short') && long.has('y'.repeat(SMALL_VALUE + 1)));
  assert.is(repacked(new SetValue('z'.repeat(SMALL_VALUE + 1))), null);

  // an intset handed a string, or grown past set-max-intset-entries, becomes entries while small
  const ints = new SetValue('1');
  for (let i = 1; i <= 4; i++) ints.add(String(i), 3);
  assert.is(SET.encoding(ints), 'hashtable');
  const back = repacked(ints)!;
  assert.equal(back.members().sort(), ['1', '2', '3', '4']);
  assert.is(SET.encoding(back), 'hashtable');
  const mixed = new SetValue('5');
  mixed.add('5', 512);
  mixed.add('-70000', 512);
  mixed.add('word', 512);
  assert.equal(repacked(mixed)!.members(), ['-70000', '5', 'word']);
  // intsets still pack as intsets
  const intset = repacked(new SetValue('9'))!;
  intset.add('9', 512);
  assert.is(SET.encoding(repacked(intset)!), 'intset');
});

test('randomised against a Set with packing round trips: intset, entries, table', () => {
  const rnd = prng(21);
  const pool = ['', '\x00', '\xff', 'abc', 'x'.repeat(SMALL_VALUE), 'y'.repeat(SMALL_VALUE + 1), '01', '-0'];
  for (const [max, stringRate, range] of [[512, 0.02, 60], [8, 0.0, 30], [512, 0.2, 200], [512, 0.3, 40]] as const) {
    let s = new SetValue();
    const ref = new Set<string>();
    for (let step = 0; step < 4000; step++) {
      if (rnd() < 0.3) s = repacked(s) ?? s;
      const n = Math.floor(rnd() * range) - range / 2;
      const m = rnd() < stringRate ? (rnd() < 0.3 ? pool[Math.floor(rnd() * pool.length)]! : 'm' + n) : String(n);
      const r = rnd();
      if (r < 0.45) {
        assert.is(s.add(m, max), !ref.has(m));
        ref.add(m);
      } else if (r < 0.65) {
        assert.is(s.delete(m), ref.delete(m));
      } else if (r < 0.75 && s.size > 0) {
        assert.ok(ref.delete(s.deleteAt(Math.floor(rnd() * s.size))));
      } else if (r < 0.8) {
        const seen = new Set<string>();
        for (let i = 0; i < s.size; i++) seen.add(s.memberAt(i));
        assert.equal(seen, ref);
      } else {
        assert.is(s.has(m), ref.has(m));
      }
      assert.is(s.size, ref.size);
    }
    assert.equal(new Set(s.members()), ref);
  }
});

test('unpacked entries count their members when asked, and after hits, misses and deletes', () => {
  const build = (n: number): SetValue => {
    const s = new SetValue('m0');
    for (let i = 0; i < n; i++) s.add(`m${i}`, 512);
    return SET.packing!.unpack(SET.packing!.pack(s)!);
  };
  assert.is(build(5).size, 5);
  let s = build(5);
  assert.not.ok(s.add('m3', 512)); // a hit: the count stays unknown
  assert.ok(s.delete('m0'));
  assert.is(s.size, 4);
  assert.equal(s.members().sort(), ['m1', 'm2', 'm3', 'm4']);
  // a miss counts: the add then knows when the entries are full
  s = build(SMALL_ENTRIES - 1);
  assert.ok(s.add('new', 512));
  assert.is(s.size, SMALL_ENTRIES);
  assert.is(SET.packing!.pack(s) !== null, true);
  assert.ok(s.add('one more', 512));
  assert.is(SET.packing!.pack(s), null); // a table now
  assert.is(s.size, SMALL_ENTRIES + 1);
  // a random pick before anything counted
  s = build(10);
  const seen = new Set<string>();
  while (s.size > 0) seen.add(s.deleteAt(s.size - 1));
  assert.is(seen.size, 10);
});

test.run();
