/*
 * The two LATENCY replies that are drawings of recorded data, in Redis 7.0's exact form:
 *  - GRAPH: an event's samples as Redis's ASCII sparkline (latency.c with sparkline.c's
 *    renderer: 80 columns, 4 rows of the fill charset `_o#`, `|` below a peak, and under it each
 *    sample's age as a vertical label);
 *  - HISTOGRAM: a command's latency histogram as Redis's cumulative distribution over
 *    power-of-two microsecond buckets (an HDR log iteration from 1024 ns, factor 2).
 */
import type { Float64Histogram } from 'hdr-histogram-js';
import type { LatencyEvent } from './latency.js';

const GRAPH_COLUMNS = 80;
const GRAPH_ROWS = 4;
const FILL = '_o#';
const LABEL_MARGIN_TOP = 1;

interface Sample {
  value: number;
  label: string;
}

/** How long ago `time` (unix seconds) was, as Redis labels it: 12s, 3m, 5h, 2d. */
function age(nowSec: number, time: number): string {
  const elapsed = nowSec - time;
  if (elapsed < 60) return `${elapsed}s`;
  if (elapsed < 3600) return `${Math.trunc(elapsed / 60)}m`;
  if (elapsed < 3600 * 24) return `${Math.trunc(elapsed / 3600)}h`;
  return `${Math.trunc(elapsed / (3600 * 24))}d`;
}

/** One block of at most GRAPH_COLUMNS samples: the bars, a blank line, then the labels. */
function renderRange(samples: readonly Sample[], min: number, max: number): string {
  let relmax = max - min;
  if (relmax === 0) relmax = 1;
  const steps = FILL.length * GRAPH_ROWS;
  let out = '';
  for (let row = 0; ; row++) {
    let more = false;
    const chars: string[] = new Array(samples.length).fill(' ');
    for (let j = 0; j < samples.length; j++) {
      const s = samples[j]!;
      // C: step = (int)(relval*steps)/relmax, the cast on the product, the division in double
      let step = Math.trunc(Math.trunc((s.value - min) * steps) / relmax);
      if (step < 0) step = 0;
      if (step >= steps) step = steps - 1;
      if (row < GRAPH_ROWS) {
        more = true;
        const at = step - (GRAPH_ROWS - row - 1) * FILL.length;
        if (at >= 0 && at < FILL.length) chars[j] = FILL[at]!;
        else if (at >= FILL.length) chars[j] = '|';
      } else {
        if (row - GRAPH_ROWS < LABEL_MARGIN_TOP) {
          more = true;
          break;
        }
        const k = row - GRAPH_ROWS - LABEL_MARGIN_TOP;
        if (s.label.length > k) {
          more = true;
          chars[j] = s.label[k]!;
        }
      }
    }
    if (!more) return out;
    out += chars.join('') + '\n';
  }
}

/** LATENCY GRAPH's text for `event` (which has at least one sample). */
export function latencyGraph(name: string, event: LatencyEvent, nowSec: number): string {
  const samples: Sample[] = [];
  let min = 0;
  let max = 0;
  for (const s of event.samples) {
    if (samples.length === 0) min = max = s.ms;
    else {
      if (s.ms > max) max = s.ms;
      if (s.ms < min) min = s.ms;
    }
    samples.push({ value: s.ms, label: age(nowSec, s.time) });
  }
  let out = `${name} - high ${max} ms, low ${min} ms (all time high ${event.max} ms)\n${'-'.repeat(GRAPH_COLUMNS)}\n`;
  for (let j = 0; j < samples.length; j += GRAPH_COLUMNS) {
    if (j !== 0) out += '\n';
    out += renderRange(samples.slice(j, j + GRAPH_COLUMNS), min, max);
  }
  return out;
}

/**
 * LATENCY HISTOGRAM's buckets for one histogram of nanosecond durations: [microseconds,
 * cumulative calls] pairs, empty buckets left out. As HDR's log iterator from 1024 ns by factor
 * 2: each level reports at the first counts index whose value reaches it, with the counts up to
 * and including that index, labelled by that index's highest equivalent value in µs.
 */
export function histogramBuckets(h: Float64Histogram): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const total = h.totalCount;
  const length = h.countsArrayLength;
  let i = -1;
  let cumulative = 0;
  let previous = 0;
  let value = 0;
  for (let level = 1024; cumulative < total; level *= 2) {
    while (value < level && i + 1 < length) {
      i++;
      cumulative += h.getCountAtIndex(i);
      value = h.valueFromIndex(i);
    }
    if (cumulative > previous) out.push([Math.floor(h.highestEquivalentValue(value) / 1000), cumulative]);
    previous = cumulative;
    if (i + 1 >= length) break;
  }
  return out;
}
