/*
 * The list value: every operation against a plain-array model under random sequences (the node
 * deque itself is tested in list-nodes.test.ts), packed and unpacked between commands, and the
 * listpack → quicklist rule.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';

/** the form a list is held in (OBJECT ENCODING answers quicklist for both, as Redis 7.0) */
const internalForm = (l: ListValue): string => (l.quicklist ? 'quicklist' : 'listpack');
import { exceedsListpackNode, LIST, listpackEntrySize, ListValue } from './list-value.js';

/** A deterministic stream of numbers in [0, 1) (mulberry32). */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('random operations match a plain-array model', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const rnd = prng(seed);
    const int = (n: number) => Math.floor(rnd() * n);
    const list = new ListValue();
    const model: string[] = [];
    const value = () => ['a', 'b', 'c', '\x00\xff', '', String(int(1000))][int(6)]!;
    for (let step = 0; step < 20000; step++) {
      const op = int(11);
      // bias towards growth then shrinkage so nodes are made and emptied both ways
      const growing = (step >> 11) % 2 === 0;
      if (op <= 2 && (growing || int(3) === 0)) {
        const v = value();
        if (op === 0) {
          list.pushHead(v);
          model.unshift(v);
        } else {
          list.pushTail(v);
          model.push(v);
        }
      } else if (op <= 4) {
        assert.is(list.popHead(), model.shift());
      } else if (op === 5) {
        assert.is(list.popTail(), model.pop());
      } else if (op === 6 && model.length > 0) {
        const i = int(model.length);
        const v = value();
        list.set(i, v);
        model[i] = v;
      } else if (op === 7 && int(4) === 0) {
        const i = int(model.length + 1);
        const v = value();
        list.insertAt(i, v);
        model.splice(i, 0, v);
      } else if (op === 8 && int(20) === 0) {
        const v = value();
        const limit = int(3);
        const fromTail = int(2) === 0;
        let expected = 0;
        if (!fromTail) {
          for (let i = 0; i < model.length; i++) {
            if (model[i] === v && (limit === 0 || expected < limit)) {
              model.splice(i--, 1);
              expected++;
            }
          }
        } else {
          for (let i = model.length - 1; i >= 0; i--) {
            if (model[i] === v && (limit === 0 || expected < limit)) {
              model.splice(i, 1);
              expected++;
            }
          }
        }
        assert.is(list.remove(v, limit, fromTail), expected);
      } else if (op === 9 && int(50) === 0 && model.length > 0) {
        const start = int(model.length);
        const end = int(model.length);
        list.trim(start, end);
        model.splice(0, model.length, ...(start > end ? [] : model.slice(start, end + 1)));
      } else if (op === 10 && model.length > 0) {
        const i = int(model.length);
        assert.is(list.at(i), model[i]);
        const j = i + int(model.length - i);
        assert.equal(list.slice(i, j), model.slice(i, j + 1));
      }
      assert.is(list.length, model.length);
      if (step % 997 === 0) {
        assert.equal(list.toArray(), model);
        assert.is(list.payload, model.reduce((n, s) => n + s.length, 0));
        assert.is(list.listpackBytes, 7 + model.reduce((n, s) => n + listpackEntrySize(s), 0));
      }
    }
    assert.equal(list.toArray(), model);
  }
});

// a quadratic deque (Array#unshift/shift on a big array) takes a minute or more for this; ours
// about 1.5 s on a heavily loaded machine (where the Array version took 90 s). The bound is loose.
test('pushes and pops at both ends stay O(1): 600k operations on one list within seconds', () => {
  const list = new ListValue();
  const started = process.hrtime.bigint();
  for (let i = 0; i < 200000; i++) list.pushHead(String(i));
  for (let i = 0; i < 100000; i++) list.popTail();
  for (let i = 0; i < 100000; i++) list.pushTail('x');
  for (let i = 0; i < 200000; i++) list.popHead();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.is(list.length, 0);
  assert.ok(ms < 8000, `${ms} ms`);
});

