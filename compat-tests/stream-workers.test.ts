/*
 * Stream consumer groups as people use them: with ioredis 5 (RESP2) and 6 (RESP3, where XREAD's
 * reply is a map), two workers share a group with XREADGROUP BLOCK and XACK, every entry handled
 * exactly once; a consumer that crashes holding entries is taken over with XAUTOCLAIM (and
 * XCLAIM), its delivery counts growing; then the same with redis-py's threads
 * (python/redis_py_stream_workers.py, which must print "ok streams").
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suite, test } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis as Redis5 } from 'ioredis';
import { Redis as Redis6 } from 'ioredis6';
import type { RunningServer } from '../src/server/app.js';
import { requireRedisPy, startKv } from './harness.js';

type AnyRedis = Redis5 | Redis6;
type RedisClass = new (opts: Record<string, unknown>) => AnyRedis;

/** Entries as ioredis returns them: [id, [field, value, ...]]. */
type Entries = Array<[string, string[]]>;

for (const [label, Redis] of [
  ['ioredis 5', Redis5 as unknown as RedisClass],
  ['ioredis 6', Redis6 as unknown as RedisClass],
] as const) {
  const s = suite(`${label}: a stream consumer group`);
  let kv: RunningServer;
  const clients: AnyRedis[] = [];
  const connect = async (): Promise<AnyRedis> => {
    const r = new Redis({ host: '127.0.0.1', port: kv.port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    clients.push(r);
    await r.connect();
    return r;
  };
  /** XREADGROUP's reply as [key, entries] pairs: RESP2's array of pairs, or RESP3's map (which
   *  ioredis 6 hands over flattened: key, entries, key, entries …). */
  const streamsOf = (reply: unknown): Array<[string, Entries]> => {
    if (reply === null) return [];
    const items = reply as unknown[];
    if (typeof items[0] !== 'string') return items as Array<[string, Entries]>;
    const out: Array<[string, Entries]> = [];
    for (let i = 0; i < items.length; i += 2) out.push([items[i] as string, items[i + 1] as Entries]);
    return out;
  };

  s.before(async () => {
    kv = await startKv();
  });
  s.after(async () => {
    for (const c of clients) c.disconnect();
    await kv.stop();
  });

  s('two workers share the entries, each handled and acknowledged once', async () => {
    const producer = await connect();
    await producer.flushall();
    await producer.xgroup('CREATE', 'jobs', 'workers', '$', 'MKSTREAM');
    const handled = new Map<string, string>();
    let stop = false;
    const work = async (name: string) => {
      const c = await connect();
      while (!stop) {
        const reply = await c.call('XREADGROUP', 'GROUP', 'workers', name, 'COUNT', '4', 'BLOCK', '100', 'STREAMS', 'jobs', '>');
        for (const [, entries] of streamsOf(reply)) {
          for (const [id, fields] of entries) {
            assert.not.ok(handled.has(fields[1]!), `handled twice: ${fields[1]}`);
            handled.set(fields[1]!, name);
            assert.is(await c.xack('jobs', 'workers', id), 1);
          }
        }
      }
    };
    const workers = [work('w1'), work('w2')];
    for (let i = 0; i < 300; i++) await producer.xadd('jobs', '*', 'n', String(i));
    const deadline = Date.now() + 10_000;
    while (handled.size < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    stop = true;
    await Promise.all(workers);
    assert.is(handled.size, 300);
    const pending = (await producer.xpending('jobs', 'workers')) as unknown[];
    assert.equal(pending, [0, null, null, null]);
    assert.is(await producer.xlen('jobs'), 300);
  });

  s('a crashed consumer\'s entries are claimed by a survivor', async () => {
    const r = await connect();
    await r.flushall();
    await r.xgroup('CREATE', 'q', 'g', '0', 'MKSTREAM');
    for (let i = 0; i < 6; i++) await r.xadd('q', `${i + 1}-0`, 'n', String(i));
    const taken = streamsOf(await r.call('XREADGROUP', 'GROUP', 'g', 'crasher', 'STREAMS', 'q', '>'));
    assert.is(taken[0]![1].length, 6);
    await r.xdel('q', '6-0');
    const explicit = (await r.xclaim('q', 'g', 'survivor', 0, '1-0', 'JUSTID')) as string[];
    assert.equal(explicit, ['1-0']);
    const [cursor, claimed, deleted] = (await r.call('XAUTOCLAIM', 'q', 'g', 'survivor', '0', '2-0', 'COUNT', '3')) as [string, Entries, string[]];
    assert.is(cursor, '5-0');
    assert.equal(claimed.map(([id]) => id), ['2-0', '3-0', '4-0']);
    assert.equal(deleted, []);
    const [cursor2, claimed2, deleted2] = (await r.call('XAUTOCLAIM', 'q', 'g', 'survivor', '0', cursor)) as [string, Entries, string[]];
    assert.equal([cursor2, claimed2.map(([id]) => id), deleted2], ['0-0', ['5-0'], ['6-0']]);
    const rows = (await r.xpending('q', 'g', '-', '+', 10)) as Array<[string, string, number, number]>;
    assert.equal(rows.map(([id, owner, , count]) => [id, owner, count]), [
      ['1-0', 'survivor', 1], ['2-0', 'survivor', 2], ['3-0', 'survivor', 2], ['4-0', 'survivor', 2], ['5-0', 'survivor', 2],
    ]);
    assert.is(await r.xack('q', 'g', '1-0', '2-0', '3-0', '4-0', '5-0'), 5);
    assert.is(await r.xgroup('DELCONSUMER', 'q', 'g', 'crasher'), 0);
  });

  s.run();
}

test('redis-py: two worker threads, a crash, XCLAIM and XAUTOCLAIM', async () => {
  const python = requireRedisPy();
  if (!python) return;
  const script = fileURLToPath(new URL('./python/redis_py_stream_workers.py', import.meta.url));
  const kv = await startKv();
  try {
    const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(python, [script, String(kv.port)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, out });
      });
    });
    assert.is(out.trim().split('\n').pop(), 'ok streams', out);
    assert.is(code, 0, out);
  } finally {
    await kv.stop();
  }
});

test.run();
