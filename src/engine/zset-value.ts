/*
 * The sorted set value (TYPE `zset`), after Redis's t_zset.c data structures.
 *
 * Elements are ordered by score, then by member bytes (memcmp order: members are latin1 strings,
 * one char per byte, and JS string comparison compares char codes, so `<` is byte order with a
 * shorter prefix first). Two forms, as in Redis 7.0:
 *  - compact (`listpack`): ONE packed latin1 string holding the elements in order, each a member
 *    entry (packed-entries.ts: a length header, then its bytes) followed by its score as the 8
 *    bytes of a float64 — no object per element and no dictionary; lookups by member scan (at
 *    most `zset-max-listpack-entries`, 128 by default), compared in place. A write builds a new
 *    flat string (O(n), as Redis memmoves a listpack). As Redis's listpack stores a score as
 *    text and reads back `-0` as the integer 0, a compact set stores -0 as 0.
 *  - `skiplist`: a skiplist with spans (O(log n) insert, delete, rank, and range start by rank or
 *    score) beside a Map member → score (O(1) score lookup).
 * A compact set converts one way to the skiplist when an insert would take it past the entry
 * count or the member length limits (the caller passes the limits: the engine reads no config);
 * results of the STORE commands are built and then made compact if they fit (`compactIfFits`).
 */
import { entryEnd, entryStart, encodeEntry, flatString } from './packed-entries.js';
import { registerPacking } from './packed-collections.js';
import type { Collection, ValueKind } from './values.js';

const MAX_LEVEL = 32;
const LEVEL_P = 0.25;

class SkipNode {
  backward: SkipNode | null = null;
  readonly next: Array<SkipNode | null>;
  readonly span: number[];
  constructor(
    readonly member: string,
    public score: number,
    level: number,
  ) {
    this.next = new Array<SkipNode | null>(level).fill(null);
    this.span = new Array<number>(level).fill(0);
  }
}

/** A lexicographic range end: `-`/`+` (inf -1/1) or a member, inclusive or exclusive. */
export interface LexBound {
  inf: -1 | 0 | 1;
  value: string;
  ex: boolean;
}

/** A score range end. */
export interface ScoreBound {
  value: number;
  ex: boolean;
}

/** `a` sorts before `b` (score, then member bytes). */
function before(as: number, am: string, bs: number, bm: string): boolean {
  return as < bs || (as === bs && am < bm);
}

export function lexGteMin(m: string, min: LexBound): boolean {
  if (min.inf !== 0) return min.inf < 0;
  return min.ex ? m > min.value : m >= min.value;
}

export function lexLteMax(m: string, max: LexBound): boolean {
  if (max.inf !== 0) return max.inf > 0;
  return max.ex ? m < max.value : m <= max.value;
}

function randomLevel(): number {
  let level = 1;
  while (level < MAX_LEVEL && Math.random() < LEVEL_P) level++;
  return level;
}

/** Scratch space of insert and delete (one operation runs at a time). */
const UPDATE: SkipNode[] = [];
const RANK: number[] = [];

class SkipList {
  readonly head = new SkipNode('', 0, MAX_LEVEL);
  tail: SkipNode | null = null;
  length = 0;
  level = 1;

  insert(member: string, score: number): void {
    const update = UPDATE;
    const rank = RANK;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1]!;
      let n = x.next[i]!;
      while (n !== null && before(n.score, n.member, score, member)) {
        rank[i]! += x.span[i]!;
        x = n;
        n = x.next[i]!;
      }
      update[i] = x;
    }
    const level = randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.head;
        this.head.span[i] = this.length;
      }
      this.level = level;
    }
    const node = new SkipNode(member, score, level);
    for (let i = 0; i < level; i++) {
      const u = update[i]!;
      node.next[i] = u.next[i]!;
      u.next[i] = node;
      node.span[i] = u.span[i]! - (rank[0]! - rank[i]!);
      u.span[i] = rank[0]! - rank[i]! + 1;
    }
    for (let i = level; i < this.level; i++) update[i]!.span[i]!++;
    node.backward = update[0] === this.head ? null : update[0]!;
    if (node.next[0] !== null) node.next[0]!.backward = node;
    else this.tail = node;
    this.length++;
  }

  delete(member: string, score: number): boolean {
    const update = UPDATE;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (n !== null && before(n.score, n.member, score, member)) {
        x = n;
        n = x.next[i]!;
      }
      update[i] = x;
    }
    const node = x.next[0]!;
    if (node === null || node.score !== score || node.member !== member) return false;
    for (let i = 0; i < this.level; i++) {
      const u = update[i]!;
      if (u.next[i] === node) {
        u.span[i]! += node.span[i]! - 1;
        u.next[i] = node.next[i]!;
      } else {
        u.span[i]!--;
      }
    }
    if (node.next[0] !== null) node.next[0]!.backward = node.backward;
    else this.tail = node.backward;
    while (this.level > 1 && this.head.next[this.level - 1] === null) this.level--;
    this.length--;
    return true;
  }

  /** 0-based rank of the element, or -1. */
  rank(member: string, score: number): number {
    let rank = 0;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (n !== null && (before(n.score, n.member, score, member) || (n.score === score && n.member === member))) {
        rank += x.span[i]!;
        x = n;
        n = x.next[i]!;
      }
      if (x !== this.head && x.member === member && x.score === score) return rank - 1;
    }
    return -1;
  }

  /** The node at 0-based rank. */
  at(rank: number): SkipNode | null {
    let traversed = 0;
    let x = this.head;
    const target = rank + 1;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (n !== null && traversed + x.span[i]! <= target) {
        traversed += x.span[i]!;
        x = n;
        n = x.next[i]!;
      }
      if (traversed === target) return x;
    }
    return null;
  }

  /** How many leading elements satisfy `pred` (which must hold for a prefix of the order). */
  countWhile(pred: (n: SkipNode) => boolean): number {
    let rank = 0;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (n !== null && pred(n)) {
        rank += x.span[i]!;
        x = n;
        n = x.next[i]!;
      }
    }
    return rank;
  }
}