test('listpack entry sizes follow the listpack layout', () => {
  assert.is(listpackEntrySize('0'), 2); // 7-bit uint + backlen
  assert.is(listpackEntrySize('127'), 2);
  assert.is(listpackEntrySize('128'), 3); // 13-bit int
  assert.is(listpackEntrySize('-4096'), 3);
  assert.is(listpackEntrySize('32767'), 4); // 16-bit
  assert.is(listpackEntrySize('8388607'), 5); // 24-bit
  assert.is(listpackEntrySize('2147483647'), 6); // 32-bit
  assert.is(listpackEntrySize('9223372036854775807'), 10); // 64-bit
  assert.is(listpackEntrySize('01'), 4); // not canonical: a string
  assert.is(listpackEntrySize(''), 2);
  assert.is(listpackEntrySize('x'.repeat(63)), 65);
  assert.is(listpackEntrySize('x'.repeat(64)), 67); // 12-bit string header, 2-byte backlen
  assert.is(listpackEntrySize('x'.repeat(4096)), 4096 + 5 + 2);
});

test('exceedsListpackNode: byte limits for negative settings, counts with a safety limit for positive ones', () => {
  assert.is(exceedsListpackNode(-2, 8192, 1000), false);
  assert.is(exceedsListpackNode(-2, 8193, 1), true);
  assert.is(exceedsListpackNode(-1, 4097, 1), true);
  assert.is(exceedsListpackNode(-5, 65536, 1), false);
  assert.is(exceedsListpackNode(-9, 65537, 1), true);
  assert.is(exceedsListpackNode(5, 100, 5), false);
  assert.is(exceedsListpackNode(5, 100, 6), true);
  assert.is(exceedsListpackNode(100, 8193, 2), true);
  assert.is(exceedsListpackNode(0, 10, 2), true);
});

test('encoding: listpack while it fits one node, then quicklist for good', () => {
  const list = new ListValue();
  assert.is(internalForm(list), 'listpack');
  // an 80-byte element takes 83 bytes; the check adds the raw length of what is pushed
  for (let i = 0; i < 98; i++) {
    list.growing(-2, 80, 1);
    list.pushTail('x'.repeat(80));
  }
  assert.is(list.listpackBytes, 7 + 98 * 83);
  assert.is(internalForm(list), 'listpack');
  list.growing(-2, 80, 1); // 8141 + 80 > 8192
  assert.is(internalForm(list), 'quicklist');
  while (list.length > 0) list.popHead();
  assert.is(internalForm(list), 'quicklist');
  const copy = LIST.copy(list);
  assert.is(internalForm(copy), 'quicklist');
});

test('a quicklist is accounted by its nodes: a few bytes per short element, given back as it drains', () => {
  const list = new ListValue();
  list.growing(-2, 1 << 20, 1 << 20);
  for (let i = 0; i < 100000; i++) list.pushTail('xxx');
  // 5 bytes an entry (length, 3 bytes, length) and a node's overhead per 8 KB
  const perElement = LIST.size(list) / list.length;
  assert.ok(perElement > 5 && perElement < 5.5, `${perElement} bytes per element`);
  while (list.length > 10) list.popHead();
  assert.ok(LIST.size(list) < 1000, `${LIST.size(list)} bytes for 10 elements`);
});

test('copy shares nothing', () => {
  const a = ListValue.from(['a', 'b']);
  const b = LIST.copy(a);
  b.pushTail('c');
  assert.equal(a.toArray(), ['a', 'b']);
  assert.equal(b.toArray(), ['a', 'b', 'c']);
});

/** The list as settle and the next lookup leave it: packed into its record's bytes and unpacked. */
function repacked(list: ListValue): ListValue {
  const bytes = LIST.packing!.pack(list);
  assert.ok(bytes !== null, 'a listpack list packs');
  return LIST.packing!.unpack(bytes);
}

