/*
 * kv-server as a replication master: a client that sends SYNC/PSYNC gets the dataset as an RDB
 * payload, then the stream of effects.
 *  - The stream, differentially: the same commands run against kv-server and a real
 *    redis-server, each with a SYNC client attached; the commands each stream carries must be
 *    the same (absolute times normalised), as Redis's own test suite reads them
 *    (attach_to_replication_stream).
 *  - A real redis-server replica of kv-server ends with the same dataset as kv-server: every type,
 *    binary keys, TTLs, several databases, transactions, scripts, expiry, a function library —
 *    what the RDB payload carried and what the stream carried after it.
 *  - A replica's connection: no replies to its own commands, REPLCONF ACK recorded, INFO, ROLE,
 *    CLIENT LIST, and the effects stream released when the last replica goes.
 */
import { test } from 'uvu';
import net from 'node:net';
import * as assert from 'uvu/assert';
import { connect, KvError } from '../src/client/index.js';
import { Err } from '../src/resp/errors.js';
import { dataset, writeEverything } from './dataset.js';
import { RawClient, decodeReply, startKv, startKvWithBinPort, startRedis } from './harness.js';

/** Connects, sends SYNC (or PSYNC), skips the RDB payload; returns the client and the +FULLRESYNC line. */
async function attach(port: number, psync = false): Promise<{ repl: RawClient; fullresync: string | null }> {
  const repl = await RawClient.connect(port);
  repl.write(psync ? 'PSYNC ? -1\r\n' : 'SYNC\r\n');
  let line = await repl.readLine();
  let fullresync: string | null = null;
  if (line.startsWith('+FULLRESYNC')) {
    fullresync = line;
    line = await repl.readLine();
  }
  assert.ok(line.startsWith('$'), `payload length line, got ${JSON.stringify(line)}`);
  const payload = await repl.readBytes(Number(line.slice(1)));
  assert.equal(payload.subarray(0, 5).toString('latin1'), 'REDIS');
  return { repl, fullresync };
}

/** Reads the stream's commands up to and including `SET <sentinel> <sentinel>`, first argument lowercased. */
async function readStreamUntil(repl: RawClient, sentinel: string): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const cmd = decodeReply(await repl.readReply()) as string[];
    cmd[0] = cmd[0]!.toLowerCase();
    // absolute times (PXAT, PEXPIREAT, stream ids' milliseconds) differ between two runs
    out.push(cmd.map((a) => a.replace(/^\d{13}(?=$|-)/, '<ms>')).join(' '));
    if (cmd[0] === 'set' && cmd[1] === sentinel) return out;
  }
}

type Cmd = string[];

/** Each sequence runs on a fresh server pair; its stream is compared. */
const SEQUENCES: Record<string, Cmd[]> = {
  'plain writes, no-op writes and reads': [
    ['SET', 'foo', 'bar'], ['GET', 'foo'], ['DEL', 'missing'], ['INCR', 'n'], ['APPEND', 'foo', 'x'], ['SETNX', 'foo', 'y'],
    ['MSET', 'a', '1', 'b', '2'], ['EXISTS', 'a'], ['DEL', 'a', 'b', 'c'], ['PUBLISH', 'ch', 'msg'],
  ],
  'rewritten effects': [
    ['SET', 'k', 'v', 'EX', '100'], ['EXPIRE', 'k', '200'], ['PEXPIRE', 'k', '300000'], ['SETEX', 'k2', '100', 'v'],
    ['INCRBYFLOAT', 'f', '1.5'], ['GETDEL', 'f'], ['GETEX', 'k', 'EX', '50'], ['GETEX', 'k', 'PERSIST'],
    ['SADD', 's', 'a'], ['SPOP', 's'], ['SADD', 's', 'a', 'b'], ['SPOP', 's', '5'], ['RPUSH', 'l', 'a', 'b'], ['LMOVE', 'l', 'l2', 'LEFT', 'RIGHT'],
    ['RPOPLPUSH', 'l', 'l2'], ['EXPIRE', 'l2', '-1'],
  ],
  'transactions': [
    ['MULTI'], ['SET', 'a', '1'], ['EXEC'],
    ['MULTI'], ['SET', 'a{t}', '1'], ['GET', 'a{t}'], ['INCR', 'b{t}'], ['EXEC'],
    ['MULTI'], ['GET', 'a'], ['EXEC'],
    ['MULTI'], ['DEL', 'nothing'], ['EXEC'],
    ['MULTI'], ['SELECT', '1'], ['SET', 'x', '1'], ['SELECT', '2'], ['SET', 'y', '2'], ['EXEC'],
    ['MULTI'], ['PUBLISH', 'c', 'm'], ['EXEC'],
    ['SELECT', '0'],
  ],
  'scripts': [
    ['EVAL', "redis.call('set', KEYS[1], 'x')", '1', 'k1'],
    ['EVAL', "redis.call('set', KEYS[1], 'x'); redis.call('incr', KEYS[2])", '2', 'k1', 'k2'],
    ['EVAL', "return redis.call('get', KEYS[1])", '1', 'k1'],
    ['EVAL', "redis.call('select', 3); redis.call('set', 'x', 'y')", '0'],
  ],
  'functions and script loading': [
    ['FUNCTION', 'LOAD', "#!lua name=lib1\nredis.register_function('f1', function() return 1 end)"],
    ['FUNCTION', 'LOAD', 'REPLACE', "#!lua name=lib1\nredis.register_function('f2', function(k) return redis.call('set', k[1], 'v') end)"],
    ['FCALL', 'f2', '1', 'fk'], ['FUNCTION', 'DELETE', 'lib1'], ['FUNCTION', 'DELETE', 'nope'],
    ['SCRIPT', 'LOAD', 'return 1'], ['MULTI'], ['SCRIPT', 'LOAD', "redis.call('set', KEYS[1], 'foo')"], ['SET', 'foo', 'bar'], ['EXEC'],
    ['FUNCTION', 'FLUSH'], ['SCRIPT', 'FLUSH'],
  ],
  'databases': [['SET', 'a', '1'], ['SELECT', '4'], ['SET', 'b', '2'], ['SELECT', '0'], ['SET', 'c', '3'], ['FLUSHDB'], ['SWAPDB', '0', '4']],
};

