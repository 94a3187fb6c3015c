/*
 * The sorted set value (TYPE `zset`), after Redis's t_zset.c data structures.
 *
 * Elements are ordered by score, then by member bytes (memcmp order: members are latin1 strings,
 * one char per byte, and JS string comparison compares char codes, so `<` is byte order with a
 * shorter prefix first). Two forms, as in Redis 7.0:
 *  - compact (`listpack`): ONE packed latin1 string holding the elements in order, each a member
 *    entry (packed-entries.ts: a length header, then its bytes) followed by its score as the 8
 *    bytes of a float64 — no object per element and no dictionary; lookups by member scan (at
 *    most `zset-max-listpack-entries`, 128 by default), compared by `bytesAre`. A write builds a new
 *    flat string (O(n), as Redis memmoves a listpack). As Redis's listpack stores a score as
 *    text and reads back `-0` as the integer 0, a compact set stores -0 as 0.
 *  - `skiplist`: a skiplist with spans (O(log n) insert, delete, rank, and range start by rank or
 *    score) beside an EntryTable (entry-table.ts) of the members, their bytes off the V8 heap,
 *    each tagged with its node (O(1) score lookup), at positions 0 … size-1 that ZSCAN walks.
 * A compact set converts one way to the skiplist when an insert would take it past the entry
 * count or the member length limits (the caller passes the limits: the engine reads no config);
 * results of the STORE commands are built and then made compact if they fit (`compactIfFits`).
 */
import { EntryTable } from './entry-table.js';
import { bytesAre, entryEnd, entryStart, encodeEntry, flatString } from './packed-entries.js';
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

/** the head's node; as a successor or predecessor it means none */
const NIL = 0;
/** A node's words before its levels: score (2 words), member id, back link, level, padding. */
const NODE_HEADER = 6;
const ID = 2;
const BACK = 3;
const LEVEL = 4;

/**
 * Redis's skiplist with spans, its nodes held in one typed array rather than as objects. A node
 * is the offset (in 32-bit words, even) of its block in `w`: its score as a float64 (the block's
 * first two words, read through `f`, a view of the same buffer), its member's position in the
 * set's EntryTable (`keys`: the member's bytes are there, off the V8 heap), its backward link,
 * its level, then a (next, span) pair per level. A step of a search reads the next link and that
 * node's score — one block, where node objects cost four loads from scattered objects (node, its
 * next array, the next node, its boxed score) — and the garbage collector sees a few buffers
 * whatever the size. Freed blocks are reused (by level).
 */
class SkipList {
  private w = new Int32Array(512);
  private f = new Float64Array(this.w.buffer);
  private used = NODE_HEADER + 2 * MAX_LEVEL;
  private readonly freeBlocks: number[][] = Array.from({ length: MAX_LEVEL + 1 }, () => []);
  tail = NIL;
  length = 0;
  level = 1;

  constructor(private readonly keys: EntryTable) {
    this.w[NIL + LEVEL] = MAX_LEVEL;
  }

  memberOf(n: number): string {
    return this.keys.keyAt(this.w[n + ID]!);
  }

  scoreOf(n: number): number {
    return this.f[n >> 1]!;
  }

  /** Records that node `n`'s member is now at position `pos` of the EntryTable. */
  movedTo(n: number, pos: number): void {
    this.w[n + ID] = pos;
  }

  /** The first node (NIL when empty). */
  first(): number {
    return this.w[NIL + NODE_HEADER]!;
  }

  /** The node after `n` (NIL: none). */
  nextOf(n: number): number {
    return this.w[n + NODE_HEADER]!;
  }

  /** The node before `n` (NIL: none). */
  prevOf(n: number): number {
    return this.w[n + BACK]!;
  }

  private allocNode(pos: number, score: number, level: number): number {
    const size = NODE_HEADER + 2 * level;
    let n = this.freeBlocks[level]!.pop();
    if (n === undefined) {
      n = this.used;
      this.used += size;
      if (this.used > this.w.length) {
        const next = new Int32Array(Math.max(this.w.length * 2, this.used));
        next.set(this.w);
        this.w = next;
        this.f = new Float64Array(next.buffer);
      }
    }
    const w = this.w;
    // a loop, not fill(): TypedArray#fill is a call into C++ (~140 instructions for a node)
    for (let i = n; i < n + size; i++) w[i] = 0;
    this.f[n >> 1] = score;
    w[n + ID] = pos;
    w[n + LEVEL] = level;
    return n;
  }

