import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { addDecimal, canonicalDecimal, formatDecimal, parseDecimal, type Decimal } from './decimal.js';

test('parses and prints the canonical form', () => {
  const cases: Array<[string, string | null]> = [
    ['0', '0'],
    ['-0', '0'],
    ['+0.000', '0'],
    ['1.50', '1.5'],
    ['007.25', '7.25'],
    ['.5', '0.5'],
    ['-.5', '-0.5'],
    ['5.', '5'],
    ['-123.000000000000000001', '-123.000000000000000001'],
    ['1.0000000000000000000000000', '1'], // trailing zeros past 18 digits carry nothing
    ['0.0000000000000000001', null], // 19 significant fractional digits
    ['99999999999999999999999999999999999999', '99999999999999999999999999999999999999'],
    ['100000000000000000000000000000000000000', null], // 10^38
    ['99999999999999999999.999999999999999999', '99999999999999999999.999999999999999999'],
    ['999999999999999999999.999999999999999999', null], // 39 digits
    ['', null],
    ['.', null],
    ['-', null],
    ['1e5', null],
    [' 1', null],
    ['1 ', null],
    ['0x10', null],
    ['1.2.3', null],
    ['inf', null],
    ['١', null],
    ['0'.repeat(500) + '1.5' + '0'.repeat(500), '1.5'],
    ['1' + '0'.repeat(100_000), null],
    ['00000000000000000000000000000000000000000099', '99'],
  ];
  for (const [input, want] of cases) assert.is(canonicalDecimal(input), want, JSON.stringify(input));
});

test('0.1 + 0.2 = 0.3 and carries are exact', () => {
  const d = (s: string) => parseDecimal(s)!;
  assert.is(formatDecimal(addDecimal(d('0.1'), d('0.2'))!), '0.3');
  assert.is(formatDecimal(addDecimal(d('0.7'), d('-0.7'))!), '0');
  assert.is(formatDecimal(addDecimal(d('-0.25'), d('0.05'))!), '-0.2');
  assert.is(formatDecimal(addDecimal(d('999.999'), d('0.001'))!), '1000');
  assert.is(addDecimal(d('99999999999999999999999999999999999999'), d('1')), null);
  assert.is(addDecimal(d('-99999999999999999999999999999999999999'), d('-1')), null);
  // the exact sum is normalised before the 38-digit check: 10^20 needs 21 digits, not 39
  assert.is(formatDecimal(addDecimal(d('99999999999999999999.999999999999999999'), d('0.000000000000000001'))!), '100000000000000000000');
  assert.is(addDecimal(d('99999999999999999999.999999999999999999'), d('0.000000000000000002')), null);
  // scale mixes that need 39 digits overflow, those that fit do not
  assert.is(addDecimal(d('100000000000000000000'), d('0.000000000000000001')), null);
  assert.is(formatDecimal(addDecimal(d('1000000000000000000'), d('0.000000000000000001'))!), '1000000000000000000.000000000000000001');
});

/** A reference: rationals with a power-of-ten denominator as (BigInt numerator, scale 18). */
const SCALE = 10n ** 18n;
const decimalArb = fc
  .tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 18 }))
  .map(([coef, scale]): [string, bigint] => {
    // value = coef / 10^scale; as text through the reference formatter
    const d: Decimal = { coef, scale };
    return [formatDecimal(normaliseRef(d)), coef * 10n ** BigInt(18 - scale)];
  });

function normaliseRef(d: Decimal): Decimal {
  let { coef, scale } = d;
  while (scale > 0 && coef % 10n === 0n) {
    coef /= 10n;
    scale--;
  }
  return { coef, scale };
}

/** The reference's text of n / 10^18. */
function refText(n: bigint): string {
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const int = abs / SCALE;
  let frac = (abs % SCALE).toString().padStart(18, '0').replace(/0+$/, '');
  const s = frac === '' ? int.toString() : `${int}.${frac}`;
  return neg && abs !== 0n ? '-' + s : s;
}

test('property: sums of random decimals equal the BigInt reference exactly', () => {
  fc.assert(
    fc.property(fc.array(decimalArb, { minLength: 1, maxLength: 30 }), (terms) => {
      let acc = parseDecimal('0')!;
      let ref = 0n;
      for (const [text, exact] of terms) {
        const d = parseDecimal(text);
        assert.ok(d !== null, text);
        assert.is(formatDecimal(d!), text); // canonical text round-trips
        const sum = addDecimal(acc, d!);
        ref += exact;
        // the reference is the 10^-18 grid; 38 digits: |ref| < 10^38 / 10^scale
        if (sum === null) {
          // overflow only when the exact sum really needs more than 38 digits
          const r = parseDecimal(refText(ref));
          assert.is(r, null, `${refText(ref)} fits but was reported as overflow`);
          return;
        }
        acc = sum;
        assert.is(formatDecimal(acc), refText(ref));
      }
    }),
    { numRuns: 500 },
  );
});

test('property: overflow is reported exactly at 38 digits', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 1n, max: 10n ** 38n - 1n }), fc.bigInt({ min: 1n, max: 10n ** 38n - 1n }), (a, b) => {
      const sum = addDecimal({ coef: a, scale: 0 }, { coef: b, scale: 0 });
      if (a + b >= 10n ** 38n) assert.is(sum, null);
      else assert.is(sum!.coef, a + b);
    }),
  );
});

test.run();
