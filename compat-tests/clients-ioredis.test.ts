/*
 * ioredis 5 (RESP2: CLIENT SETINFO, INFO ready check) and ioredis 6 (HELLO 3 first) against
 * kv-server, unmodified. Every connection goes through a recording proxy: the handshake must be
 * the one the library sends to Redis, and no command may be answered with an error unless the
 * test asked for one (a client that only works because it fell back from an error fails).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis as Redis5, ReplyError as ReplyError5 } from 'ioredis';
import { Redis as Redis6, ReplyError as ReplyError6 } from 'ioredis6';
import { RawClient } from './harness.js';
import { BINARY_VALUE, Complaints, LARGE_VALUE, SpyProxy, startTarget, UNICODE_VALUE, type Target } from './clients-spy.js';
import { Err } from '../src/resp/errors.js';

type AnyRedis = Redis5 | Redis6;
type Options = { password?: string; db?: number };
/** Both majors take the same options used here; one constructor type for the loop. */
type RedisClass = new (opts: Record<string, unknown>) => AnyRedis;

for (const [label, Redis, ReplyError, resp3] of [
  ['ioredis 5', Redis5 as unknown as RedisClass, ReplyError5, false],
  ['ioredis 6', Redis6 as unknown as RedisClass, ReplyError6, true],
] as const) {
  const s = suite(label);
  let kv: Target;
  let kvAuth: Target;
  let proxy: SpyProxy;
  let complaints: Complaints;
  const clients: AnyRedis[] = [];

  /** Connects through a fresh proxy and waits for ready; complaints are collected. */
  async function connect(server: Target, opts: Options = {}): Promise<AnyRedis> {
    proxy = await SpyProxy.start(server.port);
    const r: AnyRedis = new Redis({ host: '127.0.0.1', port: proxy.port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, ...opts });
    complaints.watch(r);
    clients.push(r);
    await r.connect();
    assert.is(r.status, 'ready');
    return r;
  }

  s.before(async () => {
    kv = await startTarget();
    kvAuth = await startTarget({ requirepass: 's3cret' });
  });
  s.before.each(() => {
    complaints = new Complaints();
  });
  s.after.each(async () => {
    complaints.restore();
    for (const c of clients.splice(0)) c.disconnect();
    await proxy?.stop();
  });
  s.after(async () => {
    await kv.stop();
    await kvAuth.stop();
  });

  s('handshake: as sent to Redis, no error replies, no warnings', async () => {
    const r = await connect(kv);
    assert.is(await r.ping(), 'PONG');
    const names = proxy.names(0);
    if (resp3) assert.equal(proxy.connections[0]![0], ['hello', '3'], 'HELLO 3 comes first');
    else assert.not.ok(names.includes('hello'), 'ioredis 5 speaks RESP2 without HELLO');
    assert.ok(names.includes('client setinfo'), `CLIENT SETINFO sent: ${names.join(', ')}`);
    assert.ok(names.includes('info'), `INFO ready check sent: ${names.join(', ')}`);
    assert.equal(proxy.errorReplies(), []);
    assert.equal(complaints.messages, []);
  });

  s('strings: unicode, binary, empty and 1 MB values', async () => {
    const r = await connect(kv);
    assert.is(await r.set('u:ключ', UNICODE_VALUE), 'OK');
    assert.is(await r.get('u:ключ'), UNICODE_VALUE);
    await r.set(Buffer.from([0xff, 0x00, 0x01]), BINARY_VALUE);
    assert.ok((await r.getBuffer(Buffer.from([0xff, 0x00, 0x01])))!.equals(BINARY_VALUE));
    await r.set('empty', '');
    assert.is(await r.get('empty'), '');
    assert.is(await r.get('missing'), null);
    await r.set('large', LARGE_VALUE);
    assert.is(await r.get('large'), LARGE_VALUE);
    assert.equal(proxy.errorReplies(), []);
    assert.equal(complaints.messages, []);
  });

  s('pipeline of 200 commands', async () => {
    const r = await connect(kv);
    const p = r.pipeline();
    for (let i = 0; i < 100; i++) p.set(`p:${i}`, `v${i}`);
    for (let i = 0; i < 100; i++) p.get(`p:${i}`);
    const results = (await p.exec())!;
    assert.is(results.length, 200);
    for (let i = 0; i < 100; i++) {
      assert.equal(results[i], [null, 'OK']);
      assert.equal(results[100 + i], [null, `v${i}`]);
    }
    assert.equal(proxy.errorReplies(), []);
  });

  s('SET EX then TTL', async () => {
    const r = await connect(kv);
    assert.is(await r.set('t', 'v', 'EX', 100), 'OK');
    const ttl = await r.ttl('t');
    assert.ok(ttl === 100 || ttl === 99, `ttl ${ttl}`);
    assert.is(await r.ttl('missing'), -2);
  });

  s('INCR, and its error as a ReplyError with Redis\'s text', async () => {
    const r = await connect(kv);
    await r.set('n', '41');
    assert.is(await r.incr('n'), 42);
    await r.set('s', 'abc');
    const err = await r.incr('s').catch((e: unknown) => e);
    assert.instance(err, ReplyError);
    assert.is((err as Error).message, Err.NOT_INTEGER);
  });

  s('errors surface as ReplyError with Redis\'s exact text', async () => {
    const r = await connect(kv);
    const unknown = await r.call('NOSUCHCMD', 'a').catch((e: unknown) => e);
    assert.instance(unknown, ReplyError);
    assert.is((unknown as Error).message, "ERR unknown command 'NOSUCHCMD', with args beginning with: 'a' ");
    const arity = await r.call('GET').catch((e: unknown) => e);
    assert.is((arity as Error).message, "ERR wrong number of arguments for 'get' command");
    const syntax = await r.call('SET', 'k', 'v', 'NX', 'XX').catch((e: unknown) => e);
    assert.is((syntax as Error).message, Err.SYNTAX);
    // the connection is still usable
    assert.is(await r.ping(), 'PONG');
  });

  s('password: connects with requirepass, no error replies', async () => {
    const r = await connect(kvAuth, { password: 's3cret' });
    const first = proxy.connections[0]![0]!;
    if (resp3) assert.equal(first, ['hello', '3', 'AUTH', 'default', 's3cret']);
    else assert.equal(first, ['auth', 's3cret']);
    await r.set('k', 'v');
    assert.is(await r.get('k'), 'v');
    assert.equal(proxy.errorReplies(), []);
    assert.equal(complaints.messages, []);
  });

  s('password: a wrong one is refused with WRONGPASS', async () => {
    proxy = await SpyProxy.start(kvAuth.port);
    const r: AnyRedis = new Redis({ host: '127.0.0.1', port: proxy.port, password: 'nope', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    clients.push(r);
    const seen: string[] = [];
    r.on('error', (e: Error) => seen.push(e.message));
    await r.connect().catch((e: Error) => seen.push(e.message));
    await new Promise((res) => setTimeout(res, 100));
    assert.ok(seen.some((m) => m.includes(Err.WRONGPASS)), JSON.stringify(seen));
  });

  s('password: AUTH to a server without one is only a warning, with Redis\'s text', async () => {
    const r = await connect(kv, { password: 'unneeded' });
    assert.is(await r.ping(), 'PONG');
    if (resp3) {
      // HELLO 3 AUTH default <any>: the default user has no password, so Redis accepts it
      assert.equal(proxy.errorReplies(), []);
      assert.equal(complaints.messages, []);
    } else {
      // ioredis 5 sends AUTH; it recognizes Redis's exact text and only warns
      assert.equal(proxy.errorReplies(), [`auth unneeded -> -${Err.AUTH_NO_PASSWORD}`]);
      assert.equal(complaints.messages, ["console.warn: [WARN] This Redis server's `default` user does not require a password, but a password was supplied"]);
    }
  });

  s('db: 1 selects database 1', async () => {
    const r = await connect(kv, { db: 1 });
    assert.ok(proxy.names(0).includes('select'));
    await r.set('where', 'db1');
    assert.is(await r.get('where'), 'db1');
    const raw = await RawClient.connect(kv.port);
    try {
      assert.is(await raw.call('GET', 'where'), '$-1\r\n');
      assert.is(await raw.call('SELECT', '1'), '+OK\r\n');
      assert.is(await raw.call('GET', 'where'), '$3\r\ndb1\r\n');
    } finally {
      raw.close();
    }
    assert.equal(proxy.errorReplies(), []);
    assert.equal(complaints.messages, []);
  });

  s.run();
}
