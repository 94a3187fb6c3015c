/*
 * Property-based fuzzing (fast-check) of the request decoder (src/resp/decoder.ts) with hostile
 * input: random bytes, truncated and malformed frames (negative lengths, `$-2`, non-digits,
 * huge declared lengths with no data, deep or empty multibulk, CR without LF, NUL bytes), inline
 * lines near 64 KB. The decoder never throws; decoding the input whole, byte by byte and split at
 * every offset gives the same commands and the same error (for input under the 64 KB limits,
 * which Redis itself checks per read); well-formed commands round-trip exactly; a declared length
 * reserves no memory it has not received.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RequestDecoder, INLINE_MAX, type DecoderLimits, DEFAULT_LIMITS } from '../../src/resp/decoder.js';
import { encodeCommand } from '../harness.js';

interface Outcome {
  commands: string[][];
  error: string | null;
  overLimit: boolean;
}

/** Feeds the chunks through one reused buffer, as the server does; throws only if the decoder does. */
function decode(chunks: Buffer[], limits: DecoderLimits = DEFAULT_LIMITS, authenticated = true): Outcome {
  const d = new RequestDecoder(limits);
  d.authenticated = authenticated;
  const commands: string[][] = [];
  const shared = Buffer.alloc(chunks.reduce((m, c) => Math.max(m, c.length), 0));
  for (const chunk of chunks) {
    const view = shared.subarray(0, chunk.length);
    chunk.copy(view);
    d.feed(view);
    let argv;
    while ((argv = d.next()) !== null) commands.push(argv);
    if (d.protocolError !== null || d.overLimit) break;
    d.detachInput();
    shared.fill(0x2a);
  }
  return { commands, error: d.protocolError, overLimit: d.overLimit };
}

const splitAt = (buf: Buffer, cuts: number[]): Buffer[] => {
  const at = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const c of at) {
    if (c > from) out.push(buf.subarray(from, c));
    from = Math.max(from, c);
  }
  if (from < buf.length) out.push(buf.subarray(from));
  return out;
};

const RUNS = { numRuns: 300 };

/* Generators of hostile fragments. */
const digits = fc.stringMatching(/^[0-9]{1,6}$/);
const fragment = fc.oneof(
  fc.constantFrom('*', '$', '\r', '\n', '\r\n', '\0', '-', '+', ':', ' ', '"', "'", '\\', 'x'),
  fc.constantFrom('*-1\r\n', '*0\r\n', '$-2\r\n', '$-1\r\n', '*-0\r\n', '$01\r\n', '*1\r', '$3\r\nab', '*2147483648\r\n', '*1048577\r\n', '$536870913\r\n', '$99999999999999999999\r\n'),
  digits.map((d) => `*${d}\r\n`),
  digits.map((d) => `$${d}\r\n`),
  fc.string({ maxLength: 12 }),
  fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 4 }).map((args) => encodeCommand(args).toString('latin1')),
  fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 3 }).map((args) => args.join(' ') + '\r\n'),
);
const hostile = fc.array(fragment, { maxLength: 30 }).map((parts) => Buffer.from(parts.join(''), 'latin1'));

test('random bytes: the decoder never throws and agrees with itself however the input is split', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const buf = Buffer.from(bytes);
      const whole = decode([buf]);
      for (let i = 1; i < buf.length; i++) assert.equal(decode([buf.subarray(0, i), buf.subarray(i)]), whole, `split at ${i}`);
      assert.equal(decode(Array.from(buf, (b) => Buffer.from([b]))), whole, 'byte by byte');
    }),
    RUNS,
  );
});

test('malformed frames (negative lengths, $-2, non-digits, CR without LF, NUL): whole, byte by byte and split agree', () => {
  fc.assert(
    fc.property(hostile, fc.array(fc.nat(), { maxLength: 6 }), (buf, cuts) => {
      const whole = decode([buf]);
      assert.equal(decode(Array.from(buf, (b) => Buffer.from([b]))), whole, 'byte by byte');
      assert.equal(decode(splitAt(buf, cuts)), whole, `cuts ${cuts}`);
      for (let i = 1; i < Math.min(buf.length, 200); i++) assert.equal(decode([buf.subarray(0, i), buf.subarray(i)]), whole, `split at ${i}`);
      // errors are Redis's protocol errors, nothing else
      if (whole.error !== null) {
        assert.match(whole.error, /^(invalid multibulk length|invalid bulk length|expected '\$', got '[\s\S]'|unbalanced quotes in request|too big (inline request|mbulk count string|bulk count string))$/);
      }
    }),
    RUNS,
  );
});

