/*
 * Typed values and exact decimals over RESP: KV.SETT / KV.GETT / KV.TYPEOF / KV.INCRBYDEC reply
 * shapes (RESP2 and RESP3), how the tag lives through the other commands (INCR keeps an Int,
 * other writes make Bytes, TTL changes, RENAME, COPY, MOVE and SWAPDB carry it), real clients
 * (ioredis, redis-py), and replay of the effects stream (KV.INCRBYDEC propagates its result).
 */
import { spawn } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis } from 'ioredis';
import { FakeClock } from '../src/engine/clock.js';
import { RawClient, requireRedisPy, startKv } from './harness.js';

test('reply shapes in RESP2 and RESP3; validation errors', async () => {
  const kv = await startKv();
  try {
    const c = await RawClient.connect(kv.port);
    assert.is(await c.call('KV.SETT', 'n', 'int', '42'), '+OK\r\n');
    assert.is(await c.call('KV.GETT', 'n'), '*2\r\n$3\r\nint\r\n$2\r\n42\r\n');
    assert.is(await c.call('KV.TYPEOF', 'n'), '$3\r\nint\r\n');
    assert.is(await c.call('KV.GETT', 'missing'), '$-1\r\n');
    assert.is(await c.call('KV.TYPEOF', 'missing'), '$-1\r\n');
    assert.is(await c.call('KV.INCRBYDEC', 'd', '0.1'), '$3\r\n0.1\r\n');
    assert.is(await c.call('KV.INCRBYDEC', 'd', '0.2'), '$3\r\n0.3\r\n');
    await c.call('RPUSH', 'list', 'x');
    assert.is(await c.call('KV.TYPEOF', 'list'), '$4\r\nlist\r\n');
    assert.is(await c.call('KV.GETT', 'list'), '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
    assert.is(await c.call('KV.INCRBYDEC', 'list', '1'), '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
    assert.is(await c.call('HELLO', '3').then((r) => r.startsWith('%')), true);
    assert.is(await c.call('KV.GETT', 'n'), '*2\r\n$3\r\nint\r\n$2\r\n42\r\n');
    assert.is(await c.call('KV.GETT', 'missing'), '_\r\n');
    assert.is(await c.call('KV.TYPEOF', 'missing'), '_\r\n');
    // validation, each with its error; nothing is written
    const bad: Array<[string[], string]> = [
      [['KV.SETT', 'v', 'int', '1.5'], '-ERR value is not an integer or out of range\r\n'],
      [['KV.SETT', 'v', 'int', '01'], '-ERR value is not an integer or out of range\r\n'],
      [['KV.SETT', 'v', 'int', '9223372036854775808'], '-ERR value is not an integer or out of range\r\n'],
      [['KV.SETT', 'v', 'float', 'nan'], '-ERR value is not a valid float\r\n'],
      [['KV.SETT', 'v', 'float', 'inf'], '-ERR value is not a valid float\r\n'],
      [['KV.SETT', 'v', 'float', '1e400'], '-ERR value is not a valid float\r\n'],
      [['KV.SETT', 'v', 'decimal', '1e3'], '-ERR value is not a valid decimal\r\n'],
      [['KV.SETT', 'v', 'decimal', '0.0000000000000000001'], '-ERR value is not a valid decimal\r\n'],
      [['KV.SETT', 'v', 'string', '\xc3\x28'], '-ERR value is not valid UTF-8\r\n'],
      [['KV.SETT', 'v', 'uuid', 'x'], '-ERR unknown value type (bytes, string, int, float or decimal)\r\n'],
      [['KV.SETT', 'v', 'int', '1', 'EX'], '-ERR syntax error\r\n'],
      [['KV.SETT', 'v', 'int', '1', 'EX', '10', 'PX', '10'], '-ERR syntax error\r\n'],
      [['KV.SETT', 'v', 'int', '1', 'KEEPTTL', 'EX', '10'], '-ERR syntax error\r\n'],
      [['KV.SETT', 'v', 'int', '1', 'EX', '0'], "-ERR invalid expire time in 'kv.sett' command\r\n"],
      [['KV.SETT', 'v', 'int', '1', 'NX'], '-ERR syntax error\r\n'],
      [['KV.INCRBYDEC', 'd', 'abc'], '-ERR value is not a valid decimal\r\n'],
      [['KV.INCRBYDEC', 'd', '1.0000000000000000001'], '-ERR value is not a valid decimal\r\n'],
      [['KV.SETT', 'v'], "-ERR wrong number of arguments for 'kv.sett' command\r\n"],
    ];
    for (const [cmd, want] of bad) assert.is(await c.call(...cmd), want, cmd.join(' '));
    assert.is(await c.call('EXISTS', 'v'), ':0\r\n');
    // canonical text: what GET answers
    const canon: Array<[string, string, string]> = [
      ['float', '1.50', '1.5'],
      ['float', '-0.0', '-0'],
      ['float', '1e21', '1e+21'],
      ['float', '0.1', '0.1'],
      ['decimal', '-007.2500', '-7.25'],
      ['decimal', '+.5', '0.5'],
      ['string', 'héllo'.replace('é', '\xc3\xa9'), 'h\xc3\xa9llo'],
      ['bytes', '\x00\xff', '\x00\xff'],
    ];
    for (const [type, input, want] of canon) {
      assert.is(await c.call('KV.SETT', 'v', type, input), '+OK\r\n');
      assert.is(await c.call('GET', 'v'), `$${want.length}\r\n${want}\r\n`, `${type} ${input}`);
    }
    // a decimal that needs more than 38 digits
    await c.call('KV.SETT', 'big', 'decimal', '99999999999999999999.999999999999999999');
    assert.is(await c.call('KV.INCRBYDEC', 'big', '0.000000000000000002'), '-ERR decimal overflow\r\n');
    assert.is(await c.call('GET', 'big'), '$39\r\n99999999999999999999.999999999999999999\r\n');
    assert.is(await c.call('KV.INCRBYDEC', 'big', '0.000000000000000001'), '$21\r\n100000000000000000000\r\n');
    c.close();
  } finally {
    await kv.stop();
  }
});

test('ioredis: the tag through INCR, plain writes, TTL changes, RENAME, COPY, MOVE, SWAPDB', async () => {
  const kv = await startKv();
  const r = new Redis({ port: kv.port, lazyConnect: true });
  try {
    await r.connect();
    const gett = (k: string) => r.call('KV.GETT', k) as Promise<[string, string] | null>;
    assert.is(await r.call('KV.SETT', 'n', 'int', '5'), 'OK');
    assert.is(await r.incr('n'), 6);
    assert.is(await r.incrby('n', 10), 16);
    assert.is(await r.decr('n'), 15);
    assert.is(await r.decrby('n', 5), 10);
    assert.equal(await gett('n'), ['int', '10']);
    // past 2^53 (held by handle) and back
    assert.is(await r.incrby('n', '9007199254740990'), 9007199254741000);
    assert.equal(await gett('n'), ['int', '9007199254741000']);
    assert.is(await r.call('KV.TYPEOF', 'n'), 'int');
    // TTL changes keep the tag
    await r.expire('n', 100);
    assert.is(await r.call('KV.TYPEOF', 'n'), 'int');
    await r.persist('n');
    await r.getex('n', 'PX', 5000);
    assert.is(await r.call('KV.TYPEOF', 'n'), 'int');
    // RENAME, COPY, MOVE, SWAPDB carry it
    await r.rename('n', 'renamed');
    assert.is(await r.call('KV.TYPEOF', 'renamed'), 'int');
    assert.is(await r.copy('renamed', 'copied'), 1);
    assert.is(await r.call('KV.TYPEOF', 'copied'), 'int');
    assert.is(await r.call('COPY', 'renamed', 'in-db2', 'DB', '2'), 1);
    assert.is(await r.move('copied', 1), 1);
    await r.select(1);
    assert.equal(await gett('copied'), ['int', '9007199254741000']);
    await r.select(0);
    await r.swapdb(0, 1);
    assert.is(await r.call('KV.TYPEOF', 'copied'), 'int');
    await r.swapdb(0, 1);
    await r.select(2);
    assert.is(await r.call('KV.TYPEOF', 'in-db2'), 'int');
    await r.select(0);
    // any other write makes it bytes again
    const resets: Array<[string, () => Promise<unknown>]> = [
      ['SET', () => r.set('t', '10')],
      ['SET KEEPTTL', () => r.set('t', '10', 'KEEPTTL')],
      ['APPEND', () => r.append('t', '0')],
      ['SETRANGE', () => r.setrange('t', 0, '9')],
      ['INCRBYFLOAT', () => r.incrbyfloat('t', 1)],
      ['GETSET', () => r.getset('t', '7')],
      ['MSET', () => r.mset('t', '7')],
      ['SETBIT', () => r.setbit('t', 0, 1)],
    ];
    for (const [what, write] of resets) {
      await r.call('KV.SETT', 't', 'int', '10');
      await write();
      assert.is(await r.call('KV.TYPEOF', 't'), 'bytes', what);
    }
    // INCR on other tags parses the canonical string, as Redis's INCR, and leaves bytes
    await r.call('KV.SETT', 'd', 'decimal', '5');
    assert.is(await r.incr('d'), 6);
    assert.is(await r.call('KV.TYPEOF', 'd'), 'bytes');
    await r.call('KV.SETT', 'd', 'decimal', '5.5');
    let failed = '';
    await r.incr('d').catch((e: Error) => (failed = e.message));
    assert.is(failed, 'ERR value is not an integer or out of range');
    assert.equal(await gett('d'), ['decimal', '5.5']);
    // INCR on a missing key writes bytes; KV.INCRBYDEC writes decimal and keeps the TTL
    await r.incr('fresh');
    assert.is(await r.call('KV.TYPEOF', 'fresh'), 'bytes');
    await r.set('money', '10.10', 'EX', 100);
    assert.is(await r.call('KV.INCRBYDEC', 'money', '-0.1'), '10');
    assert.equal(await gett('money'), ['decimal', '10']);
    assert.ok((await r.ttl('money')) > 90);
    assert.is(await r.call('OBJECT', 'ENCODING', 'money'), 'int');
    assert.is(await r.incr('n-missing'), 1);
    // 0.1 ten times is exactly 1
    for (let i = 0; i < 10; i++) await r.call('KV.INCRBYDEC', 'tenth', '0.1');
    assert.is(await r.get('tenth'), '1');
    // KV.SETT options
    assert.is(await r.call('KV.SETT', 'e', 'float', '2.5', 'PX', '50000'), 'OK');
    assert.ok((await r.pttl('e')) > 40000);
    assert.is(await r.call('KV.SETT', 'e', 'float', '3.5', 'KEEPTTL'), 'OK');
    assert.ok((await r.pttl('e')) > 40000);
    assert.is(await r.call('KV.SETT', 'e', 'float', '4.5'), 'OK');
    assert.is(await r.pttl('e'), -1);
    // a large string (held by handle) keeps its tag too
    const large = 'é'.repeat(40_000);
    assert.is(await r.call('KV.SETT', 'large', 'string', large), 'OK');
    assert.is(await r.call('KV.TYPEOF', 'large'), 'string');
    assert.is(await r.get('large'), large);
  } finally {
    r.disconnect();
    await kv.stop();
  }
});

const PY = `
import sys, redis
from decimal import Decimal
r = redis.Redis(host="127.0.0.1", port=int(sys.argv[1]), decode_responses=True)
assert r.execute_command("KV.SETT", "n", "int", "41") == "OK"
assert r.incr("n") == 42
assert r.execute_command("KV.GETT", "n") == ["int", "42"]
assert r.execute_command("KV.TYPEOF", "n") == "int"
r.set("n", "plain")
assert r.execute_command("KV.TYPEOF", "n") == "bytes"
total = Decimal(0)
for step in ["0.1", "0.2", "-0.05", "1234567.891", "0.000000000000000001"]:
    total += Decimal(step)
    got = r.execute_command("KV.INCRBYDEC", "acc", step)
    assert Decimal(got) == total, (got, total)
assert r.get("acc") == "1234568.141000000000000001", r.get("acc")
try:
    r.execute_command("KV.INCRBYDEC", "acc", "1e5")
    raise SystemExit("no error")
except redis.ResponseError as e:
    assert str(e) == "value is not a valid decimal", str(e)
r.execute_command("KV.SETT", "max", "decimal", "9" * 38)
try:
    r.execute_command("KV.INCRBYDEC", "max", "1")
    raise SystemExit("no error")
except redis.ResponseError as e:
    assert str(e) == "decimal overflow", str(e)
p = r.pipeline()
p.execute_command("KV.SETT", "f", "float", "0.25")
p.execute_command("KV.GETT", "f")
assert p.execute() == ["OK", ["float", "0.25"]]
print("ok")
`;

test('redis-py: typed values and decimals through execute_command and a pipeline', async () => {
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

test('the effects stream replays typed values, decimals and namespaces exactly', async () => {
  const start = 1_700_000_000_000;
  const clock = new FakeClock(start);
  const kv = await startKv({}, clock);
  const recorded: Array<{ db: number | string; argv: string[]; at: number }> = [];
  // a namespace's effects carry its (negative) id: the consumer resolves the name at once
  kv.context.effects = (db, argv) =>
    recorded.push({ db: db >= 0 ? db : kv.context.keyspace.byId(db)!.name!, argv: [...argv], at: clock.ms });
  const replayClock = new FakeClock(start);
  const fresh = await startKv({}, replayClock);
  const script: string[][] = [
    ['KV.SETT', 'i', 'int', '1', 'EX', '100'],
    ['INCR', 'i'],
    ['KV.INCRBYDEC', 'd', '0.1'],
    ['KV.INCRBYDEC', 'd', '0.2'],
    ['EXPIRE', 'd', '50'],
    ['KV.INCRBYDEC', 'd', '-1.05'],
    ['KV.NS', 'USE', 'tenant'],
    ['KV.SETT', 'f', 'float', '1.50', 'PX', '30000'],
    ['KV.INCRBYDEC', 'd', '3.3'],
    ['MULTI'],
    ['KV.INCRBYDEC', 'd', '0.7'],
    ['KV.SETT', 's', 'string', 'ok'],
    ['EXEC'],
    ['EVAL', "return redis.call('KV.INCRBYDEC', KEYS[1], '0.01')", '1', 'd'],
    ['SELECT', '3'],
    ['KV.SETT', 'x', 'decimal', '2.50'],
    ['COPY', 'x', 'y'],
  ];
  try {
    const c = await RawClient.connect(kv.port);
    for (const cmd of script) {
      clock.advance(1000);
      const reply = await c.call(...cmd);
      assert.not.ok(reply.startsWith('-'), `${cmd.join(' ')}: ${reply}`);
    }
    const snapshot = async (rc: RawClient): Promise<string[]> => {
      const out: string[] = [];
      for (const [sel, keys] of [[['SELECT', '0'], ['i', 'd']], [['KV.NS', 'USE', 'tenant'], ['f', 'd', 's']], [['SELECT', '3'], ['x', 'y']]] as const) {
        await rc.call(...sel);
        for (const k of keys) out.push(`${sel.join(' ')} ${k} ${await rc.call('KV.GETT', k)} ${await rc.call('PEXPIRETIME', k)}`);
      }
      return out;
    };
    const want = await snapshot(c);
    assert.ok(want.some((l) => l.includes('decimal') && l.includes('4.01')), want.join('\n'));
    c.close();
    // no increment is replayed as an addition
    assert.not.ok(recorded.some((e) => e.argv[0]!.toUpperCase() === 'KV.INCRBYDEC'), JSON.stringify(recorded));
    const replay = await RawClient.connect(fresh.port);
    let db: number | string = 0;
    for (const e of recorded) {
      replayClock.ms = e.at;
      if (e.db !== db) {
        const sel = typeof e.db === 'number' ? ['SELECT', String(e.db)] : ['KV.NS', 'USE', e.db];
        assert.is(await replay.call(...sel), '+OK\r\n');
        db = e.db;
      }
      const reply = await replay.call(...e.argv);
      assert.not.ok(reply.startsWith('-'), `replaying ${JSON.stringify(e.argv)}: ${reply}`);
    }
    replayClock.ms = clock.ms;
    assert.equal(await snapshot(replay), want);
    replay.close();
  } finally {
    await kv.stop();
    await fresh.stop();
  }
});

test.run();
