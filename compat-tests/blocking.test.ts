/*
 * Blocking list commands over real sockets with several raw clients. Each scenario runs against
 * kv-server and against a real redis-server, and the transcripts (every reply each client got,
 * byte for byte) must be equal: FIFO order, pushes of several elements, timeouts, disconnects,
 * CLIENT UNBLOCK, commands pipelined behind a BLPOP, BLMOVE chains and rotations, RESP3.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Err } from '../src/resp/errors.js';
import { FakeClock } from '../src/engine/clock.js';
import type { RunningServer } from '../src/server/app.js';
import { encodeCommand, RawClient, startKv, startRedis, type RealRedis } from './harness.js';

const s = suite('blocking');
let kv: RunningServer;
let redis: RealRedis | null = null;

s.before(async () => {
  kv = await startKv();
  redis = await startRedis();
});
s.after(async () => {
  await kv?.stop();
  await redis?.stop();
});

/** Waits until the server reports `n` blocked clients (so that blocking order is fixed). */
async function untilBlocked(admin: RawClient, n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const info = await admin.call('INFO', 'clients');
    if (new RegExp(`blocked_clients:${n}\\r\\n`).test(info)) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`never reached ${n} blocked clients`);
}

type Scenario = (port: number) => Promise<string[]>;

/** Runs `scenario` against both servers and compares the transcripts. */
function both(name: string, scenario: Scenario): void {
  s(name, async () => {
    const ours = await scenario(kv.port);
    if (redis === null) return;
    const theirs = await scenario(redis.port);
    assert.equal(ours, theirs);
  });
}

async function clients(port: number, n: number): Promise<RawClient[]> {
  const out: RawClient[] = [];
  for (let i = 0; i < n; i++) out.push(await RawClient.connect(port));
  await out[0]!.call('FLUSHALL');
  return out;
}

both('FIFO: waiters on one key are served in the order they blocked', async (port) => {
  const [admin, a, b, c] = await clients(port, 4);
  const log: string[] = [];
  a!.write(encodeCommand(['BLPOP', 'q', '0']));
  await untilBlocked(admin!, 1);
  b!.write(encodeCommand(['BRPOP', 'q', '0']));
  await untilBlocked(admin!, 2);
  c!.write(encodeCommand(['BLPOP', 'nothing', 'q', '0']));
  await untilBlocked(admin!, 3);
  log.push(await admin!.call('RPUSH', 'q', 'x', 'y'));
  log.push(await a!.readReply(), await b!.readReply());
  log.push(await admin!.call('INFO', 'clients').then((i) => i.match(/blocked_clients:\d+/)![0]));
  log.push(await admin!.call('LPUSH', 'q', 'z', 'w'));
  log.push(await c!.readReply(), await admin!.call('LRANGE', 'q', '0', '-1'));
  for (const x of [admin, a, b, c]) x!.close();
  return log;
});

both('timeouts: the null array in RESP2 and RESP3, after about the time asked', async (port) => {
  const [a, b] = await clients(port, 2);
  const log: string[] = [];
  log.push(await b!.call('HELLO', '3').then(() => 'hello'));
  const started = Date.now();
  log.push(await a!.call('BLPOP', 'nokey', '0.2'));
  const took = Date.now() - started;
  assert.ok(took >= 190 && took < 1500, `took ${took} ms`);
  log.push(await b!.call('BLMOVE', 'nokey', 'd', 'LEFT', 'LEFT', '0.05'), await b!.call('BLMPOP', '0.05', '1', 'nokey', 'LEFT'));
  log.push(await a!.call('BRPOPLPUSH', 'nokey', 'd', '0.05'));
  a!.close();
  b!.close();
  return log;
});

both('a client that disconnects while blocked leaves nothing behind', async (port) => {
  const [admin, a, b] = await clients(port, 3);
  const log: string[] = [];
  a!.write(encodeCommand(['BLPOP', 'k', '0']));
  b!.write(encodeCommand(['BLPOP', 'k', '0']));
  await untilBlocked(admin!, 2);
  a!.close();
  await untilBlocked(admin!, 1);
  log.push(await admin!.call('RPUSH', 'k', 'one', 'two'));
  log.push(await b!.readReply(), await admin!.call('LRANGE', 'k', '0', '-1'));
  admin!.close();
  b!.close();
  return log;
});

