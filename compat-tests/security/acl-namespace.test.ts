/*
 * ACL users bound to a namespace (the `namespace=<name>` rule, kv-server's own): a client that
 * authenticates as such a user lands in the namespace and cannot leave it, with unmodified
 * clients (a redis:// URL with ioredis; redis-py's username/password).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { RawClient, startKv } from '../harness.js';

/** The message a rejected promise carries ('' when it resolved). */
async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

test('a tenant user lands in its namespace and cannot reach another tenant or a numbered database', async () => {
  const kv = await startKv();
  const admin = await RawClient.connect(kv.port);
  try {
    assert.is(await admin.call('ACL', 'SETUSER', 'tenant1', 'on', '>pw1', '~*', '&*', '+@all', 'namespace=tenant1'), '+OK\r\n');
    assert.is(await admin.call('ACL', 'SETUSER', 'tenant2', 'on', '>pw2', '~*', '&*', '+@all', 'namespace=tenant2'), '+OK\r\n');
    assert.is(await admin.call('SET', 'shared', 'db0'), '+OK\r\n');
    assert.match(await admin.call('ACL', 'LIST'), /user tenant1 on .*namespace=tenant1/);

    const t1 = new Redis(`redis://tenant1:pw1@127.0.0.1:${kv.port}`, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    await t1.connect();
    assert.is(await t1.call('KV.NS', 'CURRENT'), 'tenant1');
    assert.is(await t1.get('shared'), null, 'db 0 is not visible');
    await t1.set('k', 'one');
    assert.match(await errorOf(t1.select(0)), /NOPERM this user is bound to namespace 'tenant1'/);
    assert.match(await errorOf(t1.call('KV.NS', 'USE', 'tenant2')), /NOPERM/);
    assert.match(await errorOf(t1.call('SWAPDB', '0', '1')), /NOPERM/);
    // RESET returns to the default user: no longer bound, back in db 0
    assert.is(await t1.call('RESET'), 'RESET');
    assert.is(await t1.get('shared'), 'db0');
    t1.disconnect();

    const t2 = await RawClient.connect(kv.port);
    assert.is(await t2.call('AUTH', 'tenant2', 'pw2'), '+OK\r\n');
    assert.is(await t2.call('GET', 'k'), '$-1\r\n', "tenant1's key is not visible to tenant2");
    assert.is(await t2.call('DBSIZE'), ':0\r\n');
    assert.is(await t2.call('SELECT', '0'), "-NOPERM this user is bound to namespace 'tenant2'\r\n");
    // a failed AUTH keeps the binding; authenticating as an unbound user (here the nopass
    // default) lifts it, as the user, not the connection, carries the namespace
    assert.is(await t2.call('AUTH', 'tenant1', 'wrong'), '-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    assert.is(await t2.call('SELECT', '0'), "-NOPERM this user is bound to namespace 'tenant2'\r\n");
    assert.is(await t2.call('AUTH', 'default', 'anything'), '+OK\r\n');
    assert.is(await t2.call('SELECT', '0'), '+OK\r\n');
    t2.close();
    assert.is(await admin.call('KV.NS', 'USE', 'tenant1'), '+OK\r\n');
    assert.is(await admin.call('GET', 'k'), '$3\r\none\r\n');
    assert.is(await admin.call('ACL', 'SETUSER', 'bad', 'namespace=no spaces'), '-ERR Error in ACL SETUSER modifier \'namespace=no spaces\': Syntax error\r\n');
  } finally {
    admin.close();
    await kv.stop();
  }
});

test('redis-py with username/password lands in the namespace', async () => {
  if (!existsSync('/usr/bin/python3') || spawnSync('/usr/bin/python3', ['-c', 'import redis']).status !== 0) {
    if (process.env.CI === 'true') throw new Error('redis-py is required under CI');
    console.log('skipped: redis-py (/usr/bin/python3) not installed');
    return;
  }
  const kv = await startKv();
  const admin = await RawClient.connect(kv.port);
  try {
    await admin.call('ACL', 'SETUSER', 'py', 'on', '>pw', '~*', '&*', '+@all', 'namespace=pyns');
    const script = `import redis\nr = redis.Redis(port=${kv.port}, username='py', password='pw', decode_responses=True)\nr.set('x', '1')\nprint(r.execute_command('KV.NS', 'CURRENT'), r.dbsize())\n`;
    // async: a synchronous spawn would block this process, which runs the server
    const out = await promisify(execFile)('/usr/bin/python3', ['-c', script], { encoding: 'utf8' });
    assert.is(out.stdout.trim(), 'pyns 1', out.stderr);
    assert.is(await admin.call('EXISTS', 'x'), ':0\r\n');
  } finally {
    admin.close();
    await kv.stop();
  }
});

test.run();
