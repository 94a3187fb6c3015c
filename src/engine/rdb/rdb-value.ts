/*
 * One value in Redis's RDB serialization (rdb.c's object formats, RDB version 10 as Redis 7.0
 * writes it), the body of DUMP and RESTORE and of snapshots later. Writing picks the type and
 * encoding Redis 7.0 would for the value's encoding: a string (integer-encoded when canonical and
 * within 32 bits, LZF-compressed above 20 bytes when that saves room), a quicklist of listpack
 * nodes, an intset or a plain set, a listpack or a plain hash, a listpack or a skiplist sorted set
 * (the latter from the highest score down, as Redis writes it). Reading accepts every type a
 * Redis 7.0 payload can hold, including the ziplist-era ones older versions wrote; streams and
 * module types are refused (BadFormat).
 */
import { HASH, HashValue } from '../hash-value.js';
import { LIST, ListValue, listpackEntrySize } from '../list-value.js';
import { SET, SetValue } from '../set-value.js';
import { ZSET, ZSetValue } from '../zset-value.js';
import { encodeString, isString, kindOf, stringOf, type Value } from '../values.js';
import { strtod } from '../strtod.js';
import { formatDouble } from '../../resp/writer.js';
import { parseInt64 } from '../int64.js';
import { BadFormat, ByteReader, ByteWriter, latin1Of } from './bytes.js';
import { lzfCompress } from './lzf.js';
import { readBytes, readCount, readString, writeLen, writeString } from './rdb-string.js';
import { decodeListpack, encodeListpack } from './listpack.js';
import { decodeIntset, encodeIntset } from './intset.js';
import { decodeZiplist } from './ziplist.js';
import { STREAM, StreamValue } from '../stream-value.js';
import { readStream, writeStream, T_STREAM_LISTPACKS, T_STREAM_LISTPACKS_2 } from './rdb-stream.js';

/** The RDB version Redis 7.0 writes (and the highest it reads). */
export const RDB_VERSION = 10;

const T_STRING = 0;
const T_LIST = 1;
const T_SET = 2;
const T_ZSET = 3;
const T_HASH = 4;
const T_ZSET_2 = 5;
const T_HASH_ZIPMAP = 9;
const T_LIST_ZIPLIST = 10;
const T_SET_INTSET = 11;
const T_ZSET_ZIPLIST = 12;
const T_HASH_ZIPLIST = 13;
const T_LIST_QUICKLIST = 14;
const T_HASH_LISTPACK = 16;
const T_ZSET_LISTPACK = 17;
const T_LIST_QUICKLIST_2 = 18;

const NODE_PLAIN = 1;
const NODE_PACKED = 2;

/** The configuration that decides encodings when a value is read back (and how lists are cut). */
export interface RdbLimits {
  hashEntries: number;
  hashValue: number;
  setIntsetEntries: number;
  zsetEntries: number;
  zsetValue: number;
  listFill: number;
  listCompressDepth: number;
}

// ---- writing ----

function writeDouble(w: ByteWriter, d: number): void {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, d, true);
  w.bytes(b);
}

/** quicklist's node size limits for list-max-listpack-size -1 … -5, and its limit otherwise */
const NODE_SIZE_LIMITS = [4096, 8192, 16384, 32768, 65536] as const;
const SIZE_SAFETY_LIMIT = 8192;
/** what Redis 7.0's _quicklistNodeAllowInsert adds to an element's length to estimate its entry */
const SIZE_ESTIMATE_OVERHEAD = 8;

/** Whether a node of `bytes` bytes and `count` entries takes one more element of `len` bytes. */
function nodeAllowsInsert(fill: number, bytes: number, count: number, len: number): boolean {
  const estimate = bytes + len + SIZE_ESTIMATE_OVERHEAD;
  if (fill < 0) return estimate <= NODE_SIZE_LIMITS[Math.min(-fill - 1, NODE_SIZE_LIMITS.length - 1)]!;
  return estimate <= SIZE_SAFETY_LIMIT && count < fill;
}

/** The elements of `list` cut into quicklist nodes as Redis 7.0 cuts them under `fill` (DEBUG OBJECT's ql_* too). */
export function quicklistNodes(list: ListValue, fill: number): string[][] {
  const nodes: string[][] = [];
  let node: string[] = [];
  let bytes = 7; // an empty listpack: header and terminator
  list.forEach((e) => {
    if (node.length > 0 && !nodeAllowsInsert(fill, bytes, node.length, e.length)) {
      nodes.push(node);
      node = [];
      bytes = 7;
    }
    node.push(e);
    bytes += listpackEntrySize(e);
  });
  if (node.length > 0) nodes.push(node);
  return nodes;
}

