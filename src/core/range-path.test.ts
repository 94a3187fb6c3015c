/*
 * GET and SET from the read buffer (dispatch's runRange, the decoder's peekRange, the keyspace's
 * byte-range lookups): the same results as the ordinary path for every input, and the ordinary
 * path whenever a condition needs it. In process: a ServerContext with a fake clock, requests
 * fed as bytes to a RequestDecoder and run the way resp-connection.ts runs them, replies as the
 * bytes a RespWriter produced. (Over sockets against redis-server: compat-tests/differential-*.)
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../engine/clock.js';
import { RANGE_DECR, RANGE_INCR, RequestDecoder } from '../resp/decoder.js';
import { RespWriter } from '../resp/writer.js';
import { Client } from './client.js';
import { detachedConnection } from './detached-connection.js';
import { buildCommandTable } from './command-list.js';
import { Config } from './config.js';
import { Dispatcher } from './dispatch.js';
import { ServerContext, type Log } from './server-context.js';
import { MutableString } from '../engine/values.js';

const quiet: Log = { level: 'warning', debug() {}, verbose() {}, notice() {}, warning() {} };

function setup(useRanges: boolean) {
  const clock = new FakeClock();
  const server = new ServerContext(new Config(), clock, quiet, buildCommandTable());
  const dispatcher = new Dispatcher(server.commandTable);
  let ranged = 0;
  const connect = () => {
    const writer = new RespWriter();
    const client = new Client(server, server.newClientId(), writer, detachedConnection());
    server.clients.set(client.id, client);
    const decoder = new RequestDecoder();
    /** Runs every command in `bytes` as RespConnection.runCommands does; returns the reply bytes. */
    const send = (bytes: Buffer): string => {
      decoder.feed(bytes);
      const now = clock.now();
      dispatcher.beginBatch();
      let open = dispatcher.rangeOpen(client);
      for (;;) {
        if (useRanges && open) {
          const argc = decoder.peekRange();
          if (argc !== 0 && dispatcher.runRange(client, argc, writer, decoder.rangeBuffer, decoder, now)) {
            decoder.skipRange();
            ranged++;
            continue;
          }
        }
        const argv = decoder.next();
        if (argv === null) break;
        dispatcher.run(client, argv, now);
        decoder.authenticated = client.authenticated;
        open = dispatcher.rangeOpen(client);
      }
      dispatcher.endBatch();
      decoder.detachInput();
      return writer.take()?.toString('latin1') ?? '';
    };
    const run = (...argv: string[]): string => send(encode(argv));
    return { client, writer, send, run };
  };
  return { server, clock, dispatcher, connect, ranged: () => ranged };
}

function encode(argv: string[]): Buffer {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return Buffer.from(s, 'latin1');
}

const ALL_BYTES = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');

