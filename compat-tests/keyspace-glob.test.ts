/*
 * globMatch against real Redis: random patterns over an alphabet full of glob metacharacters,
 * run as KEYS on redis-server over a fixed set of keys, must select exactly the keys globMatch
 * selects. Deterministic (seeded), so a failure reproduces.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { globMatch } from '../src/engine/glob.js';
import { RawClient, startRedis } from './harness.js';

const ALPHABET = ['a', 'b', 'A', '-', '^', '*', '?', '[', ']', '\\', '\x00', '\xff', '\x80'];
const KEYS = ['', 'a', 'b', 'ab', 'ba', 'aab', 'A', 'Ab', '-', '^', '*', '?', '[', ']', '\\', '[a]', 'a-b', '\x00', '\xff', '\x80a', 'a\xffb', '\\a', 'a*b', ']]', '^a'];

function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
}

/** Parses a RESP array of bulks (KEYS reply). */
function bulks(raw: string): string[] {
  let at = raw.indexOf('\r\n') + 2;
  const n = Number(raw.slice(1, at - 2));
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const nl = raw.indexOf('\r\n', at);
    const len = Number(raw.slice(at + 1, nl));
    out.push(raw.slice(nl + 2, nl + 2 + len));
    at = nl + 4 + len;
  }
  return out;
}

test('KEYS with random patterns selects what globMatch selects', async () => {
  const redis = await startRedis();
  if (!redis) return;
  const c = await RawClient.connect(redis.port);
  try {
    for (const k of KEYS) await c.call('SET', k, '1');
    const random = rng(42);
    for (let i = 0; i < 1500; i++) {
      const len = 1 + Math.floor(random() * 6);
      let pattern = '';
      for (let j = 0; j < len; j++) pattern += ALPHABET[Math.floor(random() * ALPHABET.length)];
      if (pattern === '*') continue; // KEYS special-cases it; tested in the differential suite
      const want = bulks(await c.call('KEYS', pattern)).sort();
      const got = KEYS.filter((k) => globMatch(pattern, k)).sort();
      assert.equal(got, want, `pattern ${JSON.stringify(pattern)}`);
    }
  } finally {
    c.close();
    await redis.stop();
  }
});

test.run();
