/*
 * INFO commandstats and errorstats, as Redis 7 counts them:
 *  - calls: commands that ran (their handler was called);
 *  - usec: time spent on them (see dispatch.ts for how it is measured without a clock read per
 *    command: for `fast` and constant-time commands it is their batch's time shared evenly);
 *  - rejected_calls: commands refused before running (arity, NOAUTH…; an unknown command has no
 *    row, so it counts only in errorstats);
 *  - failed_calls: commands whose handler replied an error;
 *  - errorstats: every error reply, keyed by its first word (`ERR`, `WRONGTYPE`, `NOAUTH`…), at
 *    most ERROR_STATS_LIMIT codes (Redis's limit, after which new codes are no longer tracked);
 *    total_error_replies counts them all.
 */
import { Float64Histogram } from 'hdr-histogram-js';
import type { CommandSpec } from './command-types.js';

/** One row's counters (CommandSpec.stats). */
export class CommandCounters {
  calls = 0;
  /** microseconds, fractional */
  usec = 0;
  rejected = 0;
  failed = 0;
  /** INFO latencystats: the row's durations in ns, created on its first recorded call (as Redis) */
  latency: Float64Histogram | null = null;

  reset(): void {
    this.calls = this.usec = this.rejected = this.failed = 0;
    this.latency = null;
  }
}

/*
 * INFO latencystats (Redis 7's latency tracking): one HDR histogram per command row of the
 * durations in nanoseconds, 1 ns to 1 s at 2 significant digits (Redis's
 * LATENCY_HISTOGRAM_MIN/MAX_VALUE and PRECISION), recorded while `latency-tracking` is yes.
 * Float64 counts: a row's count never wraps. A duration is what commandstats' usec adds for the
 * call (dispatch.ts `account`).
 */
const LATENCY_MIN_NS = 1;
const LATENCY_MAX_NS = 1_000_000_000;
const LATENCY_DIGITS = 2;

/**
 * Records one call of `usec` microseconds in the row's histogram. The bucket index is computed
 * here with integer operations (the library's countsArrayIndex uses Math.log2 and Math.pow: ~0.5 µs
 * a call on the benchmark machine, more than a whole GET; this is ~20 ns), into the library's
 * own counts layout — the unit test checks both agree on every value — so its min/max, totals,
 * equivalent values and percentiles stay the library's.
 */
export function recordLatency(stats: CommandCounters, usec: number): void {
  let ns = Math.round(usec * 1000);
  if (ns < LATENCY_MIN_NS) ns = LATENCY_MIN_NS;
  else if (ns > LATENCY_MAX_NS) ns = LATENCY_MAX_NS;
  let h = stats.latency;
  if (h === null) h = stats.latency = new Float64Histogram(LATENCY_MIN_NS, LATENCY_MAX_NS, LATENCY_DIGITS);
  h.incrementCountAtIndex(latencyIndex(h, ns));
  h.updateMinAndMax(ns);
  h.incrementTotalCount();
}

/** The counts index of `value` (an integer from 1 to 2^31-1), as the library's countsArrayIndex. */
export function latencyIndex(h: Float64Histogram, value: number): number {
  const magnitude = h.subBucketHalfCountMagnitude;
  const unit = h.unitMagnitude;
  let bucket = 31 - Math.clz32(value) - magnitude - unit;
  if (bucket < 0) bucket = 0;
  return ((bucket + 1) << magnitude) + (value >>> (bucket + unit)) - h.subBucketHalfCount;
}

/**
 * The value at `percentile` as Redis's hdr_value_at_percentile computes it: the count to reach
 * is rounded half up (the library rounds up, which differs for some totals), and the answer is
 * the highest value equivalent to the bucket reached (the lowest for percentile 0).
 */
export function valueAtPercentile(h: Float64Histogram, percentile: number): number {
  const requested = percentile < 100 ? percentile : 100;
  let count = Math.floor((requested / 100) * h.totalCount + 0.5);
  if (count < 1) count = 1;
  let total = 0;
  for (let i = 0; i < h.countsArrayLength; i++) {
    total += h.getCountAtIndex(i);
    if (total >= count) {
      const v = h.valueFromIndex(i);
      return percentile === 0 ? h.lowestEquivalentValue(v) : h.highestEquivalentValue(v);
    }
  }
  return 0;
}

/** A percentile as Redis prints it: C's `%f`, trailing zeros and dot trimmed (`99.9`, `50`). */
export function formatPercentile(p: number): string {
  const s = p.toFixed(6);
  return s.replace(/\.?0+$/, '');
}

/** `latency_percentiles_usec_get:p50=1.003,p99=…` for each row with a histogram, in table order. */
export function latencyStatsFields(all: readonly CommandSpec[], percentiles: readonly number[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const names = percentiles.map((p) => `p${formatPercentile(p)}=`);
  const visit = (spec: CommandSpec) => {
    const h = spec.stats.latency;
    if (h !== null) {
      let line = '';
      for (let i = 0; i < percentiles.length; i++) {
        if (i !== 0) line += ',';
        line += names[i] + (valueAtPercentile(h, percentiles[i]!) / 1000).toFixed(3);
      }
      out.push([`latency_percentiles_usec_${spec.name}`, line]);
    }
    if (spec.subcommands !== undefined) for (const sub of spec.subcommands.values()) visit(sub);
  };
  for (const spec of all) visit(spec);
  return out;
}

/** Redis tracks at most this many distinct error codes in errorstats. */
export const ERROR_STATS_LIMIT = 128;

export class ErrorStats {
  /** total_error_replies */
  total = 0;
  readonly byCode = new Map<string, number>();

  /** Counts one error reply. */
  count(message: string): void {
    this.total++;
    const space = message.indexOf(' ');
    const code = space < 0 ? message : message.slice(0, space);
    const n = this.byCode.get(code);
    if (n !== undefined) this.byCode.set(code, n + 1);
    else if (this.byCode.size < ERROR_STATS_LIMIT) this.byCode.set(code, 1);
  }

  reset(): void {
    this.total = 0;
    this.byCode.clear();
  }
}

/** `cmdstat_get:calls=…,usec=…,usec_per_call=…,rejected_calls=…,failed_calls=…` fields, in table order. */
export function commandStatsFields(all: readonly CommandSpec[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const visit = (spec: CommandSpec) => {
    const s = spec.stats;
    if (s.calls !== 0 || s.rejected !== 0 || s.failed !== 0) {
      const usec = Math.floor(s.usec);
      const perCall = s.calls === 0 ? 0 : s.usec / s.calls;
      out.push([
        `cmdstat_${spec.name}`,
        `calls=${s.calls},usec=${usec},usec_per_call=${perCall.toFixed(2)},rejected_calls=${s.rejected},failed_calls=${s.failed}`,
      ]);
    }
    if (spec.subcommands !== undefined) for (const sub of spec.subcommands.values()) visit(sub);
  };
  for (const spec of all) visit(spec);
  return out;
}

/** Clears every row's counters (CONFIG RESETSTAT). */
export function resetCommandStats(all: readonly CommandSpec[]): void {
  const visit = (spec: CommandSpec) => {
    spec.stats.reset();
    if (spec.subcommands !== undefined) for (const sub of spec.subcommands.values()) visit(sub);
  };
  for (const spec of all) visit(spec);
}
