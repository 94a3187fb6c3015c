/*
 * The binary protocol over real sockets (docs/protocol.md): handshake, every opcode and the
 * generic COMMAND frame, error codes, auth, ids, ordering behind a blocking command, MONITOR and
 * CLIENT LIST, and malformed frames closing only their own connection.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, Op, SetFlag, Tag } from '../src/binary/codec.js';
import { Err } from '../src/resp/errors.js';
import type { RunningServer } from '../src/server/app.js';
import { freePort, RawClient, startKv, startKvWithBinPort } from './harness.js';
import { commandFrame, frame, mapGet, RawBinary, type Raw } from './binary-raw.js';

let kv: RunningServer;
let binPort: number;

test.before(async () => {
  kv = await startKvWithBinPort();
  binPort = kv.binPort;
});
test.after(async () => {
  await kv.stop();
});

const bytes = (s: string) => ({ bytes: s });
const hasRow = (name: string) => kv.context.commandTable.get(name) !== undefined;

test('the handshake answers proto, server, version, id, max-frame; CLIENT LIST marks binary clients', async () => {
  const [c, hello] = await RawBinary.hello(binPort, { name: 'bin1' });
  assert.is(mapGet(hello, 'proto'), 1);
  assert.is(mapGet(hello, 'server'), 'kv-server');
  assert.is(mapGet(hello, 'max-frame'), 536870912);
  const id = mapGet(hello, 'id');
  assert.is(await c.call('CLIENT', 'ID'), id);
  const list = (await c.call('CLIENT', 'LIST')) as string;
  assert.match(list, new RegExp(`id=${id} .*name=bin1 .*lib-name=kv-binary`));
  assert.is(kv.binPort !== kv.port && kv.binPort > 0, true);
  c.close();
});

test('version negotiation: a range without 1 is refused with UNSUPPORTED_VERSION and closed', async () => {
  const [c, r] = await RawBinary.hello(binPort, {}, [2, 5]);
  assert.is((r as { code: number }).code, ErrorCode.UNSUPPORTED_VERSION);
  await c.waitClosed();
  const [d, ok] = await RawBinary.hello(binPort, {}, [0, 9]);
  assert.is(mapGet(ok, 'proto'), 1);
  d.close();
});

test('every opcode runs its command row', async () => {
  const [c] = await RawBinary.hello(binPort);
  const send = async (b: Buffer) => {
    c.write(b);
    return (await c.read()).value;
  };
  const key = (w: import('../src/binary/codec.js').FrameWriter, k: string) => w.latin1(k);
  assert.is(await send(commandFrame(2, [], Op.PING)), 'PONG');
  assert.equal(await send(commandFrame(2, ['hi'], Op.PING)), bytes('hi'));
  assert.is(await send(frame(Op.GET, 3, (w) => key(w, 'op:missing'))), null);
  const set = (k: string, tag: number, write: (w: import('../src/binary/codec.js').FrameWriter) => void, flags = 0, px?: number) =>
    frame(Op.SET, 4, (w) => {
      key(w, k);
      w.u8(tag);
      write(w);
      w.u8(flags);
      if (px !== undefined) w.i64(px);
    });
  assert.is(await send(set('op:s', Tag.BYTES, (w) => w.latin1('\x00\xffv'))), 'OK');
  assert.equal(await send(frame(Op.GET, 5, (w) => key(w, 'op:s'))), bytes('\x00\xffv'));
  // NX on an existing key: nil, as SET NX
  assert.is(await send(set('op:s', Tag.STRING, (w) => w.latin1('x'), SetFlag.NX)), null);
  assert.is(await send(set('op:px', Tag.INT, (w) => w.i64(42), SetFlag.PX, 50_000)), 'OK');
  const pttl = (await c.call('PTTL', 'op:px')) as number;
  assert.ok(pttl > 49_000 && pttl <= 50_000, `pttl ${pttl}`);
  assert.is(await send(frame(Op.INCR, 6, (w) => (key(w, 'op:n'), w.i64(1)))), 1);
  assert.is(await send(frame(Op.INCR, 6, (w) => (key(w, 'op:n'), w.i64(-11)))), -10);
  assert.is(
    await send(
      frame(Op.MSET, 7, (w) => {
        w.u32(2);
        key(w, 'op:a');
        w.u8(Tag.FLOAT);
        w.f64(0.5);
        key(w, 'op:b');
        w.u8(Tag.DECIMAL);
        w.latin1('1.25');
      }),
    ),
    'OK',
  );
  assert.equal(await send(commandFrame(8, ['op:a', 'op:b', 'op:zz'], Op.MGET)), [bytes('0.5'), bytes('1.25'), null]);
  assert.is(await send(frame(Op.EXPIRE, 9, (w) => (key(w, 'op:a'), w.i64(30_000)))), 1);
  assert.is(await send(frame(Op.EXPIRE, 9, (w) => (key(w, 'op:none'), w.i64(30_000)))), 0);
  assert.is(await send(commandFrame(10, ['op:a', 'op:b', 'op:zz'], Op.DEL)), 2);
  // the rows ran: command statistics count get/set/incr/incrby/mset/mget/pexpire/del
  // INFO is a verbatim string in RESP3: a String here
  const stats = (await c.call('INFO', 'commandstats')) as string;
  // GET and SET run KV.GETT / KV.SETT, which keep the value's type (commands/typed.ts)
  for (const name of ['kv\\.gett', 'kv\\.sett', 'incr', 'incrby', 'mset', 'mget', 'pexpire', 'del', 'ping']) assert.match(stats, new RegExp(`cmdstat_${name}:calls=`));
  c.close();
});

test('the generic COMMAND frame: typed replies with RESP3 shapes', async () => {
  const [c] = await RawBinary.hello(binPort);
  assert.is(await c.call('HSET', 'g:h', 'f', 'v', 'g', '2'), 2);
  assert.equal(await c.call('HGETALL', 'g:h'), { map: [[bytes('f'), bytes('v')], [bytes('g'), bytes('2')]] });
  await c.call('ZADD', 'g:z', '1.5', 'a', '2', 'b');
  assert.equal(await c.call('ZRANGE', 'g:z', '0', '-1', 'WITHSCORES'), [[bytes('a'), 1.5], [bytes('b'), 2]]);
  assert.equal(await c.call('ZSCORE', 'g:z', 'a'), 1.5);
  assert.equal(await c.call('SMEMBERS', 'g:none'), []);
  assert.is(await c.call('SET', 'g:n', '9223372036854775806'), 'OK');
  assert.is(await c.call('INCR', 'g:n'), 9223372036854775807n);
  // MULTI / EXEC through COMMAND frames
  assert.is(await c.call('MULTI'), 'OK');
  assert.is(await c.call('INCR', 'g:m'), 'QUEUED');
  assert.is(await c.call('LPUSH', 'g:h', 'x'), 'QUEUED');
  assert.equal(await c.call('EXEC'), [1, { code: ErrorCode.WRONGTYPE, error: Err.WRONGTYPE }]);
  c.close();
});

test('errors carry stable codes and Redis texts', async () => {
  const [c] = await RawBinary.hello(binPort);
  await c.call('LPUSH', 'e:l', 'x');
  assert.equal(await c.call('GET', 'e:l'), { code: ErrorCode.WRONGTYPE, error: Err.WRONGTYPE });
  assert.equal(await c.call('GET'), { code: ErrorCode.ERR, error: Err.WRONG_ARITY('get') });
  const unknown = (await c.call('NOPE', 'a')) as { code: number; error: string };
  assert.is(unknown.code, ErrorCode.ERR);
  assert.is(unknown.error, Err.UNKNOWN_COMMAND('NOPE', "'a' "));
  assert.equal(await c.call('SET', 'e:k', 'v', 'NX', 'XX'), { code: ErrorCode.ERR, error: Err.SYNTAX });
  assert.equal(await c.call('EXEC'), { code: ErrorCode.ERR, error: 'ERR EXEC without MULTI' });
  // the connection is still usable
  assert.is(await c.call('PING'), 'PONG');
  c.close();
});

test('replies carry their request ids; a pipeline of frames in one write answers in order', async () => {
  const [c] = await RawBinary.hello(binPort);
  const ids = [9, 3, 0xfffffffe, 7, 3];
  c.write(Buffer.concat(ids.map((id, i) => commandFrame(id, ['ECHO', `m${i}`]))));
  for (let i = 0; i < ids.length; i++) {
    const r = await c.read();
    assert.is(r.op, Op.REPLY);
    assert.is(r.id, ids[i]);
    assert.equal(r.value, bytes(`m${i}`));
  }
  c.close();
});

test('a blocked command holds the requests behind it; its reply keeps its id', async () => {
  const [a] = await RawBinary.hello(binPort);
  const [b] = await RawBinary.hello(binPort);
  a.write(Buffer.concat([commandFrame(5, ['BLPOP', 'blk:q', '0']), commandFrame(6, ['PING'])]));
  assert.ok(await a.nothingWithin(100));
  assert.is(await b.call('LPUSH', 'blk:q', 'job'), 1);
  const first = await a.read();
  assert.equal([first.id, first.value], [5, [bytes('blk:q'), bytes('job')]]);
  const second = await a.read();
  assert.equal([second.id, second.value], [6, 'PONG']);
  a.close();
  b.close();
});

test('requests arriving in many reads behind a blocked command all run, in order, once it is served', async () => {
  const [a] = await RawBinary.hello(binPort);
  const [b] = await RawBinary.hello(binPort);
  a.command(1, 'BLPOP', 'blk:many', '0');
  for (let i = 0; i < 50; i++) {
    a.write(Buffer.concat([commandFrame(100 + i, ['ECHO', `e${i}`]), commandFrame(200 + i, ['INCR', 'blk:n'])]));
    await new Promise((r) => setImmediate(r));
  }
  assert.ok(await a.nothingWithin(50));
  await b.call('RPUSH', 'blk:many', 'x');
  assert.is((await a.read()).id, 1);
  for (let i = 0; i < 50; i++) {
    assert.equal(await a.read(), { op: Op.REPLY, id: 100 + i, value: bytes(`e${i}`) });
    assert.equal(await a.read(), { op: Op.REPLY, id: 200 + i, value: i + 1 });
  }
  a.close();
  b.close();
});

test('pub/sub: the SUBSCRIBE confirmation answers its request; messages come with id 0 as Push', async () => {
  const [s] = await RawBinary.hello(binPort);
  s.command(11, 'SUBSCRIBE', 'bin:ch');
  const conf = await s.read();
  assert.is(conf.id, 11);
  assert.equal(conf.value, { push: [bytes('subscribe'), bytes('bin:ch'), 1] });
  const resp = await RawClient.connect(kv.port);
  assert.is(await resp.call('PUBLISH', 'bin:ch', 'hello'), ':1\r\n');
  const msg = await s.read();
  assert.is(msg.id, 0);
  assert.equal(msg.value, { push: [bytes('message'), bytes('bin:ch'), bytes('hello')] });
  s.close();
  resp.socket.destroy();
});

test('MONITOR shows binary clients\' commands as their rows', async () => {
  const mon = await RawClient.connect(kv.port);
  assert.is(await mon.call('MONITOR'), '+OK\r\n');
  const [c] = await RawBinary.hello(binPort);
  c.write(frame(Op.GET, 2, (w) => w.latin1('mon:k')));
  await c.read();
  const line = await mon.readReply();
  assert.match(line, /^\+\d+\.\d+ \[0 127\.0\.0\.1:\d+\] "KV\.GETT" "mon:k"\r\n$/);
  c.close();
  mon.socket.destroy();
});

test('RESP reads what the binary protocol wrote as text (INCR on an Int)', async () => {
  const [c] = await RawBinary.hello(binPort);
  c.write(
    frame(Op.SET, 2, (w) => {
      w.latin1('x:int');
      w.u8(Tag.INT);
      w.i64(41);
      w.u8(0);
    }),
  );
  assert.is((await c.read()).value, 'OK');
  const resp = await RawClient.connect(kv.port);
  assert.is(await resp.call('INCR', 'x:int'), ':42\r\n');
  resp.socket.destroy();
  c.close();
});

test('typed values: GET answers the type SET wrote (when the server has KV.SETT/KV.GETT), else Bytes', async () => {
  const [c] = await RawBinary.hello(binPort);
  const put = async (k: string, tag: number, write: (w: import('../src/binary/codec.js').FrameWriter) => void) => {
    c.write(
      frame(Op.SET, 2, (w) => {
        w.latin1(k);
        w.u8(tag);
        write(w);
        w.u8(0);
      }),
    );
    assert.is((await c.read()).value, 'OK');
    c.write(frame(Op.GET, 3, (w) => w.latin1(k)));
    return (await c.read()).value;
  };
  const typed = hasRow('kv.gett') && hasRow('kv.sett');
  const cases: Array<[string, number, (w: import('../src/binary/codec.js').FrameWriter) => void, Raw, Raw]> = [
    ['t:int', Tag.INT, (w) => w.i64(-7), -7, bytes('-7')],
    ['t:float', Tag.FLOAT, (w) => w.f64(0.1), 0.1, bytes('0.1')],
    ['t:dec', Tag.DECIMAL, (w) => w.latin1('12.5'), { decimal: '12.5' }, bytes('12.5')],
    ['t:str', Tag.STRING, (w) => w.utf8('héllo'), 'héllo', bytes(Buffer.from('héllo').toString('latin1'))],
    ['t:bytes', Tag.BYTES, (w) => w.latin1('\x00\x01'), bytes('\x00\x01'), bytes('\x00\x01')],
  ];
  for (const [k, tag, write, whenTyped, plain] of cases) assert.equal(await put(k, tag, write), typed ? whenTyped : plain, k);
  if (!typed) console.log('note: KV.SETT/KV.GETT not in the command table: typed GET/SET checked in their Bytes fallback');
  c.close();
});

test('GET and SET frames run from their bytes as their rows would: replies, slow log argv, statistics, the declined cases', async () => {
  const typed = hasRow('kv.gett') && hasRow('kv.sett');
  const [c] = await RawBinary.hello(binPort);
  const set = (id: number, k: string, tag: number, v: string, flags = 0) =>
    frame(Op.SET, id, (w) => {
      w.latin1(k);
      w.u8(tag);
      w.latin1(v);
      w.u8(flags);
    });
  const get = (id: number, k: string) => frame(Op.GET, id, (w) => w.latin1(k));
  const mget = (id: number, keys: string[]) => commandFrame(id, keys, Op.MGET);
  const long = 'L'.repeat(40);
  assert.is(await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0'), 'OK');
  assert.is(await c.call('SLOWLOG', 'RESET'), 'OK');
  const hits = async () => {
    const info = (await c.call('INFO', 'stats')) as string;
    return [Number(/keyspace_hits:(\d+)/.exec(info)![1]), Number(/keyspace_misses:(\d+)/.exec(info)![1])];
  };
  const [h0, m0] = await hits();
  // one write: the range path runs several frames of one read, ids kept
  c.write(Buffer.concat([set(11, 'r:s', Tag.STRING, 'abc'), set(12, 'r:b', Tag.BYTES, '\xff\x00'), set(13, 'r:long', Tag.STRING, long), get(14, 'r:s'), get(15, 'r:b'), get(16, 'r:none'), get(17, 'r:long'), mget(18, ['r:s', 'r:none', 'r:b'])]));
  const replies: Array<[number, Raw]> = [];
  for (let i = 0; i < 8; i++) {
    const r = await c.read();
    replies.push([r.id, r.value]);
  }
  assert.equal(replies, [
    [11, 'OK'],
    [12, 'OK'],
    [13, 'OK'],
    [14, typed ? 'abc' : bytes('abc')],
    [15, bytes('\xff\x00')],
    [16, null],
    [17, typed ? long : bytes(long)],
    [18, [bytes('abc'), null, bytes('\xff\x00')]],
  ]);
  const [h1, m1] = await hits();
  assert.equal([h1! - h0!, m1! - m0!], [5, 2]);
  const log = (await c.call('SLOWLOG', 'GET', '20')) as Raw[][];
  const argvs = log.map((e) => e[3] as Array<{ bytes: string }>).filter((argv) => argv[1]?.bytes.startsWith('r:')).reverse();
  const [getName, setName] = typed ? ['KV.GETT', 'KV.SETT'] : ['GET', 'SET'];
  const stringSet = (k: string, v: string) => (typed ? [setName, k, 'string', v] : [setName, k, v]).map(bytes);
  assert.equal(argvs, [
    stringSet('r:s', 'abc'),
    ['SET', 'r:b', '\xff\x00'].map(bytes),
    stringSet('r:long', long),
    [getName, 'r:s'].map(bytes),
    [getName, 'r:b'].map(bytes),
    [getName, 'r:none'].map(bytes),
    [getName, 'r:long'].map(bytes),
    ['MGET', 'r:s', 'r:none', 'r:b'].map(bytes),
  ]);
  assert.is(await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000'), 'OK');
  // what the byte path declines answers as before: WRONGTYPE, invalid UTF-8 in a String, an
  // integer (stored as one), a TTL kept by none of them, PX
  await c.call('LPUSH', 'r:list', 'x');
  c.write(get(20, 'r:list'));
  assert.equal((await c.read()).value, { code: ErrorCode.WRONGTYPE, error: Err.WRONGTYPE });
  c.write(set(21, 'r:bad', Tag.STRING, '\xff'));
  assert.equal((await c.read()).value, typed ? { code: ErrorCode.ERR, error: Err.NOT_UTF8 } : 'OK');
  c.write(set(22, 'r:num', Tag.STRING, '123'));
  assert.is((await c.read()).value, 'OK');
  assert.equal(await c.call('OBJECT', 'ENCODING', 'r:num'), bytes('int'));
  await c.call('PEXPIRE', 'r:s', '100000');
  c.write(set(23, 'r:s', Tag.STRING, 'abd'));
  assert.is((await c.read()).value, 'OK');
  assert.is(await c.call('PTTL', 'r:s'), -1);
  if (typed) assert.equal(await c.call('KV.TYPEOF', 'r:s'), bytes('string'));
  assert.equal(await c.call('KV.TYPEOF', 'r:b'), bytes('bytes'));
  // MGET: keys the byte path cannot answer (another type, an integer, expired) read as MGET's
  await c.call('PEXPIRE', 'r:long', '1');
  await new Promise((resolve) => setTimeout(resolve, 20));
  await c.call('HSET', 'r:hash', 'f', 'v');
  c.write(mget(24, ['r:list', 'r:num', 'r:long', 'r:hash', 'r:s', 'r:hash']));
  assert.equal((await c.read()).value, [null, bytes('123'), null, null, bytes('abd'), null]);
  assert.is(await c.call('EXISTS', 'r:long'), 0);
  assert.equal(await c.call('HGET', 'r:hash', 'f'), bytes('v'));
  c.close();
  // a user restricted to keys r:*: allowed keys run, others answer NOPERM
  assert.is(await RawBinary.hello(binPort).then(async ([admin]) => {
    const r = await admin.call('ACL', 'SETUSER', 'ranger', 'on', '>pw', '~r:*', '+@all');
    admin.close();
    return r;
  }), 'OK');
  const [u] = await RawBinary.hello(binPort, { user: 'ranger', pass: 'pw' });
  u.write(get(30, 'r:b'));
  assert.equal((await u.read()).value, bytes('\xff\x00'));
  u.write(get(31, 'other'));
  assert.is(((await u.read()).value as { code: number }).code, ErrorCode.NOPERM);
  u.write(set(32, 'other', Tag.BYTES, 'v'));
  assert.is(((await u.read()).value as { code: number }).code, ErrorCode.NOPERM);
  u.close();
});

test('authentication: NOAUTH until AUTH; wrong credentials refused and closed; the handshake authenticates', async () => {
  const secured = await startKvWithBinPort({ requirepass: 'pw' });
  try {
    const [anon] = await RawBinary.hello(secured.binPort);
    assert.equal(await anon.call('GET', 'k'), { code: ErrorCode.NOAUTH, error: Err.NOAUTH });
    assert.equal(await anon.call('AUTH', 'nope'), { code: ErrorCode.WRONGPASS, error: Err.WRONGPASS });
    assert.is(await anon.call('AUTH', 'pw'), 'OK');
    assert.is(await anon.call('GET', 'k'), null);
    anon.close();
    const [bad, refused] = await RawBinary.hello(secured.binPort, { user: 'default', pass: 'wrong' });
    assert.equal(refused, { code: ErrorCode.WRONGPASS, error: Err.WRONGPASS });
    await bad.waitClosed();
    const [good, ok] = await RawBinary.hello(secured.binPort, { user: 'default', pass: 'pw' });
    assert.is(mapGet(ok, 'proto'), 1);
    assert.is(await good.call('SET', 'k', 'v'), 'OK');
    good.close();
    // before AUTH, frames are limited to 64 KB
    const [big] = await RawBinary.hello(secured.binPort);
    big.command(2, 'AUTH', 'x'.repeat(70_000));
    assert.match(((await big.read()).value as { error: string }).error, /exceeds the maximum of 65536/);
    await big.waitClosed();
    const [passOnly] = await RawBinary.hello(secured.binPort, { pass: 'pw' });
    assert.equal(await passOnly.call('GET', 'k'), bytes('v'));
    passOnly.close();
  } finally {
    await secured.stop();
  }
});

test('namespace in the handshake: KV.NS USE when the server has it, else the connection is refused', async () => {
  const [c, r] = await RawBinary.hello(binPort, { namespace: 'tenant1' });
  if (hasRow('kv.ns')) {
    assert.is(mapGet(r, 'proto'), 1);
    assert.is(await c.call('SET', 'nsk', 'v'), 'OK');
    const [plain] = await RawBinary.hello(binPort);
    assert.is(await plain.call('GET', 'nsk'), null);
    plain.close();
    c.close();
  } else {
    assert.is((r as { code: number }).code, ErrorCode.ERR);
    assert.match((r as { error: string }).error, /unknown command 'KV\.NS'/);
    await c.waitClosed();
  }
});

test('malformed frames: a protocol error (code 100), that connection closed, others unaffected', async () => {
  const [other] = await RawBinary.hello(binPort);
  other.command(1, 'BLPOP', 'mal:q', '0');
  const resp = await RawClient.connect(kv.port);
  const cases: Array<[string, Buffer, RegExp]> = [
    ['unknown opcode', frame(0x55, 3), /unknown opcode 0x55/],
    ['short payload', frame(Op.GET, 3, (w) => w.u32(10)), /payload too short/],
    ['bytes left over', frame(Op.GET, 3, (w) => (w.latin1('k'), w.u8(1))), /left over/],
    ['empty COMMAND', commandFrame(3, []), /empty COMMAND frame/],
    ['a count larger than the payload', frame(Op.DEL, 3, (w) => w.u32(1_000_000)), /count larger/],
    ['a length below the header', Buffer.from([2, 0, 0, 0, 1, 2]), /shorter than a frame header/],
    ['a List as SET value', frame(Op.SET, 3, (w) => (w.latin1('k'), w.u8(Tag.LIST), w.u32(0), w.u8(0))), /not a scalar/],
  ];
  for (const [what, bad, message] of cases) {
    const [c] = await RawBinary.hello(binPort);
    // a good request before the bad frame in the same write is still answered
    c.write(Buffer.concat([commandFrame(2, ['PING']), bad, commandFrame(4, ['PING'])]));
    assert.is((await c.read()).value, 'PONG', what);
    const err = await c.read();
    assert.is(err.id, 0, what);
    assert.is((err.value as { code: number }).code, ErrorCode.PROTOCOL, what);
    assert.match((err.value as { error: string }).error, message, what);
    await c.waitClosed();
  }
  // a first frame that is not HELLO
  const raw = await RawBinary.connect(binPort);
  raw.command(1, 'PING');
  assert.match(((await raw.read()).value as { error: string }).error, /the first frame must be HELLO/);
  await raw.waitClosed();
  // the others did not notice: the blocked client is served, RESP answers
  assert.is(await resp.call('LPUSH', 'mal:q', 'x'), ':1\r\n');
  assert.equal((await other.read()).value, [bytes('mal:q'), bytes('x')]);
  assert.is(await other.call('PING'), 'PONG');
  other.close();
  resp.socket.destroy();
});

test('max frame size: bin-max-frame-size refuses longer frames (split over writes too)', async () => {
  const [c] = await RawBinary.hello(binPort);
  assert.is(await c.call('CONFIG', 'SET', 'bin-max-frame-size', '1024'), 'OK');
  // exactly at the limit: 1024 bytes after the length
  const atLimit = commandFrame(2, ['SET', 'big', 'x'.repeat(1024 - 5 - 4 - 7 - 7 - 4)]);
  assert.is(atLimit.length, 1028);
  c.write(atLimit);
  assert.is((await c.read()).value, 'OK');
  const over = commandFrame(3, ['SET', 'big', 'x'.repeat(2000)]);
  c.write(over.subarray(0, 3));
  await new Promise((r) => setTimeout(r, 20));
  c.write(over.subarray(3));
  const err = await c.read();
  assert.is((err.value as { code: number }).code, ErrorCode.PROTOCOL);
  assert.match((err.value as { error: string }).error, /exceeds the maximum of 1024/);
  await c.waitClosed();
  const [d, hello] = await RawBinary.hello(binPort);
  assert.is(mapGet(hello, 'max-frame'), 1024);
  assert.is(await d.call('CONFIG', 'SET', 'bin-max-frame-size', '536870912'), 'OK');
  assert.equal(await d.call('CONFIG', 'GET', 'bin-max-frame-size'), { map: [[bytes('bin-max-frame-size'), bytes('536870912')]] });
  d.close();
});

test('a frame split byte by byte over many writes is collected whole', async () => {
  const [c] = await RawBinary.hello(binPort);
  const f = commandFrame(9, ['ECHO', 'y'.repeat(100)]);
  for (let i = 0; i < f.length; i += 7) {
    c.write(f.subarray(i, i + 7));
    await new Promise((r) => setImmediate(r));
  }
  const r = await c.read();
  assert.equal([r.id, r.value], [9, bytes('y'.repeat(100))]);
  c.close();
});

test('bin-port 0 (the default) opens no binary listener', async () => {
  const plain = await startKv();
  assert.is(plain.binPort, 0);
  assert.is(plain.context.config.get('bin-port'), '0');
  await plain.stop();
});

test.run();
