/*
 * Robustness over real sockets: how the input is split never changes the replies; huge
 * arguments round-trip; protocol errors and limits close only the offending connection, with
 * Redis's exact bytes; abrupt disconnects, many connections and a client that does not read
 * leave the server serving everyone. After each scenario a fresh connection's PING gets PONG and
 * earlier data is intact.
 */
import net from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rng } from './fuzz-grammar.js';
import { encodeCommand, RawClient, startKv, startRedis, type RealRedis } from './harness.js';
import type { RunningServer } from '../src/server/app.js';

const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const test = suite('robustness over sockets');
let kv: RunningServer;
let redis: RealRedis | null = null;
test.before(async () => {
  kv = await startKv();
  redis = await startRedis();
  const c = await RawClient.connect(kv.port);
  await c.call('SET', 'sentinel', 'still here');
  c.close();
});
test.after(async () => {
  await kv?.stop();
  await redis?.stop();
});
// the server survives every scenario: a fresh connection is served and earlier data is intact
test.after.each(async () => {
  const c = await RawClient.connect(kv.port);
  try {
    assert.is(await c.call('PING'), '+PONG\r\n');
    assert.is(await c.call('GET', 'sentinel'), '$10\r\nstill here\r\n');
  } finally {
    c.close();
  }
});

/** A pipelined script (multibulk and inline, binary, a 100 KB value) on keys under `p`. */
function script(p: string): { bytes: Buffer; replies: number } {
  const big = Buffer.alloc(100 * 1024, 'z');
  const cmds: Array<Array<string | Buffer>> = [
    ['SET', `${p}a`, '1'], ['INCR', `${p}a`], ['INCRBY', `${p}a`, '-10'], ['GET', `${p}a`],
    ['SET', `${p}bin`, '\x00\r\n\xff*$'], ['GET', `${p}bin`], ['APPEND', `${p}bin`, '\r\n'], ['STRLEN', `${p}bin`],
    ['SET', `${p}big`, big], ['STRLEN', `${p}big`], ['GETRANGE', `${p}big`, '-3', '-1'],
    ['MSET', `${p}x`, '', `${p}y`, 'yy'], ['MGET', `${p}x`, `${p}y`, `${p}none`], ['EXISTS', `${p}x`, `${p}y`, `${p}a`],
    ['INCR', `${p}bin`], ['NOSUCH', 'arg'], ['GET'], ['PING', 'pong?'], ['DEL', `${p}x`], ['ECHO', ''],
  ];
  const parts = cmds.map((c) => encodeCommand(c));
  // inline commands, with and without CR, quoted arguments and an empty line
  parts.push(Buffer.from(`SET ${p}inl "a b\\x41"\r\nGET ${p}inl\n\r\nEXISTS ${p}inl ${p}inl\r\n`, 'latin1'));
  return { bytes: Buffer.concat(parts), replies: cmds.length + 3 };
}

/** Writes `bytes` in pieces of the sizes `next()` gives, yielding to the event loop between them. */
async function writeInPieces(socket: net.Socket, bytes: Buffer, next: () => number): Promise<void> {
  for (let at = 0; at < bytes.length; ) {
    const n = Math.max(1, Math.min(next(), bytes.length - at));
    socket.write(bytes.subarray(at, at + n));
    at += n;
    await new Promise((r) => setImmediate(r));
  }
}

/** Sends `s` (split by `next`, or whole) and returns the concatenated raw replies. */
async function runScript(s: { bytes: Buffer; replies: number }, next?: () => number): Promise<string> {
  const c = await RawClient.connect(kv.port);
  try {
    await c.call('SELECT', '3');
    if (next) await writeInPieces(c.socket, s.bytes, next);
    else c.write(s.bytes);
    let out = '';
    for (let i = 0; i < s.replies; i++) out += await c.readReply();
    return out;
  } finally {
    c.close();
  }
}

test('a pipelined script gives the same bytes sent whole, byte by byte and in random chunks', async () => {
  const s = script('split:');
  const whole = await runScript(s);
  assert.ok(whole.includes(':102400\r\n$3\r\nzzz\r\n'), 'the big value was stored');
  assert.ok(whole.includes('-ERR unknown command'), 'errors are replies in the stream');
  // byte by byte: only the first 4 KB one byte at a time (the rest in 3-byte pieces), to stay fast
  let sent = 0;
  assert.is(await runScript(s, () => (sent++ < 4096 ? 1 : 3)), whole);
  for (const seed of [1, 2, 3]) {
    const r = rng(seed);
    assert.is(await runScript(s, () => 1 + Math.floor(r() * (r() < 0.5 ? 16 : 8192))), whole, `seed ${seed}`);
  }
});