const f64 = new Float64Array(1);
const f64u8 = new Uint8Array(f64.buffer);

/** The score stored at `at` of a packed string (8 chars, one per byte of the float64). */
function scoreAt(lp: string, at: number): number {
  for (let i = 0; i < 8; i++) f64u8[i] = lp.charCodeAt(at + i);
  return f64[0]!;
}

/** The 8 chars that store `score`. */
function scoreChars(score: number): string {
  f64[0] = score;
  return String.fromCharCode(f64u8[0]!, f64u8[1]!, f64u8[2]!, f64u8[3]!, f64u8[4]!, f64u8[5]!, f64u8[6]!, f64u8[7]!);
}

/** Whether the member entry of `lp` at `at` holds exactly `member` (compared in place). */
function memberIs(lp: string, at: number, member: string): boolean {
  const start = entryStart(lp, at);
  const n = member.length;
  if (entryEnd(lp, at) - start !== n) return false;
  let j = 0;
  while (j < n && lp.charCodeAt(start + j) === member.charCodeAt(j)) j++;
  return j === n;
}

/** Offset just past the element (member entry and score) at `at`. */
function elementEnd(lp: string, at: number): number {
  return entryEnd(lp, at) + 8;
}

/** The member of the element at `at` (a string of its own: slices would keep `lp` alive). */
function memberAt(lp: string, at: number): string {
  const start = entryStart(lp, at);
  const end = entryEnd(lp, at);
  return end - start < 13 ? lp.slice(start, end) : flatString(lp.slice(start, end));
}

export class ZSetValue implements Collection {
  readonly kind: ValueKind<ZSetValue> = ZSET;
  /** compact form: the packed elements in order (null once converted) */
  private lp: string | null = '';
  /** elements in the compact form */
  private n = 0;
  /** skiplist form */
  private dict: Map<string, number> | null = null;
  private list: SkipList | null = null;
  /** sum of member lengths, for memory accounting */
  bytes = 0;

  /** A new set, compact unless `compact` is false (Redis's createZsetObject). */
  constructor(compact = true) {
    if (!compact) this.convert();
  }

  get size(): number {
    return this.lp !== null ? this.n : this.list!.length;
  }

  get encoding(): 'listpack' | 'skiplist' {
    return this.lp !== null ? 'listpack' : 'skiplist';
  }

  /** Offset in the packed string of the element of rank `rank` (compact form). */
  private offsetOf(rank: number): number {
    const lp = this.lp!;
    let at = 0;
    for (let i = 0; i < rank; i++) at = elementEnd(lp, at);
    return at;
  }

  /** Offset and rank of `member` in the packed string, or -1 (compact form; rank in `foundRank`). */
  private findMember(member: string): number {
    const lp = this.lp!;
    let rank = 0;
    for (let at = 0; at < lp.length; at = elementEnd(lp, at), rank++) {
      if (memberIs(lp, at, member)) {
        this.foundRank = rank;
        return at;
      }
    }
    return -1;
  }

  private foundRank = 0;

  /** Converts to the skiplist form (one way). */
  convert(): void {
    const lp = this.lp;
    if (lp === null) return;
    const dict = new Map<string, number>();
    const list = new SkipList();
    for (let at = 0; at < lp.length; at = elementEnd(lp, at)) {
      const member = memberAt(lp, at);
      const score = scoreAt(lp, entryEnd(lp, at));
      dict.set(member, score);
      list.insert(member, score);
    }
    this.dict = dict;
    this.list = list;
    this.lp = null;
    this.n = 0;
  }

