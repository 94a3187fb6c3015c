/*
 * Differential SORT and SORT_RO: every option, their combinations and edge cases, byte for byte
 * against redis-server, in RESP2 and again in RESP3 (after HELLO 3).
 *
 * Not compared: the unsorted order of a set that is not an intset (BY nosort without STORE: Redis
 * answers in its hash table's order), and ties between ALPHA BY values under LIMIT (Redis's
 * partial quicksort is not stable).
 */
import { differentialSuite, type Script, type Step } from './differential.js';

const BIN = '\x00\xff\r\n\x80bin\x00';

/** A deterministic stream of numbers in [0, 1) (mulberry32), so generated cases are stable. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** INFO stats reduced to the hit/miss counters: its other fields (times, memory, totals) vary. */
const hitsAndMisses = (raw: string): string => (raw.match(/keyspace_(hits|misses):\d+/g) ?? ['no counters']).join(' ');

/** Random lists with weights, hash fields and GET targets, sorted many ways. */
function generated(seed: number, count: number): Script {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const script: Script = [];
  const n = 1 + int(40);
  const elements = Array.from({ length: n }, () => String(int(30) - 10) + (int(4) === 0 ? '.5' : ''));
  script.push(['RPUSH', 'g', ...elements]);
  for (let i = 0; i < n; i++) {
    if (int(3) > 0) script.push(['SET', `w_${elements[i]}`, String(int(10))]);
    if (int(3) > 0) script.push(['HSET', `h_${elements[i]}`, 'f', String(int(10)), 'name', `n${int(5)}`]);
  }
  const opts = (): string[] => {
    const o: string[] = [];
    const pick = int(6);
    if (pick === 1) o.push('BY', 'w_*');
    if (pick === 2) o.push('BY', 'h_*->f');
    if (pick === 3) o.push('BY', 'nosort');
    if (int(3) === 0) o.push('LIMIT', String(int(n + 4) - 2), String(int(n + 4) - 2));
    if (int(2) === 0) o.push('DESC');
    if (int(3) === 0 && pick !== 1 && pick !== 2) o.push('ALPHA');
    if (int(2) === 0) o.push('GET', '#');
    if (int(3) === 0) o.push('GET', 'w_*');
    if (int(3) === 0) o.push('GET', 'h_*->name');
    return o;
  };
  for (let i = 0; i < count; i++) {
    const o = opts();
    script.push(['SORT', 'g', ...o]);
    if (i % 3 === 0) script.push(['SORT', 'g', ...o, 'STORE', 'gdst'], ['LRANGE', 'gdst', '0', '-1']);
  }
  return script;
}

/**
 * Random sorted sets and sets (intset or hashtable) sorted many ways. No BY nosort on a hashtable
 * set without STORE (its order is Redis's hash table's) and no ALPHA BY (ties are unstable under
 * LIMIT); every other order is fully determined.
 */
function generatedSets(seed: number, count: number): Script {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const n = 1 + int(30);
  const members = [...new Set(Array.from({ length: n }, () => String(int(60) - 20) + (int(3) === 0 ? '.25' : '')))];
  const ints = [...new Set(Array.from({ length: n }, () => String(int(60) - 20)))];
  const script: Script = [['ZADD', 'z', ...members.flatMap((m) => [String(int(8)), m])], ['SADD', 'h', ...members], ['SADD', 'i', ...ints]];
  for (const m of [...members, ...ints]) if (int(2) === 0) script.push(['SET', `w_${m}`, String(int(10))]);
  for (let i = 0; i < count; i++) {
    const key = ['z', 'h', 'i'][int(3)]!;
    const o: string[] = [];
    const pick = int(4);
    if (pick === 1) o.push('BY', 'w_*');
    if (pick === 2 && key !== 'h') o.push('BY', 'nosort');
    if (int(3) === 0) o.push('LIMIT', String(int(n + 4) - 2), String(int(n + 4) - 2));
    if (int(2) === 0) o.push('DESC');
    if (int(3) === 0 && pick !== 1) o.push('ALPHA');
    if (int(3) === 0) o.push('GET', '#', 'GET', 'w_*');
    script.push(['SORT', key, ...o]);
    if (i % 4 === 0) script.push(['SORT', key, ...o, 'STORE', 'd'], ['LRANGE', 'd', '0', '-1']);
  }
  return script;
}

