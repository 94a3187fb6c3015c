/*
 * The packed list form (packed-list.ts) and its edits at settle: random commands of pushes and
 * pops at both ends (several elements at once, several operations in one command), run through a
 * Database as the list commands run them, against a plain-array model. After every command the
 * record must hold exactly the bytes a full pack of the model gives, with the accounting of a
 * freshly stored value, the TTL kept, and the list gone once empty.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { Keyspace, type Database } from './keyspace.js';
import { exceedsListpackNode, LIST, listpackEntrySize, ListValue } from './list-value.js';
import { hashKey } from './shard.js';

/** the form a list is held in (OBJECT ENCODING answers quicklist for both, as Redis 7.0) */
const internalForm = (l: ListValue): string => (l.quicklist ? 'quicklist' : 'listpack');
import {
  dataEnd,
  dataStart,
  encodeListEntries,
  LIST_HEADER,
  listEntryBackward,
  listEntryForward,
  listHeader,
} from './packed-list.js';

const NOW = 1_700_000_000_000;
const KEY = 'list';

/** The bytes `key`'s record holds (its packed form), or null when it holds no packed value. */
function recordBytes(db: Database, key: string): string | null {
  const shard = db.shardOf(key);
  const a = shard.find(key, hashKey(key));
  if (a === 0) return null;
  const v = shard.valueOf(a);
  return typeof v === 'string' ? v : null;
}

type Op = { op: 'lpush' | 'rpush'; elements: string[] } | { op: 'lpop' | 'rpop'; count: number } | { op: 'lrange' | 'lindex' };

const element = fc.oneof(
  fc.constantFrom('', 'a', '0', '-1', '12', '4096', '9223372036854775807', '9223372036854775808', '\x00\xff', '007'),
  fc.string({ maxLength: 20 }),
  fc.integer({ min: 240, max: 300 }).map((n) => 'x'.repeat(n)),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('lpush' as const, 'rpush' as const), elements: fc.array(element, { minLength: 1, maxLength: 5 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constantFrom('lpop' as const, 'rpop' as const), count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('lrange' as const, 'lindex' as const) }) },
);
/** a command: one or a few operations on the key before settle */
const command = fc.array(op, { minLength: 1, maxLength: 3 });

/** Runs `ops` on `db` as the list commands do; returns what the reads and pops gave. */
function run(db: Database, fill: number, ops: Op[]): string[] {
  const out: string[] = [];
  for (const o of ops) {
    let list = db.lookupWrite(KEY, NOW) as ListValue | undefined;
    if (o.op === 'lpush' || o.op === 'rpush') {
      if (list === undefined) {
        list = new ListValue();
        db.set(KEY, list, true);
      }
      const before = LIST.size(list);
      let bytes = 0;
      for (const e of o.elements) bytes += e.length;
      list.growing(fill, bytes, o.elements.length);
      for (const e of o.elements) (o.op === 'lpush' ? list.pushHead(e) : list.pushTail(e));
      db.changed(KEY, LIST.size(list) - before);
    } else if (o.op === 'lpop' || o.op === 'rpop') {
      if (list === undefined) continue;
      const before = LIST.size(list);
      for (let i = 0; i < o.count && list.length > 0; i++) out.push((o.op === 'lpop' ? list.popHead() : list.popTail())!);
      // the size change first: a list held by handle deleted at its shrunk size would leave the
      // popped bytes counted (list.ts's removedOrDeleted deletes without it)
      db.changed(KEY, LIST.size(list) - before);
      if (list.length === 0) db.delete(KEY);
    } else if (list !== undefined) {
      if (o.op === 'lrange') out.push(...list.slice(0, list.length - 1));
      else out.push(list.at(list.length >> 1));
    }
  }
  return out;
}

/** The model: its elements, and whether it has turned quicklist (Redis's rule, from the model's own sizes). */
interface Model {
  elements: string[];
  quicklist: boolean;
  /** whether the last command emptied it (deleting the key, and its TTL) at some point */
  emptied: boolean;
}

