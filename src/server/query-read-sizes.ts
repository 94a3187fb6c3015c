/*
 * The sizes of Redis's reads of a client's query buffer, so that the limits Redis checks after
 * each read (an inline line or a header longer than PROTO_INLINE_MAX_SIZE with no end in sight)
 * trip at the same byte as in Redis 7.0.
 *
 * Redis does not see a request as it was written: it reads 16 KB first, then whatever room its
 * query buffer has (an sds string grown greedily, its size rounded up to jemalloc's size classes),
 * and checks the limits after each read. So an inline line of 81,910 bytes written at once is run
 * (16,384 + 65,526 bytes read, the newline within them) and one of 81,911 is "too big". Node reads
 * 64 KB at a time instead; the connection cuts each of its reads into the reads Redis would have
 * made and feeds the decoder those, which puts the checks where Redis puts them. A Node read that
 * filled its whole buffer is taken to have more bytes right behind it (one Redis read may then
 * span two of them). Model only: nothing is allocated.
 */

/** PROTO_IOBUF_LEN */
const IOBUF_LEN = 16 * 1024;
/** SDS_MAX_PREALLOC */
const SDS_MAX_PREALLOC = 1024 * 1024;

/** jemalloc's size class for `n` bytes (four classes per power of two). */
function jemallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 16) return 16;
  const step = 2 ** (Math.floor(Math.log2(n - 1)) - 2);
  return Math.ceil(n / step) * step;
}

/** sds header bytes for a string of `n` bytes (sdsReqType; type 5 is promoted to 8 on growth) */
function sdsHeader(n: number): number {
  return n < 1 << 8 ? 3 : n < 1 << 16 ? 5 : n < 2 ** 32 ? 9 : 17;
}

/** the usable size an sds allocation for `want` bytes gets: sdsalloc after the allocation */
function sdsAllocFor(want: number): number {
  const hdr = sdsHeader(want);
  const usable = jemallocSize(hdr + want + 1) - hdr - 1;
  return hdr === 5 ? Math.min(usable, 65535) : usable;
}

export class QueryReadSizes {
  /** sdsalloc of the modelled query buffer */
  private alloc = 0;
  /** sdslen: bytes read and not yet consumed */
  private len = 0;
  /** bytes still due to a read that a full Node read cut short */
  private carry = 0;

  /**
   * The length of the next Redis read within the `available` bytes left of a Node read
   * (`full`: that read filled Node's buffer). Call `consumed` after the piece is decoded.
   */
  next(available: number, full: boolean): number {
    let readlen: number;
    if (this.carry > 0) readlen = this.carry;
    else if (this.alloc < IOBUF_LEN) {
      // sdsMakeRoomForNonGreedy(querybuf, 16 KB): the first read
      if (this.alloc - this.len < IOBUF_LEN) this.alloc = sdsAllocFor(this.len + IOBUF_LEN);
      readlen = IOBUF_LEN;
    } else {
      // sdsMakeRoomFor(querybuf, 16 KB) grows greedily, then Redis reads as much as there is room
      if (this.alloc - this.len < IOBUF_LEN) {
        const want = this.len + IOBUF_LEN;
        this.alloc = sdsAllocFor(want < SDS_MAX_PREALLOC ? want * 2 : want + SDS_MAX_PREALLOC);
      }
      readlen = this.alloc - this.len;
    }
    const piece = Math.min(readlen, available);
    this.carry = piece === available && full ? readlen - piece : 0;
    return piece;
  }

  /** whether the last read was cut short by the end of a full Node read */
  get midRead(): boolean {
    return this.carry > 0;
  }

  /** The read cut short ends where it stopped (no more bytes came behind it). */
  endRead(): void {
    this.carry = 0;
  }

  /** After decoding: `unconsumed` bytes of the query are held (Redis's sdsrange at the end of processInputBuffer). */
  consumed(unconsumed: number): void {
    this.len = unconsumed;
    if (this.len > this.alloc) this.alloc = this.len;
  }
}
