/*
 * The TypeScript client (`kv-server/client`) against a real kv-server: typed calls, pipelining
 * and batches, timeouts, reconnect after a server restart, auth and namespaces from the URL, the
 * pool's statistics and eviction, and locks (KV.LOCK).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, createPool, ConnectionError, Decimal, ErrorCode, Float, KvError, LockError, TimeoutError, type KvClient } from '../src/client/index.js';
import type { RunningServer } from '../src/server/app.js';
import { startServer } from '../src/index.js';
import { freePort, RawClient, startKv, startKvWithBinPort } from './harness.js';

let kv: RunningServer;
let url: string;
let c: KvClient;

test.before(async () => {
  kv = await startKvWithBinPort();
  url = `kv://127.0.0.1:${kv.binPort}`;
  c = await connect(url);
});
test.after(async () => {
  await c.close();
  await kv.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('get/set/delete/exists/incr/decr/mget/mset/expire/ttl', async () => {
  assert.is(await c.set('c:a', Buffer.from([0, 255])), true);
  assert.equal(await c.get('c:a'), Buffer.from([0, 255]));
  assert.is(await c.get('c:none'), null);
  assert.is(await c.set('c:a', 'x', { nx: true }), false);
  assert.is(await c.set('c:none2', 'x', { xx: true }), false);
  assert.is(await c.exists('c:a', 'c:none'), 1);
  assert.is(await c.incr('c:n'), 1);
  assert.is(await c.incr('c:n', 10), 11);
  assert.is(await c.decr('c:n'), 10);
  assert.is(await c.decr('c:n', 20), -10);
  await c.mset({ 'c:x': 'one', 'c:y': 2 });
  await c.mset([['c:z', Buffer.from('three')]]);
  assert.equal(await c.mget(['c:x', 'c:y', 'c:z', 'c:none']), [Buffer.from('one'), Buffer.from('2'), Buffer.from('three'), null]);
  assert.is(await c.ttl('c:x'), -1);
  assert.is(await c.expire('c:x', 60_000), true);
  assert.is(await c.expire('c:none', 60_000), false);
  const ttl = await c.ttl('c:x');
  assert.ok(ttl > 59_000 && ttl <= 60_000);
  assert.is(await c.set('c:px', 'v', { px: 5000 }), true);
  assert.ok((await c.ttl('c:px')) > 4000);
  assert.is(await c.delete('c:x', 'c:y', 'c:none'), 2);
  assert.is(await c.ttl('c:none'), -2);
  assert.is(await c.ping(), 'PONG');
});

test('typed values read back with the type they were written with (KV.SETT/KV.GETT)', async () => {
  const cases: Array<[string, unknown, unknown]> = [
    ['t:int', 42, 42],
    ['t:big', 2n ** 62n, 2n ** 62n],
    ['t:float', 0.25, 0.25],
    ['t:float2', new Float(2), 2],
    // decimals read back in canonical form (no trailing zeros)
    ['t:dec', new Decimal('0.30'), new Decimal('0.3')],
    ['t:str', 'héllo', 'héllo'],
    ['t:bytes', Buffer.from([1, 2, 255]), Buffer.from([1, 2, 255])],
  ];
  for (const [k, v, expected] of cases) {
    await c.set(k, v as never);
    assert.equal(await c.get(k), expected, k);
  }
  // NX/XX go through SET, which stores Bytes (KV.SETT has no NX)
  assert.is(await c.set('t:int', 1, { nx: true }), false);
  assert.is(await c.set('t:nx', 'fresh', { nx: true }), true);
  assert.equal(await c.get('t:nx'), Buffer.from('fresh'));
  // RESP sees text: INCR works on an Int set here
  const resp = await RawClient.connect(kv.port);
  assert.is(await resp.call('INCR', 't:int'), ':43\r\n');
  resp.socket.destroy();
  const utf8 = await connect(url, { bytes: 'utf8' });
  assert.is(await utf8.get('t:str'), 'héllo');
  await utf8.close();
});

test('command(): any row, typed replies; errors reject with KvError and their code', async () => {
  assert.is(await c.command('HSET', 'h:1', 'f', 'v'), 1);
  assert.equal(await c.command('HGETALL', 'h:1'), new Map([['f', Buffer.from('v')]]));
  assert.is(await c.command('ZADD', 'z:1', 1.5, 'm'), 1);
  assert.is(await c.command('ZSCORE', 'z:1', 'm'), 1.5);
  const err = await c.command('GET', 'h:1').catch((e: unknown) => e);
  assert.ok(err instanceof KvError);
  assert.is((err as KvError).code, ErrorCode.WRONGTYPE);
  assert.match((err as KvError).message, /^WRONGTYPE /);
});

test('pipelining: thousands of requests in flight resolve to their own replies', async () => {
  const n = 5000;
  const sets = [];
  for (let i = 0; i < n; i++) sets.push(c.set(`p:${i}`, `v${i}`));
  await Promise.all(sets);
  const gets = [];
  for (let i = 0; i < n; i++) gets.push(c.get(`p:${i}`));
  const values = await Promise.all(gets);
  for (let i = 0; i < n; i++) assert.is(values[i], `v${i}`);
  assert.is(c.inFlight, 0);
});

test('batch(): written at once, replies in order, a failed command as its KvError', async () => {
  await c.delete('b:l');
  const b = c.batch().set('b:k', 'v').get('b:k').command('LPUSH', 'b:k', 'x').incr('b:n').mget(['b:k', 'b:none']);
  assert.is(b.length, 5);
  const r = await b.exec();
  assert.is(r[0], true);
  assert.is(r[1], 'v');
  assert.ok(r[2] instanceof KvError && r[2].code === ErrorCode.WRONGTYPE);
  assert.is(r[3], 1);
  assert.equal(r[4], [Buffer.from('v'), null]);
});

test('per-request timeouts reject with TimeoutError; the connection carries on', async () => {
  const started = Date.now();
  const e = await c.commandWith({ timeoutMs: 100 }, 'BLPOP', 'to:q', '0.4').catch((x: unknown) => x);
  assert.ok(e instanceof TimeoutError, String(e));
  const took = Date.now() - started;
  assert.ok(took >= 90 && took < 2000, `took ${took}`);
  // replies are in request order: the PING answers once the BLPOP has timed out on the server
  assert.is(await c.ping(), 'PONG');
  const quick = await connect(url, { timeoutMs: 50 });
  const e2 = await quick.command('BLPOP', 'to:q2', '0.3').catch((x: unknown) => x);
  assert.ok(e2 instanceof TimeoutError);
  await quick.close();
});

test('reconnects with backoff after a server restart; requests issued meanwhile succeed', async () => {
  const port = await freePort();
  let server = await startKv({ 'bin-port': String(port) });
  const r = await connect(`kv://127.0.0.1:${port}`, { reconnect: { minDelayMs: 20, maxDelayMs: 100 } });
  let reconnecting = 0;
  r.on('reconnecting', () => reconnecting++);
  assert.is(await r.set('rc:k', 'v1'), true);
  await server.stop();
  await sleep(50);
  // issued while the server is down: waits for the new connection
  const later = r.set('rc:k', 'v2');
  await sleep(150);
  server = await startKv({ 'bin-port': String(port) });
  assert.is(await later, true);
  assert.is(await r.get('rc:k'), 'v2');
  assert.is(reconnecting, 1);
  await r.close();
  await server.stop();
});

test('without reconnect, a lost connection fails requests with ConnectionError', async () => {
  const port = await freePort();
  const server = await startKv({ 'bin-port': String(port) });
  const r = await connect(`kv://127.0.0.1:${port}`, { reconnect: false });
  const blocked = r.command('BLPOP', 'gone:q', '0');
  await sleep(30);
  await server.stop();
  const e = await blocked.catch((x: unknown) => x);
  assert.ok(e instanceof ConnectionError, String(e));
  assert.ok((await r.ping().catch((x: unknown) => x)) instanceof ConnectionError);
  // nothing listening: connect() rejects
  assert.ok((await connect(`kv://127.0.0.1:${port}`).catch((x: unknown) => x)) instanceof ConnectionError);
});

test('credentials from the URL; wrong ones reject connect() with WRONGPASS', async () => {
  const port = await freePort();
  const server = await startKv({ 'bin-port': String(port), requirepass: 's3cret' });
  const ok = await connect(`kv://default:s3cret@127.0.0.1:${port}`);
  assert.is(await ok.set('auth:k', 'v'), true);
  await ok.close();
  const e = await connect(`kv://default:nope@127.0.0.1:${port}`).catch((x: unknown) => x);
  assert.ok(e instanceof KvError && e.code === ErrorCode.WRONGPASS, String(e));
  const anon = await connect(`kv://127.0.0.1:${port}`);
  const noauth = await anon.get('auth:k').catch((x: unknown) => x);
  assert.ok(noauth instanceof KvError && noauth.code === ErrorCode.NOAUTH);
  await anon.close();
  await server.stop();
});

test('namespace from the URL path', async () => {
  const t1 = await connect(`${url}/tenant1`);
  await t1.set('ns:k', 'in-tenant1');
  assert.is(await t1.get('ns:k'), 'in-tenant1');
  assert.equal(await t1.command('KV.NS', 'CURRENT'), Buffer.from('tenant1'));
  assert.is(await c.get('ns:k'), null);
  await t1.close();
});

test('cas', async () => {
  await c.command('SET', 'cas:k', 'a');
  assert.is(await c.cas('cas:k', 'a', 'b'), true);
  assert.is(await c.cas('cas:k', 'a', 'c'), false);
  assert.equal(await c.get('cas:k'), Buffer.from('b'));
});

test('pool: min/max, stats, acquire timeout, health check, idle eviction', async () => {
  const pool = createPool(url, { min: 2, max: 3, acquireTimeoutMs: 150, idleTimeoutMs: 100, evictionIntervalMs: 50 });
  for (let i = 0; i < 300 && pool.stats().idle < 2; i++) await sleep(10);
  assert.equal(pool.stats(), { idle: 2, active: 0, waiting: 0, size: 2, min: 2, max: 3 });
  const a = await pool.acquire();
  const b = await pool.acquire();
  const d = await pool.acquire();
  assert.is(pool.stats().active, 3);
  const waiting = pool.acquire();
  await sleep(20);
  assert.is(pool.stats().waiting, 1);
  assert.ok((await waiting.catch((x: unknown) => x)) instanceof Error);
  // a connection the server closed fails its health check and is replaced
  const victimId = (await b.command('CLIENT', 'ID')) as number;
  await pool.release(a);
  await pool.release(d);
  await c.command('CLIENT', 'KILL', 'ID', victimId);
  await sleep(20);
  await pool.release(b);
  const ids = new Set<number>();
  const held = [await pool.acquire(), await pool.acquire(), await pool.acquire()];
  for (const h of held) ids.add((await h.command('CLIENT', 'ID')) as number);
  assert.not.ok(ids.has(victimId));
  assert.is(ids.size, 3);
  for (const h of held) await pool.release(h);
  // use() releases after the callback
  assert.is(await pool.use((x) => x.ping()), 'PONG');
  assert.is(pool.stats().active, 0);
  // idle connections above min are evicted
  for (let i = 0; i < 300 && pool.stats().size > 2; i++) await sleep(10);
  assert.is(pool.stats().size, 2);
  await pool.close();
  assert.is(pool.stats().size, 0);
});

test('lock(): fencing token, renewal while held, release on dispose', async () => {
  const other = await connect(url);
  let token1: number | bigint;
  {
    await using lock = await c.lock('lk:1', { ttlMs: 1000, renewEveryMs: 100 });
    token1 = lock.token;
    assert.ok(typeof lock.token === 'number' || typeof lock.token === 'bigint');
    // held: another owner cannot take it
    assert.ok((await other.lock('lk:1', { ttlMs: 300 }).catch((x: unknown) => x)) instanceof LockError);
    // renewed past its TTL
    await sleep(1300);
    assert.ok(lock.renewals >= 1);
    assert.not.ok(lock.lost);
    assert.ok((await c.ttl('lk:1')) > 0);
    assert.equal(await c.get('lk:1'), Buffer.from(lock.owner));
  }
  // released when the scope ended
  assert.is(await c.exists('lk:1'), 0);
  const second = await other.lock('lk:1', { ttlMs: 1000, waitMs: 100 });
  assert.ok(second.token > token1);
  // a waiter gets it when the holder releases
  const waiting = c.lock('lk:1', { ttlMs: 1000, waitMs: 2000 });
  await sleep(50);
  assert.is(await second.release(), true);
  const third = await waiting;
  assert.ok(third.token > second.token);
  await third.release();
  await other.close();
});

test('embedding: startServer({ binPort }) reports it; the client connects to it', async () => {
  const port = await freePort();
  const server = await startServer({ binPort: port, requirepass: 'pw' });
  assert.is(server.binPort, port);
  const e = await connect(`kv://:pw@${server.host}:${server.binPort}`);
  assert.is(await e.set('emb:k', 1), true);
  await e.close();
  await server.close();
  const off = await startServer();
  assert.is(off.binPort, 0);
  await off.close();
});

test('a lock holder notices a takeover; a waiting lock uses a connection of its own', async () => {
  const server = await startKvWithBinPort();
  const s = await connect(`kv://127.0.0.1:${server.binPort}`);
  try {
    // a holder whose lock was taken over notices at its next renewal
    let lostCalled = false;
    const lost = await s.lock('st:lock2', { ttlMs: 1000, renewEveryMs: 30, onLost: () => (lostCalled = true) });
    assert.ok(typeof lost.token === 'number' || typeof lost.token === 'bigint');
    await s.command('SET', 'st:lock2', 'intruder');
    await sleep(100);
    assert.ok(lost.lost && lostCalled);
    assert.is(await lost.release(), false);
    // with waitMs the KV.LOCK runs on a connection of its own, closed afterwards
    const before = ((await s.command('CLIENT', 'LIST')) as string).trim().split('\n').length;
    assert.ok((await s.lock('st:lock2', { ttlMs: 100, waitMs: 50 }).catch((x: unknown) => x)) instanceof LockError);
    await sleep(50);
    assert.is(((await s.command('CLIENT', 'LIST')) as string).trim().split('\n').length, before);
  } finally {
    await s.close();
    await server.stop();
  }
});

test.run();
