/*
 * Hash slots as Redis Cluster computes them: CRC16 (XMODEM) of the key, or of the part between
 * the first `{` and the next `}` when that part is not empty, modulo 16384.
 *
 * Written here rather than taken from cluster-key-slot (which the tests use as the reference):
 * our keys are latin1 strings whose chars are bytes, while cluster-key-slot UTF-8-encodes chars
 * >= 0x80 and allocates an array per call; this runs for every key of every command. It takes
 * two bytes per step through a 64K-entry table (128 KB, L2-resident), which halved its cost.
 */
export const SLOTS = 16384;

/** CRC16 (XMODEM) one byte at a time: crc' = (crc << 8 & 0xff00) ^ CRC16_TABLE[(crc >> 8 ^ byte) & 0xff] */
export const CRC16_TABLE = new Uint16Array(256);
const TABLE = CRC16_TABLE;
for (let i = 0; i < 256; i++) {
  let crc = i << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  TABLE[i] = crc;
}

/** TABLE2[w] is the CRC register after feeding the 16-bit word w into a register of 0. */
export const CRC16_TABLE2 = new Uint16Array(65536);
const TABLE2 = CRC16_TABLE2;
for (let w = 0; w < 65536; w++) {
  const hi = TABLE[w >> 8]!;
  TABLE2[w] = ((hi << 8) & 0xff00) ^ TABLE[((hi >> 8) ^ w) & 0xff]!;
}

function crc16(key: string, start: number, end: number): number {
  let crc = 0;
  let i = start;
  // Feeding two bytes at once: the 16-bit register is shifted out entirely, so the new register
  // is the table entry of (register XOR the two bytes).
  for (; i + 1 < end; i += 2) {
    crc = TABLE2[(crc ^ ((key.charCodeAt(i) << 8) | key.charCodeAt(i + 1))) & 0xffff]!;
  }
  if (i < end) crc = ((crc << 8) & 0xff00) ^ TABLE[((crc >> 8) ^ key.charCodeAt(i)) & 0xff]!;
  return crc;
}

export function keySlot(key: string): number {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return crc16(key, open + 1, close) & (SLOTS - 1);
  }
  return crc16(key, 0, key.length) & (SLOTS - 1);
}

/** keySlot of the key held as bytes [start, end) of `buf` (the request's read buffer). */
export function keySlotBytes(buf: Uint8Array, start: number, end: number): number {
  let from = start;
  let to = end;
  for (let i = start; i < end; i++) {
    if (buf[i] === 123 /* '{' */) {
      for (let j = i + 1; j < end; j++) {
        if (buf[j] === 125 /* '}' */) {
          if (j > i + 1) {
            from = i + 1;
            to = j;
          }
          break;
        }
      }
      break;
    }
  }
  let crc = 0;
  let i = from;
  for (; i + 1 < to; i += 2) crc = TABLE2[(crc ^ ((buf[i]! << 8) | buf[i + 1]!)) & 0xffff]!;
  if (i < to) crc = ((crc << 8) & 0xff00) ^ TABLE[((crc >> 8) ^ buf[i]!) & 0xff]!;
  return crc & (SLOTS - 1);
}