test('packed lists: random operations on lists packed and unpacked between "commands" match a model', () => {
  const long = 'L'.repeat(300); // a long entry header (>= 254 bytes)
  const values = ['a', '', '\x00', '\xfe', '\xff\xfe\x00\r\n', '-0', '01', '127', '128', '-9223372036854775808', '9223372036854775807', 'élément', 'x'.repeat(13), 'y'.repeat(63), 'z'.repeat(64), long];
  for (const seed of [11, 12, 13, 14]) {
    const rnd = prng(seed);
    const int = (n: number) => Math.floor(rnd() * n);
    let list = new ListValue();
    let model: string[] = [];
    for (let step = 0; step < 6000; step++) {
      if (int(3) === 0) list = repacked(list); // a command boundary
      const v = rnd() < 0.5 ? values[int(values.length)]! : String(int(100000) - 50000);
      const op = int(14);
      if (model.length > 60 && op < 5) {
        list.trim(5, model.length - 1);
        model = model.slice(5);
      } else if (op === 0) {
        list.pushHead(v);
        model.unshift(v);
      } else if (op === 1 || op === 2) {
        list.pushTail(v);
        model.push(v);
      } else if (op === 3) {
        assert.is(list.popHead(), model.shift());
      } else if (op === 4) {
        assert.is(list.popTail(), model.pop());
      } else if (op === 5 && model.length > 0) {
        const i = int(model.length);
        assert.is(list.at(i), model[i]);
      } else if (op === 6 && model.length > 0) {
        const i = int(model.length);
        list.set(i, v);
        model[i] = v;
      } else if (op === 7) {
        const i = int(model.length + 1);
        list.insertAt(i, v);
        model.splice(i, 0, v);
      } else if (op === 8) {
        const expected = model.filter((e) => e === v).length;
        assert.is(list.remove(v, 0, false), expected);
        model = model.filter((e) => e !== v);
      } else if (op === 9 && model.length > 0) {
        const i = int(model.length);
        const j = i + int(model.length - i);
        assert.equal(list.slice(i, j), model.slice(i, j + 1));
      } else if (op === 11) {
        // scans by index both ways (LRANGE, LPOS), from the packed entries when still packed
        for (let i = 0; i < model.length; i++) assert.is(list.at(i), model[i]);
        for (let i = model.length - 1; i >= 0; i -= 1 + int(3)) assert.is(list.at(i), model[i]);
      } else if (op === 10) {
        // reads of the whole list (RDB, DIGEST, COPY) leave it as it is held
        const all: string[] = [];
        list.forEach((e) => all.push(e));
        assert.equal(all, model);
        const copy = LIST.copy(list);
        copy.pushTail('copy');
        assert.equal(copy.toArray(), [...model, 'copy']);
        assert.is(copy.listpackBytes, list.listpackBytes + listpackEntrySize('copy'));
      }
      assert.is(list.length, model.length);
      assert.is(list.payload, model.reduce((n, s) => n + s.length, 0));
      assert.is(list.listpackBytes, 7 + model.reduce((n, s) => n + listpackEntrySize(s), 0));
    }
    assert.equal(repacked(list).toArray(), model);
  }
});

test('packed lists: round trips keep binary, empty and integer-looking elements exactly', () => {
  const elements = ['', '0', '-1', '00', '1e3', '\x00\x01\xfe\xff', 'x'.repeat(253), 'y'.repeat(254), 'z'.repeat(70000), '9223372036854775808'];
  const list = ListValue.from(elements);
  const back = repacked(list);
  assert.equal(back.toArray(), elements);
  assert.is(back.length, elements.length);
  assert.is(back.payload, list.payload);
  assert.is(back.listpackBytes, list.listpackBytes);
  assert.is(internalForm(back), 'listpack');
  const empty = repacked(new ListValue());
  assert.is(empty.length, 0);
  assert.is(empty.popHead(), undefined);
  assert.is(empty.popTail(), undefined);
  assert.equal(empty.toArray(), []);
});

test('packed lists: a list packs while listpack and stays an object once quicklist (the threshold)', () => {
  let list = new ListValue();
  for (let i = 0; i < 4; i++) {
    list.growing(4, 1, 1);
    list.pushTail(String(i));
    list = repacked(list);
  }
  assert.is(internalForm(list), 'listpack');
  list.growing(4, 1, 1); // a fifth entry under list-max-listpack-size 4
  list.pushHead('head');
  assert.is(internalForm(list), 'quicklist');
  assert.is(LIST.packing!.pack(list), null);
  assert.equal(list.toArray(), ['head', '0', '1', '2', '3']);
  // the byte limit (-2: 8 KB), reached from a packed list
  let big = new ListValue();
  for (let i = 0; i < 98; i++) {
    big.growing(-2, 80, 1);
    big.pushTail('x'.repeat(79) + String(i % 10));
    big = repacked(big);
  }
  assert.is(internalForm(big), 'listpack');
  big.growing(-2, 80, 1);
  assert.is(internalForm(big), 'quicklist');
  assert.is(big.at(97), 'x'.repeat(79) + '7');
  assert.is(big.length, 98);
});

test.run();
