/*
 * C's strtod as glibc implements it, for the doubles Redis parses (sorted set scores, weights,
 * ranges, geo coordinates and radii): leading white space skipped, an optional sign, then
 * `inf`/`infinity`/`nan`/`nan(...)` (any case), a hexadecimal float (`0x1.8p3`) or a decimal one,
 * as long a prefix as parses. Results are correctly rounded (ties to even); overflow to infinity
 * and underflow to zero are reported as ERANGE would be.
 */

export interface Strtod {
  value: number;
  /** index after the last character used (the start when nothing parsed) */
  end: number;
  /** errno would be ERANGE: overflow to ±infinity, or a nonzero value rounding to zero */
  erange: boolean;
}

const DECIMAL = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const HEX = /^0[xX](?:([0-9a-fA-F]+)\.?([0-9a-fA-F]*)|\.([0-9a-fA-F]+))(?:[pP]([+-]?\d+))?/;

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

export function strtod(s: string): Strtod {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') {
    negative = s[i] === '-';
    i++;
  }
  const rest = s.slice(i);
  const sign = negative ? -1 : 1;
  const lower = rest.slice(0, 8).toLowerCase();
  if (lower.startsWith('inf')) {
    return { value: sign * Infinity, end: i + (lower === 'infinity' ? 8 : 3), erange: false };
  }
  if (lower.startsWith('nan')) {
    let end = i + 3;
    const paren = /^\([0-9A-Za-z_]*\)/.exec(rest.slice(3));
    if (paren) end += paren[0].length;
    return { value: NaN, end, erange: false };
  }
  const hex = HEX.exec(rest);
  if (hex) {
    const intDigits = hex[1] ?? '';
    const fracDigits = hex[3] ?? hex[2] ?? '';
    const mant = BigInt('0x' + (intDigits + fracDigits || '0'));
    const exp2 = Number(hex[4] ?? '0') - 4 * fracDigits.length;
    const v = scaleToDouble(mant, exp2);
    return { value: sign * v, end: i + hex[0].length, erange: v === Infinity || (v === 0 && mant !== 0n) };
  }
  const dec = DECIMAL.exec(rest);
  if (dec) {
    const v = Number(dec[0]);
    return { value: sign * v, end: i + dec[0].length, erange: v === Infinity || (v === 0 && /[1-9]/.test(dec[0].split(/[eE]/)[0]!)) };
  }
  // nothing parsed: endptr is the string itself
  return { value: 0, end: 0, erange: false };
}

/** mant × 2^exp2 as the nearest double (ties to even), with denormals and overflow to infinity. */
function scaleToDouble(mant: bigint, exp2: number): number {
  if (mant === 0n) return 0;
  const bits = mant.toString(2).length;
  const e = bits - 1 + exp2; // the value lies in [2^e, 2^(e+1))
  if (e > 1023) return Infinity;
  const q = Math.max(e - 52, -1074); // weight of the last significand bit kept
  const drop = q - exp2;
  if (drop <= 0) return Number(mant) * 2 ** exp2;
  let r = mant >> BigInt(drop);
  const rem = mant - (r << BigInt(drop));
  const half = 1n << BigInt(drop - 1);
  if (rem > half || (rem === half && (r & 1n) === 1n)) r++;
  return Number(r) * 2 ** q;
}

/** Longest plain decimal `plainDecimal` reads: too few digits to overflow or to round to zero. */
const PLAIN_MAX = 300;
/** Most digits of an integer summed exactly in a double (10^15 < 2^53). */
const EXACT_DIGITS = 15;

/**
 * The value of `s` when it is a plain decimal — an optional sign, then digits with at most one
 * point among or around them, no exponent, at most PLAIN_MAX chars — else NaN (the caller then
 * runs strtod). Scores are nearly always such (ZADD's `0`, `1.5`, `000000012345`): this reads
 * them without strtod's regular expressions, an integer of up to 15 digits by summing its digits
 * (exact), anything else by Number(), which rounds correctly as strtod does.
 */
function plainDecimal(s: string): number {
  const n = s.length;
  if (n === 0 || n > PLAIN_MAX) return NaN;
  let i = 0;
  const c0 = s.charCodeAt(0);
  if (c0 === 43 || c0 === 45) i = 1; // '+', '-'
  let digits = 0;
  let point = false;
  let sum = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      sum = sum * 10 + (c - 48);
    } else if (c === 46 && !point) point = true;
    else return NaN;
  }
  if (digits === 0) return NaN;
  if (point || digits > EXACT_DIGITS) return Number(s);
  return c0 === 45 ? -sum : sum;
}

/**
 * A double as Redis's getDoubleFromObject accepts it: the whole string parses, no leading space,
 * not empty, no overflow or underflow (ERANGE), not NaN. Null when Redis refuses it.
 */
export function parseStrictDouble(s: string): number | null {
  const plain = plainDecimal(s);
  if (plain === plain) return plain; // not NaN: a plain decimal
  if (s.length === 0 || isSpace(s.charCodeAt(0))) return null;
  const r = strtod(s);
  if (r.end !== s.length || r.erange || Number.isNaN(r.value)) return null;
  return r.value;
}

/**
 * A double as zslParseRange reads a score range end: strtod must use the whole string (leading
 * space and out-of-range values are fine; the empty string is 0), and NaN is refused.
 */
export function parseLooseDouble(s: string): number | null {
  const plain = plainDecimal(s);
  if (plain === plain) return plain;
  const r = strtod(s);
  if (r.end !== s.length || Number.isNaN(r.value)) return null;
  return r.value;
}
