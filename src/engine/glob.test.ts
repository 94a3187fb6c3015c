import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { globMatch, globMatchRange } from './glob.js';

const yes = (p: string, s: string, nocase = false) => assert.ok(globMatch(p, s, nocase), `${JSON.stringify(p)} should match ${JSON.stringify(s)}`);
const no = (p: string, s: string, nocase = false) => assert.not.ok(globMatch(p, s, nocase), `${JSON.stringify(p)} should not match ${JSON.stringify(s)}`);

test('literals, ? and *', () => {
  yes('hello', 'hello');
  no('hello', 'hell');
  no('hell', 'hello');
  yes('h?llo', 'hallo');
  no('h?llo', 'hllo');
  yes('h*llo', 'hllo');
  yes('h*llo', 'heeeello');
  yes('*', 'x');
  yes('***', 'abc');
  yes('a*', 'a');
  yes('a**', 'a');
  no('a*b', 'acbx');
  yes('*l*l*o', 'hello');
  yes('', '');
  no('', 'a');
});

test('* never matches the empty string (KEYS/SCAN special-case the pattern *)', () => {
  no('*', '');
  no('**', '');
  no('?', '');
  yes('', '');
});

test('classes, negation and ranges (reversed too)', () => {
  yes('h[ae]llo', 'hallo');
  no('h[ae]llo', 'hillo');
  yes('h[^e]llo', 'hallo');
  no('h[^e]llo', 'hello');
  yes('h[a-c]llo', 'hbllo');
  yes('h[c-a]llo', 'hbllo');
  no('h[c-a]llo', 'hdllo');
  no('[]]', ']'); // `[]` is an empty class: it matches nothing
});

test('class quirks as Redis: [a-] is a range to ], an unterminated class ends the pattern', () => {
  for (const s of [']', '^', '_', '`', 'a']) yes('[a-]', s);
  no('[a-]', 'b');
  no('[a-]', '-');
  yes('h[a', 'ha'); // unterminated: matches one byte, then the pattern is over
  no('h[a', 'hax');
  no('h[', 'h');
  no('h[', 'ha');
  yes('[^', 'x');
  no('[]', 'x');
});

test('escapes, inside and outside classes', () => {
  yes('h\\*llo', 'h*llo');
  no('h\\*llo', 'hello');
  yes('\\[a\\]', '[a]');
  yes('[\\]]', ']');
  yes('[\\-]', '-');
  no('[a\\-z]', 'b');
  yes('a\\', 'a\\'); // a trailing backslash is literal
  yes('[\\', '\\');
});

test('bytes >= 0x80 compare as signed chars in ranges', () => {
  yes('[\x80-\xff]', '\x90');
  no('[\x80-\xff]', 'a');
  // 'a'..0xff as signed chars is -1..97: it holds 0xff, 0x00, 'A' but not 'b'
  yes('[a-\xff]', '\xff');
  yes('[a-\xff]', '\x00');
  yes('[a-\xff]', 'A');
  no('[a-\xff]', 'b');
  no('[a-\xff]', '\x80');
  yes('\x00*\xff', '\x00abc\xff');
});

test('nocase', () => {
  yes('HELLO', 'hello', true);
  yes('h[A-C]llo', 'hbllo', true);
  yes('h[a-c]llo', 'HBLLO', true);
  no('HELLO', 'hello');
  no('[\\A]', 'a', true); // escaped class members compare exactly
});

test('pathological patterns stay fast; deep nesting gives up as Redis does', () => {
  const s = 'a'.repeat(60);
  const start = performance.now();
  no('*a*a*a*a*a*a*a*a*a*a*a*a*b', s);
  no(`${'*a'.repeat(30)}b`, s);
  assert.ok(performance.now() - start < 100, 'must not backtrack exponentially');
  yes('*'.repeat(5000) + 'x', 'x'); // consecutive stars collapse
  const nested = '*a'.repeat(1100);
  no(nested, 'a'.repeat(1100)); // more than 1000 nested stars: no match
  yes('*a'.repeat(900), 'a'.repeat(900));
});

test('globMatchRange over a byte range answers as globMatch over the same bytes', () => {
  let seed = 7;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  // the quirks' alphabet: specials, a few letters, a byte >= 0x80, NUL
  const pChars = ['*', '?', '[', ']', '^', '-', '\\', 'a', 'b', 'c', '\xff', '\x00', '*'];
  const sChars = ['a', 'b', 'c', ']', '-', '^', '*', '\\', '\xff', '\x80', '\x00'];
  const fixed: [string, string][] = [['*', ''], ['', ''], ['a*', 'a'], ['[a-]', ']'], ['h[a', 'ha'], ['[a-\xff]', '\x00'], ['*a'.repeat(1100), 'a'.repeat(1100)], ['app:*', 'app:1'], ['app:?', 'app:']];
  const cases = fixed.slice();
  for (let i = 0; i < 20000; i++) {
    let p = '';
    let s = '';
    for (let n = rnd(8); n > 0; n--) p += pChars[rnd(pChars.length)];
    for (let n = rnd(8); n > 0; n--) s += sChars[rnd(sChars.length)];
    cases.push([p, s]);
  }
  let matched = 0;
  for (const [p, s] of cases) {
    // the string inside a larger buffer: bytes before and after it must not take part
    const buf = Buffer.from('xa*' + s + 'a*x', 'latin1');
    const want = globMatch(p, s);
    if (want) matched++;
    assert.is(globMatchRange(p, buf, 3, 3 + s.length), want, `${JSON.stringify(p)} on ${JSON.stringify(s)}`);
  }
  assert.ok(matched > 500, `enough matching cases (${matched})`);
});

test.run();