test('the same malformed frames as an unauthenticated client: only Redis\'s unauthenticated limits are added', () => {
  fc.assert(
    fc.property(hostile, (buf) => {
      const whole = decode([buf], DEFAULT_LIMITS, false);
      assert.equal(decode(Array.from(buf, (b) => Buffer.from([b])), DEFAULT_LIMITS, false), whole);
      if (whole.error !== null) assert.not.match(whole.error, /^$/);
    }),
    { numRuns: 150 },
  );
});

test('well-formed commands with binary arguments round-trip exactly under any split', () => {
  const arg = fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('latin1'));
  fc.assert(
    fc.property(fc.array(fc.array(arg, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 8 }), (commands, cuts) => {
      const buf = Buffer.concat(commands.map((c) => encodeCommand(c)));
      const out = decode(splitAt(buf, cuts));
      assert.equal(out, { commands, error: null, overLimit: false });
    }),
    RUNS,
  );
});

test('truncated frames never produce a command that was not sent whole', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }), fc.nat(), (commands, cut) => {
      const buf = Buffer.concat(commands.map((c) => encodeCommand(c)));
      const truncated = buf.subarray(0, cut % buf.length);
      const out = decode([truncated]);
      assert.is(out.error, null);
      // a prefix of the commands, the one cut short not among them
      assert.equal(out.commands, commands.slice(0, out.commands.length));
      assert.ok(out.commands.length < commands.length);
    }),
    RUNS,
  );
});

test('huge declared lengths with no data reserve at most 1 MB, and count toward nothing until bytes arrive', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1024 * 1024, max: 536870888 }), fc.integer({ min: 0, max: 5000 }), (len, sent) => {
      const d = new RequestDecoder();
      d.feed(Buffer.from(`*2\r\n$3\r\nSET\r\n$${len}\r\n` + 'x'.repeat(sent), 'latin1'));
      assert.is(d.next(), null);
      assert.is(d.protocolError, null);
      assert.ok(d.freeBytes + d.bufferedBytes <= 1024 * 1024 + sent + 2, `reserved ${d.freeBytes} for ${len}`);
    }),
    { numRuns: 100 },
  );
});

test('deep and empty multibulk: counts up to INT_MAX wait for their arguments, empty ones run nothing', () => {
  for (const count of [0, -1, -5]) assert.equal(decode([Buffer.from(`*${count}\r\n*1\r\n$4\r\nPING\r\n`)]).commands, [['PING']]);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2147483647 }), fc.integer({ min: 0, max: 50 }), (count, given) => {
      const parts = [`*${count}\r\n`];
      for (let i = 0; i < Math.min(given, count - 1); i++) parts.push('$0\r\n\r\n');
      const out = decode([Buffer.from(parts.join(''))]);
      assert.equal(out, { commands: [], error: null, overLimit: false });
    }),
    { numRuns: 100 },
  );
  assert.is(decode([Buffer.from('*2147483648\r\n')]).error, 'invalid multibulk length');
});

test('inline lines near 64 KB: run below the limit, "too big inline request" past it, never an exception', () => {
  fc.assert(
    fc.property(fc.integer({ min: INLINE_MAX - 64, max: INLINE_MAX + 64 }), fc.boolean(), fc.boolean(), (size, withNewline, withNul) => {
      const body = Buffer.alloc(size, 'a');
      body.write('ECHO ', 0, 'latin1');
      if (withNul) body[size >> 1] = 0;
      const input = withNewline ? Buffer.concat([body, Buffer.from('\n')]) : body;
      const out = decode([input]);
      // a line Redis cannot end (no newline, or a NUL before it: strchr stops there) is too big
      // once the whole buffer, newline included, exceeds the limit
      const tooBig = !(withNewline && !withNul) && input.length > INLINE_MAX;
      if (tooBig) assert.is(out.error, 'too big inline request');
      else assert.is(out.error, null);
      if (withNewline && !withNul) assert.is(out.commands.length, 1);
      else assert.is(out.commands.length, 0);
    }),
    { numRuns: 120 },
  );
});

test('header lines near 64 KB: too big mbulk/bulk count string past the limit', () => {
  for (const [prefix, error] of [['*', 'too big mbulk count string'], ['*1\r\n$', 'too big bulk count string']] as const) {
    assert.is(decode([Buffer.from(prefix + '1'.repeat(INLINE_MAX - prefix.length))]).error, null);
    assert.is(decode([Buffer.from(prefix + '1'.repeat(INLINE_MAX + 10))]).error, error);
  }
});

test.run();
