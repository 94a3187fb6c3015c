/*
 * Differential MONITOR and SLOWLOG for commands that run other commands, against redis-server:
 * MONITOR shows EVAL/EVALSHA/FCALL before the commands their script calls (`[db lua]`), even when
 * the script fails or does not exist; the slow log lists each command EXEC ran (not EXEC), and a
 * blocked command when it is served (not when it blocks, nor when it times out).
 */
import { clientsDifferentialSuite, type ClientStep } from './differential-clients.js';
import { decodeReply, type Decoded } from './harness.js';

const on = (c: number, ...cmd: string[]): ClientStep => ({ c, cmd });
/** A MONITOR line without its time and the client's port (they differ between the servers). */
const monitorLine = (raw: string): string => raw.replace(/^\+\d+\.\d+ /, '+').replace(/\[(\d+) 127\.0\.0\.1:\d+\]/, '[$1 client]');
const line: ClientStep = { c: 1, read: true, normalize: monitorLine };
const LIB = "#!lua name=monlib\nredis.register_function('mon_get', function(keys) return redis.call('get', keys[1]) end)";

/**
 * SLOWLOG GET reduced to each entry's arguments and client name: ids, times, durations and the
 * client's port differ by design.
 */
const slowlogArgs = (raw: string): string => {
  const entries = decodeReply(raw) as Decoded[][];
  return JSON.stringify(entries.map((e) => [e[3], e[5]]));
};
const slowlogGet: ClientStep = { cmd: ['SLOWLOG', 'GET', '20'], normalize: slowlogArgs };
const logEverything: ClientStep[] = [{ cmd: ['CONFIG', 'SET', 'slowlog-log-slower-than', '0'] }, { cmd: ['SLOWLOG', 'RESET'] }];
/** the slow log off again for the SLOWLOG GET that follows (and the server's default restored after) */
const logNothing: ClientStep = { cmd: ['CONFIG', 'SET', 'slowlog-log-slower-than', '-1'] };
const restoreThreshold: ClientStep = { cmd: ['CONFIG', 'SET', 'slowlog-log-slower-than', '10000'] };

clientsDifferentialSuite('differential: MONITOR of scripts', {
  'EVAL is shown, then the commands its script calls': [
    on(1, 'MONITOR'),
    ['EVAL', "redis.call('set', KEYS[1], '1') return redis.call('get', KEYS[1])", '1', 'k'], line, line, line,
    ['SELECT', '2'], line, ['EVAL', "return redis.call('incr', KEYS[1])", '1', 'n'], line, line,
  ],
  'EVALSHA and FCALL are shown before their commands, and also when they fail': [
    ['SCRIPT', 'LOAD', "return redis.call('exists', KEYS[1])"], ['FUNCTION', 'LOAD', 'REPLACE', LIB], on(1, 'MONITOR'),
    ['EVALSHA', 'ad95c310b0dfb7adea2c984de4adc78ec8fbeef6', '1', 'k'], line,
    ['EVALSHA', '0000000000000000000000000000000000000000', '0'], line,
    ['FCALL', 'mon_get', '1', 'k'], line, line,
    ['FCALL', 'nosuch', '0'], line,
    ['EVAL', "return redis.call('nosuchcommand')", '0'], line,
    ['EVAL', 'return 1', 'notanumber'], line,
  ],
  'a script in a transaction: MULTI, the queued commands as EXEC runs them, EXEC last': [
    on(1, 'MONITOR'), ['MULTI'], line, ['SET', 'a', '1'], ['EVAL', "return redis.call('get', KEYS[1])", '1', 'a'], { cmd: ['EXEC'] },
    line, line, line, line,
  ],
}, { clients: 2 });

clientsDifferentialSuite('differential: SLOWLOG of transactions and blocked commands', {
  // (no script here: Redis also logs the commands a script calls, kv-server does not — docs/compatibility.md)
  'EXEC is not logged, each command it ran is': [
    ...logEverything, ['MULTI'], ['SET', 'a', '1'], ['INCR', 'n'], ['DEL', 'a', 'b'], ['EXEC'], logNothing, slowlogGet, restoreThreshold,
  ],
  'a blocked command is logged when it is served, as sent': [
    { c: 1, cmd: ['BLPOP', 'l', '0'], replies: 0, sleepAfter: 50 },
    logEverything[0]!, ['MULTI'], ['LPUSH', 'l', 'foo'], ['SLOWLOG', 'RESET'], ['EXEC'],
    { c: 1, read: true }, logNothing, slowlogGet, restoreThreshold,
  ],
  'a blocked command that times out or is still blocked is not logged': [
    ...logEverything, { c: 1, cmd: ['BLPOP', 'nothing', '0.05'], replies: 0, sleepAfter: 150 }, { c: 1, read: true },
    { c: 1, cmd: ['BRPOPLPUSH', 'src', 'dst', '0'], replies: 0, sleepAfter: 50 }, logNothing, slowlogGet,
    on(0, 'CLIENT', 'UNBLOCK', '$ID1'), { c: 1, read: true }, slowlogGet, restoreThreshold,
  ],
}, { clients: 2 });