  /** Makes a skiplist set compact again if it fits the limits (Redis's zsetConvertToListpackIfNeeded). */
  compactIfFits(maxEntries: number, maxValue: number): void {
    if (this.lp !== null || this.size > maxEntries) return;
    const parts: string[] = [];
    for (let n = this.list!.head.next[0]!; n !== null; n = n.next[0]!) {
      if (n.member.length > maxValue) return;
      parts.push(encodeEntry(n.member), scoreChars(n.score === 0 ? 0 : n.score));
    }
    this.n = this.list!.length;
    this.lp = flatString(...parts);
    this.dict = null;
    this.list = null;
  }

  score(member: string): number | undefined {
    if (this.dict !== null) return this.dict.get(member);
    const at = this.findMember(member);
    return at < 0 ? undefined : scoreAt(this.lp!, entryEnd(this.lp!, at));
  }

  has(member: string): boolean {
    return this.dict !== null ? this.dict.has(member) : this.findMember(member) >= 0;
  }

  /**
   * Adds a member that is not in the set, converting first to the skiplist when the compact form
   * would exceed `maxEntries` elements or hold a member longer than `maxValue` bytes.
   */
  insert(member: string, score: number, maxEntries: number, maxValue: number): void {
    if (this.lp !== null && (this.n + 1 > maxEntries || member.length > maxValue)) this.convert();
    this.bytes += member.length;
    if (this.lp !== null) {
      if (score === 0) score = 0; // -0 reads back as 0 from a listpack
      this.compactInsert(member, score);
    } else {
      this.dict!.set(member, score);
      this.list!.insert(member, score);
    }
  }

  private compactInsert(member: string, score: number): void {
    const lp = this.lp!;
    // the first element after (score, member)
    let at = 0;
    while (at < lp.length) {
      const end = entryEnd(lp, at);
      const s = scoreAt(lp, end);
      if (s > score) break;
      if (s === score && lp.slice(entryStart(lp, at), end) > member) break;
      at = end + 8;
    }
    this.lp = flatString(lp.slice(0, at), encodeEntry(member), scoreChars(score), lp.slice(at));
    this.n++;
  }

  /** Removes the compact element at offset `at`. */
  private compactRemoveAt(at: number): void {
    const lp = this.lp!;
    this.lp = flatString(lp.slice(0, at), lp.slice(elementEnd(lp, at)));
    this.n--;
  }

  /** Changes the score of a member that is in the set. */
  setScore(member: string, score: number): void {
    if (this.lp !== null) {
      this.compactRemoveAt(this.findMember(member));
      this.compactInsert(member, score === 0 ? 0 : score);
      return;
    }
    const old = this.dict!.get(member)!;
    if (old === score) return;
    this.list!.delete(member, old);
    this.list!.insert(member, score);
    this.dict!.set(member, score);
  }

  /** Removes a member; returns whether it was there. */
  remove(member: string): boolean {
    if (this.lp !== null) {
      const at = this.findMember(member);
      if (at < 0) return false;
      this.compactRemoveAt(at);
    } else {
      const score = this.dict!.get(member);
      if (score === undefined) return false;
      this.dict!.delete(member);
      this.list!.delete(member, score);
    }
    this.bytes -= member.length;
    return true;
  }

  /** 0-based rank in ascending order, or -1 when absent. */
  rank(member: string): number {
    if (this.lp !== null) return this.findMember(member) < 0 ? -1 : this.foundRank;
    const score = this.dict!.get(member);
    return score === undefined ? -1 : this.list!.rank(member, score);
  }

  /** How many elements score below `score` (or at most `score` when `inclusive`). */
  countBelow(score: number, inclusive: boolean): number {
    if (this.lp !== null) {
      const lp = this.lp;
      let rank = 0;
      for (let at = 0; at < lp.length; rank++) {
        const end = entryEnd(lp, at);
        const s = scoreAt(lp, end);
        if (!(s < score || (inclusive && s === score))) break;
        at = end + 8;
      }
      return rank;
    }
    return this.list!.countWhile((n) => n.score < score || (inclusive && n.score === score));
  }

  /** Ranks [lo, hi) of the elements within a score range. */
  scoreRange(min: ScoreBound, max: ScoreBound): [number, number] {
    const lo = this.countBelow(min.value, min.ex);
    const hi = this.countBelow(max.value, !max.ex);
    return [lo, Math.max(lo, hi)];
  }

  /** The members of the compact form, in order. */
  private members(): string[] {
    const lp = this.lp!;
    const out: string[] = [];
    for (let at = 0; at < lp.length; at = elementEnd(lp, at)) out.push(memberAt(lp, at));
    return out;
  }

