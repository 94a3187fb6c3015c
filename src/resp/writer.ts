/*
 * The reply writer. Handlers describe replies through the `Reply` interface; `RespWriter` is the
 * only code that knows RESP2 from RESP3 (maps, sets, pushes, doubles, booleans, big numbers and
 * verbatim strings are downgraded here for RESP2 clients). Replies accumulate in one growable
 * buffer per connection; the connection flushes them with one socket write per batch.
 */

/**
 * What handlers write replies through: protocol-neutral. Handlers never see the protocol version
 * nor bytes; `RespWriter` (RESP2/RESP3) and `CollectingReply` (values, for MULTI, scripts and
 * tests; collecting-reply.ts) implement it, and the binary protocol will.
 */
export interface Reply {
  /** `+OK` */
  ok(): void;
  simple(s: string): void;
  error(message: string): void;
  int(n: number | bigint): void;
  /** A bulk string given as latin1 (one char per byte). */
  bulk(s: string): void;
  bulkBuffer(b: Buffer): void;
  /** A bulk string of the bytes [start, end) of `src` (a value's bytes where they are stored). */
  bulkBytes(src: Buffer, start: number, end: number): void;
  /** The null bulk string: `$-1` in RESP2, `_` in RESP3. */
  nil(): void;
  /** The null array: `*-1` in RESP2, `_` in RESP3. */
  nilArray(): void;
  array(n: number): void;
  map(n: number): void;
  set(n: number): void;
  push(n: number): void;
  /** An array of `n` pairs, each opened by `pair()`: RESP3 nests each pair in an array of two;
   *  RESP2 writes one flat array of 2n (ZRANGE … WITHSCORES, HRANDFIELD … WITHVALUES). */
  pairs(n: number): void;
  pair(): void;
  /** A map of `n` keys each opened by `keyedEntry()`: RESP3 writes a map; RESP2 an array of `n`
   *  arrays of two (XREAD/XREADGROUP: stream key → entries). */
  keyedMap(n: number): void;
  keyedEntry(): void;
  /** A double (RESP3) or its text as a bulk string (RESP2), formatted as `formatDouble`, or as
   *  `text` where Redis formats that reply its own way (GEOPOS: "%.17Lf" trimmed). */
  double(d: number, text?: string): void;
  bool(b: boolean): void;
  bigNumber(digits: string): void;
  verbatim(text: string, format?: string): void;
  /** An array of bulk strings, nil for missing entries. */
  bulks(items: ReadonlyArray<string | null>): void;
  /** How many error replies were written so far: dispatch compares it before and after a handler
   *  (INFO commandstats failed_calls) without any per-command work in the writer. */
  readonly errors: number;
}

const OK = Buffer.from('+OK\r\n');
const CRLF = 0x0a0d;
const INITIAL = 16 * 1024;
const SHRINK_ABOVE = 1024 * 1024;
/** TypedArray#set called through the function itself: `buf.set(…)` left optimised code a generic
 *  LoadIC of `set` per call (~120 instructions, once per delivered PUBLISH message: callgrind) */
const setBytes = Uint8Array.prototype.set;

/** Preformatted `:n\r\n` for small integers, the most frequent integer replies. */
const SMALL_INTS: Buffer[] = [];
for (let i = -1; i <= 1024; i++) SMALL_INTS.push(Buffer.from(`:${i}\r\n`));

export class RespWriter implements Reply {
  proto: 2 | 3 = 2;
  errors = 0;
  /** Told of every error reply (INFO errorstats, total_error_replies); null costs nothing. */
  onError: ((message: string) => void) | null = null;
  private buf: Buffer = Buffer.allocUnsafe(INITIAL);
  private len = 0;

  get pending(): number {
    return this.len;
  }

  /** Bytes the buffer holds (CLIENT LIST rbs), and the most a batch ever left in it (rbp). */
  get capacity(): number {
    return this.buf.length;
  }
  peak = 0;

