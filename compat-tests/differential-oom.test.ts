/*
 * maxmemory with the noeviction policy, differentially: over the limit, denyoom commands are
 * refused with -OOM (reads and deletes still run), a transaction queueing while over it is
 * aborted at EXEC, DISCARD still works; an evicting policy refuses nothing here (there is no
 * eviction yet: docs/compatibility.md), so it is not compared.
 */
import { differentialSuite } from './differential.js';

differentialSuite('differential: maxmemory noeviction', {
  'denyoom commands refused, reads and deletes run': [
    ['SET', 'a', '1'], ['CONFIG', 'SET', 'maxmemory', '1'], ['SET', 'b', '2'], ['GET', 'a'], ['GET', 'b'], ['APPEND', 'a', 'x'], ['INCR', 'a'],
    ['LPUSH', 'l', 'x'], ['DEL', 'a'], ['EXISTS', 'a'], ['PING'], ['CONFIG', 'SET', 'maxmemory', '0'], ['SET', 'b', '2'], ['GET', 'b'],
  ],
  'MULTI over maxmemory: queueing refused, EXEC aborts, DISCARD works': [
    ['MULTI'], ['SET', 'x', '1'], ['CONFIG', 'SET', 'maxmemory', '1'], ['EXEC'], ['CONFIG', 'SET', 'maxmemory', '0'],
    ['MULTI'], ['CONFIG', 'SET', 'maxmemory', '1'], ['GET', 'x'], ['SET', 'x', '2'], ['EXEC'],
    ['MULTI'], ['GET', 'x'], ['DISCARD'], ['CONFIG', 'SET', 'maxmemory', '0'], ['GET', 'x'],
  ],
});
