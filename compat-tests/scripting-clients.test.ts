/*
 * Real libraries that ship Lua, unmodified, against kv-server: ioredis 5 and 6 `defineCommand`
 * (EVALSHA, falling back to EVAL on NOSCRIPT) and redis-py's `Lock` (acquire, extend, reacquire,
 * release: Lua scripts through register_script) and `register_script`.
 */
import { spawn } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis as Redis5 } from 'ioredis';
import { Redis as Redis6 } from 'ioredis6';
import { requireRedisPy, startKv } from './harness.js';

type Scripted = {
  defineCommand(name: string, def: { numberOfKeys: number; lua: string }): void;
  quit(): Promise<unknown>;
  script(...args: string[]): Promise<unknown>;
  get(key: string): Promise<string | null>;
  [cmd: string]: unknown;
};

for (const [label, Redis] of [
  ['ioredis 5', Redis5],
  ['ioredis 6', Redis6],
] as const) {
  test(`${label}: defineCommand runs through EVALSHA (and EVAL after SCRIPT FLUSH)`, async () => {
    const kv = await startKv();
    const r = new (Redis as unknown as new (o: object) => Scripted)({ port: kv.port, lazyConnect: false, maxRetriesPerRequest: 1 });
    try {
      r.defineCommand('setAndIncr', {
        numberOfKeys: 2,
        lua: "redis.call('set', KEYS[1], ARGV[1]) return {redis.call('incrby', KEYS[2], ARGV[2]), redis.call('get', KEYS[1])}",
      });
      r.defineCommand('echoAll', { numberOfKeys: 0, lua: 'return ARGV' });
      const call = (name: string, ...args: unknown[]) => (r[name] as (...a: unknown[]) => Promise<unknown>)(...args);
      assert.equal(await call('setAndIncr', 'k', 'n', 'v1', 5), [5, 'v1']);
      assert.equal(await call('setAndIncr', 'k', 'n', 'v2', 5), [10, 'v2']);
      await r.script('FLUSH');
      assert.equal(await call('setAndIncr', 'k', 'n', 'v3', 1), [11, 'v3']);
      assert.equal(await call('echoAll', 'a', 'b', 'c'), ['a', 'b', 'c']);
      // many in a pipeline, as job queues send them
      const many = await Promise.all(Array.from({ length: 50 }, (_, i) => call('setAndIncr', `k${i}`, 'total', String(i), 1)));
      assert.equal((many as number[][]).map((x) => x[0]).sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i + 1));
      assert.is(await r.get('k49'), '49');
    } finally {
      await r.quit();
      await kv.stop();
    }
  });
}

const LOCK_CHECK = `
import sys, time, redis
from redis.exceptions import LockError, LockNotOwnedError
r = redis.Redis(port=int(sys.argv[1]))
lock = r.lock('resource', timeout=10)
assert lock.acquire(blocking=False)
assert r.pttl('resource') > 9000
other = r.lock('resource', timeout=10)
assert not other.acquire(blocking=False)
assert lock.owned() and lock.locked()
assert lock.extend(20)
assert r.pttl('resource') > 25000, r.pttl('resource')
assert lock.extend(5, replace_ttl=True)
assert r.pttl('resource') <= 5000
assert lock.reacquire()
assert r.pttl('resource') > 9000
r.set('resource', 'someone else')
try:
    lock.release()
    raise SystemExit('released a lock it did not own')
except LockNotOwnedError:
    pass
r.delete('resource')
assert lock.acquire(blocking=False)
lock.release()
assert not lock.locked()
try:
    lock.release()
    raise SystemExit('released twice')
except LockError:
    pass
with r.lock('ctx', timeout=5, blocking_timeout=1) as held:
    assert r.exists('ctx') == 1
assert r.exists('ctx') == 0
add = r.register_script("return redis.call('incrby', KEYS[1], ARGV[1])")
assert add(keys=['cnt'], args=[3]) == 3
r.script_flush()
assert add(keys=['cnt'], args=[4]) == 7
print('ok lock')
`;

test('redis-py: Lock acquire, extend, reacquire, release and register_script', async () => {
  const python = requireRedisPy();
  if (!python) return;
  const kv = await startKv();
  try {
    const out = await new Promise<string>((resolve) => {
      const child = spawn(python, ['-W', 'error', '-c', LOCK_CHECK, String(kv.port)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.stderr.on('data', (d) => (text += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('close', () => {
        clearTimeout(timer);
        resolve(text);
      });
    });
    assert.ok(out.includes('ok lock'), out);
  } finally {
    await kv.stop();
  }
});

test.run();
