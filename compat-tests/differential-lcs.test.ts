/*
 * Differential LCS: the subsequence, LEN, IDX (match ranges in Redis's order, MINMATCHLEN,
 * WITHMATCHLEN) in RESP2 and RESP3 (IDX is a map there), binary strings, missing keys, every
 * error path, and random string pairs. WRONGTYPE is in bitmap-hyperloglog-wrongtype.test.ts.
 */
import { differentialSuite, type Script, type Step } from './differential.js';

/** A deterministic stream of numbers in [0, 1) (mulberry32), so generated cases are stable. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random pairs over small alphabets (so that runs of matches form), all reply forms. */
function randomPairs(count: number, seed: number): Script {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const script: Script = [];
  for (let i = 0; i < count; i++) {
    const alphabet = 'abcdefgh\x00\xff'.slice(0, 2 + int(8));
    const word = () => Array.from({ length: int(40) }, () => alphabet[int(alphabet.length)]).join('');
    script.push(['SET', 'a', word()], ['SET', 'b', word()], ['LCS', 'a', 'b'], ['LCS', 'b', 'a', 'LEN'], ['LCS', 'a', 'b', 'IDX', 'WITHMATCHLEN']);
    script.push(['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', String(int(4))]);
  }
  return script;
}

// HELLO's reply carries the server version and connection id, which differ by design
const hello3: Step = { cmd: ['HELLO', '3'], normalize: (raw) => raw.slice(0, 2) };

const docs: Script = [['SET', 'key1', 'ohmytext'], ['SET', 'key2', 'mynewtext']];

differentialSuite('differential: lcs', {
  'the documented examples': [
    ...docs, ['LCS', 'key1', 'key2'], ['LCS', 'key1', 'key2', 'LEN'], ['LCS', 'key1', 'key2', 'IDX'], ['LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', '4'],
    ['LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'], ['LCS', 'key1', 'key2', 'idx', 'withmatchlen'], ['LCS', 'key2', 'key1', 'IDX', 'WITHMATCHLEN'],
  ],
  'options repeat, combine and stay case-insensitive': [
    ...docs, ['LCS', 'key1', 'key2', 'LEN', 'LEN'], ['LCS', 'key1', 'key2', 'IDX', 'IDX', 'MINMATCHLEN', '2', 'MINMATCHLEN', '0'], ['LCS', 'key1', 'key2', 'MINMATCHLEN', '3'],
    ['LCS', 'key1', 'key2', 'WITHMATCHLEN'], ['LCS', 'key1', 'key2', 'LEN', 'WITHMATCHLEN'], ['LCS', 'key1', 'key2', 'len', 'MinMatchLen', '100'], ['LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', '-5'],
    ['LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', '9223372036854775807'], ['LCS', 'key1', 'key1', 'IDX', 'WITHMATCHLEN'], ['LCS', 'key1', 'key1'],
  ],
  'missing keys, empty, int-encoded and binary strings': [
    ['LCS', 'm1', 'm2'], ['LCS', 'm1', 'm2', 'LEN'], ['LCS', 'm1', 'm2', 'IDX'], ['SET', 'x', 'abc'], ['LCS', 'x', 'm1'], ['LCS', 'm1', 'x', 'IDX', 'WITHMATCHLEN'],
    ['SET', 'e', ''], ['LCS', 'e', 'x'], ['SET', 'n1', '1234567'], ['SET', 'n2', '-2468'], ['LCS', 'n1', 'n2'], ['LCS', 'n1', 'n2', 'IDX', 'WITHMATCHLEN'],
    ['SET', 'b1', '\x00\xff\r\nab\x00'], ['SET', 'b2', '\xff\x00\nb\x00\x00'], ['LCS', 'b1', 'b2'], ['LCS', 'b1', 'b2', 'IDX', 'WITHMATCHLEN'],
    ['SET', 'a', 'a'.repeat(300)], ['SET', 'b', 'ab'.repeat(200)], ['LCS', 'a', 'b', 'LEN'], ['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '2'],
  ],
  'errors': [
    ...docs, ['LCS', 'key1', 'key2', 'LEN', 'IDX'], ['LCS', 'key1', 'key2', 'IDX', 'LEN'], ['LCS', 'key1', 'key2', 'FOO'], ['LCS', 'key1', 'key2', 'MINMATCHLEN'],
    ['LCS', 'key1', 'key2', 'MINMATCHLEN', 'x'], ['LCS', 'key1', 'key2', 'MINMATCHLEN', '1.5'], ['LCS', 'key1', 'key2', 'MINMATCHLEN', 'x', 'LEN', 'IDX'], ['LCS', 'key1', 'key2', 'FOO', 'LEN', 'IDX'],
    ['LCS', 'key1', 'key2', 'LEN', 'IDX', 'FOO'], ['LCS', 'key1'], ['LCS'],
  ],
  'proto-max-bulk-len bounds the table': [
    ['CONFIG', 'SET', 'proto-max-bulk-len', '1mb'], ['SET', 'a', 'x'.repeat(600)], ['SET', 'b', 'y'.repeat(436)], ['LCS', 'a', 'b', 'LEN'], ['SET', 'b', 'y'.repeat(435)], ['LCS', 'a', 'b', 'LEN'],
    ['LCS', 'a', 'missing'], ['CONFIG', 'SET', 'proto-max-bulk-len', '512mb'],
  ],
  'resp3 replies': [
    hello3, ...docs, ['LCS', 'key1', 'key2'], ['LCS', 'key1', 'key2', 'LEN'], ['LCS', 'key1', 'key2', 'IDX'], ['LCS', 'key1', 'key2', 'IDX', 'WITHMATCHLEN', 'MINMATCHLEN', '2'],
    ['LCS', 'm1', 'm2', 'IDX'], ['LCS', 'key1', 'key2', 'LEN', 'IDX'],
  ],
  'random pairs': randomPairs(150, 21),
});
