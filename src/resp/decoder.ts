/*
 * The request decoder: RESP multibulk (`*N\r\n$len\r\n…`) and inline commands, resumable across
 * any split of the input. Arguments come out as latin1 strings (one char per byte), which makes
 * them binary-safe and usable directly as Map keys.
 *
 * Resumability without rescanning:
 *  - a partial header line (`*3\r`, `$12`) or a partial inline line is kept as a small leftover
 *    (bounded by INLINE_MAX) and joined with the next chunk;
 *  - a bulk string that does not fit the current chunk is collected once into a buffer of its
 *    exact size (past 1 MB, one grown by doubling as its bytes arrive); later chunks are copied
 *    into it, never re-concatenated or re-scanned.
 * Arguments already decoded for a multibulk command are kept between chunks.
 */
import { constants as bufferConstants } from 'node:buffer';
import { ProtocolErr } from './errors.js';
import { latin1 } from './short-strings.js';
import { splitArgs } from './quoting.js';

export const INLINE_MAX = 64 * 1024; // PROTO_INLINE_MAX_SIZE
/** What peekRange recognised (0: nothing); RANGE_GET and RANGE_SET are also their argument counts. */
export const RANGE_GET = 2;
export const RANGE_SET = 3;
export const RANGE_INCR = 4;
export const RANGE_DECR = 5;
export const MULTIBULK_MAX = 2147483647; // INT_MAX: Redis 7 refuses a larger `*` count (6.x refused > 1024*1024)
export const UNAUTH_MULTIBULK_MAX = 10;
export const UNAUTH_BULK_MAX = 16384;

export interface DecoderLimits {
  /** proto-max-bulk-len */
  maxBulkLen: number;
  /** client-query-buffer-limit: bytes of one command's arguments held at once */
  queryBufferLimit: number;
}

export const DEFAULT_LIMITS: DecoderLimits = {
  maxBulkLen: 512 * 1024 * 1024,
  queryBufferLimit: 1024 * 1024 * 1024,
};

/** V8 cannot hold a string longer than this (2^29-24 on 64-bit), a few bytes under 512 MB. */
const MAX_STRING = bufferConstants.MAX_STRING_LENGTH;
const CR = 13;
const INCOMPLETE = -Infinity; // no header number parses to this: no CR yet (or a NUL first)
const WAIT_LF = Infinity; // the CR has come, its LF not yet
const LF = 10;
const EMPTY = Buffer.alloc(0);
/** command names the decoder hands out again (a power of two) */
const NAME_CACHE = 4;
/** a bulk up to this size is collected in a buffer of its exact size from its first byte */
const BIG_PREALLOC = 1024 * 1024;

export class RequestDecoder {
  /** Set when the input is not valid RESP; the connection replies with it and closes. */
  protocolError: string | null = null;
  /** Set when a command outgrew client-query-buffer-limit; the connection closes without a reply. */
  overLimit = false;
  /** Cleared when the client must authenticate first: Redis then applies tighter limits. */
  authenticated = true;

  private buf: Buffer = EMPTY;
  private pos = 0;
  private args: string[] | null = null; // multibulk command in progress
  private argIndex = 0;
  private bulkLen = -1; // length of the bulk being read, -1 when a `$` header is expected
  private pendingBytes = 0; // bytes of args collected for the current command
  private big: Buffer | null = null; // a bulk being collected across chunks
  private bigFilled = 0;

  constructor(private readonly limits: DecoderLimits = DEFAULT_LIMITS) {}

  /** Adds input. Call `next()` until it returns null after each feed. */
  feed(chunk: Buffer): void {
    if (this.big !== null) {
      const need = this.bulkLen + 2 - this.bigFilled;
      this.growBig(this.bigFilled + Math.min(chunk.length, need));
      if (chunk.length < need) {
        chunk.copy(this.big, this.bigFilled);
        this.bigFilled += chunk.length;
        return;
      }
      chunk.copy(this.big, this.bigFilled, 0, need);
      this.pushArg(this.big.latin1Slice(0, this.bulkLen));
      this.big = null;
      this.bigFilled = 0;
      chunk = chunk.subarray(need);
    }
    if (this.pos < this.buf.length) {
      // a partial header or inline line is left over: at most INLINE_MAX bytes
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
      this.bufIsChunk = false;
    } else {
      this.buf = chunk;
      this.bufIsChunk = true;
    }
    this.pos = 0;
  }

