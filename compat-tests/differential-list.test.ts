/*
 * Differential list family: every command, option, edge case and error path, byte for byte
 * against redis-server, each case in RESP2 and again in RESP3 (after HELLO 3). The blocking
 * commands appear here in their non-blocking paths (an element is there, a timeout, MULTI);
 * their waits are in compat-tests/blocking.test.ts. OBJECT ENCODING is not compared: Redis
 * 7.0.15 reports `quicklist` for every list, we report 7.2's `listpack` for small ones
 * (docs/compatibility.md; src/engine/list-value.test.ts checks the rule).
 */
import { differentialSuite, type Script } from './differential.js';

const MAX = '9223372036854775807';
const MIN = '-9223372036854775808';
const BIN = '\x00\xff\r\n\x80bin\x00';

/** INFO stats reduced to the hit/miss counters: its other fields (times, memory, totals) vary. */
const hitsAndMisses = (raw: string): string => (raw.match(/keyspace_(hits|misses):\d+/g) ?? ['no counters']).join(' ');
const stats = (...cmd: string[]): Script => [['CONFIG', 'RESETSTAT'], cmd, { cmd: ['INFO', 'stats'], normalize: hitsAndMisses }];

const cases: Record<string, Script> = {
  'lpush rpush llen lrange': [
    ['LPUSH', 'l', 'a', 'b', 'c'], ['RPUSH', 'l', 'd', 'e'], ['LLEN', 'l'], ['LRANGE', 'l', '0', '-1'], ['LPUSH', 'l'], ['RPUSH', 'l'],
    ['RPUSH', 'b', BIN, '', BIN], ['LRANGE', 'b', '0', '-1'], ['LLEN', 'nokey'], ['LLEN'], ['LLEN', 'l', 'x'], ['TYPE', 'l'], ['EXISTS', 'l'],
  ],
  'pushx': [
    ['LPUSHX', 'px', 'a'], ['RPUSHX', 'px', 'a', 'b'], ['EXISTS', 'px'], ['RPUSH', 'px', 'x'], ['LPUSHX', 'px', 'a', 'b'], ['RPUSHX', 'px', 'y', 'z'],
    ['LRANGE', 'px', '0', '-1'], ['LPUSHX', 'px'], ['SET', 'str', 'v'], ['LPUSHX', 'str', 'a'], ['RPUSHX', 'str', 'a'],
  ],
  'lrange indexes': [
    ['RPUSH', 'r', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    ['LRANGE', 'r', '0', '0'], ['LRANGE', 'r', '-1', '-1'], ['LRANGE', 'r', '-3', '-1'], ['LRANGE', 'r', '5', '2'], ['LRANGE', 'r', '-100', '100'],
    ['LRANGE', 'r', '10', '20'], ['LRANGE', 'r', '9', '9'], ['LRANGE', 'r', '-11', '0'], ['LRANGE', 'r', MIN, MAX], ['LRANGE', 'r', MAX, MAX],
    ['LRANGE', 'r', '2', '-3'], ['LRANGE', 'r', 'x', '1'], ['LRANGE', 'r', '0', 'y'], ['LRANGE', 'r', '0', '99999999999999999999'], ['LRANGE', 'r', '1.5', '2'],
    ['LRANGE', 'nokey', '0', '-1'], ['LRANGE', 'nokey', 'x', '1'], ['LRANGE', 'r', '0'],
  ],
  'lpop rpop with and without count': [
    ['RPUSH', 'p', 'a', 'b', 'c', 'd', 'e'], ['LPOP', 'p'], ['RPOP', 'p'], ['LPOP', 'p', '2'], ['RPUSH', 'p', 'x', 'y'], ['RPOP', 'p', '2'],
    ['LPOP', 'p', '0'], ['RPOP', 'p', '0'], ['LPOP', 'p', '100'], ['EXISTS', 'p'], ['LPOP', 'p'], ['RPOP', 'p'], ['LPOP', 'p', '0'], ['LPOP', 'p', '3'],
    ['RPOP', 'p', '3'], ['LPOP', 'p', '-1'], ['LPOP', 'p', 'x'], ['RPUSH', 'p', 'a'], ['LPOP', 'p', '-1'], ['RPOP', 'p', '1.5'], ['LPOP', 'p', MAX],
    ['LPOP', 'p', '1', '2'], ['RPOP'], ['RPUSH', 'p', 'a'], ['LPOP', 'p', MIN], ['RPOP', 'p', '1'],
  ],
  'lindex': [
    ['RPUSH', 'i', 'a', 'b', 'c'], ['LINDEX', 'i', '0'], ['LINDEX', 'i', '2'], ['LINDEX', 'i', '3'], ['LINDEX', 'i', '-1'], ['LINDEX', 'i', '-3'],
    ['LINDEX', 'i', '-4'], ['LINDEX', 'i', MIN], ['LINDEX', 'i', MAX], ['LINDEX', 'i', 'x'], ['LINDEX', 'nokey', 'x'], ['LINDEX', 'nokey', '0'],
    ['LINDEX', 'i', '99999999999999999999'], ['LINDEX', 'i'],
  ],
  'lset': [
    ['RPUSH', 's', 'a', 'b', 'c'], ['LSET', 's', '0', 'A'], ['LSET', 's', '-1', 'C'], ['LSET', 's', '1', BIN], ['LRANGE', 's', '0', '-1'],
    ['LSET', 's', '3', 'x'], ['LSET', 's', '-4', 'x'], ['LSET', 's', 'x', 'y'], ['LSET', 'nokey', '0', 'x'], ['LSET', 'nokey', 'x', 'y'],
    ['LSET', 's', MIN, 'x'], ['LSET', 's', '0'], ['SET', 'str', 'v'], ['LSET', 'str', '0', 'x'], ['LSET', 'str', 'x', 'x'],
  ],
  'linsert': [
    ['RPUSH', 'n', 'a', 'b', 'a'], ['LINSERT', 'n', 'BEFORE', 'a', 'x'], ['LINSERT', 'n', 'after', 'a', 'y'], ['LINSERT', 'n', 'AfTeR', 'b', 'z'],
    ['LRANGE', 'n', '0', '-1'], ['LINSERT', 'n', 'before', 'nope', 'x'], ['LINSERT', 'n', 'middle', 'a', 'x'], ['LINSERT', 'nokey', 'before', 'a', 'x'],
    ['LINSERT', 'nokey', 'middle', 'a', 'x'], ['EXISTS', 'nokey'], ['LINSERT', 'n', 'before', 'a'], ['RPUSH', 'n2', BIN], ['LINSERT', 'n2', 'AFTER', BIN, ''],
    ['LRANGE', 'n2', '0', '-1'], ['SET', 'str', 'v'], ['LINSERT', 'str', 'before', 'a', 'x'], ['LINSERT', 'str', 'middle', 'a', 'x'],
  ],
  'lrem': [
    ['RPUSH', 'm', 'a', 'b', 'a', 'c', 'a', 'b', 'a'], ['LREM', 'm', '2', 'a'], ['LRANGE', 'm', '0', '-1'], ['LREM', 'm', '-1', 'a'], ['LRANGE', 'm', '0', '-1'],
    ['LREM', 'm', '0', 'b'], ['LRANGE', 'm', '0', '-1'], ['LREM', 'm', '0', 'zz'], ['LREM', 'm', 'x', 'a'], ['LREM', 'nokey', '0', 'a'], ['LREM', 'nokey', 'x', 'a'],
    ['LREM', 'm', MIN, 'a'], ['LREM', 'm', MAX, 'a'], ['EXISTS', 'm'], ['LREM', 'm', '0', 'c'], ['EXISTS', 'm'], ['RPUSH', 'm', 'a', 'a'], ['LREM', 'm', '-5', 'a'],
    ['LREM', 'm', '0'], ['SET', 'str', 'v'], ['LREM', 'str', '0', 'a'],
  ],
  'ltrim': [
    ['RPUSH', 't', '0', '1', '2', '3', '4', '5', '6'], ['LTRIM', 't', '1', '-2'], ['LRANGE', 't', '0', '-1'], ['LTRIM', 't', '-100', '100'], ['LRANGE', 't', '0', '-1'],
    ['LTRIM', 't', '1', '1'], ['LRANGE', 't', '0', '-1'], ['LTRIM', 't', '5', '2'], ['EXISTS', 't'], ['RPUSH', 't', 'a', 'b'], ['LTRIM', 't', '2', '10'], ['EXISTS', 't'],
    ['LTRIM', 'nokey', '0', '1'], ['LTRIM', 'nokey', 'x', '1'], ['LTRIM', 't', 'x', '1'], ['RPUSH', 't', 'a', 'b', 'c'], ['LTRIM', 't', '-1', '-2'], ['EXISTS', 't'],
    ['RPUSH', 't', 'a'], ['LTRIM', 't', MIN, MAX], ['LRANGE', 't', '0', '-1'], ['SET', 'str', 'v'], ['LTRIM', 'str', '0', '1'], ['LTRIM', 'str', 'x', '1'],
  ],
  'lpos': [
    ['RPUSH', 'q', 'a', 'b', 'c', 'a', 'b', 'c', 'a'], ['LPOS', 'q', 'a'], ['LPOS', 'q', 'c'], ['LPOS', 'q', 'z'], ['LPOS', 'q', 'a', 'RANK', '2'],
    ['LPOS', 'q', 'a', 'RANK', '-1'], ['LPOS', 'q', 'a', 'RANK', '-2'], ['LPOS', 'q', 'a', 'RANK', '4'], ['LPOS', 'q', 'a', 'RANK', '-4'], ['LPOS', 'q', 'a', 'COUNT', '0'],
    ['LPOS', 'q', 'a', 'COUNT', '2'], ['LPOS', 'q', 'a', 'COUNT', '2', 'RANK', '2'], ['LPOS', 'q', 'a', 'COUNT', '0', 'RANK', '-1'], ['LPOS', 'q', 'a', 'MAXLEN', '3'],
    ['LPOS', 'q', 'a', 'MAXLEN', '3', 'RANK', '2'], ['LPOS', 'q', 'a', 'MAXLEN', '4', 'RANK', '2'], ['LPOS', 'q', 'a', 'COUNT', '0', 'MAXLEN', '5'],
    ['LPOS', 'q', 'a', 'RANK', '-1', 'MAXLEN', '1', 'COUNT', '5'], ['LPOS', 'q', 'z', 'COUNT', '3'], ['LPOS', 'q', 'a', 'rank', '1', 'RANK', '3'],
    ['LPOS', 'q', 'a', 'RANK', '0'], ['LPOS', 'q', 'a', 'RANK', 'x'], ['LPOS', 'q', 'a', 'RANK', MIN], ['LPOS', 'q', 'a', 'RANK', MAX], ['LPOS', 'q', 'a', 'COUNT', '-1'],
    ['LPOS', 'q', 'a', 'COUNT', 'x'], ['LPOS', 'q', 'a', 'MAXLEN', '-1'], ['LPOS', 'q', 'a', 'MAXLEN', 'x'], ['LPOS', 'q', 'a', 'FOO'], ['LPOS', 'q', 'a', 'RANK'],
    ['LPOS', 'q', 'a', 'COUNT'], ['LPOS', 'nokey', 'a'], ['LPOS', 'nokey', 'a', 'COUNT', '0'], ['LPOS', 'nokey', 'a', 'RANK', '0'], ['LPOS', 'q'],
    ['RPUSH', 'qb', BIN, 'x', BIN], ['LPOS', 'qb', BIN, 'COUNT', '0'],
  ],
  'lmove and rpoplpush': [
    ['RPUSH', 'src', 'a', 'b', 'c'], ['LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'], ['LMOVE', 'src', 'dst', 'right', 'left'], ['LRANGE', 'src', '0', '-1'],
    ['LRANGE', 'dst', '0', '-1'], ['RPOPLPUSH', 'src', 'dst'], ['EXISTS', 'src'], ['LRANGE', 'dst', '0', '-1'], ['LMOVE', 'src', 'dst', 'LEFT', 'LEFT'],
    ['RPOPLPUSH', 'src', 'dst'], ['LMOVE', 'dst', 'dst', 'LEFT', 'RIGHT'], ['LRANGE', 'dst', '0', '-1'], ['LMOVE', 'dst', 'dst', 'RIGHT', 'LEFT'],
    ['LRANGE', 'dst', '0', '-1'], ['RPOPLPUSH', 'dst', 'dst'], ['LRANGE', 'dst', '0', '-1'], ['LMOVE', 'src', 'dst', 'UP', 'LEFT'], ['LMOVE', 'src', 'dst', 'LEFT', 'DOWN'],
    ['LMOVE', 'dst', 'dst', 'LEFT'], ['RPUSH', 'one', 'x'], ['LMOVE', 'one', 'one', 'LEFT', 'LEFT'], ['LRANGE', 'one', '0', '-1'], ['RPOPLPUSH', 'one', 'two'],
    ['EXISTS', 'one'], ['LRANGE', 'two', '0', '-1'],
  ],
  'lmove wrongtype': [
    ['SET', 'str', 'v'], ['RPUSH', 'l', 'a'], ['LMOVE', 'l', 'str', 'LEFT', 'LEFT'], ['LRANGE', 'l', '0', '-1'], ['LMOVE', 'str', 'l', 'LEFT', 'LEFT'],
    ['RPOPLPUSH', 'l', 'str'], ['RPOPLPUSH', 'str', 'l'], ['RPOPLPUSH', 'nokey', 'str'], ['LMOVE', 'nokey', 'str', 'LEFT', 'LEFT'],
  ],
  'lmpop': [
    ['RPUSH', 'a', '1', '2', '3'], ['RPUSH', 'b', '4', '5'], ['LMPOP', '2', 'nokey', 'a', 'LEFT'], ['LMPOP', '2', 'a', 'b', 'RIGHT', 'COUNT', '5'],
    ['LMPOP', '2', 'a', 'b', 'left', 'count', '1'], ['LMPOP', '1', 'b', 'LEFT', 'COUNT', '10'], ['LMPOP', '2', 'a', 'b', 'LEFT'], ['LMPOP', '1', 'nokey', 'LEFT', 'COUNT', '2'],
    ['LMPOP', '0', 'a', 'LEFT'], ['LMPOP', '-1', 'a', 'LEFT'], ['LMPOP', 'x', 'a', 'LEFT'], ['LMPOP', MAX, 'a', 'LEFT'], ['LMPOP', '99999999999999999999', 'a', 'LEFT'],
    ['LMPOP', '1', 'a', 'MIDDLE'], ['LMPOP', '2', 'a', 'LEFT'], ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '0'], ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '-1'],
    ['LMPOP', '1', 'a', 'LEFT', 'COUNT', 'x'], ['LMPOP', '1', 'a', 'LEFT', 'COUNT'], ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '1', 'COUNT', '2'],
    ['LMPOP', '1', 'a', 'LEFT', 'FOO'], ['LMPOP', '1', 'a'], ['SET', 'str', 'v'], ['RPUSH', 'c', 'x'], ['LMPOP', '2', 'str', 'c', 'LEFT'], ['LMPOP', '2', 'c', 'str', 'LEFT'],
  ],
  'blocking commands that do not block': [
    ['RPUSH', 'k1', 'a', 'b'], ['RPUSH', 'k2', 'c'], ['BLPOP', 'nokey', 'k1', 'k2', '0'], ['BRPOP', 'k1', 'k2', '0'], ['BLPOP', 'k1', 'k2', '1.5'],
    ['BRPOP', 'k1', 'k2', '0.01'], ['EXISTS', 'k1', 'k2'], ['RPUSH', 'k3', 'x', 'y', 'z'], ['BLMPOP', '0', '2', 'nokey', 'k3', 'RIGHT', 'COUNT', '2'],
    ['BLMPOP', '0', '1', 'k3', 'LEFT'], ['RPUSH', 'k4', 'a', 'b'], ['BLMOVE', 'k4', 'k5', 'RIGHT', 'LEFT', '0'], ['BRPOPLPUSH', 'k4', 'k5', '0'],
    ['LRANGE', 'k5', '0', '-1'], ['BLMOVE', 'k5', 'k5', 'LEFT', 'RIGHT', '0'], ['LRANGE', 'k5', '0', '-1'], ['BLPOP', 'k5', 'k5', '0'],
  ],
  'blocking commands that time out': [
    ['BLPOP', 'nokey', '0.01'], ['BRPOP', 'nokey', 'nokey2', '0.01'], ['BLMOVE', 'nokey', 'x', 'LEFT', 'LEFT', '0.01'], ['BRPOPLPUSH', 'nokey', 'x', '0.01'],
    ['BLMPOP', '0.01', '1', 'nokey', 'LEFT'], ['BLPOP', 'nokey', '0.0001'], ['BLPOP', 'nokey', '1e-10'], ['BLPOP', 'nokey', '0x1p-10'], ['EXISTS', 'x'],
  ],
  'blocking command errors': [
    ['BLPOP', 'k', '-1'], ['BLPOP', 'k', 'x'], ['BLPOP', 'k', 'inf'], ['BLPOP', 'k', '-inf'], ['BLPOP', 'k', 'nan'], ['BLPOP', 'k', '1e30'], ['BLPOP', 'k', ' 1'],
    ['BLPOP', 'k', '1 '], ['BLPOP', 'k', ''], ['BRPOP', 'k', '-0.5'], ['BLPOP', 'k'], ['BLMOVE', 'a', 'b', 'LEFT', 'MIDDLE', 'x'], ['BLMOVE', 'a', 'b', 'LEFT', 'LEFT', 'x'],
    ['BLMOVE', 'a', 'b', 'LEFT', 'LEFT', '-1'], ['BRPOPLPUSH', 'a', 'b', 'x'], ['BRPOPLPUSH', 'a', 'b', '-1'], ['BLMPOP', 'x', '0', 'l', 'LEFT'], ['BLMPOP', 'x', '1', 'l', 'LEFT'],
    ['BLMPOP', '-1', '1', 'l', 'LEFT'], ['BLMPOP', '0', 'x', 'l', 'LEFT'], ['BLMPOP', '0', '1', 'l', 'MIDDLE'], ['BLMPOP', '0', '1', 'l', 'LEFT', 'COUNT', '0'],
    ['BLMPOP', '0', '2', 'l', 'LEFT'], ['BLMPOP', '0', '1', 'l'], ['SET', 'str', 'v'], ['BLPOP', 'nokey', 'str', '0'], ['BRPOP', 'str', '0'], ['RPUSH', 'l', 'a'],
    ['BLPOP', 'str', 'l', '0'], ['BLPOP', 'l', 'str', '0'], ['BLMOVE', 'str', 'x', 'LEFT', 'LEFT', '0'], ['RPUSH', 'l', 'a'], ['BLMOVE', 'l', 'str', 'LEFT', 'LEFT', '0'],
    ['BRPOPLPUSH', 'l', 'str', '0'], ['LRANGE', 'l', '0', '-1'], ['BLMPOP', '0', '2', 'str', 'l', 'LEFT'], ['BLPOP', 'str', '-1'],
  ],
  'wrongtype for every list command': [
    ['SET', 'str', 'v'], ['LPUSH', 'str', 'a'], ['RPUSH', 'str', 'a'], ['LPOP', 'str'], ['RPOP', 'str', '2'], ['LPOP', 'str', '0'], ['LLEN', 'str'],
    ['LRANGE', 'str', '0', '-1'], ['LINDEX', 'str', '0'], ['LPOS', 'str', 'a'], ['LPOS', 'str', 'a', 'RANK', '0'], ['RPUSH', 'l', 'a'], ['GET', 'l'], ['INCR', 'l'],
    ['APPEND', 'l', 'x'], ['STRLEN', 'l'], ['GETRANGE', 'l', '0', '1'], ['SETRANGE', 'l', '0', 'x'], ['GETDEL', 'l'], ['MGET', 'l', 'str'], ['TYPE', 'l'],
  ],
  'keyspace commands on lists': [
    ['RPUSH', 'l', 'a', 'b', 'c'], ['COPY', 'l', 'l2'], ['RPUSH', 'l2', 'd'], ['LRANGE', 'l', '0', '-1'], ['LRANGE', 'l2', '0', '-1'], ['RENAME', 'l', 'l3'],
    ['LRANGE', 'l3', '0', '-1'], ['TYPE', 'l3'], ['EXPIRE', 'l3', '100'], ['LPOP', 'l3', '3'], ['TTL', 'l3'], ['EXISTS', 'l3'], ['SET', 'l2', 'x'], ['TYPE', 'l2'],
    ['RPUSH', 'big', ...Array.from({ length: 300 }, (_, i) => `element-${i}`)], ['LLEN', 'big'], ['LINDEX', 'big', '150'], ['LRANGE', 'big', '295', '-1'],
    ['MOVE', 'big', '1'], ['SELECT', '1'], ['LLEN', 'big'], ['SELECT', '0'],
  ],
  'config list parameters and their alias': [
    ['CONFIG', 'GET', 'list-max-listpack-size'], ['CONFIG', 'GET', 'list-max-ziplist-size'], ['CONFIG', 'GET', 'LIST-MAX-ziplist-SIZE'],
    ['CONFIG', 'SET', 'list-max-ziplist-size', '5'], ['CONFIG', 'GET', 'list-max-listpack-size'], ['CONFIG', 'SET', 'list-max-listpack-size', '-6'],
    ['CONFIG', 'GET', 'list-max-ziplist-size'], ['CONFIG', 'SET', 'list-max-ziplist-size', 'abc'], ['CONFIG', 'SET', 'LIST-MAX-LISTPACK-SIZE', 'abc'],
    ['CONFIG', 'SET', 'list-max-ziplist-size', '1', 'list-max-ziplist-size', '2'], ['CONFIG', 'SET', 'list-max-ziplist-size', '7', 'list-max-listpack-size', '3'],
    ['CONFIG', 'GET', 'list-max-listpack-size'], ['CONFIG', 'SET', 'list-max-listpack-size', '-2147483649'], ['CONFIG', 'SET', 'list-compress-depth', '-1'],
    ['CONFIG', 'SET', 'list-compress-depth', '2'], ['CONFIG', 'GET', 'list-compress-depth'], ['RPUSH', 'l', 'a', 'b', 'c', 'd'], ['LRANGE', 'l', '0', '-1'],
    ['CONFIG', 'SET', 'list-max-listpack-size', '-2', 'list-compress-depth', '0'],
  ],
  'keyspace hits and misses': [
    ['RPUSH', 'h', 'a', 'b', 'c', 'd', 'e', 'f'], ['SET', 'str', 'v'],
    ...stats('LLEN', 'h'), ...stats('LLEN', 'nokey'), ...stats('LRANGE', 'h', '0', '0'), ...stats('LRANGE', 'nokey', '0', '1'), ...stats('LINDEX', 'h', '0'),
    ...stats('LPOS', 'h', 'a'), ...stats('LPOS', 'nokey', 'a'), ...stats('LPOP', 'h'), ...stats('RPUSH', 'h', 'x'), ...stats('LMPOP', '2', 'nokey', 'h', 'LEFT'),
    ...stats('BLPOP', 'nokey', 'h', '0'), ...stats('LMOVE', 'h', 'h2', 'LEFT', 'LEFT'), ...stats('LSET', 'h', '0', 'y'), ...stats('LINSERT', 'h', 'BEFORE', 'y', 'z'),
    ...stats('LREM', 'h', '0', 'z'), ...stats('LTRIM', 'h', '0', '-1'), ...stats('LLEN', 'str'), ...stats('RPUSHX', 'nokey', 'a'),
  ],
  'arity errors': [
    ['LPUSH', 'k'], ['RPUSHX', 'k'], ['LPOP'], ['LLEN'], ['LRANGE', 'k', '0'], ['LINDEX', 'k'], ['LSET', 'k', '0'], ['LINSERT', 'k', 'before', 'a'], ['LREM', 'k', '0'],
    ['LTRIM', 'k', '0'], ['LPOS', 'k'], ['LMOVE', 'a', 'b', 'LEFT'], ['RPOPLPUSH', 'a'], ['LMPOP', '1', 'k'], ['BLPOP', 'k'], ['BRPOP'], ['BLMOVE', 'a', 'b', 'LEFT', 'LEFT'],
    ['BRPOPLPUSH', 'a', 'b'], ['BLMPOP', '0', '1', 'k'],
  ],
  'many elements at both ends': [
    ['RPUSH', 'e', ...Array.from({ length: 200 }, (_, i) => String(i))], ['LPUSH', 'e', ...Array.from({ length: 200 }, (_, i) => `h${i}`)],
    ['LPOP', 'e', '150'], ['RPOP', 'e', '150'], ['LLEN', 'e'], ['LRANGE', 'e', '0', '-1'], ['LINSERT', 'e', 'BEFORE', '10', 'mid'], ['LINDEX', 'e', '60'],
    ['LREM', 'e', '0', 'mid'], ['LTRIM', 'e', '10', '-10'], ['LRANGE', 'e', '0', '-1'],
  ],
};

/** The same scripts after HELLO 3, whose own reply (server version, client id) is not compared. */
const resp3: Record<string, Script> = {};
for (const [name, script] of Object.entries(cases)) {
  resp3[`${name} (RESP3)`] = [{ cmd: ['HELLO', '3'], normalize: () => 'HELLO reply' }, ...script];
}

differentialSuite('differential: lists', { ...cases, ...resp3 });
