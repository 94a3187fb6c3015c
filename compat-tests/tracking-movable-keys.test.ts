/*
 * Client-side caching of reads whose keys move with their arguments (ZUNION, ZINTER, ZDIFF,
 * ZINTERCARD, SINTERCARD, SORT_RO, SORT): each key read is tracked, as Redis finds them,
 * byte for byte against redis-server. Connection 0 tracks (RESP3), 1 writes.
 */
import { clientsDifferentialSuite, type ClientStep } from './differential-clients.js';

const on1 = (...cmd: string[]): ClientStep => ({ c: 1, cmd });
const read: ClientStep = { c: 0, read: true };
const none: ClientStep = { c: 0, none: true };
const hello3: ClientStep = { cmd: ['HELLO', '3'], normalize: () => 'hello' };
const setup = [hello3, on1('ZADD', 'a', '1', 'x'), on1('ZADD', 'b', '2', 'x'), on1('SADD', 's', '1'), on1('SADD', 't', '1'), on1('RPUSH', 'l', '1'), ['CLIENT', 'TRACKING', 'ON']];

clientsDifferentialSuite('differential: tracking of movable-keys reads', {
  'zunion, zinter, zdiff': [
    ...setup, ['ZUNION', '2', 'a', 'b'], on1('ZADD', 'b', '3', 'y'), read, on1('ZADD', 'a', '3', 'y'), read, ['ZINTER', '1', 'a', 'WITHSCORES'], on1('ZADD', 'b', '4', 'y'), none,
    on1('ZADD', 'a', '4', 'y'), read, ['ZDIFF', '2', 'b', 'a'], on1('ZADD', 'a', '5', 'y'), read, on1('ZADD', 'b', '5', 'y'), read,
  ],
  'intercards': [...setup, ['SINTERCARD', '2', 's', 't', 'LIMIT', '1'], on1('SADD', 't', '2'), read, on1('SADD', 's', '2'), read, ['ZINTERCARD', '1', 'b'], on1('ZADD', 'b', '1', 'z'), read],
  'sort_ro and sort': [
    ...setup, ['SORT_RO', 'l', 'BY', 'w_*'], on1('SET', 'w_1', '1'), none, on1('RPUSH', 'l', '2'), read, ['SORT', 'l'], on1('RPUSH', 'l', '3'), none,
  ],
});
