/*
 * @socket.io/redis-adapter over kv-server: two Socket.IO servers on loopback share rooms and
 * broadcasts through kv-server's pub/sub (PUBLISH/PSUBSCRIBE for events, request/response
 * channels for fetchSockets, socketsJoin, serverSideEmit, NUMSUB for serverCount), with ioredis
 * clients on one server and node-redis 5 clients on the other; then the sharded adapter
 * (SPUBLISH/SSUBSCRIBE, Redis 7) with both servers on ioredis.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Server } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { startKv } from './harness.js';
import type { RunningServer } from '../src/server/app.js';

let kv: RunningServer;
const cleanups: Array<() => unknown> = [];

interface Node {
  io: Server;
  url: string;
}

/** A Socket.IO server on a free loopback port with the given adapter factory. */
async function startNode(adapter: Parameters<Server['adapter']>[0]): Promise<Node> {
  const http: HttpServer = createServer();
  const io = new Server(http, { adapter });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => io.close(() => r())));
  // a client says which room it wants in its handshake
  io.on('connection', (socket) => {
    const room = socket.handshake.query.room;
    if (typeof room === 'string') socket.join(room);
  });
  return { io, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

async function ioredisAdapter(sharded = false) {
  const pub = new Redis(kv.port, '127.0.0.1');
  const sub = pub.duplicate();
  cleanups.push(() => pub.disconnect(), () => sub.disconnect());
  // ready first: ioredis itself refuses its ready check (INFO) on a connection already subscribing
  await Promise.all([pub, sub].map((r) => new Promise((resolve) => r.once('ready', resolve))));
  return sharded ? createShardedAdapter(pub, sub) : createAdapter(pub, sub);
}

async function nodeRedisAdapter() {
  const pub = createClient({ url: `redis://127.0.0.1:${kv.port}` });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  cleanups.push(() => pub.close().catch(() => {}), () => sub.close().catch(() => {}));
  return createAdapter(pub, sub);
}

/** A Socket.IO client of `node` (websocket only), connected, optionally asking for a room. */
async function client(node: Node, room?: string): Promise<ClientSocket> {
  const s = connectClient(node.url, { transports: ['websocket'], query: room === undefined ? {} : { room }, forceNew: true });
  cleanups.push(() => s.disconnect());
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  return s;
}

/** Collects the payloads of `event` a client receives. */
function collect(s: ClientSocket, event: string): unknown[] {
  const got: unknown[] = [];
  s.on(event, (x: unknown) => got.push(x));
  return got;
}

async function until(predicate: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test.before(async () => {
  kv = await startKv();
});
test.after.each(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});
test.after(async () => {
  await kv.stop();
});

test('a broadcast from one server reaches the clients of the other; rooms are honoured across servers', async () => {
  const a = await startNode(await ioredisAdapter());
  const b = await startNode(await nodeRedisAdapter());
  const onA = await client(a, 'red');
  const onB = await client(b, 'blue');
  const alsoB = await client(b, 'red');
  const news = [collect(onA, 'news'), collect(onB, 'news'), collect(alsoB, 'news')];
  const colours = [collect(onA, 'colour'), collect(onB, 'colour'), collect(alsoB, 'colour')];
  // the adapters' subscriptions are in place once serverCount sees both (PUBSUB NUMSUB)
  assert.is(await a.io.of('/').adapter.serverCount(), 2);
  a.io.emit('news', { from: 'a', n: 1 });
  await until(() => news.every((n) => n.length === 1), 5000, 'news everywhere');
  assert.equal(news, [[{ from: 'a', n: 1 }], [{ from: 'a', n: 1 }], [{ from: 'a', n: 1 }]]);
  // a room spanning both servers, from the other side
  b.io.to('red').emit('colour', 'red');
  a.io.to('blue').emit('colour', 'blue');
  await until(() => colours[0]!.length === 1 && colours[1]!.length === 1 && colours[2]!.length === 1, 5000, 'room broadcasts');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(colours, [['red'], ['blue'], ['red']]);
  // except(): everyone but the red room
  const rest = [collect(onA, 'rest'), collect(onB, 'rest'), collect(alsoB, 'rest')];
  a.io.except('red').emit('rest', 1);
  await until(() => rest[1]!.length === 1, 5000, 'except');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(rest, [[], [1], []]);
});

test('requests across servers: fetchSockets, socketsJoin, serverSideEmit with acknowledgement', async () => {
  const a = await startNode(await ioredisAdapter());
  const b = await startNode(await nodeRedisAdapter());
  await client(a, 'x');
  const onB = await client(b, 'y');
  const all = await a.io.fetchSockets();
  assert.is(all.length, 2);
  assert.equal(all.map((s) => [...s.rooms].filter((r) => r !== s.id)).sort(), [['x'], ['y']]);
  // a remote socket joins a room by request of the other server
  a.io.in('y').socketsJoin('z');
  await until(() => b.io.of('/').adapter.rooms.get('z')?.size === 1, 5000, 'socketsJoin');
  const inZ = await a.io.in('z').fetchSockets();
  assert.equal(inZ.map((s) => s.id), [onB.id]);
  // serverSideEmit with an ack: the other server answers
  b.io.on('ping-servers', (n: number, ack: (x: unknown) => void) => ack({ from: 'b', n }));
  const answers = await a.io.serverSideEmitWithAck('ping-servers', 41);
  assert.equal(answers, [{ from: 'b', n: 41 }]);
  // a socket disconnected remotely
  a.io.in('y').disconnectSockets();
  await until(() => onB.disconnected, 5000, 'remote disconnect');
});

test('the sharded adapter (SPUBLISH / SSUBSCRIBE) broadcasts across servers', async () => {
  const a = await startNode(await ioredisAdapter(true));
  const b = await startNode(await ioredisAdapter(true));
  const onB = await client(b, 'room1');
  const onA = await client(a);
  const got = [collect(onA, 'hi'), collect(onB, 'hi')];
  await new Promise((r) => setTimeout(r, 100)); // the room's shard channel is subscribed on join
  a.io.emit('hi', 'everyone');
  a.io.to('room1').emit('hi', 'room1');
  await until(() => got[1]!.length === 2 && got[0]!.length === 1, 5000, 'sharded broadcasts');
  assert.equal(got, [['everyone'], ['everyone', 'room1']]);
  assert.equal((await a.io.fetchSockets()).length, 2);
});

test.run();
