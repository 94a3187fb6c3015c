/*
 * Namespaces in process: isolation of keys, TTLs, DBSIZE, FLUSHDB, SCAN, WATCH and MULTI; KV.NS
 * DROP; INFO keyspace; the effects stream's database ids; and the binding an ACL user will get,
 * through `enterNamespace` directly (the ACL glue calls it at authentication).
 * Over sockets (notifications, blocking pops, scripts, clients): compat-tests/namespaces.test.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../engine/clock.js';
import { ActiveExpiry } from '../engine/expiry.js';
import { CollectingReply, type ReplyValue } from '../resp/collecting-reply.js';
import { Err } from '../resp/errors.js';
import { Client } from '../core/client.js';
import { detachedConnection } from '../core/detached-connection.js';
import { buildCommandTable } from '../core/command-list.js';
import { Config } from '../core/config.js';
import { Dispatcher } from '../core/dispatch.js';
import { ServerContext, type Log } from '../core/server-context.js';
import { infoText, selectSections } from './info.js';
import { enterNamespace } from './namespaces.js';

const quiet: Log = { level: 'warning', debug() {}, verbose() {}, notice() {}, warning() {} };

function setup() {
  const clock = new FakeClock(1_700_000_000_000);
  const server = new ServerContext(new Config(), clock, quiet, buildCommandTable());
  const dispatcher = new Dispatcher(server.commandTable);
  const effects: Array<[number, string]> = [];
  server.effects = (db, argv) => effects.push([db, argv.join(' ')]);
  const connect = () => {
    const reply = new CollectingReply();
    const client = new Client(server, server.newClientId(), reply, detachedConnection());
    server.clients.set(client.id, client);
    const run = (...argv: string[]): ReplyValue => {
      dispatcher.run(client, argv, clock.now());
      const out = reply.take();
      assert.is(out.length, 1, `one reply to ${argv.join(' ')}`);
      return out[0]!;
    };
    return { client, run };
  };
  return { server, clock, effects, connect };
}

const ok = { type: 'simple', value: 'OK' };
const int = (value: number) => ({ type: 'int', value });
const bulk = (value: string) => ({ type: 'bulk', value });
const nil = { type: 'nil' };
const err = (value: string) => ({ type: 'error', value });
const bulks = (...values: string[]) => ({ type: 'array', items: values.map(bulk) });

test('KV.NS USE / CURRENT / LIST; SELECT goes back; names are checked', () => {
  const { connect } = setup();
  const { run, client } = connect();
  assert.equal(run('KV.NS', 'CURRENT'), nil);
  assert.equal(run('KV.NS', 'LIST'), bulks());
  assert.equal(run('KV.NS', 'USE', 'tenant1'), ok);
  assert.equal(run('KV.NS', 'CURRENT'), bulk('tenant1'));
  assert.ok(client.dbIndex < 0);
  assert.equal(run('kv.ns', 'use', 'a.b:c-d_9'), ok);
  assert.equal(run('KV.NS', 'LIST'), bulks('tenant1', 'a.b:c-d_9'));
  for (const bad of ['', 'x y', 'x'.repeat(65), 'ü', 'a/b', '*']) assert.equal(run('KV.NS', 'USE', bad), err(Err.NS_INVALID_NAME), bad);
  assert.equal(run('KV.NS', 'USE', 'x'.repeat(64)), ok);
  assert.equal(run('SELECT', '3'), ok);
  assert.equal(run('KV.NS', 'CURRENT'), nil);
  assert.is(client.dbIndex, 3);
  assert.equal(run('KV.NS', 'USE'), err(Err.WRONG_ARITY('kv.ns|use')));
});

test('keys, TTLs, DBSIZE, SCAN, KEYS, RANDOMKEY and FLUSHDB stay within the namespace', () => {
  const { connect, clock } = setup();
  const a = connect();
  const b = connect();
  assert.equal(a.run('SET', 'k', 'db0'), ok);
  assert.equal(b.run('KV.NS', 'USE', 't'), ok);
  assert.equal(b.run('GET', 'k'), nil);
  assert.equal(b.run('SET', 'k', 'ns', 'PX', '100'), ok);
  assert.equal(b.run('SET', 'only-ns', 'x'), ok);
  assert.equal(a.run('GET', 'k'), bulk('db0'));
  assert.equal(a.run('PTTL', 'k'), int(-1));
  assert.equal(b.run('PTTL', 'k'), int(100));
  assert.equal(a.run('DBSIZE'), int(1));
  assert.equal(b.run('DBSIZE'), int(2));
  assert.equal(b.run('KEYS', '*').type, 'array');
  assert.equal(((b.run('KEYS', '*') as { items: ReplyValue[] }).items as Array<{ value: string }>).map((x) => x.value).sort(), ['k', 'only-ns']);
  const scan = b.run('SCAN', '0', 'COUNT', '100') as unknown as { items: [ReplyValue, { items: Array<{ value: string }> }] };
  assert.equal(scan.items[1].items.map((x) => x.value).sort(), ['k', 'only-ns']);
  assert.equal(a.run('EXISTS', 'only-ns'), int(0));
  // the namespace's TTL expires there only (lazy and active expiry)
  clock.advance(200);
  assert.equal(b.run('GET', 'k'), nil);
  assert.equal(a.run('GET', 'k'), bulk('db0'));
  // FLUSHDB empties the namespace only; FLUSHALL empties it too, and it stays listed
  assert.equal(b.run('FLUSHDB'), ok);
  assert.equal(b.run('DBSIZE'), int(0));
  assert.equal(a.run('DBSIZE'), int(1));
  b.run('SET', 'again', '1');
  assert.equal(a.run('FLUSHALL'), ok);
  assert.equal(b.run('DBSIZE'), int(0));
  assert.equal(a.run('KV.NS', 'LIST'), bulks('t'));
});

test('active expiry reaches namespaces', () => {
  const { server, connect, clock } = setup();
  const b = connect();
  b.run('KV.NS', 'USE', 'exp');
  for (let i = 0; i < 50; i++) b.run('SET', `k${i}`, 'v', 'PX', '10');
  clock.advance(100);
  const ns = server.keyspace.namespaces.get('exp')!;
  assert.is(ns.size, 50);
  // the cron's cycle over every database and namespace
  const expiry = new ActiveExpiry(server.keyspace, clock);
  for (let i = 0; i < 10 && ns.size > 0; i++) expiry.run(clock.now(), 1000);
  assert.is(ns.size, 0);
});

test('MOVE and COPY … DB between a namespace and a numbered database; RENAME within', () => {
  const { connect } = setup();
  const a = connect();
  a.run('KV.NS', 'USE', 'src');
  a.run('SET', 'k', 'v', 'EX', '100');
  assert.equal(a.run('RENAME', 'k', 'k2'), ok);
  assert.equal(a.run('COPY', 'k2', 'k3', 'DB', '2'), int(1));
  assert.equal(a.run('MOVE', 'k2', '1'), int(1));
  assert.equal(a.run('DBSIZE'), int(0));
  a.run('SELECT', '1');
  assert.equal(a.run('GET', 'k2'), bulk('v'));
  assert.equal(a.run('TTL', 'k2'), int(100));
  a.run('SELECT', '2');
  assert.equal(a.run('GET', 'k3'), bulk('v'));
});

test('WATCH in a namespace is touched by writes there, not by the same key elsewhere', () => {
  const { connect } = setup();
  const a = connect();
  const b = connect();
  a.run('KV.NS', 'USE', 'w');
  b.run('KV.NS', 'USE', 'w');
  assert.equal(a.run('WATCH', 'k'), ok);
  const other = connect();
  other.run('SET', 'k', 'db0'); // db 0's k
  other.run('KV.NS', 'USE', 'w2');
  other.run('SET', 'k', 'w2'); // another namespace's k
  a.run('MULTI');
  a.run('SET', 'k', 'mine');
  assert.equal(a.run('EXEC'), { type: 'array', items: [ok] });
  assert.equal(a.run('WATCH', 'k'), ok);
  b.run('SET', 'k', 'theirs');
  a.run('MULTI');
  a.run('SET', 'k', 'mine');
  assert.equal(a.run('EXEC'), { type: 'nil' }); // RESP2's null array, collected as nil
  // KV.NS DROP touches the namespace's watched keys, as FLUSHDB
  assert.equal(a.run('WATCH', 'k'), ok);
  other.run('KV.NS', 'DROP', 'w');
  a.run('MULTI');
  a.run('GET', 'k');
  assert.equal(a.run('EXEC'), { type: 'nil' });
});

test('MULTI runs in the namespace; its effects carry the namespace id', () => {
  const { connect, effects, server } = setup();
  const a = connect();
  a.run('KV.NS', 'USE', 'm');
  a.run('MULTI');
  a.run('SET', 'x', '1');
  a.run('INCR', 'x');
  assert.equal(a.run('EXEC'), { type: 'array', items: [ok, int(2)] });
  const id = server.keyspace.namespaces.get('m')!.id;
  assert.ok(id < 0);
  assert.equal(effects.filter(([, e]) => e !== 'MULTI' && e !== 'EXEC'), [[id, 'SET x 1'], [id, 'INCR x']]);
  assert.is(server.keyspace.byId(id)!.name, 'm');
  assert.equal(server.keyspace.dbs[0]!.size, 0);
});

test('KV.NS DROP removes the keys and the name; a namespace in use stays, empty', () => {
  const { connect, server } = setup();
  const a = connect();
  const b = connect();
  a.run('KV.NS', 'USE', 'gone');
  for (let i = 0; i < 5; i++) a.run('SET', `k${i}`, 'v', 'EX', '100');
  a.run('SELECT', '0');
  b.run('KV.NS', 'USE', 'kept');
  b.run('SET', 'x', '1');
  b.run('SET', 'y', '1');
  assert.equal(a.run('KV.NS', 'DROP', 'gone'), int(5));
  assert.equal(a.run('KV.NS', 'DROP', 'gone'), int(0));
  assert.equal(a.run('KV.NS', 'DROP', 'never'), int(0));
  assert.equal(a.run('KV.NS', 'LIST'), bulks('kept'));
  assert.equal(a.run('KV.NS', 'DROP', 'kept'), int(2));
  // b still works in its (now empty) namespace, which stays listed while used
  assert.equal(a.run('KV.NS', 'LIST'), bulks('kept'));
  assert.equal(b.run('DBSIZE'), int(0));
  assert.equal(b.run('SET', 'z', '1'), ok);
  assert.equal(b.run('KV.NS', 'CURRENT'), bulk('kept'));
  assert.is(server.keyspace.namespaces.get('kept')!.size, 1);
  // a dropped namespace used again starts empty
  a.run('KV.NS', 'USE', 'gone');
  assert.equal(a.run('DBSIZE'), int(0));
  // the keyspace's accounting is back to what the live keys hold
  assert.is(server.keyspace.all.length, server.keyspace.dbs.length + 2);
});

test('INFO keyspace adds ns_<name> lines for non-empty namespaces', () => {
  const { connect, server, clock } = setup();
  const a = connect();
  a.run('SET', 'k', 'v');
  a.run('KV.NS', 'USE', 'tenant1');
  a.run('SET', 'a', '1');
  a.run('SET', 'b', '1', 'EX', '100');
  a.run('KV.NS', 'USE', 'empty');
  const text = infoText(server, clock.now(), selectSections(['keyspace']));
  assert.ok(text.includes('db0:keys=1,expires=0,avg_ttl=0\r\n'), text);
  assert.ok(text.includes('ns_tenant1:keys=2,expires=1,avg_ttl=100000\r\n'), text);
  assert.not.ok(text.includes('ns_empty'), text);
});

test('CLIENT LIST and CLIENT INFO show db=ns_<name>', () => {
  const { connect } = setup();
  const a = connect();
  a.run('KV.NS', 'USE', 'shown');
  const info = a.run('CLIENT', 'INFO') as { value: string };
  assert.match(info.value, / db=ns_shown /);
  a.run('SELECT', '4');
  assert.match((a.run('CLIENT', 'INFO') as { value: string }).value, / db=4 /);
});

test('a bound connection (enterNamespace(c, name, true)) cannot leave its namespace', () => {
  const { connect, server } = setup();
  const a = connect();
  const other = connect();
  other.run('SET', 'secret', 'db0');
  other.run('KV.NS', 'USE', 'other');
  other.run('SET', 'secret', 'other');
  enterNamespace(a.client, 'tenant', true);
  assert.is(a.client.boundNamespace, 'tenant');
  const denied = err(Err.NS_BOUND('tenant'));
  assert.equal(a.run('KV.NS', 'CURRENT'), bulk('tenant'));
  assert.equal(a.run('SELECT', '0'), denied);
  assert.equal(a.run('KV.NS', 'USE', 'other'), denied);
  assert.equal(a.run('KV.NS', 'USE', 'tenant'), ok);
  assert.equal(a.run('KV.NS', 'DROP', 'other'), denied);
  assert.equal(a.run('SWAPDB', '0', '1'), denied);
  assert.equal(a.run('FLUSHALL'), denied);
  a.run('SET', 'k', 'v');
  assert.equal(a.run('MOVE', 'k', '0'), denied);
  assert.equal(a.run('COPY', 'k', 'k2', 'DB', '0'), denied);
  assert.equal(a.run('COPY', 'k', 'k2'), int(1));
  assert.equal(a.run('KV.NS', 'LIST'), bulks('tenant'));
  assert.equal(a.run('GET', 'secret'), nil);
  // refused inside MULTI too (at EXEC, as SELECT's own errors)
  a.run('MULTI');
  a.run('SELECT', '0');
  assert.equal(a.run('EXEC'), { type: 'array', items: [denied] });
  // its own FLUSHDB and DROP are fine
  a.run('SET', 'still', 'here');
  assert.equal(a.run('FLUSHDB'), ok);
  assert.equal(a.run('KV.NS', 'DROP', 'tenant'), int(0));
  assert.equal(server.keyspace.namespaces.get('other')!.size, 1);
  // the binding belongs to the user (ACL `namespace=`): RESET returns to the default user, which
  // has none, so the connection is unbound and back in db 0 (compat-tests/security/acl-namespace)
  assert.equal(a.run('RESET'), { type: 'simple', value: 'RESET' });
  assert.equal(a.run('KV.NS', 'CURRENT'), nil);
  assert.equal(a.run('SELECT', '1'), ok);
  assert.equal(server.keyspace.dbs[0]!.size, 1);
  // entering unbound lifts the binding
  enterNamespace(a.client, 'tenant', false);
  assert.equal(a.run('SELECT', '0'), ok);
  assert.throws(() => enterNamespace(a.client, 'bad name', true));
});

test.run();
