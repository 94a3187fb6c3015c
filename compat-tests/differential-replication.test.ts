/*
 * Differential ROLE and WAIT on a master without replicas: ROLE's shape, WAIT's argument errors
 * an immediate 0 when no replica is asked for or inside MULTI, and
 * 0 after the timeout otherwise; REPLCONF, SYNC and PSYNC's errors from an ordinary client (a
 * replica's own connection: replication.test.ts).
 */
import { differentialSuite } from './differential.js';

differentialSuite('differential: replication', {
  'ROLE and WAIT': [
    ['ROLE'], ['ROLE', 'x'], ['WAIT', '0', '0'], ['WAIT', '-3', '0'], ['WAIT', '0', 'x'], ['WAIT', 'x', '0'], ['WAIT', 'x', 'y'], ['WAIT', '0', '-1'],
    ['WAIT', '1', '30'], ['WAIT', '2'], ['MULTI'], ['WAIT', '5', '0'], ['EXEC'], ['HELLO', '3'].slice(0, 0),
  ].filter((s) => s.length !== 0),
  'REPLCONF from a client that is not a replica': [
    ['REPLCONF'], ['REPLCONF', 'x'], ['REPLCONF', 'foo', 'bar'], ['REPLCONF', 'listening-port', 'x'], ['REPLCONF', 'listening-port', '6000', 'capa', 'eof', 'capa', 'psync2'],
    ['REPLCONF', 'ip-address', '10.0.0.1'], ['REPLCONF', 'rdb-only', '0'], ['PING'],
    ['PSYNC', '?', 'x'], ['PSYNC', '?'], ['SYNC', 'x'], ['MULTI'], ['SYNC'], ['PSYNC', 'a', 'b'], ['EXEC'],
  ],
  'ROLE in RESP3': [{ cmd: ['HELLO', '3'], normalize: (raw) => raw.slice(0, 3) /* names the server and its version */ }, ['ROLE'], ['WAIT', '1', '20']],
});
