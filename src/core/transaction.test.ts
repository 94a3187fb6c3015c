/*
 * MULTI queueing, WATCH and the hook fan-out, in process: a ServerContext with a fake clock,
 * clients whose replies are collected, and the effects stream observed directly. (Reply bytes
 * against redis-server: compat-tests/differential-multi.test.ts.)
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../engine/clock.js';
import { CollectingReply, type ReplyValue } from '../resp/collecting-reply.js';
import { Err } from '../resp/errors.js';
import { Client } from './client.js';
import { detachedConnection } from './detached-connection.js';
import { buildCommandTable } from './command-list.js';
import { Config } from './config.js';
import { Dispatcher } from './dispatch.js';
import { ServerContext, type Log } from './server-context.js';

const quiet: Log = { level: 'warning', debug() {}, verbose() {}, notice() {}, warning() {} };

function setup() {
  const clock = new FakeClock();
  const server = new ServerContext(new Config(), clock, quiet, buildCommandTable());
  const dispatcher = new Dispatcher(server.commandTable);
  const effects: string[] = [];
  server.effects = (db, argv) => effects.push(`${db}:${argv.join(' ')}`);
  const connect = (): { client: Client; reply: CollectingReply; run: (...argv: string[]) => ReplyValue } => {
    const reply = new CollectingReply();
    const conn = detachedConnection();
    const client = new Client(server, server.newClientId(), reply, conn);
    server.clients.set(client.id, client);
    const run = (...argv: string[]): ReplyValue => {
      dispatcher.run(client, argv, clock.now());
      const out = reply.take();
      assert.is(out.length, 1, `one reply to ${argv.join(' ')}`);
      return out[0]!;
    };
    return { client, reply, run };
  };
  return { server, clock, effects, connect };
}

const ok = { type: 'simple', value: 'OK' };
const queued = { type: 'simple', value: 'QUEUED' };
const err = (value: string) => ({ type: 'error', value });

test('queued commands run at EXEC, one array element each, runtime errors included', () => {
  const { connect } = setup();
  const { run, client } = connect();
  assert.equal(run('MULTI'), ok);
  assert.equal(run('SET', 'k', 'x'), queued);
  assert.equal(run('INCR', 'k'), queued);
  assert.equal(run('GET', 'k'), queued);
  assert.is(client.multi!.specs.length, 3);
  assert.equal(run('EXEC'), {
    type: 'array',
    items: [ok, err(Err.NOT_INTEGER), { type: 'bulk', value: 'x' }],
  });
  assert.is(client.multi, null);
  assert.equal(run('EXEC'), err(Err.EXEC_WITHOUT_MULTI));
});

test('a command rejected while queueing dooms the transaction; EXEC, DISCARD, WATCH and MULTI run at once', () => {
  const { connect, server } = setup();
  const { run } = connect();
  run('MULTI');
  assert.equal(run('MULTI'), err(Err.MULTI_NESTED));
  assert.equal(run('WATCH', 'k'), err(Err.WATCH_IN_MULTI));
  assert.equal(run('SET', 'k', 'v'), queued);
  assert.equal(run('EXEC'), { type: 'array', items: [ok] }, 'errors of MULTI and WATCH do not abort');
  for (const bad of [['NOSUCH'], ['GET'], ['SHUTDOWN'], ['CLIENT', 'NOSUCH']]) {
    run('MULTI');
    run(...bad);
    run('SET', 'k', 'w');
    assert.equal(run('EXEC'), err(Err.EXECABORT), bad.join(' '));
  }
  assert.equal(server.keyspace.dbs[0]!.lookupRead('k', 0), 'v');
  run('MULTI');
  run('SET', 'k', 'z');
  assert.equal(run('DISCARD'), ok);
  assert.equal(run('DISCARD'), err(Err.DISCARD_WITHOUT_MULTI));
  assert.equal(server.keyspace.dbs[0]!.lookupRead('k', 0), 'v');
});

test('WATCH: a write by another client fails EXEC; unwatched keys and other databases do not', () => {
  const { connect, server } = setup();
  const a = connect();
  const b = connect();
  a.run('WATCH', 'w');
  b.run('SET', 'other', '1');
  b.run('SELECT', '1');
  b.run('SET', 'w', 'db1');
  a.run('MULTI');
  a.run('PING');
  assert.equal(a.run('EXEC'), { type: 'array', items: [{ type: 'simple', value: 'PONG' }] });
  assert.is(server.watches.size, 0, 'EXEC unwatches');
  a.run('WATCH', 'w');
  b.run('SELECT', '0');
  b.run('SET', 'w', '1');
  assert.ok(a.client.watchDirty);
  a.run('MULTI');
  a.run('PING');
  assert.equal(a.run('EXEC'), { type: 'nil' });
  assert.is(a.client.watchDirty, false);
});

test('WATCH: a watched key expiring before EXEC fails it; one already expired when watched does not', () => {
  const { connect, clock } = setup();
  const a = connect();
  a.run('SET', 'e', 'v', 'PX', '100');
  a.run('WATCH', 'e');
  clock.advance(200);
  a.run('MULTI');
  a.run('PING');
  assert.equal(a.run('EXEC'), { type: 'nil' }, 'expired by EXEC time');
  a.run('SET', 'e2', 'v', 'PX', '100');
  clock.advance(200);
  a.run('WATCH', 'e2');
  a.run('GET', 'e2'); // lazy expiry removes it: no logical change
  a.run('MULTI');
  a.run('PING');
  assert.equal(a.run('EXEC'), { type: 'array', items: [{ type: 'simple', value: 'PONG' }] });
});

test('WATCH: flushes dirty only the watchers of keys that existed; SWAPDB also when the key arrives', () => {
  const { connect } = setup();
  const a = connect();
  const b = connect();
  const execResult = () => {
    a.run('MULTI');
    a.run('PING');
    return a.run('EXEC').type;
  };
  a.run('WATCH', 'missing');
  b.run('FLUSHALL');
  assert.is(execResult(), 'array');
  b.run('SET', 'k', '1');
  a.run('WATCH', 'k');
  b.run('FLUSHDB');
  assert.is(execResult(), 'nil');
  b.run('SELECT', '1');
  b.run('SET', 'k', '1');
  a.run('WATCH', 'k');
  b.run('SWAPDB', '0', '1');
  assert.is(execResult(), 'nil');
});

test('the hook fan-out: null without listeners, the listener itself for one, all of them for more', () => {
  const { server } = setup();
  const hooks = server.keyspace.hooks;
  assert.is(hooks.modified, null);
  const seen: string[] = [];
  const first = (_db: unknown, key: string | null) => void seen.push(`1:${key}`);
  const offFirst = server.onModified(first);
  assert.is(hooks.modified, first);
  const offSecond = server.onModified((_db, key) => {
    seen.push(`2:${key}`);
    offSecond(); // removing itself while called
  });
  server.keyspace.dbs[0]!.set('a', 'v');
  server.keyspace.dbs[0]!.set('b', 'v');
  assert.equal(seen, ['1:a', '2:a', '1:b']);
  offFirst();
  assert.is(hooks.modified, null);
});

test('EXEC propagates its effects as MULTI … EXEC when there are several, alone when one, nothing when none', () => {
  const { connect, effects } = setup();
  const { run } = connect();
  run('MULTI');
  run('SET', 'a', '1');
  run('SET', 'b', '2', 'EX', '100');
  run('GET', 'a');
  run('EXEC');
  assert.equal(effects.splice(0), ['0:MULTI', '0:SET a 1', '0:SET b 2 PXAT 1700000100000', '0:EXEC']);
  run('MULTI');
  run('INCR', 'a');
  run('GET', 'a');
  run('EXEC');
  assert.equal(effects.splice(0), ['0:INCR a']);
  run('MULTI');
  run('GET', 'a');
  run('EXEC');
  assert.equal(effects.splice(0), []);
});

test('EXEC: one time for every queued command, blocking denied while it runs', () => {
  const { connect, clock, server } = setup();
  const { run, client } = connect();
  let seen: Array<[number, boolean]> = [];
  server.commandTable.add([
    { name: 'probe', arity: 1, flags: '', categories: '', handler: (c) => { seen.push([c.now, c.denyBlocking]); c.reply.ok(); } },
  ]);
  run('MULTI');
  run('PROBE');
  clock.advance(50);
  run('PROBE');
  clock.advance(50);
  run('EXEC');
  assert.equal(seen, [[clock.now(), true], [clock.now(), true]]);
  assert.is(client.denyBlocking, false);
  seen = [];
  run('PROBE');
  assert.equal(seen, [[clock.now(), false]]);
});

test('the precomputed noMulti of every row is its no_multi flag (a subcommand: or its container’s)', () => {
  const { server } = setup();
  let refused = 0;
  for (const spec of server.commandTable.all) {
    const rows = [spec, ...(spec.subcommands?.values() ?? [])];
    for (const row of rows) {
      const want = row.flags.includes('no_multi') || (row.parent?.flags.includes('no_multi') ?? false);
      assert.is(row.noMulti, want, row.name);
      if (want) refused++;
    }
  }
  assert.ok(refused >= 1, 'SHUTDOWN at least');
});

test.run();
