/*
 * A job queue as people write it with ioredis (5, RESP2; and 6, RESP3): producers LPUSH jobs,
 * workers wait with BRPOP on their own connections, move work to a processing list with BLMOVE
 * and acknowledge with LREM. Every job must be handled exactly once, in order per worker, and the
 * lists must end empty (deleted).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis as Redis5 } from 'ioredis';
import { Redis as Redis6 } from 'ioredis6';
import type { RunningServer } from '../src/server/app.js';
import { startKv } from './harness.js';

type AnyRedis = Redis5 | Redis6;
type RedisClass = new (opts: Record<string, unknown>) => AnyRedis;

for (const [label, Redis] of [
  ['ioredis 5', Redis5 as unknown as RedisClass],
  ['ioredis 6', Redis6 as unknown as RedisClass],
] as const) {
  const s = suite(`${label}: a list queue with blocking workers`);
  let kv: RunningServer;
  const clients: AnyRedis[] = [];
  const connect = async (): Promise<AnyRedis> => {
    const r = new Redis({ host: '127.0.0.1', port: kv.port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    clients.push(r);
    await r.connect();
    return r;
  };

  s.before(async () => {
    kv = await startKv();
  });
  s.after(async () => {
    for (const c of clients) c.disconnect();
    await kv.stop();
  });

  s('BRPOP workers share the jobs, each exactly once', async () => {
    const producer = await connect();
    await producer.flushall();
    const workers = await Promise.all([connect(), connect(), connect()]);
    const handled: string[][] = workers.map(() => []);
    const JOBS = 300;
    let done = 0;
    const loops = workers.map(async (w, i) => {
      for (;;) {
        const got = await w.brpop('jobs', 'urgent', 5);
        assert.ok(got !== null, 'a worker timed out while jobs were pending');
        const [list, job] = got!;
        if (job === 'stop') return;
        assert.ok(list === 'jobs' || list === 'urgent');
        handled[i]!.push(job);
        done++;
      }
    });
    // give the workers time to block, then produce in bursts
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < JOBS; i += 30) {
      await producer.lpush('jobs', ...Array.from({ length: 30 }, (_, j) => `job-${i + j}`));
      await new Promise((r) => setTimeout(r, 2));
    }
    while (done < JOBS) await new Promise((r) => setTimeout(r, 10));
    await producer.lpush('urgent', 'stop', 'stop', 'stop');
    await Promise.all(loops);
    const all = handled.flat().sort();
    assert.is(all.length, JOBS);
    assert.is(new Set(all).size, JOBS);
    // each worker got its jobs in queue order
    for (const jobs of handled) {
      const numbers = jobs.map((j) => Number(j.slice(4)));
      assert.equal(numbers, [...numbers].sort((a, b) => a - b));
    }
    assert.is(await producer.exists('jobs', 'urgent'), 0);
  });

  s('reliable queue: BLMOVE to a processing list, LREM to acknowledge', async () => {
    const producer = await connect();
    const worker = await connect();
    await producer.flushall();
    const pending = worker.blmove('tasks', 'processing', 'RIGHT', 'LEFT', 2);
    await new Promise((r) => setTimeout(r, 30));
    await producer.lpush('tasks', 't1', 't2');
    assert.is(await pending, 't1');
    assert.equal(await producer.lrange('processing', 0, -1), ['t1']);
    assert.is(await worker.lrem('processing', 1, 't1'), 1);
    assert.is(await worker.blmove('tasks', 'processing', 'RIGHT', 'LEFT', 1), 't2');
    assert.is(await worker.lmove('processing', 'tasks', 'LEFT', 'RIGHT'), 't2');
    assert.equal(await worker.lrange('tasks', 0, -1), ['t2']);
    assert.is(await worker.blmove('empty', 'processing', 'RIGHT', 'LEFT', 0.05), null);
    assert.equal(await worker.blpop('empty', 0.05), null);
    assert.equal(await worker.lmpop(1, 'tasks', 'LEFT', 'COUNT', 5), ['tasks', ['t2']]);
    assert.equal(await worker.lpos('nothing', 'x'), null);
  });

  s.run();
}
