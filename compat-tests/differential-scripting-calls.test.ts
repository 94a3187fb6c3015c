/*
 * Differential redis.call reply conversions, byte for byte against redis-server: what a command
 * answers reaches Lua (RESP2 and, under redis.setresp(3), RESP3 types) and goes back out as the
 * script's result. On the main thread's engine the reply is written into the engine's heap and
 * the result read from it by our own codec (scripting/engine-options.ts), so every script runs
 * three times: its first run (compiled alone first) and its second go to the Lua worker (the
 * package's codec); once that second run was quick (script-runner.ts SHORT_MS), the third runs on
 * the main thread (ours). On a machine too loaded for a quick run all three go to the worker:
 * src/scripting/engine-options.test.ts checks our codec against the package's in process.
 */
import { differentialSuite, type Script } from './differential.js';

function thrice(body: string, keys: string[] = [], args: string[] = []): Script {
  const cmd = ['EVAL', body, String(keys.length), ...keys, ...args];
  return [cmd, cmd, cmd];
}

const LONG = 'x'.repeat(40) + '\x00\xff\r\n' + 'y'.repeat(60);
const HELLO3 = { cmd: ['HELLO', '3'], normalize: (raw: string) => (raw.includes('proto\r\n:3') ? 'resp3' : raw) };

const setup: Script = [
  ['SCRIPT', 'FLUSH'],
  ['ZADD', 'z', '1.5', 'a', '2', 'b'],
  // short enough to stay a listpack (insertion order, as ours): a hashtable's order differs by design
  ['HSET', 'h', 'f1', 'v1', 'f2', 'bin\x00\xff\r\n'],
  ['SADD', 's', 'only'],
  ['SET', 'str', LONG],
  ['SET', 'n', '41'],
  ['SET', 'notint', 'abc'],
];

differentialSuite('differential: redis.call replies into Lua and back', {
  'RESP2 replies: integers, bulks (long, binary), nil, status, arrays, errors': [
    ...setup,
    ...thrice("return redis.call('incr', KEYS[1])", ['n']),
    ...thrice("return redis.call('get', KEYS[1])", ['str']),
    ...thrice("return {redis.call('get', KEYS[1]) == false, type(redis.call('get', KEYS[1]))}", ['missing']),
    ...thrice("return redis.call('set', KEYS[1], ARGV[1])", ['k'], [LONG]),
    ...thrice("return redis.call('zrange', KEYS[1], 0, -1, 'withscores')", ['z']),
    ...thrice("return redis.call('hgetall', KEYS[1])", ['h']),
    ...thrice("return redis.call('smembers', KEYS[1])", ['s']),
    ...thrice("return redis.pcall('incr', KEYS[1])", ['notint']),
    ...thrice("local e = redis.pcall('incr', KEYS[1]) return e.err", ['notint']),
    ...thrice("return redis.pcall('lpush', KEYS[1], 'x')", ['str']),
    ...thrice("return redis.call('incr', KEYS[1])", ['notint']),
    ...thrice("return redis.call('mset', KEYS[1], ARGV[1], KEYS[2], ARGV[2])", ['m1', 'm2'], [LONG, '']),
    ...thrice("return redis.call('mget', KEYS[1], KEYS[2], KEYS[3])", ['m1', 'm2', 'missing']),
    ...thrice("return redis.call('incrby', KEYS[1], '-9007199254740993')", ['big']),
    ...thrice("return redis.call('zscore', KEYS[1], 'a')", ['z']),
  ],
  'RESP3 replies under redis.setresp(3): doubles, maps, sets, booleans, nested pairs': [
    HELLO3,
    ...setup,
    ...thrice("redis.setresp(3) return redis.call('zscore', KEYS[1], 'a')", ['z']),
    ...thrice("redis.setresp(3) local d = redis.call('zscore', KEYS[1], 'a') return tostring(d.double)", ['z']),
    ...thrice("redis.setresp(3) return redis.call('hgetall', KEYS[1])", ['h']),
    ...thrice("redis.setresp(3) local m = redis.call('hgetall', KEYS[1]) return m.map.f2", ['h']),
    ...thrice("redis.setresp(3) return redis.call('smembers', KEYS[1])", ['s']),
    ...thrice("redis.setresp(3) return redis.call('zrange', KEYS[1], 0, -1, 'withscores')", ['z']),
    ...thrice("redis.setresp(3) return redis.call('incr', KEYS[1])", ['n']),
    ...thrice("redis.setresp(3) return redis.call('get', KEYS[1])", ['str']),
    ...thrice("redis.setresp(3) return redis.pcall('incr', KEYS[1])", ['notint']),
  ],
});