  /**
   * Makes room for `bytes` of the bulk being collected. The buffer is allocated at the bulk's
   * exact size up to BIG_PREALLOC; a larger one grows by doubling as its bytes arrive, so a
   * declared length with no data behind it (`$500000000`) reserves nothing much.
   */
  private growBig(bytes: number): void {
    const big = this.big!;
    if (bytes <= big.length) return;
    const grown = Buffer.allocUnsafe(Math.min(this.bulkLen + 2, Math.max(bytes, big.length * 2)));
    big.copy(grown, 0, 0, this.bigFilled);
    this.big = grown;
  }

  /** whether `buf` is (part of) the caller's chunk rather than a copy of our own */
  private bufIsChunk = false;

  /**
   * Lets go of the caller's chunk, for a caller that reuses the buffer it fed: the unread input
   * (a partial command, or commands left for later under back-pressure) is copied if it still
   * lives in that buffer, and only then.
   */
  detachInput(): void {
    if (this.pos >= this.buf.length) this.buf = EMPTY;
    else if (this.bufIsChunk) this.buf = Buffer.from(this.buf.subarray(this.pos));
    else this.buf = this.buf.subarray(this.pos);
    this.bufIsChunk = false;
    this.pos = 0;
  }

  /** The next complete command, or null when more input is needed (or an error was set). */
  next(): string[] | null {
    if (this.protocolError !== null || this.overLimit || this.big !== null) return null;
    for (;;) {
      if (this.args === null) {
        if (this.pos >= this.buf.length) return null;
        if (this.buf[this.pos] === 42 /* '*' */) {
          if (!this.readMultibulkHeader()) return null;
          if (this.args === null) continue; // `*0` or `*-1`: nothing to run
        } else {
          const inline = this.readInline();
          if (inline === null) return null;
          if (inline.length === 0) continue;
          return inline;
        }
      }
      if (!this.readBulks()) return null;
      const done = this.args;
      this.args = null;
      this.pendingBytes = 0;
      return done;
    }
  }

  /*
   * Byte ranges for the hottest commands (core/dispatch.ts runRange): `peekRange` recognises a
   * complete `*2 $3 GET $n <key>`, `*3 $3 SET $n <key> $m <value>`, `*2 $4 INCR $n <key>` or
   * `*2 $4 DECR $n <key>` (the name in any case) at the current position, sets the ranges below
   * and returns which it is (RANGE_GET…), without consuming anything; `skipRange` then consumes
   * it. The ranges index `rangeBuffer`, valid
   * until the next `feed` or `detachInput`. Anything else — another shape, a command split over
   * reads, a header Redis would read differently (leading zeros, a sign), a length over the
   * limits, a client that has not authenticated — returns 0, and `next()` decodes it as usual.
   */
  commandStart = 0;
  keyStart = 0;
  keyEnd = 0;
  valueStart = 0;
  valueEnd = 0;
  private rangeEnd = 0;

  get rangeBuffer(): Buffer {
    return this.buf;
  }

