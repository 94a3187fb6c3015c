/*
 * The stream value (TYPE `stream`, OBJECT ENCODING `stream`), after what Redis's t_stream.c
 * documents. Entries are ordered by their 128-bit id, held here as one bigint
 * (`ms << 64 | seq`). They live in nodes, as Redis's listpacks in a radix tree: a node is
 * opened by its first ("master") entry, takes entries until it holds `stream-node-max-entries`
 * (live and deleted ones) or its listpack would reach `stream-node-max-bytes`, and the nodes are
 * a sorted array, so a seek by id is two binary searches (O(log n)) and an append pushes onto
 * the last node (O(1) amortised). XDEL marks an entry deleted inside its node (a tombstone, as
 * Redis does) and a node goes away once it holds no live entry; trimming removes whole nodes, and
 * exact trimming then marks entries of the node it stops in. Keeping Redis's node boundaries
 * (the listpack's byte size is tracked as Redis lays it out) makes approximate trimming
 * (`MAXLEN ~`, `MINID ~`) remove what Redis removes.
 *
 * Consumer groups each hold their last delivered id, their entries-read counter, a pending
 * entries list (PEL, ordered by id) of deliveries not yet acknowledged, and their consumers, each
 * with its own PEL (the same delivery records).
 */
import { listpackEntrySize } from './list-value.js';
import type { Collection, ValueKind } from './values.js';

/** A stream id: `ms << 64n | seq`. */
export type StreamId = bigint;

export const U64_MAX = (1n << 64n) - 1n;
export const MAX_ID: StreamId = (U64_MAX << 64n) | U64_MAX;
/** Redis's SCG_INVALID_ENTRIES_READ */
export const INVALID_ENTRIES_READ = -1;
/** STREAM_LISTPACK_MAX_SIZE */
const LISTPACK_MAX_SIZE = 1 << 30;

export function makeId(ms: bigint, seq: bigint): StreamId {
  return (ms << 64n) | seq;
}
export function idMs(id: StreamId): bigint {
  return id >> 64n;
}
export function idSeq(id: StreamId): bigint {
  return id & U64_MAX;
}
export function formatId(id: StreamId): string {
  return `${id >> 64n}-${id & U64_MAX}`;
}
/** The id after `id` (null past the last possible one). */
export function incrId(id: StreamId): StreamId | null {
  return id === MAX_ID ? null : id + 1n;
}
/** The id before `id` (null before 0-0). */
export function decrId(id: StreamId): StreamId | null {
  return id === 0n ? null : id - 1n;
}

/** Bytes a listpack entry holding the integer `n` takes. */
function intSize(n: number | bigint): number {
  return listpackEntrySize(String(n));
}

/** One node: a listpack of Redis's layout, as arrays. */
export class StreamNode {
  readonly ids: StreamId[] = [];
  /** each entry's fields and values, interleaved */
  readonly entries: string[][] = [];
  readonly deleted: boolean[] = [];
  live = 0;
  dead = 0;
  /** the listpack bytes except the live/deleted counters' elements */
  bytes: number;
  constructor(
    readonly master: StreamId,
    readonly fields: readonly string[],
  ) {
    // header (6) + end (1); master entry: count, deleted, num-fields, the fields, the 0 terminator
    let b = 7 + intSize(fields.length / 1) + intSize(0);
    for (const f of fields) b += listpackEntrySize(f);
    this.bytes = b;
  }

  /** The listpack's size in bytes. */
  get listpackBytes(): number {
    return this.bytes + intSize(this.live) + intSize(this.dead);
  }

  get count(): number {
    return this.ids.length;
  }

  /** Appends an entry (its id above every id in the node). */
  push(id: StreamId, pairs: string[]): void {
    const n = pairs.length / 2;
    let same = n === this.fields.length;
    for (let i = 0; same && i < n; i++) if (pairs[2 * i] !== this.fields[i]) same = false;
    let b = intSize(same ? 2 : 0);
    b += intSize(BigInt.asIntN(64, idMs(id) - idMs(this.master)));
    b += intSize(BigInt.asIntN(64, idSeq(id) - idSeq(this.master)));
    if (same) {
      for (let i = 0; i < n; i++) b += listpackEntrySize(pairs[2 * i + 1]!);
      b += intSize(n + 3);
    } else {
      b += intSize(n);
      for (const s of pairs) b += listpackEntrySize(s);
      b += intSize(2 * n + 4);
    }
    this.bytes += b;
    this.ids.push(id);
    this.entries.push(pairs);
    this.deleted.push(false);
    this.live++;
  }