  private freeNode(n: number): void {
    this.freeBlocks[this.w[n + LEVEL]!]!.push(n);
  }

  /** Whether node `n` sorts before (score, member). */
  private before(n: number, score: number, member: string): boolean {
    const ns = this.f[n >> 1]!;
    return ns < score || (ns === score && this.keys.compareKeyAt(this.w[n + ID]!, member) < 0);
  }

  /** Inserts (score, member), whose member is at position `pos` of the EntryTable; returns its node. */
  insert(member: string, score: number, pos: number): number {
    const update = UPDATE;
    const rank = RANK;
    let w = this.w;
    let x = NIL;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1]!;
      let n = w[x + NODE_HEADER + 2 * i]!;
      while (n !== NIL && this.before(n, score, member)) {
        rank[i]! += w[x + NODE_HEADER + 2 * i + 1]!;
        x = n;
        n = w[x + NODE_HEADER + 2 * i]!;
      }
      update[i] = x;
    }
    const level = randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = NIL;
        w[NIL + NODE_HEADER + 2 * i + 1] = this.length;
      }
      this.level = level;
    }
    const node = this.allocNode(pos, score, level);
    w = this.w;
    const r0 = rank[0]!;
    for (let i = 0; i < level; i++) {
      const u = update[i]! + NODE_HEADER + 2 * i;
      const o = node + NODE_HEADER + 2 * i;
      w[o] = w[u]!;
      w[u] = node;
      w[o + 1] = w[u + 1]! - (r0 - rank[i]!);
      w[u + 1] = r0 - rank[i]! + 1;
    }
    for (let i = level; i < this.level; i++) w[update[i]! + NODE_HEADER + 2 * i + 1]!++;
    w[node + BACK] = update[0]!;
    const after = w[node + NODE_HEADER]!;
    if (after !== NIL) w[after + BACK] = node;
    else this.tail = node;
    this.length++;
    return node;
  }

  /**
   * Fills UPDATE with the last node before `node`, the element (score, member), at each level.
   * Reaching `node` itself ends a level without comparing it (a tie on the score would compare
   * the member with itself, byte by byte, at every level).
   */
  private seek(node: number, member: string, score: number): void {
    const update = UPDATE;
    const w = this.w;
    let x = NIL;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = w[x + NODE_HEADER + 2 * i]!;
      while (n !== NIL && n !== node && this.before(n, score, member)) {
        x = n;
        n = w[x + NODE_HEADER + 2 * i]!;
      }
      update[i] = x;
    }
  }

  /** Unlinks `node`, whose predecessors `seek` left in UPDATE (Redis's zslDeleteNode). */
  private unlink(node: number): void {
    const update = UPDATE;
    const w = this.w;
    for (let i = 0; i < this.level; i++) {
      const u = update[i]! + NODE_HEADER + 2 * i;
      if (w[u] === node) {
        const o = node + NODE_HEADER + 2 * i;
        w[u + 1]! += w[o + 1]! - 1;
        w[u] = w[o]!;
      } else {
        w[u + 1]!--;
      }
    }
    const after = w[node + NODE_HEADER]!;
    if (after !== NIL) w[after + BACK] = w[node + BACK]!;
    else this.tail = w[node + BACK]!;
    while (this.level > 1 && w[NIL + NODE_HEADER + 2 * (this.level - 1)] === NIL) this.level--;
    this.length--;
  }

  /** Removes `node`, the element (score, member). */
  delete(node: number, member: string, score: number): void {
    this.seek(node, member, score);
    this.unlink(node);
    this.freeNode(node);
  }

  /** Removes the first node (the list is not empty): the head precedes it at every level, no search. */
  deleteFirst(): void {
    const node = this.first();
    for (let i = 0; i < this.level; i++) UPDATE[i] = NIL;
    this.unlink(node);
    this.freeNode(node);
  }

  /** The position in the EntryTable of node `n`'s member. */
  positionOf(n: number): number {
    return this.w[n + ID]!;
  }

  /**
   * Changes the score of `node`, the element (member, old), to `score` (Redis's zslUpdateScore):
   * in place when it keeps its position, else removed and inserted again. Returns its node.
   */
  updateScore(node: number, member: string, old: number, score: number): number {
    const prev = this.w[node + BACK]!;
    const after = this.w[node + NODE_HEADER]!;
    if ((prev === NIL || this.scoreOf(prev) < score) && (after === NIL || this.scoreOf(after) > score)) {
      this.f[node >> 1] = score;
      return node;
    }
    const pos = this.w[node + ID]!;
    this.seek(node, member, old);
    this.unlink(node);
    this.freeNode(node);
    return this.insert(member, score, pos);
  }

  /** 0-based rank of `node`, the element (score, member). */
  rank(node: number, member: string, score: number): number {
    const w = this.w;
    let rank = 0;
    let x = NIL;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = w[x + NODE_HEADER + 2 * i]!;
      while (n !== NIL && (n === node || this.before(n, score, member))) {
        rank += w[x + NODE_HEADER + 2 * i + 1]!;
        x = n;
        if (x === node) return rank - 1;
        n = w[x + NODE_HEADER + 2 * i]!;
      }
    }
    return -1;
  }

  /** The node at 0-based rank (NIL when out of range). */
  at(rank: number): number {
    const w = this.w;
    let traversed = 0;
    let x = NIL;
    const target = rank + 1;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = w[x + NODE_HEADER + 2 * i]!;
      while (n !== NIL && traversed + w[x + NODE_HEADER + 2 * i + 1]! <= target) {
        traversed += w[x + NODE_HEADER + 2 * i + 1]!;
        x = n;
        n = w[x + NODE_HEADER + 2 * i]!;
      }
      if (traversed === target) return x;
    }
    return NIL;
  }

  /** How many leading elements satisfy `pred` (which must hold for a prefix of the order). */
  countWhile(pred: (member: string, score: number) => boolean): number {
    const w = this.w;
    let rank = 0;
    let x = NIL;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = w[x + NODE_HEADER + 2 * i]!;
      while (n !== NIL && pred(this.memberOf(n), this.scoreOf(n))) {
        rank += w[x + NODE_HEADER + 2 * i + 1]!;
        x = n;
        n = w[x + NODE_HEADER + 2 * i]!;
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

/** Whether the member entry of `lp` at `at` holds exactly `member`. */
function memberIs(lp: string, at: number, member: string): boolean {
  const start = entryStart(lp, at);
  return entryEnd(lp, at) - start === member.length && bytesAre(lp, start, member);
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
  /** skiplist form: the members (each tagged with its node) and the skiplist */
  private dict: EntryTable | null = null;
  private list: SkipList | null = null;
  /**
   * The member the skiplist form last looked up and its position (-1: absent), while nothing has
   * changed since: ZADD asks for the score, then inserts or updates, without a second lookup
   * (and an insert of an absent member goes where that lookup's probe ended).
   */
  private looked: string | null = null;
  private lookedPos = -1;
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
    this.dict = new EntryTable(this.n + 1);
    this.list = new SkipList(this.dict);
    for (let at = 0; at < lp.length; at = elementEnd(lp, at)) {
      const start = entryStart(lp, at);
      const end = entryEnd(lp, at);
      this.tableInsert(lp.slice(start, end), scoreAt(lp, end));
    }
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
    this.looked = null;
    this.list = null;
  }

  /** The position of `member` in the skiplist form's table, or -1; remembered for the write that may follow. */
  private lookup(member: string): number {
    const pos = this.dict!.find(member);
    this.looked = member;
    this.lookedPos = pos;
    return pos;
  }

  /** Adds a member the skiplist form does not hold. */
  private tableInsert(member: string, score: number): void {
    const dict = this.dict!;
    if (this.looked !== member) dict.find(member);
    this.looked = null;
    dict.insertFound(member, '');
    const pos = dict.size - 1;
    dict.setTagAt(pos, this.list!.insert(member, score, pos));
  }

  score(member: string): number | undefined {
    if (this.dict !== null) {
      const pos = this.lookup(member);
      return pos < 0 ? undefined : this.list!.scoreOf(this.dict.tagAt(pos));
    }
    const at = this.findMember(member);
    return at < 0 ? undefined : scoreAt(this.lp!, entryEnd(this.lp!, at));
  }

  has(member: string): boolean {
    return this.dict !== null ? this.lookup(member) >= 0 : this.findMember(member) >= 0;
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
    } else this.tableInsert(member, score);
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

  /**
   * Changes the score of a member that is in the set; `current`, when given, is its score now
   * (ZADD has just read it: the skiplist form then skips a second dictionary lookup).
   */
  setScore(member: string, score: number, current?: number): void {
    if (this.lp !== null) {
      this.compactRemoveAt(this.findMember(member));
      this.compactInsert(member, score === 0 ? 0 : score);
      return;
    }
    const dict = this.dict!;
    const pos = this.looked === member ? this.lookedPos : dict.find(member);
    this.looked = null;
    const node = dict.tagAt(pos);
    const old = current ?? this.list!.scoreOf(node);
    if (old === score) return;
    dict.setTagAt(pos, this.list!.updateScore(node, member, old, score));
  }

  /** Removes a member; returns whether it was there. */
  remove(member: string): boolean {
    if (this.lp !== null) {
      const at = this.findMember(member);
      if (at < 0) return false;
      this.compactRemoveAt(at);
    } else {
      const dict = this.dict!;
      const list = this.list!;
      const pos = this.lookup(member);
      this.looked = null;
      if (pos < 0) return false;
      const node = dict.tagAt(pos);
      list.delete(node, member, list.scoreOf(node));
      dict.deleteFound(pos);
      // the last member moved into the hole: its node learns its new position
      if (pos < dict.size) list.movedTo(dict.tagAt(pos), pos);
    }
    this.bytes -= member.length;
    return true;
  }

  /**
   * Removes the `count` lowest elements (the highest when `max`), or all when fewer, and returns
   * them as [member, score] in pop order (ZPOPMIN/ZPOPMAX, Redis's genericZpopCommand). The
   * skiplist form takes each from its end: no lookup of the member, no search for the lowest.
   */
  pop(max: boolean, count: number): Array<[string, number]> {
    const n = Math.min(count, this.size);
    if (this.lp !== null) {
      // a prefix (or suffix) of the packed elements: one cut
      const lo = max ? this.n - n : 0;
      const popped = this.slice(lo, lo + n, max);
      const cut = this.offsetOf(max ? lo : n);
      this.lp = flatString(max ? this.lp.slice(0, cut) : this.lp.slice(cut));
      this.n -= n;
      for (const [m] of popped) this.bytes -= m.length;
      return popped;
    }
    const dict = this.dict!;
    const list = this.list!;
    this.looked = null;
    const out = new Array<[string, number]>(n);
    for (let i = 0; i < n; i++) {
      const node = max ? list.tail : list.first();
      const pos = list.positionOf(node);
      const member = dict.keyAt(pos);
      const score = list.scoreOf(node);
      if (max) list.delete(node, member, score);
      else list.deleteFirst();
      dict.deleteAt(pos);
      // the last member moved into the hole: its node learns its new position
      if (pos < dict.size) list.movedTo(dict.tagAt(pos), pos);
      this.bytes -= member.length;
      out[i] = [member, score];
    }
    return out;
  }

  /** 0-based rank in ascending order, or -1 when absent. */
  rank(member: string): number {
    if (this.lp !== null) return this.findMember(member) < 0 ? -1 : this.foundRank;
    const pos = this.lookup(member);
    if (pos < 0) return -1;
    const node = this.dict!.tagAt(pos);
    return this.list!.rank(node, member, this.list!.scoreOf(node));
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

  /** Every member with its score, in no particular order (the skiplist form: by position). */
  memberScores(): Array<[string, number]> {
    if (this.dict === null) return this.entries();
    const out: Array<[string, number]> = [];
    for (let i = 0; i < this.dict.size; i++) out.push(this.elementAtPosition(i));
    return out;
  }

  /**
   * The skiplist form's members by position, 0 … size-1: an insert appends, a removal moves the
   * last member into the hole — what ZSCAN walks (collection-scan.ts). Null for a compact set.
   */
  get positions(): EntryTable | null {
    return this.dict;
  }

  /** The member at position `i` of the skiplist form, with its score. */
  elementAtPosition(i: number): [string, number] {
    return [this.dict!.keyAt(i), this.list!.scoreOf(this.dict!.tagAt(i))];
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
      for (let n = list.first(); n !== NIL; n = list.nextOf(n)) z.tableInsert(list.memberOf(n), list.scoreOf(n));
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
