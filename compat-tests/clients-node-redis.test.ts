/*
 * node-redis 5 (RESP2 and `RESP: 3`, which sends one HELLO 3 with no fallback) and node-redis 4
 * against kv-server, unmodified. Connections go through a recording proxy: the handshake must be
 * what the library sends to Redis, and nothing may be answered with an error unless asked for.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient as createClient5, ErrorReply as ErrorReply5, RESP_TYPES } from 'redis';
import { commandOptions, createClient as createClient4, ErrorReply as ErrorReply4 } from 'redis4';
import { RawClient } from './harness.js';
import { BINARY_VALUE, Complaints, LARGE_VALUE, SpyProxy, startTarget, UNICODE_VALUE, type Target } from './clients-spy.js';
import { Err } from '../src/resp/errors.js';

type Options = { password?: string; database?: number };

/** The calls the tests make, in the shape both majors share. */
interface Client {
  connect(): Promise<unknown>;
  on(event: 'error', f: (e: Error) => void): unknown;
  destroy?(): void;
  disconnect(): Promise<void>;
  ping(): Promise<string>;
  set(key: string | Buffer, value: string | Buffer, opts?: { EX: number }): Promise<string | null>;
  get(key: string): Promise<string | null>;
  ttl(key: string): Promise<number>;
  incr(key: string): Promise<number>;
  sendCommand(args: string[]): Promise<unknown>;
  multi(): { set(k: string, v: string): unknown; get(k: string): unknown; execAsPipeline(): Promise<unknown[]> };
}

interface Flavour {
  label: string;
  resp3: boolean;
  ErrorReply: new (...a: never[]) => Error;
  create(port: number, opts: Options): Client;
  getBuffer(c: Client, key: Buffer): Promise<Buffer | null>;
}

/**
 * node-redis 5 with RESP3 also sends `CLIENT MAINT_NOTIFICATIONS ON …` (a Redis 8 command) and
 * ignores its error. kv-server accepts it quietly (docs/compatibility.md); Redis 7 answers this
 * exact error, so it is the one error allowed here, whichever server a suite runs against.
 */
const MAINT_ERROR = "CLIENT MAINT_NOTIFICATIONS ON moving-endpoint-type external-ip -> -ERR unknown subcommand 'MAINT_NOTIFICATIONS'. Try CLIENT HELP.";
const unexpectedErrors = (proxy: SpyProxy) => proxy.errorReplies().filter((e) => e !== MAINT_ERROR);

const socketOptions = (port: number) => ({ host: '127.0.0.1', port, reconnectStrategy: false as const });

const FLAVOURS: Flavour[] = [
  ...[false, true].map((resp3) => ({
    label: `node-redis 5 (${resp3 ? 'RESP: 3' : 'RESP2'})`,
    resp3,
    ErrorReply: ErrorReply5,
    create: (port: number, opts: Options) => createClient5({ socket: socketOptions(port), ...(resp3 ? { RESP: 3 as const } : {}), ...opts }) as unknown as Client,
    getBuffer: (c: Client, key: Buffer) =>
      (c as unknown as ReturnType<typeof createClient5>).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).get(key) as Promise<Buffer | null>,
  })),
  {
    label: 'node-redis 4',
    resp3: false,
    ErrorReply: ErrorReply4,
    create: (port: number, opts: Options) => createClient4({ socket: socketOptions(port), ...opts }) as unknown as Client,
    getBuffer: (c: Client, key: Buffer) => (c as unknown as ReturnType<typeof createClient4>).get(commandOptions({ returnBuffers: true }), key),
  },
];

