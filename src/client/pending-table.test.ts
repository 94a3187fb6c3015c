import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PendingTable, type Pending } from './pending-table.js';

const request = (id: number): Pending => ({ id, seq: 0, deadline: 0, map: null, resolve: () => {}, reject: () => {} });

test('add, get, take by id; a taken or never added id is not found', () => {
  const t = new PendingTable();
  const a = request(1);
  t.add(a);
  assert.is(t.get(1), a);
  assert.is(t.get(17), undefined, 'the same slot, another id');
  assert.is(t.take(2), undefined);
  assert.is(t.size, 1);
  assert.is(t.take(1), a);
  assert.is(t.size, 0);
  assert.is(t.get(1), undefined);
});

test('ids sharing a slot grow the table; every request stays reachable, all() oldest first', () => {
  const t = new PendingTable();
  const ids = [5, 21, 37, 4_000_000_005, 0xffffffff, 1, 2, 3];
  for (const id of ids) t.add(request(id));
  for (const id of ids) assert.is(t.get(id)?.id, id);
  assert.equal(t.all().map((p) => p.id), ids);
  assert.is(t.size, ids.length);
  // a long run of requests in flight (a pipeline), then all answered
  for (let id = 100; id < 5100; id++) t.add(request(id));
  for (let id = 100; id < 5100; id++) assert.is(t.take(id)?.id, id);
  assert.is(t.size, ids.length);
  t.clear();
  assert.is(t.size, 0);
  assert.equal(t.all(), []);
  assert.is(t.get(5), undefined);
});

test.run();
