/*
 * Differential sorted sets: every command and option, byte for byte against redis-server, in
 * RESP2 and RESP3 (each case runs twice, the second time after HELLO 3): inf scores, exclusive
 * ranges, LIMIT with negative counts, WITHSCORES, binary members, WRONGTYPE, the error paths,
 * and the listpack → skiplist transitions (each case also runs with small limits so that both
 * encodings are compared).
 */
import { differentialSuite, type Script } from './differential.js';

const BIN = '\x00\xff\r\n\x80bin\x00';

/** A deterministic stream of numbers in [0, 1) (mulberry32). */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A set `key` of members m0…m(n-1) with scores 0…n-1 (or all 0 when `lex`). */
function fill(key: string, n: number, lex = false): string[] {
  const cmd = ['ZADD', key];
  for (let i = 0; i < n; i++) cmd.push(lex ? '0' : String(i), lex ? String.fromCharCode(97 + (i % 26)) + i : 'm' + i);
  return cmd;
}

/** Scores of many shapes (decimal, exponents, hex, inf), formatted by both servers. */
function scoreCases(count: number): Script {
  const rnd = prng(3);
  const int = (n: number) => Math.floor(rnd() * n);
  const shapes = [
    () => String((rnd() - 0.5) * 10 ** (int(40) - 20)),
    () => (rnd() * 1e6).toFixed(int(12)),
    () => String(int(1e6) * 10 ** int(30)),
    () => '0x' + int(1e9).toString(16) + '.' + int(1e5).toString(16) + 'p' + (int(2000) - 1000),
    () => (rnd() * 10).toPrecision(1 + int(20)) + 'e' + (int(700) - 350),
    () => String(int(2 ** 53) * (rnd() < 0.5 ? 1 : -1)),
    () => ['inf', '-inf', '+inf', 'Infinity', '-0', '0.0', '1e-320', '5e-324', '1e400', 'nan', '1e', ' 1', '0x', '.5', '5.'][int(15)]!,
  ];
  const script: Script = [];
  for (let i = 0; i < count; i++) {
    const v = shapes[i % shapes.length]!();
    script.push(['ZADD', 'sc', v, 'm' + i], ['ZSCORE', 'sc', 'm' + i], ['ZINCRBY', 'sc', v, 'm' + i]);
  }
  // a skiplist set's ZSCAN follows Redis's hash table order: compare the pairs sorted
  script.push(['ZRANGE', 'sc', '0', '-1', 'WITHSCORES'], { cmd: ['ZSCAN', 'sc', '0', 'COUNT', '1000'], normalize: sortedScanPairs });
  return script;
}

/** A ZSCAN reply that returned everything (cursor 0) as its member/score pairs, sorted. */
function sortedScanPairs(raw: string): string {
  if (!raw.startsWith('*2\r\n$1\r\n0\r\n*')) return raw;
  let at = raw.indexOf('\r\n', 12) + 2;
  const bulks: string[] = [];
  while (at < raw.length) {
    const eol = raw.indexOf('\r\n', at);
    const len = Number(raw.slice(at + 1, eol));
    bulks.push(raw.slice(eol + 2, eol + 2 + len));
    at = eol + 4 + len;
  }
  const items: string[] = [];
  for (let i = 0; i + 1 < bulks.length; i += 2) items.push(JSON.stringify([bulks[i], bulks[i + 1]]));
  return items.sort().join('\n');
}

