import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Float64Histogram } from 'hdr-histogram-js';
import { CommandCounters, formatPercentile, latencyIndex, recordLatency, valueAtPercentile } from './command-stats.js';

test('valueAtPercentile rounds the count half up, as Redis (the library rounds up)', () => {
  const s = new CommandCounters();
  for (let i = 0; i < 5; i++) recordLatency(s, 1); // 1000 ns
  for (let i = 0; i < 5; i++) recordLatency(s, 2); // 2000 ns
  const h = s.latency!;
  // 51% of 10 = 5.1: Redis reaches count 5 (the 1000 ns bucket), the library 6
  assert.is(valueAtPercentile(h, 51), h.highestEquivalentValue(1000));
  assert.is(h.getValueAtPercentile(51), h.highestEquivalentValue(2000));
  assert.is(valueAtPercentile(h, 56), h.highestEquivalentValue(2000));
  // 0 is the lowest equivalent value of the first bucket, 100 the highest of the last
  assert.is(valueAtPercentile(h, 0), h.lowestEquivalentValue(1000));
  assert.is(valueAtPercentile(h, 100), h.highestEquivalentValue(2000));
});

test('recordLatency clamps to 1 ns .. 1 s and creates the histogram on first use; reset drops it', () => {
  const s = new CommandCounters();
  assert.is(s.latency, null);
  recordLatency(s, 0);
  recordLatency(s, 5_000_000); // 5 s
  assert.is(s.latency!.totalCount, 2);
  assert.is(valueAtPercentile(s.latency!, 0), 1);
  assert.ok(valueAtPercentile(s.latency!, 100) >= 1_000_000_000);
  // 33 µs reads back as Redis prints it: the bucket's highest value, 33.023
  const t = new CommandCounters();
  recordLatency(t, 33);
  assert.is((valueAtPercentile(t.latency!, 50) / 1000).toFixed(3), '33.023');
  s.reset();
  assert.is(s.latency, null);
});

test('formatPercentile trims as C %f then trimDoubleString', () => {
  assert.is(formatPercentile(50), '50');
  assert.is(formatPercentile(99.9), '99.9');
  assert.is(formatPercentile(100), '100');
  assert.is(formatPercentile(0), '0');
  assert.is(formatPercentile(99.99), '99.99');
  assert.is(formatPercentile(0.0001), '0.0001');
});

test('latencyIndex agrees with the library for every value from 1 ns to 1 s', () => {
  const h = new Float64Histogram(1, 1_000_000_000, 2);
  let checked = 0;
  for (let v = 1; v <= 1_000_000_000; v = v < 70_000 ? v + 1 : Math.floor(v * 1.0003) + 1) {
    if (latencyIndex(h, v) !== h.countsArrayIndex(v)) assert.unreachable(`index of ${v}`);
    checked++;
  }
  // every bucket boundary, and the bounds
  for (let p = 0; p < 30; p++) for (const v of [2 ** p, 2 ** p - 1, 2 ** p + 1]) if (v >= 1) assert.is(latencyIndex(h, v), h.countsArrayIndex(v), `index of ${v}`);
  assert.is(latencyIndex(h, 1_000_000_000), h.countsArrayIndex(1_000_000_000));
  assert.ok(checked > 100_000);
});

test.run();
