/*
 * LZF, the compression of Redis's RDB strings (and so of DUMP payloads), written from the format
 * of Marc Lehmann's liblzf 3.6 and the settings Redis builds it with (a 2^16-slot hash of 3-byte
 * sequences, the "very fast" variant). The compressor must make the same choices as Redis's, byte
 * for byte, because DUMP's output is compared with Redis's and because whether a string is stored
 * compressed at all depends on the compressed size fitting the room Redis gives it.
 *
 * Format: a run of literals is a control byte L (0–31: L+1 literal bytes follow); a back
 * reference is a control byte with length-2 in its top 3 bits (7: an extra length byte follows)
 * and the offset's high 5 bits, then the offset's low byte; offset+1 bytes back.
 */

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

/** liblzf's IDX for VERY_FAST with HLOG 16, in 32-bit unsigned arithmetic. */
function idx(h: number): number {
  return ((h >>> (3 * 8 - HLOG)) - Math.imul(h, 5)) & (HSIZE - 1);
}

/** the compressor's hash table, shared by every call (see the base in lzfCompress) */
const htab = new Int32Array(HSIZE);
let htabBase = 0;

/**
 * Compresses `input` into at most `outLen` bytes, or returns null when it does not fit (as
 * lzf_compress returning 0). Redis offers `outLen = input.length - 4`.
 */
export function lzfCompress(input: Uint8Array, outLen: number): Uint8Array | null {
  const inLen = input.length;
  if (inLen === 0 || outLen <= 0) return null;
  // slot values: base + position + 1 of the last sequence seen, where a value not above this
  // call's base is empty (Redis's table is stack garbage, which in practice never points at a
  // matching earlier sequence of the same input). One table serves every call: the base moves
  // past each input instead of the 256 KB table being cleared per call (an RDB file compresses
  // every string and listpack over 20 bytes).
  if (htabBase > 0x7ffffff0 - inLen) {
    htab.fill(0);
    htabBase = 0;
  }
  const base = htabBase;
  htabBase += inLen + 1;
  const out = new Uint8Array(outLen + 8);
  const inEnd = inLen;
  const outEnd = outLen;
  let ip = 0;
  let op = 1; // start run
  let lit = 0;
  let hval = (input[0]! << 8) | (inLen > 1 ? input[1]! : 0);
  while (ip < inEnd - 2) {
    hval = ((hval << 8) | input[ip + 2]!) >>> 0;
    const slot = idx(hval);
    const seen = htab[slot]!;
    const ref = seen > base ? seen - base - 1 : -1;
    htab[slot] = base + ip + 1;
    let off = 0;
    if (
      ref >= 0 &&
      (off = ip - ref - 1) < MAX_OFF &&
      off >= 0 &&
      ref > 0 &&
      input[ref + 2] === input[ip + 2] &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1]
    ) {
      let len = 2;
      let maxlen = inEnd - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;
      if (op + 3 + 1 >= outEnd && op - (lit === 0 ? 1 : 0) + 3 + 1 >= outEnd) return null;
      out[op - lit - 1] = lit - 1; // stop run
      if (lit === 0) op--; // undo run if length is zero
      let broke = false;
      if (maxlen > 16) {
        for (let k = 0; k < 16; k++) {
          len++;
          if (input[ref + len] !== input[ip + len]) {
            broke = true;
            break;
          }
        }
      }
      if (!broke) {
        do len++;
        while (len < maxlen && input[ref + len] === input[ip + len]);
      }
      len -= 2; // len is now #octets - 1
      ip++;
      if (len < 7) out[op++] = (off >>> 8) + (len << 5);
      else {
        out[op++] = (off >>> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // start run
      ip += len + 1;
      if (ip >= inEnd - 2) break;
      // VERY_FAST: hash the two positions before the new one
      ip -= 2;
      hval = ((input[ip]! << 8) | input[ip + 1]!) >>> 0;
      hval = ((hval << 8) | input[ip + 2]!) >>> 0;
      htab[idx(hval)] = base + ip + 1;
      ip++;
      hval = ((hval << 8) | input[ip + 2]!) >>> 0;
      htab[idx(hval)] = base + ip + 1;
      ip++;
    } else {
      if (op >= outEnd) return null;
      lit++;
      out[op++] = input[ip++]!;
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outEnd) return null;
  while (ip < inEnd) {
    lit++;
    out[op++] = input[ip++]!;
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1; // end run
  if (lit === 0) op--;
  return out.subarray(0, op);
}

/** Decompresses LZF data that must expand to exactly `outLen` bytes; null when it is malformed. */
export function lzfDecompress(input: Uint8Array, outLen: number): Uint8Array | null {
  // a 2-byte reference expands to at most 264 bytes: a larger claim is malformed (and must not
  // allocate what a hostile payload announces)
  if (outLen > input.length * 132 + 32) return null;
  const out = new Uint8Array(outLen);
  let ip = 0;
  let op = 0;
  while (ip < input.length) {
    let ctrl = input[ip++]!;
    if (ctrl < 32) {
      ctrl++;
      if (op + ctrl > outLen || ip + ctrl > input.length) return null;
      out.set(input.subarray(ip, ip + ctrl), op);
      op += ctrl;
      ip += ctrl;
    } else {
      let len = ctrl >>> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= input.length) return null;
      if (len === 7) {
        len += input[ip++]!;
        if (ip >= input.length) return null;
      }
      ref -= input[ip++]!;
      len += 2;
      if (op + len > outLen || ref < 0) return null;
      for (let k = 0; k < len; k++) out[op++] = out[ref++]!; // overlapping copies repeat bytes
    }
  }
  return op === outLen ? out : null;
}
