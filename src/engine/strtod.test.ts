/*
 * parseStrictDouble / parseLooseDouble read plain decimals without strtod (the fast path):
 * whatever they return must be what strtod's full parse returns, sign of zero included.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseLooseDouble, parseStrictDouble, strtod } from './strtod.js';

/** What parseStrictDouble returned before the fast path: strtod over the whole string. */
function strictByStrtod(s: string): number | null {
  if (s.length === 0 || /^\s/.test(s)) return null;
  const r = strtod(s);
  return r.end !== s.length || r.erange || Number.isNaN(r.value) ? null : r.value;
}

function looseByStrtod(s: string): number | null {
  const r = strtod(s);
  return r.end !== s.length || Number.isNaN(r.value) ? null : r.value;
}

const same = (a: number | null, b: number | null, s: string) => assert.ok(Object.is(a, b), `${JSON.stringify(s)}: ${a} vs ${b}`);

const SAMPLES = [
  '0', '-0', '+0', '00', '-000', '0.0', '-0.0', '1', '-1', '+1', '1.', '.5', '-.5', '+.5', '.', '-', '+', '', ' 1', '1 ',
  '1.5', '3.14159', '000000012345', '999999999999999', '9999999999999999', '12345678901234567890', '9007199254740993',
  '0.1', '0.30000000000000004', '1e5', '1E5', '-1e-5', '1.5e300', '1e400', '1e-400', 'inf', '-inf', '+inf', 'nan', '1..2',
  '1.2.3', '0x10', '--1', '+-1', '1-', '١', '12a', 'a12', '1' + '0'.repeat(299), '1' + '0'.repeat(300), '1' + '0'.repeat(310),
  '0.' + '0'.repeat(297) + '1', '0.' + '0'.repeat(330) + '1', '-' + '9'.repeat(299),
];

test('plain decimals read as strtod reads them', () => {
  for (const s of SAMPLES) {
    same(parseStrictDouble(s), strictByStrtod(s), s);
    same(parseLooseDouble(s), looseByStrtod(s), s);
  }
});

test('random plain decimals read as strtod reads them', () => {
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let k = 0; k < 20000; k++) {
    let s = ['', '-', '+'][rand(3)]!;
    const digits = 1 + rand(25);
    const point = rand(3) === 0 ? -1 : rand(digits + 1);
    for (let i = 0; i < digits; i++) {
      if (i === point) s += '.';
      s += String(rand(10));
    }
    if (point === digits) s += '.';
    same(parseStrictDouble(s), strictByStrtod(s), s);
    same(parseLooseDouble(s), looseByStrtod(s), s);
  }
});

test.run();
