/*
 * String commands, after Redis's t_string.c.
 */
import { parseInt64 } from '../engine/int64.js';
import { encodeString, isString, stringOf, type Value } from '../engine/values.js';
import { Err } from '../resp/errors.js';
import { OK } from '../resp/writer.js';
import type { Client } from './client.js';
import type { CommandRow } from './types.js';

/**
 * The string value at `key`, null when missing, or undefined after replying WRONGTYPE.
 * Side effects: lazy expiry (through lookup) and keyspace hit/miss statistics.
 */
export function lookupString(c: Client, key: string): string | null | undefined {
  const v = c.db.lookup(key, c.now);
  if (v === undefined) {
    c.server.stats.keyspaceMisses++;
    return null;
  }
  c.server.stats.keyspaceHits++;
  if (!isString(v)) {
    c.reply.error(Err.WRONGTYPE);
    return undefined;
  }
  return stringOf(v);
}

/* GET key */
function getCommand(c: Client, argv: string[]): void {
  const v = lookupString(c, argv[1]!);
  if (v === null) c.reply.nil();
  else if (v !== undefined) c.reply.bulk(v);
}

export const SET_NX = 1;
export const SET_XX = 2;
export const SET_GET = 4;
export const SET_KEEPTTL = 8;

export interface SetOptions {
  flags: number;
  /** absolute expiry time in ms, or undefined for none */
  expireAt: number | undefined;
}

/**
 * Parses SET's options from argv[3…] (`NX|XX`, `GET`, `EX|PX|EXAT|PXAT t`, `KEEPTTL`).
 * Returns the options, or an error text as Redis words it.
 */
export function parseSetOptions(argv: string[], now: number, cmd: string): SetOptions | string {
  let flags = 0;
  let unit = '';
  let expireArg = '';
  for (let i = 3; i < argv.length; i++) {
    const opt = argv[i]!.toLowerCase();
    const hasNext = i + 1 < argv.length;
    if (opt === 'nx' && !(flags & SET_XX)) flags |= SET_NX;
    else if (opt === 'xx' && !(flags & SET_NX)) flags |= SET_XX;
    else if (opt === 'get') flags |= SET_GET;
    else if (opt === 'keepttl' && unit === '') flags |= SET_KEEPTTL;
    else if ((opt === 'ex' || opt === 'px' || opt === 'exat' || opt === 'pxat') && unit === '' && !(flags & SET_KEEPTTL) && hasNext) {
      unit = opt;
      expireArg = argv[++i]!;
    } else return Err.SYNTAX;
  }
  let expireAt: number | undefined;
  if (unit !== '') {
    const at = expireTime(expireArg, unit, now, cmd);
    if (typeof at === 'string') return at;
    expireAt = at;
  }
  return { flags, expireAt };
}

/**
 * Converts an expire argument in `unit` (ex, px, exat, pxat) to an absolute time in ms, or an
 * error text. Non-positive and overflowing times are "invalid expire time", as in Redis.
 */
export function expireTime(arg: string, unit: string, now: number, cmd: string): number | string {
  const v = parseInt64(arg);
  if (v === null) return Err.NOT_INTEGER;
  let ms = BigInt(v);
  if (ms <= 0n) return Err.INVALID_EXPIRE(cmd);
  if (unit === 'ex' || unit === 'exat') ms *= 1000n;
  if (unit === 'ex' || unit === 'px') ms += BigInt(now);
  if (ms > 9223372036854775807n) return Err.INVALID_EXPIRE(cmd);
  return Number(ms);
}

/**
 * The shared body of SET, SETNX, SETEX, PSETEX and GETSET. Stores `value` at `key` unless the
 * NX/XX condition fails; with SET_GET replies the old value, else `okReply` or `abortReply`.
 */
export function setGeneric(
  c: Client,
  key: string,
  value: string,
  opts: SetOptions,
  okReply: (c: Client) => void,
  abortReply: (c: Client) => void,
): void {
  const db = c.db;
  const flags = opts.flags;
  let old: Value | undefined;
  if (flags !== 0) {
    old = db.lookup(key, c.now);
    if (flags & SET_GET) {
      if (old !== undefined && !isString(old)) return c.reply.error(Err.WRONGTYPE);
    }
    if (((flags & SET_NX) && old !== undefined) || ((flags & SET_XX) && old === undefined)) {
      if (flags & SET_GET) replyOld(c, old);
      else abortReply(c);
      return;
    }
  }
  db.set(key, encodeString(value), (flags & SET_KEEPTTL) !== 0);
  if (opts.expireAt !== undefined) db.setExpire(key, opts.expireAt);
  if (flags & SET_GET) replyOld(c, old);
  else okReply(c);
}

function replyOld(c: Client, old: Value | undefined): void {
  if (old === undefined) c.reply.nil();
  else c.reply.bulk(stringOf(old as string));
}

export const replyOk = (c: Client): void => c.reply.raw(OK);
export const replyNil = (c: Client): void => c.reply.nil();
export const replyOne = (c: Client): void => c.reply.int(1);
export const replyZero = (c: Client): void => c.reply.int(0);

const NO_OPTIONS: SetOptions = { flags: 0, expireAt: undefined };

/* SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL] */
function setCommand(c: Client, argv: string[]): void {
  let opts = NO_OPTIONS;
  if (argv.length > 3) {
    const parsed = parseSetOptions(argv, c.now, 'set');
    if (typeof parsed === 'string') return c.reply.error(parsed);
    opts = parsed;
  }
  setGeneric(c, argv[1]!, argv[2]!, opts, replyOk, replyNil);
}

export const stringCommands: CommandRow[] = [
  { name: 'get', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], categories: '@read @string @fast', handler: getCommand },
  { name: 'set', arity: -3, flags: 'write denyoom', keys: [1, 1, 1], categories: '@write @string @slow', handler: setCommand },
];
