/*
 * Transactions through real client libraries, unmodified: ioredis multi() and watch() (an
 * optimistic-locking retry loop under contention), node-redis multi() (RESP2 and RESP3) with
 * watch, redis-py's default (transactional) pipeline() and transaction() helper; and
 * node-redis's client-side cache, which rests on RESP3 CLIENT TRACKING invalidations.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { requireRedisPy, startKv } from './harness.js';

test('ioredis multi(): queued replies, runtime errors per command, EXECABORT as an error', async () => {
  const kv = await startKv();
  const r = new Redis({ port: kv.port, lazyConnect: true });
  try {
    await r.connect();
    const res = await r.multi().set('k', 'x').incr('k').get('k').exec();
    assert.is(res!.length, 3);
    assert.equal(res![0], [null, 'OK']);
    assert.ok(res![1]![0] instanceof Error && /not an integer/.test(res![1]![0].message));
    assert.equal(res![2], [null, 'x']);
    // a queue-time error aborts: ioredis rejects exec with EXECABORT
    const bad = r.multi();
    bad.set('k', 'y');
    (bad as unknown as { call(...a: string[]): unknown }).call('NOSUCHCOMMAND');
    await bad.exec().then(
      () => assert.unreachable('exec should fail'),
      (e: Error) => assert.match(e.message, /EXECABORT/),
    );
    assert.is(await r.get('k'), 'x');
  } finally {
    r.disconnect();
    await kv.stop();
  }
});

test('ioredis watch(): a concurrent change makes exec answer null; a retry loop ends right', async () => {
  const kv = await startKv();
  const a = new Redis({ port: kv.port, lazyConnect: true });
  const b = new Redis({ port: kv.port, lazyConnect: true });
  try {
    await a.connect();
    await b.connect();
    await a.set('counter', '0');
    await a.watch('counter');
    await b.set('counter', '100');
    assert.is(await a.multi().set('counter', '1').exec(), null);
    assert.is(await a.get('counter'), '100');
    // optimistic increments from two connections, retried until their EXEC succeeds
    const increment = async (r: Redis, times: number): Promise<number> => {
      let retries = 0;
      for (let i = 0; i < times; i++) {
        for (;;) {
          await r.watch('counter');
          const v = Number(await r.get('counter'));
          await new Promise((res) => setImmediate(res));
          const done = await r.multi().set('counter', String(v + 1)).exec();
          if (done !== null) break;
          retries++;
        }
      }
      return retries;
    };
    const [ra, rb] = await Promise.all([increment(a, 50), increment(b, 50)]);
    assert.is(await a.get('counter'), '200');
    assert.ok(ra + rb > 0, 'contention made some transactions retry');
  } finally {
    a.disconnect();
    b.disconnect();
    await kv.stop();
  }
});

for (const resp of [2, 3] as const) {
  test(`node-redis multi() and watch (RESP${resp})`, async () => {
    const kv = await startKv();
    const client = createClient({ url: `redis://127.0.0.1:${kv.port}`, RESP: resp });
    const other = createClient({ url: `redis://127.0.0.1:${kv.port}` });
    try {
      await client.connect();
      await other.connect();
      const res = await client.multi().set('a', '1').incr('a').get('a').exec();
      assert.equal(res, ['OK', 2, '2']);
      await client.watch('a');
      await other.set('a', 'changed');
      const out = await client.multi().set('a', 'mine').exec().then(() => 'committed', (e: Error) => e.constructor.name);
      assert.is(out, 'WatchError');
      assert.is(await other.get('a'), 'changed');
    } finally {
      await client.quit().catch(() => {});
      await other.quit().catch(() => {});
      await kv.stop();
    }
  });
}

test('node-redis client-side cache (RESP3 tracking): hits, then invalidated by another client', async () => {
  const kv = await startKv();
  const cached = createClient({ url: `redis://127.0.0.1:${kv.port}`, RESP: 3, clientSideCache: { ttl: 0, maxEntries: 0 } });
  const other = createClient({ url: `redis://127.0.0.1:${kv.port}` });
  try {
    await cached.connect();
    await other.connect();
    await other.set('k', 'v1');
    assert.is(await cached.get('k'), 'v1');
    assert.is(await cached.get('k'), 'v1');
    const stats = () => (cached as unknown as { clientSideCache: { stats(): { hitCount: number; missCount: number } } }).clientSideCache.stats();
    assert.is(stats().hitCount, 1, 'the second GET came from the cache');
    await other.set('k', 'v2');
    await new Promise((r) => setTimeout(r, 50));
    assert.is(await cached.get('k'), 'v2', 'the invalidation reached the cache');
    assert.is(stats().missCount, 2);
  } finally {
    await cached.quit().catch(() => {});
    await other.quit().catch(() => {});
    await kv.stop();
  }
});

function runPython(py: string, script: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(py, ['-c', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ stdout, stderr });
    });
  });
}

test('redis-py pipeline() (transactional by default) and transaction() with WATCH', async () => {
  const py = requireRedisPy();
  if (!py) return;
  const kv = await startKv();
  try {
    const script = `
import redis, sys
r = redis.Redis(port=int(sys.argv[1]))
other = redis.Redis(port=int(sys.argv[1]))
p = r.pipeline()
p.set('k', 'v').incr('n').incr('n').get('k')
assert p.execute() == [True, 1, 2, b'v']
# a runtime error inside the transaction is that command's result
p = r.pipeline()
p.set('s', 'x').incr('s').get('s')
res = p.execute(raise_on_error=False)
assert res[0] is True and isinstance(res[1], redis.ResponseError) and res[2] == b'x', res
# WATCH: a concurrent change raises WatchError
with r.pipeline() as p:
    p.watch('w')
    other.set('w', 'changed')
    p.multi()
    p.set('w', 'mine')
    try:
        p.execute()
        raise SystemExit('expected WatchError')
    except redis.WatchError:
        pass
assert r.get('w') == b'changed'
# transaction() retries the function until EXEC succeeds
calls = []
def incr(pipe):
    v = int(pipe.get('c') or 0)
    if not calls:
        other.set('c', 10)
    calls.append(v)
    pipe.multi()
    pipe.set('c', v + 1)
r.transaction(incr, 'c')
assert r.get('c') == b'11' and len(calls) == 2, (r.get('c'), calls)
print('ok')
`;
    const out = await runPython(py, script, [String(kv.port)]);
    if (out.stdout.trim() !== 'ok') console.log(out.stderr);
    assert.is(out.stdout.trim(), 'ok');
  } finally {
    await kv.stop();
  }
});

test.run();