  /** Index of the first entry whose id is >= id (this.count if none). */
  lowerBound(id: StreamId): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ids[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Marks entry `i` deleted. */
  markDeleted(i: number): void {
    this.deleted[i] = true;
    this.live--;
    this.dead++;
  }

  clone(): StreamNode {
    const n = new StreamNode(this.master, this.fields);
    (n.ids as StreamId[]).push(...this.ids);
    for (const e of this.entries) n.entries.push(e.slice());
    n.deleted.push(...this.deleted);
    n.live = this.live;
    n.dead = this.dead;
    n.bytes = this.bytes;
    return n;
  }
}

/** An entry as read: its id and its fields and values, interleaved. */
export type StreamEntry = [StreamId, string[]];

/** A delivered, not yet acknowledged entry (Redis's streamNACK). */
export class Nack {
  constructor(
    public consumer: Consumer,
    public deliveryTime: number,
    public deliveryCount: number,
  ) {}
}

/** Ids in order with a value each: a PEL. */
export class IdIndex<T> {
  readonly ids: StreamId[] = [];
  readonly map = new Map<StreamId, T>();

  get size(): number {
    return this.ids.length;
  }
  get(id: StreamId): T | undefined {
    return this.map.get(id);
  }
  has(id: StreamId): boolean {
    return this.map.has(id);
  }
  /** Index of the first id >= id. */
  lowerBound(id: StreamId): number {
    const ids = this.ids;
    let lo = 0;
    let hi = ids.length;
    if (hi !== 0 && ids[hi - 1]! < id) return hi;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ids[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  set(id: StreamId, v: T): void {
    if (!this.map.has(id)) {
      const ids = this.ids;
      if (ids.length === 0 || ids[ids.length - 1]! < id) ids.push(id);
      else ids.splice(this.lowerBound(id), 0, id);
    }
    this.map.set(id, v);
  }
  delete(id: StreamId): boolean {
    if (!this.map.delete(id)) return false;
    const ids = this.ids;
    if (ids[0] === id) ids.shift();
    else ids.splice(this.lowerBound(id), 1);
    return true;
  }
  first(): StreamId | undefined {
    return this.ids[0];
  }
  last(): StreamId | undefined {
    return this.ids[this.ids.length - 1];
  }
}

export class Consumer {
  readonly pel = new IdIndex<Nack>();
  constructor(
    readonly name: string,
    public seenTime: number,
  ) {}
}

export class ConsumerGroup {
  readonly pel = new IdIndex<Nack>();
  readonly consumers = new Map<string, Consumer>();
  constructor(
    readonly name: string,
    public lastId: StreamId,
    public entriesRead: number,
  ) {}

  /** The consumers in name order (Redis keeps them in a radix tree). */
  sortedConsumers(): Consumer[] {
    return [...this.consumers.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Creates `name` (seen at `now`) when missing; returns it and whether it was created. */
  consumer(name: string, now: number): [Consumer, boolean] {
    const found = this.consumers.get(name);
    if (found !== undefined) return [found, false];
    const created = new Consumer(name, now);
    this.consumers.set(name, created);
    return [created, true];
  }

  /** Deletes consumer `name`; returns how many pending entries it had (-1: no such consumer). */
  deleteConsumer(name: string): number {
    const cons = this.consumers.get(name);
    if (cons === undefined) return -1;
    const pending = cons.pel.size;
    for (const id of cons.pel.ids) this.pel.delete(id);
    this.consumers.delete(name);
    return pending;
  }
}

/** How a trim is asked for (XADD's and XTRIM's MAXLEN/MINID options). */
export interface TrimSpec {
  strategy: 'maxlen' | 'minid';
  /** MAXLEN's count */
  maxlen: number;
  /** MINID's id */
  minid: StreamId;
  approx: boolean;
  /** at most this many entries removed (0: no limit) */
  limit: number;
}

/** The node limits (stream-node-max-bytes, stream-node-max-entries). */
export interface NodeLimits {
  bytes: number;
  entries: number;
}

export class StreamValue implements Collection {
  get kind(): ValueKind<StreamValue> {
    return STREAM;
  }

  nodes: StreamNode[] = [];
  length = 0;
  lastId: StreamId = 0n;
  /** recorded-first-entry-id */
  firstId: StreamId = 0n;
  maxDeletedId: StreamId = 0n;
  entriesAdded = 0;
  readonly groups = new Map<string, ConsumerGroup>();
  /** a running estimate of the entries' bytes (memory accounting) */
  payload = 0;
  /** the size last reported to the keyspace (see `resized`) */
  accounted = 0;

  /** The change of `size()` since the last call: what the keyspace is told after an edit. */
  resized(): number {
    const now = this.size();
    const delta = now - this.accounted;
    this.accounted = now;
    return delta;
  }

  /** The groups in name order. */
  sortedGroups(): ConsumerGroup[] {
    return [...this.groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The id XADD `*` gives at time `now` (null when the stream has used the last id). */
  nextAutoId(now: number): StreamId | null {
    const ms = BigInt(now);
    if (ms > idMs(this.lastId)) return makeId(ms, 0n);
    return incrId(this.lastId);
  }

  /** Appends an entry with `id` (above lastId: the caller checks) and its field/value pairs. */
  append(id: StreamId, pairs: string[], limits: NodeLimits): void {
    let node: StreamNode | undefined = this.nodes[this.nodes.length - 1];
    if (node !== undefined) {
      let totalLength = 0;
      for (const s of pairs) totalLength += s.length;
      const maxBytes = limits.bytes === 0 || limits.bytes > LISTPACK_MAX_SIZE ? LISTPACK_MAX_SIZE : limits.bytes;
      if (node.listpackBytes + totalLength >= maxBytes) node = undefined;
      else if (limits.entries !== 0 && node.count >= limits.entries) node = undefined;
    }
    if (node === undefined) {
      const fields: string[] = [];
      for (let i = 0; i < pairs.length; i += 2) fields.push(pairs[i]!);
      node = new StreamNode(id, fields);
      this.nodes.push(node);
    }
    node.push(id, pairs);
    for (const s of pairs) this.payload += s.length + 8;
    this.payload += 24;
    if (this.length === 0) this.firstId = id;
    this.length++;
    this.lastId = id;
    this.entriesAdded++;
  }

  /** Index of the node that would hold `id`: the last whose master id is <= id (0 if none). */
  private nodeFor(id: StreamId): number {
    const nodes = this.nodes;
    let lo = 0;
    let hi = nodes.length - 1;
    if (hi < 0) return 0;
    if (nodes[hi]!.master <= id) return hi;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (nodes[mid]!.master <= id) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The entry with `id`, or undefined. */
  get(id: StreamId): string[] | undefined {
    const node = this.nodes[this.nodeFor(id)];
    if (node === undefined) return undefined;
    const i = node.lowerBound(id);
    if (i < node.count && node.ids[i] === id && !node.deleted[i]) return node.entries[i];
    return undefined;
  }

  /**
   * Up to `count` (0: all) live entries with start <= id <= end, ascending, or descending from
   * `end` when `rev`.
   */
  range(start: StreamId, end: StreamId, rev: boolean, count = 0): StreamEntry[] {
    const out: StreamEntry[] = [];
    if (start > end || this.length === 0) return out;
    const nodes = this.nodes;
    if (!rev) {
      let n = this.nodeFor(start);
      let i = nodes[n]!.lowerBound(start);
      for (; n < nodes.length; n++, i = 0) {
        const node = nodes[n]!;
        for (; i < node.count; i++) {
          const id = node.ids[i]!;
          if (id > end) return out;
          if (node.deleted[i]) continue;
          out.push([id, node.entries[i]!]);
          if (count !== 0 && out.length >= count) return out;
        }
      }
    } else {
      let n = this.nodeFor(end);
      let node = nodes[n]!;
      let i = node.lowerBound(end);
      if (i === node.count || node.ids[i]! > end) i--;
      for (; n >= 0; n--) {
        node = nodes[n]!;
        if (i === -2) i = node.count - 1;
        for (; i >= 0; i--) {
          const id = node.ids[i]!;
          if (id < start) return out;
          if (node.deleted[i]) continue;
          out.push([id, node.entries[i]!]);
          if (count !== 0 && out.length >= count) return out;
        }
        i = -2;
      }
    }
    return out;
  }

  /** The first (or last) live entry's id, or undefined when empty. */
  edgeId(last: boolean): StreamId | undefined {
    const r = last ? this.range(0n, MAX_ID, true, 1) : this.range(0n, MAX_ID, false, 1);
    return r.length === 0 ? undefined : r[0]![0];
  }

  /** Removes the live entry `id` (XDEL); returns whether it existed. */
  delete(id: StreamId): boolean {
    const n = this.nodeFor(id);
    const node = this.nodes[n];
    if (node === undefined) return false;
    const i = node.lowerBound(id);
    if (i >= node.count || node.ids[i] !== id || node.deleted[i]) return false;
    for (const s of node.entries[i]!) this.payload -= s.length + 8;
    this.payload -= 24;
    node.markDeleted(i);
    if (node.live === 0) this.nodes.splice(n, 1);
    this.length--;
    if (id > this.maxDeletedId) this.maxDeletedId = id;
    if (id === this.firstId) this.firstId = this.length === 0 ? 0n : this.edgeId(false)!;
    return true;
  }

  /** Trims as `spec` asks (XADD/XTRIM); returns how many entries were removed. */
  trim(spec: TrimSpec): number {
    let removed = 0;
    const nodes = this.nodes;
    let drop = 0;
    while (drop < nodes.length) {
      if (spec.strategy === 'maxlen' && this.length <= spec.maxlen) break;
      const node = nodes[drop]!;
      const entries = node.live;
      if (spec.limit !== 0 && removed + entries > spec.limit) break;
      const whole = spec.strategy === 'maxlen' ? this.length - entries >= spec.maxlen : node.ids[node.count - 1]! < spec.minid;
      if (whole) {
        for (let i = 0; i < node.count; i++) if (!node.deleted[i]) for (const s of node.entries[i]!) this.payload -= s.length + 8;
        this.payload -= 24 * entries;
        this.length -= entries;
        removed += entries;
        drop++;
        continue;
      }
      if (spec.approx) break;
      for (let i = 0; i < node.count; i++) {
        if (spec.strategy === 'maxlen' ? this.length <= spec.maxlen : node.ids[i]! >= spec.minid) break;
        if (node.deleted[i]) continue;
        for (const s of node.entries[i]!) this.payload -= s.length + 8;
        this.payload -= 24;
        node.markDeleted(i);
        this.length--;
        removed++;
      }
      break;
    }
    if (drop !== 0) nodes.splice(0, drop);
    if (removed !== 0 || drop !== 0) this.firstId = this.length === 0 ? 0n : this.edgeId(false)!;
    return removed;
  }

  /** Whether a deleted entry may lie in [start, end] (Redis's streamRangeHasTombstones). */
  rangeHasTombstones(start: StreamId, end: StreamId = MAX_ID): boolean {
    if (this.length === 0 || this.maxDeletedId === 0n) return false;
    if (this.firstId > this.maxDeletedId) return false;
    return start <= this.maxDeletedId && this.maxDeletedId <= end;
  }

  /**
   * The entries-read counter that `id` stands for, or INVALID_ENTRIES_READ when it cannot be
   * known (Redis's streamEstimateDistanceFromFirstEverEntry).
   */
  estimateEntriesRead(id: StreamId): number {
    if (this.entriesAdded === 0) return 0;
    if (this.length === 0 && id <= this.lastId) return this.entriesAdded;
    if (id === this.lastId) return this.entriesAdded;
    if (id > this.lastId) return INVALID_ENTRIES_READ;
    if (this.maxDeletedId === 0n || this.maxDeletedId < this.firstId) {
      if (id < this.firstId) return this.entriesAdded - this.length;
      if (id === this.firstId) return this.entriesAdded - this.length + 1;
    }
    return INVALID_ENTRIES_READ;
  }

  /** A group's lag, or null when it cannot be known (XINFO GROUPS). */
  lagOf(g: ConsumerGroup): number | null {
    if (this.entriesAdded === 0) return 0;
    if (g.entriesRead !== INVALID_ENTRIES_READ && !this.rangeHasTombstones(g.lastId)) return this.entriesAdded - g.entriesRead;
    const read = this.estimateEntriesRead(g.lastId);
    return read === INVALID_ENTRIES_READ ? null : this.entriesAdded - read;
  }

  /** How many nodes the stream has (XINFO STREAM radix-tree-keys). */
  get nodeCount(): number {
    return this.nodes.length;
  }

  clone(): StreamValue {
    const s = new StreamValue();
    s.nodes = this.nodes.map((n) => n.clone());
    s.length = this.length;
    s.lastId = this.lastId;
    s.firstId = this.firstId;
    s.maxDeletedId = this.maxDeletedId;
    s.entriesAdded = this.entriesAdded;
    s.payload = this.payload;
    for (const g of this.groups.values()) {
      const ng = new ConsumerGroup(g.name, g.lastId, g.entriesRead);
      for (const c of g.consumers.values()) ng.consumers.set(c.name, new Consumer(c.name, c.seenTime));
      for (const id of g.pel.ids) {
        const nack = g.pel.get(id)!;
        const owner = ng.consumers.get(nack.consumer.name)!;
        const copy = new Nack(owner, nack.deliveryTime, nack.deliveryCount);
        ng.pel.set(id, copy);
        owner.pel.set(id, copy);
      }
      s.groups.set(g.name, ng);
    }
    s.accounted = s.size();
    return s;
  }

  /** Approximate bytes (MEMORY USAGE, used_memory). */
  size(): number {
    let pending = 0;
    for (const g of this.groups.values()) pending += 96 + g.pel.size * 80 + g.consumers.size * 64;
    return 64 + this.nodes.length * 96 + this.payload + pending;
  }
}

export const STREAM: ValueKind<StreamValue> = {
  name: 'stream',
  encoding: () => 'stream',
  size: (v) => v.size(),
  copy: (v) => v.clone(),
};
