/*
 * A varied dataset and a full read of one, for tests that move a dataset between servers
 * (replication.test.ts: to a real replica; aof.test.ts: through append-only files): every type,
 * binary keys and values, large values and collections, TTLs, several databases, a transaction
 * and a script.
 */
import { decodeReply, type Decoded, type RawClient } from './harness.js';

/** Everything a database holds, per key: type, value (by type) and absolute expire time. */
export async function dataset(c: RawClient): Promise<string[]> {
  const out: string[] = [];
  for (let db = 0; db < 16; db++) {
    await c.call('SELECT', String(db));
    const keys = (decodeReply(await c.call('KEYS', '*')) as string[]).sort();
    for (const key of keys) {
      const type = (await c.call('TYPE', key)).trim();
      // a key whose TTL ran out between KEYS and TYPE
      if (type === '+none') continue;
      let value: Decoded;
      if (type === '+string') value = decodeReply(await c.call('GET', key));
      else if (type === '+list') value = decodeReply(await c.call('LRANGE', key, '0', '-1'));
      else if (type === '+set') value = (decodeReply(await c.call('SMEMBERS', key)) as string[]).sort();
      else if (type === '+hash') value = pairs(decodeReply(await c.call('HGETALL', key)) as string[]).sort();
      else if (type === '+zset') value = decodeReply(await c.call('ZRANGE', key, '0', '-1', 'WITHSCORES'));
      else if (type === '+stream') value = [decodeReply(await c.call('XRANGE', key, '-', '+')), decodeReply(await c.call('XINFO', 'GROUPS', key))];
      else value = type;
      out.push(`db${db} ${JSON.stringify(key)} ${type} ${JSON.stringify(value)} ${(await c.call('PEXPIRETIME', key)).trim()}`);
    }
  }
  await c.call('SELECT', '0');
  return out;
}

const pairs = (flat: string[]): string[] => flat.flatMap((v, i) => (i % 2 === 0 ? [`${v}=${flat[i + 1]}`] : []));

/** Writes of every type, on `c` (the master). */
export async function writeEverything(c: RawClient, tag: string): Promise<void> {
  const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('latin1');
  await c.call('SET', `${tag}:str`, 'hello');
  await c.call('SET', `${tag}:int`, '12345');
  await c.call('SET', `${tag}:${binary}`, binary);
  await c.call('SET', `${tag}:big`, 'x'.repeat(200_000));
  await c.call('SET', `${tag}:ttl`, 'v', 'EX', '5000');
  await c.call('RPUSH', `${tag}:list`, 'a', 'b', 'c');
  await c.call('RPUSH', `${tag}:biglist`, ...Array.from({ length: 1000 }, (_, i) => `e${i}`));
  await c.call('LPOP', `${tag}:biglist`);
  await c.call('HSET', `${tag}:hash`, 'f1', 'v1', 'f2', 'v2');
  await c.call('HSET', `${tag}:bighash`, ...Array.from({ length: 600 }, (_, i) => [`f${i}`, `v${i}`]).flat());
  await c.call('SADD', `${tag}:intset`, '1', '2', '3');
  await c.call('SADD', `${tag}:set`, 'a', 'b', ...Array.from({ length: 600 }, (_, i) => `m${i}`));
  await c.call('ZADD', `${tag}:zset`, '1', 'a', '2.5', 'b', '-inf', 'c');
  await c.call('ZADD', `${tag}:bigzset`, ...Array.from({ length: 300 }, (_, i) => [String(i / 3), `z${i}`]).flat());
  await c.call('XADD', `${tag}:stream`, '1-1', 'f', 'v');
  await c.call('XADD', `${tag}:stream`, '2-1', 'g', 'w');
  await c.call('XGROUP', 'CREATE', `${tag}:stream`, 'grp', '0');
  await c.call('PFADD', `${tag}:hll`, 'a', 'b', 'c');
  await c.call('SETBIT', `${tag}:bits`, '100', '1');
  await c.call('MULTI');
  await c.call('INCR', `${tag}:counter`);
  await c.call('LPUSH', `${tag}:list`, 'z');
  await c.call('EXEC');
  await c.call('EVAL', "redis.call('hset', KEYS[1], 'x', 'y'); redis.call('zincrby', KEYS[2], 5, 'a')", '2', `${tag}:hash`, `${tag}:zset`);
  await c.call('SELECT', '7');
  await c.call('SET', `${tag}:in7`, 'seven');
  await c.call('SELECT', '0');
  await c.call('SET', `${tag}:gone`, 'v', 'PX', '1');
}