  /** RANGE_GET, RANGE_SET, RANGE_INCR, RANGE_DECR or 0; see above. */
  peekRange(): number {
    if (this.args !== null || this.big !== null || this.protocolError !== null || this.overLimit || !this.authenticated) return 0;
    const buf = this.buf;
    const size = buf.length;
    const p = this.pos;
    // `*2\r\n$3\r\nGET\r\n` is 13 bytes, then at least `$0\r\n\r\n`
    if (size - p < 19 || buf[p] !== 42 || buf[p + 2] !== CR || buf[p + 3] !== LF) return 0;
    const argc = buf[p + 1]! - 48;
    if (argc !== 2 && argc !== 3) return 0;
    if (buf[p + 4] !== 36 || buf[p + 6] !== CR || buf[p + 7] !== LF) return 0;
    const nameLen = buf[p + 5]! - 48;
    let kind: number;
    if (nameLen === 3) {
      if (buf[p + 11] !== CR || buf[p + 12] !== LF) return 0;
      const c0 = buf[p + 8]! | 0x20;
      if (c0 !== (argc === 2 ? 103 /* g */ : 115 /* s */) || (buf[p + 9]! | 0x20) !== 101 /* e */ || (buf[p + 10]! | 0x20) !== 116 /* t */) return 0;
      kind = argc === 2 ? RANGE_GET : RANGE_SET;
    } else if (nameLen === 4 && argc === 2) {
      if (buf[p + 12] !== CR || buf[p + 13] !== LF) return 0;
      const c0 = buf[p + 8]! | 0x20;
      const c1 = buf[p + 9]! | 0x20;
      if ((buf[p + 10]! | 0x20) !== 99 /* c */ || (buf[p + 11]! | 0x20) !== 114 /* r */) return 0;
      if (c0 === 105 /* i */ && c1 === 110 /* n */) kind = RANGE_INCR;
      else if (c0 === 100 /* d */ && c1 === 101 /* e */) kind = RANGE_DECR;
      else return 0;
    } else {
      return 0;
    }
    let at = this.rangeBulk(buf, p + 10 + nameLen);
    if (at < 0) return 0;
    const keyStart = this.valueStart;
    const keyEnd = this.valueEnd;
    let held = nameLen + keyEnd - keyStart;
    if (argc === 3) {
      at = this.rangeBulk(buf, at);
      if (at < 0) return 0;
      held += this.valueEnd - this.valueStart;
    }
    // client-query-buffer-limit, as next() counts it: the command's argument bytes
    if (held > this.limits.queryBufferLimit) return 0;
    this.commandStart = p;
    this.keyStart = keyStart;
    this.keyEnd = keyEnd;
    this.rangeEnd = at;
    return kind;
  }

  /** Consumes the command `peekRange` recognised. */
  skipRange(): void {
    this.pos = this.rangeEnd;
  }

  /**
   * Reads a complete `$n\r\n<n bytes>\r\n` at `at` into valueStart/valueEnd and returns the
   * position after it, or -1: incomplete, or a header other than plain digits (no leading zero)
   * within proto-max-bulk-len. Like next(), the two bytes after the payload are not checked.
   */
  private rangeBulk(buf: Buffer, at: number): number {
    const size = buf.length;
    if (at + 4 > size || buf[at] !== 36) return -1;
    let i = at + 1;
    let c = buf[i]!;
    let n = c - 48;
    if (n < 0 || n > 9) return -1;
    i++;
    if (n !== 0) {
      for (; i < size && i - at < 11; i++) {
        c = buf[i]!;
        if (c < 48 || c > 57) break;
        n = n * 10 + c - 48;
      }
    }
    if (i + 1 >= size || buf[i] !== CR || buf[i + 1] !== LF) return -1;
    if (n > this.limits.maxBulkLen) return -1;
    const start = i + 2;
    const end = start + n;
    if (end + 2 > size) return -1;
    this.valueStart = start;
    this.valueEnd = end;
    return end + 2;
  }

  /** Bytes held for a command not yet complete (for CLIENT LIST qbuf). */
  get bufferedBytes(): number {
    return this.buf.length - this.pos + this.bigFilled;
  }

  /** Room left in the buffer collecting a large bulk (CLIENT LIST qbuf-free). */
  get freeBytes(): number {
    return this.big === null ? 0 : this.big.length - this.bigFilled;
  }

  /** Bytes of the arguments of the incomplete command decoded so far (CLIENT LIST argv-mem). */
  get partialArgBytes(): number {
    return this.pendingBytes;
  }

  private fail(message: string): false {
    this.protocolError = message;
    return false;
  }

  /** Reads `*N\r\n`. Returns false when more input is needed or on error. */
  private readMultibulkHeader(): boolean {
    const n = this.readHeaderNumber(this.pos);
    if (n === INCOMPLETE) {
      if (this.buf.length - this.pos > INLINE_MAX) return this.fail(ProtocolErr.BIG_MBULK_COUNT);
      return false;
    }
    if (n === WAIT_LF) return false;
    if (Number.isNaN(n) || n > MULTIBULK_MAX) return this.fail(ProtocolErr.INVALID_MULTIBULK);
    if (n > UNAUTH_MULTIBULK_MAX && !this.authenticated) return this.fail(ProtocolErr.UNAUTH_MULTIBULK);
    this.pos = this.headerEnd + 2;
    if (n > 0) {
      // Preallocating huge arrays from an untrusted count is a memory attack; grow past 1024.
      this.args = n <= 1024 ? new Array<string>(n) : [];
      this.argIndex = 0;
      this.argTotal = n;
      this.bulkLen = -1;
    }
    return true;
  }

