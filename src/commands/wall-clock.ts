/*
 * Wall-clock time in microseconds, for the replies that Redis gives with microsecond precision
 * (TIME, MONITOR lines, INFO server_time_usec). `performance.timeOrigin + performance.now()` is
 * the Unix time in milliseconds with sub-millisecond fractions; it is a plain double with about
 * 16 significant digits, so microseconds survive until the year 2255.
 *
 * This is the one place besides the engine's Clock that reads the system time: these replies
 * report the time itself, not the time a command acts at (that is `c.now`, read once by dispatch).
 */
import { performance } from 'node:perf_hooks';

/** Microseconds since the Unix epoch. */
export function wallClockMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

/** `seconds.micros` as Redis prints it in MONITOR lines (`1339518083.107412`). */
export function formatMicros(us: number): string {
  return `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`;
}
