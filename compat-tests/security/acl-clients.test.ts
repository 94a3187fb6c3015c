/*
 * ACL users through real client libraries: ioredis 5 and 6 (`username`/`password` options, HELLO
 * 3 AUTH in 6), node-redis 5 and redis-py (`username=`/`password=`; skipped as the house rules say
 * when /usr/bin/python3 has no redis module).
 */
import { spawn } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis as Redis5 } from 'ioredis';
import { Redis as Redis6 } from 'ioredis6';
import { createClient } from 'redis';
import { RawClient, requireRedisPy, startKv } from '../harness.js';
import type { RunningServer } from '../../src/server/app.js';

let kv: RunningServer;

test.before(async () => {
  kv = await startKv({ requirepass: 'adminpw' });
  const admin = await RawClient.connect(kv.port);
  await admin.call('AUTH', 'adminpw');
  await admin.call('ACL', 'SETUSER', 'app', 'on', '>apppw', '~app:*', '&app:*', '+@all', '-@dangerous');
  admin.close();
});
test.after(async () => {
  await kv.stop();
});

type Ctor = new (opts: Record<string, unknown>) => Redis5;
for (const [label, Redis] of [['ioredis 5', Redis5 as unknown as Ctor], ['ioredis 6 (HELLO 3 AUTH)', Redis6 as unknown as Ctor]] as const) {
  test(`${label}: a user logs in with username/password and is held to its key patterns`, async () => {
    const r = new Redis({ port: kv.port, username: 'app', password: 'apppw', lazyConnect: true, maxRetriesPerRequest: 0 });
    await r.connect();
    try {
      assert.is(await r.call('ACL', 'WHOAMI'), 'app');
      assert.is(await r.set('app:1', 'v'), 'OK');
      assert.is(await r.get('app:1'), 'v');
      await r.get('other').then(
        () => assert.unreachable('read another tenant key'),
        (e: Error) => assert.is(e.message, 'NOPERM this user has no permissions to access one of the keys used as arguments'),
      );
      await r.flushall().then(
        () => assert.unreachable('ran FLUSHALL'),
        (e: Error) => assert.match(e.message, /^NOPERM this user has no permissions to run the 'flushall' command/),
      );
    } finally {
      r.disconnect();
    }
  });

  test(`${label}: a wrong password fails the connection with WRONGPASS`, async () => {
    const r = new Redis({ port: kv.port, username: 'app', password: 'nope', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    let message = '';
    r.on('error', (e: Error) => (message ||= e.message));
    await r.connect().catch((e: Error) => (message ||= e.message));
    assert.match(message, /WRONGPASS invalid username-password pair or user is disabled/);
    r.disconnect();
  });
}

test('node-redis 5: username/password in the URL and options', async () => {
  const c = createClient({ url: `redis://app:apppw@127.0.0.1:${kv.port}` });
  c.on('error', () => {});
  await c.connect();
  try {
    assert.is(await c.sendCommand(['ACL', 'WHOAMI']), 'app');
    assert.is(await c.set('app:n', '1'), 'OK');
    await c.get('other').then(
      () => assert.unreachable('read another tenant key'),
      (e: Error) => assert.match(e.message, /NOPERM/),
    );
  } finally {
    await c.quit().catch(() => {});
  }
});

test('redis-py: username/password, NOPERM and WRONGPASS as exceptions', async () => {
  const python = requireRedisPy();
  if (!python) return;
  const script = `
import redis, sys
r = redis.Redis(port=${kv.port}, username="app", password="apppw")
assert r.acl_whoami() in ("app", b"app")
assert r.set("app:py", "1")
try:
    r.get("other"); raise SystemExit("read another tenant key")
except redis.exceptions.NoPermissionError as e:
    assert "no permissions to access one of the keys" in str(e), str(e)
try:
    redis.Redis(port=${kv.port}, username="app", password="bad").ping(); raise SystemExit("logged in")
except redis.exceptions.ResponseError as e:
    # redis-py 4.3 has no special class for WRONGPASS
    assert "WRONGPASS invalid username-password pair" in str(e), str(e)
print("ok")
`;
  // spawned, not spawnSync: the server runs in this process and must keep answering
  const out = await new Promise<string>((resolve) => {
    const child = spawn(python, ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
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
});

test.run();
