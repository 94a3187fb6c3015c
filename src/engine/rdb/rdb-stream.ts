/*
 * Streams in Redis 7.0's RDB form (RDB_TYPE_STREAM_LISTPACKS_2; the older STREAM_LISTPACKS is
 * read too): each node as its 16-byte big-endian master id and its listpack — the master entry
 * (live count, deleted count, the master fields, 0) then every entry (flags, id deltas, values
 * when its fields are the master's, else the fields and values, and its element count) — then the
 * stream's length, last id, first id, max deleted id and entries added, then each consumer group
 * with its last id, entries read, pending entries (id, delivery time, delivery count) and its
 * consumers (name, seen time, the ids they own). engine/stream-value.ts keeps Redis's node
 * boundaries and entry layout, so the bytes are Redis's own.
 */
import { Consumer, ConsumerGroup, INVALID_ENTRIES_READ, Nack, StreamNode, StreamValue, idMs, idSeq, makeId, type StreamId } from '../stream-value.js';
import { BadFormat, ByteReader, ByteWriter } from './bytes.js';
import { decodeListpack, encodeListpack } from './listpack.js';
import { readBytes, readLen, readString, writeString } from './rdb-string.js';

export const T_STREAM_LISTPACKS = 15;
export const T_STREAM_LISTPACKS_2 = 19;

const FLAG_DELETED = 1;
const FLAG_SAMEFIELDS = 2;
const U64 = (1n << 64n) - 1n;

/** rdbSaveLen for values up to 2^64-1. */
function writeLen64(w: ByteWriter, n: bigint): void {
  if (n < 0xffffffffn + 1n) {
    const x = Number(n);
    if (x < 64) w.byte(x);
    else if (x < 16384) {
      w.byte(0x40 | (x >> 8));
      w.byte(x & 0xff);
    } else {
      w.byte(0x80);
      for (let s = 24; s >= 0; s -= 8) w.byte((x >>> s) & 0xff);
    }
    return;
  }
  w.byte(0x81);
  for (let s = 56n; s >= 0n; s -= 8n) w.byte(Number((n >> s) & 0xffn));
}

function readLen64(r: ByteReader): bigint {
  const at = r.pos;
  const b = r.byte();
  if (b === 0x81) {
    let n = 0n;
    for (const x of r.take(8)) n = (n << 8n) | BigInt(x);
    return n;
  }
  r.pos = at;
  const { n, encoded } = readLen(r);
  if (encoded !== -1) throw new BadFormat();
  return BigInt(n);
}

function writeRawId(w: ByteWriter, id: StreamId): void {
  for (let s = 120n; s >= 0n; s -= 8n) w.byte(Number((id >> s) & 0xffn));
}

function readRawId(r: ByteReader): StreamId {
  let id = 0n;
  for (const x of r.take(16)) id = (id << 8n) | BigInt(x);
  return id;
}

function writeMs(w: ByteWriter, ms: number): void {
  w.uintLE(BigInt(Math.trunc(ms)), 8);
}

function readMs(r: ByteReader): number {
  return Number(r.intLE(8));
}

/** The elements of a node's listpack, as Redis lays them out. */
function nodeElements(node: StreamNode): string[] {
  const out = [String(node.live), String(node.dead), String(node.fields.length), ...node.fields, '0'];
  const mMs = idMs(node.master);
  const mSeq = idSeq(node.master);
  for (let i = 0; i < node.count; i++) {
    const pairs = node.entries[i]!;
    const n = pairs.length / 2;
    let same = n === node.fields.length;
    for (let k = 0; same && k < n; k++) if (pairs[2 * k] !== node.fields[k]) same = false;
    const id = node.ids[i]!;
    out.push(String((node.deleted[i] ? FLAG_DELETED : 0) | (same ? FLAG_SAMEFIELDS : 0)));
    out.push(String(BigInt.asIntN(64, idMs(id) - mMs)), String(BigInt.asIntN(64, idSeq(id) - mSeq)));
    if (same) {
      for (let k = 0; k < n; k++) out.push(pairs[2 * k + 1]!);
      out.push(String(n + 3));
    } else {
      out.push(String(n), ...pairs, String(2 * n + 4));
    }
  }
  return out;
}

export function writeStream(w: ByteWriter, s: StreamValue): void {
  w.byte(T_STREAM_LISTPACKS_2);
  writeLen64(w, BigInt(s.nodes.length));
  for (const node of s.nodes) {
    const key = new ByteWriter();
    writeRawId(key, node.master);
    writeString(w, key.result());
    writeString(w, encodeListpack(nodeElements(node)));
  }
  writeLen64(w, BigInt(s.length));
  writeLen64(w, idMs(s.lastId));
  writeLen64(w, idSeq(s.lastId));
  writeLen64(w, idMs(s.firstId));
  writeLen64(w, idSeq(s.firstId));
  writeLen64(w, idMs(s.maxDeletedId));
  writeLen64(w, idSeq(s.maxDeletedId));
  writeLen64(w, BigInt(s.entriesAdded));
  const groups = s.sortedGroups();
  writeLen64(w, BigInt(groups.length));
  for (const g of groups) {
    writeString(w, g.name);
    writeLen64(w, idMs(g.lastId));
    writeLen64(w, idSeq(g.lastId));
    writeLen64(w, BigInt.asUintN(64, BigInt(g.entriesRead)));
    writeLen64(w, BigInt(g.pel.size));
    for (const id of g.pel.ids) {
      const nack = g.pel.get(id)!;
      writeRawId(w, id);
      writeMs(w, nack.deliveryTime);
      writeLen64(w, BigInt(nack.deliveryCount));
    }
    const consumers = g.sortedConsumers();
    writeLen64(w, BigInt(consumers.length));
    for (const c of consumers) {
      writeString(w, c.name);
      writeMs(w, c.seenTime);
      writeLen64(w, BigInt(c.pel.size));
      for (const id of c.pel.ids) writeRawId(w, id);
    }
  }
}

