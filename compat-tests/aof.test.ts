/*
 * The append-only file (appendonly yes): Redis 7.0's multi-part directory, checked against
 * redis-server in both directions — a directory kv-server wrote loads into redis-server with the
 * same dataset, and one redis-server wrote loads into kv-server — plus kv-server's own restarts,
 * BGREWRITEAOF, DEBUG LOADAOF, CONFIG SET appendonly, a write on disk before its reply, and a
 * file cut short (aof-load-truncated).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataset, writeEverything } from './dataset.js';
import { RawClient, startKv, startRedis } from './harness.js';

const scratch = (): string => mkdtempSync(join(tmpdir(), 'kv-aof-'));
const aofSettings = (dir: string): Record<string, string> => ({ dir, appendonly: 'yes', save: '' });

/** kv-server with appendonly yes in `dir`: runs `body`, stops, returns what `body` returned. */
async function withKv<T>(dir: string, body: (c: RawClient) => Promise<T>, extra: Record<string, string> = {}): Promise<T> {
  const kv = await startKv({ ...aofSettings(dir), ...extra });
  const c = await RawClient.connect(kv.port);
  try {
    return await body(c);
  } finally {
    c.close();
    await kv.stop();
  }
}

test('kv-server restarts from its append-only file: base, incr, rewrite, and writes after a restart', async () => {
  const dir = scratch();
  try {
    const first = await withKv(dir, async (c) => {
      await writeEverything(c, 'before');
      assert.equal(await c.call('BGREWRITEAOF'), '+Background append only file rewriting started\r\n');
      await writeEverything(c, 'after');
      await c.call('DEL', 'before:str');
      return dataset(c);
    });
    assert.ok(first.length > 30, `a dataset to compare (${first.length} keys)`);
    const files = readdirSync(join(dir, 'appendonlydir')).sort();
    assert.equal(files, ['appendonly.aof.2.base.rdb', 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
    const second = await withKv(dir, async (c) => {
      assert.equal(await dataset(c), first);
      await c.call('SET', 'after-restart', '1');
      return dataset(c);
    });
    await withKv(dir, async (c) => assert.equal(await dataset(c), second));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("redis-server loads kv-server's append-only directory and holds the same dataset", async () => {
  const dir = scratch();
  try {
    const expected = await withKv(dir, async (c) => {
      await writeEverything(c, 'base');
      await c.call('BGREWRITEAOF');
      await writeEverything(c, 'incr');
      return dataset(c);
    });
    const redis = await startRedis(aofSettings(dir));
    if (redis === null) return console.log('skipped: redis-server not installed');
    try {
      const c = await RawClient.connect(redis.port);
      assert.equal(await dataset(c), expected);
      c.close();
    } finally {
      await redis.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("kv-server loads redis-server's append-only directory and holds the same dataset", async () => {
  const dir = scratch();
  try {
    const redis = await startRedis({ ...aofSettings(dir), appendfsync: 'always' });
    if (redis === null) return console.log('skipped: redis-server not installed');
    let expected: string[];
    try {
      const c = await RawClient.connect(redis.port);
      await writeEverything(c, 'base');
      await c.call('BGREWRITEAOF');
      // the rewrite runs in a child: wait for it before the next writes go to the new incr file
      const deadline = Date.now() + 10_000;
      while (!(await c.call('INFO', 'persistence')).includes('aof_rewrite_in_progress:0')) {
        assert.ok(Date.now() < deadline, 'the rewrite did not end');
        await new Promise((r) => setTimeout(r, 50));
      }
      await writeEverything(c, 'incr');
      expected = await dataset(c);
      c.close();
    } finally {
      await redis.stop();
    }
    await withKv(dir, async (c) => assert.equal(await dataset(c), expected));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a write is in the incr file before its reply arrives; DEBUG LOADAOF reloads from the files', async () => {
  const dir = scratch();
  try {
    await withKv(dir, async (c) => {
      const incr = join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
      await c.call('SET', 'k', 'v1');
      assert.match(readFileSync(incr, 'latin1'), '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nv1\r\n');
      await c.call('MULTI');
      await c.call('SET', 'k', 'v2');
      await c.call('INCR', 'n');
      await c.call('EXEC');
      await c.call('SET', 'gone', 'x', 'PX', '100000');
      const before = await dataset(c);
      assert.equal(await c.call('DEBUG', 'LOADAOF'), '+OK\r\n');
      assert.equal(await dataset(c), before);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CONFIG SET appendonly yes writes the dataset as a base; no stops appending', async () => {
  const dir = scratch();
  try {
    const kv = await startKv({ dir, save: '' });
    const c = await RawClient.connect(kv.port);
    try {
      await c.call('SET', 'a', '1');
      assert.match(await c.call('INFO', 'persistence'), 'aof_enabled:0');
      assert.equal(await c.call('DEBUG', 'LOADAOF'), '-ERR Error trying to load the append only file, check the server logs\r\n');
      assert.equal(await c.call('CONFIG', 'SET', 'appendonly', 'yes'), '+OK\r\n');
      assert.match(await c.call('INFO', 'persistence'), /aof_enabled:1\r\n[^]*aof_rewrites:1\r\n[^]*aof_base_size:\d+/);
      await c.call('SET', 'b', '2');
      assert.equal(await c.call('CONFIG', 'SET', 'appendonly', 'no'), '+OK\r\n');
      await c.call('SET', 'c', '3');
      assert.equal(await c.call('DEBUG', 'LOADAOF'), '+OK\r\n');
      // a from the base, b from the incr file; c was written after appending stopped
      assert.equal(await c.call('MGET', 'a', 'b', 'c'), '*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n');
    } finally {
      c.close();
      await kv.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an incr file cut short loads up to its last whole command and is truncated there; a cut transaction is dropped', async () => {
  const dir = scratch();
  try {
    await withKv(dir, async (c) => {
      await c.call('SET', 'a', '1');
      await c.call('SET', 'b', '2');
    });
    const incr = join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
    const whole = statSync(incr).size;
    appendFileSync(incr, '*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1\r\n3\r\n*3\r\n$3\r\nSET\r\n$1\r\nd\r\n$1');
    await withKv(dir, async (c) => {
      assert.equal(await c.call('MGET', 'a', 'b', 'c', 'd'), '*4\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n$-1\r\n');
    });
    assert.is(statSync(incr).size, whole);
    assert.ok(existsSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
