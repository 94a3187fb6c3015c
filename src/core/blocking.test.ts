/*
 * The blocking machinery in-process: a server context with a fake clock, clients with collecting
 * replies and a fake connection, commands run through dispatch. Checks wake-ups through the write
 * path (no polling), first-come-first-served order, timeouts from the heap, CLIENT UNBLOCK,
 * disconnects, denyBlocking (MULTI/scripts), the effects of served pops, and parseTimeout.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../engine/clock.js';
import { CollectingReply, type ReplyValue } from '../resp/collecting-reply.js';
import { Err } from '../resp/errors.js';
import { parseTimeout } from './blocking.js';
import { Client } from './client.js';
import { detachedConnection } from './detached-connection.js';
import { buildCommandTable } from './command-list.js';
import { Config } from './config.js';
import { Dispatcher } from './dispatch.js';
import { ServerContext, type Log } from './server-context.js';

const quiet: Log = { level: 'warning', debug() {}, verbose() {}, notice() {}, warning() {} };

interface Harness {
  server: ServerContext;
  clock: FakeClock;
  effects: Array<[number, string[]]>;
  client(): TestClient;
}

interface TestClient {
  c: Client;
  reply: CollectingReply;
  /** runs one command; returns what it replied (nothing while it blocks) */
  run(...argv: string[]): ReplyValue[];
  /** replies written since the last call */
  take(): ReplyValue[];
  unblockedCalls: number;
}

function harness(): Harness {
  const clock = new FakeClock();
  const server = new ServerContext(new Config(), clock, quiet, buildCommandTable());
  const dispatcher = new Dispatcher(server.commandTable);
  const effects: Array<[number, string[]]> = [];
  server.effects = (db, argv) => effects.push([db, [...argv]]);
  return {
    server,
    clock,
    effects,
    client() {
      const reply = new CollectingReply(2);
      const t: TestClient = {} as TestClient;
      const conn = detachedConnection({
        unblocked() {
          t.unblockedCalls++;
        },
      });
      const c = new Client(server, server.newClientId(), reply, conn);
      server.clients.set(c.id, c);
      Object.assign(t, {
        c,
        reply,
        unblockedCalls: 0,
        run(...argv: string[]) {
          dispatcher.run(c, argv, clock.now());
          return reply.take();
        },
        take: () => reply.take(),
      });
      return t;
    },
  };
}

const bulk = (value: string): ReplyValue => ({ type: 'bulk', value });
const arr = (...items: ReplyValue[]): ReplyValue => ({ type: 'array', items });
const NIL: ReplyValue = { type: 'nil' };

test('a push serves the clients blocked on the key, first come first served', () => {
  const h = harness();
  const [a, b, c, pusher] = [h.client(), h.client(), h.client(), h.client()];
  assert.equal(a.run('BLPOP', 'q', '0'), []);
  assert.equal(b.run('BRPOP', 'other', 'q', '0'), []);
  assert.equal(c.run('BLPOP', 'q', '0'), []);
  assert.is(h.server.blocking.count, 3);
  assert.ok(a.c.blockedBy !== null);
  assert.equal(pusher.run('RPUSH', 'q', 'x', 'y'), [{ type: 'int', value: 2 }]);
  assert.equal(a.take(), [arr(bulk('q'), bulk('x'))]);
  assert.equal(b.take(), [arr(bulk('q'), bulk('y'))]);
  assert.equal(c.take(), []);
  assert.is(a.unblockedCalls, 1);
  assert.is(h.server.blocking.count, 1);
  assert.equal(pusher.run('EXISTS', 'q'), [{ type: 'int', value: 0 }]);
  // the pops propagate as pops, after the push that made them possible
  assert.equal(h.effects, [[0, ['RPUSH', 'q', 'x', 'y']], [0, ['LPOP', 'q']], [0, ['RPOP', 'q']]]);
  pusher.run('LPUSH', 'q', 'z');
  assert.equal(c.take(), [arr(bulk('q'), bulk('z'))]);
  assert.is(h.server.blocking.count, 0);
});

test('a key of another type or a write that leaves it empty keeps the waiters blocked', () => {
  const h = harness();
  const [a, w] = [h.client(), h.client()];
  a.run('BLPOP', 'k', '0');
  w.run('SET', 'k', 'string');
  w.run('DEL', 'k');
  w.run('RPUSH', 'k', 'v');
  w.run('LPOP', 'k');
  assert.equal(a.take(), [arr(bulk('k'), bulk('v'))]);
  assert.equal(w.run('LPOP', 'k'), [NIL]);
});

