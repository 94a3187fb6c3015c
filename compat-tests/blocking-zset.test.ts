/*
 * BZPOPMIN, BZPOPMAX and BZMPOP over real sockets: each scenario runs against kv-server and a real
 * redis-server and the transcripts (every reply each client got, byte for byte) must be equal —
 * immediate pops, waiters served in order by ZADD, timeouts, RESP3 shapes, errors, WRONGTYPE,
 * and a list waiter and a zset waiter on one key. The propagated effect of a served pop is the
 * pop (checked on kv-server's effects stream).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunningServer } from '../src/server/app.js';
import { encodeCommand, RawClient, startKv, startRedis, type RealRedis } from './harness.js';

const s = suite('blocking sorted sets');
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

async function untilBlocked(admin: RawClient, n: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (new RegExp(`blocked_clients:${n}\\r\\n`).test(await admin.call('INFO', 'clients'))) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`never reached ${n} blocked clients`);
}

async function clients(port: number, n: number): Promise<RawClient[]> {
  const out: RawClient[] = [];
  for (let i = 0; i < n; i++) out.push(await RawClient.connect(port));
  await out[0]!.call('FLUSHALL');
  return out;
}

function both(name: string, scenario: (port: number) => Promise<string[]>): void {
  s(name, async () => {
    const ours = await scenario(kv.port);
    if (redis === null) return;
    assert.equal(ours, await scenario(redis.port));
  });
}

both('immediate pops, errors and WRONGTYPE', async (port) => {
  const [c] = await clients(port, 1);
  const log: string[] = [];
  for (const cmd of [
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
    ['BZPOPMIN', 'missing', 'z', '0'],
    ['BZPOPMAX', 'z', '0'],
    ['BZMPOP', '0', '2', 'missing', 'z', 'MIN', 'COUNT', '5'],
    ['EXISTS', 'z'],
    ['BZPOPMIN', 'z', '-1'],
    ['BZPOPMIN', 'z', 'x'],
    ['BZMPOP', '0', '0', 'z', 'MIN'],
    ['BZMPOP', '0', '1', 'z', 'MIDDLE'],
    ['BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '0'],
    ['BZMPOP', '0', '5', 'z', 'MIN'],
    ['SET', 's', 'x'],
    ['BZPOPMIN', 's', '0'],
    ['BZMPOP', '0', '1', 's', 'MAX'],
    ['BZPOPMIN', 'z', '0.01'],
    ['BZMPOP', '0.01', '1', 'z', 'MAX'],
    ['HELLO', '3'],
    ['ZADD', 'r', '1.5', 'm', 'inf', 'n'],
    ['BZPOPMAX', 'r', '0'],
    ['BZMPOP', '0', '1', 'r', 'MIN', 'COUNT', '3'],
    ['BZPOPMIN', 'r', '0.01'],
  ]) {
    const reply = await c!.call(...cmd);
    // HELLO's server map differs by design (version, id)
    log.push(cmd[0] === 'HELLO' ? 'hello' : reply);
  }
  c!.close();
  return log;
});

both('waiters are served in blocking order by one ZADD, and a timeout answers the null array', async (port) => {
  const [admin, a, b, late] = await clients(port, 4);
  a!.write(encodeCommand(['BZPOPMIN', 'z', '0']));
  await untilBlocked(admin!, 1);
  b!.write(encodeCommand(['BZMPOP', '0', '2', 'other', 'z', 'MAX', 'COUNT', '2']));
  await untilBlocked(admin!, 2);
  const log = [await admin!.call('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd')];
  log.push(await a!.readReply(), await b!.readReply(), await admin!.call('ZRANGE', 'z', '0', '-1', 'WITHSCORES'));
  log.push(await late!.call('BZPOPMAX', 'nothing', '0.05'));
  for (const x of [admin, a, b, late]) x!.close();
  return log;
});

both('a list waiter and a sorted set waiter on one key: each is served by its own type', async (port) => {
  const [admin, listWaiter, zsetWaiter] = await clients(port, 3);
  listWaiter!.write(encodeCommand(['BLPOP', 'k', '0']));
  await untilBlocked(admin!, 1);
  zsetWaiter!.write(encodeCommand(['BZPOPMIN', 'k', '0']));
  await untilBlocked(admin!, 2);
  const log = [await admin!.call('ZADD', 'k', '7', 'm')];
  log.push(await zsetWaiter!.readReply());
  log.push(await admin!.call('RPUSH', 'k', 'x'));
  log.push(await listWaiter!.readReply());
  for (const x of [admin, listWaiter, zsetWaiter]) x!.close();
  return log;
});

s('a served pop propagates as ZPOPMIN / ZPOPMAX key count, not as the blocking command', async () => {
  const effects: string[] = [];
  kv.context.effects = (db, argv) => void effects.push(`${db} ${argv.join(' ')}`);
  try {
    const [admin, a, b] = await clients(kv.port, 3);
    effects.length = 0;
    a!.write(encodeCommand(['BZPOPMIN', 'z', '0']));
    await untilBlocked(admin!, 1);
    b!.write(encodeCommand(['BZMPOP', '0', '1', 'z', 'MAX', 'COUNT', '2']));
    await untilBlocked(admin!, 2);
    await admin!.call('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd');
    await a!.readReply();
    await b!.readReply();
    assert.equal(effects, ['0 ZADD z 1 a 2 b 3 c 4 d', '0 ZPOPMIN z', '0 ZPOPMAX z 2']);
    for (const x of [admin, a, b]) x!.close();
  } finally {
    kv.context.effects = null;
  }
});

s.run();