test('peekRange: GET, SET, INCR and DECR shapes in any case, nothing else; the ranges are the arguments', () => {
  const d = new RequestDecoder();
  const cases: [string, number][] = [
    ['*2\r\n$3\r\nGET\r\n$3\r\nfoo\r\n', 2],
    ['*2\r\n$3\r\ngEt\r\n$0\r\n\r\n', 2],
    ['*3\r\n$3\r\nset\r\n$1\r\nk\r\n$5\r\nhello\r\n', 3],
    ['*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n', 3],
    ['*3\r\n$3\r\nGET\r\n$1\r\nk\r\n$1\r\nv\r\n', 0], // GET with three arguments: ordinary path
    ['*2\r\n$3\r\nSET\r\n$1\r\nk\r\n', 0],
    ['*2\r\n$3\r\nDEL\r\n$1\r\nk\r\n', 0],
    ['*2\r\n$3\r\nGET\r\n$01\r\nk\r\n', 0], // leading zero: the ordinary path's protocol error
    ['*2\r\n$3\r\nGET\r\n$-1\r\n\r\n', 0],
    ['*2\r\n$3\r\nGET\r\n$3\r\nfo', 0], // incomplete
    ['*2\r\n$3\r\nGET\r\n$3', 0],
    ['*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n$2\r\nNX\r\n', 0],
    ['GET foo\r\n', 0],
    ['*2\r\n$4\r\nINCR\r\n$3\r\nfoo\r\n', RANGE_INCR],
    ['*2\r\n$4\r\niNcR\r\n$0\r\n\r\n', RANGE_INCR],
    ['*2\r\n$4\r\nDECR\r\n$1\r\nk\r\n', RANGE_DECR],
    ['*2\r\n$4\r\ndecr\r\n$1\r\nk\r\n', RANGE_DECR],
    ['*3\r\n$4\r\nINCR\r\n$1\r\nk\r\n$1\r\n1\r\n', 0], // INCR with three arguments: ordinary path
    ['*2\r\n$4\r\nINCX\r\n$1\r\nk\r\n', 0],
    ['*2\r\n$4\r\nDNCR\r\n$1\r\nk\r\n', 0],
    ['*2\r\n$4\r\nIECR\r\n$1\r\nk\r\n', 0],
    ['*2\r\n$4\r\nINCR\r\n$1\r\nk', 0], // incomplete
    ['*2\r\n$4\r\nINCRBY\r\n$1\r\nk\r\n', 0],
    ['*2\r\n$6\r\nINCRBY\r\n$1\r\nk\r\n', 0],
    ['*2\r\n$5\r\nINCRX\r\n$1\r\nk\r\n', 0],
  ];
  for (const [input, want] of cases) {
    const dec = new RequestDecoder();
    dec.feed(Buffer.from(input, 'latin1'));
    assert.is(dec.peekRange(), want, JSON.stringify(input));
  }
  d.feed(Buffer.from('*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n', 'latin1'));
  assert.is(d.peekRange(), 3);
  const buf = d.rangeBuffer;
  assert.is(buf.latin1Slice(d.keyStart, d.keyEnd), 'key');
  assert.is(buf.latin1Slice(d.valueStart, d.valueEnd), 'value');
  assert.is(d.peekRange(), 3, 'peeking consumes nothing');
  d.skipRange();
  assert.is(d.peekRange(), 2);
  d.skipRange();
  assert.is(d.next(), null);
  const incr = new RequestDecoder();
  incr.feed(Buffer.from('*2\r\n$4\r\nINCR\r\n$7\r\ncounter\r\n', 'latin1'));
  assert.is(incr.peekRange(), RANGE_INCR);
  assert.is(incr.rangeBuffer.latin1Slice(incr.keyStart, incr.keyEnd), 'counter');
  // client-query-buffer-limit counts INCR's name and key: 4 + 7
  for (const [limit, want] of [[10, 0], [11, RANGE_INCR]] as const) {
    const dec = new RequestDecoder({ maxBulkLen: 512 << 20, queryBufferLimit: limit });
    dec.feed(Buffer.from('*2\r\n$4\r\nINCR\r\n$7\r\ncounter\r\n', 'latin1'));
    assert.is(dec.peekRange(), want, `limit ${limit}`);
  }
});

test('peekRange declines for a client not yet authenticated and past the limits', () => {
  const get = Buffer.from('*2\r\n$3\r\nGET\r\n$3\r\nfoo\r\n', 'latin1');
  const unauth = new RequestDecoder();
  unauth.authenticated = false;
  unauth.feed(get);
  assert.is(unauth.peekRange(), 0);
  const small = new RequestDecoder({ maxBulkLen: 2, queryBufferLimit: 1 << 30 });
  small.feed(get);
  assert.is(small.peekRange(), 0);
  const tight = new RequestDecoder({ maxBulkLen: 512 << 20, queryBufferLimit: 5 });
  tight.feed(get);
  assert.is(tight.peekRange(), 0);
});

test('the range path runs plain GET/SET (counted as commands) and is not taken for other commands', () => {
  const { connect, server, ranged } = setup(true);
  const { run } = connect();
  assert.is(run('SET', 'k', 'abc'), '+OK\r\n');
  assert.is(run('GET', 'k'), '$3\r\nabc\r\n');
  assert.is(run('GET', 'missing'), '$-1\r\n');
  assert.is(ranged(), 3);
  assert.is(run('STRLEN', 'k'), ':3\r\n');
  assert.is(ranged(), 3);
  const table = server.commandTable;
  assert.is(table.get('get')!.stats.calls, 2);
  assert.is(table.get('set')!.stats.calls, 1);
  assert.is(server.keyspace.stats.hits, 2, 'GET k and STRLEN k');
  assert.is(server.keyspace.stats.misses, 1);
  assert.is(server.keyspace.stats.dirty, 1);
});