  /** Hands back everything written since the last take, and empties the writer. */
  take(): Buffer | null {
    const len = this.len;
    if (len === 0) return null;
    if (len > this.peak) this.peak = len;
    const out = Buffer.allocUnsafe(len);
    const buf = this.buf;
    // Buffer#copy validates its arguments in JS on every call; for the usual few-dozen-byte
    // batch a plain loop is cheaper, and TypedArray#set is for the rest
    if (len < 256) {
      for (let i = 0; i < len; i++) out[i] = buf[i]!;
    } else {
      out.set(buf.subarray(0, len));
    }
    this.len = 0;
    if (buf.length > SHRINK_ABOVE) this.replaceBuffer(Buffer.allocUnsafe(INITIAL));
    return out;
  }

  /**
   * As take, but without a copy: a view of the writer's own buffer, which the writer goes on
   * filling after it. For a caller that hands it to a socket: when the socket kept the view (its
   * write did not complete at once) it must call `detach(view)` before anything else is written.
   */
  takeShared(): Buffer | null {
    const len = this.len;
    if (len === 0) return null;
    if (len > this.peak) this.peak = len;
    // a connection's batches often repeat a length (+OK, the same GET reply): the view is kept
    // (a new typed array costs more than the write's own work in JS)
    let out = this.view;
    if (out === null || out.length !== len) out = this.view = this.buf.subarray(0, len);
    this.len = 0;
    if (this.buf.length > SHRINK_ABOVE) this.replaceBuffer(Buffer.allocUnsafe(INITIAL));
    return out;
  }

  /** the last view takeShared made of `buf` (null after `buf` changed) */
  private view: Buffer | null = null;

  private replaceBuffer(next: Buffer): void {
    this.buf = next;
    this.view = null;
  }

  /** The view takeShared returned is still in use: write on into a buffer of the writer's own. */
  detach(view: Buffer): void {
    if (view.buffer === this.buf.buffer) this.replaceBuffer(Buffer.allocUnsafe(INITIAL));
  }

  /** Drops what was written after the first `len` pending bytes (CLIENT REPLY OFF / SKIP). */
  truncate(len: number): void {
    if (len < this.len) this.len = len;
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    next.set(this.buf.subarray(0, this.len));
    this.replaceBuffer(next);
  }

  /** Writes an ASCII/latin1 string with no framing. */
  private ascii(s: string): void {
    const n = s.length;
    this.reserve(n);
    const buf = this.buf;
    let at = this.len;
    if (n < 32) {
      for (let i = 0; i < n; i++) buf[at++] = s.charCodeAt(i);
    } else {
      at += buf.latin1Write(s, at, n);
    }
    this.len = at;
  }

  private crlf(): void {
    this.reserve(2);
    this.buf.writeUInt16LE(CRLF, this.len);
    this.len += 2;
  }

  /** Writes `<prefix><n>\r\n` for a non-negative integer n. */
  private header(prefix: string, n: number): void {
    this.reserve(24);
    const buf = this.buf;
    let at = this.len;
    buf[at++] = prefix.charCodeAt(0);
    at = writeDigits(buf, at, n);
    buf[at++] = 13;
    buf[at++] = 10;
    this.len = at;
  }

  ok(): void {
    this.raw(OK);
  }

  /** Appends bytes already encoded in RESP for this writer's protocol (a PUBLISH message encoded
   *  once for all its subscribers: core/pubsub.ts). */
  preencoded(bytes: Buffer): void {
    this.raw(bytes);
  }

  /** Constant, preformatted RESP (identical in both protocols). */
  private raw(bytes: Buffer): void {
    const n = bytes.length;
    this.reserve(n);
    const buf = this.buf;
    let at = this.len;
    if (n < 32) {
      for (let i = 0; i < n; i++) buf[at++] = bytes[i]!;
    } else {
      setBytes.call(buf, bytes, at);
      at += n;
    }
    this.len = at;
  }

  simple(s: string): void {
    this.ascii('+' + s);
    this.crlf();
  }

  error(message: string): void {
    this.errors++;
    if (this.onError !== null) this.onError(message);
    // Redis replaces newlines in error texts so the reply stays one line.
    this.ascii('-' + message.replace(/[\r\n]/g, ' '));
    this.crlf();
  }

