/*
 * The list family in-process: keyspace notifications in Redis's order and classes, what each
 * command propagates, OBJECT ENCODING under list-max-listpack-size, and the range rule.
 * (Replies are checked byte for byte against redis-server in compat-tests/differential-list.)
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../engine/clock.js';
import { CollectingReply, type ReplyValue } from '../resp/collecting-reply.js';
import { Client } from '../core/client.js';
import { detachedConnection } from '../core/detached-connection.js';
import { buildCommandTable } from '../core/command-list.js';
import { Config } from '../core/config.js';
import { Dispatcher } from '../core/dispatch.js';
import { ServerContext, type Log } from '../core/server-context.js';
import { listRange } from './list.js';

const quiet: Log = { level: 'warning', debug() {}, verbose() {}, notice() {}, warning() {} };

function setup() {
  const clock = new FakeClock();
  const server = new ServerContext(new Config(), clock, quiet, buildCommandTable());
  const dispatcher = new Dispatcher(server.commandTable);
  const events: string[] = [];
  const effects: string[] = [];
  server.notifier = (cls, event, key) => events.push(`${cls}:${event}:${key}`);
  server.effects = (_db, argv) => effects.push(argv.join(' '));
  const reply = new CollectingReply(2);
  const conn = detachedConnection();
  const c = new Client(server, 1, reply, conn);
  const run = (...argv: string[]): ReplyValue[] => {
    dispatcher.run(c, argv, clock.now());
    return reply.take();
  };
  const take = () => ({ events: events.splice(0), effects: effects.splice(0) });
  return { run, take };
}

test('notifications and effects of the writing commands', () => {
  const { run, take } = setup();
  run('RPUSH', 'l', 'a', 'b', 'c');
  assert.equal(take(), { events: ['l:rpush:l'], effects: ['RPUSH l a b c'] });
  run('LPUSHX', 'none', 'a');
  assert.equal(take(), { events: [], effects: [] });
  run('LMOVE', 'l', 'd', 'LEFT', 'RIGHT');
  // LMOVE notifies the push before the pop, as Redis's lmoveGenericCommand
  assert.equal(take(), { events: ['l:rpush:d', 'l:lpop:l'], effects: ['LMOVE l d LEFT RIGHT'] });
  run('LSET', 'l', '0', 'B');
  run('LINSERT', 'l', 'BEFORE', 'B', 'x');
  run('LINSERT', 'l', 'BEFORE', 'nope', 'x');
  assert.equal(take(), { events: ['l:lset:l', 'l:linsert:l'], effects: ['LSET l 0 B', 'LINSERT l BEFORE B x'] });
  run('LREM', 'l', '0', 'nope');
  run('LTRIM', 'l', '0', '-1');
  // a trim that removes nothing still notifies, but changes nothing and propagates nothing
  assert.equal(take(), { events: ['l:ltrim:l'], effects: [] });
  run('LTRIM', 'l', '5', '1');
  assert.equal(take(), { events: ['l:ltrim:l', 'g:del:l'], effects: ['LTRIM l 5 1'] });
  run('RPUSH', 'm', '1', '2', '3');
  take();
  run('LMPOP', '1', 'm', 'RIGHT', 'COUNT', '5');
  assert.equal(take(), { events: ['l:rpop:m', 'g:del:m'], effects: ['RPOP m 3'] /* the count popped, as Redis replicates it */ });
  run('RPUSH', 'm', '1', '2');
  take();
  run('BLPOP', 'm', '0');
  run('BRPOPLPUSH', 'm', 'n', '0');
  run('BLMOVE', 'n', 'n', 'left', 'right', '0');
  assert.equal(take(), {
    events: ['l:lpop:m', 'l:lpush:n', 'l:rpop:m', 'g:del:m', 'l:rpush:n', 'l:lpop:n'],
    effects: ['LPOP m', 'RPOPLPUSH m n', 'LMOVE n n left right'],
  });
  run('LREM', 'n', '1', '2');
  assert.equal(take(), { events: ['l:lrem:n', 'g:del:n'], effects: ['LREM n 1 2'] });
});

test('OBJECT ENCODING is quicklist at every size (Redis 7.0); DEBUG OBJECT counts the nodes the config makes', () => {
  const { run } = setup();
  const text = (r: unknown[]) => (r[0] as { value: string }).value;
  const nodes = (key: string) => /ql_nodes:(\d+)/.exec(text(run('DEBUG', 'OBJECT', key)))?.[1];
  run('RPUSH', 'small', 'a', 'b');
  assert.is(text(run('OBJECT', 'ENCODING', 'small')), 'quicklist');
  assert.is(nodes('small'), '1');
  run('CONFIG', 'SET', 'list-max-ziplist-size', '3');
  run('RPUSH', 'small', 'c', 'd');
  assert.is(text(run('OBJECT', 'ENCODING', 'small')), 'quicklist');
  assert.is(nodes('small'), '2');
  run('CONFIG', 'SET', 'list-max-listpack-size', '-1');
  run('RPUSH', 'big', 'x'.repeat(4000));
  assert.is(nodes('big'), '1');
  run('RPUSH', 'big', 'y'.repeat(4100));
  assert.is(nodes('big'), '2');
  assert.is(text(run('OBJECT', 'ENCODING', 'big')), 'quicklist');
  assert.equal(run('CONFIG', 'GET', 'list-max-ziplist-size'), [{ type: 'array', items: [{ type: 'bulk', value: 'list-max-ziplist-size' }, { type: 'bulk', value: '-1' }] }]);
});

test('listRange: negative indexes, clamping, empty ranges', () => {
  assert.equal(listRange(10, 0, -1), [0, 9]);
  assert.equal(listRange(10, -3, -1), [7, 9]);
  assert.equal(listRange(10, -100, 100), [0, 9]);
  assert.is(listRange(10, 5, 2), null);
  assert.is(listRange(10, 10, 20), null);
  assert.is(listRange(0, 0, -1), null);
  assert.equal(listRange(10, -1, -1), [9, 9]);
  assert.is(listRange(10, -1, -2), null);
});

test.run();
