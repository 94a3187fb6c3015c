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
const UPDATE = new Int32Array(MAX_LEVEL);
const RANK = new Float64Array(MAX_LEVEL);

/** the head's id; as a successor or predecessor it means none */
const NIL = 0;

/**
 * Redis's skiplist with spans, its nodes held in typed arrays rather than as objects: a node is
 * an id, its score in `scores`, its member in `members`, its backward link in `back`, and its
 * levels' (next, span) pairs in a block of `links` starting at `offs[id]`. A step of a search
 * reads two arrays (the link, the next node's score) where node objects cost four loads from
 * scattered objects (node, its next array, the next node, its boxed score), and a set of n
 * elements is a handful of arrays instead of 3n objects for the garbage collector to trace.
 * Freed ids and link blocks (by level) are reused.
 */
class SkipList {
  private scores = new Float64Array(16);
  private members: string[] = [''];
  private back = new Int32Array(16);
  private levels = new Uint8Array(16);
  private offs = new Int32Array(16);
  /** for node n and level i: links[offs[n] + 2i] the next node (NIL: none), + 1 its span */
  private links = new Int32Array(256);
  private linksUsed = 2 * MAX_LEVEL;
  private readonly freeBlocks: number[][] = Array.from({ length: MAX_LEVEL + 1 }, () => []);
  private readonly freeIds: number[] = [];
  private nextId = 1;
  tail = NIL;
  length = 0;
  level = 1;

  constructor() {
    this.levels[NIL] = MAX_LEVEL;
  }

  memberOf(n: number): string {
    return this.members[n]!;
  }

  scoreOf(n: number): number {
    return this.scores[n]!;
  }

  /** The first node (NIL when empty). */
  first(): number {
    return this.links[this.offs[NIL]!]!;
  }

  /** The node after `n` (NIL: none). */
  nextOf(n: number): number {
    return this.links[this.offs[n]!]!;
  }

  /** The node before `n` (NIL: none). */
  prevOf(n: number): number {
    return this.back[n]!;
  }

  private allocNode(member: string, score: number, level: number): number {
    let id = this.freeIds.pop();
    if (id === undefined) {
      id = this.nextId++;
      if (id === this.scores.length) this.growNodes();
    }
    let block = this.freeBlocks[level]!.pop();
    if (block === undefined) {
      block = this.linksUsed;
      this.linksUsed += 2 * level;
      if (this.linksUsed > this.links.length) {
        const next = new Int32Array(Math.max(this.links.length * 2, this.linksUsed));
        next.set(this.links);
        this.links = next;
      }
    }
    this.links.fill(0, block, block + 2 * level);
    this.offs[id] = block;
    this.levels[id] = level;
    this.scores[id] = score;
    if (id === this.members.length) this.members.push(member);
    else this.members[id] = member;
    return id;
  }

  private growNodes(): void {
    const cap = this.scores.length * 2;
    const scores = new Float64Array(cap);
    scores.set(this.scores);
    this.scores = scores;
    const back = new Int32Array(cap);
    back.set(this.back);
    this.back = back;
    const levels = new Uint8Array(cap);
    levels.set(this.levels);
    this.levels = levels;
    const offs = new Int32Array(cap);
    offs.set(this.offs);
    this.offs = offs;
  }

  private freeNode(n: number): void {
    this.freeBlocks[this.levels[n]!]!.push(this.offs[n]!);
    this.members[n] = '';
    this.freeIds.push(n);
  }

