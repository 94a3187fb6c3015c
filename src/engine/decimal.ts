/*
 * Exact decimal fixed-point numbers on BigInt (KV.INCRBYDEC, typed `decimal` values): a value is
 * `coef / 10^scale` with at most 38 digits in all (|coef| < 10^38) and at most 18 after the point
 * (scale 0-18), kept normalised (no trailing fractional zeros). No binary float is ever involved,
 * so 0.1 + 0.2 is 0.3.
 *
 * Text form: `[+-]digits[.digits]` or `[+-].digits` on input (no exponent, no spaces); the
 * canonical form written back has no `+`, no leading zeros in the integer part, no trailing zeros
 * in the fraction, no `.` for an integer, and `0` for zero (never `-0`).
 */

export const DECIMAL_MAX_DIGITS = 38;
export const DECIMAL_MAX_SCALE = 18;

const LIMIT = 10n ** BigInt(DECIMAL_MAX_DIGITS);
const POW10: bigint[] = Array.from({ length: DECIMAL_MAX_SCALE + 1 }, (_, i) => 10n ** BigInt(i));

export interface Decimal {
  /** the value times 10^scale */
  readonly coef: bigint;
  /** digits after the point, 0-18 */
  readonly scale: number;
}

const SYNTAX = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** Removes trailing fractional zeros. */
function normalise(coef: bigint, scale: number): Decimal {
  while (scale > 0 && coef % 10n === 0n) {
    coef /= 10n;
    scale--;
  }
  return { coef, scale };
}

/**
 * Parses `s` as a decimal, or null when it is not one: bad syntax, more than 18 significant
 * fractional digits, or 38 digits or more beyond the range (|x| ≥ 10^38 / 10^scale).
 */
export function parseDecimal(s: string): Decimal | null {
  if (s.length === 0) return null;
  const m = SYNTAX.exec(s);
  if (m === null) return null;
  let int = m[2]!;
  let frac = m[3] ?? '';
  if (int.length === 0 && frac.length === 0) return null;
  // leading zeros carry nothing either; past 38 digits the value is out of range (before BigInt)
  let start = 0;
  while (start < int.length - 1 && int.charCodeAt(start) === 48) start++;
  int = int.slice(start);
  if (int.length > DECIMAL_MAX_DIGITS) return null;
  // trailing zeros of the fraction carry no precision
  let end = frac.length;
  while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
  frac = frac.slice(0, end);
  if (frac.length > DECIMAL_MAX_SCALE) return null;
  let coef = BigInt((int.length === 0 ? '0' : int) + frac);
  if (coef >= LIMIT) return null;
  if (m[1] === '-') coef = -coef;
  return { coef, scale: frac.length };
}

/** a + b, or null when the exact sum needs more than 38 digits (overflow). */
export function addDecimal(a: Decimal, b: Decimal): Decimal | null {
  const scale = Math.max(a.scale, b.scale);
  const sum = a.coef * POW10[scale - a.scale]! + b.coef * POW10[scale - b.scale]!;
  const r = normalise(sum, scale);
  if (r.coef >= LIMIT || r.coef <= -LIMIT) return null;
  return r;
}

/** The canonical text of `d`. */
export function formatDecimal(d: Decimal): string {
  const neg = d.coef < 0n;
  let digits = (neg ? -d.coef : d.coef).toString();
  if (d.scale === 0) return neg ? '-' + digits : digits;
  if (digits.length <= d.scale) digits = '0'.repeat(d.scale - digits.length + 1) + digits;
  const at = digits.length - d.scale;
  return (neg ? '-' : '') + digits.slice(0, at) + '.' + digits.slice(at);
}

/** The canonical text of the decimal `s`, or null when it is not one. */
export function canonicalDecimal(s: string): string | null {
  const d = parseDecimal(s);
  return d === null ? null : formatDecimal(d);
}
