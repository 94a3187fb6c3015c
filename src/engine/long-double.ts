/*
 * x87 80-bit `long double` arithmetic, exactly as Redis 7.0 uses it for INCRBYFLOAT on x86-64:
 * strtold to parse (correctly rounded, round-half-even), one addition rounded to a 64-bit
 * significand, and printf("%.17Lf") of the exact binary value. JavaScript doubles round
 * differently (0.1 + 0.2, 10.5 + 0.1, 1e300 …), so values are held as BigInt significands.
 *
 * A finite value is (-1)^neg × mant × 2^exp with 0 ≤ mant < 2^64. Normal values have
 * 2^63 ≤ mant; denormals sit at the lowest exponent with a smaller mant.
 */

export interface LongDouble {
  readonly neg: boolean;
  /** the significand, below 2^64 (unused for infinities) */
  readonly mant: bigint;
  /** the power of two of the significand's least significant bit */
  readonly exp: number;
  readonly inf: boolean;
}

const MANT_BITS = 64;
const TWO_64 = 1n << 64n;
const TWO_63 = 1n << 63n;
/** LSB exponent of the smallest normal binade, and of every denormal (2^-16445 is the least). */
const MIN_EXP = -16445;
/** LSB exponent of the largest binade (the largest value is (2^64 - 1) × 2^16320). */
const MAX_EXP = 16320;
/** strtold refuses strings this long or longer (Redis's MAX_LONG_DOUBLE_CHARS buffer). */
const MAX_CHARS = 5 * 1024;

const POS_INF: LongDouble = { neg: false, mant: 0n, exp: 0, inf: true };
const NEG_INF: LongDouble = { neg: true, mant: 0n, exp: 0, inf: true };

function zero(neg: boolean): LongDouble {
  return { neg, mant: 0n, exp: 0, inf: false };
}

function bitLength(x: bigint): number {
  if (x === 0n) return 0;
  const hex = x.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0]!, 16)));
}

/**
 * The long double nearest to (num / den) × 2^exp2 (num ≥ 0, den > 0), ties to even, with
 * denormals and overflow to infinity, as the FPU rounds in its default mode.
 */
function round(neg: boolean, num: bigint, den: bigint, exp2: number): LongDouble {
  if (num === 0n) return zero(neg);
  let e = bitLength(num) - bitLength(den) - MANT_BITS + exp2;
  if (e < MIN_EXP) e = MIN_EXP;
  for (;;) {
    const shift = e - exp2;
    let n = num;
    let d = den;
    if (shift >= 0) d <<= BigInt(shift);
    else n <<= BigInt(-shift);
    let q = n / d;
    if (q >= TWO_64) {
      e++;
      continue;
    }
    const twice = (n - q * d) * 2n;
    if (twice > d || (twice === d && (q & 1n) === 1n)) q++;
    if (q === TWO_64) {
      q = TWO_63;
      e++;
    }
    if (e > MAX_EXP) return neg ? NEG_INF : POS_INF;
    return { neg, mant: q, exp: e, inf: false };
  }
}

const DECIMAL = /^([+-]?)(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE]([+-]?\d+))?$/;
const HEX = /^([+-]?)0[xX](?:([0-9a-fA-F]+)\.?([0-9a-fA-F]*)|\.([0-9a-fA-F]+))(?:[pP]([+-]?\d+))?$/;
const INFINITY = /^([+-]?)inf(?:inity)?$/i;

/** An exponent's digits as a number, clamped far beyond any exponent that still matters. */
function exponent(digits: string | undefined): number {
  if (digits === undefined) return 0;
  const v = parseInt(digits, 10);
  return Math.max(-1e9, Math.min(1e9, v));
}

/**
 * Parses `s` as Redis's string2ld does: strtold over the whole string (decimal, hexadecimal
 * `0x1.8p3`, `inf`/`infinity`; a sign allowed, no leading or trailing space, no NaN), refusing
 * results that overflow to infinity or underflow to zero. Returns null when Redis refuses it.
 */