both('CLIENT UNBLOCK with TIMEOUT and ERROR; CLIENT LIST shows the b flag', async (port) => {
  const [admin, a] = await clients(port, 2);
  const log: string[] = [];
  const id = (await a!.call('CLIENT', 'ID')).slice(1, -2);
  a!.write(encodeCommand(['BLPOP', 'k', '0']));
  await untilBlocked(admin!, 1);
  log.push(/flags=b /.test(await admin!.call('CLIENT', 'LIST', 'ID', id)) ? 'flag b' : 'no flag');
  log.push(await admin!.call('CLIENT', 'UNBLOCK', id, 'TIMEOUT'), await a!.readReply());
  a!.write(encodeCommand(['BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0']));
  await untilBlocked(admin!, 1);
  log.push(await admin!.call('CLIENT', 'UNBLOCK', id, 'ERROR'));
  const unblocked = await a!.readReply();
  assert.is(unblocked, `-${Err.UNBLOCKED}\r\n`);
  log.push(unblocked, await admin!.call('CLIENT', 'UNBLOCK', id), await admin!.call('CLIENT', 'UNBLOCK', id, 'FOO'));
  admin!.close();
  a!.close();
  return log;
});

both('commands pipelined behind a blocking command wait for it, then run in order', async (port) => {
  const [admin, a] = await clients(port, 2);
  const log: string[] = [];
  a!.write(Buffer.concat([encodeCommand(['BLPOP', 'k', '0']), encodeCommand(['PING']), encodeCommand(['LLEN', 'k']), encodeCommand(['RPUSH', 'mine', 'x'])]));
  await untilBlocked(admin!, 1);
  await new Promise((r) => setTimeout(r, 50));
  log.push(await admin!.call('EXISTS', 'mine'));
  log.push(await admin!.call('RPUSH', 'k', 'v1', 'v2'));
  log.push(await a!.readReply(), await a!.readReply(), await a!.readReply(), await a!.readReply());
  // more commands sent while blocked, in pieces, also wait
  a!.write(encodeCommand(['BRPOP', 'k2', '0']));
  await untilBlocked(admin!, 1);
  a!.write('*1\r\n$4\r\nPI');
  a!.write('NG\r\n');
  await new Promise((r) => setTimeout(r, 30));
  log.push(await admin!.call('LPUSH', 'k2', 'w'));
  log.push(await a!.readReply(), await a!.readReply());
  admin!.close();
  a!.close();
  return log;
});

both('BLMOVE chains and a rotation on one list', async (port) => {
  const [admin, a, b, c] = await clients(port, 4);
  const log: string[] = [];
  a!.write(encodeCommand(['BLMOVE', 'a', 'b', 'LEFT', 'RIGHT', '0']));
  await untilBlocked(admin!, 1);
  b!.write(encodeCommand(['BRPOPLPUSH', 'b', 'c', '0']));
  await untilBlocked(admin!, 2);
  c!.write(encodeCommand(['BLMPOP', '0', '2', 'x', 'c', 'LEFT', 'COUNT', '5']));
  await untilBlocked(admin!, 3);
  log.push(await admin!.call('RPUSH', 'a', 'v'));
  log.push(await a!.readReply(), await b!.readReply(), await c!.readReply(), await admin!.call('EXISTS', 'a', 'b', 'c'));
  a!.write(encodeCommand(['BLMOVE', 'r', 'r', 'RIGHT', 'LEFT', '0']));
  await untilBlocked(admin!, 1);
  b!.write(encodeCommand(['BRPOPLPUSH', 'r', 'r', '0']));
  await untilBlocked(admin!, 2);
  log.push(await admin!.call('RPUSH', 'r', '1', '2', '3'));
  log.push(await a!.readReply(), await b!.readReply(), await admin!.call('LRANGE', 'r', '0', '-1'));
  for (const x of [admin, a, b, c]) x!.close();
  return log;
});

both('waiters on a key of another type stay blocked until it is a list again', async (port) => {
  const [admin, a, b] = await clients(port, 3);
  const log: string[] = [];
  await b!.call('HELLO', '3');
  a!.write(encodeCommand(['BLPOP', 'k', '0']));
  await untilBlocked(admin!, 1);
  b!.write(encodeCommand(['BLMPOP', '0', '1', 'k', 'RIGHT', 'COUNT', '2']));
  await untilBlocked(admin!, 2);
  log.push(await admin!.call('SET', 'k', 'string'), await admin!.call('DEL', 'k'));
  log.push(await admin!.call('INFO', 'clients').then((i) => i.match(/blocked_clients:\d+/)![0]));
  log.push(await admin!.call('RPUSH', 'k', '1', '2', '3', '4'));
  log.push(await a!.readReply(), await b!.readReply(), await admin!.call('LRANGE', 'k', '0', '-1'));
  for (const x of [admin, a, b]) x!.close();
  return log;
});

