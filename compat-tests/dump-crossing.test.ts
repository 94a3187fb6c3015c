/*
 * DUMP payloads crossing between kv-server and a real redis-server, both ways, for values whose
 * bytes depend on each server's hash order (large hashes and sets) and for large values of every
 * type: what one server dumps, the other restores to the same contents and encoding.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RawClient, decodeReply, startKv, startRedis, type Decoded } from './harness.js';

/** Commands that build the values on a server. */
const BUILD: string[][] = [
  ['HSET', 'bighash', ...Array.from({ length: 1000 }, (_, i) => [`field:${i}`, `value ${i} `.repeat(i % 5)]).flat()],
  ['SADD', 'strset', ...Array.from({ length: 500 }, (_, i) => `member-${i}`)],
  ['SADD', 'bigintset', ...Array.from({ length: 1000 }, (_, i) => String(i * 3 - 1500))],
  ['RPUSH', 'biglist', ...Array.from({ length: 10000 }, (_, i) => (i % 3 === 0 ? String(i) : `item ${i}`))],
  ['ZADD', 'bigzset', ...Array.from({ length: 1000 }, (_, i) => [String(i / 3), `m${i}`]).flat()],
  ['SET', 'bigstring', 'abcdefgh'.repeat(20000)],
  ...Array.from({ length: 300 }, (_, i) => ['XADD', 'events', `${1000 + i}-${i % 3}`, 'kind', i % 2 ? 'a' : 'b', 'n', String(i)]),
  ['XGROUP', 'CREATE', 'events', 'workers', '0'], ['XGROUP', 'CREATE', 'events', 'audit', '$'],
  ['XREADGROUP', 'GROUP', 'workers', 'alice', 'COUNT', '5', 'STREAMS', 'events', '>'],
  ['XREADGROUP', 'GROUP', 'workers', 'bob', 'COUNT', '3', 'STREAMS', 'events', '>'],
  ['XACK', 'events', 'workers', '1001-1'], ['XDEL', 'events', '1100-1'],
  ['SET', 'binary', Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('').repeat(4)],
];
const KEYS = ['bighash', 'strset', 'bigintset', 'biglist', 'bigzset', 'bigstring', 'binary', 'events'];

/** XPENDING's extended entries with their idle times masked (each server's own clock). */
const pendingMasked = (raw: string): string => JSON.stringify((decodeReply(raw) as Decoded[][]).map((e) => [e[0], e[1], 'idle', e[3]]));
/** XINFO CONSUMERS with each consumer's idle time masked. */
const consumersMasked = (raw: string): string =>
  JSON.stringify((decodeReply(raw) as Decoded[][]).map((c) => c.map((v, i) => (i > 0 && c[i - 1] === 'idle' ? 'T' : v))));

/** A comparable picture of a key: type, encoding, contents in a defined order. */
async function picture(c: RawClient, key: string): Promise<string> {
  const type = (await c.call('TYPE', key)).trim();
  let body: Decoded = null;
  if (type === '+hash') {
    const flat = decodeReply(await c.call('HGETALL', key)) as string[];
    const pairs: string[] = [];
    for (let i = 0; i < flat.length; i += 2) pairs.push(`${flat[i]}=${flat[i + 1]}`);
    body = pairs.sort();
  } else if (type === '+set') body = (decodeReply(await c.call('SMEMBERS', key)) as string[]).sort();
  else if (type === '+list') body = decodeReply(await c.call('LRANGE', key, '0', '-1'));
  else if (type === '+zset') body = decodeReply(await c.call('ZRANGE', key, '0', '-1', 'WITHSCORES'));
  else if (type === '+stream') {
    body = [
      decodeReply(await c.call('XRANGE', key, '-', '+')),
      decodeReply(await c.call('XINFO', 'GROUPS', key)),
      pendingMasked(await c.call('XPENDING', key, 'workers', '-', '+', '100')),
      consumersMasked(await c.call('XINFO', 'CONSUMERS', key, 'workers')),
    ] as Decoded;
  } else body = decodeReply(await c.call('GET', key));
  const encoding = type === '+list' ? '' : await c.call('OBJECT', 'ENCODING', key); // lists: 7.2's names here
  return JSON.stringify([type, encoding, body]);
}

test('payloads cross from Redis to kv-server and back', async () => {
  const redis = await startRedis();
  if (!redis) return;
  const kv = await startKv();
  const r = await RawClient.connect(redis.port);
  const k = await RawClient.connect(kv.port);
  try {
    for (const cmd of BUILD) await r.call(...cmd);
    for (const key of KEYS) {
      const want = await picture(r, key);
      const fromRedis = decodeReply(await r.call('DUMP', key)) as string;
      assert.is(await k.call('RESTORE', key, '0', fromRedis), '+OK\r\n', `${key}: RESTORE of Redis's payload`);
      assert.is(await picture(k, key), want, `${key} restored in kv-server`);
      const fromKv = decodeReply(await k.call('DUMP', key)) as string;
      assert.is(await r.call('RESTORE', `${key}:back`, '0', fromKv), '+OK\r\n', `${key}: Redis restores kv-server's payload`);
      assert.is(await picture(r, `${key}:back`), want, `${key} back in Redis`);
    }
  } finally {
    r.close();
    k.close();
    await kv.stop();
    await redis.stop();
  }
});

test.run();
