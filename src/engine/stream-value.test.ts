/*
 * The stream value against a reference model (a plain sorted array of entries): randomised
 * appends, deletes, exact and approximate trims and range reads in both directions, with small
 * node limits so that entries spread over many nodes; plus the node layout (a node takes
 * stream-node-max-entries entries, live or deleted), the PEL index, copies and the
 * entries-read/lag estimates.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConsumerGroup, IdIndex, makeId, Nack, MAX_ID, STREAM, StreamValue, type StreamId, type TrimSpec } from './stream-value.js';

/** A deterministic stream of numbers in [0, 1) (mulberry32). */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Entry = [StreamId, string[]];

function modelRange(model: Entry[], start: StreamId, end: StreamId, rev: boolean, count: number): Entry[] {
  const inRange = model.filter(([id]) => id >= start && id <= end);
  if (rev) inRange.reverse();
  return count === 0 ? inRange : inRange.slice(0, count);
}

test('random appends, deletes, exact trims and ranges agree with a sorted array', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const r = prng(seed);
    const int = (n: number) => Math.floor(r() * n);
    const s = new StreamValue();
    const limits = { bytes: 4096, entries: 1 + int(12) };
    let model: Entry[] = [];
    let ms = 1n;
    for (let step = 0; step < 3000; step++) {
      const op = int(10);
      if (op < 5) {
        ms += BigInt(int(3));
        const id = s.lastId >= makeId(ms, 0n) ? s.lastId + 1n : makeId(ms, BigInt(int(4)));
        const fields = int(2) ? ['f', String(step)] : ['a', 'x'.repeat(int(30)), 'b', String(int(1000))];
        s.append(id, fields, limits);
        model.push([id, fields]);
      } else if (op < 7 && model.length > 0) {
        const victim = int(3) ? model[int(model.length)]![0] : makeId(BigInt(int(Number(ms) + 2)), BigInt(int(4)));
        const had = model.some(([id]) => id === victim);
        assert.is(s.delete(victim), had, `seed ${seed} step ${step}: delete`);
        model = model.filter(([id]) => id !== victim);
      } else if (op === 7 && int(4) === 0) {
        const spec: TrimSpec = int(2)
          ? { strategy: 'maxlen', maxlen: int(model.length + 3), minid: 0n, approx: false, limit: 0 }
          : { strategy: 'minid', maxlen: 0, minid: makeId(BigInt(int(Number(ms) + 2)), 0n), approx: false, limit: 0 };
        const before = model.length;
        if (spec.strategy === 'maxlen') model = model.slice(Math.max(0, model.length - spec.maxlen));
        else model = model.filter(([id]) => id >= spec.minid);
        assert.is(s.trim(spec), before - model.length, `seed ${seed} step ${step}: trim`);
      } else {
        const a = makeId(BigInt(int(Number(ms) + 2)), BigInt(int(4)));
        const b = makeId(BigInt(int(Number(ms) + 2)), BigInt(int(4)));
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const rev = int(2) === 1;
        const count = int(3) === 0 ? 0 : 1 + int(10);
        assert.equal(s.range(lo, hi, rev, count), modelRange(model, lo, hi, rev, count), `seed ${seed} step ${step}: range`);
      }
      assert.is(s.length, model.length);
      assert.is(s.firstId, model.length === 0 ? 0n : model[0]![0]);
      if (step % 500 === 0) assert.equal(s.range(0n, MAX_ID, false), model);
    }
    assert.equal(s.range(0n, MAX_ID, true), [...model].reverse());
  }
});

test('approximate trims remove whole nodes only, at most LIMIT entries', () => {
  const s = new StreamValue();
  for (let i = 1; i <= 350; i++) s.append(makeId(BigInt(i), 1n), ['f', String(i)], { bytes: 4096, entries: 100 });
  assert.is(s.nodes.length, 4);
  assert.is(s.trim({ strategy: 'maxlen', maxlen: 120, minid: 0n, approx: true, limit: 10000 }), 200);
  assert.is(s.length, 150);
  assert.is(s.trim({ strategy: 'maxlen', maxlen: 10, minid: 0n, approx: true, limit: 50 }), 0);
  assert.is(s.trim({ strategy: 'minid', maxlen: 0, minid: makeId(305n, 0n), approx: true, limit: 10000 }), 100);
  assert.is(s.firstId, makeId(301n, 1n));
  assert.is(s.trim({ strategy: 'minid', maxlen: 0, minid: makeId(305n, 0n), approx: false, limit: 0 }), 4);
  assert.is(s.length, 46);
});

