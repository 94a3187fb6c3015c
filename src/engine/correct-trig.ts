/*
 * sin, cos and asin rounded to the nearest double, as glibc's libm gives them in practice (it
 * rounds correctly but in rare cases), for Redis's haversine distances. V8's Math.sin/cos/asin
 * (fdlibm) are within one ulp but round differently in a few percent of cases, which shows in
 * the last digits of a stored distance. The values here are computed in double-double
 * arithmetic (about 100 bits) and rounded once.
 */

type DD = [number, number];

const SPLITTER = 134217729; // 2^27 + 1

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}

function twoProd(a: number, b: number): DD {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function ddAdd(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  const [t, f] = twoSum(a[1], b[1]);
  let [hi, lo] = quickTwoSum(s, e + t);
  [hi, lo] = quickTwoSum(hi, lo + f);
  return [hi, lo];
}

function ddMul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return quickTwoSum(p, e + (a[0] * b[1] + a[1] * b[0]));
}

/** num/den as a double-double. */
function ddFromRational(num: bigint, den: bigint): DD {
  const neg = num < 0n !== den < 0n;
  if (num < 0n) num = -num;
  if (den < 0n) den = -den;
  const q = (num << 300n) / den;
  const hi = Number(q);
  const lo = Number(q - BigInt(hi));
  const scale = 2 ** -300;
  return neg ? [-hi * scale, -lo * scale] : [hi * scale, lo * scale];
}

/** (-1)^k / (2k+1)! and (-1)^k / (2k)! for the Taylor series. */
const SIN_COEF: DD[] = [];
const COS_COEF: DD[] = [[1, 0]];
{
  let f = 1n;
  for (let n = 1; n <= 27; n++) {
    f *= BigInt(n);
    const sign = (Math.floor(n / 2) % 2 === 0 ? 1n : -1n);
    if (n % 2 === 1) SIN_COEF.push(ddFromRational(sign, f));
    else COS_COEF.push(ddFromRational(sign, f));
  }
}

/** π/2 as a triple-double (PIO2[0] has 33 significant bits, so k × PIO2[0] is exact). */
const PIO2_1 = 1.57079632673412561417e0;
const PIO2_2 = 6.07710050630396597660e-11;
const PIO2_3 = 2.02226624871116645580e-21;
const PIO2_3T = 8.47842766036889956997e-32;

/** x - k·π/2 as a double-double, for small integers k. */
function reduce(x: number, k: number): DD {
  const r = x - k * PIO2_1; // exact: x and k·PIO2_1 are close
  let v = twoSum(r, -k * PIO2_2);
  v = ddAdd(v, [-k * PIO2_3, -k * PIO2_3T]);
  return v;
}

/** Coefficients as flat [hi0, lo0, hi1, lo1, …] arrays, for the allocation-free Horner loop. */
const SIN_FLAT = Float64Array.from(SIN_COEF.flat());
const COS_FLAT = Float64Array.from(COS_COEF.flat());

const DD_TERMS = 4;
let outHi = 0;
let outLo = 0;

/**
 * Σ c_i · r^(2i) by Horner in double-double, into outHi/outLo (inlined arithmetic: this runs
 * for every point a geo search tests).
 */
function series(coef: Float64Array, r2h: number, r2l: number): void {
  // the terms from the fifth on are below 2^-20 of the first: in plain doubles their rounding
  // errors stay below 2^-70
  let n = coef.length - 2;
  let tail = coef[n]!;
  for (n -= 2; n >= DD_TERMS * 2; n -= 2) tail = tail * r2h + coef[n]!;
  let ah = tail;
  let al = 0;
  for (; n >= 0; n -= 2) {
    // (ah, al) × (r2h, r2l)
    const p = ah * r2h;
    let t = SPLITTER * ah;
    const xh = t - (t - ah);
    const xl = ah - xh;
    t = SPLITTER * r2h;
    const yh = t - (t - r2h);
    const yl = r2h - yh;
    const pe = xh * yh - p + xh * yl + xl * yh + xl * yl + (ah * r2l + al * r2h);
    const mh = p + pe;
    const ml = pe - (mh - p);
    // + (ch, cl)
    const ch = coef[n]!;
    const cl = coef[n + 1]!;
    const s1 = mh + ch;
    const bb = s1 - mh;
    const e1 = mh - (s1 - bb) + (ch - bb);
    const s2 = s1 + (e1 + ml + cl);
    ah = s2;
    al = e1 + ml + cl - (s2 - s1);
  }
  outHi = ah;
  outLo = al;
}

/** sin(x) (cosine: cos(x)) as a double-double, for |x| below LIMIT. */
function sinOrCosDD(x: number, cosine: boolean): DD {
  const k = Math.round(x / (Math.PI / 2));
  const r = reduce(x, k);
  const r2 = ddMul(r, r);
  const q = (((k + (cosine ? 1 : 0)) % 4) + 4) % 4; // sin(x) = sin(r + kπ/2); cos(x) = sin(x + π/2)
  let v: DD;
  if (q % 2 === 0) {
    series(SIN_FLAT, r2[0], r2[1]);
    v = ddMul([outHi, outLo], r);
  } else {
    series(COS_FLAT, r2[0], r2[1]);
    v = [outHi, outLo];
  }
  return q >= 2 ? [-v[0], -v[1]] : v;
}

const LIMIT = 1e6; // beyond this the simple reduction loses accuracy: fall back to V8

export function correctSin(x: number): number {
  if (!(Math.abs(x) < LIMIT) || x === 0) return Math.sin(x);
  const s = sinOrCosDD(x, false);
  return s[0] + s[1];
}

export function correctCos(x: number): number {
  if (!(Math.abs(x) < LIMIT)) return Math.cos(x);
  const c = sinOrCosDD(x, true);
  return c[0] + c[1];
}

/** asin by one Newton step in double-double from V8's value (quadratic: error ~1e-32). */
export function correctAsin(y: number): number {
  if (!(Math.abs(y) < 1) || y === 0) return Math.asin(y);
  const t0 = Math.asin(y);
  const s = sinOrCosDD(t0, false);
  const c = Math.cos(t0);
  // t = t0 + (y - sin t0) / cos t0
  const num = ddAdd([y, 0], [-s[0], -s[1]]);
  const delta = (num[0] + num[1]) / c;
  const [hi, lo] = twoSum(t0, delta);
  return hi + lo;
}