const cases: Record<string, Script> = {
  'zadd: options and replies': [
    ['ZADD', 'z', '1', 'a', '2', 'b'], ['ZADD', 'z', '1', 'a'], ['ZADD', 'z', 'CH', '5', 'a', '2', 'b', '3', 'c'], ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ['ZADD', 'z', 'NX', '10', 'a', '4', 'd'], ['ZADD', 'z', 'XX', '11', 'a', '4', 'e'], ['ZADD', 'z', 'XX', 'CH', '12', 'a', '4', 'f'],
    ['ZADD', 'z', 'GT', 'CH', '1', 'a', '20', 'b'], ['ZADD', 'z', 'LT', 'CH', '100', 'a', '0', 'b'], ['ZADD', 'z', 'GT', '7', 'new'],
    ['ZADD', 'z', 'XX', 'GT', '100', 'a', '1', 'zz'], ['ZADD', 'z', 'lt', 'xx', 'ch', '1', 'a'], ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ['ZADD', 'none', 'XX', '1', 'a'], ['EXISTS', 'none'], ['ZADD', 'none', 'XX', 'INCR', '1', 'a'],
  ],
  'zadd: incr': [
    ['ZADD', 'zi', 'INCR', '1.5', 'a'], ['ZADD', 'zi', 'INCR', '1.5', 'a'], ['ZADD', 'zi', 'INCR', 'NX', '1', 'a'], ['ZADD', 'zi', 'INCR', 'XX', '1', 'b'],
    ['ZADD', 'zi', 'INCR', 'GT', '-1', 'a'], ['ZADD', 'zi', 'INCR', 'GT', '0', 'a'], ['ZADD', 'zi', 'INCR', 'LT', '-1', 'a'], ['ZADD', 'zi', 'INCR', '0', 'a'],
    ['ZADD', 'zi', 'INCR', 'inf', 'a'], ['ZADD', 'zi', 'INCR', '-inf', 'a'], ['ZSCORE', 'zi', 'a'], ['ZADD', 'zi', 'INCR', 'CH', '1', 'c'],
    ['ZINCRBY', 'zi', '2', 'd'], ['ZINCRBY', 'zi', '-inf', 'a'], ['ZINCRBY', 'zi', 'x', 'a'], ['ZINCRBY', 'zi', '0.1', 'd'], ['ZINCRBY', 'zi', '0.2', 'd'],
    ['ZINCRBY', 'zi', '1e308', 'e'], ['ZINCRBY', 'zi', '1e308', 'e'], ['ZINCRBY', 'zi', '-0', 'z0'], ['ZSCORE', 'zi', 'z0'],
  ],
  'zadd: errors': [
    ['ZADD', 'ze', 'NX', 'XX', '1', 'a'], ['ZADD', 'ze', 'GT', 'LT', '1', 'a'], ['ZADD', 'ze', 'NX', 'GT', '1', 'a'], ['ZADD', 'ze', 'NX', 'LT', '1', 'a'],
    ['ZADD', 'ze', 'INCR', '1', 'a', '2', 'b'], ['ZADD', 'ze', '1'], ['ZADD', 'ze', '1', 'a', '2'], ['ZADD', 'ze', 'x', 'a'], ['ZADD', 'ze', 'nan', 'a'],
    ['ZADD', 'ze', '1', 'a', 'x', 'b'], ['EXISTS', 'ze'], ['ZADD', 'ze', 'CH'], ['ZADD', 'ze', 'NX', 'NX'], ['ZADD', 'ze', 'ch', 'nx', 'incr', 'foo', 'bar'],
    ['ZADD', 'ze', '1e400', 'a'], ['ZADD', 'ze', '1e-400', 'a'], ['ZADD', 'ze', ' 1', 'a'], ['ZADD', 'ze', '', 'a'], ['ZADD', 'ze', '0x10', 'a'], ['ZSCORE', 'ze', 'a'],
  ],
  'scores of many shapes': scoreCases(300),
  'wrongtype everywhere': [
    ['SET', 's', 'v'], ['ZADD', 's', '1', 'a'], ['ZINCRBY', 's', '1', 'a'], ['ZREM', 's', 'a'], ['ZSCORE', 's', 'a'], ['ZMSCORE', 's', 'a'], ['ZCARD', 's'],
    ['ZCOUNT', 's', '0', '1'], ['ZLEXCOUNT', 's', '-', '+'], ['ZRANGE', 's', '0', '1'], ['ZRANGEBYSCORE', 's', '0', '1'], ['ZREVRANGE', 's', '0', '1'],
    ['ZRANGEBYLEX', 's', '-', '+'], ['ZREVRANGEBYSCORE', 's', '1', '0'], ['ZREVRANGEBYLEX', 's', '+', '-'], ['ZRANGESTORE', 'd', 's', '0', '1'],
    ['ZRANGESTORE', 's', 'nokey', '0', '1'], ['EXISTS', 's'], ['ZRANK', 's', 'a'], ['ZREVRANK', 's', 'a'], ['ZPOPMIN', 's'], ['ZPOPMAX', 's', '2'],
    ['ZMPOP', '2', 'nokey', 's', 'MIN'], ['ZUNION', '1', 's'], ['ZINTER', '2', 'nokey', 's'], ['ZDIFF', '1', 's'], ['ZUNIONSTORE', 'd', '1', 's'],
    ['ZINTERSTORE', 'd', '1', 's', 'WEIGHTS', 'x'], ['ZDIFFSTORE', 'd', '1', 's'], ['ZINTERCARD', '1', 's'], ['ZREMRANGEBYSCORE', 's', '0', '1'],
    ['ZREMRANGEBYRANK', 's', '0', '1'], ['ZREMRANGEBYLEX', 's', '-', '+'], ['ZRANDMEMBER', 's'], ['ZRANDMEMBER', 's', '2'], ['ZSCAN', 's', '0'],
    ['ZADD', 'zz', '1', 'a'], ['GET', 'zz'], ['TYPE', 'zz'], ['OBJECT', 'ENCODING', 'zz'],
  ],
  'zrem and empty keys disappear': [
    ['ZADD', 'zr', '1', 'a', '2', 'b', '3', 'c'], ['ZREM', 'zr', 'a', 'x', 'a'], ['ZREM', 'zr', 'nope'], ['ZREM', 'zr', 'b', 'c', 'd'], ['EXISTS', 'zr'],
    ['ZREM', 'zr', 'a'], ['ZADD', 'zr', '1', BIN, '2', ''], ['ZREM', 'zr', BIN], ['ZRANGE', 'zr', '0', '-1', 'WITHSCORES'],
  ],
  'zscore zmscore zcard zrank': [
    ['ZADD', 'zs', '1.5', 'a', '-inf', 'b', 'inf', 'c', '0', BIN], ['ZSCORE', 'zs', 'a'], ['ZSCORE', 'zs', 'b'], ['ZSCORE', 'zs', 'c'], ['ZSCORE', 'zs', 'x'],
    ['ZSCORE', 'nokey', 'a'], ['ZMSCORE', 'zs', 'a', 'x', 'c', BIN], ['ZMSCORE', 'nokey', 'a', 'b'], ['ZCARD', 'zs'], ['ZCARD', 'nokey'],
    ['ZRANK', 'zs', 'b'], ['ZRANK', 'zs', 'c'], ['ZREVRANK', 'zs', 'b'], ['ZREVRANK', 'zs', 'x'], ['ZRANK', 'nokey', 'x'], ['ZRANK', 'zs', BIN],
    ['ZMSCORE', 'zs'], ['ZRANK', 'zs'], ['ZRANK', 'zs', 'a', 'withscore'],
  ],
  'zcount and zlexcount': [
    fill('zc', 10), ['ZCOUNT', 'zc', '-inf', '+inf'], ['ZCOUNT', 'zc', '2', '5'], ['ZCOUNT', 'zc', '(2', '5'], ['ZCOUNT', 'zc', '2', '(5'], ['ZCOUNT', 'zc', '(2', '(3'],
    ['ZCOUNT', 'zc', '(2', '(2'], ['ZCOUNT', 'zc', '5', '2'], ['ZCOUNT', 'zc', 'x', '2'], ['ZCOUNT', 'zc', '(', '3'], ['ZCOUNT', 'zc', '', '3'], ['ZCOUNT', 'zc', ' 1', '1e400'],
    ['ZCOUNT', 'zc', 'nan', '1'], ['ZCOUNT', 'zc', '((1', '3'], ['ZCOUNT', 'zc', '[1', '3'], ['ZCOUNT', 'nokey', '0', '1'], ['ZCOUNT', 'nokey', 'x', '1'],
    fill('zl', 10, true), ['ZLEXCOUNT', 'zl', '-', '+'], ['ZLEXCOUNT', 'zl', '[b', '(f'], ['ZLEXCOUNT', 'zl', '(b', '[f5'], ['ZLEXCOUNT', 'zl', '+', '-'],
    ['ZLEXCOUNT', 'zl', 'a', 'b'], ['ZLEXCOUNT', 'zl', '[', '+'], ['ZLEXCOUNT', 'zl', '(', '+'], ['ZLEXCOUNT', 'zl', '-x', '+'], ['ZLEXCOUNT', 'zl', '-', '+\x00'],
    ['ZLEXCOUNT', 'zl', '(c2', '(c2'], ['ZLEXCOUNT', 'zl', '[c2', '[c2'], ['ZLEXCOUNT', 'nokey', '-', '+'], ['ZLEXCOUNT', 'nokey', 'x', '+'],
  ],
  'zrange by rank': [
    fill('zk', 7), ['ZRANGE', 'zk', '0', '-1'], ['ZRANGE', 'zk', '0', '-1', 'WITHSCORES'], ['ZRANGE', 'zk', '-3', '-1', 'withscores'], ['ZRANGE', 'zk', '2', '1'],
    ['ZRANGE', 'zk', '-100', '100'], ['ZRANGE', 'zk', '7', '10'], ['ZRANGE', 'zk', '0', '0', 'REV'], ['ZRANGE', 'zk', '1', '3', 'REV', 'WITHSCORES'],
    ['ZREVRANGE', 'zk', '0', '2'], ['ZREVRANGE', 'zk', '0', '-1', 'WITHSCORES'], ['ZREVRANGE', 'zk', '5', '100'], ['ZRANGE', 'zk', 'a', '1'],
    ['ZRANGE', 'zk', '0', '1', 'LIMIT', '0', '1'], ['ZRANGE', 'zk', '0', '-1', 'LIMIT', '0', '-1'], ['ZRANGE', 'zk', '0', '1', 'REV', 'REV'],
    ['ZRANGE', 'zk', '0', '1', 'foo'], ['ZRANGE', 'zk', '0', '1', 'LIMIT', '0'], ['ZRANGE', 'zk', '0', '1', 'BYSCORE', 'BYLEX'],
    ['ZRANGE', 'nokey', '0', '-1'], ['ZRANGE', 'nokey', 'a', 'b'], ['ZREVRANGE', 'zk', '0', '1', 'REV'], ['ZRANGE', 'zk', '0', '-9223372036854775808'],
    ['ZRANGE', 'zk', '9223372036854775807', '-1'], ['ZRANGE', 'zk', '0', '9223372036854775808'],
  ],
  'zrange by score': [
    fill('zb', 10), ['ZADD', 'zb', '-inf', 'ninf', 'inf', 'pinf', '2.5', 'half'], ['ZRANGE', 'zb', '-inf', '+inf', 'BYSCORE', 'WITHSCORES'],
    ['ZRANGE', 'zb', '(2', '(5', 'BYSCORE'], ['ZRANGE', 'zb', '5', '2', 'BYSCORE', 'REV', 'WITHSCORES'], ['ZRANGE', 'zb', '2', '5', 'BYSCORE', 'REV'],
    ['ZRANGE', 'zb', '-inf', 'inf', 'BYSCORE', 'LIMIT', '2', '3'], ['ZRANGE', 'zb', '-inf', 'inf', 'BYSCORE', 'LIMIT', '2', '-1'],
    ['ZRANGE', 'zb', '-inf', 'inf', 'BYSCORE', 'LIMIT', '-1', '3'], ['ZRANGE', 'zb', '-inf', 'inf', 'BYSCORE', 'LIMIT', '100', '3'],
    ['ZRANGE', 'zb', '-inf', 'inf', 'BYSCORE', 'LIMIT', '0', '0'], ['ZRANGE', 'zb', 'inf', '-inf', 'BYSCORE', 'REV', 'LIMIT', '1', '2', 'WITHSCORES'],
    ['ZRANGEBYSCORE', 'zb', '1', '3'], ['ZRANGEBYSCORE', 'zb', '1', '3', 'WITHSCORES', 'LIMIT', '1', '1'], ['ZRANGEBYSCORE', 'zb', '(1', '+inf', 'LIMIT', '0', '2', 'LIMIT', '1', '2'],
    ['ZREVRANGEBYSCORE', 'zb', '3', '1', 'WITHSCORES'], ['ZREVRANGEBYSCORE', 'zb', '+inf', '(8', 'LIMIT', '0', '-5'], ['ZREVRANGEBYSCORE', 'zb', '1', '3'],
    ['ZRANGEBYSCORE', 'zb', 'a', 'b'], ['ZRANGEBYSCORE', 'zb', '0', '1', 'LIMIT'], ['ZRANGEBYSCORE', 'zb', '0', '1', 'REV'], ['ZRANGEBYSCORE', 'zb', '0', '1', 'BYSCORE'],
    ['ZRANGEBYSCORE', 'zb', '0', '1', 'LIMIT', 'x', '1'], ['ZRANGEBYSCORE', 'nokey', '0', '1'], ['ZRANGEBYSCORE', 'zb', '(inf', '+inf'], ['ZRANGEBYSCORE', 'zb', '-inf', '(-inf'],
    ['ZRANGEBYSCORE', 'zb', '2.5', '2.5', 'WITHSCORES'],
  ],
  'zrange by lex': [
    ['ZADD', 'zx', '0', 'a', '0', 'b', '0', 'c', '0', 'd', '0', 'e', '0', 'ee', '0', 'f', '0', BIN, '0', ''],
    ['ZRANGE', 'zx', '-', '+', 'BYLEX'], ['ZRANGE', 'zx', '[b', '(e', 'BYLEX'], ['ZRANGE', 'zx', '(e', '[b', 'BYLEX', 'REV'], ['ZRANGE', 'zx', '+', '-', 'BYLEX', 'REV', 'LIMIT', '1', '3'],
    ['ZRANGE', 'zx', '-', '+', 'BYLEX', 'LIMIT', '2', '-1'], ['ZRANGE', 'zx', '-', '+', 'BYLEX', 'WITHSCORES'], ['ZRANGEBYLEX', 'zx', '[', '(c'],
    ['ZRANGEBYLEX', 'zx', '(', '+'], ['ZRANGEBYLEX', 'zx', '[e', '[e'], ['ZRANGEBYLEX', 'zx', '(e', '(e'], ['ZRANGEBYLEX', 'zx', '[ee', '+', 'LIMIT', '0', '1'],
    ['ZREVRANGEBYLEX', 'zx', '+', '-'], ['ZREVRANGEBYLEX', 'zx', '[e', '(a', 'LIMIT', '1', '10'], ['ZREVRANGEBYLEX', 'zx', '-', '+'], ['ZRANGEBYLEX', 'zx', 'a', '+'],
    ['ZRANGEBYLEX', 'zx', '-', '+', 'WITHSCORES'], ['ZRANGEBYLEX', 'nokey', '-', '+'], ['ZRANGEBYLEX', 'nokey', 'x', '+'], ['ZRANGEBYLEX', 'zx', '[' + BIN, '+'],
  ],
  'zrangestore': [
    fill('src', 8), ['ZRANGESTORE', 'dst', 'src', '0', '2'], ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'], ['OBJECT', 'ENCODING', 'dst'],
    ['ZRANGESTORE', 'dst', 'src', '(2', '+inf', 'BYSCORE', 'LIMIT', '1', '2'], ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'dst', 'src', '+inf', '-inf', 'BYSCORE', 'REV', 'LIMIT', '0', '3'], ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'dst', 'src', '0', '-1', 'REV'], ['ZCARD', 'dst'], ['ZRANGESTORE', 'dst', 'src', '5', '1'], ['EXISTS', 'dst'],
    ['ZRANGESTORE', 'dst', 'src', '0', '-1'], ['ZRANGESTORE', 'dst', 'nokey', '0', '-1'], ['EXISTS', 'dst'], ['SET', 'str', 'v'], ['ZRANGESTORE', 'str', 'src', '0', '0'],
    ['TYPE', 'str'], ['ZRANGESTORE', 'dst', 'src', '0', '-1', 'WITHSCORES'], ['ZRANGESTORE', 'dst', 'src', '0', '1', 'LIMIT', '0', '1'],
    ['ZADD', 'lx', '0', 'a', '0', 'b', '0', 'c'], ['ZRANGESTORE', 'dst', 'lx', '[b', '+', 'BYLEX'], ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'dst', 'src', 'x', '1'], ['ZRANGESTORE', 'dst', 'src', '0', '1', 'BYSCORE', 'BYSCORE'], ['ZRANGESTORE', 'src', 'src', '1', '2'], ['ZRANGE', 'src', '0', '-1'],
  ],
  'zremrangeby rank score lex': [
    fill('zq', 10), ['ZREMRANGEBYRANK', 'zq', '0', '1'], ['ZREMRANGEBYRANK', 'zq', '-2', '-1'], ['ZREMRANGEBYRANK', 'zq', '5', '1'], ['ZREMRANGEBYRANK', 'zq', '100', '200'],
    ['ZRANGE', 'zq', '0', '-1'], ['ZREMRANGEBYSCORE', 'zq', '(3', '5'], ['ZREMRANGEBYSCORE', 'zq', '-inf', '(3'], ['ZREMRANGEBYSCORE', 'zq', '10', '1'], ['ZRANGE', 'zq', '0', '-1'],
    ['ZREMRANGEBYSCORE', 'zq', '-inf', '+inf'], ['EXISTS', 'zq'], ['ZREMRANGEBYRANK', 'zq', '0', '-1'], ['ZREMRANGEBYRANK', 'zq', 'a', '1'], ['ZREMRANGEBYSCORE', 'zq', 'a', '1'],
    fill('zw', 10, true), ['ZREMRANGEBYLEX', 'zw', '[b', '(e'], ['ZREMRANGEBYLEX', 'zw', '(e', '(e'], ['ZRANGE', 'zw', '0', '-1'], ['ZREMRANGEBYLEX', 'zw', '-', '+'],
    ['EXISTS', 'zw'], ['ZREMRANGEBYLEX', 'zw', 'a', 'b'], ['ZREMRANGEBYLEX', 'nokey', 'a', 'b'], ['ZREMRANGEBYLEX', 'nokey', '-', '+'],
  ],
  'zpopmin zpopmax': [
    fill('zp', 6), ['ZPOPMIN', 'zp'], ['ZPOPMAX', 'zp'], ['ZPOPMIN', 'zp', '2'], ['ZPOPMAX', 'zp', '1'], ['ZPOPMIN', 'zp', '0'], ['ZPOPMIN', 'zp', '100'],
    ['EXISTS', 'zp'], ['ZPOPMIN', 'zp'], ['ZPOPMIN', 'zp', '3'], ['ZPOPMAX', 'nokey', '0'], ['ZPOPMIN', 'zp', '-1'], ['ZPOPMIN', 'zp', 'x'], ['ZPOPMIN', 'zp', '1', '2'],
    ['ZADD', 'zp', 'inf', 'a', '-inf', 'b'], ['ZPOPMAX', 'zp', '5'],
  ],
  'zmpop': [
    fill('zm', 5), ['ZMPOP', '2', 'nokey', 'zm', 'MIN'], ['ZMPOP', '1', 'zm', 'max', 'COUNT', '2'], ['ZMPOP', '1', 'zm', 'MIN', 'COUNT', '10'], ['ZMPOP', '1', 'zm', 'MIN'],
    ['EXISTS', 'zm'], ['ZMPOP', '0', 'zm', 'MIN'], ['ZMPOP', '-1', 'zm', 'MIN'], ['ZMPOP', 'x', 'zm', 'MIN'], ['ZMPOP', '1', 'zm', 'FOO'], ['ZMPOP', '3', 'zm', 'MIN'],
    ['ZMPOP', '1', 'zm', 'MIN', 'COUNT', '0'], ['ZMPOP', '1', 'zm', 'MIN', 'COUNT', 'x'], ['ZMPOP', '1', 'zm', 'MIN', 'COUNT', '1', 'COUNT', '1'], ['ZMPOP', '1', 'zm', 'MIN', 'COUNT'],
    ['ZMPOP', '1', 'zm', 'MIN', 'FOO'],
  ],
  'zrandmember deterministic forms': [
    fill('zd', 5), ['ZRANDMEMBER', 'zd', '5'], ['ZRANDMEMBER', 'zd', '100', 'WITHSCORES'], ['ZRANDMEMBER', 'zd', '0'], ['ZRANDMEMBER', 'nokey'], ['ZRANDMEMBER', 'nokey', '3'],
    ['ZRANDMEMBER', 'nokey', '-3', 'WITHSCORES'], ['ZRANDMEMBER', 'zd', 'x'], ['ZRANDMEMBER', 'zd', '1', 'foo'], ['ZRANDMEMBER', 'zd', '1', 'withscores', 'x'],
    ['ZRANDMEMBER', 'zd', '-9223372036854775808'], ['ZRANDMEMBER', 'zd', '9223372036854775807', 'WITHSCORES'], ['ZRANDMEMBER', 'zd', '-4611686018427387904', 'WITHSCORES'],
    ['ZADD', 'one', '3', 'only'], ['ZRANDMEMBER', 'one'], ['ZRANDMEMBER', 'one', '-3', 'WITHSCORES'], ['ZRANDMEMBER', 'one', '1', 'WITHSCORES'], ['ZRANDMEMBER', 'one', '-1'],
  ],
  'zrandmember random forms (shape only)': [
    fill('zr', 50),
    // the picks are random: compare the reply's shape (element count and nesting), not the members
    { cmd: ['ZRANDMEMBER', 'zr', '5'], normalize: (r) => r.replace(/\$\d+\r\nm\d+\r\n/g, 'M') },
    { cmd: ['ZRANDMEMBER', 'zr', '-70', 'WITHSCORES'], normalize: (r) => r.replace(/\$\d+\r\nm\d+\r\n/g, 'M').replace(/(\$\d+\r\n|,)\d+\r\n/g, 'S') },
    { cmd: ['ZRANDMEMBER', 'zr', '10', 'WITHSCORES'], normalize: (r) => r.replace(/\$\d+\r\nm\d+\r\n/g, 'M').replace(/(\$\d+\r\n|,)\d+\r\n/g, 'S') },
    { cmd: ['ZRANDMEMBER', 'zr'], normalize: (r) => r.replace(/\$\d+\r\nm\d+\r\n/g, 'M') },
  ],
  'zunion zinter zdiff': [
    ['ZADD', 'za', '1', 'a', '2', 'b', '3', 'c'], ['ZADD', 'zb', '10', 'b', '20', 'c', '30', 'd'], ['ZADD', 'zc', 'inf', 'a', '-inf', 'b'],
    ['ZUNION', '2', 'za', 'zb'], ['ZUNION', '2', 'za', 'zb', 'WITHSCORES'], ['ZUNION', '2', 'za', 'zb', 'WEIGHTS', '2', '0.5', 'WITHSCORES'],
    ['ZUNION', '2', 'za', 'zb', 'AGGREGATE', 'MIN', 'WITHSCORES'], ['ZUNION', '2', 'za', 'zb', 'AGGREGATE', 'max', 'WITHSCORES'],
    ['ZUNION', '3', 'za', 'zb', 'zc', 'WITHSCORES'], ['ZUNION', '2', 'zc', 'zc', 'WITHSCORES'], ['ZUNION', '2', 'zc', 'za', 'WEIGHTS', '0', '1', 'WITHSCORES'],
    ['ZINTER', '2', 'za', 'zb', 'WITHSCORES'], ['ZINTER', '2', 'za', 'za', 'WITHSCORES'], ['ZINTER', '3', 'za', 'zb', 'zc', 'WITHSCORES'],
    ['ZINTER', '2', 'za', 'zc', 'AGGREGATE', 'MAX', 'WITHSCORES'], ['ZINTER', '2', 'za', 'zc', 'WEIGHTS', '0', '0', 'WITHSCORES'], ['ZINTER', '2', 'za', 'nokey'],
    ['ZINTER', '2', 'zc', 'zc', 'AGGREGATE', 'SUM', 'WITHSCORES'], ['ZDIFF', '2', 'za', 'zb', 'WITHSCORES'], ['ZDIFF', '1', 'za'], ['ZDIFF', '3', 'zb', 'za', 'zc', 'WITHSCORES'],
    ['ZDIFF', '2', 'nokey', 'za'], ['ZUNION', '1', 'nokey'], ['ZINTERCARD', '2', 'za', 'zb'], ['ZINTERCARD', '2', 'za', 'zb', 'LIMIT', '1'], ['ZINTERCARD', '2', 'za', 'zb', 'LIMIT', '0'],
    ['ZINTERCARD', '1', 'nokey'],
  ],
  'sets as inputs (score 1)': [
    ['SADD', 'st', 'a', 'b', 'x'], ['SADD', 'nums', '1', '2', '3'], ['ZADD', 'za', '5', 'a', '7', 'c', '1', '2'],
    ['ZUNION', '2', 'za', 'st', 'WITHSCORES'], ['ZINTER', '2', 'za', 'st', 'WITHSCORES'], ['ZINTER', '2', 'st', 'za', 'WEIGHTS', '3', '2', 'WITHSCORES'],
    ['ZDIFF', '2', 'st', 'za', 'WITHSCORES'], ['ZDIFF', '2', 'za', 'st', 'WITHSCORES'], ['ZUNION', '2', 'nums', 'za', 'AGGREGATE', 'MAX', 'WITHSCORES'],
    ['ZINTERCARD', '2', 'st', 'za'], ['ZUNIONSTORE', 'out', '2', 'st', 'nums'], ['ZRANGE', 'out', '0', '-1', 'WITHSCORES'], ['ZINTERSTORE', 'out2', '1', 'st'],
    ['ZRANGE', 'out2', '0', '-1', 'WITHSCORES'], ['ZUNION', '1', 'st', 'WITHSCORES'], ['ZRANGE', 'st', '0', '-1'], ['ZADD', 'st', '1', 'a'],
  ],
  'set operation errors': [
    ['ZADD', 'za', '1', 'a'], ['ZUNION', '0', 'za'], ['ZUNION', '-1', 'za'], ['ZUNION', 'x', 'za'], ['ZUNION', '2', 'za'], ['ZUNION', '1', 'za', 'WEIGHTS'],
    ['ZUNION', '1', 'za', 'WEIGHTS', 'x'], ['ZUNION', '1', 'za', 'WEIGHTS', '1', '2'], ['ZUNION', '1', 'za', 'AGGREGATE', 'avg'], ['ZUNION', '1', 'za', 'AGGREGATE'],
    ['ZUNION', '1', 'za', 'FOO'], ['ZUNIONSTORE', 'd', '1', 'za', 'WITHSCORES'], ['ZINTERSTORE', 'd', '0', 'za'], ['ZDIFF', '1', 'za', 'WEIGHTS', '1'],
    ['ZDIFF', '1', 'za', 'AGGREGATE', 'SUM'], ['ZDIFFSTORE', 'd', '1', 'za', 'WITHSCORES'], ['ZINTERCARD', '0', 'za'], ['ZINTERCARD', '1', 'za', 'LIMIT', '-1'],
    ['ZINTERCARD', '1', 'za', 'LIMIT', 'x'], ['ZINTERCARD', '1', 'za', 'WITHSCORES'], ['ZINTERCARD', '2', 'za'], ['ZINTERCARD', '1', 'za', 'LIMIT'],
    ['ZINTER', '1', 'za', 'WEIGHTS', 'nan'], ['ZUNION', '1', 'za', 'WEIGHTS', 'inf', 'WITHSCORES'], ['ZUNION', '1', 'za', 'withscores', 'withscores'],
  ],
  'store forms': [
    ['ZADD', 'za', '1', 'a', '2', 'b', '3', 'c'], ['ZADD', 'zb', '10', 'b', '20', 'c', '30', 'd'],
    ['ZUNIONSTORE', 'out', '2', 'za', 'zb', 'WEIGHTS', '1', '2'], ['ZRANGE', 'out', '0', '-1', 'WITHSCORES'], ['OBJECT', 'ENCODING', 'out'],
    ['ZINTERSTORE', 'out', '2', 'za', 'zb', 'AGGREGATE', 'MIN'], ['ZRANGE', 'out', '0', '-1', 'WITHSCORES'], ['ZDIFFSTORE', 'out', '2', 'zb', 'za'],
    ['ZRANGE', 'out', '0', '-1', 'WITHSCORES'], ['ZINTERSTORE', 'out', '2', 'za', 'nokey'], ['EXISTS', 'out'], ['ZUNIONSTORE', 'za', '2', 'za', 'zb'],
    ['ZRANGE', 'za', '0', '-1', 'WITHSCORES'], ['SET', 'str', 'x'], ['ZUNIONSTORE', 'str', '1', 'zb'], ['TYPE', 'str'], ['ZDIFFSTORE', 'str', '1', 'nokey'], ['EXISTS', 'str'],
  ],
  'zscan': [
    ['ZADD', 'zn', '1', 'a', '2.5', 'b', 'inf', 'c', '-0', 'd', '0.1', 'ab'], ['ZSCAN', 'zn', '0'], ['ZSCAN', 'zn', '0', 'MATCH', 'a*'], ['ZSCAN', 'zn', '0', 'COUNT', '1'],
    ['ZSCAN', 'zn', '0', 'MATCH', 'x*', 'COUNT', '100'], ['ZSCAN', 'nokey', '0'], ['ZSCAN', 'zn', 'x'], ['ZSCAN', 'zn', '0', 'COUNT', '0'], ['ZSCAN', 'zn', '0', 'COUNT', 'x'],
    ['ZSCAN', 'zn', '0', 'FOO', 'bar'], ['ZSCAN', 'zn', '0', 'COUNT'], ['ZSCAN', 'zn', '0', 'TYPE', 'zset'], ['ZSCAN', 'zn', '-1'], ['ZSCAN', 'zn', '18446744073709551616'],
  ],
  'zscan of a skiplist set': [
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '2'], ['ZADD', 'zn', '1', 'a', '2.5', 'b', 'inf', 'c', '-0', 'd', '0.1', 'ab', '-inf', BIN],
    // a skiplist set's ZSCAN follows Redis's hash table order: compare the pairs sorted
    { cmd: ['ZSCAN', 'zn', '0'], normalize: sortedScanPairs }, { cmd: ['ZSCAN', 'zn', '0', 'MATCH', 'a*', 'COUNT', '100'], normalize: sortedScanPairs },
    ['ZSCAN', 'zn', '0', 'MATCH', 'x*', 'COUNT', '100'], ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
  ],
  'encodings: listpack to skiplist and back through the store forms': [
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '4'], ['CONFIG', 'SET', 'zset-max-listpack-value', '8'], fill('e1', 4), ['OBJECT', 'ENCODING', 'e1'],
    ['ZADD', 'e1', '9', 'm9'], ['OBJECT', 'ENCODING', 'e1'], ['ZREM', 'e1', 'm9', 'm0', 'm1'], ['OBJECT', 'ENCODING', 'e1'],
    ['ZADD', 'e2', '1', 'short'], ['ZADD', 'e2', '2', 'longer-than-8'], ['OBJECT', 'ENCODING', 'e2'], ['ZADD', 'e3', '1', 'longer-than-8'], ['OBJECT', 'ENCODING', 'e3'],
    ['ZADD', 'e4', '1', 'a', '2', 'longer-than-8'], ['OBJECT', 'ENCODING', 'e4'], ['ZUNIONSTORE', 'e5', '1', 'e1'], ['OBJECT', 'ENCODING', 'e5'],
    ['ZRANGESTORE', 'e6', 'e1', '0', '-1'], ['OBJECT', 'ENCODING', 'e6'], fill('e7', 10), ['ZRANGESTORE', 'e8', 'e7', '0', '2'], ['OBJECT', 'ENCODING', 'e8'],
    ['ZINTERSTORE', 'e9', '1', 'e7'], ['OBJECT', 'ENCODING', 'e9'], ['ZINCRBY', 'e10', '1', 'longer-than-8'], ['OBJECT', 'ENCODING', 'e10'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '0'], ['ZADD', 'e11', '1', 'a'], ['OBJECT', 'ENCODING', 'e11'], ['ZADD', 'e11', '-0', 'z'], ['ZSCORE', 'e11', 'z'],
    ['CONFIG', 'GET', 'zset-max-ziplist-entries'], ['CONFIG', 'SET', 'zset-max-ziplist-entries', '7'], ['CONFIG', 'GET', 'zset-max-listpack-entries'],
    ['CONFIG', 'SET', 'zset-max-ziplist-value', '9'], ['CONFIG', 'GET', 'zset-max-listpack-value'],
    ['CONFIG', 'SET', 'zset-max-listpack-value', '1kb'], ['CONFIG', 'GET', 'zset-max-listpack-value'], ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
    ['CONFIG', 'SET', 'zset-max-listpack-value', '64'],
  ],
  'arity': [['ZADD', 'k'], ['ZADD', 'k', '1'], ['ZCARD'], ['ZCARD', 'a', 'b'], ['ZSCORE', 'k'], ['ZCOUNT', 'k', '1'], ['ZRANGE', 'k', '0'], ['ZRANGESTORE', 'd', 'k', '0'],
    ['ZPOPMIN'], ['ZMPOP', '1', 'k'], ['ZUNION', '1'], ['ZUNIONSTORE', 'd', '1'], ['ZINTERCARD', '1'], ['ZRANDMEMBER'], ['ZSCAN', 'k'], ['ZREMRANGEBYRANK', 'k', '0'],
    ['ZINCRBY', 'k', '1'], ['ZREM', 'k'], ['ZLEXCOUNT', 'k', '-']],
};

/** Each case in RESP2, and again in RESP3. */
function bothProtocols(all: Record<string, Script>): Record<string, Script> {
  const out: Record<string, Script> = {};
  for (const [name, script] of Object.entries(all)) {
    out[name] = script;
    // HELLO's reply names the server, its version and the connection id: only the switch matters
    out[name + ' (RESP3)'] = [{ cmd: ['HELLO', '3'], normalize: () => 'hello' }, ...script];
  }
  return out;
}

/** Each case again with tiny encoding limits, so that every command also meets skiplists. */
function withSkiplists(all: Record<string, Script>): Record<string, Script> {
  const out: Record<string, Script> = {};
  for (const [name, script] of Object.entries(all)) {
    out[name] = script;
    if (name.startsWith('encodings') || name.startsWith('zscan')) continue;
    out[name + ' (skiplist)'] = [['CONFIG', 'SET', 'zset-max-listpack-entries', '2'], ...script, ['CONFIG', 'SET', 'zset-max-listpack-entries', '128']];
  }
  return out;
}

differentialSuite('differential: sorted sets', bothProtocols(withSkiplists(cases)));