test('timeouts fire from the deadline heap with the null array, in deadline order', () => {
  const h = harness();
  const [a, b, c] = [h.client(), h.client(), h.client()];
  a.run('BLPOP', 'k', '2');
  b.run('BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '1');
  c.run('BLPOP', 'k', '0');
  assert.is(h.server.blocking.withTimeout, 2);
  h.clock.advance(999);
  h.server.blocking.expireTimeouts(h.clock.now());
  assert.equal(b.take(), []);
  h.clock.advance(1);
  h.server.blocking.expireTimeouts(h.clock.now());
  assert.equal(b.take(), [{ type: 'nil' }]);
  assert.equal(a.take(), []);
  h.clock.advance(1000);
  h.server.blocking.expireTimeouts(h.clock.now());
  assert.equal(a.take(), [{ type: 'nil' }]);
  assert.is(h.server.blocking.count, 1);
  assert.is(h.server.blocking.withTimeout, 0);
  h.clock.advance(1e9);
  h.server.blocking.expireTimeouts(h.clock.now());
  assert.equal(c.take(), []);
});

test('CLIENT UNBLOCK: TIMEOUT, ERROR, and clients that are not blocked', () => {
  const h = harness();
  const [a, admin] = [h.client(), h.client()];
  a.run('BLPOP', 'k', '0');
  assert.equal(admin.run('CLIENT', 'UNBLOCK', String(a.c.id)), [{ type: 'int', value: 1 }]);
  assert.equal(a.take(), [{ type: 'nil' }]);
  assert.equal(admin.run('CLIENT', 'UNBLOCK', String(a.c.id)), [{ type: 'int', value: 0 }]);
  a.run('BRPOPLPUSH', 'k', 'd', '0');
  assert.equal(admin.run('CLIENT', 'UNBLOCK', String(a.c.id), 'error'), [{ type: 'int', value: 1 }]);
  assert.equal(a.take(), [{ type: 'error', value: Err.UNBLOCKED }]);
  assert.equal(admin.run('CLIENT', 'UNBLOCK', '999', 'TIMEOUT'), [{ type: 'int', value: 0 }]);
  assert.equal(admin.run('CLIENT', 'UNBLOCK', String(a.c.id), 'maybe'), [{ type: 'error', value: Err.UNBLOCK_REASON }]);
  assert.is(h.server.blocking.count, 0);
});

test('a client that disconnects while blocked leaves nothing behind', () => {
  const h = harness();
  const [a, b, w] = [h.client(), h.client(), h.client()];
  a.run('BLPOP', 'k', 'k2', '5');
  b.run('BLPOP', 'k', '0');
  h.server.blocking.disconnected(a.c);
  assert.is(h.server.blocking.count, 1);
  assert.is(h.server.blocking.withTimeout, 0);
  assert.is(a.c.blockedBy, null);
  w.run('RPUSH', 'k', 'x');
  assert.equal(a.take(), []);
  assert.equal(b.take(), [arr(bulk('k'), bulk('x'))]);
  w.run('RPUSH', 'k2', 'y');
  assert.equal(w.run('LLEN', 'k2'), [{ type: 'int', value: 1 }]);
});

test('BLMOVE chains resolve in one write, and a rotation onto the same list serves in order', () => {
  const h = harness();
  const [a, b, c, w] = [h.client(), h.client(), h.client(), h.client()];
  a.run('BLMOVE', 'a', 'b', 'LEFT', 'RIGHT', '0');
  b.run('BLMOVE', 'b', 'c', 'RIGHT', 'LEFT', '0');
  c.run('BLPOP', 'c', '0');
  h.effects.length = 0;
  w.run('LPUSH', 'a', 'v');
  assert.equal(a.take(), [bulk('v')]);
  assert.equal(b.take(), [bulk('v')]);
  assert.equal(c.take(), [arr(bulk('c'), bulk('v'))]);
  assert.equal(h.effects, [
    [0, ['LPUSH', 'a', 'v']],
    [0, ['LMOVE', 'a', 'b', 'LEFT', 'RIGHT']],
    [0, ['LMOVE', 'b', 'c', 'RIGHT', 'LEFT']],
    [0, ['LPOP', 'c']],
  ]);
  assert.equal(w.run('EXISTS', 'a', 'b', 'c'), [{ type: 'int', value: 0 }]);
  a.run('BLMOVE', 'r', 'r', 'RIGHT', 'LEFT', '0');
  b.run('BRPOPLPUSH', 'r', 'r', '0');
  w.run('RPUSH', 'r', '1', '2', '3');
  assert.equal(a.take(), [bulk('3')]);
  assert.equal(b.take(), [bulk('2')]);
  assert.equal(w.run('LRANGE', 'r', '0', '-1'), [arr(bulk('2'), bulk('3'), bulk('1'))]);
});

test('a destination of another type answers WRONGTYPE to the served BLMOVE and pops nothing', () => {
  const h = harness();
  const [a, w] = [h.client(), h.client()];
  w.run('SET', 'dst', 's');
  a.run('BLMOVE', 'src', 'dst', 'LEFT', 'LEFT', '0');
  w.run('RPUSH', 'src', 'v');
  assert.equal(a.take(), [{ type: 'error', value: Err.WRONGTYPE }]);
  assert.equal(w.run('LLEN', 'src'), [{ type: 'int', value: 1 }]);
});

test('BLMPOP served with a count; FLUSHALL and SWAPDB make every waited key ready', () => {
  const h = harness();
  const [a, b, w] = [h.client(), h.client(), h.client()];
  a.run('BLMPOP', '0', '2', 'x', 'y', 'RIGHT', 'COUNT', '2');
  w.run('RPUSH', 'y', '1', '2', '3');
  assert.equal(a.take(), [arr(bulk('y'), arr(bulk('3'), bulk('2')))]);
  assert.equal(h.effects.slice(-1), [[0, ['RPOP', 'y', '2']]]);
  b.run('BLPOP', 'z', '0');
  w.run('SELECT', '1');
  w.run('RPUSH', 'z', 'in-db-1');
  assert.equal(b.take(), []);
  w.run('SWAPDB', '0', '1');
  assert.equal(b.take(), [arr(bulk('z'), bulk('in-db-1'))]);
});

test('denyBlocking (MULTI, scripts): blocking commands answer as if timed out', () => {
  const h = harness();
  const a = h.client();
  a.c.denyBlocking = true;
  assert.equal(a.run('BLPOP', 'k', '0'), [{ type: 'nil' }]);
  assert.equal(a.run('BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0'), [NIL]);
  assert.equal(a.run('BLMPOP', '0', '1', 'k', 'LEFT'), [{ type: 'nil' }]);
  assert.equal(a.run('BLPOP', 'k', '-1'), [{ type: 'error', value: Err.TIMEOUT_NEGATIVE }]);
  assert.is(h.server.blocking.count, 0);
  a.run('RPUSH', 'k', 'v');
  assert.equal(a.run('BLPOP', 'k', '0'), [arr(bulk('k'), bulk('v'))]);
});

test('parseTimeout: seconds as a long double, rounded up to the millisecond', () => {
  const now = 1000;
  assert.is(parseTimeout('0', now), 0);
  assert.is(parseTimeout('1', now), 2000);
  assert.is(parseTimeout('1.5', now), 2500);
  assert.is(parseTimeout('0.0001', now), 1001); // ceil(0.1) = 1 ms
  assert.is(parseTimeout('0.001', now), 1001);
  assert.is(parseTimeout('0.0011', now), 1002);
  assert.is(parseTimeout('1e-400', now), 1001);
  assert.is(parseTimeout('-0.0001', now), 0); // ceil(-0.1) = -0: forever, as Redis
  assert.is(parseTimeout('0x1p-3', now), 1125);
  assert.is(parseTimeout('-1', now), Err.TIMEOUT_NEGATIVE);
  assert.is(parseTimeout('inf', now), Err.TIMEOUT_NEGATIVE);
  assert.is(parseTimeout('-inf', now), Err.TIMEOUT_NEGATIVE);
  assert.is(parseTimeout('1e30', now), Err.TIMEOUT_NEGATIVE); // the cast overflows to LLONG_MIN
  assert.is(parseTimeout('9223372036854775', now), 0); // the deadline overflows: never fires
  for (const bad of ['x', '', ' 1', '1 ', 'nan', '1e99999']) assert.is(parseTimeout(bad, now), Err.TIMEOUT_NOT_FLOAT, bad);
});

test.run();