/**
 * A list as Redis 7.0's quicklist holds it after pushes at the tail: listpack nodes, each taking
 * elements while _quicklistNodeAllowInsert allows (a list built otherwise may be cut elsewhere
 * in Redis; any cut restores the same list).
 */
function writeList(w: ByteWriter, list: ListValue, limits: RdbLimits): void {
  const nodes = quicklistNodes(list, limits.listFill);
  w.byte(T_LIST_QUICKLIST_2);
  writeLen(w, nodes.length);
  const depth = limits.listCompressDepth;
  nodes.forEach((entries, i) => {
    writeLen(w, NODE_PACKED);
    const lp = encodeListpack(entries);
    // list-compress-depth: inner nodes are held LZF-compressed when that saves 8 bytes or more
    // (quicklist's MIN_COMPRESS_BYTES / MIN_COMPRESS_IMPROVE), and are written as they are held
    if (depth > 0 && i >= depth && i < nodes.length - depth && lp.length >= 48) {
      const packed = lzfCompress(lp, lp.length);
      if (packed !== null && packed.length + 8 < lp.length) {
        w.byte(0xc3);
        writeLen(w, packed.length);
        writeLen(w, lp.length);
        w.bytes(packed);
        return;
      }
    }
    writeString(w, lp);
  });
}

/**
 * Writes the type byte and body of `v` (rdbSaveObjectType + rdbSaveObject); false for a kind
 * without an RDB form here (streams, for now), when nothing is written.
 */
export function writeValue(w: ByteWriter, v: Value, limits: RdbLimits): boolean {
  if (isString(v)) {
    w.byte(T_STRING);
    writeString(w, stringOf(v));
    return true;
  }
  const kind = kindOf(v);
  if (kind === LIST) {
    writeList(w, v as ListValue, limits);
    return true;
  }
  if (kind === SET) {
    const s = v as SetValue;
    const members = s.members();
    if (s.isIntset) {
      w.byte(T_SET_INTSET);
      writeString(w, encodeIntset(members.map((m) => parseInt64(m)!)));
    } else {
      w.byte(T_SET);
      writeLen(w, members.length);
      for (const m of members) writeString(w, m);
    }
    return true;
  }
  if (kind === HASH) {
    const h = (v as HashValue).view();
    const n = h.length;
    if ((v as HashValue).isListpack) {
      const entries: string[] = [];
      for (let i = 0; i < n; i++) entries.push(h.fieldAt(i), h.valueAt(i));
      w.byte(T_HASH_LISTPACK);
      writeString(w, encodeListpack(entries));
    } else {
      w.byte(T_HASH);
      writeLen(w, n);
      for (let i = 0; i < n; i++) {
        writeString(w, h.fieldAt(i));
        writeString(w, h.valueAt(i));
      }
    }
    return true;
  }
  if (kind === ZSET) {
    const z = v as ZSetValue;
    const entries = z.entries();
    if (z.encoding === 'listpack') {
      const flat: string[] = [];
      for (const [m, score] of entries) flat.push(m, scoreText(score));
      w.byte(T_ZSET_LISTPACK);
      writeString(w, encodeListpack(flat));
    } else {
      w.byte(T_ZSET_2);
      writeLen(w, entries.length);
      for (let i = entries.length - 1; i >= 0; i--) {
        writeString(w, entries[i]![0]);
        writeDouble(w, entries[i]![1]);
      }
    }
    return true;
  }
  if (kind === STREAM) {
    writeStream(w, v as StreamValue);
    return true;
  }
  return false;
}

/** A score as a listpack holds it: Redis 7.0's d2string, which prints as formatDouble does. */
const scoreText = formatDouble;

// ---- reading ----


/** An RDB_TYPE_ZSET score: a length byte (253 nan, 254 inf, 255 -inf) and the text. */
function readTextScore(r: ByteReader): number {
  const len = r.byte();
  if (len === 253) return NaN;
  if (len === 254) return Infinity;
  if (len === 255) return -Infinity;
  return parseScore(latin1Of(r.take(len)));
}

function readDouble(r: ByteReader): number {
  const b = r.take(8);
  return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
}

function buildList(elements: string[], limits: RdbLimits): ListValue {
  if (elements.length === 0) throw new BadFormat();
  const list = new ListValue();
  let bytes = 0;
  for (const e of elements) bytes += e.length;
  list.growing(limits.listFill, bytes, elements.length);
  for (const e of elements) list.pushTail(e);
  return list;
}

