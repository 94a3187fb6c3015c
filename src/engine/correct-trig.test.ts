/*
 * correct-trig: values where V8's Math.sin/cos/asin round away from the nearest double (the
 * references are the exact values rounded once, computed with mpmath at 200 bits); and a sweep
 * that every result is within one ulp of V8's.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { correctAsin, correctCos, correctSin } from './correct-trig.js';

const CASES: Array<[string, number, number]> = [
  ['sin', -0.3495219580492708, -0.3424487087282367],
  ['sin', -1.8137638583640745, -0.9706283089230557],
  ['sin', 2.160499044240466, 0.8311060388058169],
  ['sin', -2.426304257242839, -0.6558351555618426],
  ['sin', 1.0899556250500542, 0.8866063908115436],
  ['sin', 0.31231207288417906, 0.3072596837326075],
  ['asin', 0.8314879417685566, 0.9817806972285575],
  ['asin', 0.5031336128805672, 0.5272209554667767],
  ['asin', 0.5726555765757642, 0.609741517840635],
  ['asin', 0.6293484547318081, 0.6807145200170289],
  ['asin', 0.6226388319038765, 0.6721104660963829],
  ['asin', 0.5289901450369934, 0.5574101378982791],
  ['cos', -1.0297878537540242, 0.5150007061458503],
  ['cos', -2.1139574925159197, -0.516844777549211],
  ['cos', 0.6654881849069518, 0.7866154524143253],
  ['cos', 0.7371906083778343, 0.7403599808009721],
  ['cos', -2.613228015254286, -0.8636326462438773],
  ['cos', -2.4633440100612654, -0.7786727664153382],
];

const FN = { sin: correctSin, cos: correctCos, asin: correctAsin } as Record<string, (x: number) => number>;
const V8 = { sin: Math.sin, cos: Math.cos, asin: Math.asin } as Record<string, (x: number) => number>;

test('rounds to the nearest double where V8 does not', () => {
  for (const [name, x, want] of CASES) {
    assert.is(FN[name]!(x), want, `${name}(${x})`);
    assert.is.not(V8[name]!(x), want, `V8 differs on ${name}(${x})`);
  }
});

test('within one ulp of V8 everywhere, and exact at the easy points', () => {
  const ulp = (v: number) => Math.max(Number.MIN_VALUE, Math.abs(v) * 2 ** -52);
  for (let i = -3000; i <= 3000; i++) {
    const x = i * 1.0471e-3;
    assert.ok(Math.abs(correctSin(x) - Math.sin(x)) <= ulp(Math.sin(x)), `sin ${x}`);
    assert.ok(Math.abs(correctCos(x) - Math.cos(x)) <= ulp(Math.cos(x)), `cos ${x}`);
    const y = Math.abs(i) / 3001;
    assert.ok(Math.abs(correctAsin(y) - Math.asin(y)) <= ulp(Math.asin(y)) || y === 0, `asin ${y}`);
  }
  assert.is(correctSin(0), 0);
  assert.is(correctCos(0), 1);
  assert.is(correctAsin(1), Math.PI / 2);
  assert.is(correctAsin(0), 0);
});

test.run();