test('the same script interleaved across several connections', async () => {
  const prefixes = ['p0:', 'p1:', 'p2:', 'p3:', 'p4:'];
  const wholes = [];
  for (const p of prefixes) wholes.push(await runScript(script(p)));
  const got = await Promise.all(prefixes.map((p, i) => {
    const r = rng(100 + i);
    return runScript(script(p), () => 1 + Math.floor(r() * 700));
  }));
  assert.equal(got, wholes);
});

/** Collects `n` bytes from `socket` (with one concatenation at the end). */
function readBytes(socket: net.Socket, n: number, timeoutMs = 20000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let have = 0;
    const t = setTimeout(() => done(new Error(`only ${have} of ${n} bytes within ${timeoutMs}ms`)), timeoutMs);
    const onData = (d: Buffer) => {
      chunks.push(d);
      have += d.length;
      if (have >= n) done(null);
    };
    const done = (err: Error | null) => {
      clearTimeout(t);
      socket.off('data', onData);
      if (err) reject(err);
      else resolve(Buffer.concat(chunks));
    };
    socket.on('data', onData);
  });
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

test('a 64 MB value sent in many chunks round-trips byte-exact', async () => {
  const size = 64 * MB;
  const value = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i += 4) value.writeUInt32LE((i * 2654435761) >>> 0, i);
  const s = await connect(kv.port);
  try {
    const header = Buffer.from(`*3\r\n$3\r\nSET\r\n$8\r\nbig:64mb\r\n$${size}\r\n`);
    s.write(header);
    for (let at = 0; at < size; at += MB) s.write(value.subarray(at, at + MB));
    s.write('\r\n');
    assert.is((await readBytes(s, 5)).toString(), '+OK\r\n');
    s.write(encodeCommand(['GET', 'big:64mb']));
    const head = `$${size}\r\n`;
    const reply = await readBytes(s, head.length + size + 2);
    assert.is(reply.length, head.length + size + 2);
    assert.is(reply.toString('latin1', 0, head.length), head);
    assert.ok(reply.subarray(head.length, head.length + size).equals(value), 'the value is byte-exact');
    assert.is(reply.toString('latin1', head.length + size), '\r\n');
    s.write(encodeCommand(['DEL', 'big:64mb']));
    assert.is((await readBytes(s, 4)).toString(), ':1\r\n');
  } finally {
    s.destroy();
  }
});

test('a 1 MB key and an MSET of 100k arguments', async () => {
  const c = await RawClient.connect(kv.port);
  try {
    await c.call('SELECT', '4');
    const key = Buffer.alloc(MB, 'k');
    key[0] = 0;
    assert.is(await c.call('SET', key, 'v'), '+OK\r\n');
    assert.is(await c.call('GET', key), '$1\r\nv\r\n');
    assert.is(await c.call('STRLEN', key), ':1\r\n');
    assert.is(await c.call('DEL', key), ':1\r\n');
    const args: string[] = ['MSET'];
    for (let i = 0; i < 50000; i++) args.push(`m:${i}`, String(i));
    assert.is(await c.call(...args), '+OK\r\n');
    assert.is(await c.call('DBSIZE'), ':50000\r\n');
    assert.is(await c.call('MGET', 'm:0', 'm:49999', 'm:50000'), '*3\r\n$1\r\n0\r\n$5\r\n49999\r\n$-1\r\n');
    assert.is(await c.call('FLUSHDB'), '+OK\r\n');
  } finally {
    c.close();
  }
});

/** Sends `bytes` on a fresh connection and returns everything received until the server closes. */
async function untilClose(port: number, bytes: string | Buffer): Promise<string> {
  const c = await RawClient.connect(port);
  c.write(bytes);
  try {
    return await c.readUntilClose(10000);
  } finally {
    c.close();
  }
}

test('a bulk length past proto-max-bulk-len is refused as Redis does; other connections go on', async () => {
  const other = await RawClient.connect(kv.port);
  try {
    await other.call('SET', 'other', '1');
    const bytes = `*2\r\n$3\r\nGET\r\n$${512 * MB + 1}\r\n`;
    const got = await untilClose(kv.port, bytes);
    assert.is(got, '-ERR Protocol error: invalid bulk length\r\n');
    if (redis) assert.is(got, await untilClose(redis.port, bytes));
    assert.is(await other.call('GET', 'other'), '$1\r\n1\r\n');
    assert.is(await other.call('DEL', 'other'), ':1\r\n');
  } finally {
    other.close();
  }
});