for (const [name, commands] of Object.entries(SEQUENCES)) {
  test(`the replication stream as Redis writes it: ${name}`, async () => {
    const redis = await startRedis();
    if (redis === null) return console.log('skipped: redis-server not installed');
    const kv = await startKv();
    try {
      const streams: string[][] = [];
      for (const port of [redis.port, kv.port]) {
        const { repl } = await attach(port);
        const c = await RawClient.connect(port);
        for (const cmd of commands) await c.call(...cmd);
        await c.call('SELECT', '0');
        await c.call('SET', 'sentinel', 'sentinel');
        streams.push(await readStreamUntil(repl, 'sentinel'));
        c.close();
        repl.close();
      }
      assert.equal(streams[1], streams[0]);
    } finally {
      await kv.stop();
      await redis.stop();
    }
  });
}

test('a real redis-server replica of kv-server holds what kv-server holds', async () => {
  const redis = await startRedis();
  if (redis === null) return console.log('skipped: redis-server not installed');
  const kv = await startKv();
  try {
    const master = await RawClient.connect(kv.port);
    // before the replica: carried by the RDB payload
    await writeEverything(master, 'before');
    await master.call('FUNCTION', 'LOAD', "#!lua name=replib\nredis.register_function{function_name='f1', callback=function() return 1 end, flags={'no-writes'}}");
    const replica = await RawClient.connect(redis.port);
    assert.equal(await replica.call('REPLICAOF', '127.0.0.1', String(kv.port)), '+OK\r\n');
    const deadline = Date.now() + 10_000;
    while (!(await replica.call('INFO', 'replication')).includes('master_link_status:up')) {
      assert.ok(Date.now() < deadline, 'the replica did not connect');
      await new Promise((r) => setTimeout(r, 50));
    }
    // after: carried by the stream
    await writeEverything(master, 'after');
    await master.call('DEL', 'before:str');
    await master.call('RENAME', 'before:list', 'before:renamed');
    await new Promise((r) => setTimeout(r, 20));
    // lazy expiry of before:gone and after:gone reaches the replica as DEL
    await master.call('GET', 'after:gone');
    await master.call('GET', 'before:gone');
    await master.call('SET', 'last', 'write');
    const expected = await dataset(master);
    assert.ok(expected.length > 30, `a dataset to compare (${expected.length} keys)`);
    let got: string[] = [];
    while (Date.now() < deadline) {
      got = await dataset(replica);
      if (JSON.stringify(got) === JSON.stringify(expected)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(got, expected);
    // the function library came with the RDB payload (a read-only replica runs only no-writes functions)
    assert.match(await replica.call('FUNCTION', 'LIST'), 'replib');
    assert.match(await replica.call('FCALL_RO', 'f1', '0'), ':1');
    assert.match(await master.call('INFO', 'replication'), /connected_slaves:1\r\nslave0:ip=127\.0\.0\.1,port=\d+,state=online,offset=\d+,lag=\d+\r\n/);
    master.close();
    replica.close();
  } finally {
    await redis.stop();
    await kv.stop();
  }
});

test("a replica's connection: no replies, REPLCONF ACK, INFO, ROLE, CLIENT LIST, release on close", async () => {
  const kv = await startKv();
  try {
    const c = await RawClient.connect(kv.port);
    // from a client that is not a replica, ACK and GETACK are answered with nothing, as Redis
    c.write('REPLCONF ACK 5\r\nREPLCONF GETACK *\r\nPING\r\n');
    assert.equal(await c.readReply(), '+PONG\r\n');
    const { repl, fullresync } = await attach(kv.port, true);
    assert.match(fullresync!, new RegExp(`^\\+FULLRESYNC ${kv.context.runId} \\d+$`));
    repl.write('REPLCONF listening-port 7001\r\nREPLCONF ACK 123\r\nPING\r\nGET x\r\n');
    await c.call('SET', 'x', 'y');
    // the replica's own commands got nothing back: the next thing it reads is the stream
    assert.equal(decodeReply(await repl.readReply()), ['SELECT', '0']);
    assert.equal(decodeReply(await repl.readReply()), ['SET', 'x', 'y']);
    const info = await c.call('INFO', 'replication');
    assert.match(info, /connected_slaves:1\r\nslave0:ip=127\.0\.0\.1,port=7001,state=online,offset=123,lag=0\r\n/);
    assert.equal(decodeReply(await c.call('ROLE')), ['master', Number(/master_repl_offset:(\d+)/.exec(info)![1]), [['127.0.0.1', '7001', '123']]]);
    assert.match(await c.call('CLIENT', 'LIST', 'TYPE', 'replica'), / flags=S /);
    assert.ok(kv.context.effects !== null, 'the effects stream is consumed while a replica is attached');
    repl.close();
    const deadline = Date.now() + 5000;
    while (!(await c.call('INFO', 'replication')).includes('connected_slaves:0')) {
      assert.ok(Date.now() < deadline, 'the replica is still counted after it closed');
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.is(kv.context.effects, null);
    // SYNC with replies still pending in the same pipeline is refused, as Redis does
    const p = await RawClient.connect(kv.port);
    p.write('PING\r\nSYNC\r\n');
    assert.equal(await p.readReply(), '+PONG\r\n');
    assert.equal(await p.readReply(), `-${Err.SYNC_PENDING_OUTPUT}\r\n`);
    p.close();
    c.close();
  } finally {
    await kv.stop();
  }
});

test('SYNC over the binary protocol is refused: the stream is RESP', async () => {
  const kv = await startKvWithBinPort();
  try {
    const client = await connect(`kv://127.0.0.1:${kv.binPort}`);
    const err = await client.command('SYNC').catch((e: unknown) => e);
    assert.ok(err instanceof KvError);
    assert.is((err as KvError).message, Err.SYNC_NEEDS_RESP);
    assert.is(await client.command('PING'), 'PONG');
    assert.is(kv.context.replication.replicas.size, 0);
    await client.close();
  } finally {
    await kv.stop();
  }
});

test("a replica's RDB payload is not held against its output limit; the stream after it is", async () => {
  const kv = await startKv({ 'client-output-buffer-limit': 'replica 1mb 0 0' });
  try {
    const c = await RawClient.connect(kv.port);
    await c.call('SET', 'big', 'x'.repeat(40_000_000));
    // a replica that reads nothing: its payload (40 MB, more than the kernel's socket buffers take)
    // waits in the server's output
    const stalled = net.connect(kv.port, '127.0.0.1');
    await new Promise((r) => stalled.once('connect', r));
    stalled.pause();
    stalled.write('SYNC\r\n');
    const attached = Date.now() + 5000;
    while (!(await c.call('INFO', 'replication')).includes('connected_slaves:1')) {
      assert.ok(Date.now() < attached, 'the replica did not attach');
      await new Promise((r) => setTimeout(r, 20));
    }
    // a small write goes into its stream: the payload in front of it does not count
    await c.call('SET', 'small', '1');
    assert.match(await c.call('INFO', 'replication'), 'connected_slaves:1');
    // 8 MB of stream it does not read: over the 1 MB limit, it is disconnected
    for (let i = 0; i < 4; i++) await c.call('SET', `v${i}`, 'y'.repeat(2_000_000));
    const deadline = Date.now() + 5000;
    while (!(await c.call('INFO', 'replication')).includes('connected_slaves:0')) {
      assert.ok(Date.now() < deadline, 'the replica over its limit is still attached');
      await new Promise((r) => setTimeout(r, 20));
    }
    stalled.destroy();
    c.close();
  } finally {
    await kv.stop();
  }
});

test('a replica is fed a PING every repl-ping-replica-period seconds', async () => {
  const kv = await startKv({ 'repl-ping-replica-period': '1' });
  try {
    const { repl } = await attach(kv.port);
    const started = Date.now();
    assert.equal(decodeReply(await repl.readReply(3000)), ['PING']);
    assert.ok(Date.now() - started >= 500, 'not at once: a period after attaching');
    repl.close();
  } finally {
    await kv.stop();
  }
});

test.run();
