/*
 * Compare-and-swap: our CAS, Redis 8.4's DELEX, DIGEST and MSETEX (and the condition test of
 * SET … IFEQ|IFNE|IFDEQ|IFDNE, whose parsing lives with SET in string.ts), Valkey's DELIFEQ.
 * Digests are XXH3-64 as 16 hex digits (engine/digest.ts); a digest condition compares them
 * case-insensitively, as Redis 8.4 does.
 *
 * Propagation: a condition is evaluated once, here; what replicates is the plain write it led to
 * (SET … PXAT / KEEPTTL, DEL, MSETEX … PXAT), never the condition.
 */
import { int64Text, parseInt64 } from '../engine/int64.js';
import { WRONGTYPE } from '../engine/keyspace.js';
import { digestOf, isDigestText } from '../engine/digest.js';
import { encodeString, isString, STRING, stringOf, type StringValue } from '../engine/values.js';
import { Err } from '../resp/errors.js';
import type { Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';
import { expireTime, SET_IFDEQ, SET_IFEQ, SET_IFNE } from './string.js';

/**
 * Whether SET's IF* condition in `flags` holds for the current value `old` (a string, or
 * undefined when the key is missing): IFEQ/IFDEQ never hold for a missing key, IFNE/IFDNE always.
 */
export function setConditionHolds(flags: number, cmp: string, old: StringValue | undefined): boolean {
  if (flags & (SET_IFEQ | SET_IFDEQ)) {
    if (old === undefined) return false;
    return flags & SET_IFEQ ? stringOf(old) === cmp : digestOf(stringOf(old)) === cmp.toLowerCase();
  }
  if (old === undefined) return true;
  return flags & SET_IFNE ? stringOf(old) !== cmp : digestOf(stringOf(old)) !== cmp.toLowerCase();
}

/** An expiry option as CAS, MSETEX and KV.SETV take it. */
export interface ExpiryOption {
  /** absolute ms, or undefined */
  at: number | undefined;
  keepTtl: boolean;
  /** MSETEX's NX / XX */
  nx: boolean;
  xx: boolean;
}

/**
 * Parses `[NX|XX] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL]` from argv[from] on (NX/XX only when
 * `conditions`), as SET's parser: an option may repeat, conflicting ones are a syntax error.
 * Returns the options or an error text; `cmd` names the command in "invalid expire time".
 */
export function parseExpiryOptions(argv: string[], from: number, now: number, cmd: string, conditions: boolean): ExpiryOption | string {
  let unit = '';
  let arg = '';
  let keepTtl = false;
  let nx = false;
  let xx = false;
  for (let i = from; i < argv.length; i++) {
    const opt = argv[i]!.toLowerCase();
    if (conditions && opt === 'nx' && !xx) nx = true;
    else if (conditions && opt === 'xx' && !nx) xx = true;
    else if (opt === 'keepttl' && unit === '') keepTtl = true;
    else if ((opt === 'ex' || opt === 'px' || opt === 'exat' || opt === 'pxat') && (unit === '' || unit === opt) && !keepTtl && i + 1 < argv.length) {
      unit = opt;
      arg = argv[++i]!;
    } else return Err.SYNTAX;
  }
  let at: number | undefined;
  if (unit !== '') {
    const parsed = expireTime(arg, unit, now, cmd);
    if (typeof parsed === 'string') return parsed;
    at = parsed;
  }
  return { at, keepTtl, nx, xx };
}

/**
 * Stores the string `value` at `key` with the expiry option `opts` (a TTL is cleared unless
 * KEEPTTL), notifies, and propagates it as `SET key value [PXAT at|KEEPTTL]`.
 */
export function storeString(c: Client, key: string, value: string, opts: ExpiryOption): void {
  c.db.set(key, encodeString(value), opts.keepTtl, 0, opts.at);
  c.notify('$', 'set', key);
  if (opts.at !== undefined) {
    c.notify('g', 'expire', key);
    c.rewrite('SET', key, value, 'PXAT', int64Text(opts.at));
  } else if (opts.keepTtl) c.rewrite('SET', key, value, 'KEEPTTL');
  else c.rewrite('SET', key, value);
}

/* CAS key expected new [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL] */
function casCommand(c: Client, argv: string[]): void {
  const opts = parseExpiryOptions(argv, 4, c.now, 'cas', false);
  if (typeof opts === 'string') return c.reply.error(opts);
  const key = argv[1]!;
  const v = c.db.writeOf(key, STRING, c.now);
  if (v === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (v === undefined || stringOf(v) !== argv[2]!) return c.reply.int(0);
  storeString(c, key, argv[3]!, opts);
  c.reply.int(1);
}

/** DELEX's and DELIFEQ's condition on a key's string value. */
type DeleteCondition = (value: string) => boolean;

/**
 * Deletes `key` when it holds a string for which `holds` is true (any value when `holds` is
 * null, any type then too); replies 1 when deleted, 0 when missing or the condition failed.
 */
function deleteIf(c: Client, key: string, holds: DeleteCondition | null): void {
  const v = c.db.lookupWrite(key, c.now);
  if (v === undefined) return c.reply.int(0);
  if (holds !== null) {
    if (!isString(v)) return c.reply.error(Err.WRONGTYPE);
    if (!holds(stringOf(v))) return c.reply.int(0);
  }
  c.db.delete(key);
  c.notify('g', 'del', key);
  c.rewrite('DEL', key);
  c.reply.int(1);
}

/* DELEX key [IFEQ ifeq-value | IFNE ifne-value | IFDEQ ifdeq-digest | IFDNE ifdne-digest] */
function delexCommand(c: Client, argv: string[]): void {
  if (argv.length === 2) return deleteIf(c, argv[1]!, null);
  if (argv.length !== 4) return c.reply.error(Err.SYNTAX);
  const cond = argv[2]!.toLowerCase();
  const cmp = argv[3]!;
  let holds: DeleteCondition;
  if (cond === 'ifeq') holds = (v) => v === cmp;
  else if (cond === 'ifne') holds = (v) => v !== cmp;
  else if (cond === 'ifdeq' || cond === 'ifdne') {
    if (!isDigestText(cmp)) return c.reply.error(Err.DIGEST_NOT_16_HEX);
    const want = cmp.toLowerCase();
    holds = cond === 'ifdeq' ? (v) => digestOf(v) === want : (v) => digestOf(v) !== want;
  } else return c.reply.error(Err.SYNTAX);
  deleteIf(c, argv[1]!, holds);
}

/* DELIFEQ key value */
function delifeqCommand(c: Client, argv: string[]): void {
  const want = argv[2]!;
  deleteIf(c, argv[1]!, (v) => v === want);
}

/* DIGEST key */
function digestCommand(c: Client, argv: string[]): void {
  const v = c.db.readOf(argv[1]!, STRING, c.now);
  if (v === undefined) c.reply.nil();
  else if (v === WRONGTYPE) c.reply.error(Err.WRONGTYPE);
  else c.reply.bulk(digestOf(stringOf(v)));
}

/* MSETEX numkeys key value [key value ...] [NX|XX] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL] */
function msetexCommand(c: Client, argv: string[]): void {
  const n = parseInt64(argv[1]!);
  if (n === null || n <= 0 || n > 0x7fffffff) return c.reply.error(Err.MSETEX_NUMKEYS);
  const count = Number(n);
  const end = 2 + 2 * count;
  if (end > argv.length) return c.reply.error(Err.MSETEX_PAIRS);
  const opts = parseExpiryOptions(argv, end, c.now, 'msetex', true);
  if (typeof opts === 'string') return c.reply.error(opts);
  const db = c.db;
  if (opts.nx || opts.xx) {
    for (let i = 2; i < end; i += 2) {
      const exists = db.lookupWrite(argv[i]!, c.now) !== undefined;
      if (exists === opts.nx) return c.reply.int(0);
    }
  }
  for (let i = 2; i < end; i += 2) {
    const key = argv[i]!;
    db.set(key, encodeString(argv[i + 1]!), opts.keepTtl, 0, opts.at);
    c.notify('$', 'set', key);
    if (opts.at !== undefined) {
      c.notify('g', 'expire', key);
    }
  }
  // propagated without NX/XX (tested here) and with an absolute expiry
  const effect = argv.slice(0, end);
  effect[0] = 'MSETEX';
  if (opts.at !== undefined) effect.push('PXAT', int64Text(opts.at));
  else if (opts.keepTtl) effect.push('KEEPTTL');
  c.rewrite(...effect);
  c.reply.int(1);
}

export const casCommands: CommandRow[] = [
  { name: 'cas', arity: -4, flags: 'write denyoom fast', keys: [1, 1, 1], categories: '@string', handler: casCommand },
  { name: 'delex', arity: -2, flags: 'write fast', keys: [1, 1, 1], categories: '@string', handler: delexCommand },
  { name: 'delifeq', arity: 3, flags: 'write fast', keys: [1, 1, 1], categories: '@string', handler: delifeqCommand },
  { name: 'digest', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], categories: '@string', handler: digestCommand },
  { name: 'msetex', arity: -4, flags: 'write denyoom movablekeys', keys: [0, 0, 0], categories: '@string', handler: msetexCommand },
];
