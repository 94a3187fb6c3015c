/*
 * Namespaces over real sockets: keyspace notifications on `__keyspace@ns_<name>__:`, blocking
 * pops that only the namespace's own pushes wake, scripts that run in the caller's namespace (and
 * cannot leave it when the caller is bound), MONITOR's label, and unmodified clients (ioredis,
 * redis-py) switching with KV.NS USE. In-process isolation tests: src/commands/namespaces.test.ts.
 */
import { spawn } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis } from 'ioredis';
import { enterNamespace } from '../src/commands/namespaces.js';
import { RawClient, decodeReply, requireRedisPy, startKv } from './harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('keyspace notifications name the namespace: __keyspace@ns_<name>__ / __keyevent@ns_<name>__', async () => {
  const kv = await startKv({ 'notify-keyspace-events': 'KEA' });
  try {
    const sub = await RawClient.connect(kv.port);
    await sub.call('PSUBSCRIBE', '__key*@*__:*');
    const c = await RawClient.connect(kv.port);
    await c.call('KV.NS', 'USE', 't1');
    await c.call('SET', 'k', 'v');
    await c.call('MOVE', 'k', '3');
    await c.call('SET', 'gone', 'v', 'PX', '1');
    await sleep(20);
    await c.call('GET', 'gone'); // lazy expiry
    const got: string[] = [];
    for (let i = 0; i < 10; i++) {
      const m = decodeReply(await sub.readReply()) as string[];
      got.push(`${m[2]} ${m[3]}`);
    }
    assert.equal(got, [
      '__keyspace@ns_t1__:k set',
      '__keyevent@ns_t1__:set k',
      '__keyspace@ns_t1__:k move_from',
      '__keyevent@ns_t1__:move_from k',
      '__keyspace@3__:k move_to',
      '__keyevent@3__:move_to k',
      '__keyspace@ns_t1__:gone set',
      '__keyevent@ns_t1__:set gone',
      '__keyspace@ns_t1__:gone expire',
      '__keyevent@ns_t1__:expire gone',
    ]);
    const expired = decodeReply(await sub.readReply()) as string[];
    assert.equal(expired.slice(2), ['__keyspace@ns_t1__:gone', 'expired']);
    sub.close();
    c.close();
  } finally {
    await kv.stop();
  }
});

test('a blocking pop in a namespace is woken only by a push to the same namespace', async () => {
  const kv = await startKv();
  try {
    const waiter = await RawClient.connect(kv.port);
    await waiter.call('KV.NS', 'USE', 'jobs');
    waiter.write('*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n5\r\n');
    const db0 = await RawClient.connect(kv.port);
    const other = await RawClient.connect(kv.port);
    await other.call('KV.NS', 'USE', 'other');
    const same = await RawClient.connect(kv.port);
    await same.call('KV.NS', 'USE', 'jobs');
    await sleep(20);
    assert.is(await db0.call('LPUSH', 'q', 'from-db0'), ':1\r\n');
    assert.is(await other.call('LPUSH', 'q', 'from-other'), ':1\r\n');
    const early = await waiter.readReply(150).then((r) => r, () => 'still blocked');
    assert.is(early, 'still blocked');
    assert.is(await same.call('LPUSH', 'q', 'mine'), ':1\r\n');
    assert.equal(decodeReply(await waiter.readReply()), ['q', 'mine']);
    assert.is(await db0.call('LLEN', 'q'), ':1\r\n');
    assert.is(await other.call('LLEN', 'q'), ':1\r\n');
    assert.is(await same.call('EXISTS', 'q'), ':0\r\n');
    for (const x of [waiter, db0, other, same]) x.close();
  } finally {
    await kv.stop();
  }
});

test("scripts run in the caller's namespace; a bound caller's script cannot SELECT out", async () => {
  const kv = await startKv();
  kv.context.commandTable.add([
    // stands for the ACL glue: authentication as a user bound to namespace 'tenant'
    { name: 'kvbindfortest', arity: 2, flags: '', categories: '', handler: (c, argv) => { enterNamespace(c, argv[1]!, true); c.reply.ok(); } },
  ]);
  try {
    const c = await RawClient.connect(kv.port);
    await c.call('SET', 'k', 'db0');
    await c.call('KV.NS', 'USE', 'tenant');
    await c.call('SET', 'k', 'tenant');
    assert.is(await c.call('EVAL', "return redis.call('GET', KEYS[1])", '1', 'k'), '$6\r\ntenant\r\n');
    assert.is(await c.call('EVAL', "redis.call('SET', 'written', 'by-script') return redis.call('DBSIZE')", '0'), ':2\r\n');
    // an unbound caller's script may SELECT, and the caller stays where it was
    assert.is(await c.call('EVAL', "redis.call('SELECT', 0) return redis.call('GET', 'k')", '0'), '$3\r\ndb0\r\n');
    assert.is(await c.call('KV.NS', 'CURRENT'), '$6\r\ntenant\r\n');
    assert.is(await c.call('GET', 'k'), '$6\r\ntenant\r\n');
    // FUNCTION / FCALL run there too
    await c.call('FUNCTION', 'LOAD', "#!lua name=nslib\nredis.register_function('nsget', function(keys) return redis.call('GET', keys[1]) end)");
    assert.is(await c.call('FCALL', 'nsget', '1', 'k'), '$6\r\ntenant\r\n');
    const bound = await RawClient.connect(kv.port);
    assert.is(await bound.call('KVBINDFORTEST', 'tenant'), '+OK\r\n');
    const denied = await bound.call('EVAL', "return redis.call('SELECT', 0)", '0');
    assert.ok(denied.startsWith("-NOPERM this user is bound to namespace 'tenant'"), denied);
    const viaPcall = await bound.call('EVAL', "local ok = redis.pcall('SELECT', 0) return redis.call('GET', 'k')", '0');
    assert.is(viaPcall, '$6\r\ntenant\r\n');
    // and the unbound client's next script is not bound by it
    assert.is(await c.call('EVAL', "redis.call('SELECT', 0) return redis.call('GET', 'k')", '0'), '$3\r\ndb0\r\n');
    c.close();
    bound.close();
  } finally {
    await kv.stop();
  }
});