  /** index of the CR ending the header line just read by readHeaderNumber */
  private headerEnd = 0;

  /**
   * Parses the number of a `*N\r\n` or `$N\r\n` header at `at` as Redis's string2ll would
   * parse the text between the type byte and the first CR (NaN if that text is not an integer).
   * Returns INCOMPLETE while no CR has arrived, and WAIT_LF when the CR is the last byte held.
   * Redis finds the CR with strchr, which stops at a NUL byte: a NUL before the CR means "no CR"
   * to it (the line then waits until it is too big), and so it does here.
   * Scans in JS: headers are a few bytes long and a native indexOf call costs more than the scan.
   */
  private readHeaderNumber(at: number): number {
    const buf = this.buf;
    const len = buf.length;
    const start = at + 1;
    let i = start;
    // the usual header: a digit 1-9, up to 14 more digits, CR
    let c = i < len ? buf[i]! : 0;
    if (c >= 49 && c <= 57) {
      let n = c - 48;
      for (i++; i < len && i - start < 15; i++) {
        c = buf[i]!;
        if (c < 48 || c > 57) break;
        n = n * 10 + c - 48;
      }
      if (c === CR && i + 1 < len) {
        this.headerEnd = i;
        return n;
      }
      i = start; // anything else takes the full path below
    }
    let n = 0;
    let valid = true;
    let neg = false;
    for (; i < len; i++) {
      c = buf[i]!;
      if (c === CR) break;
      if (c === 0) return INCOMPLETE;
      const d = c - 48;
      if (d >= 0 && d <= 9) {
        if (d === 0 && n === 0 && i + 1 < len && buf[i + 1] !== CR) valid = false; // leading zero
        n = n * 10 + d;
      } else if (c === 45 /* '-' */ && i === start) {
        neg = true;
      } else {
        valid = false;
      }
    }
    if (i >= len) return INCOMPLETE;
    if (i + 1 >= len) return WAIT_LF;
    this.headerEnd = i;
    const digits = i - start - (neg ? 1 : 0);
    if (!valid || digits === 0 || digits > 19 || (neg && n === 0)) return NaN;
    return neg ? -n : n;
  }

  private argTotal = 0;

  private pushArg(arg: string): void {
    this.args![this.argIndex++] = arg;
    this.bulkLen = -1;
  }

  /**
   * Reads `$len\r\n<bytes>\r\n` until the command is complete. The position and the current
   * bulk length live in locals while the loop runs (this is the innermost loop of the server)
   * and are stored back whenever it stops.
   */
  private readBulks(): boolean {
    const buf = this.buf;
    const size = buf.length;
    const args = this.args!;
    const total = this.argTotal;
    let pos = this.pos;
    let index = this.argIndex;
    let bulkLen = this.bulkLen;
    let done = true;
    while (index < total) {
      if (bulkLen < 0) {
        if (pos >= size) {
          done = false;
          break;
        }
        // as Redis, the `$` is checked once the header line is complete; Redis's search for
        // that line's CR starts at the type byte itself (a CR there ends it, a NUL hides it)
        const type = buf[pos]!;
        const len = type === CR ? (pos + 2 <= size ? NaN : WAIT_LF) : type === 0 ? INCOMPLETE : this.readHeaderNumber(pos);
        if (len === INCOMPLETE || len === WAIT_LF) {
          if (len === INCOMPLETE && size - pos > INLINE_MAX) return this.fail(ProtocolErr.BIG_BULK_COUNT);
          done = false;
          break;
        }
        if (type !== 36 /* '$' */) {
          this.pos = pos;
          return this.fail(ProtocolErr.EXPECTED_DOLLAR(String.fromCharCode(type)));
        }
        if (Number.isNaN(len) || len < 0 || len > this.limits.maxBulkLen || len > MAX_STRING) {
          return this.fail(ProtocolErr.INVALID_BULK);
        }
        if (len > UNAUTH_BULK_MAX && !this.authenticated) return this.fail(ProtocolErr.UNAUTH_BULK);
        this.pendingBytes += len;
        if (this.pendingBytes > this.limits.queryBufferLimit) {
          this.overLimit = true;
          done = false;
          break;
        }
        bulkLen = len;
        pos = this.headerEnd + 2;
      }
      const end = pos + bulkLen;
      if (end + 2 > size) {
        // Collect this bulk once, in a buffer of its exact size (payload + CRLF).
        this.big = Buffer.allocUnsafe(Math.min(bulkLen + 2, Math.max(BIG_PREALLOC, size - pos)));
        this.bigFilled = buf.copy(this.big, 0, pos);
        pos = size;
        done = false;
        break;
      }
      args[index] = index === 0 ? this.commandName(buf, pos, end) : latin1(buf, pos, end);
      index++;
      bulkLen = -1;
      pos = end + 2; // like Redis, the two bytes after the payload are skipped unchecked
    }
    this.pos = pos;
    this.argIndex = index;
    this.bulkLen = bulkLen;
    return done;
  }

