/*
 * Signed 64-bit integers as Redis parses and computes them. JavaScript numbers are exact only
 * to 2^53, so values are `number` while they are safe and `bigint` beyond; every operation
 * checks the int64 bounds exactly.
 */
export type Int64 = number | bigint;

export const INT64_MAX = 9223372036854775807n;
export const INT64_MIN = -9223372036854775808n;

/**
 * Parses `s` as Redis's string2ll: optional '-', digits, no '+', no leading zeros, no spaces,
 * within int64. Returns null when `s` is not such an integer.
 */
export function parseInt64(s: string): Int64 | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    if (n === 1) return null;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1 ? 0 : null; // "0" only: "-0" and "01" are refused
  if (first < 49 || first > 57) return null;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  if (n - i <= 15) return Number(s);
  const big = BigInt(s);
  if (big > INT64_MAX || big < INT64_MIN) return null;
  return normalize(big);
}

/** A bigint within ±2^53 becomes a number, so that equal values have one representation. */
export function normalize(v: bigint): Int64 {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

/** a + b, or null when the sum leaves int64. */
export function addInt64(a: Int64, b: Int64): Int64 | null {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  const r = BigInt(a) + BigInt(b);
  if (r > INT64_MAX || r < INT64_MIN) return null;
  return normalize(r);
}

/** -v, or null for INT64_MIN (whose negation overflows). */
export function negateInt64(v: Int64): Int64 | null {
  if (typeof v === 'number') return -v || 0;
  if (v === INT64_MIN) return null;
  return normalize(-v);
}

/**
 * The decimal text of a time in ms held as a double (expire times are), clamped to INT64_MAX:
 * beyond 2^53 `String(ms)` would print an exponent or a value past int64 that no command takes
 * back (effects rewrite expiries with it: PEXPIREAT key <ms>).
 */
export function int64Text(ms: number): string {
  return ms >= 2 ** 63 ? INT64_MAX.toString() : BigInt(Math.trunc(ms)).toString();
}