test("MONITOR shows the namespace as Redis shows the database number", async () => {
  const kv = await startKv();
  try {
    const mon = await RawClient.connect(kv.port);
    assert.is(await mon.call('MONITOR'), '+OK\r\n');
    const c = await RawClient.connect(kv.port);
    await c.call('KV.NS', 'USE', 'seen');
    await c.call('GET', 'x');
    const first = await mon.readReply();
    const second = await mon.readReply();
    // as Redis, the line shows the database the command left selected
    assert.match(first, /\[ns_seen 127\.0\.0\.1:\d+\] "KV\.NS" "USE" "seen"/);
    assert.match(second, /\[ns_seen 127\.0\.0\.1:\d+\] "GET" "x"/);
    mon.close();
    c.close();
  } finally {
    await kv.stop();
  }
});

test('ioredis: KV.NS through call(), keys isolated, INFO keyspace lines', async () => {
  const kv = await startKv();
  const a = new Redis({ port: kv.port, lazyConnect: true });
  const b = new Redis({ port: kv.port, lazyConnect: true });
  try {
    await a.connect();
    await b.connect();
    assert.is(await a.call('KV.NS', 'USE', 'tenant1'), 'OK');
    await a.set('user:1', 'alice', 'EX', 100);
    await b.set('user:1', 'db0');
    assert.is(await a.get('user:1'), 'alice');
    assert.is(await b.get('user:1'), 'db0');
    assert.is(await a.dbsize(), 1);
    assert.equal(await a.call('KV.NS', 'LIST'), ['tenant1']);
    assert.is(await a.call('KV.NS', 'CURRENT'), 'tenant1');
    assert.is(await b.call('KV.NS', 'CURRENT'), null);
    const info = await b.info('keyspace');
    assert.match(info, /db0:keys=1,expires=0,avg_ttl=0/);
    assert.match(info, /ns_tenant1:keys=1,expires=1,avg_ttl=\d+/);
    assert.is(await b.call('KV.NS', 'DROP', 'tenant1'), 1);
    assert.is(await a.get('user:1'), null);
    assert.is(await a.select(0), 'OK');
    assert.is(await a.get('user:1'), 'db0');
  } finally {
    a.disconnect();
    b.disconnect();
    await kv.stop();
  }
});

const PY = `
import sys, redis
port = int(sys.argv[1])
a = redis.Redis(host="127.0.0.1", port=port, decode_responses=True, single_connection_client=True)
b = redis.Redis(host="127.0.0.1", port=port, decode_responses=True)
assert a.execute_command("KV.NS", "USE", "py") == "OK"
a.set("k", "ns", px=100000)
b.set("k", "db0")
assert a.get("k") == "ns", a.get("k")
assert b.get("k") == "db0"
assert a.execute_command("KV.NS", "CURRENT") == "py"
assert a.dbsize() == 1 and b.dbsize() == 1
assert [k for k in a.scan_iter("*")] == ["k"]
assert "ns_py" in a.info("keyspace"), a.info("keyspace")
assert a.info("keyspace")["ns_py"]["keys"] == 1
assert a.execute_command("KV.NS", "DROP", "py") == 1
assert a.get("k") is None
print("ok")
`;

test('redis-py: KV.NS through execute_command, INFO keyspace parsed by redis-py', async () => {
  const python = requireRedisPy();
  if (!python) return;
  const kv = await startKv();
  try {
    const out = await new Promise<string>((resolve) => {
      const child = spawn(python, ['-c', PY, String(kv.port)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.stderr.on('data', (d) => (text += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('close', () => {
        clearTimeout(timer);
        resolve(text);
      });
    });
    assert.is(out.trim(), 'ok', out);
  } finally {
    await kv.stop();
  }
});

test.run();