function modelRun(m: Model, fill: number, ops: Op[]): string[] {
  const out: string[] = [];
  const model = m.elements;
  m.emptied = false;
  for (const o of ops) {
    if ((o.op === 'lpush' || o.op === 'rpush') && !m.quicklist) {
      const lp = 7 + model.reduce((n, s) => n + listpackEntrySize(s), 0);
      const raw = o.elements.reduce((n, s) => n + s.length, 0);
      m.quicklist = exceedsListpackNode(fill, lp + raw, model.length + o.elements.length);
    }
    if (o.op === 'lpush') for (const e of o.elements) model.unshift(e);
    else if (o.op === 'rpush') model.push(...o.elements);
    else if (o.op === 'lpop') for (let i = 0; i < o.count && model.length > 0; i++) out.push(model.shift()!);
    else if (o.op === 'rpop') for (let i = 0; i < o.count && model.length > 0; i++) out.push(model.pop()!);
    else if (model.length > 0) {
      if (o.op === 'lrange') out.push(...model);
      else out.push(model[model.length >> 1]!);
    }
    if (model.length === 0 && (o.op === 'lpop' || o.op === 'rpop')) {
      m.quicklist = false;
      m.emptied = true;
    }
  }
  return out;
}

test('pushes and pops at both ends, packed back as edits, match a plain-array model byte for byte', () => {
  fc.assert(
    fc.property(fc.constantFrom(-1, -2, 4, 16, 128), fc.boolean(), fc.array(command, { maxLength: 60 }), (fill, withTtl, commands) => {
      const ks = new Keyspace(2, 4);
      const db = ks.dbs[0]!;
      // a neighbour in the arena, and a key with a TTL beside ours
      db.set('other', ListValue.from(['n']));
      db.setExpire('other', NOW + 5000);
      ks.settle();
      const baseline = ks.arena.usedBytes;
      const baseBytes = db.bytes;
      const m: Model = { elements: [], quicklist: false, emptied: false };
      const model = m.elements;
      for (const ops of commands) {
        const hadKey = model.length > 0;
        if (withTtl && hadKey && db.expireAt(KEY) === undefined) db.setExpire(KEY, NOW + 1000);
        const got = run(db, fill, ops);
        ks.settle();
        assert.equal(got, modelRun(m, fill, ops), 'replies');
        if (model.length === 0) {
          assert.is(db.lookupRead(KEY, NOW), undefined, 'an emptied list is deleted');
          assert.is(db.bytes, baseBytes);
          assert.is(ks.arena.usedBytes, baseline, 'no record bytes left behind');
          continue;
        }
        const list = db.lookupRead(KEY, NOW) as ListValue;
        const lpBytes = 7 + model.reduce((n, s) => n + listpackEntrySize(s), 0);
        assert.is(list.length, model.length);
        assert.is(list.payload, model.reduce((n, s) => n + s.length, 0));
        assert.equal(list.toArray(), model, 'elements');
        if (withTtl && hadKey && !m.emptied) assert.is(db.expireAt(KEY), NOW + 1000, 'the TTL is kept');
        // the listpack → quicklist rule, checked against the model's listpack at each push
        assert.is(internalForm(list), m.quicklist ? 'quicklist' : 'listpack');
        if (!m.quicklist) {
          assert.is(list.listpackBytes, lpBytes);
          assert.is(recordBytes(db, KEY), ListValue.from(model).packed(), 'the record holds the full pack of the model');
          // the accounting of a value stored afresh
          const fresh = new Keyspace(2, 4);
          fresh.dbs[0]!.set('other', ListValue.from(['n']));
          fresh.dbs[0]!.set(KEY, ListValue.from(model));
          fresh.settle();
          assert.is(db.bytes, fresh.dbs[0]!.bytes);
        } else assert.is(recordBytes(db, KEY), null, 'a quicklist list is an object');
        ks.settle();
      }
      assert.equal((db.lookupRead('other', NOW) as ListValue).toArray(), ['n']);
      assert.is(db.expireAt('other'), NOW + 5000);
      ks.settle();
      db.delete(KEY);
      db.delete('other');
      ks.settle();
      assert.is(db.bytes, 0);
    }),
    { numRuns: 300 },
  );
});

test('a list grows past the listpack byte limit into quicklist through edits, exactly at the limit', () => {
  const ks = new Keyspace(1, 1);
  const db = ks.dbs[0]!;
  const e = 'y'.repeat(79) + 'z'; // 80 bytes: 82 in a listpack, 1 back-length byte
  let n = 0;
  for (;;) {
    run(db, -1, [{ op: n % 2 === 0 ? 'rpush' : 'lpush', elements: [e] }]);
    ks.settle();
    n++;
    const list = db.lookupRead(KEY, NOW) as ListValue;
    if (internalForm(list) === 'quicklist') break;
    assert.is(list.listpackBytes, 7 + 83 * n);
    ks.settle();
  }
  // 4096 bytes: 7 + 83 * 49 = 4074 fits; the 50th push (raw length 80 added) exceeds
  assert.is(n, 50);
  assert.is((db.lookupRead(KEY, NOW) as ListValue).length, 50);
});

