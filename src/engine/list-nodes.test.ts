/*
 * The node deque of large lists (list-nodes.ts) against a plain array: random pushes and pops at
 * both ends, index reads (random and in scans either way, which go through the cursor), sets
 * that change an entry's size, inserts, removals and trims, with elements long enough that the
 * list spans many nodes, so that nodes fill, split, merge, shrink and empty. The structure's
 * invariants (counts, payload, buffer sizes, node limits) are checked all along.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ListNodes, NODE_BYTES } from './list-nodes.js';
import { encodeListEntries, LIST_HEADER } from './packed-list.js';

/** A deterministic stream of numbers in [0, 1) (mulberry32). */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function removeModel(model: string[], value: string, limit: number, fromTail: boolean): number {
  let removed = 0;
  if (!fromTail) {
    for (let i = 0; i < model.length; i++) {
      if (model[i] === value && (limit === 0 || removed < limit)) {
        model.splice(i--, 1);
        removed++;
      }
    }
  } else {
    for (let i = model.length - 1; i >= 0; i--) {
      if (model[i] === value && (limit === 0 || removed < limit)) {
        model.splice(i, 1);
        removed++;
      }
    }
  }
  return removed;
}

test('random operations across node boundaries match a plain-array model', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const rnd = prng(seed);
    const int = (n: number) => Math.floor(rnd() * n);
    // lengths from empty to past one node (a node of its own), most of them a few dozen bytes,
    // and a few values repeated so that LREM finds them
    const value = (): string => {
      const r = int(100);
      if (r < 15) return ['a', 'bb', '', '\x00\xff'][int(4)]!;
      if (r < 17) return 'L'.repeat(NODE_BYTES + int(3000)); // longer than a node
      if (r < 25) return String.fromCharCode(int(256)).repeat(254 + int(400)); // a long entry header
      return String(int(1e9)).repeat(1 + int(8));
    };
    const list = new ListNodes();
    let model: string[] = [];
    for (let step = 0; step < 12000; step++) {
      // grow for a while, then shrink, so nodes are made and emptied both ways
      const growing = Math.floor(step / 1500) % 2 === 0;
      const op = int(14);
      if (op <= 3 && (growing || int(3) === 0)) {
        const v = value();
        if (op <= 1) {
          list.pushHead(v);
          model.unshift(v);
        } else {
          list.pushTail(v);
          model.push(v);
        }
      } else if (op <= 5) {
        assert.is(list.popHead(), model.shift());
      } else if (op <= 7) {
        assert.is(list.popTail(), model.pop());
      } else if (op === 8 && model.length > 0) {
        const i = int(model.length);
        const v = value();
        assert.is(list.set(i, v), model[i]);
        model[i] = v;
      } else if (op === 9) {
        const i = int(model.length + 1);
        const v = value();
        list.insertAt(i, v);
        model.splice(i, 0, v);
      } else if (op === 10 && int(10) === 0) {
        const v = ['a', 'bb', '', '\x00\xff'][int(4)]!;
        const limit = int(4);
        const fromTail = int(2) === 0;
        assert.is(list.remove(v, limit, fromTail), removeModel(model, v, limit, fromTail));
      } else if (op === 11 && int(40) === 0 && model.length > 0) {
        const start = int(Math.min(model.length, 20));
        const end = model.length - 1 - int(Math.min(model.length, 20));
        list.trim(start, end);
        model = start > end ? [] : model.slice(start, end + 1);
      } else if (op === 12 && model.length > 0) {
        const i = int(model.length);
        assert.is(list.at(i), model[i]);
        const j = i + int(Math.min(model.length - i, 50));
        assert.equal(list.slice(i, j), model.slice(i, j + 1));
        // the same range as LRANGE writes it: bytes of the nodes
        const written: string[] = [];
        list.writeRange(i, j, { bulk: (e) => written.push(e), bulkBytes: (b, from, to) => written.push(b.latin1Slice(from, to)) });
        assert.equal(written, model.slice(i, j + 1));
      } else if (op === 13 && model.length > 0) {
        // a scan by index one way or the other (the cursor's steps), as LPOS and LRANGE read
        const from = int(model.length);
        const n = Math.min(int(200), model.length);
        if (int(2) === 0) for (let i = from; i < Math.min(model.length, from + n); i++) assert.is(list.at(i), model[i]);
        else for (let i = from; i >= Math.max(0, from - n); i--) assert.is(list.at(i), model[i]);
      }
      assert.is(list.length, model.length);
      if (step % 101 === 0) {
        list.check();
        assert.is(list.payload, model.reduce((n, s) => n + s.length, 0));
      }
    }
    list.check();
    const all: string[] = [];
    list.forEach((e) => all.push(e));
    assert.equal(all, model);
  }
});