both('a served BLMOVE whose destination holds another type gets WRONGTYPE and pops nothing', async (port) => {
  const [admin, a, b] = await clients(port, 3);
  const log: string[] = [];
  await admin!.call('SET', 'dst', 'string');
  a!.write(encodeCommand(['BLMOVE', 'src', 'dst', 'LEFT', 'LEFT', '0']));
  await untilBlocked(admin!, 1);
  b!.write(encodeCommand(['BLPOP', 'src', '0']));
  await untilBlocked(admin!, 2);
  log.push(await admin!.call('RPUSH', 'src', 'v1', 'v2'));
  log.push(await a!.readReply(), await b!.readReply(), await admin!.call('LRANGE', 'src', '0', '-1'));
  for (const x of [admin, a, b]) x!.close();
  return log;
});

s('a served pop propagates as the pop, after the push', async () => {
  const recorded: string[][] = [];
  kv.context.effects = (_db, argv) => recorded.push([...argv]);
  try {
    const [admin, a] = await clients(kv.port, 2);
    recorded.length = 0;
    a!.write(encodeCommand(['BLPOP', 'e', '0']));
    await untilBlocked(admin!, 1);
    await admin!.call('RPUSH', 'e', 'x');
    assert.is(await a!.readReply(), '*2\r\n$1\r\ne\r\n$1\r\nx\r\n');
    await admin!.call('RPUSH', 'e', 'y');
    await a!.call('BRPOP', 'e', '0');
    assert.equal(recorded, [['RPUSH', 'e', 'x'], ['LPOP', 'e'], ['RPUSH', 'e', 'y'], ['RPOP', 'e']]);
    admin!.close();
    a!.close();
  } finally {
    kv.context.effects = null;
  }
});

s('CLIENT KILL of a blocked client removes its wait', async () => {
  const [admin, a] = await clients(kv.port, 2);
  const id = (await a!.call('CLIENT', 'ID')).slice(1, -2);
  a!.write(encodeCommand(['BLPOP', 'kk', '0']));
  await untilBlocked(admin!, 1);
  assert.is(await admin!.call('CLIENT', 'KILL', 'ID', id), ':1\r\n');
  await untilBlocked(admin!, 0);
  await admin!.call('RPUSH', 'kk', 'v');
  assert.is(await admin!.call('LLEN', 'kk'), ':1\r\n');
  admin!.close();
});

s('the idle timeout closes idle clients but not blocked ones (as Redis)', async () => {
  const clock = new FakeClock();
  const server = await startKv({ timeout: '10', hz: '50' }, clock);
  try {
    const [admin, blocked, idle] = [await RawClient.connect(server.port), await RawClient.connect(server.port), await RawClient.connect(server.port)];
    await idle.call('PING');
    blocked.write(encodeCommand(['BLPOP', 'k', '0']));
    await untilBlocked(admin, 1);
    admin.close();
    clock.advance(20_000);
    for (let i = 0; i < 200 && !idle.closed; i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(idle.closed, 'the idle client is closed');
    await new Promise((r) => setTimeout(r, 50));
    assert.not.ok(blocked.closed, 'the blocked client stays');
    const pusher = await RawClient.connect(server.port);
    await pusher.call('RPUSH', 'k', 'v');
    assert.is(await blocked.readReply(), '*2\r\n$1\r\nk\r\n$1\r\nv\r\n');
    pusher.close();
    blocked.close();
  } finally {
    await server.stop();
  }
});

both('packed lists: a push wakes BLPOP, BLMOVE pushes onto a packed destination, MULTI pushes then pops', async (port) => {
  const [admin, a, b] = await clients(port, 3);
  const log: string[] = [];
  log.push(await admin!.call('RPUSH', 'dst', 'd1', 'd2')); // a small list, packed in its record
  a!.write(encodeCommand(['BLPOP', 'q', '0']));
  b!.write(encodeCommand(['BLMOVE', 'q', 'dst', 'RIGHT', 'LEFT', '0']));
  await untilBlocked(admin!, 2);
  log.push(await admin!.call('LPUSH', 'q', 'x', 'y', 'z'));
  log.push(await a!.readReply(), await b!.readReply());
  log.push(await admin!.call('LRANGE', 'q', '0', '-1'), await admin!.call('LRANGE', 'dst', '0', '-1'));
  a!.write(encodeCommand(['BRPOP', 'dst', 'q', '0']));
  log.push(await a!.readReply());
  a!.write(encodeCommand(['BLPOP', 'm', '0']));
  await untilBlocked(admin!, 1);
  log.push(await admin!.call('MULTI'), await admin!.call('RPUSH', 'm', '1', '2'), await admin!.call('LPOP', 'm'), await admin!.call('EXEC'));
  log.push(await a!.readReply(), await admin!.call('EXISTS', 'm'), await admin!.call('LRANGE', 'dst', '0', '-1'));
  for (const x of [admin, a, b]) x!.close();
  return log;
});

s.run();
