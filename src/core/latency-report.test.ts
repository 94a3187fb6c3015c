import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Float64Histogram } from 'hdr-histogram-js';
import { histogramBuckets, latencyGraph } from './latency-report.js';
import { LatencyEvent } from './latency.js';

test('GRAPH draws samples as Redis 7.0 does (taken from redis-server: 30, 94, 39 ms a second apart)', () => {
  const e = new LatencyEvent();
  e.add(1000, 30);
  e.add(1001, 94);
  e.add(1002, 39);
  const want =
    'command - high 94 ms, low 30 ms (all time high 94 ms)\n' +
    '-'.repeat(80) + '\n' +
    ' # \n | \n | \n_|o\n   \n210\nsss\n';
  assert.is(latencyGraph('command', e, 1002), want);
});

test('GRAPH: one sample, labels in minutes, hours and days, the all-time high', () => {
  const e = new LatencyEvent();
  e.add(0, 500);
  e.add(86_400 * 3, 5);
  e.add(86_400 * 3 + 3600 * 4, 7);
  e.add(86_400 * 4 - 120, 6);
  const text = latencyGraph('event-loop', e, 86_400 * 4);
  const lines = text.split('\n');
  assert.is(lines[0], 'event-loop - high 500 ms, low 5 ms (all time high 500 ms)');
  // the first sample is the peak: '#' on top, '|' under it; labels 4d, 1d, 20h, 2m read downwards
  assert.is(lines[2], '#   ');
  assert.is(lines[5], '|___');
  assert.is(lines[7], '4122');
  assert.is(lines[8], 'dd0m');
  assert.is(lines[9], '  h ');
  const one = new LatencyEvent();
  one.add(10, 3);
  assert.is(latencyGraph('x', one, 10).split('\n').slice(2).join('|'), ' | | |_| |0|s|');
});

test('GRAPH: more than 80 samples wrap into blocks separated by a blank line', () => {
  const e = new LatencyEvent();
  for (let i = 0; i < 100; i++) e.add(i, 1 + (i % 7));
  const text = latencyGraph('command', e, 100);
  const blocks = text.split('\n\n');
  assert.is(blocks.length, 2);
  assert.is(blocks[0]!.split('\n')[2]!.length, 80);
  assert.is(blocks[1]!.split('\n')[0]!.length, 20);
});

test('HISTOGRAM buckets: cumulative counts at power-of-two µs levels, labelled as Redis (8, 16, 66)', () => {
  const h = new Float64Histogram(1, 1_000_000_000, 2);
  for (const ns of [5_000, 12_000, 60_000]) h.recordValue(ns);
  assert.equal(histogramBuckets(h), [[8, 1], [16, 2], [66, 3]]);
  // below 1 µs and at the top of the range
  const g = new Float64Histogram(1, 1_000_000_000, 2);
  g.recordValue(1);
  g.recordValue(900);
  g.recordValue(1_000_000_000);
  const b = histogramBuckets(g);
  assert.equal(b[0], [1, 2]);
  assert.is(b[b.length - 1]![1], 3);
  assert.ok(b[b.length - 1]![0] >= 1_000_000);
  assert.equal(histogramBuckets(new Float64Histogram(1, 1_000_000_000, 2)), []);
});

test.run();
