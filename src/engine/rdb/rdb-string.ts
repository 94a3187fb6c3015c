/*
 * RDB lengths and strings (rdb.c's rdbSaveLen / rdbSaveRawString and their loaders): a length in
 * 1, 2, 5 or 9 bytes; a string as an 8/16/32-bit integer when it is a canonical one, LZF-compressed
 * when longer than 20 bytes and compression saves room, else its bytes after its length.
 */
import { parseInt64 } from '../int64.js';
import { BadFormat, type ByteReader, type ByteWriter, latin1Of } from './bytes.js';
import { lzfCompress, lzfDecompress } from './lzf.js';

export function writeLen(w: ByteWriter, n: number): void {
  if (n < 64) w.byte(n);
  else if (n < 16384) {
    w.byte(0x40 | (n >> 8));
    w.byte(n & 0xff);
  } else if (n <= 0xffffffff) {
    w.byte(0x80);
    w.byte(n >>> 24);
    w.byte((n >>> 16) & 0xff);
    w.byte((n >>> 8) & 0xff);
    w.byte(n & 0xff);
  } else {
    w.byte(0x81);
    const hi = Math.floor(n / 2 ** 32);
    for (const part of [hi, n >>> 0]) {
      w.byte(part >>> 24);
      w.byte((part >>> 16) & 0xff);
      w.byte((part >>> 8) & 0xff);
      w.byte(part & 0xff);
    }
  }
}

/** rdbEncodeInteger: the 8/16/32-bit forms, or false when the value needs more. */
function writeSmallInt(w: ByteWriter, v: number): boolean {
  if (v >= -128 && v <= 127) {
    w.byte(0xc0);
    w.byte(v & 0xff);
  } else if (v >= -32768 && v <= 32767) {
    w.byte(0xc1);
    w.uintLE(v, 2);
  } else if (v >= -2147483648 && v <= 2147483647) {
    w.byte(0xc2);
    w.uintLE(v, 4);
  } else return false;
  return true;
}

/** rdbSaveRawString: integer form, else LZF when it saves room, else the bytes as they are. */
export function writeString(w: ByteWriter, bytes: Uint8Array | string): void {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  const len = data.length;
  if (len <= 11) {
    const v = parseInt64(latin1Of(data));
    if (v !== null && typeof v === 'number' && writeSmallInt(w, v)) return;
  }
  if (len > 20) {
    const packed = lzfCompress(data, len - 4);
    if (packed !== null) {
      w.byte(0xc3);
      writeLen(w, packed.length);
      writeLen(w, len);
      w.bytes(packed);
      return;
    }
  }
  writeLen(w, len);
  w.bytes(data);
}

export function readLen(r: ByteReader): { n: number; encoded: number } {
  const b = r.byte();
  const type = b >> 6;
  if (type === 0) return { n: b & 0x3f, encoded: -1 };
  if (type === 1) return { n: ((b & 0x3f) << 8) | r.byte(), encoded: -1 };
  if (type === 3) return { n: 0, encoded: b & 0x3f };
  if (b === 0x80) return { n: r.uintBE(4), encoded: -1 };
  if (b === 0x81) {
    const n = r.uintBE(8);
    if (!Number.isSafeInteger(n)) throw new BadFormat();
    return { n, encoded: -1 };
  }
  throw new BadFormat();
}

export function readCount(r: ByteReader): number {
  const { n, encoded } = readLen(r);
  if (encoded !== -1) throw new BadFormat();
  return n;
}

/** rdbGenericLoadStringObject: the bytes of a string in any of its encodings. */
export function readBytes(r: ByteReader): Uint8Array {
  const { n, encoded } = readLen(r);
  if (encoded === -1) return r.take(n);
  if (encoded === 0) return Buffer.from(String(r.intLE(1)), 'latin1');
  if (encoded === 1) return Buffer.from(String(r.intLE(2)), 'latin1');
  if (encoded === 2) return Buffer.from(String(r.intLE(4)), 'latin1');
  if (encoded === 3) {
    const clen = readCount(r);
    const len = readCount(r);
    const out = lzfDecompress(r.take(clen), len);
    if (out === null) throw new BadFormat();
    return out;
  }
  throw new BadFormat();
}

export const readString = (r: ByteReader): string => latin1Of(readBytes(r));
