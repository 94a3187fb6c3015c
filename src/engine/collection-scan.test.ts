import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCollectionScanOptions, scanCollection, type ScannableCollection } from './collection-scan.js';
import { SetValue } from './set-value.js';

const ERRORS = { syntax: 'syntax', notInteger: 'int' };

test('options: COUNT, MATCH, errors as Redis', () => {
  assert.equal(parseCollectionScanOptions(['SSCAN', 'k', '0'], 3, ERRORS), { count: 10, match: null });
  assert.equal(parseCollectionScanOptions(['SSCAN', 'k', '0', 'count', '5', 'MATCH', 'a*'], 3, ERRORS), { count: 5, match: 'a*' });
  assert.equal(parseCollectionScanOptions(['SSCAN', 'k', '0', 'MATCH', '*'], 3, ERRORS), { count: 10, match: null });
  assert.is(parseCollectionScanOptions(['SSCAN', 'k', '0', 'COUNT', '0'], 3, ERRORS), 'syntax');
  assert.is(parseCollectionScanOptions(['SSCAN', 'k', '0', 'COUNT', 'x'], 3, ERRORS), 'int');
  assert.is(parseCollectionScanOptions(['SSCAN', 'k', '0', 'COUNT'], 3, ERRORS), 'syntax');
  assert.is(parseCollectionScanOptions(['SSCAN', 'k', '0', 'TYPE', 'set'], 3, ERRORS), 'syntax');
});

function table(s: SetValue): ScannableCollection {
  return { size: s.size, compact: s.isIntset, keyAt: (i) => s.memberAt(i) };
}

test('a compact collection comes whole with cursor 0, whatever the cursor and count', () => {
  const s = new SetValue('1');
  for (let i = 0; i < 50; i++) s.add(String(i), 512);
  const got: string[] = [];
  const next = scanCollection(table(s), 12345n, { count: 1, match: null }, (i) => got.push(s.memberAt(i)));
  assert.is(next, 0n);
  assert.is(got.length, 50);
});

test('MATCH filters by key', () => {
  const s = new SetValue('a');
  for (const m of ['a', 'apple', 'banana', 'avocado']) s.add(m, 512);
  const got: string[] = [];
  let cursor = 0n;
  do cursor = scanCollection(table(s), cursor, { count: 1, match: 'a*' }, (i) => got.push(s.memberAt(i)));
  while (cursor !== 0n);
  assert.equal(got.sort(), ['a', 'apple', 'avocado']);
});

test('every member present throughout is returned, under random inserts and deletes', () => {
  let seed = 1;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let round = 0; round < 30; round++) {
    const s = new SetValue('x');
    for (let i = 0; i < 300; i++) s.add('m' + i, 0);
    const stable = new Set<string>();
    for (let i = 0; i < 300; i += 3) stable.add('m' + i); // never deleted
    const seen = new Set<string>();
    let cursor = 0n;
    let calls = 0;
    let added = 300;
    do {
      cursor = scanCollection(table(s), cursor, { count: 1 + Math.floor(rnd() * 20), match: null }, (i) => seen.add(s.memberAt(i)));
      for (let k = 0; k < 10; k++) {
        const i = Math.floor(rnd() * (added + 50));
        if (i % 3 !== 0 || i >= 300) s.delete('m' + i);
        if (rnd() < 0.5) s.add('m' + added++, 0);
      }
      calls++;
    } while (cursor !== 0n && calls < 10000);
    assert.is(cursor, 0n);
    for (const m of stable) assert.ok(seen.has(m), `round ${round}: ${m} missed`);
  }
});

test('a cursor beyond the size (the table shrank) resumes at the top', () => {
  const s = new SetValue('x');
  for (let i = 0; i < 5; i++) s.add('m' + i, 0);
  const got: string[] = [];
  const next = scanCollection(table(s), 1000n, { count: 2, match: null }, (i) => got.push(s.memberAt(i)));
  assert.is(next, 3n);
  assert.equal(got, ['m4', 'm3']);
});

test.run();