test('INCR and DECR from the read buffer: new keys, integers kept in place, TTL kept, and the slow log argv', () => {
  const { connect, server, ranged, clock } = setup(true);
  const { run } = connect();
  const db = server.keyspace.dbs[0]!;
  const dirty = server.keyspace.stats.dirty;
  assert.is(run('INCR', 'n'), ':1\r\n');
  assert.is(run('incr', 'n'), ':2\r\n');
  assert.is(run('DECR', 'n'), ':1\r\n');
  assert.is(run('DECR', 'm'), ':-1\r\n');
  assert.is(ranged(), 4);
  assert.is(server.keyspace.stats.dirty, dirty + 4);
  assert.is(server.commandTable.get('incr')!.stats.calls, 2);
  assert.is(server.commandTable.get('decr')!.stats.calls, 2);
  assert.is(run('OBJECT', 'ENCODING', 'n'), '$3\r\nint\r\n');
  assert.is(run('PEXPIRE', 'n', '1000'), ':1\r\n');
  assert.is(run('INCR', 'n'), ':2\r\n');
  assert.is(db.expireAt('n'), clock.now() + 1000, 'INCR keeps the TTL');
  assert.is(ranged(), 5);
  // declined: text, a float, beyond 2^53, another type, expired (each answered by the ordinary path)
  run('SET', 't', '10');
  run('APPEND', 't', '0'); // '100' as text in a MutableString
  assert.is(run('INCR', 't'), ':101\r\n');
  run('SET', 'f', '1.5');
  assert.is(run('INCR', 'f'), '-ERR value is not an integer or out of range\r\n');
  run('SET', 'big', '9007199254740991');
  assert.is(run('INCR', 'big'), ':9007199254740992\r\n');
  assert.is(run('INCR', 'big'), ':9007199254740993\r\n');
  run('SET', 'max', '9223372036854775807');
  assert.is(run('INCR', 'max'), '-ERR increment or decrement would overflow\r\n');
  run('RPUSH', 'l', 'a');
  assert.is(run('INCR', 'l'), '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
  clock.advance(1000);
  assert.is(run('INCR', 'n'), ':1\r\n', 'expired: a new key');
  // the slow log rebuilds INCR's argv from the buffer
  server.slowlog.threshold = 0; // (CONFIG SET slowlog-log-slower-than 0, as app.ts applies it)
  run('SLOWLOG', 'RESET');
  const before = ranged();
  assert.is(run('INCR', 'n'), ':2\r\n');
  assert.is(ranged(), before + 1);
  assert.match(run('SLOWLOG', 'GET', '1'), /\*2\r\n\$4\r\nINCR\r\n\$1\r\nn\r\n/);
});

test('every condition that needs the ordinary path closes the range path', () => {
  const { connect, server, dispatcher } = setup(true);
  const a = connect();
  const b = connect();
  const open = () => dispatcher.rangeOpen(a.client);
  assert.ok(open());
  const check = (what: string, on: () => void, off: () => void) => {
    on();
    assert.not.ok(open(), what);
    off();
    assert.ok(open(), `${what}: open again after`);
  };
  check('MULTI', () => a.run('MULTI'), () => a.run('DISCARD'));
  check('subscribed', () => a.run('SUBSCRIBE', 'ch'), () => a.run('UNSUBSCRIBE'));
  check('tracking', () => a.run('CLIENT', 'TRACKING', 'on'), () => a.run('CLIENT', 'TRACKING', 'off'));
  check('CLIENT REPLY OFF', () => a.run('CLIENT', 'REPLY', 'OFF'), () => a.run('CLIENT', 'REPLY', 'ON'));
  check('CLIENT NO-TOUCH', () => a.run('CLIENT', 'NO-TOUCH', 'on'), () => a.run('CLIENT', 'NO-TOUCH', 'off'));
  check('script past busy-reply-threshold', () => (server.busyError = 'BUSY'), () => (server.busyError = null));
  check('CLIENT PAUSE', () => b.run('CLIENT', 'PAUSE', '100000', 'WRITE'), () => b.run('CLIENT', 'UNPAUSE'));
  check('effects consumer (AOF, replication)', () => (server.effects = () => {}), () => (server.effects = null));
  // (app.ts applies the parameter's change; here it is applied by hand)
  const notifications = (flags: string) => {
    b.run('CONFIG', 'SET', 'notify-keyspace-events', flags);
    server.configureNotifications();
  };
  check('keyspace notifications', () => notifications('KEA'), () => notifications(''));
  check('MONITOR', () => server.monitors.add(b.client), () => server.monitors.delete(b.client));
  check('WATCH by another client', () => b.run('WATCH', 'k'), () => b.run('UNWATCH'));
  // an ACL user with key patterns keeps the path open: runRange checks each command's key
  b.run('ACL', 'SETUSER', 'limited', 'on', '>pw', '~app:*', '+@all');
  a.run('AUTH', 'limited', 'pw');
  assert.ok(open(), 'ACL user with key patterns');
  a.run('AUTH', 'default', 'nopass');
  // a client that must authenticate
  server.acl.setRequirePass('secret'); // (CONFIG SET requirepass, as app.ts applies it)
  const c = connect();
  assert.not.ok(dispatcher.rangeOpen(c.client), 'not authenticated');
  assert.is(c.run('GET', 'k'), '-NOAUTH Authentication required.\r\n');
  c.run('AUTH', 'secret');
  assert.ok(dispatcher.rangeOpen(c.client), 'authenticated');
});

test('the range handlers decline what only the ordinary path does right', () => {
  const { connect, server, clock } = setup(true);
  const { run } = connect();
  const db = server.keyspace.dbs[0]!;
  const key = Buffer.from('*k', 'latin1');
  const lookup = () => db.lookupBytesRead(key, 1, 2, clock.now());
  assert.is(lookup(), 0, 'missing');
  run('SET', 'k', '12'); // an integer (int encoding)
  assert.is(lookup(), -1, 'integer');
  run('RPUSH', 'l', 'a');
  run('HSET', 'h', 'f', 'v'); // a packed collection
  db.set('m', MutableString.from('abc', 8));
  for (const k of ['l', 'h', 'm']) assert.is(db.lookupBytesRead(Buffer.from(k), 0, 1, clock.now()), -1, k);
  run('SET', 'k', 'abc');
  assert.is(lookup(), 1, 'a plain string');
  assert.is(db.rangeBytes.latin1Slice(db.rangeStart, db.rangeEnd), 'abc');
  run('PEXPIRE', 'k', '100');
  assert.is(lookup(), 1, 'a TTL still to run');
  clock.advance(100);
  const misses = server.keyspace.stats.misses;
  assert.is(lookup(), -1, 'expired: lazy expiry is the ordinary lookup');
  assert.is(server.keyspace.stats.misses, misses, 'a declined lookup counts nothing');
  server.keyspace.access.suppressed = true;
  run('SET', 'k', 'abc');
  assert.is(lookup(), -1, 'NO-TOUCH');
  server.keyspace.access.suppressed = false;
  assert.not.ok(db.setBytes(Buffer.from('k123'), 0, 1, 1, 4), 'integer text');
  assert.not.ok(db.setBytes(Buffer.from('k-5'), 0, 1, 1, 3), 'negative integer text');
  assert.not.ok(db.setBytes(Buffer.from('k' + 'z'.repeat(70000)), 0, 1, 1, 70001), 'over LARGE_STRING');
  assert.not.ok(db.setBytes(Buffer.from('k-5x'), 0, 1, 1, 4), 'any short text that may be an integer goes to the ordinary path');
  assert.ok(db.setBytes(Buffer.from('kx12'), 0, 1, 1, 4), 'text');
  assert.is(db.lookupRead('k', clock.now()), 'x12');
  assert.is(db.expireAt('k'), undefined, 'SET removed the TTL');
});

test('INCR from the read buffer keeps an INT tag and drops any other, as the ordinary path', () => {
  const seq = [['KV.SETT', 'a', 'int', '5'], ['KV.SETT', 'b', 'float', '5'], ['KV.SETT', 'c', 'string', '5'], ['SET', 'd', '5']];
  const outputs: string[] = [];
  for (const useRanges of [false, true]) {
    const { connect, ranged } = setup(useRanges);
    const { run } = connect();
    let out = '';
    for (const cmd of seq) out += run(...cmd);
    for (const k of ['a', 'b', 'c', 'd']) out += run('INCR', k) + run('KV.TYPEOF', k);
    outputs.push(out);
    if (useRanges) assert.ok(ranged() >= 3, `ranged ${ranged()}`);
  }
  assert.is(outputs[1], outputs[0]);
});

test('a SET from the read buffer overwriting in place: access clock, size accounting and TTL as the ordinary path', () => {
  const outputs: string[] = [];
  for (const useRanges of [false, true]) {
    const { connect, ranged, clock, server } = setup(useRanges);
    const { run } = connect();
    const db = server.keyspace.dbs[0]!;
    let out = run('SET', 'k', 'aaaa') + run('SET', 'x', 'bbbb');
    clock.advance(5000);
    out += run('SET', 'k', 'cccc') + run('OBJECT', 'IDLETIME', 'k') + run('OBJECT', 'IDLETIME', 'x');
    out += run('PEXPIRE', 'x', '100000') + run('SET', 'x', 'dd') + run('PTTL', 'x');
    out += ` ${db.bytes} ${db.arena.usedBytes}`;
    outputs.push(out);
    if (useRanges) assert.ok(ranged() >= 4, `ranged ${ranged()}`);
  }
  assert.is(outputs[1], outputs[0]);
  assert.match(outputs[0]!, /^\+OK\r\n\+OK\r\n\+OK\r\n:0\r\n:5\r\n/);
});

/** Random sessions of commands, run with and without the range path: the same replies, byte for byte. */
test('range path and ordinary path give the same replies and dataset, all 256 byte values included', () => {
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const keys = ['k', 'k2', '{t}a', '{t}b', '{}x', ALL_BYTES, ALL_BYTES.slice(100, 140), '\x00', 'key:000000012345'];
  const values = ['v', '', 'x'.repeat(70), '12', '-3', '007', '3.5', 'x'.repeat(70000), ALL_BYTES, '\r\n', '99999999999999999999999'];
  const sessions: string[][][] = [];
  const cuts: number[] = [];
  for (let s = 0; s < 30; s++) {
    const cmds: string[][] = [];
    for (let i = 0; i < 60; i++) {
      const k = keys[rnd(keys.length)]!;
      const v = values[rnd(values.length)]!;
      const pick = rnd(16);
      if (pick < 4) cmds.push(['GET', k]);
      else if (pick < 8) cmds.push([rnd(2) ? 'SET' : 'set', k, v]);
      else if (pick === 8) cmds.push(['PEXPIRE', k, String(1 + rnd(3))]);
      else if (pick === 9) cmds.push(['RPUSH', k, v]);
      else if (pick === 10) cmds.push(['HSET', k, 'f', v]);
      else if (pick === 11) cmds.push(['APPEND', k, v.slice(0, 5)]);
      else if (pick === 12) cmds.push([rnd(2) ? 'INCR' : 'decr', k]);
      else if (pick === 13) cmds.push(['TTL', k]);
      else if (pick === 14) cmds.push(['KV.SETT', k, rnd(2) ? 'int' : 'float', String(rnd(20000) - 100)]);
      else cmds.push(['SET', k, rnd(2) ? String(rnd(12000)) : '9007199254740990']);
    }
    sessions.push(cmds);
    cuts.push(rnd(1000) / 1000);
  }
  const results: string[][] = [];
  let rangedCount = 0;
  for (const useRanges of [false, true]) {
    const env = setup(useRanges);
    const { send } = env.connect();
    const out: string[] = [];
    for (let s = 0; s < sessions.length; s++) {
      const cmds = sessions[s]!;
      // a pipeline per session, cut at a random point into two reads
      const bytes = Buffer.concat(cmds.map(encode));
      const cut = Math.floor(cuts[s]! * bytes.length);
      const first = send(bytes.subarray(0, cut));
      // a second between the two reads now and then: the LRU clocks the commands stamp differ
      env.clock.advance(s % 2 === 0 ? 1000 : 0);
      out.push(first + '|' + send(bytes.subarray(cut)));
      env.clock.advance(1);
      const db = env.server.keyspace.dbs[0]!;
      out.push(
        keys
          .map((k) => {
            const v = db.lookupRead(k, env.clock.now(), false);
            const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' ? `${typeof v}:${v}` : typeof v;
            return `${value}/${db.expireAt(k) ?? -1}/${db.valueTypeOf(k)}/${db.accessOf(k) ?? -1}`;
          })
          .join(',') + ` bytes ${db.bytes} arena ${db.arena.usedBytes}`,
      );
    }
    results.push(out);
    if (useRanges) rangedCount = env.ranged();
  }
  assert.ok(rangedCount > 400, `the range path ran (${rangedCount})`);
  for (let i = 0; i < results[0]!.length; i++) assert.is(results[1]![i], results[0]![i], `step ${i}`);
});

/** ACL LOG as `reason/context/object/username/count` lines (the rest holds times and addresses). */
function aclLog(run: (...argv: string[]) => string): string {
  const raw = run('ACL', 'LOG');
  const fields = [...raw.matchAll(/\$\d+\r\n(count|reason|context|object|username)\r\n(?::(\d+)|\$\d+\r\n([^\r]*))\r\n/g)];
  return fields.map((m) => `${m[1]}=${m[2] ?? m[3]}`).join(' ');
}

test('a restricted ACL user takes the range path for the keys it may touch, the ordinary path for the others', () => {
  const { connect, ranged, server } = setup(true);
  const admin = connect();
  const a = connect();
  admin.run('ACL', 'SETUSER', 'app', 'on', '>pw', '~app:*', '%R~ro:*', '%W~wo:*', '~exact', '~g[0-9]?x*', '+@all', '-@dangerous');
  assert.is(a.run('AUTH', 'app', 'pw'), '+OK\r\n');
  const before = ranged();
  const allowed: [string[], string][] = [
    [['SET', 'app:1', 'v1'], '+OK\r\n'],
    [['GET', 'app:1'], '$2\r\nv1\r\n'],
    [['GET', 'app:'], '$-1\r\n'],
    [['GET', 'ro:1'], '$-1\r\n'],
    [['SET', 'wo:1', 'w'], '+OK\r\n'],
    [['SET', 'exact', 'e'], '+OK\r\n'],
    [['GET', 'exact'], '$1\r\ne\r\n'],
    [['GET', 'g1zx'], '$-1\r\n'],
    [['SET', 'g12xyz', 'g'], '+OK\r\n'],
  ];
  for (const [cmd, want] of allowed) assert.is(a.run(...cmd), want, cmd.join(' '));
  assert.is(ranged() - before, allowed.length, 'every allowed GET/SET ran from the buffer');
  const NOPERM_KEY = "-NOPERM this user has no permissions to access one of the keys used as arguments\r\n";
  const denied = [['GET', 'other'], ['SET', 'ro:1', 'x'], ['GET', 'wo:1'], ['GET', 'exactx'], ['GET', 'app'], ['SET', 'gx', 'v'], ['GET', '']];
  for (const cmd of denied) assert.is(a.run(...cmd), NOPERM_KEY, cmd.join(' '));
  assert.is(ranged() - before, allowed.length, 'a denied key goes through the ordinary path');
  assert.is(server.commandTable.get('get')!.stats.rejected, 5);
  assert.is(server.commandTable.get('set')!.stats.rejected, 2);
  assert.is(aclLog(admin.run).split('reason=').length - 1, 7, 'each denial is in ACL LOG');
});

test('the range grant follows every change of the user: SETUSER keys, commands, selectors, allkeys', () => {
  const { connect, ranged } = setup(true);
  const admin = connect();
  const a = connect();
  admin.run('ACL', 'SETUSER', 'u', 'on', '>pw', '~a:*', '+get', '+set');
  a.run('AUTH', 'u', 'pw');
  assert.is(a.run('SET', 'a:1', 'x'), '+OK\r\n');
  assert.is(a.run('SET', 'b:1', 'x'), '-NOPERM this user has no permissions to access one of the keys used as arguments\r\n');
  let n = ranged();
  // the patterns change: the grant is recomputed
  admin.run('ACL', 'SETUSER', 'u', 'resetkeys', '~b:*');
  assert.is(a.run('SET', 'b:1', 'y'), '+OK\r\n');
  assert.is(ranged(), n + 1);
  assert.match(a.run('GET', 'a:1'), /^-NOPERM/);
  // the command is taken away
  admin.run('ACL', 'SETUSER', 'u', '-get');
  assert.is(a.run('GET', 'b:1'), "-NOPERM this user has no permissions to run the 'get' command\r\n");
  assert.is(ranged(), n + 1);
  // a selector gives it back, on its own keys only
  admin.run('ACL', 'SETUSER', 'u', '(+get %R~c:*)');
  n = ranged();
  assert.is(a.run('GET', 'c:1'), '$-1\r\n');
  assert.is(ranged(), n + 1);
  assert.is(a.run('GET', 'b:1'), '-NOPERM this user has no permissions to access one of the keys used as arguments\r\n');
  assert.is(a.run('SET', 'c:1', 'v'), '-NOPERM this user has no permissions to access one of the keys used as arguments\r\n');
  // all keys on the root, whose GET is still off: the selector's keys only
  admin.run('ACL', 'SETUSER', 'u', 'allkeys');
  assert.match(a.run('GET', 'zzz'), /^-NOPERM/);
  admin.run('ACL', 'SETUSER', 'u', '+get');
  n = ranged();
  assert.is(a.run('GET', 'zzz'), '$-1\r\n');
  assert.is(ranged(), n + 1);
});

/** Random users and keys, run with and without the range path: the same replies and ACL LOG. */
test('restricted users: range path and ordinary path give the same replies and ACL LOG', () => {
  let seed = 99;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const ruleChoices = ['~a*', '%R~b*', '%W~c*', '~k?', '~[ab]x', '~\\*', '~a\\?*', 'allkeys', 'resetkeys', '+get', '-get', '+set', '-set', '+@string', '-@write', '(~d* +get)', '(%W~e* +set)', 'clearselectors'];
  const keys = ['a', 'ab', 'b1', 'c2', 'k1', 'kk', 'k', 'ax', 'bx', '*', 'a?z', 'd', 'dd', 'e', '', '\xff', 'a\x00'];
  const scripts: string[][][] = [];
  for (let s = 0; s < 40; s++) {
    const cmds: string[][] = [];
    for (let i = 0; i < 40; i++) {
      if (rnd(10) === 0) {
        const rules: string[] = [];
        for (let n = 1 + rnd(3); n > 0; n--) rules.push(ruleChoices[rnd(ruleChoices.length)]!);
        cmds.push(['@admin', 'ACL', 'SETUSER', 'r', ...rules]);
      } else {
        const k = keys[rnd(keys.length)]!;
        cmds.push(rnd(2) ? ['GET', k] : ['SET', k, 'v' + i]);
      }
    }
    scripts.push(cmds);
  }
  const results: string[][] = [];
  const rangedCounts: number[] = [];
  for (const useRanges of [false, true]) {
    const env = setup(useRanges);
    const admin = env.connect();
    const a = env.connect();
    const out: string[] = [];
    for (const cmds of scripts) {
      admin.run('ACL', 'SETUSER', 'r', 'reset', 'on', '>pw', '~a*', '%R~b*', '+get', '+set');
      a.run('AUTH', 'r', 'pw');
      let pipeline = Buffer.alloc(0);
      const flush = () => {
        if (pipeline.length !== 0) out.push(a.send(pipeline));
        pipeline = Buffer.alloc(0);
      };
      for (const cmd of cmds) {
        if (cmd[0] === '@admin') {
          flush();
          out.push(admin.run(...cmd.slice(1)));
        } else pipeline = Buffer.concat([pipeline, encode(cmd)]);
      }
      flush();
      out.push(aclLog(admin.run));
      admin.run('ACL', 'LOG', 'RESET');
    }
    results.push(out);
    rangedCounts.push(env.ranged());
  }
  assert.ok(rangedCounts[1]! > 300, `the range path ran (${rangedCounts[1]})`);
  assert.ok(results[0]!.join('').includes('NOPERM'), 'some commands were denied');
  for (let i = 0; i < results[0]!.length; i++) assert.is(results[1]![i], results[0]![i], `step ${i}`);
});

test.run();