  /**
   * Ranks [lo, hi) of the elements within a lex range (meaningful when all scores are equal).
   * The compact form scans as Redis's listpack code does: forward from the first element >= min
   * while <= max, or (`rev`) backward from the last element <= max while >= min.
   */
  lexRange(min: LexBound, max: LexBound, rev = false): [number, number] {
    if (this.lp !== null) {
      const cm = this.members();
      if (!rev) {
        let lo = 0;
        while (lo < cm.length && !lexGteMin(cm[lo]!, min)) lo++;
        let hi = lo;
        while (hi < cm.length && lexLteMax(cm[hi]!, max)) hi++;
        return [lo, hi];
      }
      let hi = cm.length;
      while (hi > 0 && !lexLteMax(cm[hi - 1]!, max)) hi--;
      let lo = hi;
      while (lo > 0 && lexGteMin(cm[lo - 1]!, min)) lo--;
      return [lo, hi];
    }
    const lo = this.list!.countWhile((n) => !lexGteMin(n.member, min));
    const hi = this.list!.countWhile((n) => lexLteMax(n.member, max));
    return [lo, Math.max(lo, hi)];
  }

  /**
   * Calls `fn` for the elements of ranks [lo, hi), ascending, or descending when `rev`.
   * `fn` must not modify the set.
   */
  each(lo: number, hi: number, rev: boolean, fn: (member: string, score: number) => void): void {
    if (lo >= hi) return;
    if (this.lp !== null) {
      const lp = this.lp;
      if (!rev) {
        let at = this.offsetOf(lo);
        for (let i = lo; i < hi; i++) {
          const end = entryEnd(lp, at);
          fn(memberAt(lp, at), scoreAt(lp, end));
          at = end + 8;
        }
        return;
      }
      const offsets: number[] = [];
      let at = this.offsetOf(lo);
      for (let i = lo; i < hi; i++, at = elementEnd(lp, at)) offsets.push(at);
      for (let i = offsets.length - 1; i >= 0; i--) fn(memberAt(lp, offsets[i]!), scoreAt(lp, entryEnd(lp, offsets[i]!)));
      return;
    }
    let n = this.list!.at(rev ? hi - 1 : lo);
    for (let k = hi - lo; k > 0 && n !== null; k--) {
      fn(n.member, n.score);
      n = rev ? n.backward : n.next[0]!;
    }
  }

  /** The elements of ranks [lo, hi) as [member, score] pairs, in order (or reversed). */
  slice(lo: number, hi: number, rev = false): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    this.each(lo, hi, rev, (m, s) => out.push([m, s]));
    return out;
  }

  /** Every member with its score, in order. */
  entries(): Array<[string, number]> {
    return this.slice(0, this.size);
  }

  /** Member → score in no particular order: the live Map of a skiplist set (ZSCAN). */
  memberScores(): Iterable<[string, number]> {
    return this.dict !== null ? this.dict : this.entries();
  }

  /** The element at a 0-based rank. */
  at(rank: number): [string, number] | undefined {
    if (rank < 0 || rank >= this.size) return undefined;
    if (this.lp !== null) {
      const at = this.offsetOf(rank);
      return [memberAt(this.lp, at), scoreAt(this.lp, entryEnd(this.lp, at))];
    }
    const n = this.list!.at(rank)!;
    return [n.member, n.score];
  }

  /** The compact form's packed elements (packed-collections.ts), or null once a skiplist. */
  packed(): string | null {
    return this.lp;
  }

  /** The set whose packed elements are `lp`. */
  static fromPacked(lp: string): ZSetValue {
    const z = new ZSetValue();
    z.lp = lp;
    let n = 0;
    let bytes = 0;
    for (let at = 0; at < lp.length; at = elementEnd(lp, at)) {
      n++;
      bytes += entryEnd(lp, at) - entryStart(lp, at);
    }
    z.n = n;
    z.bytes = bytes;
    return z;
  }

  /** A deep copy, in the same form. */
  clone(): ZSetValue {
    const z = new ZSetValue();
    if (this.lp !== null) {
      z.lp = this.lp;
      z.n = this.n;
    } else {
      z.convert();
      for (let n = this.list!.head.next[0]!; n !== null; n = n.next[0]!) {
        z.dict!.set(n.member, n.score);
        z.list!.insert(n.member, n.score);
      }
    }
    z.bytes = this.bytes;
    return z;
  }
}

/** The sorted set kind. */
export const ZSET: ValueKind<ZSetValue> = {
  name: 'zset',
  encoding: (v) => v.encoding,
  size: (v) => (v.encoding === 'listpack' ? 56 + v.bytes + 9 * v.size : 96 + v.bytes + 120 * v.size),
  copy: (v) => v.clone(),
  packing: { id: 3, pack: (v) => v.packed(), unpack: (lp) => ZSetValue.fromPacked(lp) },
};
registerPacking(ZSET);