  /**
   * The command name between `start` and `end`. Pipelines repeat a few commands (one, or MULTI,
   * INCR…, EXEC), so the last NAME_CACHE names are kept and handed out again when the bytes
   * match, the newest checked first: no new string per command, the command table's lookup
   * compares one object with itself or finds the string's hash already computed.
   */
  private readonly names: string[] = ['', '', '', ''];
  private nextName = 0;

  private commandName(buf: Buffer, start: number, end: number): string {
    const n = end - start;
    if (n <= 32) {
      const names = this.names;
      for (let k = 0, j = this.nextName; k < NAME_CACHE; k++) {
        j = (j + NAME_CACHE - 1) & (NAME_CACHE - 1);
        const cached = names[j]!;
        if (cached.length !== n) continue;
        let i = 0;
        while (i < n && buf[start + i] === cached.charCodeAt(i)) i++;
        if (i === n) return cached;
      }
    }
    const name = latin1(buf, start, end);
    if (n <= 32) {
      this.names[this.nextName] = name;
      this.nextName = (this.nextName + 1) & (NAME_CACHE - 1);
    }
    return name;
  }

  /**
   * Splits an inline line without quotes on whitespace (the common case: `PING`, `GET k`).
   * Returns null when the line has a quote, for splitArgs to handle.
   */
  private splitPlainInline(buf: Buffer, start: number, end: number): string[] | null {
    const args: string[] = [];
    let i = start;
    while (i < end) {
      let c = buf[i]!;
      if (c === 32 || (c >= 9 && c <= 13)) {
        i++;
        continue;
      }
      const from = i;
      while (i < end) {
        c = buf[i]!;
        if (c === 34 || c === 39) return null; // a quote: sdssplitargs rules apply
        if (c === 32 || (c >= 9 && c <= 13)) break;
        i++;
      }
      args.push(args.length === 0 ? this.commandName(buf, from, i) : latin1(buf, from, i));
    }
    return args;
  }

  /** Reads one inline line. Returns its arguments, or null when more input is needed or on error. */
  private readInline(): string[] | null {
    const buf = this.buf;
    // Redis looks for the LF with strchr, which stops at a NUL: a line holding a NUL never ends
    // (it waits, then is too big). Short lines are scanned here (cheaper than a native call).
    const len = buf.length;
    let nl = -1;
    let i = this.pos;
    const scanEnd = Math.min(len, i + 256);
    for (; i < scanEnd; i++) {
      const c = buf[i]!;
      if (c === LF) {
        nl = i;
        break;
      }
      if (c === 0) break;
    }
    if (i === scanEnd && scanEnd < len) {
      nl = buf.indexOf(LF, i);
      if (nl >= 0) {
        const nul = buf.indexOf(0, i);
        if (nul >= 0 && nul < nl) nl = -1;
      }
    }
    if (nl < 0) {
      if (buf.length - this.pos > INLINE_MAX) this.fail(ProtocolErr.BIG_INLINE);
      return null;
    }
    let end = nl;
    if (end > this.pos && buf[end - 1] === CR) end--;
    const start = this.pos;
    this.pos = nl + 1;
    const plain = this.splitPlainInline(buf, start, end);
    if (plain !== null) return plain;
    const args = splitArgs(buf.latin1Slice(start, end));
    if (args === null) {
      this.fail(ProtocolErr.UNBALANCED_QUOTES);
      return null;
    }
    return args;
  }
}
