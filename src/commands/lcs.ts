/*
 * LCS, the longest common subsequence of two strings (Redis 7's t_string.c lcsCommand): the
 * subsequence itself, its length (LEN), or the matching ranges (IDX, with MINMATCHLEN and
 * WITHMATCHLEN), found by the classic dynamic-programming table.
 */
import { parseInt64 } from '../engine/int64.js';
import { isString, stringOf, type StringValue } from '../engine/values.js';
import { Err } from '../resp/errors.js';
import type { Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';

export interface LcsMatch {
  /** inclusive byte ranges in the first and the second string */
  a: [number, number];
  b: [number, number];
  len: number;
}

export interface LcsResult {
  /** the subsequence */
  lcs: string;
  /** its matching ranges, from the end of the strings towards their start (Redis's order) */
  matches: LcsMatch[];
}

/**
 * The LCS table of `a` and `b`: entry (i, j) at i * (b.length + 1) + j holds the length of the
 * LCS of a[0..i) and b[0..j). Throws RangeError when it cannot be allocated.
 */
export function lcsTable(a: string, b: string): Uint32Array {
  const alen = a.length;
  const blen = b.length;
  const w = blen + 1;
  const t = new Uint32Array((alen + 1) * w);
  for (let i = 1; i <= alen; i++) {
    const ac = a.charCodeAt(i - 1);
    const row = i * w;
    const up = row - w;
    for (let j = 1; j <= blen; j++) {
      if (ac === b.charCodeAt(j - 1)) t[row + j] = t[up + j - 1]! + 1;
      else {
        const l1 = t[up + j]!;
        const l2 = t[row + j - 1]!;
        t[row + j] = l1 > l2 ? l1 : l2;
      }
    }
  }
  return t;
}

/**
 * Walks the table back from its last cell, as Redis does: on equal bytes the byte joins the
 * subsequence and the current run of matches; otherwise the walk goes up (i) when that cell is
 * strictly larger, else left (j), closing the run. Runs shorter than `minLen` are left out.
 */
export function lcsWalk(a: string, b: string, t: Uint32Array, minLen: number): LcsResult {
  const w = b.length + 1;
  let i = a.length;
  let j = b.length;
  const out: string[] = [];
  const matches: LcsMatch[] = [];
  let runA = -1; // start (lowest index so far) of the run in a, -1 when there is none
  let runB = 0;
  let endA = 0;
  let endB = 0;
  const close = (): void => {
    const len = endA - runA + 1;
    if (minLen === 0 || len >= minLen) matches.push({ a: [runA, endA], b: [runB, endB], len });
    runA = -1;
  };
  while (i > 0 && j > 0) {
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      out.push(a[i - 1]!);
      if (runA < 0) {
        runA = endA = i - 1;
        runB = endB = j - 1;
      } else {
        runA--;
        runB--;
      }
      i--;
      j--;
      // a run touching the start of either string is complete
      if (runA === 0 || runB === 0) close();
    } else {
      if (t[(i - 1) * w + j]! > t[i * w + j - 1]!) i--;
      else j--;
      if (runA >= 0) close();
    }
  }
  return { lcs: out.reverse().join(''), matches };
}

interface LcsOptions {
  len: boolean;
  idx: boolean;
  withMatchLen: boolean;
  minMatchLen: number;
}

/** LCS's options from argv[3], or an error text. */
function parseLcsOptions(argv: string[]): LcsOptions | string {
  const o: LcsOptions = { len: false, idx: false, withMatchLen: false, minMatchLen: 0 };
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    if (opt === 'idx') o.idx = true;
    else if (opt === 'len') o.len = true;
    else if (opt === 'withmatchlen') o.withMatchLen = true;
    else if (opt === 'minmatchlen' && j + 1 < argv.length) {
      const n = parseInt64(argv[++j]!);
      if (n === null) return Err.NOT_INTEGER;
      // past 2^32 no run can be that long: keep it a number
      o.minMatchLen = n < 0 ? 0 : Math.min(Number(n), 2 ** 32);
    } else return Err.SYNTAX;
  }
  if (o.idx && o.len) return Err.LCS_LEN_AND_IDX;
  return o;
}

/* LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN] */
function lcsCommand(c: Client, argv: string[]): void {
  const va = c.db.lookupRead(argv[1]!, c.now);
  const vb = c.db.lookupRead(argv[2]!, c.now);
  if ((va !== undefined && !isString(va)) || (vb !== undefined && !isString(vb))) return c.reply.error(Err.LCS_WRONGTYPE);
  const opts = parseLcsOptions(argv);
  if (typeof opts === 'string') return c.reply.error(opts);
  const a = va === undefined ? '' : stringOf(va as StringValue);
  const b = vb === undefined ? '' : stringOf(vb as StringValue);
  // the table's transient memory is bounded by proto-max-bulk-len, as in Redis
  if ((a.length + 1) * (b.length + 1) * 4 > c.server.config.int('proto-max-bulk-len')) return c.reply.error(Err.LCS_MEMORY);
  const t = lcsTable(a, b);
  const total = t[t.length - 1]!;
  if (opts.len && !opts.idx) return c.reply.int(total);
  const r = lcsWalk(a, b, t, opts.minMatchLen);
  if (!opts.idx) return c.reply.bulk(r.lcs);
  c.reply.map(2);
  c.reply.bulk('matches');
  c.reply.array(r.matches.length);
  for (const m of r.matches) {
    c.reply.array(opts.withMatchLen ? 3 : 2);
    c.reply.array(2);
    c.reply.int(m.a[0]);
    c.reply.int(m.a[1]);
    c.reply.array(2);
    c.reply.int(m.b[0]);
    c.reply.int(m.b[1]);
    if (opts.withMatchLen) c.reply.int(m.len);
  }
  c.reply.bulk('len');
  c.reply.int(total);
}

export const lcsCommands: CommandRow[] = [
  { name: 'lcs', arity: -3, flags: 'readonly', keys: [1, 2, 1], categories: '@string', handler: lcsCommand },
];