export function parseLongDouble(s: string): LongDouble | null {
  if (s.length === 0 || s.length >= MAX_CHARS) return null;
  let m = DECIMAL.exec(s);
  if (m !== null) return parseDecimal(m[1] === '-', (m[2] ?? '') + (m[3] ?? m[4] ?? ''), (m[3] ?? m[4] ?? '').length, exponent(m[5]));
  if ((m = HEX.exec(s)) !== null) return parseHex(m[1] === '-', (m[2] ?? '') + (m[3] ?? m[4] ?? ''), (m[3] ?? m[4] ?? '').length, exponent(m[5]));
  if ((m = INFINITY.exec(s)) !== null) return m[1] === '-' ? NEG_INF : POS_INF;
  return null;
}

/** A rounded nonzero literal, or null where strtold reports ERANGE with ±HUGE_VAL or zero. */
function inRange(r: LongDouble): LongDouble | null {
  return r.inf || r.mant === 0n ? null : r;
}

/** digits × 10^(exp - fracDigits), correctly rounded; null on overflow or underflow. */
function parseDecimal(neg: boolean, digits: string, fracDigits: number, exp: number): LongDouble | null {
  const significant = digits.replace(/^0+/, '');
  if (significant === '') return zero(neg);
  const e10 = exp - fracDigits;
  const magnitude = significant.length + e10; // value < 10^magnitude
  if (magnitude > 4934) return null; // above the largest long double (≈1.19e4932)
  if (magnitude < -4952) return null; // below half the least denormal (≈3.6e-4951)
  const d = BigInt(significant);
  return inRange(e10 >= 0 ? round(neg, d * 10n ** BigInt(e10), 1n, 0) : round(neg, d, 10n ** BigInt(-e10), 0));
}

/** hexdigits × 2^(exp - 4 × fracDigits), correctly rounded; null on overflow or underflow. */
function parseHex(neg: boolean, digits: string, fracDigits: number, exp: number): LongDouble | null {
  const h = BigInt('0x' + digits);
  if (h === 0n) return zero(neg);
  const e2 = exp - 4 * fracDigits;
  const magnitude = bitLength(h) + e2; // value < 2^magnitude
  if (magnitude > 16385 || magnitude < -16447) return null;
  return inRange(round(neg, h, 1n, e2));
}

/** a + b rounded to a long double, or null when the sum is NaN (∞ + -∞). */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | null {
  if (a.inf || b.inf) {
    if (a.inf && b.inf && a.neg !== b.neg) return null;
    return a.inf ? a : b;
  }
  const e = Math.min(a.exp, b.exp);
  const sa = (a.neg ? -a.mant : a.mant) << BigInt(a.exp - e);
  const sb = (b.neg ? -b.mant : b.mant) << BigInt(b.exp - e);
  const sum = sa + sb;
  // an exact zero sum is +0 in round-to-nearest, unless both addends are -0
  if (sum === 0n) return zero(a.neg && b.neg && a.mant === 0n && b.mant === 0n);
  return sum < 0n ? round(true, -sum, 1n, e) : round(false, sum, 1n, e);
}

const TEN_17 = 10n ** 17n;

/** printf("%.17Lf", x) for a finite x: the exact binary value rounded half-even to 17 decimals. */
export function formatFixed17(x: LongDouble): string {
  let scaled: bigint;
  if (x.exp >= 0) {
    scaled = (x.mant << BigInt(x.exp)) * TEN_17;
  } else {
    const n = x.mant * TEN_17;
    const shift = BigInt(-x.exp);
    scaled = n >> shift;
    const twice = (n - (scaled << shift)) << 1n;
    const unit = 1n << shift;
    if (twice > unit || (twice === unit && (scaled & 1n) === 1n)) scaled++;
  }
  const digits = scaled.toString().padStart(18, '0');
  return (x.neg ? '-' : '') + digits.slice(0, -17) + '.' + digits.slice(-17);
}

/**
 * The long double as Redis stores an INCRBYFLOAT result (ld2string's LD_STR_HUMAN): "%.17Lf",
 * trailing zeros and a bare '.' removed, "-0" written "0". x must be finite.
 */
export function formatLongDouble(x: LongDouble): string {
  const s = formatFixed17(x).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}
