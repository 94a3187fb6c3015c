/*
 * Isolation between clients: commands from one client are never reordered or dropped under
 * pipelining, whatever else runs; one client's mistakes (a protocol error, a failed MULTI, a
 * wrong password, a SUBSCRIBE, a SELECT) never change another client's state.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeCommand, startKv } from '../harness.js';
import { connectPlain, type SocketClient } from './security-harness.js';

test('pipelined commands of many clients at once: each client\'s replies come back complete and in order', async () => {
  const kv = await startKv();
  try {
    const clients = await Promise.all(Array.from({ length: 20 }, () => connectPlain(kv.port)));
    const N = 2000;
    await Promise.all(
      clients.map(async (c, id) => {
        // INCR of the client's own counter returns 1..N in order; interleaved with a list push
        const parts: Buffer[] = [];
        for (let i = 0; i < N; i++) parts.push(encodeCommand(['INCR', `counter:${id}`]), encodeCommand(['RPUSH', `list:${id}`, String(i)]));
        const all = Buffer.concat(parts);
        // in uneven pieces
        for (let at = 0; at < all.length; at += 777 + id) c.write(all.subarray(at, at + 777 + id));
        // generous per-reply waits: 80k commands share the machine with the rest of the suite
        for (let i = 0; i < N; i++) {
          assert.is(await c.readReply(30_000), `:${i + 1}\r\n`);
          assert.is(await c.readReply(30_000), `:${i + 1}\r\n`);
        }
        const range = await c.call('LRANGE', `list:${id}`, '0', '-1');
        assert.ok(range.startsWith(`*${N}\r\n$1\r\n0\r\n$1\r\n1\r\n`));
      }),
    );
    for (const c of clients) c.close();
  } finally {
    await kv.stop();
  }
});

test('a protocol error closes only the client that sent it; another\'s pipeline in flight is untouched', async () => {
  const kv = await startKv();
  try {
    const good = await connectPlain(kv.port);
    const bad = await connectPlain(kv.port);
    good.write(Buffer.concat(Array.from({ length: 500 }, (_, i) => encodeCommand(['SET', `k${i}`, String(i)]))));
    bad.write('*1\r\n$4\r\nPING\r\n*x\r\n');
    assert.is(await bad.readUntilClose(), '+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n');
    for (let i = 0; i < 500; i++) assert.is(await good.readReply(), '+OK\r\n');
    assert.is(await good.call('GET', 'k499'), '$3\r\n499\r\n');
    good.close();
  } finally {
    await kv.stop();
  }
});

test('one client\'s aborted MULTI, SELECT and SUBSCRIBE do not leak into another client', async () => {
  const kv = await startKv();
  try {
    const a = await connectPlain(kv.port);
    const b = await connectPlain(kv.port);
    assert.is(await b.call('MULTI'), '+OK\r\n');
    assert.is(await b.call('SET', 'x', 'from-b'), '+QUEUED\r\n');
    // a's transaction fails (an unknown command queued), a selects another db, a subscribes
    assert.is(await a.call('MULTI'), '+OK\r\n');
    assert.match(await a.call('NOSUCHCMD'), /^-ERR unknown command/);
    assert.is(await a.call('EXEC'), '-EXECABORT Transaction discarded because of previous errors.\r\n');
    assert.is(await a.call('SELECT', '5'), '+OK\r\n');
    assert.is(await a.call('SET', 'x', 'from-a-db5'), '+OK\r\n');
    assert.is(await a.call('SUBSCRIBE', 'chan'), '*3\r\n$9\r\nsubscribe\r\n$4\r\nchan\r\n:1\r\n');
    // b's transaction is intact, in db 0, and b is not subscribed
    assert.is(await b.call('EXEC'), '*1\r\n+OK\r\n');
    assert.is(await b.call('GET', 'x'), '$6\r\nfrom-b\r\n');
    assert.is(await b.call('PING'), '+PONG\r\n');
    assert.is(await b.call('PUBLISH', 'chan', 'hi'), ':1\r\n');
    assert.is(await a.readReply(), '*3\r\n$7\r\nmessage\r\n$4\r\nchan\r\n$2\r\nhi\r\n');
    a.close();
    b.close();
  } finally {
    await kv.stop();
  }
});

test('a wrong password on one connection does not log out another; an authenticated client stays so', async () => {
  const kv = await startKv({ requirepass: 'right' });
  try {
    const ok = await connectPlain(kv.port);
    assert.is(await ok.call('AUTH', 'right'), '+OK\r\n');
    const intruders: SocketClient[] = [];
    for (let i = 0; i < 20; i++) {
      const c = await connectPlain(kv.port);
      assert.is(await c.call('AUTH', 'guess' + i), '-WRONGPASS invalid username-password pair or user is disabled.\r\n');
      assert.is(await c.call('GET', 'k'), '-NOAUTH Authentication required.\r\n');
      intruders.push(c);
    }
    assert.is(await ok.call('SET', 'k', 'v'), '+OK\r\n');
    // an authenticated client that then fails AUTH stays authenticated, as in Redis
    assert.is(await ok.call('AUTH', 'wrong'), '-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    assert.is(await ok.call('GET', 'k'), '$1\r\nv\r\n');
    for (const c of intruders) c.close();
    ok.close();
  } finally {
    await kv.stop();
  }
});

test.run();
