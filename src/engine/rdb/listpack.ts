/*
 * Redis's listpack, the compact encoding that DUMP stores small hashes, sorted sets and list nodes
 * in (written from the listpack specification in Redis's listpack.md): a 6-byte header (total
 * bytes, element count), entries each made of an encoding byte (a small integer, a 13/16/24/32/64
 * bit integer, or a 6/12/32-bit string length), the data, and the entry's own length backwards
 * (the "backlen", 1 to 5 bytes of 7 bits), then 0xFF. A string that is a canonical int64 is
 * stored as an integer, as Redis does.
 */
import { parseInt64 } from '../int64.js';
import { BadFormat, ByteReader, ByteWriter, latin1Of } from './bytes.js';

const HEADER = 6;
const EOF = 0xff;

function backlenSize(l: number): number {
  return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
}

function writeBacklen(w: ByteWriter, l: number): void {
  const n = backlenSize(l);
  // most significant 7-bit group first; every group but the first carries the 128 bit
  for (let i = n - 1; i >= 0; i--) {
    const group = Math.floor(l / 2 ** (7 * i)) & 127;
    w.byte(i === n - 1 ? group : group | 128);
  }
}

/** Appends one entry; returns nothing. */
function writeEntry(w: ByteWriter, s: string): void {
  const start = w.length;
  const v = s.length <= 20 ? parseInt64(s) : null;
  if (v !== null) {
    const n = BigInt(v);
    if (n >= 0n && n <= 127n) w.byte(Number(n));
    else if (n >= -4096n && n <= 4095n) {
      const u = Number(BigInt.asUintN(13, n));
      w.byte((u >> 8) | 0xc0);
      w.byte(u & 0xff);
    } else if (n >= -32768n && n <= 32767n) {
      w.byte(0xf1);
      w.uintLE(n, 2);
    } else if (n >= -8388608n && n <= 8388607n) {
      w.byte(0xf2);
      w.uintLE(n, 3);
    } else if (n >= -2147483648n && n <= 2147483647n) {
      w.byte(0xf3);
      w.uintLE(n, 4);
    } else {
      w.byte(0xf4);
      w.uintLE(n, 8);
    }
  } else {
    const len = s.length;
    if (len < 64) w.byte(0x80 | len);
    else if (len < 4096) {
      w.byte(0xe0 | (len >> 8));
      w.byte(len & 0xff);
    } else {
      w.byte(0xf0);
      w.uintLE(len, 4);
    }
    w.latin1(s);
  }
  writeBacklen(w, w.length - start);
}

/** The listpack of `entries`, as Redis builds it by appending them in order. */
export function encodeListpack(entries: readonly string[]): Uint8Array {
  const w = new ByteWriter();
  w.uintLE(0, 4);
  w.uintLE(0, 2);
  for (const e of entries) writeEntry(w, e);
  w.byte(EOF);
  w.setUint32LE(0, w.length);
  w.setUint16LE(4, entries.length < 65535 ? entries.length : 65535);
  return w.result();
}

/** The entries of a listpack (integers as their decimal text); BadFormat when it is malformed. */
export function decodeListpack(bytes: Uint8Array): string[] {
  if (bytes.length < HEADER + 1) throw new BadFormat();
  const r = new ByteReader(bytes);
  const total = r.uintLE(4);
  const count = r.uintLE(2);
  if (total !== bytes.length || bytes[total - 1] !== EOF) throw new BadFormat();
  const out: string[] = [];
  const end = total - 1;
  while (r.pos < end) {
    const start = r.pos;
    const b = r.byte();
    let entry: string;
    if (b < 0x80) entry = String(b);
    else if (b < 0xc0) entry = latin1Of(r.take(b & 0x3f));
    else if (b < 0xe0) {
      const u = ((b & 0x1f) << 8) | r.byte();
      entry = String(u >= 4096 ? u - 8192 : u);
    } else if (b < 0xf0) entry = latin1Of(r.take(((b & 0x0f) << 8) | r.byte()));
    else if (b === 0xf0) entry = latin1Of(r.take(r.uintLE(4)));
    else if (b === 0xf1) entry = String(r.intLE(2));
    else if (b === 0xf2) entry = String(r.intLE(3));
    else if (b === 0xf3) entry = String(r.intLE(4));
    else if (b === 0xf4) entry = String(r.intLE(8));
    else throw new BadFormat();
    const size = r.pos - start;
    const n = backlenSize(size);
    const back = r.take(n);
    let l = 0;
    for (let i = 0; i < n; i++) l = l * 128 + (back[i]! & 127);
    if (l !== size) throw new BadFormat();
    out.push(entry);
  }
  if (r.pos !== end || (count !== 65535 && count !== out.length)) throw new BadFormat();
  return out;
}
