/*
 * Blocking XREAD and XREADGROUP over real sockets: each scenario runs against kv-server and a
 * real redis-server and the transcripts (every reply each client got, byte for byte) must be
 * equal — `$` and explicit ids woken by XADD, waiters served first come first served, several
 * streams, timeouts, MULTI (no blocking), CLIENT UNBLOCK, a deleted stream, a destroyed group and
 * a type change waking XREADGROUP with Redis's errors, RESP3 shapes. Explicit ids keep the
 * replies deterministic.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunningServer } from '../src/server/app.js';
import { Err } from '../src/resp/errors.js';
import { encodeCommand, RawClient, startKv, startRedis, type RealRedis } from './harness.js';

const s = suite('blocking streams');
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

/** Sends `cmd` on `c` and waits until `n` clients are blocked. */
async function blockOn(admin: RawClient, c: RawClient, n: number, cmd: string[]): Promise<void> {
  c.write(encodeCommand(cmd));
  await untilBlocked(admin, n);
}

both('XREAD BLOCK with $: waiters in order, several streams, timeout', async (port) => {
  const [admin, a, b, c] = await clients(port, 4);
  await admin!.call('XADD', 's', '1-1', 'f', 'old');
  await blockOn(admin!, a!, 1, ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$']);
  await blockOn(admin!, b!, 2, ['XREAD', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 'other', 's', '$', '1-1']);
  const log = [await admin!.call('XADD', 's', '2-1', 'f', 'new', 'g', 'x')];
  log.push(await a!.readReply(), await b!.readReply());
  await blockOn(admin!, c!, 1, ['XREAD', 'BLOCK', '0', 'STREAMS', 'other', 's', '0', '2-1']);
  log.push(await admin!.call('XADD', 'other', '5-5', 'o', 'p'), await c!.readReply());
  log.push(await a!.call('XREAD', 'BLOCK', '30', 'STREAMS', 's', '$'));
  log.push(await a!.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '1-1'));
  for (const x of [admin, a, b, c]) x!.close();
  return log;
});

both('XREAD BLOCK: an XDEL or an XADD to another key does not wake; MULTI does not block', async (port) => {
  const [admin, a, m] = await clients(port, 3);
  await admin!.call('XADD', 's', '1-1', 'f', 'v');
  await blockOn(admin!, a!, 1, ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '1-1']);
  const log = [await admin!.call('XDEL', 's', '1-1'), await admin!.call('XADD', 'elsewhere', '1-1', 'f', 'v')];
  log.push(await admin!.call('XADD', 's', '3-1', 'f', 'v'), await a!.readReply());
  log.push(await m!.call('MULTI'), await m!.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'), await m!.call('EXEC'));
  for (const x of [admin, a, m]) x!.close();
  return log;
});