  int(n: number | bigint): void {
    if (typeof n === 'number' && Number.isSafeInteger(n)) {
      if (n >= -1 && n <= 1024) return this.raw(SMALL_INTS[n + 1]!);
      this.reserve(24);
      const buf = this.buf;
      let at = this.len;
      buf[at++] = 58; // ':'
      if (n < 0) {
        buf[at++] = 45; // '-'
        n = -n;
      }
      at = writeDigits(buf, at, n);
      buf[at++] = 13;
      buf[at++] = 10;
      this.len = at;
      return;
    }
    this.ascii(':' + n);
    this.crlf();
  }

  bulk(s: string): void {
    const n = s.length;
    this.reserve(n + 24);
    const buf = this.buf;
    let at = this.len;
    buf[at++] = 36; // '$'
    at = writeDigits(buf, at, n);
    buf[at++] = 13;
    buf[at++] = 10;
    if (n < 32) {
      for (let i = 0; i < n; i++) buf[at++] = s.charCodeAt(i);
    } else {
      at += buf.latin1Write(s, at, n);
    }
    buf[at++] = 13;
    buf[at++] = 10;
    this.len = at;
  }

  /** A bulk string of the bytes [start, end) of `src` (GET from a record's page: no string). */
  bulkBytes(src: Buffer, start: number, end: number): void {
    const n = end - start;
    this.reserve(n + 24);
    const buf = this.buf;
    let at = this.len;
    buf[at++] = 36; // '$'
    at = writeDigits(buf, at, n);
    buf[at++] = 13;
    buf[at++] = 10;
    if (n <= 64) {
      for (let i = start; i < end; i++) buf[at++] = src[i]!;
    } else {
      buf.set(src.subarray(start, end), at);
      at += n;
    }
    buf[at++] = 13;
    buf[at++] = 10;
    this.len = at;
  }

  bulkBuffer(b: Buffer): void {
    this.ascii('$' + b.length);
    this.crlf();
    this.raw(b);
    this.crlf();
  }

  bulks(items: ReadonlyArray<string | null>): void {
    this.array(items.length);
    for (const item of items) {
      if (item === null) this.nil();
      else this.bulk(item);
    }
  }

  nil(): void {
    this.ascii(this.proto === 3 ? '_\r\n' : '$-1\r\n');
  }

  nilArray(): void {
    this.ascii(this.proto === 3 ? '_\r\n' : '*-1\r\n');
  }

  array(n: number): void {
    this.header('*', n);
  }

  map(n: number): void {
    if (this.proto === 3) this.header('%', n);
    else this.header('*', n * 2);
  }

  set(n: number): void {
    this.header(this.proto === 3 ? '~' : '*', n);
  }

  push(n: number): void {
    this.pushes++;
    this.header(this.proto === 3 ? '>' : '*', n);
  }

  /** How many push frames were written (CLIENT REPLY OFF/SKIP keeps a command's pushes). */
  pushes = 0;

  pairs(n: number): void {
    this.header('*', this.proto === 3 ? n : n * 2);
  }

  pair(): void {
    if (this.proto === 3) this.header('*', 2);
  }

  keyedMap(n: number): void {
    this.header(this.proto === 3 ? '%' : '*', n);
  }

  keyedEntry(): void {
    if (this.proto !== 3) this.header('*', 2);
  }

  double(d: number, text = formatDouble(d)): void {
    if (this.proto === 3) {
      this.ascii(',' + text);
      this.crlf();
    } else {
      this.bulk(text);
    }
  }

  bool(b: boolean): void {
    if (this.proto === 3) this.ascii(b ? '#t\r\n' : '#f\r\n');
    else this.raw(SMALL_INTS[b ? 2 : 1]!);
  }

  bigNumber(digits: string): void {
    if (this.proto === 3) {
      this.ascii('(' + digits);
      this.crlf();
    } else {
      this.bulk(digits);
    }
  }

  verbatim(text: string, format = 'txt'): void {
    if (this.proto === 3) {
      this.ascii('=' + (text.length + 4));
      this.crlf();
      this.ascii(format + ':');
      this.ascii(text);
      this.crlf();
    } else {
      this.bulk(text);
    }
  }
}

