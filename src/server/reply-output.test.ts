/*
 * scheduleFlush's order: the connections queued in a turn are flushed newest first (Redis's
 * pending-write order: a command's sender before the clients its command wrote to), each once per
 * entry; a flush that queues more has those flushed in the same flushAll, after the round.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scheduleFlush, type Flushable } from './reply-output.js';

const turn = () => new Promise((r) => setImmediate(r));

test('the connections of a turn are flushed newest first', async () => {
  const order: string[] = [];
  const conn = (name: string): Flushable => ({ flush: () => void order.push(name) });
  const subscriber1 = conn('sub1');
  const subscriber2 = conn('sub2');
  const publisher = conn('pub');
  scheduleFlush(subscriber1);
  scheduleFlush(subscriber2);
  scheduleFlush(publisher);
  await turn();
  assert.equal(order, ['pub', 'sub2', 'sub1']);
});

test('what a flush queues is flushed in the same turn, after the connections queued before it', async () => {
  const order: string[] = [];
  const late: Flushable = { flush: () => void order.push('late') };
  const first: Flushable = { flush: () => void order.push('first') };
  const queuing: Flushable = {
    flush: () => {
      order.push('queuing');
      scheduleFlush(late);
    },
  };
  scheduleFlush(first);
  scheduleFlush(queuing);
  await turn();
  assert.equal(order, ['queuing', 'first', 'late']);
  // the next turn starts a new list
  scheduleFlush(first);
  await turn();
  assert.equal(order, ['queuing', 'first', 'late', 'first']);
});

test.run();