test('unauthenticated clients get Redis\'s tighter protocol limits', async () => {
  const servers: Array<[string, number]> = [['kv', kv.port]];
  if (redis) servers.push(['redis', redis.port]);
  for (const [, port] of servers) {
    const admin = await RawClient.connect(port);
    assert.is(await admin.call('CONFIG', 'SET', 'requirepass', 'sekret'), '+OK\r\n');
    admin.close();
  }
  try {
    const cases = [
      '*11\r\n',
      `*2\r\n$3\r\nGET\r\n$16385\r\n`,
      '*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$99999\r\n',
    ];
    const want = [
      '-ERR Protocol error: unauthenticated multibulk length\r\n',
      '-ERR Protocol error: unauthenticated bulk length\r\n',
      '-NOAUTH Authentication required.\r\n-ERR Protocol error: unauthenticated bulk length\r\n',
    ];
    for (let i = 0; i < cases.length; i++) {
      const got = await untilClose(kv.port, cases[i]!);
      assert.is(got, want[i]);
      if (redis) assert.is(got, await untilClose(redis.port, cases[i]!), `case ${i} vs redis-server`);
    }
    // within the limits, an unauthenticated client is answered NOAUTH and stays connected
    const c = await RawClient.connect(kv.port);
    assert.is(await c.call('GET', 'x'.repeat(16384)), '-NOAUTH Authentication required.\r\n');
    assert.is(await c.call('AUTH', 'sekret'), '+OK\r\n');
    assert.is(await c.call('ECHO', 'y'.repeat(20000)), `$20000\r\n${'y'.repeat(20000)}\r\n`);
    c.close();
  } finally {
    for (const [, port] of servers) {
      const admin = await RawClient.connect(port);
      assert.is(await admin.call('AUTH', 'sekret'), '+OK\r\n');
      assert.is(await admin.call('CONFIG', 'SET', 'requirepass', ''), '+OK\r\n');
      admin.close();
    }
  }
});

test('a command past client-query-buffer-limit closes that connection only', async () => {
  const admin = await RawClient.connect(kv.port);
  try {
    assert.is(await admin.call('CONFIG', 'SET', 'client-query-buffer-limit', '1mb'), '+OK\r\n');
    const c = await RawClient.connect(kv.port);
    assert.is(await c.call('SET', 'qb', 'x'.repeat(512 * 1024)), '+OK\r\n');
    c.write(encodeCommand(['SET', 'qb', 'y'.repeat(2 * MB)]));
    assert.is(await c.readUntilClose(10000), '', 'closed without a reply');
    assert.is(await admin.call('STRLEN', 'qb'), `:${512 * 1024}\r\n`);
    assert.is(await admin.call('DEL', 'qb'), ':1\r\n');
  } finally {
    assert.is(await admin.call('CONFIG', 'SET', 'client-query-buffer-limit', '1gb'), '+OK\r\n');
    admin.close();
  }
});

/*
 * Malformed input after valid commands: the replies of the commands before it, then
 * `-ERR Protocol error: …`, then the connection closes. Byte for byte against redis-server.
 */
const MALFORMED: Record<string, string> = {
  'expected $': 'SET pe 1\r\nGET pe\r\n*1\r\nx\r\nPING\r\n',
  'negative bulk length': '*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$-5\r\nab\r\n',
  'bulk length not a number': '*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1x\r\n',
  'multibulk length not a number': 'PING\r\n*abc\r\n',
  'multibulk length past INT_MAX': '*1\r\n$4\r\nPING\r\n*3000000000\r\n',
  'unbalanced quotes inline': 'ECHO ok\r\nSET a "b\r\nPING\r\n',
  'closing quote followed by a character': "ECHO ok\r\nSET 'a'b c\r\n",
  'inline request over 64 KB': 'PING\r\n' + 'a'.repeat(70 * 1024),
  'bulk count string over 64 KB': '*1\r\n$4\r\nPING\r\n*1\r\n$' + '1'.repeat(70 * 1024),
  'multibulk count string over 64 KB': 'PING\r\n*' + '1'.repeat(70 * 1024),
};

for (const [title, input] of Object.entries(MALFORMED)) {
  test(`protocol error mid-pipeline: ${title}`, async () => {
    const got = await untilClose(kv.port, input);
    assert.match(got, /-ERR Protocol error: [^\r\n]+\r\n$/);
    if (redis) assert.is(JSON.stringify(got), JSON.stringify(await untilClose(redis.port, input)));
  });
}

