/*
 * Differential MEMORY: USAGE's nil/errors/option parsing, STATS's field names and reply types in
 * RESP2 and RESP3 (the figures are each server's own accounting and differ by nature), DOCTOR on
 * an empty instance, PURGE, HELP and the subcommand errors. MALLOC-STATS differs by design
 * (Redis is built with jemalloc; kv-server answers as a Redis without it): see below.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { differentialSuite, type Step } from './differential.js';
import { RawClient, decodeReply, startKv } from './harness.js';

/** A reply with every integer and double replaced by its type: the shape without the figures. */
const shape = (raw: string): string => raw.replace(/^:-?\d+\r\n/gm, ':N\r\n').replace(/^,[^\r]*\r\n/gm, ',D\r\n').replace(/^\$\d+\r\n[\d.e+-]+\r\n/gm, '$D\r\n');
const usage = (...args: string[]): Step => ({ cmd: ['MEMORY', 'USAGE', ...args], normalize: (raw) => (raw.startsWith(':') ? ':N' : raw) });
const hello3: Step = { cmd: ['HELLO', '3'], normalize: (raw) => raw.slice(0, 2) };

differentialSuite('differential: memory', {
  'USAGE: missing key, option errors': [
    ['MEMORY', 'USAGE', 'nokey'],
    ['SET', 'foo', 'bar'],
    usage('foo'), usage('foo', 'SAMPLES', '0'), usage('foo', 'samples', '5'),
    usage('foo', 'SAMPLES'), usage('foo', 'SAMPLES', 'x'), usage('foo', 'SAMPLES', '-1'),
    usage('foo', 'bogus', '1'), usage('foo', 'SAMPLES', '1', 'SAMPLES', '2'),
    ['MEMORY', 'USAGE'], ['MEMORY'],
  ],
  'USAGE of every type': [
    ['RPUSH', 'l', 'a', 'b'], ['HSET', 'h', 'f', 'v'], ['SADD', 's', '1'], ['ZADD', 'z', '1', 'm'], ['SET', 'n', '12345'],
    usage('l'), usage('h'), usage('s'), usage('z'), usage('n'),
  ],
  'STATS: the fields in order, RESP2 and RESP3': [
    { cmd: ['MEMORY', 'STATS'], normalize: shape },
    ['SET', 'a', '1'], ['SELECT', '3'], ['SET', 'b', '2'],
    { cmd: ['MEMORY', 'STATS'], normalize: shape },
    hello3,
    { cmd: ['MEMORY', 'STATS'], normalize: shape },
    { cmd: ['MEMORY', 'STATS', 'x'] },
  ],
  'DOCTOR on an empty instance, PURGE, HELP, errors': [
    ['MEMORY', 'DOCTOR'], ['MEMORY', 'PURGE'], ['MEMORY', 'HELP'], ['MEMORY', 'help'],
    ['MEMORY', 'bogus'], ['MEMORY', 'DOCTOR', 'x'], ['MEMORY', 'PURGE', 'x'], ['MEMORY', 'HELP', 'x'],
    hello3, ['MEMORY', 'DOCTOR'],
  ],
});

test('MEMORY USAGE grows with the value and counts a TTL; MALLOC-STATS says there is no jemalloc', async () => {
  const kv = await startKv();
  const c = await RawClient.connect(kv.port);
  try {
    await c.call('SET', 'k', 'x');
    const small = decodeReply(await c.call('MEMORY', 'USAGE', 'k')) as number;
    await c.call('SET', 'k', 'x'.repeat(1000));
    const big = decodeReply(await c.call('MEMORY', 'USAGE', 'k')) as number;
    assert.ok(big >= small + 999, `${small} -> ${big}`);
    await c.call('EXPIRE', 'k', '100');
    assert.ok((decodeReply(await c.call('MEMORY', 'USAGE', 'k')) as number) > big);
    await c.call('RPUSH', 'l', ...Array.from({ length: 100 }, (_, i) => `element-${i}`));
    assert.ok((decodeReply(await c.call('MEMORY', 'USAGE', 'l')) as number) > 100 * 10);
    assert.is(decodeReply(await c.call('MEMORY', 'MALLOC-STATS')), 'Stats not supported for the current allocator');
    const stats = decodeReply(await c.call('MEMORY', 'STATS')) as Array<string | number>;
    const field = (name: string) => stats[stats.indexOf(name) + 1];
    assert.is(field('keys.count'), 2);
    assert.ok((field('dataset.bytes') as number) > 1000);
  } finally {
    c.close();
    await kv.stop();
  }
});

test.run();
