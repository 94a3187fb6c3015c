/*
 * LCS's table and walk: the documented example, Redis's match order (from the end), MINMATCHLEN,
 * and a brute-force check of the length on small random pairs.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lcsTable, lcsWalk } from './lcs.js';

test('the documented example: ohmytext / mynewtext', () => {
  const a = 'ohmytext';
  const b = 'mynewtext';
  const t = lcsTable(a, b);
  assert.is(t[t.length - 1], 6);
  const r = lcsWalk(a, b, t, 0);
  assert.is(r.lcs, 'mytext');
  assert.equal(r.matches, [
    { a: [4, 7], b: [5, 8], len: 4 },
    { a: [2, 3], b: [0, 1], len: 2 },
  ]);
  assert.equal(lcsWalk(a, b, t, 4).matches, [{ a: [4, 7], b: [5, 8], len: 4 }]);
});

test('empty strings and no common byte', () => {
  assert.equal(lcsWalk('', 'abc', lcsTable('', 'abc'), 0), { lcs: '', matches: [] });
  assert.equal(lcsWalk('abc', 'xyz', lcsTable('abc', 'xyz'), 0), { lcs: '', matches: [] });
});

test('the length is the longest common subsequence (brute force on small pairs)', () => {
  let seed = 9;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const isSubsequence = (s: string, of: string) => {
    let i = 0;
    for (const ch of of) if (ch === s[i]) i++;
    return i === s.length;
  };
  for (let round = 0; round < 200; round++) {
    const word = () => Array.from({ length: Math.floor(rnd() * 8) }, () => 'abc'[Math.floor(rnd() * 3)]).join('');
    const a = word();
    const b = word();
    let best = 0;
    for (let mask = 0; mask < 1 << a.length; mask++) {
      const sub = [...a].filter((_, i) => mask & (1 << i)).join('');
      if (sub.length > best && isSubsequence(sub, b)) best = sub.length;
    }
    const t = lcsTable(a, b);
    const r = lcsWalk(a, b, t, 0);
    assert.is(t[t.length - 1], best, `${a} / ${b}`);
    assert.is(r.lcs.length, best);
    assert.ok(isSubsequence(r.lcs, a) && isSubsequence(r.lcs, b));
    assert.is(r.matches.reduce((n, m) => n + m.len, 0), best);
  }
});

test.run();
