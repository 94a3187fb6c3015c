/*
 * RDB files as Redis 7.0 writes and reads them (the dump.rdb of SAVE, BGSAVE, DEBUG RELOAD and
 * start-up): the "REDIS0010" header, auxiliary fields, the function libraries, then per
 * non-empty database its SELECTDB and RESIZEDB opcodes and its keys — each an optional expiry
 * in milliseconds, the value's type byte, the key, the value's body (rdb-value.ts, the same
 * encodings DUMP uses) — then EOF and the CRC-64 of everything before it.
 *
 * A file written here loads in redis-server and a file redis-server wrote loads here (tested
 * both ways in compat-tests/persistence.test.ts). Module values and module aux data are refused.
 */
import type { Value } from '../values.js';
import { BadFormat, ByteReader, ByteWriter } from './bytes.js';
import { crc64 } from './crc64.js';
import { readCount, readString, writeLen, writeString } from './rdb-string.js';
import { RDB_VERSION, readValueOfType, writeValue, type RdbLimits } from './rdb-value.js';

const OP_FUNCTION2 = 0xf5;
const OP_FUNCTION = 0xf6;
const OP_MODULE_AUX = 0xf7;
const OP_IDLE = 0xf8;
const OP_FREQ = 0xf9;
const OP_AUX = 0xfa;
const OP_RESIZEDB = 0xfb;
const OP_EXPIRETIME_MS = 0xfc;
const OP_EXPIRETIME = 0xfd;
const OP_SELECTDB = 0xfe;
const OP_EOF = 0xff;

export interface RdbRecord {
  key: string;
  value: Value;
  /** absolute expiry in ms, or -1 */
  expireAt: number;
  /** LRU idle seconds or LFU counter as the file carries it, or -1 */
  idle: number;
  freq: number;
}

export interface RdbDatabase {
  id: number;
  records: Iterable<RdbRecord>;
}

export interface RdbContents {
  aux: Map<string, string>;
  libraries: string[];
  databases: Array<{ id: number; records: RdbRecord[] }>;
}

/** The bytes of an RDB file holding `libraries` (their code) and `databases`; aux fields first. */
export function writeRdb(aux: ReadonlyArray<[string, string]>, libraries: readonly string[], databases: Iterable<RdbDatabase>, limits: RdbLimits): Uint8Array {
  const w = new ByteWriter();
  w.latin1('REDIS' + String(RDB_VERSION).padStart(4, '0'));
  for (const [k, v] of aux) {
    w.byte(OP_AUX);
    writeString(w, k);
    writeString(w, v);
  }
  for (const code of libraries) {
    w.byte(OP_FUNCTION2);
    writeString(w, code);
  }
  const body = new ByteWriter();
  // one writer for every value, emptied before each (a file holds millions of them)
  const value = new ByteWriter();
  for (const db of databases) {
    let size = 0;
    let expires = 0;
    const start = body.length;
    for (const rec of db.records) {
      value.length = 0;
      if (!writeValue(value, rec.value, limits)) continue;
      if (rec.expireAt !== -1) {
        body.byte(OP_EXPIRETIME_MS);
        body.uintLE(BigInt(Math.trunc(rec.expireAt)), 8);
        expires++;
      }
      if (rec.idle !== -1) {
        body.byte(OP_IDLE);
        writeLen(body, rec.idle);
      } else if (rec.freq !== -1) {
        body.byte(OP_FREQ);
        body.byte(rec.freq);
      }
      const bytes = value.result();
      body.byte(bytes[0]!);
      writeString(body, rec.key);
      body.bytes(bytes.subarray(1));
      size++;
    }
    if (size === 0) continue;
    w.byte(OP_SELECTDB);
    writeLen(w, db.id);
    w.byte(OP_RESIZEDB);
    writeLen(w, size);
    writeLen(w, expires);
    w.bytes(body.result().subarray(start));
  }
  w.byte(OP_EOF);
  w.bytes(crc64(w.result()));
  return w.result();
}

/** Why a file cannot be loaded, as the reason Redis logs. */
export class RdbError extends Error {}

/**
 * The contents of an RDB file (versions 1–10). Keys already expired at `now` are dropped, as a
 * master drops them at load. Throws RdbError for a file that is not one.
 */
export function readRdb(bytes: Uint8Array, limits: RdbLimits, now: number, checkCrc = true): RdbContents {
  const header = Buffer.from(bytes.subarray(0, 9)).toString('latin1');
  if (bytes.length < 9 || !header.startsWith('REDIS')) throw new RdbError('Wrong signature trying to load DB from file');
  const version = Number(header.slice(5));
  if (!Number.isInteger(version) || version < 1 || version > RDB_VERSION) throw new RdbError(`Can't handle RDB format version ${header.slice(5)}`);
  const r = new ByteReader(bytes);
  r.pos = 9;
  const out: RdbContents = { aux: new Map(), libraries: [], databases: [] };
  let db: { id: number; records: RdbRecord[] } | null = null;
  let expireAt = -1;
  let idle = -1;
  let freq = -1;
  try {
    for (;;) {
      const op = r.byte();
      if (op === OP_EOF) break;
      if (op === OP_EXPIRETIME_MS) {
        expireAt = Number(r.intLE(8));
        continue;
      }
      if (op === OP_EXPIRETIME) {
        expireAt = r.uintLE(4) * 1000;
        continue;
      }
      if (op === OP_IDLE) {
        idle = readCount(r);
        continue;
      }
      if (op === OP_FREQ) {
        freq = r.byte();
        continue;
      }
      if (op === OP_SELECTDB) {
        db = { id: readCount(r), records: [] };
        out.databases.push(db);
        continue;
      }
      if (op === OP_RESIZEDB) {
        readCount(r);
        readCount(r);
        continue;
      }
      if (op === OP_AUX) {
        const k = readString(r);
        out.aux.set(k, readString(r));
        continue;
      }
      if (op === OP_FUNCTION2) {
        out.libraries.push(readString(r));
        continue;
      }
      if (op === OP_FUNCTION) throw new RdbError('Pre-release function format not supported');
      if (op === OP_MODULE_AUX) throw new RdbError('Module auxiliary data is not supported');
      const key = readString(r);
      const value = readValueOfType(r, op, limits);
      if (db === null) {
        db = { id: 0, records: [] };
        out.databases.push(db);
      }
      if (expireAt === -1 || expireAt > now) db.records.push({ key, value, expireAt, idle, freq });
      expireAt = idle = freq = -1;
    }
  } catch (e) {
    if (e instanceof BadFormat || e instanceof RangeError) throw new RdbError('Short read or OOM loading DB. Unrecoverable error, aborting now.');
    throw e;
  }
  if (checkCrc && version >= 5 && r.left >= 8) {
    const stored = bytes.subarray(r.pos, r.pos + 8);
    if (stored.some((b) => b !== 0)) {
      const crc = crc64(bytes.subarray(0, r.pos));
      for (let i = 0; i < 8; i++) if (crc[i] !== stored[i]) throw new RdbError('Wrong RDB checksum. Aborting now.');
    }
  }
  return out;
}