/** Rebuilds one node from its master id and listpack elements. */
function readNode(master: StreamId, els: string[]): StreamNode {
  let p = 0;
  const num = (): bigint => {
    const x = els[p++];
    if (x === undefined || !/^-?\d+$/.test(x)) throw new BadFormat();
    return BigInt(x);
  };
  const str = (): string => {
    const x = els[p++];
    if (x === undefined) throw new BadFormat();
    return x;
  };
  const live = Number(num());
  const dead = Number(num());
  const nFields = Number(num());
  if (nFields < 0 || nFields > els.length) throw new BadFormat();
  const fields: string[] = [];
  for (let i = 0; i < nFields; i++) fields.push(str());
  if (num() !== 0n) throw new BadFormat();
  const node = new StreamNode(master, fields);
  let last = -1n;
  while (p < els.length) {
    const flags = Number(num());
    const ms = BigInt.asUintN(64, idMs(master) + num());
    const seq = BigInt.asUintN(64, idSeq(master) + num());
    const id = makeId(ms, seq);
    if (id <= last) throw new BadFormat();
    last = id;
    const pairs: string[] = [];
    let n: number;
    if (flags & FLAG_SAMEFIELDS) {
      n = nFields;
      for (let k = 0; k < n; k++) pairs.push(fields[k]!, str());
      if (Number(num()) !== n + 3) throw new BadFormat();
    } else {
      n = Number(num());
      if (n < 0 || n > els.length) throw new BadFormat();
      for (let k = 0; k < 2 * n; k++) pairs.push(str());
      if (Number(num()) !== 2 * n + 4) throw new BadFormat();
    }
    node.push(id, pairs);
    if (flags & FLAG_DELETED) node.markDeleted(node.count - 1);
  }
  if (node.live !== live || node.dead !== dead || node.live === 0) throw new BadFormat();
  return node;
}

/** Reads a stream's body after its type byte (`type`: 15 or 19). */
export function readStream(r: ByteReader, type: number): StreamValue {
  const s = new StreamValue();
  const nodes = Number(readLen64(r));
  let lastMaster = -1n;
  for (let i = 0; i < nodes; i++) {
    const key = readBytes(r);
    if (key.length !== 16) throw new BadFormat();
    const master = readRawId(new ByteReader(key));
    if (master <= lastMaster) throw new BadFormat();
    lastMaster = master;
    const node = readNode(master, decodeListpack(readBytes(r)));
    s.nodes.push(node);
    for (let k = 0; k < node.count; k++) {
      if (node.deleted[k]) continue;
      for (const x of node.entries[k]!) s.payload += x.length + 8;
      s.payload += 24;
    }
  }
  s.length = Number(readLen64(r));
  let live = 0;
  for (const n of s.nodes) live += n.live;
  if (live !== s.length) throw new BadFormat();
  s.lastId = makeId(readLen64(r), readLen64(r));
  if (type === T_STREAM_LISTPACKS_2) {
    s.firstId = makeId(readLen64(r), readLen64(r));
    s.maxDeletedId = makeId(readLen64(r), readLen64(r));
    s.entriesAdded = Number(readLen64(r));
  } else {
    s.firstId = s.edgeId(false) ?? 0n;
    s.entriesAdded = s.length;
  }
  const last = s.edgeId(true);
  if (last !== undefined && last > s.lastId) throw new BadFormat();
  const groups = Number(readLen64(r));
  for (let i = 0; i < groups; i++) {
    const name = readString(r);
    if (s.groups.has(name)) throw new BadFormat();
    const lastId = makeId(readLen64(r), readLen64(r));
    let entriesRead = INVALID_ENTRIES_READ;
    if (type === T_STREAM_LISTPACKS_2) {
      const x = readLen64(r);
      entriesRead = x === U64 ? INVALID_ENTRIES_READ : Number(x);
    } else entriesRead = s.estimateEntriesRead(lastId);
    const g = new ConsumerGroup(name, lastId, entriesRead);
    const pending = Number(readLen64(r));
    const nacks = new Map<StreamId, Nack>();
    for (let k = 0; k < pending; k++) {
      const id = readRawId(r);
      const time = readMs(r);
      const count = Number(readLen64(r));
      if (nacks.has(id)) throw new BadFormat();
      nacks.set(id, new Nack(null as unknown as Consumer, time, count));
    }
    const consumers = Number(readLen64(r));
    for (let k = 0; k < consumers; k++) {
      const c = new Consumer(readString(r), readMs(r));
      if (g.consumers.has(c.name)) throw new BadFormat();
      g.consumers.set(c.name, c);
      const owned = Number(readLen64(r));
      for (let j = 0; j < owned; j++) {
        const id = readRawId(r);
        const nack = nacks.get(id);
        if (nack === undefined || nack.consumer !== null) throw new BadFormat();
        nack.consumer = c;
        c.pel.set(id, nack);
      }
    }
    for (const [id, nack] of nacks) {
      if (nack.consumer === null) throw new BadFormat();
      g.pel.set(id, nack);
    }
    s.groups.set(name, g);
  }
  return s;
}
