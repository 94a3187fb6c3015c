/*
 * Short latin1 strings built in JavaScript instead of through Buffer#latin1Slice.
 *
 * latin1Slice is a call into C++ that costs about 55 ns whatever the length (a context switch into
 * the embedder, argument checks, a handle); String.fromCharCode with the bytes as arguments is a
 * V8 builtin that costs 13 ns for 3 bytes and 25 ns for 16. Most keys and many values are that
 * short, and the decoder makes one string per argument, so this is on the innermost path.
 * Measured: 57 ns against 91 ns per string over lengths 1..32 mixed (so with the call below
 * megamorphic), and -76 ns per pipelined SET of a 16-byte key and a 3-byte value.
 *
 * BUILDERS[n](buf, at) returns the n bytes at `at` as a latin1 string: one generated function per
 * length, `String.fromCharCode(buf[at], buf[at+1], …, buf[at+n-1])`. Past SHORT_MAX bytes the
 * builtin's per-byte cost overtakes latin1Slice's fixed one.
 */
export const SHORT_MAX = 32;

type Builder = (buf: Uint8Array, at: number) => string;

function builder(n: number): Builder {
  const bytes: string[] = [];
  for (let i = 0; i < n; i++) bytes.push(`buf[at + ${i}]`);
  return new Function('buf', 'at', `return String.fromCharCode(${bytes.join(', ')});`) as Builder;
}

/** Empty when code generation from strings is turned off (node --disallow-code-generation-from-strings). */
function builders(): Builder[] {
  const out: Builder[] = [];
  try {
    for (let n = 0; n <= SHORT_MAX; n++) out.push(builder(n));
  } catch {
    return [];
  }
  return out;
}

const BUILDERS = builders();

/** The bytes [start, end) of `buf` as a latin1 string (one char per byte). */
export function latin1(buf: Buffer, start: number, end: number): string {
  const n = end - start;
  return n < BUILDERS.length ? BUILDERS[n]!(buf, start) : buf.latin1Slice(start, end);
}