test('abrupt disconnects in the middle of a bulk, a header or an inline line', async () => {
  const partials = [
    `*3\r\n$3\r\nSET\r\n$2\r\nab\r\n$${4 * MB}\r\n${'x'.repeat(MB)}`,
    '*3\r\n$3\r\nSET\r\n$2\r\nab\r\n$1',
    '*3\r\n$3\r\nSE',
    'SET ab "half',
    `*3\r\n$3\r\nSET\r\n$2\r\nab\r\n$${8 * MB}\r\n`,
  ];
  for (let round = 0; round < 4; round++) {
    await Promise.all(partials.map(async (p) => {
      const s = await connect(kv.port);
      s.on('error', () => {});
      s.write(p);
      await sleep(5);
      if (round % 2) s.resetAndDestroy();
      else s.destroy();
    }));
  }
  await sleep(50);
  const c = await RawClient.connect(kv.port);
  assert.is(await c.call('EXISTS', 'ab'), ':0\r\n');
  c.close();
});

test('500 concurrent connections each doing a few commands', async () => {
  const n = 500;
  const clients = await Promise.all(Array.from({ length: n }, () => RawClient.connect(kv.port)));
  try {
    await Promise.all(clients.map(async (c, i) => {
      c.write(Buffer.concat([
        encodeCommand(['SELECT', '5']), encodeCommand(['SET', `c:${i}`, String(i)]), encodeCommand(['INCR', 'c:counter']),
        encodeCommand(['GET', `c:${i}`]),
      ]));
      assert.is(await c.readReply(), '+OK\r\n');
      assert.is(await c.readReply(), '+OK\r\n');
      assert.match(await c.readReply(), /^:\d+\r\n$/);
      assert.is(await c.readReply(), `$${String(i).length}\r\n${i}\r\n`);
    }));
    assert.is(await clients[0]!.call('GET', 'c:counter'), `$3\r\n${n}\r\n`);
    assert.is(await clients[0]!.call('DBSIZE'), `:${n + 1}\r\n`);
    assert.is(await clients[0]!.call('FLUSHDB'), '+OK\r\n');
  } finally {
    for (const c of clients) c.close();
  }
});

test('a client pipelining GETs of a 1 MB value without reading: the server pauses it, serves others, and it gets every reply', async () => {
  const value = Buffer.alloc(MB);
  for (let i = 0; i < MB; i++) value[i] = i % 251;
  const admin = await RawClient.connect(kv.port);
  assert.is(await admin.call('SET', 'slow:v', value), '+OK\r\n');
  const reply = Buffer.concat([Buffer.from(`$${MB}\r\n`), value, Buffer.from('\r\n')]);
  const s = await connect(kv.port);
  s.pause(); // read nothing for now
  const total = 160; // 160 MB of replies, past the server's 64 MB output high-water mark
  const get = encodeCommand(['GET', 'slow:v']);
  let maxOut = 0;
  const sample = () => {
    for (const cl of kv.context.clients.values()) maxOut = Math.max(maxOut, cl.conn.outputBufferBytes());
  };
  try {
    // a few GETs per write, so that the server sees them across many reads
    for (let i = 0; i < total; i += 4) {
      s.write(Buffer.concat([get, get, get, get]));
      await sleep(2);
      sample();
    }
    await sleep(200);
    sample();
    // the server still serves others while this client is paused
    assert.is(await admin.call('PING'), '+PONG\r\n');
    assert.is(await admin.call('STRLEN', 'slow:v'), `:${MB}\r\n`);
    assert.ok(maxOut < 64 * MB + 32 * MB, `output held for the slow client stays bounded (max ${maxOut} bytes)`);
    // now read: every reply arrives, byte-exact
    let offset = 0;
    let bad = -1;
    const done = new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`only ${offset} of ${total * reply.length} bytes`)), 30000);
      s.on('data', (d: Buffer) => {
        for (let at = 0; at < d.length; ) {
          const inReply = offset % reply.length;
          const n = Math.min(d.length - at, reply.length - inReply);
          if (bad < 0 && !d.subarray(at, at + n).equals(reply.subarray(inReply, inReply + n))) bad = offset;
          at += n;
          offset += n;
        }
        if (offset >= total * reply.length) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    s.resume();
    await done;
    assert.is(bad, -1, 'every reply byte-exact');
    assert.is(offset, total * reply.length);
    assert.is(await admin.call('DEL', 'slow:v'), ':1\r\n');
  } finally {
    s.destroy();
    admin.close();
  }
});

test.run();
