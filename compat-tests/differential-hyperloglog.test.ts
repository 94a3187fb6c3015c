/*
 * Differential HyperLogLog: PFADD, PFCOUNT, PFMERGE and PFDEBUG against redis-server. Beyond the
 * replies, the HyperLogLog strings themselves are compared byte for byte (GET) after the same
 * PFADDs — sparse, dense, across the sparse-to-dense promotion and its `hll-sparse-max-bytes`
 * limit — and strings crafted here (random dense registers, stale or valid caches, corrupted
 * opcodes) are SET into both servers and counted, as a HyperLogLog copied from Redis would be.
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

/** `count` distinct-ish elements: text of every length 0-24 and raw binary, from `seed`. */
function elements(count: number, seed: number): Array<string | Buffer> {
  const rnd = prng(seed);
  const out: Array<string | Buffer> = [];
  for (let i = 0; i < count; i++) {
    const r = rnd();
    if (r < 0.6) out.push(`el:${seed}:${i}`);
    else if (r < 0.8) out.push(Buffer.from(Array.from({ length: Math.floor(rnd() * 25) }, () => Math.floor(rnd() * 256))));
    else out.push(String(Math.floor(rnd() * 1e9)));
  }
  return out;
}

/** PFADDs of `count` elements in batches, then PFCOUNT, GET (the bytes) and PFCOUNT again. */
function addAndCompare(key: string, count: number, seed: number, batch = 1000): Script {
  const els = elements(count, seed);
  const script: Script = [];
  for (let i = 0; i < els.length; i += batch) script.push(['PFADD', key, ...els.slice(i, i + batch)]);
  script.push(['PFDEBUG', 'ENCODING', key], ['GET', key], ['PFCOUNT', key], ['GET', key], ['PFCOUNT', key]);
  return script;
}

/** A HyperLogLog header: encoding, and the cached cardinality (MSB of byte 15 = stale). */
function header(encoding: number, card: bigint, stale: boolean): Buffer {
  const h = Buffer.alloc(16);
  h.write('HYLL', 0, 'latin1');
  h[4] = encoding;
  h.writeBigUInt64LE(card, 8);
  if (stale) h[15] = h[15]! | 0x80;
  return h;
}

/** A dense HyperLogLog of random registers (values up to `maxValue`, zero with `zeroShare`). */
function randomDense(seed: number, maxValue: number, zeroShare: number): Buffer {
  const rnd = prng(seed);
  const regs = Buffer.alloc(12288);
  for (let i = 0; i < 16384; i++) {
    const v = rnd() < zeroShare ? 0 : 1 + Math.floor(rnd() * maxValue);
    const bit = i * 6;
    const byte = bit >> 3;
    const fb = bit & 7;
    regs[byte] = regs[byte]! | ((v << fb) & 0xff);
    if (fb > 2) regs[byte + 1] = regs[byte + 1]! | (v >> (8 - fb));
  }
  return Buffer.concat([header(0, 0n, true), regs]);
}

/** Crafted-string cases: the same bytes SET into both servers, then counted and merged. */
function craftedCases(): Script {
  const script: Script = [];
  const shapes: Array<[number, number]> = [[1, 0.99], [3, 0.9], [5, 0.5], [10, 0.1], [20, 0], [40, 0], [63, 0], [51, 0.3]];
  shapes.forEach(([max, zeros], i) => {
    script.push(['SET', `d${i}`, randomDense(100 + i, max, zeros)], ['PFCOUNT', `d${i}`], ['GET', `d${i}`], ['PFADD', `d${i}`, 'x', 'y', 'z'], ['PFCOUNT', `d${i}`]);
  });
  script.push(['PFCOUNT', 'd0', 'd1', 'd2'], ['PFCOUNT', 'd3', 'd6', 'missing'], ['PFMERGE', 'm', 'd0', 'd5'], ['GET', 'm'], ['PFCOUNT', 'm']);
  return script;
}

const sparse = (...ops: number[]): Buffer => Buffer.concat([header(1, 0n, true), Buffer.from(ops)]);

// HELLO's reply carries the server version and connection id, which differ by design
const hello3: Step = { cmd: ['HELLO', '3'], normalize: (raw) => raw.slice(0, 2) };