test('a node holds stream-node-max-entries entries, deleted ones included', () => {
  const s = new StreamValue();
  const limits = { bytes: 4096, entries: 3 };
  for (let i = 1; i <= 3; i++) s.append(makeId(BigInt(i), 0n), ['f', 'v'], limits);
  s.delete(makeId(2n, 0n));
  s.append(makeId(4n, 0n), ['f', 'v'], limits);
  assert.is(s.nodes.length, 2);
  assert.is(s.nodes[0]!.dead, 1);
  // deleting every live entry of a node drops it
  s.delete(makeId(1n, 0n));
  s.delete(makeId(3n, 0n));
  assert.is(s.nodes.length, 1);
  assert.is(s.maxDeletedId, makeId(3n, 0n));
});

test('node bytes follow the listpack layout (same-fields entries store only values)', () => {
  const s = new StreamValue();
  s.append(makeId(1n, 0n), ['field', 'value'], { bytes: 4096, entries: 100 });
  const one = s.nodes[0]!.listpackBytes;
  s.append(makeId(2n, 0n), ['field', 'value'], { bytes: 4096, entries: 100 });
  const same = s.nodes[0]!.listpackBytes - one;
  s.append(makeId(3n, 0n), ['other', 'value'], { bytes: 4096, entries: 100 });
  const other = s.nodes[0]!.listpackBytes - one - same;
  // small integers take 2 bytes (encoding + back-length), "value" 7: flags, ms-diff, seq-diff,
  // "value", lp-count vs. flags, ms-diff, seq-diff, num-fields, "other", "value", lp-count
  assert.is(same, 2 + 2 + 2 + 7 + 2);
  assert.is(other, 2 + 2 + 2 + 2 + 7 + 7 + 2);
  // a node closes once its bytes plus the new entry's reach stream-node-max-bytes
  const t = new StreamValue();
  for (let i = 1; i <= 20; i++) t.append(makeId(BigInt(i), 0n), ['f', 'x'.repeat(50)], { bytes: 200, entries: 100 });
  assert.ok(t.nodes.length > 5);
  for (const n of t.nodes) assert.ok(n.listpackBytes < 200 + 60);
});

test('IdIndex keeps ids ordered through out-of-order inserts and deletes', () => {
  const r = prng(9);
  const idx = new IdIndex<number>();
  const model = new Map<bigint, number>();
  for (let i = 0; i < 2000; i++) {
    const id = BigInt(Math.floor(r() * 300));
    if (r() < 0.6) {
      idx.set(id, i);
      model.set(id, i);
    } else {
      assert.is(idx.delete(id), model.delete(id));
    }
  }
  const sorted = [...model.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  assert.equal(idx.ids, sorted);
  for (const id of sorted) assert.is(idx.get(id), model.get(id));
  assert.is(idx.lowerBound(sorted[3]!), 3);
});

test('copy shares nothing: groups, consumers and pending entries are cloned', () => {
  const s = new StreamValue();
  s.append(makeId(1n, 0n), ['f', 'v'], { bytes: 4096, entries: 100 });
  const g = new ConsumerGroup('g', 0n, -1);
  s.groups.set('g', g);
  const [alice] = g.consumer('alice', 5);
  const nack = new Nack(alice, 5, 1);
  g.pel.set(makeId(1n, 0n), nack);
  alice.pel.set(makeId(1n, 0n), nack);
  const copy = STREAM.copy(s);
  copy.append(makeId(2n, 0n), ['f', 'v'], { bytes: 4096, entries: 100 });
  assert.is(s.length, 1);
  assert.is(copy.length, 2);
  const cg = copy.groups.get('g')!;
  assert.is.not(cg, g);
  const cnack = cg.pel.get(makeId(1n, 0n))!;
  assert.is(cnack.consumer, cg.consumers.get('alice'));
  assert.is(cg.consumers.get('alice')!.pel.get(makeId(1n, 0n)), cnack);
  cnack.deliveryCount = 9;
  assert.is(nack.deliveryCount, 1);
  assert.is(STREAM.encoding(s), 'stream');
  assert.ok(STREAM.size(copy) > STREAM.size(s));
});

test('entries-read estimates (Redis 7.0: exact at the ends, unknown past a tombstone)', () => {
  const s = new StreamValue();
  assert.is(s.estimateEntriesRead(0n), 0);
  for (let i = 1; i <= 5; i++) s.append(makeId(BigInt(i), 0n), ['f', 'v'], { bytes: 4096, entries: 100 });
  assert.is(s.estimateEntriesRead(makeId(5n, 0n)), 5);
  assert.is(s.estimateEntriesRead(makeId(1n, 0n)), 1);
  assert.is(s.estimateEntriesRead(0n), 0);
  assert.is(s.estimateEntriesRead(makeId(9n, 0n)), -1);
  assert.is(s.estimateEntriesRead(makeId(3n, 0n)), -1);
  s.delete(makeId(2n, 0n));
  assert.ok(s.rangeHasTombstones(makeId(1n, 0n)));
  assert.not.ok(s.rangeHasTombstones(makeId(3n, 0n)));
});

test.run();