const cases: Record<string, Script> = {
  'list: numeric, desc, alpha': [
    ['RPUSH', 'l', '3', '1', '2', '10', '-1', '2.5', '1e2', '-0'], ['SORT', 'l'], ['SORT', 'l', 'DESC'], ['SORT', 'l', 'ALPHA'], ['SORT', 'l', 'alpha', 'desc'],
    ['SORT', 'l', 'desc', 'asc'], ['SORT_RO', 'l'], ['SORT_RO', 'l', 'DESC', 'ALPHA'], ['SORT', 'l', 'ALPHA', 'ALPHA', 'DESC', 'DESC'],
  ],
  'list: duplicates and equal scores order by bytes': [
    ['RPUSH', 'l', '1', '1.0', '01', '1', '+1', '1e0', '2', '0x1'], ['SORT', 'l'], ['SORT', 'l', 'DESC'], ['SORT', 'l', 'ALPHA'],
  ],
  'list: limit edge cases': [
    ['RPUSH', 'l', '5', '4', '3', '2', '1'],
    ['SORT', 'l', 'LIMIT', '0', '2'], ['SORT', 'l', 'LIMIT', '1', '2'], ['SORT', 'l', 'LIMIT', '3', '10'], ['SORT', 'l', 'LIMIT', '5', '1'], ['SORT', 'l', 'LIMIT', '4', '1'],
    ['SORT', 'l', 'LIMIT', '10', '1'], ['SORT', 'l', 'LIMIT', '-3', '2'], ['SORT', 'l', 'LIMIT', '1', '-1'], ['SORT', 'l', 'LIMIT', '1', '-5'], ['SORT', 'l', 'LIMIT', '0', '0'],
    ['SORT', 'l', 'LIMIT', '2', '0'], ['SORT', 'l', 'LIMIT', '-1', '-1'], ['SORT', 'l', 'LIMIT', '1', '9223372036854775807'], ['SORT', 'l', 'LIMIT', '2', '9223372036854775807'],
    ['SORT', 'l', 'LIMIT', '9223372036854775807', '9223372036854775807'], ['SORT', 'l', 'LIMIT', '-9223372036854775808', '3'], ['SORT', 'l', 'LIMIT', '1', '-9223372036854775808'],
    ['SORT', 'l', 'LIMIT', '1', '2', 'LIMIT', '0', '1'], ['SORT', 'l', 'DESC', 'LIMIT', '1', '2'], ['SORT', 'l', 'LIMIT', '1', '2', 'STORE', 'd'], ['LRANGE', 'd', '0', '-1'],
    ['SORT', 'l', 'LIMIT', '9', '2', 'STORE', 'd'], ['EXISTS', 'd'],
  ],
  'list: limit errors': [
    ['RPUSH', 'l', '1'], ['SORT', 'l', 'LIMIT', 'x', '1'], ['SORT', 'l', 'LIMIT', '1', 'x'], ['SORT', 'l', 'LIMIT', '1'], ['SORT', 'l', 'LIMIT'], ['SORT', 'l', 'LIMIT', '1.5', '1'],
    ['SORT', 'l', 'LIMIT', '9223372036854775808', '1'], ['SORT', 'l', 'LIMIT', ' 1', '1'], ['SORT', 'l', 'LIMIT', 'x', '1', 'FOO'], ['SORT', 'l', 'FOO', 'LIMIT', 'x', '1'],
  ],
  'by nosort: list order, desc and limit': [
    ['RPUSH', 'l', 'c', 'a', 'b', 'd', 'e'], ['SORT', 'l', 'BY', 'nosort'], ['SORT', 'l', 'BY', 'nosort', 'DESC'], ['SORT', 'l', 'BY', 'nosort', 'LIMIT', '1', '2'],
    ['SORT', 'l', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2'], ['SORT', 'l', 'BY', 'nosort', 'DESC', 'LIMIT', '3', '10'], ['SORT', 'l', 'BY', 'nosort', 'LIMIT', '7', '1'],
    ['SORT', 'l', 'BY', 'nosort', 'LIMIT', '-2', '-1'], ['SORT', 'l', 'BY', 'nosort', 'ALPHA'], ['SORT', 'l', 'BY', 'x', 'GET', '#', 'GET', 'v_*'],
    ['SORT', 'l', 'BY', 'nosort', 'STORE', 'd'], ['LRANGE', 'd', '0', '-1'], ['SORT', 'l', 'BY', 'nosort', 'DESC', 'LIMIT', '0', '0', 'STORE', 'd'], ['EXISTS', 'd'],
    ['SORT', 'l', 'BY', 'nosort', 'BY', 'w_*'], ['SET', 'w_a', '9'], ['SORT', 'l', 'BY', 'w_*', 'BY', 'nosort'], ['SORT', 'l', 'BY', 'a\x00*'],
  ],
  'by pattern: strings, missing keys, other types': [
    ['RPUSH', 'l', '1', '2', '3', '4', '5'], ['SET', 'w_1', '50'], ['SET', 'w_2', '-3'], ['SET', 'w_3', '7.5'], ['RPUSH', 'w_4', 'x'],
    ['SORT', 'l', 'BY', 'w_*'], ['SORT', 'l', 'BY', 'w_*', 'DESC'], ['SORT', 'l', 'BY', 'w_*', 'LIMIT', '0', '2'], ['SORT', 'l', 'BY', 'w_*', 'DESC', 'LIMIT', '1', '3'],
    ['SORT', 'l', 'BY', 'w_*', 'ALPHA'], ['SORT', 'l', 'BY', 'w_*', 'ALPHA', 'DESC'], ['SORT', 'l', 'BY', '*_w'], ['SORT', 'l', 'BY', 'w_*_*'], ['SET', 'w_1_*', '1'],
    ['SORT', 'l', 'BY', 'w_*_*'], ['SORT', 'l', 'BY', '*'], ['SET', '3', '-100'], ['SORT', 'l', 'BY', '*'], ['SORT', 'l', 'BY', 'w_*', 'STORE', 'd'], ['LRANGE', 'd', '0', '-1'],
  ],
  'by pattern: alpha values and ties keep input order': [
    ['RPUSH', 'l', 'e', 'd', 'c', 'b', 'a', 'f'], ['SET', 'n_a', 'zeta'], ['SET', 'n_b', 'alpha'], ['SET', 'n_c', 'alpha'], ['SET', 'n_d', 'Beta'],
    ['SORT', 'l', 'BY', 'n_*', 'ALPHA'], ['SORT', 'l', 'BY', 'n_*', 'ALPHA', 'DESC'], ['SORT', 'l', 'BY', 'n_*', 'ALPHA', 'STORE', 'd'], ['LRANGE', 'd', '0', '-1'],
    ['SORT', 'l', 'BY', 'n_*'], ['SORT', 'l', 'BY', 'missing_*'], ['SORT', 'l', 'BY', 'missing_*', 'ALPHA'], ['SORT', 'l', 'BY', 'missing_*', 'DESC'],
  ],
  'by hash field': [
    ['RPUSH', 'l', 'a', 'b', 'c', 'd'], ['HSET', 'h_a', 'f', '3', 'g', 'z'], ['HSET', 'h_b', 'f', '1', 'g', 'x'], ['HSET', 'h_c', 'g', 'y'], ['SET', 'h_d', '0'],
    ['SORT', 'l', 'BY', 'h_*->f'], ['SORT', 'l', 'BY', 'h_*->f', 'DESC'], ['SORT', 'l', 'BY', 'h_*->g', 'ALPHA'], ['SORT', 'l', 'BY', 'h_*->g'], ['SORT', 'l', 'BY', 'h_*->'],
    ['HSET', 'h_a->', 'f', '1'], ['SORT', 'l', 'BY', 'h_*->', 'ALPHA'], ['SORT', 'l', 'BY', 'h_*->f->g', 'ALPHA'], ['HSET', 'x->y', 'a', '1'], ['SORT', 'l', 'BY', 'x->y*', 'ALPHA'],
    ['SORT', 'l', 'BY', 'h_*->f', 'GET', 'h_*->g', 'GET', '#', 'GET', 'h_*->f'],
  ],
  'get patterns: #, strings, hash fields, missing and wrong types': [
    ['RPUSH', 'l', '2', '1', '3'], ['SET', 'o_1', 'one'], ['SET', 'o_2', 'two'], ['HSET', 'p_1', 'n', 'uno'], ['SADD', 'o_3', 'x'], ['SET', 'p_3', 'str'],
    ['SORT', 'l', 'GET', 'o_*'], ['SORT', 'l', 'GET', '#', 'GET', 'o_*', 'GET', 'p_*->n'], ['SORT', 'l', 'GET', 'nostar'], ['SORT', 'l', 'GET', '#x'], ['SORT', 'l', 'GET', '##'],
    ['SORT', 'l', 'GET', 'o_*', 'GET', 'o_*', 'DESC', 'LIMIT', '1', '1'], ['SORT', 'l', 'GET'], ['SORT', 'l', 'GET', 'p_*->'], ['SORT', 'l', 'GET', '#\x00x'],
    ['SORT', 'l', 'GET', 'o_*', 'STORE', 'd'], ['LRANGE', 'd', '0', '-1'], ['SORT', 'l', 'GET', '#', 'GET', 'p_*->n', 'STORE', 'd'], ['LRANGE', 'd', '0', '-1'], ['LLEN', 'd'],
    ['SORT', 'l', 'BY', 'nosort', 'GET', '#', 'GET', 'o_*', 'DESC'], ['SORT_RO', 'l', 'GET', 'o_*', 'GET', '#'],
  ],
  'store: new, overwriting other types, ttl, empty result': [
    ['RPUSH', 'l', '3', '1', '2'], ['SORT', 'l', 'STORE', 'd'], ['TYPE', 'd'], ['LRANGE', 'd', '0', '-1'], ['OBJECT', 'ENCODING', 'd'],
    ['SET', 's', 'v', 'EX', '100'], ['SORT', 'l', 'STORE', 's'], ['TYPE', 's'], ['TTL', 's'], ['HSET', 'h', 'a', '1'], ['SORT', 'l', 'DESC', 'STORE', 'h'], ['LRANGE', 'h', '0', '-1'],
    ['ZADD', 'z', '1', 'a'], ['SORT', 'l', 'STORE', 'z'], ['TYPE', 'z'], ['SORT', 'missing', 'STORE', 'd'], ['EXISTS', 'd'], ['SORT', 'missing', 'STORE', 'none'], ['EXISTS', 'none'],
    ['SORT', 'l', 'STORE', 'l'], ['LRANGE', 'l', '0', '-1'], ['SORT', 'l', 'STORE', 'a', 'STORE', 'b'], ['EXISTS', 'a'], ['LRANGE', 'b', '0', '-1'], ['SORT', 'l', 'store', 'x', 'ALPHA', 'DESC'],
    ['LRANGE', 'x', '0', '-1'], ['SORT', 'l', 'LIMIT', '0', '0', 'STORE', 'x'], ['EXISTS', 'x'], ['SORT', 'l', 'STORE'], ['SORT_RO', 'l', 'STORE', 'x'], ['SORT', 'l', 'STORE', ''], ['LRANGE', '', '0', '-1'],
  ],
  'store: many elements': [
    ['RPUSH', 'big', ...Array.from({ length: 300 }, (_, i) => String((i * 7919) % 1000))], ['SORT', 'big', 'STORE', 'd'], ['LLEN', 'd'], ['LRANGE', 'd', '0', '9'], ['LRANGE', 'd', '-5', '-1'],
    ['OBJECT', 'ENCODING', 'd'], ['SORT', 'big', 'DESC', 'LIMIT', '290', '20'], ['SORT', 'big', 'ALPHA', 'LIMIT', '0', '5'],
  ],
  'sets: intsets, strings, store forces alpha on nosort': [
    ['SADD', 's', '5', '-2', '10', '3', '0'], ['OBJECT', 'ENCODING', 's'], ['SORT', 's'], ['SORT', 's', 'DESC', 'LIMIT', '1', '2'], ['SORT', 's', 'ALPHA'], ['SORT', 's', 'BY', 'nosort'],
    ['SORT', 's', 'BY', 'nosort', 'DESC'], ['SORT', 's', 'BY', 'nosort', 'STORE', 'd'], ['LRANGE', 'd', '0', '-1'], ['SORT', 's', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2', 'STORE', 'd'],
    ['LRANGE', 'd', '0', '-1'], ['SADD', 't', 'pear', 'apple', 'fig', 'Banana', '10', '9'], ['SORT', 't', 'ALPHA'], ['SORT', 't', 'ALPHA', 'DESC', 'LIMIT', '1', '3'], ['SORT', 't'],
    ['SORT', 't', 'BY', 'nosort', 'STORE', 'd'], ['LRANGE', 'd', '0', '-1'], ['SORT', 't', 'BY', 'nosort', 'DESC', 'STORE', 'd'], ['LRANGE', 'd', '0', '-1'],
    ['SET', 'w_pear', '1'], ['SET', 'w_fig', '2'], ['SORT', 't', 'BY', 'w_*', 'GET', '#', 'GET', 'w_*'], ['SORT', 't', 'BY', 'nosort', 'GET', 'w_*', 'STORE', 'd'], ['LRANGE', 'd', '0', '-1'],
  ],
  'sets: nosort in a script sorts alpha': [
    ['SADD', 't', 'pear', 'apple', 'fig', 'Banana', '10', '9', 'kiwi', 'plum', 'date'],
    ['EVAL', "return redis.call('sort', KEYS[1], 'by', 'nosort')", '1', 't'], ['EVAL', "return redis.call('sort', KEYS[1], 'by', 'nosort', 'desc', 'limit', 1, 3)", '1', 't'],
    ['EVAL', "return redis.call('sort_ro', KEYS[1], 'by', 'nosort', 'get', '#')", '1', 't'], ['RPUSH', 'l', 'b', 'c', 'a'], ['EVAL', "return redis.call('sort', KEYS[1], 'by', 'nosort')", '1', 'l'],
  ],
  'sorted sets: numeric, alpha, nosort by score, conversion': [
    ['ZADD', 'z', '3', '10', '1', '30', '2', '20', '5', '-1'], ['OBJECT', 'ENCODING', 'z'], ['SORT', 'z'], ['OBJECT', 'ENCODING', 'z'], ['SORT', 'z', 'DESC'], ['SORT', 'z', 'ALPHA'],
    ['SORT', 'z', 'BY', 'nosort'], ['SORT', 'z', 'BY', 'nosort', 'DESC'], ['SORT', 'z', 'BY', 'nosort', 'LIMIT', '1', '2'], ['SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2'],
    ['SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '3', '5'], ['SORT', 'z', 'BY', 'nosort', 'LIMIT', '4', '5'], ['SORT', 'z', 'BY', 'nosort', 'LIMIT', '9', '5'], ['SORT', 'z', 'BY', 'nosort', 'LIMIT', '-1', '0'],
    ['SORT', 'z', 'BY', 'nosort', 'STORE', 'd'], ['LRANGE', 'd', '0', '-1'], ['SORT_RO', 'z', 'BY', 'nosort', 'DESC', 'GET', '#'], ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
    ['ZADD', 'w', '1', 'b', '1', 'a', '0', 'c'], ['SORT', 'w', 'BY', 'nosort'], ['SORT', 'w', 'ALPHA', 'DESC'], ['SORT', 'w'],
  ],
  'numeric parse: strtod forms and errors': [
    ['RPUSH', 'l', '', ' 1', '0x10', 'inf', '-inf', '1e308', '+.5', '-0x1p-2', 'Infinity', '7\x00junk'], ['SORT', 'l'], ['SORT', 'l', 'DESC'],
    ['RPUSH', 'b1', '1 '], ['SORT', 'b1'], ['RPUSH', 'b2', 'nan'], ['SORT', 'b2'],
    ['RPUSH', 'b5', '1', 'x', '2'], ['SORT', 'b5'], ['SORT', 'b5', 'LIMIT', '0', '1'], ['SORT', 'b5', 'ALPHA'], ['SORT', 'b5', 'BY', 'nosort'], ['SET', 'd', 'keep'],
    ['SORT', 'b5', 'STORE', 'd'], ['GET', 'd'], ['SET', 'w_1', 'abc'], ['SORT', 'b5', 'BY', 'w_*'], ['SORT', 'b5', 'BY', 'w_*', 'ALPHA'], ['RPUSH', 'b7', '1e-300', '-1e-300', '0'], ['SORT', 'b7'],
    ['SADD', 'bs', 'a', '1'], ['SORT', 'bs'], ['ZADD', 'bz', '1', 'a'], ['SORT', 'bz'], ['SORT', 'bz', 'BY', 'nosort'],
  ],
  'binary elements and patterns': [
    ['RPUSH', 'l', BIN, 'a\x00b', 'a\x00a', '\xff', '\x80', 'z', 'A', 'a'], ['SORT', 'l', 'ALPHA'], ['SORT', 'l', 'ALPHA', 'STORE', 'd'], ['LRANGE', 'd', '0', '-1'],
    ['SORT', 'l', 'ALPHA', 'DESC', 'STORE', 'd'], ['LRANGE', 'd', '0', '-1'], ['SORT', 'l', 'BY', 'nosort', 'GET', '#'], ['SET', `k_${BIN}`, BIN], ['SET', 'k_\xff', '\xff\x00'],
    ['SORT', 'l', 'BY', 'nosort', 'GET', 'k_*'], ['HSET', `h\x00_\xff`, 'f\x00', 'bin'], ['RPUSH', 'm', '\xff'], ['SORT', 'm', 'BY', 'nosort', 'GET', 'h\x00_*->f\x00'],
    ['SORT', 'm', 'BY', 'nosort', 'GET', 'h\x00_*'], ['SORT', 'm', 'ALPHA', 'BY', 'k_*'], ['RPUSH', `${BIN}key`, '2', '1'], ['SORT', `${BIN}key`, 'STORE', `${BIN}dst`], ['LRANGE', `${BIN}dst`, '0', '-1'],
  ],
  'missing and wrong-type keys, syntax and arity': [
    ['SORT', 'missing'], ['SORT', 'missing', 'DESC', 'LIMIT', '0', '10', 'GET', '#'], ['SORT_RO', 'missing'], ['SET', 'str', '1'], ['SORT', 'str'], ['SORT', 'str', 'STORE', 'd'],
    ['HSET', 'h', 'a', '1'], ['SORT', 'h'], ['SORT_RO', 'h', 'ALPHA'], ['SORT', 'str', 'FOO'], ['SORT', 'missing', 'FOO'], ['SORT', 'missing', 'BY'], ['SORT', 'missing', 'ASC', 'BAR'],
    ['SORT'], ['SORT_RO'], ['SORT', 'str', 'LIMIT', 'x', 'y'], ['SORT', 'str', 'GET', '#', 'GET'], ['SORT', 'missing', 'STORE', 'str'], ['GET', 'str'],
  ],
  'keyspace hits and misses from patterns': [
    ['RPUSH', 'l', '1', '2', '3'], ['SET', 'w_1', '1'], ['HSET', 'h_2', 'f', '2'], ['CONFIG', 'RESETSTAT'], ['SORT', 'l', 'BY', 'w_*', 'GET', 'h_*->f', 'GET', '#'],
    { cmd: ['INFO', 'stats'], normalize: hitsAndMisses }, ['SORT', 'l', 'BY', 'nosort', 'GET', 'w_*', 'STORE', 'd'], { cmd: ['INFO', 'stats'], normalize: hitsAndMisses },
    ['SORT', 'missing'], { cmd: ['INFO', 'stats'], normalize: hitsAndMisses },
  ],
  'watch and transactions': [
    ['RPUSH', 'l', '2', '1'], ['ZADD', 'z', '1', 'a'], ['WATCH', 'z', 'l'], ['SORT', 'z'], ['SORT', 'l'], ['MULTI'], ['PING'], ['EXEC'],
    ['WATCH', 'd'], ['SORT', 'l', 'STORE', 'd'], ['MULTI'], ['PING'], ['EXEC'], ['MULTI'], ['SORT', 'l', 'DESC', 'STORE', 'd'], ['SORT', 'd', 'BY', 'nosort'], ['EXEC'],
  ],
  'generated: random lists, weights, hash fields': generated(1, 40),
  'generated: more random lists': generated(2, 40),
  'generated: short lists': generated(3, 40),
  'generated: sorted sets and sets': generatedSets(4, 60),
  'generated: more sorted sets and sets': generatedSets(5, 60),
  'generated: small sorted sets and sets': generatedSets(6, 60),
};

/** The same scripts after HELLO 3, whose own reply (server version, client id) is not compared. */
const hello3: Step = { cmd: ['HELLO', '3'], normalize: () => 'HELLO reply' };
const all: Record<string, Script> = { ...cases };
for (const [name, script] of Object.entries(cases)) {
  if (!name.startsWith('generated')) all[`${name} (RESP3)`] = [hello3, ...script];
}

// Redis does not clear errno before its strtod here: after one ERANGE, SORTs of non-integer
// strings keep failing until some other code resets errno. So the ERANGE case runs last, once.
all['numeric parse: overflow and underflow'] = [
  ['RPUSH', 'b3', '1e400'], ['SORT', 'b3'], ['RPUSH', 'b4', '1e-310'], ['SORT', 'b4'], ['RPUSH', 'b6', '4.9e-324'], ['SORT', 'b6'], ['RPUSH', 'b8', '-1e-320', '1'], ['SORT', 'b8'],
];

differentialSuite('differential: sort', all);
