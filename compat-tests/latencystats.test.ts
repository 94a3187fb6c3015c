/*
 * INFO latencystats and the latency-tracking parameters, side by side with a real redis-server
 * 7.0.15: the same script on both, and the section compared after masking the timings (the
 * numbers differ run to run; the shape — which rows have a line, the percentile names, three
 * decimals, CONFIG GET/SET texts and errors, RESETSTAT, latency-tracking no — must not).
 * Lines are compared as a set: Redis prints them in its command dict's order.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RawClient, startKv, startRedis } from './harness.js';

/** The script: each step's raw replies, with INFO latencystats masked and its lines sorted. */
async function runScript(port: number): Promise<string[]> {
  const c = await RawClient.connect(port);
  const out: string[] = [];
  const step = async (...args: string[]) => out.push(`${args.join(' ')} -> ${await c.call(...args)}`);
  const info = async (label: string) => {
    const raw = await c.call('INFO', 'latencystats');
    const body = raw.slice(raw.indexOf('\r\n') + 2, -2);
    const lines = body.split('\r\n').filter((l) => l !== '');
    const masked = lines.map((l) => l.replace(/=\d+\.\d{3}(?=,|$)/g, '=N'));
    out.push(`${label}: ${[masked[0], ...masked.slice(1).sort()].join(' | ')}`);
    // every value is a number with exactly three decimals, and percentiles never decrease
    for (const l of lines.slice(1)) {
      const m = /^latency_percentiles_usec_[a-z|-]+:(.*)$/.exec(l);
      assert.ok(m, l);
    }
  };
  await step('CONFIG', 'RESETSTAT');
  await step('SET', 'k', 'v');
  await step('GET', 'k');
  await step('GET', 'missing');
  await step('CONFIG', 'GET', 'latency-tracking');
  await step('CONFIG', 'GET', 'latency-tracking-info-percentiles');
  await info('default percentiles');
  await step('CONFIG', 'SET', 'latency-tracking-info-percentiles', '0 50 99.99 100');
  await step('CONFIG', 'GET', 'latency-tracking-info-percentiles');
  await info('four percentiles');
  await step('CONFIG', 'SET', 'latency-tracking-info-percentiles', '50.5 1e1');
  await step('CONFIG', 'GET', 'latency-tracking-info-percentiles');
  await step('CONFIG', 'SET', 'latency-tracking-info-percentiles', '101');
  await step('CONFIG', 'SET', 'latency-tracking-info-percentiles', '-1');
  await step('CONFIG', 'SET', 'latency-tracking-info-percentiles', 'abc');
  await step('CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 x');
  await step('CONFIG', 'GET', 'latency-tracking-info-percentiles');
  await step('CONFIG', 'SET', 'latency-tracking-info-percentiles', '');
  await step('CONFIG', 'GET', 'latency-tracking-info-percentiles');
  await info('no percentiles');
  await step('CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9');
  await step('CONFIG', 'SET', 'latency-tracking', 'no');
  await step('INCR', 'n');
  await info('tracking off');
  await step('CONFIG', 'SET', 'latency-tracking', 'maybe');
  await step('CONFIG', 'SET', 'latency-tracking', 'yes');
  await info('tracking on again (INCR ran while off: no line)');
  await step('CONFIG', 'RESETSTAT');
  await info('after RESETSTAT');
  const all = await c.call('INFO', 'everything');
  out.push(`everything has it: ${all.includes('# Latencystats\r\n')}`);
  const dflt = await c.call('INFO');
  out.push(`default has it: ${dflt.includes('# Latencystats')}`);
  c.close();
  return out;
}

test('INFO latencystats and its config match redis-server 7.0 in shape', async () => {
  const redis = await startRedis();
  if (!redis) return;
  const kv = await startKv();
  try {
    const [want, got] = [await runScript(redis.port), await runScript(kv.port)];
    assert.equal(got, want);
  } finally {
    await kv.stop();
    await redis.stop();
  }
});

test('percentiles are read from the histogram as Redis does (timings recorded per call)', async () => {
  const kv = await startKv();
  try {
    const c = await RawClient.connect(kv.port);
    await c.call('CONFIG', 'SET', 'latency-tracking-info-percentiles', '0 50 100');
    await c.call('CONFIG', 'RESETSTAT');
    for (let i = 0; i < 50; i++) await c.call('PING');
    await c.call('DEBUG', 'SLEEP', '0.02');
    const info = await c.call('INFO', 'latencystats');
    const ping = /latency_percentiles_usec_ping:p0=([\d.]+),p50=([\d.]+),p100=([\d.]+)/.exec(info);
    assert.ok(ping, info);
    const [p0, p50, p100] = ping!.slice(1).map(Number);
    assert.ok(p0! <= p50! && p50! <= p100!, info);
    const sleep = /latency_percentiles_usec_debug:p0=([\d.]+),p50=([\d.]+),p100=([\d.]+)/.exec(info);
    assert.ok(sleep, info);
    // DEBUG SLEEP 0.02 took at least 20 ms, and one value sits in one bucket: p0 ≤ p50 = p100
    assert.ok(Number(sleep![2]) >= 19000, info);
    assert.equal(sleep![2], sleep![3]);
    c.close();
  } finally {
    await kv.stop();
  }
});

test.run();
