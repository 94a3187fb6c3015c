/*
 * FUNCTION DUMP / RESTORE payloads in Redis's format, so that payloads move between kv-server and
 * Redis 7.0: for each library the RDB function opcode (0xF5) and its code as an RDB string, then
 * the RDB version (2 bytes, little-endian: 10 for Redis 7.0) and a CRC64 (Jones, reflected, as
 * Redis's crc64) of everything before it, little-endian. We write plain strings; Redis may write
 * LZF-compressed ones, which RESTORE reads.
 */

const OPCODE_FUNCTION2 = 0xf5;
const RDB_VERSION = 10;
const POLY = 0x95ac9329ac4bc9b5n; // the reflected form of Jones's 0xad93d23594c935a9
const MASK = (1n << 64n) - 1n;

let table: BigUint64Array | null = null;

function crcTable(): BigUint64Array {
  if (table !== null) return table;
  table = new BigUint64Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = BigInt(i);
    for (let j = 0; j < 8; j++) crc = crc & 1n ? (crc >> 1n) ^ POLY : crc >> 1n;
    table[i] = crc;
  }
  return table;
}

/** CRC64 of latin1 bytes, as Redis's crc64(0, …). */
export function crc64(bytes: string): bigint {
  const t = crcTable();
  let crc = 0n;
  for (let i = 0; i < bytes.length; i++) crc = t[Number((crc ^ BigInt(bytes.charCodeAt(i))) & 0xffn)]! ^ (crc >> 8n);
  return crc & MASK;
}

function le(n: bigint, bytes: number): string {
  let out = '';
  for (let i = 0; i < bytes; i++) out += String.fromCharCode(Number((n >> BigInt(8 * i)) & 0xffn));
  return out;
}

function rdbLength(n: number): string {
  if (n < 64) return String.fromCharCode(n);
  if (n < 16384) return String.fromCharCode(0x40 | (n >> 8), n & 0xff);
  return String.fromCharCode(0x80, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/** The FUNCTION DUMP payload of these libraries (latin1). */
export function dumpLibraries(libs: ReadonlyArray<{ code: string }>): string {
  let out = '';
  for (const lib of libs) out += String.fromCharCode(OPCODE_FUNCTION2) + rdbLength(lib.code.length) + lib.code;
  out += le(BigInt(RDB_VERSION), 2);
  return out + le(crc64(out), 8);
}

/** The library codes in a payload, or null when it is not a valid one. */
export function restorePayload(payload: string): string[] | null {
  if (payload.length < 10) return null;
  const body = payload.slice(0, -8);
  let sum = 0n;
  for (let i = 7; i >= 0; i--) sum = (sum << 8n) | BigInt(payload.charCodeAt(payload.length - 8 + i));
  if (crc64(body) !== sum) return null;
  const version = body.charCodeAt(body.length - 2) | (body.charCodeAt(body.length - 1) << 8);
  if (version > RDB_VERSION) return null;
  const data = body.slice(0, -2);
  const codes: string[] = [];
  let pos = 0;
  const byte = () => (pos < data.length ? data.charCodeAt(pos++) : -1);
  const length = (): { n: number; special: number } | null => {
    const b = byte();
    if (b < 0) return null;
    const type = b >> 6;
    if (type === 0) return { n: b & 0x3f, special: -1 };
    if (type === 1) return { n: ((b & 0x3f) << 8) | byte(), special: -1 };
    if (type === 3) return { n: 0, special: b & 0x3f };
    if (b === 0x80) {
      let n = 0;
      for (let i = 0; i < 4; i++) n = n * 256 + byte();
      return { n, special: -1 };
    }
    return null;
  };
  const string = (): string | null => {
    const l = length();
    if (l === null) return null;
    if (l.special === -1) {
      if (pos + l.n > data.length) return null;
      const s = data.slice(pos, pos + l.n);
      pos += l.n;
      return s;
    }
    if (l.special === 3) {
      const clen = length();
      const ulen = length();
      if (clen === null || ulen === null || pos + clen.n > data.length) return null;
      const out = lzfDecompress(data.slice(pos, pos + clen.n), ulen.n);
      pos += clen.n;
      return out;
    }
    return null; // integer encodings never hold library code
  };
  while (pos < data.length) {
    if (byte() !== OPCODE_FUNCTION2) return null;
    const code = string();
    if (code === null) return null;
    codes.push(code);
  }
  return codes;
}

/** LZF decompression (liblzf's format), or null when the input is malformed. */
function lzfDecompress(input: string, outLen: number): string | null {
  const out: number[] = [];
  let i = 0;
  while (i < input.length) {
    const ctrl = input.charCodeAt(i++);
    if (ctrl < 32) {
      for (let k = 0; k <= ctrl; k++) {
        if (i >= input.length) return null;
        out.push(input.charCodeAt(i++));
      }
    } else {
      let len = ctrl >> 5;
      if (len === 7) len += input.charCodeAt(i++);
      const ref = out.length - ((ctrl & 0x1f) << 8) - input.charCodeAt(i++) - 1;
      if (ref < 0) return null;
      for (let k = 0; k < len + 2; k++) out.push(out[ref + k]!);
    }
  }
  if (out.length !== outLen) return null;
  let s = '';
  for (const b of out) s += String.fromCharCode(b);
  return s;
}
