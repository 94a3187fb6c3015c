/*
 * CAS and the compare-and-set forms of newer servers (Redis 8.4's SET … IFEQ|IFNE|IFDEQ|IFDNE,
 * DELEX, DIGEST, MSETEX; Valkey's DELIFEQ). Debian's redis-server 7.0 has none of them, so the
 * expected bytes come from those servers' documentation (docs/compatibility.md lists what could
 * not be confirmed); ioredis and redis-py reach them through their generic command calls.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis } from 'ioredis';
import { FakeClock } from '../src/engine/clock.js';
import { Err } from '../src/resp/errors.js';
import type { RunningServer } from '../src/server/app.js';
import { RawClient, startKv } from './harness.js';

const s = suite('cas');
const clock = new FakeClock(1_700_000_000_000);
let kv: RunningServer;
let c: RawClient;
const effects: string[][] = [];

s.before(async () => {
  kv = await startKv({}, clock);
  kv.context.effects = (_db, argv) => void effects.push([...argv]);
  c = await RawClient.connect(kv.port);
});
s.after(async () => {
  c.close();
  await kv.stop();
});
s.before.each(async () => {
  await c.call('FLUSHALL');
  effects.length = 0;
});

const err = (e: string) => `-${e}\r\n`;
const bulk = (v: string) => `$${Buffer.byteLength(v, 'latin1')}\r\n${v}\r\n`;
const NIL = '$-1\r\n';
const HELLO_DIGEST = 'b6acb9d84a38ff74';

s('CAS swaps only on an exact match; a missing key never matches', async () => {
  assert.is(await c.call('CAS', 'k', '', 'x'), ':0\r\n');
  assert.is(await c.call('EXISTS', 'k'), ':0\r\n');
  await c.call('SET', 'k', 'v1');
  assert.is(await c.call('CAS', 'k', 'v2', 'x'), ':0\r\n');
  assert.is(await c.call('CAS', 'k', 'V1', 'x'), ':0\r\n');
  assert.is(await c.call('CAS', 'k', 'v1', 'v2'), ':1\r\n');
  assert.is(await c.call('GET', 'k'), bulk('v2'));
  // binary-safe, integers compare as their text
  await c.call('SET', 'n', '10');
  assert.is(await c.call('CAS', 'n', '10', '\x00\xff'), ':1\r\n');
  assert.is(await c.call('CAS', 'n', '\x00\xff', '11'), ':1\r\n');
  assert.is(await c.call('INCR', 'n'), ':12\r\n');
});

s('CAS clears the TTL like SET unless KEEPTTL; EX/PX/EXAT/PXAT set one', async () => {
  await c.call('SET', 'k', 'a', 'PX', '50000');
  assert.is(await c.call('CAS', 'k', 'a', 'b'), ':1\r\n');
  assert.is(await c.call('PTTL', 'k'), ':-1\r\n');
  await c.call('PEXPIRE', 'k', '50000');
  assert.is(await c.call('CAS', 'k', 'b', 'c', 'KEEPTTL'), ':1\r\n');
  assert.is(await c.call('PTTL', 'k'), ':50000\r\n');
  assert.is(await c.call('CAS', 'k', 'c', 'd', 'EX', '10'), ':1\r\n');
  assert.is(await c.call('PTTL', 'k'), ':10000\r\n');
  assert.is(await c.call('CAS', 'k', 'd', 'e', 'PXAT', String(clock.ms + 777)), ':1\r\n');
  assert.is(await c.call('PTTL', 'k'), ':777\r\n');
  assert.equal(effects.slice(-1), [['SET', 'k', 'e', 'PXAT', String(clock.ms + 777)]]);
});

s('CAS errors: syntax, expire time, WRONGTYPE', async () => {
  await c.call('SET', 'k', 'a');
  assert.is(await c.call('CAS', 'k', 'a', 'b', 'NX'), err(Err.SYNTAX));
  assert.is(await c.call('CAS', 'k', 'a', 'b', 'EX', '1', 'KEEPTTL'), err(Err.SYNTAX));
  assert.is(await c.call('CAS', 'k', 'a', 'b', 'EX'), err(Err.SYNTAX));
  assert.is(await c.call('CAS', 'k', 'a', 'b', 'EX', '0'), err(Err.INVALID_EXPIRE('cas')));
  assert.is(await c.call('CAS', 'k', 'a', 'b', 'PX', 'x'), err(Err.NOT_INTEGER));
  assert.is(await c.call('CAS', 'k', 'a'), err(Err.WRONG_ARITY('cas')));
  await c.call('LPUSH', 'l', 'a');
  assert.is(await c.call('CAS', 'l', 'a', 'b'), err(Err.WRONGTYPE));
  assert.is(await c.call('GET', 'k'), bulk('a'));
});

s('DIGEST: XXH3-64 as 16 hex digits, nil when missing, WRONGTYPE otherwise', async () => {
  await c.call('SET', 'key1', 'Hello world');
  assert.is(await c.call('DIGEST', 'key1'), bulk(HELLO_DIGEST));
  await c.call('SET', 'e', '');
  assert.is(await c.call('DIGEST', 'e'), bulk('2d06800538d394c2'));
  // an integer-encoded value digests its text
  await c.call('SET', 'i', '123');
  await c.call('SET', 's', '123x');
  await c.call('APPEND', 'i', 'x');
  assert.is(await c.call('DIGEST', 'i'), await c.call('DIGEST', 's'));
  assert.is(await c.call('DIGEST', 'nokey'), NIL);
  await c.call('HSET', 'h', 'f', 'v');
  assert.is(await c.call('DIGEST', 'h'), err(Err.WRONGTYPE));
});

s('SET IFEQ / IFNE', async () => {
  // IFEQ never creates; IFNE does
  assert.is(await c.call('SET', 'k', 'v', 'IFEQ', 'x'), NIL);
  assert.is(await c.call('EXISTS', 'k'), ':0\r\n');
  assert.is(await c.call('SET', 'k', 'v', 'IFNE', 'x'), '+OK\r\n');
  assert.is(await c.call('SET', 'k', 'w', 'IFNE', 'v'), NIL);
  assert.is(await c.call('SET', 'k', 'w', 'IFEQ', 'v'), '+OK\r\n');
  assert.is(await c.call('GET', 'k'), bulk('w'));
  assert.is(await c.call('SET', 'k', 'z', 'IFEQ', 'v'), NIL);
  // with GET: the old value whether or not the condition held
  assert.is(await c.call('SET', 'k', 'z', 'IFEQ', 'nope', 'GET'), bulk('w'));
  assert.is(await c.call('GET', 'k'), bulk('w'));
  assert.is(await c.call('SET', 'k', 'z', 'IFEQ', 'w', 'GET'), bulk('w'));
  assert.is(await c.call('GET', 'k'), bulk('z'));
  assert.is(await c.call('SET', 'new', 'v', 'IFNE', 'x', 'GET'), NIL);
  assert.is(await c.call('GET', 'new'), bulk('v'));
  // with an expiry
  assert.is(await c.call('SET', 'k', 'y', 'IFEQ', 'z', 'PX', '5000'), '+OK\r\n');
  assert.is(await c.call('PTTL', 'k'), ':5000\r\n');
  assert.is(await c.call('SET', 'k', 'x', 'KEEPTTL', 'IFNE', 'q'), '+OK\r\n');
  assert.is(await c.call('PTTL', 'k'), ':5000\r\n');
  assert.equal(effects.slice(-2), [['SET', 'k', 'y', 'PXAT', String(clock.ms + 5000)], ['SET', 'k', 'x', 'KEEPTTL']]);
});

s('SET IFDEQ / IFDNE compare digests, in either case; the digest must be 16 hex digits', async () => {
  await c.call('SET', 'k', 'Hello world');
  assert.is(await c.call('SET', 'k', 'a', 'IFDEQ', '0000000000000000'), NIL);
  assert.is(await c.call('SET', 'k', 'a', 'IFDNE', HELLO_DIGEST), NIL);
  assert.is(await c.call('SET', 'k', 'a', 'IFDEQ', HELLO_DIGEST.toUpperCase()), '+OK\r\n');
  assert.is(await c.call('SET', 'k', 'b', 'IFDNE', HELLO_DIGEST), '+OK\r\n');
  assert.is(await c.call('SET', 'missing', 'b', 'IFDEQ', HELLO_DIGEST), NIL);
  assert.is(await c.call('SET', 'missing', 'b', 'IFDNE', HELLO_DIGEST), '+OK\r\n');
  assert.is(await c.call('SET', 'k', 'b', 'IFDEQ', 'b6acb9d84a38ff7'), err(Err.DIGEST_NOT_16_HEX));
  assert.is(await c.call('SET', 'k', 'b', 'IFDNE', 'zzzzzzzzzzzzzzzz'), err(Err.DIGEST_NOT_16_HEX));
});

s('SET conditions are exclusive; WRONGTYPE on other types', async () => {
  for (const opts of [['NX', 'IFEQ', 'a'], ['IFEQ', 'a', 'XX'], ['IFEQ', 'a', 'IFNE', 'b'], ['IFDEQ', HELLO_DIGEST, 'IFEQ', 'a'], ['IFEQ']]) {
    assert.is(await c.call('SET', 'k', 'v', ...opts), err(Err.SYNTAX), opts.join(' '));
  }
  await c.call('LPUSH', 'l', 'a');
  assert.is(await c.call('SET', 'l', 'v', 'IFNE', 'a'), err(Err.WRONGTYPE));
  assert.is(await c.call('SET', 'l', 'v', 'IFEQ', 'a'), err(Err.WRONGTYPE));
  assert.is(await c.call('TYPE', 'l'), '+list\r\n');
  // plain SET still replaces any type
  assert.is(await c.call('SET', 'l', 'v'), '+OK\r\n');
});

s('DELEX', async () => {
  await c.call('HSET', 'h', 'f', 'v');
  assert.is(await c.call('DELEX', 'h'), ':1\r\n');
  assert.is(await c.call('DELEX', 'h'), ':0\r\n');
  await c.call('SET', 'k', 'Hello world');
  assert.is(await c.call('DELEX', 'k', 'IFEQ', 'x'), ':0\r\n');
  assert.is(await c.call('DELEX', 'k', 'IFNE', 'Hello world'), ':0\r\n');
  assert.is(await c.call('DELEX', 'k', 'IFDNE', HELLO_DIGEST), ':0\r\n');
  assert.is(await c.call('DELEX', 'k', 'IFDEQ', '1111111111111111'), ':0\r\n');
  assert.is(await c.call('DELEX', 'k', 'IFDEQ', HELLO_DIGEST), ':1\r\n');
  await c.call('SET', 'k', 'a');
  assert.is(await c.call('DELEX', 'k', 'ifne', 'b'), ':1\r\n');
  await c.call('SET', 'k', 'a');
  assert.is(await c.call('DELEX', 'k', 'IFEQ', 'a'), ':1\r\n');
  assert.is(await c.call('DELEX', 'k', 'IFEQ', 'a'), ':0\r\n');
  assert.is(await c.call('DELEX', 'k', 'IFEQ'), err(Err.SYNTAX));
  assert.is(await c.call('DELEX', 'k', 'IFXX', 'a'), err(Err.SYNTAX));
  assert.is(await c.call('DELEX', 'k', 'IFEQ', 'a', 'IFNE', 'b'), err(Err.SYNTAX));
  await c.call('SET', 'k', 'a');
  assert.is(await c.call('DELEX', 'k', 'IFDEQ', 'abc'), err(Err.DIGEST_NOT_16_HEX));
  await c.call('LPUSH', 'l', 'a');
  assert.is(await c.call('DELEX', 'l', 'IFEQ', 'a'), err(Err.WRONGTYPE));
  assert.equal(effects.filter((e) => e[0] === 'DEL'), [['DEL', 'h'], ['DEL', 'k'], ['DEL', 'k'], ['DEL', 'k']]);
});

s('DELIFEQ (Valkey)', async () => {
  await c.call('SET', 'mykey', 'abc123');
  assert.is(await c.call('DELIFEQ', 'mykey', 'abc123'), ':1\r\n');
  assert.is(await c.call('DELIFEQ', 'mykey', 'abc123'), ':0\r\n');
  await c.call('SET', 'mykey', 'xyz789');
  assert.is(await c.call('DELIFEQ', 'mykey', 'abc123'), ':0\r\n');
  await c.call('SADD', 'set', 'somevalue');
  assert.is(await c.call('DELIFEQ', 'set', 'somevalue'), err(Err.WRONGTYPE));
});

s('MSETEX', async () => {
  assert.is(await c.call('MSETEX', '2', 'a', '1', 'b', '2', 'EX', '100'), ':1\r\n');
  assert.is(await c.call('MGET', 'a', 'b'), '*2\r\n$1\r\n1\r\n$1\r\n2\r\n');
  assert.is(await c.call('PTTL', 'b'), ':100000\r\n');
  assert.equal(effects.slice(-1), [['MSETEX', '2', 'a', '1', 'b', '2', 'PXAT', String(clock.ms + 100_000)]]);
  // NX: none may exist; XX: all must
  assert.is(await c.call('MSETEX', '2', 'a', 'x', 'c', 'y', 'NX'), ':0\r\n');
  assert.is(await c.call('EXISTS', 'c'), ':0\r\n');
  assert.is(await c.call('MSETEX', '2', 'a', 'x', 'c', 'y', 'XX'), ':0\r\n');
  assert.is(await c.call('MSETEX', '2', 'a', 'x', 'b', 'y', 'XX', 'KEEPTTL'), ':1\r\n');
  assert.is(await c.call('PTTL', 'b'), ':100000\r\n');
  assert.is(await c.call('MSETEX', '1', 'c', 'z', 'NX'), ':1\r\n');
  assert.is(await c.call('MSETEX', '1', 'a', 'plain'), ':1\r\n');
  assert.is(await c.call('PTTL', 'a'), ':-1\r\n');
  // a key of another type is replaced, as MSET does
  await c.call('LPUSH', 'l', 'x');
  assert.is(await c.call('MSETEX', '1', 'l', 's'), ':1\r\n');
  assert.is(await c.call('TYPE', 'l'), '+string\r\n');
  // errors
  assert.is(await c.call('MSETEX', '0', 'a', 'b'), err(Err.MSETEX_NUMKEYS));
  assert.is(await c.call('MSETEX', 'x', 'a', 'b'), err(Err.MSETEX_NUMKEYS));
  assert.is(await c.call('MSETEX', '2', 'a', 'b', 'c'), err(Err.MSETEX_PAIRS));
  assert.is(await c.call('MSETEX', '1', 'a', 'b', 'NX', 'XX'), err(Err.SYNTAX));
  assert.is(await c.call('MSETEX', '1', 'a', 'b', 'EX', '1', 'PX', '1'), err(Err.SYNTAX));
  assert.is(await c.call('MSETEX', '1', 'a', 'b', 'GET'), err(Err.SYNTAX));
  assert.is(await c.call('MSETEX', '1', 'a', 'b', 'EX', '-1'), err(Err.INVALID_EXPIRE('msetex')));
  assert.is(await c.call('MSETEX', '1', 'a'), err(Err.WRONG_ARITY('msetex')));
});

s('RESP3 replies have the same shapes', async () => {
  const r3 = await RawClient.connect(kv.port);
  await r3.call('HELLO', '3');
  await r3.call('SET', 'k', 'Hello world');
  assert.is(await r3.call('DIGEST', 'k'), bulk(HELLO_DIGEST));
  assert.is(await r3.call('DIGEST', 'none'), '_\r\n');
  assert.is(await r3.call('SET', 'k', 'v', 'IFEQ', 'no'), '_\r\n');
  assert.is(await r3.call('CAS', 'k', 'Hello world', 'v'), ':1\r\n');
  r3.close();
});

s('MULTI/EXEC and scripts run them', async () => {
  await c.call('SET', 'k', 'a');
  await c.call('MULTI');
  await c.call('CAS', 'k', 'a', 'b');
  await c.call('SET', 'k', 'c', 'IFEQ', 'b');
  await c.call('DELIFEQ', 'k', 'c');
  assert.is(await c.call('EXEC'), '*3\r\n:1\r\n+OK\r\n:1\r\n');
  await c.call('SET', 'k', 'a');
  assert.is(await c.call('EVAL', "return redis.call('CAS', KEYS[1], 'a', 'b')", '1', 'k'), ':1\r\n');
  assert.is(await c.call('EVAL', "return redis.call('DIGEST', KEYS[1])", '1', 'k'), await c.call('DIGEST', 'k'));
});

s('ioredis reaches them through call()', async () => {
  const r = new Redis(kv.port, '127.0.0.1', { lazyConnect: true });
  await r.connect();
  try {
    await r.set('k', 'Hello world');
    assert.is(await r.call('DIGEST', 'k'), HELLO_DIGEST);
    assert.is(await r.call('CAS', 'k', 'Hello world', 'x'), 1);
    assert.is(await r.call('SET', 'k', 'y', 'IFEQ', 'x'), 'OK');
    assert.is(await r.call('SET', 'k', 'z', 'IFEQ', 'x'), null);
    assert.is(await r.call('DELEX', 'k', 'IFNE', 'y'), 0);
    assert.is(await r.call('DELIFEQ', 'k', 'y'), 1);
    assert.is(await r.call('MSETEX', '2', 'a', '1', 'b', '2', 'PX', '1000'), 1);
  } finally {
    r.disconnect();
  }
});

s.run();