test('inserts into the middle of full nodes split them; removals merge them back', () => {
  const list = new ListNodes();
  const model: string[] = [];
  for (let i = 0; i < 5000; i++) {
    const v = `element:${i}`;
    list.pushTail(v);
    model.push(v);
  }
  const full = list.nodeCount;
  assert.ok(full >= 8, `${full} nodes`);
  // a 100-byte element into the middle of each full node, many times
  for (let i = 0; i < 400; i++) {
    const at = Math.floor((i * 7919) % model.length);
    list.insertAt(at, 'x'.repeat(100));
    model.splice(at, 0, 'x'.repeat(100));
  }
  list.check();
  assert.ok(list.nodeCount > full, 'nodes split');
  assert.equal(list.slice(0, model.length - 1), model);
  assert.is(list.remove('x'.repeat(100), 0, false), 400);
  list.check();
  assert.ok(list.nodeCount <= full + 1, `merged back to ${list.nodeCount} nodes (from ${full})`);
  assert.equal(list.slice(0, list.length - 1), model.filter((e) => e !== 'x'.repeat(100)));
});

test('pushes at either end fill nodes up to the limit; pops give the buffers back', () => {
  const list = new ListNodes();
  for (let i = 0; i < 100000; i++) list.pushHead('xxx');
  for (let i = 0; i < 100000; i++) list.pushTail('yyy');
  list.check();
  // 5 bytes an entry: 1,638 to a node
  assert.is(list.nodeCount, Math.ceil(100000 / Math.floor(NODE_BYTES / 5)) * 2);
  assert.ok(list.capacity <= list.nodeCount * NODE_BYTES);
  assert.ok(list.memoryBytes() < 200000 * 5 * 1.1, `${list.memoryBytes()} bytes`);
  assert.is(list.at(99999), 'xxx');
  assert.is(list.at(100000), 'yyy');
  for (let i = 0; i < 199990; i++) (i % 2 === 0 ? list.popHead() : list.popTail());
  list.check();
  assert.is(list.nodeCount, 2);
  assert.ok(list.capacity <= 512, `${list.capacity} bytes held for 10 elements`);
  assert.equal(list.slice(0, 9), [...Array(5).fill('xxx'), ...Array(5).fill('yyy')]);
});

test('packed entries in, packed entries out, a copy shares nothing', () => {
  const values = ['', 'a', '\xfe', 'b'.repeat(254), 'c'.repeat(NODE_BYTES * 2), ...Array.from({ length: 3000 }, (_, i) => `v${i}`)];
  const entries = encodeListEntries(values, 0, values.length, false);
  const packed = 'HEADER-BYTES' + entries;
  const list = new ListNodes();
  list.appendPacked(packed, LIST_HEADER, packed.length);
  list.check();
  assert.ok(list.nodeCount > 3);
  assert.equal(list.slice(0, values.length - 1), values);
  assert.is(list.packed('HEADER-BYTES'), packed);
  const copy = list.clone();
  copy.check();
  copy.set(0, 'changed');
  copy.pushTail('more');
  assert.is(list.at(0), '');
  assert.is(list.length, values.length);
  assert.is(copy.packed(''), encodeListEntries(['changed', ...values.slice(1), 'more'], 0, values.length + 1, false));
});

test.run();