for (const f of FLAVOURS) {
  const s = suite(f.label);
  let kv: Target;
  let kvAuth: Target;
  let proxy: SpyProxy;
  let complaints: Complaints;
  const clients: Client[] = [];

  async function connect(server: Target, opts: Options = {}): Promise<Client> {
    proxy = await SpyProxy.start(server.port);
    const c = f.create(proxy.port, opts);
    complaints.watch(c);
    clients.push(c);
    await c.connect();
    return c;
  }

  s.before(async () => {
    kv = await startTarget();
    kvAuth = await startTarget({ requirepass: 's3cret' });
  });
  s.before.each(() => {
    complaints = new Complaints();
  });
  s.after.each(async () => {
    complaints.restore();
    for (const c of clients.splice(0)) await c.disconnect().catch(() => {});
    await proxy?.stop();
  });
  s.after(async () => {
    await kv.stop();
    await kvAuth.stop();
  });

  s('handshake: as sent to Redis, no error replies, no complaints', async () => {
    const c = await connect(kv);
    assert.is(await c.ping(), 'PONG');
    const names = proxy.names(0);
    if (f.resp3) assert.equal(proxy.connections[0]![0], ['HELLO', '3'], 'HELLO 3 comes first');
    else assert.not.ok(names.includes('hello'), names.join(', '));
    assert.ok(names.includes('client setinfo'), `CLIENT SETINFO sent: ${names.join(', ')}`);
    assert.equal(unexpectedErrors(proxy), []);
    assert.equal(complaints.messages, []);
  });

  s('strings: unicode, binary, empty and 1 MB values', async () => {
    const c = await connect(kv);
    assert.is(await c.set('u:ключ', UNICODE_VALUE), 'OK');
    assert.is(await c.get('u:ключ'), UNICODE_VALUE);
    const bkey = Buffer.from([0xff, 0x00, 0x01]);
    await c.set(bkey, BINARY_VALUE);
    assert.ok((await f.getBuffer(c, bkey))!.equals(BINARY_VALUE));
    await c.set('empty', '');
    assert.is(await c.get('empty'), '');
    assert.is(await c.get('missing'), null);
    await c.set('large', LARGE_VALUE);
    assert.is(await c.get('large'), LARGE_VALUE);
    assert.equal(unexpectedErrors(proxy), []);
    assert.equal(complaints.messages, []);
  });

  s('pipeline (execAsPipeline) and same-tick auto-pipelining', async () => {
    const c = await connect(kv);
    const m = c.multi();
    for (let i = 0; i < 100; i++) m.set(`p:${i}`, `v${i}`);
    for (let i = 0; i < 100; i++) m.get(`p:${i}`);
    const results = await m.execAsPipeline();
    assert.equal(results.slice(0, 100), Array(100).fill('OK'));
    assert.equal(results.slice(100), Array.from({ length: 100 }, (_, i) => `v${i}`));
    const batch = await Promise.all(Array.from({ length: 50 }, (_, i) => c.get(`p:${i}`)));
    assert.equal(batch, Array.from({ length: 50 }, (_, i) => `v${i}`));
    assert.equal(unexpectedErrors(proxy), []);
  });

  s('SET EX then TTL', async () => {
    const c = await connect(kv);
    assert.is(await c.set('t', 'v', { EX: 100 }), 'OK');
    const ttl = await c.ttl('t');
    assert.ok(ttl === 100 || ttl === 99, `ttl ${ttl}`);
    assert.is(await c.ttl('missing'), -2);
  });

  s('INCR, and its error as ErrorReply with Redis\'s text', async () => {
    const c = await connect(kv);
    await c.set('n', '41');
    assert.is(await c.incr('n'), 42);
    await c.set('s', 'abc');
    const err = await c.incr('s').catch((e: unknown) => e);
    assert.instance(err, f.ErrorReply);
    assert.is((err as Error).message, Err.NOT_INTEGER);
  });

  s('errors surface as ErrorReply with Redis\'s exact text', async () => {
    const c = await connect(kv);
    const unknown = await c.sendCommand(['NOSUCHCMD', 'a']).catch((e: unknown) => e);
    assert.instance(unknown, f.ErrorReply);
    assert.is((unknown as Error).message, "ERR unknown command 'NOSUCHCMD', with args beginning with: 'a' ");
    const arity = await c.sendCommand(['GET']).catch((e: unknown) => e);
    assert.is((arity as Error).message, "ERR wrong number of arguments for 'get' command");
    assert.is(await c.ping(), 'PONG');
  });

  s('password: connects with requirepass, no error replies', async () => {
    const c = await connect(kvAuth, { password: 's3cret' });
    const first = proxy.connections[0]![0]!;
    if (f.resp3) assert.equal(first, ['HELLO', '3', 'AUTH', 'default', 's3cret']);
    else assert.equal(first, ['AUTH', 's3cret']);
    await c.set('k', 'v');
    assert.is(await c.get('k'), 'v');
    assert.equal(unexpectedErrors(proxy), []);
    assert.equal(complaints.messages, []);
  });

  s('password: a wrong one fails connect with WRONGPASS', async () => {
    proxy = await SpyProxy.start(kvAuth.port);
    const c = f.create(proxy.port, { password: 'nope' });
    const seen: string[] = [];
    c.on('error', (e: Error) => seen.push(e.message));
    await c.connect().catch((e: Error) => seen.push(e.message));
    try {
      c.destroy?.();
    } catch {
      // already closed by the failed handshake
    }
    assert.ok(seen.some((m) => m.includes(Err.WRONGPASS)), JSON.stringify(seen));
  });

  s('database: 1 selects database 1', async () => {
    const c = await connect(kv, { database: 1 });
    assert.ok(proxy.connections[0]!.some((argv) => argv.join(' ') === 'SELECT 1'), proxy.names(0).join(', '));
    await c.set('where', 'db1');
    const raw = await RawClient.connect(kv.port);
    try {
      assert.is(await raw.call('GET', 'where'), '$-1\r\n');
      assert.is(await raw.call('SELECT', '1'), '+OK\r\n');
      assert.is(await raw.call('GET', 'where'), '$3\r\ndb1\r\n');
    } finally {
      raw.close();
    }
    assert.equal(unexpectedErrors(proxy), []);
    assert.equal(complaints.messages, []);
  });

  s.run();
}