  insert(member: string, score: number): void {
    const update = UPDATE;
    const rank = RANK;
    const scores = this.scores;
    const members = this.members;
    let links = this.links;
    let offs = this.offs;
    let x = NIL;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1]!;
      let li = offs[x]! + 2 * i;
      let n = links[li]!;
      while (n !== NIL) {
        const ns = scores[n]!;
        if (!(ns < score || (ns === score && members[n]! < member))) break;
        rank[i]! += links[li + 1]!;
        x = n;
        li = offs[x]! + 2 * i;
        n = links[li]!;
      }
      update[i] = x;
    }
    const level = randomLevel();
    if (level > this.level) {
      const head = offs[NIL]!;
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = NIL;
        links[head + 2 * i + 1] = this.length;
      }
      this.level = level;
    }
    const node = this.allocNode(member, score, level);
    links = this.links;
    offs = this.offs;
    const o = offs[node]!;
    const r0 = rank[0]!;
    for (let i = 0; i < level; i++) {
      const uo = offs[update[i]!]! + 2 * i;
      links[o + 2 * i] = links[uo]!;
      links[uo] = node;
      links[o + 2 * i + 1] = links[uo + 1]! - (r0 - rank[i]!);
      links[uo + 1] = r0 - rank[i]! + 1;
    }
    for (let i = level; i < this.level; i++) links[offs[update[i]!]! + 2 * i + 1]!++;
    this.back[node] = update[0]!;
    const after = links[o]!;
    if (after !== NIL) this.back[after] = node;
    else this.tail = node;
    this.length++;
  }

  /** Fills UPDATE with the last node before (score, member) at each level; returns the node after at level 0. */
  private seek(member: string, score: number): number {
    const update = UPDATE;
    const scores = this.scores;
    const members = this.members;
    const links = this.links;
    const offs = this.offs;
    let x = NIL;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = links[offs[x]! + 2 * i]!;
      while (n !== NIL) {
        const ns = scores[n]!;
        if (!(ns < score || (ns === score && members[n]! < member))) break;
        x = n;
        n = links[offs[x]! + 2 * i]!;
      }
      update[i] = x;
    }
    return links[offs[x]!]!;
  }

  /** Unlinks `node`, whose predecessors `seek` left in UPDATE (Redis's zslDeleteNode). */
  private unlink(node: number): void {
    const update = UPDATE;
    const links = this.links;
    const offs = this.offs;
    const no = offs[node]!;
    for (let i = 0; i < this.level; i++) {
      const uo = offs[update[i]!]! + 2 * i;
      if (links[uo] === node) {
        links[uo + 1]! += links[no + 2 * i + 1]! - 1;
        links[uo] = links[no + 2 * i]!;
      } else {
        links[uo + 1]!--;
      }
    }
    const after = links[no]!;
    if (after !== NIL) this.back[after] = this.back[node]!;
    else this.tail = this.back[node]!;
    const head = offs[NIL]!;
    while (this.level > 1 && links[head + 2 * (this.level - 1)] === NIL) this.level--;
    this.length--;
  }

  delete(member: string, score: number): boolean {
    const node = this.seek(member, score);
    if (node === NIL || this.scores[node] !== score || this.members[node] !== member) return false;
    this.unlink(node);
    this.freeNode(node);
    return true;
  }

  /**
   * Changes the score of the element (member, old) to `score` (Redis's zslUpdateScore): in place
   * when it keeps its position, else removed and inserted again.
   */
  updateScore(member: string, old: number, score: number): void {
    const node = this.seek(member, old);
    const prev = this.back[node]!;
    const after = this.links[this.offs[node]!]!;
    if ((prev === NIL || this.scores[prev]! < score) && (after === NIL || this.scores[after]! > score)) {
      this.scores[node] = score;
      return;
    }
    this.unlink(node);
    this.freeNode(node);
    this.insert(member, score);
  }

  /** 0-based rank of the element, or -1. */
  rank(member: string, score: number): number {
    const scores = this.scores;
    const members = this.members;
    const links = this.links;
    const offs = this.offs;
    let rank = 0;
    let x = NIL;
    for (let i = this.level - 1; i >= 0; i--) {
      let li = offs[x]! + 2 * i;
      let n = links[li]!;
      while (n !== NIL) {
        const ns = scores[n]!;
        if (!(ns < score || (ns === score && members[n]! <= member))) break;
        rank += links[li + 1]!;
        x = n;
        li = offs[x]! + 2 * i;
        n = links[li]!;
      }
      if (x !== NIL && members[x] === member && scores[x] === score) return rank - 1;
    }
    return -1;
  }

  /** The node at 0-based rank (NIL when out of range). */
  at(rank: number): number {
    const links = this.links;
    const offs = this.offs;
    let traversed = 0;
    let x = NIL;
    const target = rank + 1;
    for (let i = this.level - 1; i >= 0; i--) {
      let li = offs[x]! + 2 * i;
      let n = links[li]!;
      while (n !== NIL && traversed + links[li + 1]! <= target) {
        traversed += links[li + 1]!;
        x = n;
        li = offs[x]! + 2 * i;
        n = links[li]!;
      }
      if (traversed === target) return x;
    }
    return NIL;
  }

  /** How many leading elements satisfy `pred` (which must hold for a prefix of the order). */
  countWhile(pred: (member: string, score: number) => boolean): number {
    const scores = this.scores;
    const members = this.members;
    const links = this.links;
    const offs = this.offs;
    let rank = 0;
    let x = NIL;
    for (let i = this.level - 1; i >= 0; i--) {
      let li = offs[x]! + 2 * i;
      let n = links[li]!;
      while (n !== NIL && pred(members[n]!, scores[n]!)) {
        rank += links[li + 1]!;
        x = n;
        li = offs[x]! + 2 * i;
        n = links[li]!;
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
    const list = this.list!;
    for (let n = list.first(); n !== NIL; n = list.nextOf(n)) {
      const member = list.memberOf(n);
      if (member.length > maxValue) return;
      const score = list.scoreOf(n);
      parts.push(encodeEntry(member), scoreChars(score === 0 ? 0 : score));
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
    this.list!.updateScore(member, old, score);
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
    return this.list!.countWhile((_, s) => s < score || (inclusive && s === score));
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
    const lo = this.list!.countWhile((m) => !lexGteMin(m, min));
    const hi = this.list!.countWhile((m) => lexLteMax(m, max));
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
    const list = this.list!;
    let n = list.at(rev ? hi - 1 : lo);
    for (let k = hi - lo; k > 0 && n !== NIL; k--) {
      fn(list.memberOf(n), list.scoreOf(n));
      n = rev ? list.prevOf(n) : list.nextOf(n);
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
    const list = this.list!;
    const n = list.at(rank);
    return [list.memberOf(n), list.scoreOf(n)];
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
      const list = this.list!;
      for (let n = list.first(); n !== NIL; n = list.nextOf(n)) {
        z.dict!.set(list.memberOf(n), list.scoreOf(n));
        z.list!.insert(list.memberOf(n), list.scoreOf(n));
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