both('XREADGROUP BLOCK >: one entry goes to the first waiter, the next to the second', async (port) => {
  const [admin, a, b] = await clients(port, 3);
  await admin!.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
  await blockOn(admin!, a!, 1, ['XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>']);
  await blockOn(admin!, b!, 2, ['XREADGROUP', 'GROUP', 'g', 'bob', 'BLOCK', '0', 'NOACK', 'STREAMS', 's', '>']);
  const log = [await admin!.call('XADD', 's', '1-1', 'job', '1')];
  log.push(await a!.readReply());
  await untilBlocked(admin!, 1);
  log.push(await admin!.call('XADD', 's', '2-1', 'job', '2'), await b!.readReply());
  log.push(await admin!.call('XPENDING', 's', 'g'), await admin!.call('XINFO', 'GROUPS', 's'));
  log.push(await a!.call('XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '20', 'STREAMS', 's', '>'));
  for (const x of [admin, a, b]) x!.close();
  return log;
});

both('XREADGROUP BLOCK: deleted stream, destroyed group, type change answer errors', wokenWithErrors);

s('the errors of a woken XREADGROUP are the catalogue\'s', async () => {
  const log = await wokenWithErrors(kv.port);
  assert.is(log[1], `-${Err.STREAM_BLOCKED_KEY_DELETED}\r\n`);
  assert.is(log[3], `-${Err.STREAM_BLOCKED_NOGROUP}\r\n`);
  assert.is(log[5], `-${Err.STREAM_BLOCKED_KEY_DELETED}\r\n`);
});

async function wokenWithErrors(port: number): Promise<string[]> {
  const [admin, a] = await clients(port, 2);
  const wait = ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>'];
  const log: string[] = [];
  await admin!.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
  await blockOn(admin!, a!, 1, wait);
  log.push(await admin!.call('DEL', 's'), await a!.readReply());
  await admin!.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
  await blockOn(admin!, a!, 1, wait);
  log.push(await admin!.call('XGROUP', 'DESTROY', 's', 'g'), await a!.readReply());
  await admin!.call('XGROUP', 'CREATE', 's', 'g', '$');
  await blockOn(admin!, a!, 1, wait);
  log.push(await admin!.call('SET', 's', 'x'), await a!.readReply());
  // each of the three was served with an error: three failed calls
  log.push(/cmdstat_xreadgroup:.*failed_calls=(\d+)/.exec(await admin!.call('INFO', 'commandstats'))?.[1] ?? 'none');
  for (const x of [admin, a]) x!.close();
  return log;
}

both('CLIENT UNBLOCK and RESP3 shapes', async (port) => {
  const [admin, a] = await clients(port, 2);
  const id = (await a!.call('CLIENT', 'ID')).slice(1, -2);
  await blockOn(admin!, a!, 1, ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$']);
  const log = [await admin!.call('CLIENT', 'UNBLOCK', id), await a!.readReply()];
  await blockOn(admin!, a!, 1, ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$']);
  log.push(await admin!.call('CLIENT', 'UNBLOCK', id, 'ERROR'), await a!.readReply());
  await a!.call('HELLO', '3');
  await blockOn(admin!, a!, 1, ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$']);
  log.push(await admin!.call('XADD', 's', '1-1', 'f', 'v'), await a!.readReply());
  log.push(await a!.call('XREAD', 'STREAMS', 's', 'other', '0', '0'), await a!.call('XREAD', 'BLOCK', '10', 'STREAMS', 's', '$'));
  for (const x of [admin, a]) x!.close();
  return log;
});

both('WATCH: group changes and XSETID do not abort a transaction, XADD does (as Redis)', async (port) => {
  const [w, o] = await clients(port, 2);
  const log: string[] = [];
  for (const cmd of [
    ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'], ['XACK', 's', 'g', '1-1'], ['XGROUP', 'CREATECONSUMER', 's', 'g', 'z'],
    ['XGROUP', 'SETID', 's', 'g', '0'], ['XCLAIM', 's', 'g', 'd', '0', '1-1'], ['XAUTOCLAIM', 's', 'g', 'e', '0', '0'],
    ['XGROUP', 'CREATE', 's', 'g2', '0'], ['XGROUP', 'DESTROY', 's', 'g2'], ['XSETID', 's', '5-5'], ['XADD', 's', '6-6', 'f', 'v'], ['XDEL', 's', '9-9'],
  ]) {
    await o!.call('DEL', 's');
    await o!.call('XADD', 's', '1-1', 'f', 'v');
    await o!.call('XGROUP', 'CREATE', 's', 'g', '0');
    await o!.call('XGROUP', 'CREATE', 's', 'g2', '0');
    await o!.call('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>');
    await o!.call('XGROUP', 'SETID', 's', 'g', '0');
    await o!.call('XGROUP', 'DESTROY', 's', 'g2');
    await w!.call('WATCH', 's');
    log.push(await o!.call(...cmd));
    await w!.call('MULTI');
    await w!.call('PING');
    log.push(`${cmd[0]} ${cmd[1]}: ${await w!.call('EXEC')}`);
  }
  for (const x of [w, o]) x!.close();
  return log;
});

s('a served XREADGROUP propagates XCLAIM and XGROUP SETID, not itself', async () => {
  const effects: string[] = [];
  kv.context.effects = (db, argv) => void effects.push(`${db} ${argv.join(' ')}`);
  try {
    const [admin, a] = await clients(kv.port, 2);
    await admin!.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    effects.length = 0;
    await blockOn(admin!, a!, 1, ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>']);
    await admin!.call('XADD', 's', '1-1', 'f', 'v');
    await a!.readReply();
    assert.is(effects.length, 4, effects.join('\n'));
    assert.is(effects[0], '0 XADD s 1-1 f v');
    assert.is(effects[1], '0 XGROUP CREATECONSUMER s g c');
    assert.match(effects[2]!, /^0 XCLAIM s g c 0 1-1 TIME \d+ RETRYCOUNT 1 FORCE JUSTID LASTID 1-1$/);
    assert.is(effects[3], '0 XGROUP SETID s g 1-1 ENTRIESREAD 1');
    for (const x of [admin, a]) x!.close();
  } finally {
    kv.context.effects = null;
  }
});

s.run();
