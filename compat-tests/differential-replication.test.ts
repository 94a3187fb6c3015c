/*
 * Differential ROLE and WAIT on a master without replicas: ROLE's shape, WAIT's argument errors
 * an immediate 0 when no replica is asked for or inside MULTI, and
 * 0 after the timeout otherwise.
 */
import { differentialSuite } from './differential.js';

differentialSuite('differential: replication', {
  'ROLE and WAIT': [
    ['ROLE'], ['ROLE', 'x'], ['WAIT', '0', '0'], ['WAIT', '-3', '0'], ['WAIT', '0', 'x'], ['WAIT', 'x', '0'], ['WAIT', 'x', 'y'], ['WAIT', '0', '-1'],
    ['WAIT', '1', '30'], ['WAIT', '2'], ['MULTI'], ['WAIT', '5', '0'], ['EXEC'], ['HELLO', '3'].slice(0, 0),
  ].filter((s) => s.length !== 0),
  'ROLE in RESP3': [{ cmd: ['HELLO', '3'], normalize: (raw) => raw.slice(0, 3) /* names the server and its version */ }, ['ROLE'], ['WAIT', '1', '20']],
});