/** Writes the decimal digits of a non-negative safe integer at `at`; returns the end. */
function writeDigits(buf: Buffer, at: number, n: number): number {
  if (n < 10) {
    buf[at] = 48 + n;
    return at + 1;
  }
  let digits = 2;
  for (let p = 100; p <= n; p *= 10) digits++; // exact: powers of ten up to 1e16 are doubles
  const end = at + digits;
  let i = end - 1;
  // `%` of doubles is a call into C (fmod): the digits come from a quotient and a multiply, in
  // doubles above 2^31 (floor(n / 10) is exact for safe integers), then in int32 arithmetic
  for (; n > 0x7fffffff; i--) {
    const q = Math.floor(n / 10);
    buf[i] = 48 + (n - q * 10);
    n = q;
  }
  let m = n | 0;
  for (; i >= at; i--) {
    const q = (m / 10) | 0;
    buf[i] = 48 + (m - q * 10);
    m = q;
  }
  return end;
}

/**
 * Formats a double as Redis 7.0's addReplyDouble (RESP3 double / RESP2 bulk): printf's "%.17g"
 * (0.1 is "0.10000000000000001", 1e20 "1e+20", 1.5e-7 "1.4999999999999999e-07", -0.0 "-0"),
 * and inf/-inf/nan. (Redis 7.2 switched to the shortest round-trip form; 7.0 is our target.)
 */
export function formatDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  if (Number.isSafeInteger(d) && d > -1e16 && d < 1e16) return String(d);
  // V8 rounds ties away from zero, printf to even: 18 digits ending in 5 may be a tie
  const wide = d.toExponential(17);
  const exp = wide.charCodeAt(wide.indexOf('e') - 1) === 53 ? exactExponential17(d) : d.toExponential(16);
  const at = exp.indexOf('e');
  const e = Number(exp.slice(at + 1));
  if (e < -4 || e >= 17) {
    const mantissa = stripZeros(exp.slice(0, at));
    const digits = String(Math.abs(e));
    return mantissa + (e < 0 ? 'e-' : 'e+') + (digits.length < 2 ? '0' + digits : digits);
  }
  if (exp !== d.toExponential(16)) {
    // the tie case: place the point in the correctly rounded digits
    const neg = exp[0] === '-';
    const digits = exp.slice(neg ? 1 : 0, at).replace('.', '');
    const fixed = e >= 0 ? digits.slice(0, e + 1) + '.' + digits.slice(e + 1) : '0.' + '0'.repeat(-e - 1) + digits;
    return (neg ? '-' : '') + stripZeros(fixed);
  }
  return stripZeros(d.toFixed(16 - e));
}

/** `d.toExponential(16)` rounded half to even on the exact binary value, as glibc's printf. */
function exactExponential17(d: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(d));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = hi >>> 20;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2 = biased === 0 ? -1074 : biased - 1075;
  if (biased !== 0) mant |= 1n << 52n;
  // exact value = digits × 10^-scale
  let digits: bigint;
  let scale: number;
  if (e2 >= 0) {
    digits = mant << BigInt(e2);
    scale = 0;
  } else {
    digits = mant * 5n ** BigInt(-e2);
    scale = -e2;
  }
  let text = digits.toString();
  let decExp = text.length - 1 - scale;
  if (text.length > 17) {
    const keep = BigInt(text.slice(0, 17));
    const restDigits = text.slice(17);
    const half = '5' + '0'.repeat(restDigits.length - 1);
    let r = keep;
    if (restDigits > half || (restDigits === half && (keep & 1n) === 1n)) r++;
    text = r.toString();
    if (text.length > 17) {
      text = text.slice(0, 17);
      decExp++;
    }
  } else {
    text = text.padEnd(17, '0');
  }
  return (d < 0 ? '-' : '') + text[0] + '.' + text.slice(1) + 'e' + (decExp < 0 ? '-' : '+') + Math.abs(decExp);
}

/** "%g"'s removal of trailing zeros after a decimal point, and of a bare point. */
function stripZeros(s: string): string {
  if (!s.includes('.')) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}
