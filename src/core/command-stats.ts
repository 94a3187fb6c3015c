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
import type { CommandSpec } from './command-types.js';

/** One row's counters (CommandSpec.stats). */
export class CommandCounters {
  calls = 0;
  /** microseconds, fractional */
  usec = 0;
  rejected = 0;
  failed = 0;

  reset(): void {
    this.calls = this.usec = this.rejected = this.failed = 0;
  }
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
