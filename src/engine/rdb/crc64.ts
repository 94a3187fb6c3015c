/*
 * CRC-64/Jones as Redis computes it for RDB files and DUMP payloads: polynomial
 * 0xad93d23594c935a9, reflected, initial value 0, no final xor (check value of "123456789":
 * 0xe9c6d914c4b8d9ca). Table-driven over two 32-bit halves so no BigInt is made per byte.
 */

const POLY_HI = 0x95ac9329; // 0xad93d23594c935a9 bit-reflected = 0x95ac9329ac4bc9b5
const POLY_LO = 0xac4bc9b5;
const TABLE_HI = new Uint32Array(256);
const TABLE_LO = new Uint32Array(256);

for (let n = 0; n < 256; n++) {
  let hi = 0;
  let lo = n;
  for (let k = 0; k < 8; k++) {
    const bit = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi >>>= 1;
    if (bit) {
      hi = (hi ^ POLY_HI) >>> 0;
      lo = (lo ^ POLY_LO) >>> 0;
    }
  }
  TABLE_HI[n] = hi;
  TABLE_LO[n] = lo;
}

/** The CRC of `data` as 8 little-endian bytes (the order DUMP stores it in). */
export function crc64(data: Uint8Array): Uint8Array {
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < data.length; i++) {
    const t = (lo ^ data[i]!) & 0xff;
    lo = ((lo >>> 8) | ((hi & 0xff) << 24)) ^ TABLE_LO[t]!;
    hi = (hi >>> 8) ^ TABLE_HI[t]!;
  }
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, lo >>> 0, true);
  view.setUint32(4, hi >>> 0, true);
  return out;
}