test('entries: forward and backward walks, long and short, as one string', () => {
  const values = ['', 'a', '\xfe', '\xff'.repeat(253), 'b'.repeat(254), 'c'.repeat(70000), '\x00'];
  const packed = listHeader(1, values.length, 2) + encodeListEntries(values, 0, values.length, false);
  const one = (v: string) => encodeListEntries([v], 0, 1, false);
  assert.is(one('ab'), '\x02ab\x02');
  assert.is(one('b'.repeat(254)), '\xfe\x00\x00\x00\xfe' + 'b'.repeat(254) + '\x00\x00\x00\xfe\xfe');
  assert.is(encodeListEntries(values, 0, values.length, true), [...values].reverse().map(one).join(''));
  const forward: string[] = [];
  for (let at = LIST_HEADER; at < packed.length; ) {
    at = listEntryForward(packed, at);
    forward.push(packed.slice(dataStart, dataEnd));
  }
  assert.equal(forward, values);
  const backward: string[] = [];
  for (let end = packed.length; end > LIST_HEADER; ) {
    end = listEntryBackward(packed, end);
    backward.push(packed.slice(dataStart, dataEnd));
  }
  assert.equal(backward, [...values].reverse());
});

test('unpacking reads the header only; a push then a pop in one command leave the record as it was', () => {
  const ks = new Keyspace(1, 1);
  const db = ks.dbs[0]!;
  db.set(KEY, ListValue.from(['a', 'b', 'c']));
  ks.settle();
  const before = recordBytes(db, KEY);
  const list = db.lookupWrite(KEY, NOW) as ListValue;
  assert.is(list.length, 3);
  list.pushTail('d');
  assert.is(list.popHead(), 'a');
  list.pushHead('a');
  assert.is(list.popTail(), 'd');
  db.changed(KEY);
  ks.settle();
  assert.is(recordBytes(db, KEY), before);
  // popping through the packed entries into the elements pushed in the same command
  const again = db.lookupWrite(KEY, NOW) as ListValue;
  again.pushTail('t1');
  again.pushTail('t2');
  again.pushHead('h1');
  assert.equal([again.popHead(), again.popHead(), again.popHead(), again.popHead(), again.popHead()], ['h1', 'a', 'b', 'c', 't1']);
  db.changed(KEY);
  ks.settle();
  assert.equal((db.lookupRead(KEY, NOW) as ListValue).toArray(), ['t2']);
  assert.is(recordBytes(db, KEY), ListValue.from(['t2']).packed());
});

test('two lists in one command (LMOVE): both packed back right, the second key included', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 3 })), { maxLength: 40 }), (moves) => {
      const ks = new Keyspace(1, 4);
      const db = ks.dbs[0]!;
      const model: Record<string, string[]> = { a: ['1', '2', '3', 'x'.repeat(300)], b: ['b', ''] };
      db.set('a', ListValue.from(model.a!));
      db.set('b', ListValue.from(model.b!));
      ks.settle();
      for (const [fromA, wherefrom, times] of moves) {
        const [src, dst] = fromA ? ['a', 'b'] : ['b', 'a'];
        for (let t = 0; t < times; t++) {
          const s = db.lookupWrite(src, NOW) as ListValue | undefined;
          if (s === undefined) break;
          let d = db.lookupWrite(dst, NOW) as ListValue | undefined;
          const e = wherefrom ? s.popHead()! : s.popTail()!;
          (wherefrom ? model[src]!.shift() : model[src]!.pop());
          if (s.length === 0) db.delete(src);
          else db.changed(src);
          if (d === undefined) {
            d = new ListValue();
            db.set(dst, d);
          }
          d.growing(-2, e.length, 1);
          d.pushHead(e);
          model[dst]!.unshift(e);
          db.changed(dst);
        }
        ks.settle();
        for (const k of ['a', 'b']) {
          if (model[k]!.length === 0) assert.is(db.lookupRead(k, NOW), undefined);
          else {
            assert.equal((db.lookupRead(k, NOW) as ListValue).toArray(), model[k]);
            assert.is(recordBytes(db, k), ListValue.from(model[k]!).packed());
          }
        }
        ks.settle();
      }
    }),
    { numRuns: 200 },
  );
});

test.run();
