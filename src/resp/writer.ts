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
  double(d: number): void;
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
    if (buf.length > SHRINK_ABOVE) this.buf = Buffer.allocUnsafe(INITIAL);
    return out;
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
    this.buf = next;
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

  /** Constant, preformatted RESP (identical in both protocols). */
  private raw(bytes: Buffer): void {
    const n = bytes.length;
    this.reserve(n);
    const buf = this.buf;
    let at = this.len;
    if (n < 32) {
      for (let i = 0; i < n; i++) buf[at++] = bytes[i]!;
    } else {
      buf.set(bytes, at);
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
    this.header(this.proto === 3 ? '>' : '*', n);
  }

  pairs(n: number): void {
    this.header('*', this.proto === 3 ? n : n * 2);
  }

  pair(): void {
    if (this.proto === 3) this.header('*', 2);
  }

  double(d: number): void {
    const text = formatDouble(d);
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
  for (let i = end - 1; i >= at; i--) {
    buf[i] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
  return end;
}

/** Formats a double as Redis's RESP3 double / RESP2 bulk: shortest round-trip, inf/-inf/nan. */
export function formatDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  return String(d);
}