function buildSet(members: string[], limits: RdbLimits): SetValue {
  if (members.length === 0) throw new BadFormat();
  const s = new SetValue(members[0]);
  for (const m of members) if (!s.add(m, limits.setIntsetEntries)) throw new BadFormat(); // duplicate
  return s;
}

function buildHash(pairs: string[], limits: RdbLimits): HashValue {
  if (pairs.length === 0 || pairs.length % 2 !== 0) throw new BadFormat();
  const h = new HashValue();
  for (let i = 0; i < pairs.length; i += 2) if (!h.set(pairs[i]!, pairs[i + 1]!, limits)) throw new BadFormat(); // duplicate
  return h;
}

function buildZset(pairs: Array<[string, number]>, limits: RdbLimits): ZSetValue {
  if (pairs.length === 0) throw new BadFormat();
  const z = new ZSetValue(pairs.length <= limits.zsetEntries && limits.zsetEntries !== 0);
  for (const [m, score] of pairs) {
    if (Number.isNaN(score) || z.has(m)) throw new BadFormat();
    z.insert(m, score, limits.zsetEntries, limits.zsetValue);
  }
  return z;
}

/** A score's text as Redis reads it back (strtod); BadFormat when no number starts it. */
function parseScore(text: string): number {
  const d = strtod(text);
  if (d.end === 0) throw new BadFormat();
  return d.value;
}

function scorePairs(flat: string[]): Array<[string, number]> {
  if (flat.length % 2 !== 0) throw new BadFormat();
  const out: Array<[string, number]> = [];
  for (let i = 0; i < flat.length; i += 2) {
    out.push([flat[i]!, parseScore(flat[i + 1]!)]);
  }
  return out;
}

/** Reads one value (type byte and body); throws BadFormat when the bytes are not one. */
export function readValue(r: ByteReader, limits: RdbLimits): Value {
  return readValueOfType(r, r.byte(), limits);
}

/** Reads the body of a value whose type byte was read already (an RDB file puts the key between them). */
export function readValueOfType(r: ByteReader, type: number, limits: RdbLimits): Value {
  switch (type) {
    case T_STRING:
      return encodeString(readString(r));
    case T_LIST: {
      const n = readCount(r);
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(readString(r));
      return buildList(out, limits);
    }
    case T_LIST_ZIPLIST:
      return buildList(decodeZiplist(readBytes(r)), limits);
    case T_LIST_QUICKLIST:
    case T_LIST_QUICKLIST_2: {
      const nodes = readCount(r);
      const out: string[] = [];
      for (let i = 0; i < nodes; i++) {
        if (type === T_LIST_QUICKLIST) {
          out.push(...decodeZiplist(readBytes(r)));
          continue;
        }
        const container = readCount(r);
        const data = readBytes(r);
        if (container === NODE_PLAIN) out.push(latin1Of(data));
        else if (container === NODE_PACKED) {
          const entries = decodeListpack(data);
          if (entries.length === 0) throw new BadFormat();
          out.push(...entries);
        } else throw new BadFormat();
      }
      return buildList(out, limits);
    }
    case T_SET: {
      const n = readCount(r);
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(readString(r));
      return buildSet(out, limits);
    }
    case T_SET_INTSET:
      return buildSet(decodeIntset(readBytes(r)), limits);
    case T_ZSET:
    case T_ZSET_2: {
      const n = readCount(r);
      const out: Array<[string, number]> = [];
      for (let i = 0; i < n; i++) {
        const m = readString(r);
        out.push([m, type === T_ZSET ? readTextScore(r) : readDouble(r)]);
      }
      return buildZset(out, limits);
    }
    case T_ZSET_ZIPLIST:
      return buildZset(scorePairs(decodeZiplist(readBytes(r))), limits);
    case T_ZSET_LISTPACK:
      return buildZset(scorePairs(decodeListpack(readBytes(r))), limits);
    case T_HASH: {
      const n = readCount(r);
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(readString(r), readString(r));
      return buildHash(out, limits);
    }
    case T_HASH_ZIPLIST:
      return buildHash(decodeZiplist(readBytes(r)), limits);
    case T_HASH_LISTPACK:
      return buildHash(decodeListpack(readBytes(r)), limits);
    case T_STREAM_LISTPACKS:
    case T_STREAM_LISTPACKS_2:
      return readStream(r, type);
    case T_HASH_ZIPMAP:
    default:
      throw new BadFormat();
  }
}
