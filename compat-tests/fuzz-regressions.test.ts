/*
 * The minimal sequences the differential fuzzer (fuzz-differential.test.ts) found, kept as fixed
 * differential cases so that they stay fixed whatever seed CI runs.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { differentialSuite } from './differential.js';
import { encodeCommand, RawClient, startKv, startRedis } from './harness.js';

differentialSuite('differential: fuzzer regressions', {
  // INCRBYFLOAT stores its result unencoded: an integral result is embstr, not int
  'INCRBYFLOAT result encoding': [
    ['INCRBYFLOAT', 'k', '3.0e3'], ['OBJECT', 'ENCODING', 'k'], ['INCRBYFLOAT', 'k', '9223372036854775807'], ['OBJECT', 'ENCODING', 'k'],
    ['SET', 'k', '9223372036854775807'], ['OBJECT', 'ENCODING', 'k'], ['INCRBY', 'k', '-9223372036854775807'], ['OBJECT', 'ENCODING', 'k'],
    ['SET', 'k', '-9007199254740993'], ['OBJECT', 'ENCODING', 'k'], ['DECR', 'k'], ['GET', 'k'], ['APPEND', 'k', '1'], ['OBJECT', 'ENCODING', 'k'],
  ],
  // COPY duplicates the value: a shared integer's copy has a refcount of its own
  'COPY of a shared integer': [
    ['SET', 'a', '44'], ['COPY', 'a', 'b'], ['OBJECT', 'REFCOUNT', 'a'], ['OBJECT', 'REFCOUNT', 'b'], ['OBJECT', 'ENCODING', 'b'],
    ['INCR', 'b'], ['OBJECT', 'REFCOUNT', 'b'], ['RENAME', 'a', 'c'], ['OBJECT', 'REFCOUNT', 'c'], ['COPY', 'b', 'd'], ['GET', 'd'], ['APPEND', 'd', 'x'], ['GET', 'd'],
  ],
  // Redis formats user text into errors with %s, which stops at a NUL byte
  'error texts stop at NUL': [
    ['OBJECT', 'a\x00b\r\nc'], ['SET', 'k', 'v'], ['EXPIRE', 'k', '1', 'a\x00b'], ['HELLO', '2', 'a\x00b'], ['CONFIG', 'SET', 'a\x00b', '1'],
    ['CLIENT', 'a\x00b'], ['CONFIG', 'a\x00b'], ['CLIENT', 'LIST', 'TYPE', 'a\x00b'], ['CLIENT', 'KILL', 'USER', 'a\x00b'],
  ],
});

/*
 * SCAN filters by MATCH before it expires: a key past its time that does not match stays until
 * something else expires it (DBSIZE still counts it). Sent as one pipelined write, so that neither
 * server's active expiry cycle can run between the commands.
 */
const scan = suite('fuzzer regressions: SCAN MATCH and expired keys');
scan('a non-matching expired key is not removed by SCAN MATCH', async () => {
  const kv = await startKv();
  const redis = await startRedis();
  try {
    if (!redis) return;
    const script = [['FLUSHALL'], ['SET', 'k3', 'abc', 'PXAT', '1000000'], ['SCAN', '0', 'COUNT', '1000', 'MATCH', 'nomatch*'], ['DBSIZE'], ['SCAN', '0', 'COUNT', '1000'], ['DBSIZE']];
    const run = async (port: number) => {
      const c = await RawClient.connect(port);
      c.write(Buffer.concat(script.map((cmd) => encodeCommand(cmd))));
      const out: string[] = [];
      for (let i = 0; i < script.length; i++) out.push(await c.readReply());
      c.close();
      return out;
    };
    const [got, want] = await Promise.all([run(kv.port), run(redis.port)]);
    assert.equal(got, want);
    assert.is(got[3], ':1\r\n');
    assert.is(got[5], ':0\r\n');
  } finally {
    await kv.stop();
    await redis?.stop();
  }
});
scan.run();
