import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EntryTable } from './entry-table.js';

/** Checks `t` against the model: same size, each position's key and value, every key found at its position. */
function check(t: EntryTable, model: Map<string, string>): void {
  assert.is(t.size, model.size);
  const seen = new Set<string>();
  let bytes = 0;
  for (let i = 0; i < t.size; i++) {
    const k = t.keyAt(i);
    assert.ok(model.has(k), `position ${i} holds ${JSON.stringify(k)}, not in the model`);
    assert.is(t.valueAt(i), model.get(k));
    assert.is(t.valueLengthAt(i), model.get(k)!.length);
    assert.is(t.find(k), i);
    assert.not.ok(seen.has(k));
    seen.add(k);
    bytes += k.length + model.get(k)!.length;
  }
  assert.is(t.liveBytes, bytes);
}

function randomBytes(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(Math.random() * 256));
  return s;
}

test('adds, finds and removes by key and by position, positions dense, any bytes', () => {
  const t = new EntryTable();
  const model = new Map<string, string>();
  assert.ok(t.add('a', '1'));
  assert.not.ok(t.add('a', '2'));
  model.set('a', '1');
  assert.ok(t.add('', ''));
  model.set('', '');
  assert.ok(t.add('\x00\xff', 'x'.repeat(100)));
  model.set('\x00\xff', 'x'.repeat(100));
  check(t, model);
  assert.is(t.find('b'), -1);
  assert.not.ok(t.delete('b'));
  assert.ok(t.delete('a'));
  model.delete('a');
  check(t, model);
  // removing position 0 moves the last entry there
  const last = t.keyAt(t.size - 1);
  t.deleteAt(0);
  assert.is(t.keyAt(0), last);
});

test('a removal fills its hole with the last entry (what SCAN and random picks rely on)', () => {
  const t = new EntryTable();
  for (let i = 0; i < 1000; i++) t.add(`m${i}`);
  assert.ok(t.delete('m10'));
  assert.is(t.keyAt(10), 'm999');
  assert.is(t.size, 999);
  assert.ok(t.add('new'));
  assert.is(t.keyAt(999), 'new');
});

test('random operations against a Map: growth, shrinking, value rewrites, compaction', () => {
  for (const keySpace of [50, 3000, 40000]) {
    const t = new EntryTable();
    const model = new Map<string, string>();
    const keys: string[] = [];
    for (let i = 0; i < keySpace; i++) keys.push(i % 7 === 0 ? randomBytes(1 + (i % 90)) : `element:${i}`);
    for (let step = 0; step < 60000; step++) {
      const k = keys[Math.floor(Math.random() * keys.length)]!;
      const r = Math.random();
      // phases: grow, churn, shrink
      const phase = step < 25000 ? 0.75 : step < 40000 ? 0.5 : 0.15;
      if (r < phase) {
        const v = Math.random() < 0.1 ? randomBytes(Math.floor(Math.random() * 200)) : `v${step}`;
        const i = t.find(k);
        if (i < 0) t.insertFound(k, v);
        else t.setValueAt(i, v);
        model.set(k, v);
      } else if (r < phase + 0.05 && t.size > 0) {
        const i = Math.floor(Math.random() * t.size);
        model.delete(t.keyAt(i));
        t.deleteAt(i);
      } else {
        assert.is(t.delete(k), model.delete(k));
      }
      if (step % 5000 === 0) check(t, model);
    }
    check(t, model);
    const c = t.clone();
    check(c, model);
    c.add('only in the copy', '');
    assert.is(t.find('only in the copy'), -1);
    for (const k of [...model.keys()]) {
      assert.ok(t.delete(k));
      model.delete(k);
    }
    check(t, model);
  }
});

test.run();