differentialSuite('differential: hyperloglog', {
  'pfadd and the sparse bytes': [
    ['PFADD', 'h'], ['GET', 'h'], ['PFCOUNT', 'h'], ['GET', 'h'], ['PFADD', 'h'], ['PFADD', 'h', 'a'], ['PFADD', 'h', 'a'], ['GET', 'h'], ['PFADD', 'h', 'b', 'c', 'a'],
    ['PFDEBUG', 'DECODE', 'h'], ['PFDEBUG', 'ENCODING', 'h'], ['GET', 'h'], ['PFCOUNT', 'h'], ['GET', 'h'], ['PFADD', 'h', ''], ['PFCOUNT', 'h'], ['OBJECT', 'ENCODING', 'h'],
    ['TYPE', 'h'], ['STRLEN', 'h'], ['PFADD', 'h2', 'x', 'x', 'x'], ['PFCOUNT', 'h2'], ['PFCOUNT', 'missing'], ['EXISTS', 'missing'],
  ],
  'pfadd: 1, 10, 100 elements': [...addAndCompare('a1', 1, 1), ...addAndCompare('a10', 10, 2), ...addAndCompare('a100', 100, 3), ['PFDEBUG', 'DECODE', 'a100']],
  'pfadd: 1000 and 3000 elements (the promotion to dense)': [...addAndCompare('b1', 1000, 4, 37), ['PFDEBUG', 'DECODE', 'b1'], ...addAndCompare('b3', 3000, 5)],
  'pfadd: 10000 elements': addAndCompare('c', 10000, 6),
  'pfadd: 100000 elements': addAndCompare('e', 100000, 7, 2000),
  'hll-sparse-max-bytes': [
    ['CONFIG', 'SET', 'hll-sparse-max-bytes', '100'], ...addAndCompare('s1', 40, 8, 1), ['CONFIG', 'SET', 'hll-sparse-max-bytes', '0'], ...addAndCompare('s2', 3, 9),
    ['CONFIG', 'SET', 'hll-sparse-max-bytes', '20000'], ...addAndCompare('s3', 6000, 10), ['CONFIG', 'GET', 'hll-sparse-max-bytes'], ['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000'],
  ],
  'pfcount of several keys': [
    ['PFADD', 'x', ...elements(500, 11)], ['PFADD', 'y', ...elements(5000, 12)], ['PFADD', 'z', ...elements(50, 11)], ['PFCOUNT', 'x', 'y'], ['PFCOUNT', 'x', 'z'], ['PFCOUNT', 'x', 'missing'],
    ['PFCOUNT', 'missing', 'missing2'], ['PFCOUNT', 'x', 'x', 'y', 'z'], ['GET', 'x'], ['PFCOUNT', 'y'],
  ],
  'pfmerge': [
    ['PFADD', 'p', ...elements(300, 13)], ['PFADD', 'q', ...elements(300, 14)], ['PFADD', 'r', ...elements(4000, 15)], ['PFMERGE', 'pq', 'p', 'q'], ['GET', 'pq'], ['PFCOUNT', 'pq'],
    ['PFDEBUG', 'ENCODING', 'pq'], ['PFMERGE', 'pqr', 'p', 'q', 'r'], ['GET', 'pqr'], ['PFCOUNT', 'pqr'], ['PFMERGE', 'p', 'q'], ['GET', 'p'], ['PFMERGE', 'p', 'r'], ['GET', 'p'],
    ['PFMERGE', 'empty'], ['GET', 'empty'], ['PFMERGE', 'empty2', 'missing'], ['GET', 'empty2'], ['PFMERGE', 'q'], ['GET', 'q'], ['PFCOUNT', 'q'],
    ['SET', 'ttl', 'x', 'EX', '100'], ['DEL', 'ttl'], ['PFADD', 'ttl', 'a'], ['EXPIRE', 'ttl', '100'], ['PFMERGE', 'ttl', 'p'], { cmd: ['TTL', 'ttl'], tolerance: 1 },
  ],
  'pfmerge of a register above 32 into a sparse one promotes it': [
    ['SET', 'big', randomDense(200, 63, 0.999)], ['PFADD', 'small', 'a'], ['PFMERGE', 'small', 'big'], ['PFDEBUG', 'ENCODING', 'small'], ['GET', 'small'],
    ['SET', 'big2', randomDense(201, 40, 0.9995)], ['PFADD', 'sp', 'b'], ['PFMERGE', 'dest', 'sp', 'big2'], ['GET', 'dest'],
  ],
  'hyperloglogs set from outside': craftedCases(),
  'cached cardinality': [
    ['SET', 'c1', Buffer.concat([header(1, 12345n, false), Buffer.from([0x7f, 0xff])])], ['PFCOUNT', 'c1'], ['PFADD', 'c1', 'a'], ['GET', 'c1'], ['PFCOUNT', 'c1'],
    ['SET', 'c2', Buffer.concat([header(1, 0x7fffffffffffffffn, false), Buffer.from([0x7f, 0xff])])], ['PFCOUNT', 'c2'],
    ['SET', 'c3', Buffer.concat([header(1, 9007199254740993n, false), Buffer.from([0x7f, 0xff])])], ['PFCOUNT', 'c3'], ['PFCOUNT', 'c3', 'c1'],
    ['SET', 'c4', Buffer.concat([header(1, 12345n, true), Buffer.from([0x7f, 0xff])])], ['PFCOUNT', 'c4'], ['GET', 'c4'],
  ],
  'not a hyperloglog': [
    ['SET', 's', 'hello'], ['PFADD', 's', 'a'], ['PFCOUNT', 's'], ['PFCOUNT', 'missing', 's'], ['PFMERGE', 's', 'missing'], ['PFMERGE', 'd', 's'], ['EXISTS', 'd'], ['PFDEBUG', 'GETREG', 's'],
    ['SET', 'n', '123'], ['PFADD', 'n'], ['PFCOUNT', 'n'], ['SET', 'long', '12345678901234567890'], ['PFADD', 'long', 'x'],
    ['SET', 'magic', Buffer.concat([Buffer.from('HYLX'), header(1, 0n, true).subarray(4), Buffer.from([0x7f, 0xff])])], ['PFADD', 'magic', 'a'],
    ['SET', 'enc2', Buffer.concat([header(2, 0n, true), Buffer.from([0x7f, 0xff])])], ['PFCOUNT', 'enc2'],
    ['SET', 'short', 'HYLL\x01\0\0\0'], ['PFCOUNT', 'short'], ['SET', 'hdr', header(1, 0n, true)], ['PFCOUNT', 'hdr'], ['SET', 'hdr2', header(1, 0n, false)], ['PFCOUNT', 'hdr2'],
    ['SET', 'dense-short', header(0, 0n, true)], ['PFCOUNT', 'dense-short'], ['SET', 'dense-long', Buffer.concat([randomDense(1, 3, 0.5), Buffer.from([0])])], ['PFCOUNT', 'dense-long'],
  ],
  'corrupted sparse opcodes': [
    ['SET', 'k1', sparse(0x40, 0x00)], ['PFCOUNT', 'k1'], ['PFADD', 'k1', 'a'], ['PFMERGE', 'd', 'k1'], ['PFCOUNT', 'k1', 'missing'], ['PFDEBUG', 'TODENSE', 'k1'], ['PFDEBUG', 'DECODE', 'k1'],
    ['SET', 'k2', sparse(0x7f, 0xff, 0x00)], ['PFCOUNT', 'k2'], ['PFCOUNT', 'k2', 'k2'], ['PFDEBUG', 'GETREG', 'k2'],
    ['SET', 'k3', sparse(0x7f, 0xfe, 0x83)], ['PFCOUNT', 'k3'], ['PFADD', 'k3', 'a', 'b', 'c'], ['GET', 'k3'], ['PFCOUNT', 'k3'], ['PFDEBUG', 'DECODE', 'k3'],
    ['SET', 'k4', sparse(0x7f, 0xfb, 0xff, 0xff)], ['PFCOUNT', 'k4'], ['PFMERGE', 'd4', 'k4'], ['GET', 'd4'], ['PFDEBUG', 'TODENSE', 'k4'],
    ['PFADD', 'k4', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], ['PFDEBUG', 'DECODE', 'k4'], ['PFCOUNT', 'k4', 'k4'],
    ['SET', 'k5', sparse(0x7f, 0xfb, 0xff, 0x00)], ['PFCOUNT', 'k5', 'k5'], ['PFMERGE', 'd5', 'k5'], ['PFDEBUG', 'TODENSE', 'k5'],
    ['SET', 'k6', sparse(0x00)], ['PFADD', 'k6', 'a'], ['PFADD', 'k6'], ['GET', 'k6'], ['SET', 'k7', sparse()], ['PFADD', 'k7', 'a'], ['PFCOUNT', 'k7'],
  ],
  'pfdebug': [
    ['PFADD', 'h', 'a', 'b', 'c'], ['PFDEBUG', 'ENCODING', 'h'], ['PFDEBUG', 'decode', 'h'], ['PFDEBUG', 'GETREG', 'h'], ['PFDEBUG', 'ENCODING', 'h'], ['PFDEBUG', 'TODENSE', 'h'],
    ['PFDEBUG', 'TODENSE', 'h'], ['PFDEBUG', 'DECODE', 'h'], ['PFDEBUG', 'FOO', 'h'], ['PFDEBUG', 'FOO', 'missing'], ['PFDEBUG', 'GETREG', 'missing'], ['GET', 'h'],
    ['PFADD', 'h2', 'x'], ['PFDEBUG', 'TODENSE', 'h2'], ['GET', 'h2'], ['PFDEBUG', 'GETREG'], ['PFDEBUG', 'GETREG', 'h', 'x'],
  ],
  'arity': [['PFADD'], ['PFCOUNT'], ['PFMERGE']],
  'resp3 replies': [hello3, ['PFADD', 'h', 'a'], ['PFCOUNT', 'h'], ['PFMERGE', 'm', 'h'], ['PFDEBUG', 'ENCODING', 'm'], ['PFDEBUG', 'DECODE', 'm'], ['SET', 's', 'x'], ['PFADD', 's', 'a']],
});
