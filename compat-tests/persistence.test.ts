/*
 * RDB persistence over real sockets: SAVE/BGSAVE write `dir`/`dbfilename`, a server started on
 * that folder loads it (keys, TTLs, encodings, functions, several databases), files move both ways
 * between kv-server and redis-server with equal DEBUG DIGESTs, save points fire from the cron,
 * INFO persistence counts, and a damaged file stops the start with Redis's reason.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawClient, startKv, startRedis } from './harness.js';

const LIB = "#!lua name=plib\nredis.register_function('pf', function() return 'persisted' end)";

const fresh = (): string => mkdtempSync(join(tmpdir(), 'kv-persist-'));
const infoField = (info: string, name: string): string => new RegExp(`${name}:([^\\r\\n]*)`).exec(info)?.[1] ?? '';

async function fill(c: RawClient): Promise<void> {
  await c.call('SET', 'str', 'value');
  await c.call('SET', 'num', '42');
  await c.call('SET', 'ttl', 'v', 'EX', '1000');
  await c.call('RPUSH', 'list', 'a', 'b', 'c');
  await c.call('HSET', 'hash', 'f', 'v', 'g', 'w');
  await c.call('SADD', 'ints', '1', '2', '3');
  await c.call('ZADD', 'zset', '1', 'one', '2', 'two');
  await c.call('XADD', 'stream', '1-1', 'f', 'v');
  await c.call('SELECT', '2');
  await c.call('SET', 'in-db-2', 'x');
  await c.call('SELECT', '0');
}

test('SAVE writes the file and a server started on its folder loads every key, TTL, database and function', async () => {
  const dir = fresh();
  try {
    const a = await startKv({ dir });
    const c = await RawClient.connect(a.port);
    await fill(c);
    await c.call('FUNCTION', 'LOAD', LIB);
    const digest = await c.call('DEBUG', 'DIGEST');
    assert.is(await c.call('SAVE'), '+OK\r\n');
    assert.ok(existsSync(join(dir, 'dump.rdb')));
    assert.is(readFileSync(join(dir, 'dump.rdb')).subarray(0, 9).toString(), 'REDIS0010');
    const info = await c.call('INFO', 'persistence');
    assert.is(infoField(info, 'rdb_changes_since_last_save'), '0');
    assert.is(infoField(info, 'rdb_saves'), '1');
    assert.is(infoField(info, 'rdb_last_bgsave_status'), 'ok');
    c.close();
    await a.stop();

    const b = await startKv({ dir });
    const d = await RawClient.connect(b.port);
    assert.is(await d.call('DEBUG', 'DIGEST'), digest);
    assert.is(await d.call('LRANGE', 'list', '0', '-1'), '*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n');
    assert.is(await d.call('OBJECT', 'ENCODING', 'ints'), '$6\r\nintset\r\n');
    const ttl = Number((await d.call('TTL', 'ttl')).slice(1, -2));
    assert.ok(ttl > 990 && ttl <= 1000, `ttl ${ttl}`);
    assert.is(await d.call('FCALL', 'pf', '0'), '$9\r\npersisted\r\n');
    await d.call('SELECT', '2');
    assert.is(await d.call('GET', 'in-db-2'), '$1\r\nx\r\n');
    // nothing changed since the load
    assert.is(infoField(await d.call('INFO', 'persistence'), 'rdb_changes_since_last_save'), '0');
    d.close();
    await b.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('BGSAVE answers as Redis and has finished when its reply is read; INFO counts the changes since', async () => {
  const dir = fresh();
  try {
    const kv = await startKv({ dir });
    const c = await RawClient.connect(kv.port);
    await c.call('SET', 'a', '1');
    await c.call('SET', 'b', '2');
    assert.is(infoField(await c.call('INFO', 'persistence'), 'rdb_changes_since_last_save'), '2');
    assert.is(await c.call('BGSAVE'), '+Background saving started\r\n');
    assert.ok(existsSync(join(dir, 'dump.rdb')));
    assert.is(await c.call('BGSAVE', 'SCHEDULE'), '+Background saving started\r\n');
    assert.is(await c.call('BGSAVE', 'x'), '-ERR syntax error\r\n');
    const info = await c.call('INFO', 'persistence');
    assert.is(infoField(info, 'rdb_changes_since_last_save'), '0');
    assert.is(infoField(info, 'rdb_bgsave_in_progress'), '0');
    assert.is(infoField(info, 'rdb_saves'), '2');
    const lastsave = Number((await c.call('LASTSAVE')).slice(1, -2));
    assert.ok(Math.abs(lastsave - Date.now() / 1000) < 5);
    assert.is(await c.call('SAVE', 'x'), "-ERR wrong number of arguments for 'save' command\r\n");
    c.close();
    await kv.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file kv-server saved loads in redis-server, and a file redis-server saved loads here, with equal digests', async () => {
  const dir = fresh();
  try {
    const kv = await startKv({ dir });
    const c = await RawClient.connect(kv.port);
    await fill(c);
    await c.call('HSET', 'big-hash', ...Array.from({ length: 1000 }, (_, i) => [`f${i}`, `v${i}`]).flat());
    await c.call('RPUSH', 'big-list', ...Array.from({ length: 500 }, (_, i) => `element-${i}-${'y'.repeat(50)}`));
    await c.call('ZADD', 'big-zset', ...Array.from({ length: 300 }, (_, i) => [String(i * 1.5), `m${i}`]).flat());
    await c.call('FUNCTION', 'LOAD', LIB);
    const digest = await c.call('DEBUG', 'DIGEST');
    await c.call('SAVE');
    c.close();
    await kv.stop();

    const redis = await startRedis({ dir, 'enable-debug-command': 'yes' });
    if (redis === null) return;
    try {
      const r = await RawClient.connect(redis.port);
      assert.is(await r.call('DEBUG', 'DIGEST'), digest, 'redis-server reads our file');
      assert.is(await r.call('FCALL', 'pf', '0'), '$9\r\npersisted\r\n');
      // Redis writes it back, with its own changes
      await r.call('SET', 'written-by-redis', 'yes');
      await r.call('SADD', 'big-set', ...Array.from({ length: 700 }, (_, i) => `s${i}`));
      const redisDigest = await r.call('DEBUG', 'DIGEST');
      assert.is(await r.call('SAVE'), '+OK\r\n');
      r.close();
      await redis.stop();

      const back = await startKv({ dir });
      const d = await RawClient.connect(back.port);
      assert.is(await d.call('DEBUG', 'DIGEST'), redisDigest, "we read redis-server's file");
      assert.is(await d.call('GET', 'written-by-redis'), '$3\r\nyes\r\n');
      assert.is(await d.call('OBJECT', 'ENCODING', 'big-hash'), '$9\r\nhashtable\r\n');
      d.close();
      await back.stop();
    } finally {
      await redis.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a save point fires from the cron once its seconds and changes are reached', async () => {
  const dir = fresh();
  try {
    const kv = await startKv({ dir, save: '1 2' });
    const c = await RawClient.connect(kv.port);
    await c.call('SET', 'a', '1');
    // one change is not enough, whatever the time
    await new Promise((r) => setTimeout(r, 2300));
    assert.not.ok(existsSync(join(dir, 'dump.rdb')));
    await c.call('SET', 'b', '2');
    for (let i = 0; i < 50 && !existsSync(join(dir, 'dump.rdb')); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(existsSync(join(dir, 'dump.rdb')), 'saved');
    assert.is(infoField(await c.call('INFO', 'persistence'), 'rdb_changes_since_last_save'), '0');
    c.close();
    await kv.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with save points, FLUSHALL saves the emptied dataset at once: a restart finds no keys, the functions kept', async () => {
  const dir = fresh();
  try {
    const kv = await startKv({ dir, save: '3600 1' });
    const c = await RawClient.connect(kv.port);
    await fill(c);
    await c.call('FUNCTION', 'LOAD', LIB);
    assert.is(await c.call('SAVE'), '+OK\r\n');
    await c.call('SET', 'after-save', 'x');
    assert.is(await c.call('FLUSHALL'), '+OK\r\n');
    c.close();
    // an in-process stop saves nothing on the way out: what the next start loads is FLUSHALL's file
    await kv.stop();
    const b = await startKv({ dir, save: '3600 1' });
    const d = await RawClient.connect(b.port);
    assert.is(await d.call('DBSIZE'), ':0\r\n');
    assert.is(await d.call('FCALL', 'pf', '0'), '$9\r\npersisted\r\n');
    d.close();
    await b.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a damaged or foreign file stops the start with the reason; a failed SAVE is reported', async () => {
  const dir = fresh();
  try {
    const kv = await startKv({ dir });
    const c = await RawClient.connect(kv.port);
    await c.call('SET', 'k', 'v'.repeat(100));
    await c.call('SAVE');
    c.close();
    await kv.stop();
    const file = join(dir, 'dump.rdb');
    const good = readFileSync(file);

    const flipped = Buffer.from(good);
    flipped[20]! ^= 0xff;
    writeFileSync(file, flipped);
    let err = await startKv({ dir }).then((s) => s.stop().then(() => ''), (e: Error) => e.message);
    assert.match(err, /checksum|Short read|loading the DB/);

    writeFileSync(file, good.subarray(0, good.length - 20));
    err = await startKv({ dir }).then((s) => s.stop().then(() => ''), (e: Error) => e.message);
    assert.match(err, /Short read/);

    writeFileSync(file, 'not an rdb file at all');
    err = await startKv({ dir }).then((s) => s.stop().then(() => ''), (e: Error) => e.message);
    assert.match(err, /Wrong signature/);

    // the same file with rdbchecksum off is read without its checksum (as Redis)
    const unchecked = Buffer.from(good);
    unchecked[unchecked.length - 1]! ^= 0xff;
    writeFileSync(file, unchecked);
    const loose = await startKv({ dir, rdbchecksum: 'no' });
    const d = await RawClient.connect(loose.port);
    assert.is(await d.call('STRLEN', 'k'), ':100\r\n');
    d.close();
    await loose.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
