/*
 * How both Lua engines (main thread and worker) are created: Redis 7.0's sandbox, and the redis.*
 * members lua-redis-wasm leaves to its host.
 */
import { createHash } from 'node:crypto';
import { REDIS_VERSION } from '../core/version.js';
import { Err } from '../resp/errors.js';
import { latin1 } from '../resp/short-strings.js';
import type { ReplyValue } from '../resp/collecting-reply.js';

/** The error a script gets when the engine threw (it aborts when its fixed 64 MB heap is exhausted). */
export function engineFailure(e: unknown): string {
  const message = (e as Error)?.message ?? String(e);
  return message.includes('OOM') ? Err.SCRIPT_OUT_OF_MEMORY : `ERR ${message}`;
}

export function versionNum(v: string): number {
  const [a = 0, b = 0, c = 0] = v.split('.').map(Number);
  return (a << 16) | (b << 8) | c;
}

/** The options both engines are created with (the worker's fuel is its own). */
export function engineOptions(maxFuel: number) {
  return {
    profile: 'redis-7.0' as const,
    limits: { maxFuel },
    redisProps: {
      REDIS_VERSION: { value: REDIS_VERSION },
      REDIS_VERSION_NUM: { value: versionNum(REDIS_VERSION) },
      REPL_NONE: { value: 0 },
      REPL_AOF: { value: 1 },
      REPL_SLAVE: { value: 2 },
      REPL_REPLICA: { value: 2 },
      REPL_ALL: { value: 3 },
      // Redis 7 always replicates effects: both are accepted and change nothing
      set_repl: { returns: null },
      replicate_commands: { returns: true },
    },
  };
}


interface WasmExports {
  HEAPU8: Uint8Array;
  _alloc(n: number): number;
}

/**
 * Replaces lua-redis-wasm's SHA1 host callback (a pure-JS SHA1 the engine calls on every script
 * it runs, to name it in error texts: most of the cost of a small EVALSHA) with node:crypto,
 * remembering the last digests by content. `module` is what `load()` returned, after `create`.
 * The callback's ABI (a pointer/length in, a pointer/length out, direct or through a return
 * slot) is the package's own (its helpers.ts).
 */
export function installFastSha1(module: unknown): void {
  const m = module as { exports: WasmExports; handlers: { sha1hex: (...args: number[]) => bigint | void } };
  const exports = m.exports;
  const cache = new Map<number, { bytes: Buffer; hex: Buffer }>();
  m.handlers.sha1hex = (...args: number[]) => {
    const hasRet = args.length >= 3;
    const ptr = hasRet ? args[1]! : args[0]!;
    const len = hasRet ? args[2]! : args[1]!;
    // the script's bytes compared in place (this runs on every script run: no view, no copy)
    const heap = heapBuffer(exports);
    let entry = cache.get(len);
    if (entry === undefined || entry.bytes.compare(heap, ptr, ptr + len) !== 0) {
      const data = heap.subarray(ptr, ptr + len);
      entry = { bytes: Buffer.from(data), hex: Buffer.from(createHash('sha1').update(data).digest('hex'), 'latin1') };
      if (cache.size >= 64) cache.clear();
      cache.set(len, entry);
    }
    const out = exports._alloc(40);
    // _alloc may have grown the heap: take the view after it
    const b = heapBuffer(exports);
    b.set(entry.hex, out);
    if (hasRet) {
      b.writeUInt32LE(out >>> 0, args[0]!);
      b.writeUInt32LE(40, args[0]! + 4);
      return;
    }
    return (40n << 32n) | BigInt(out >>> 0);
  };
}

interface EngineInternals {
  exports: WasmExports & { _free_mem(p: number): void };
  callEvalWithArgs(scriptPtr: number, scriptLen: number, argsPtr: number, argsLen: number, keys: number): unknown;
  decodeResult(result: unknown, sha: string): unknown;
}

/**
 * LuaEngine#evalWithArgs without its per-call costs: it hashes the script with a pure-JS SHA1 (to
 * name it in error metadata, which the runner names itself) and builds Buffers for every argument.
 * This writes the latin1 script and arguments straight into the engine's heap in the package's
 * argument layout ([count u32le] then [len u32le][bytes] each) and calls the same internals.
 * `strings`: the result's byte strings come as latin1 JS strings rather than Buffers (read from
 * the heap directly: the main thread's engine, whose results are replied at once); an error that
 * aborted the script still goes through the package's decoder (its line and marker parsing).
 */
export function fastEval(engine: unknown, script: string, keys: readonly string[], args: readonly string[], strings = false): unknown {
  const e = engine as EngineInternals;
  const ex = e.exports;
  let argLen = 4;
  for (const k of keys) argLen += 4 + k.length;
  for (const a of args) argLen += 4 + a.length;
  const scriptPtr = ex._alloc(script.length);
  const argsPtr = ex._alloc(argLen);
  const buf = heapBuffer(ex);
  const heap = ex.HEAPU8;
  buf.latin1Write(script, scriptPtr, script.length);
  let p = argsPtr;
  buf.writeUInt32LE(keys.length + args.length, p);
  p += 4;
  for (const list of [keys, args]) {
    for (const s of list) {
      buf.writeUInt32LE(s.length, p);
      p += 4;
      if (s.length < 32) for (let i = 0; i < s.length; i++) heap[p + i] = s.charCodeAt(i);
      else buf.latin1Write(s, p, s.length);
      p += s.length;
    }
  }
  try {
    const result = e.callEvalWithArgs(scriptPtr, script.length, argsPtr, argLen, keys.length);
    if (strings && result !== null && typeof result === 'object' && 'ptr' in result) {
      const { ptr, len } = result as { ptr: number; len: number };
      if (ptr === 0 || len === 0) return null;
      const out = heapBuffer(ex);
      if (out[ptr] !== REPLY_SCRIPT_ERROR) {
        try {
          return readReply(out, { at: ptr });
        } finally {
          ex._free_mem(ptr);
        }
      }
    }
    return e.decodeResult(result, '');
  } finally {
    ex._free_mem(scriptPtr);
    ex._free_mem(argsPtr);
  }
}

/*
 * The engine's reply wire format (lua-redis-wasm's codec, ABI of 1.5.0): a tag byte, a u32le
 * count or length, then the payload. redis.call's arguments come as [count u32le] then
 * [len u32le][bytes] each; its reply goes back in the reply format, in memory from `_alloc`
 * that the engine frees.
 */
const REPLY_NULL = 0x00;
const REPLY_INT = 0x01;
const REPLY_BULK = 0x02;
const REPLY_ARRAY = 0x03;
const REPLY_STATUS = 0x04;
const REPLY_ERROR = 0x05;
const REPLY_SCRIPT_ERROR = 0x06;
const REPLY_BOOL = 0x07;
const REPLY_DOUBLE = 0x08;
const REPLY_MAP = 0x09;
const REPLY_SET = 0x0a;
const REPLY_BIG_NUMBER = 0x0b;
const REPLY_VERBATIM = 0x0c;

let heapView: Buffer | null = null;
let heapViewOf: Uint8Array | null = null;

/** A Buffer over the engine's whole heap. Emscripten replaces HEAPU8 when the heap grows (a new
 *  ArrayBuffer), so the view is made again when HEAPU8 is another object. */
function heapBuffer(ex: WasmExports): Buffer {
  const heap = ex.HEAPU8;
  if (heap !== heapViewOf) {
    heapView = Buffer.from(heap.buffer, heap.byteOffset, heap.byteLength);
    heapViewOf = heap;
  }
  return heapView!;
}

function u32(b: Buffer, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/** Reads one reply at `pos.at` (advanced past it) as the package's decoder, strings for bytes. */
function readReply(b: Buffer, pos: { at: number }): unknown {
  const at = pos.at;
  const tag = b[at]!;
  const n = u32(b, at + 1);
  const from = at + 5;
  pos.at = from;
  switch (tag) {
    case REPLY_NULL:
      return null;
    case REPLY_INT: {
      pos.at = from + 8;
      const lo = u32(b, from);
      const hi = u32(b, from + 4) | 0;
      if (hi >= -0x200000 && hi < 0x200000) {
        const v = hi * 4294967296 + lo;
        return v >= Number.MIN_SAFE_INTEGER ? v : BigInt(v);
      }
      return b.readBigInt64LE(from);
    }
    case REPLY_BULK:
      pos.at = from + n;
      return latin1(b, from, from + n);
    case REPLY_STATUS:
      pos.at = from + n;
      return { ok: latin1(b, from, from + n) };
    case REPLY_ERROR:
      pos.at = from + n;
      return errorPayload(b, from, from + n);
    case REPLY_BOOL:
      pos.at = from + 1;
      return b[from] !== 0;
    case REPLY_DOUBLE:
      pos.at = from + 8;
      return { double: b.readDoubleLE(from) };
    case REPLY_BIG_NUMBER:
      pos.at = from + n;
      return { big_number: latin1(b, from, from + n) };
    case REPLY_VERBATIM: {
      const end = from + n;
      const formatLen = u32(b, from);
      pos.at = end;
      return { verbatim_string: { format: latin1(b, from + 4, from + 4 + formatLen), string: latin1(b, from + 4 + formatLen, end) } };
    }
    case REPLY_ARRAY:
    case REPLY_SET: {
      const items: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) items[i] = readReply(b, pos);
      return tag === REPLY_SET ? { set: items } : items;
    }
    case REPLY_MAP: {
      const map: unknown[][] = new Array(n);
      for (let i = 0; i < n; i++) map[i] = [readReply(b, pos), readReply(b, pos)];
      return { map };
    }
  }
  throw new Error('ERR reply decoding failed');
}

/** An error reply's payload: `{err, code}` when it starts with a code (`[A-Z][A-Z0-9]*` then a space). */
function errorPayload(b: Buffer, from: number, end: number): { err: string; code?: string } {
  let space = from;
  while (space < end && b[space] !== 0x20) space++;
  if (space > from && space < end && b[from]! >= 0x41 && b[from]! <= 0x5a) {
    let code = true;
    for (let i = from + 1; i < space && code; i++) {
      const c = b[i]!;
      code = (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
    }
    if (code) return { err: latin1(b, space + 1, end), code: latin1(b, from, space) };
  }
  return { err: latin1(b, from, end) };
}

/** What redis.call / redis.pcall run: the command's arguments, its collected reply back. */
export type CallHandler = (protectedCall: boolean, argv: string[]) => ReplyValue;

/**
 * What a redis.call / redis.pcall host import runs, in two steps: `call` gets the call's argument
 * blob in the engine's heap (`ptr`, `len`: [count u32le] then [len u32le][bytes] each), runs the
 * command and returns the size of its reply in the engine's reply format; `write` then writes
 * those bytes at `at` (memory from the engine's allocator, which the engine frees).
 */
export interface CallHooks {
  call(protectedCall: boolean, heap: Buffer, ptr: number, len: number): number;
  write(heap: Buffer, at: number): void;
}

/**
 * Replaces lua-redis-wasm's redis.call / redis.pcall host callbacks (which copy every argument
 * into a Buffer and build the reply with a Buffer.concat per value) with `hooks`, which read the
 * arguments from the engine's heap and write the reply straight into memory from the engine's
 * allocator. `module` is what `load()` returned, after `create`. The callbacks' ABI (a
 * pointer/length in, a pointer/length out, direct or through a return slot) is the package's own.
 */
export function installCallHooks(module: unknown, hooks: CallHooks): void {
  const m = module as { exports: WasmExports; handlers: Record<string, (...args: number[]) => bigint | void> };
  const ex = m.exports;
  const make =
    (protectedCall: boolean) =>
    (...args: number[]): bigint | void => {
      const hasRet = args.length >= 3;
      const ptr = hasRet ? args[1]! : args[0]!;
      const len = hasRet ? args[2]! : args[1]!;
      const size = hooks.call(protectedCall, heapBuffer(ex), ptr, len);
      const out = ex._alloc(size);
      // _alloc may have grown the heap: take the view after it
      const b = heapBuffer(ex);
      hooks.write(b, out);
      if (hasRet) {
        b.writeUInt32LE(out >>> 0, args[0]!);
        b.writeUInt32LE(size, args[0]! + 4);
        return;
      }
      return (BigInt(size) << 32n) | BigInt(out >>> 0);
    };
  m.handlers.call = make(false);
  m.handlers.pcall = make(true);
}

/**
 * Call hooks that run `handler` with the arguments as latin1 strings and write its collected
 * reply in the engine's format (the main thread's engine). Same wire bytes as the package's
 * encoder gives for the equivalent value.
 */
export function installFastCalls(module: unknown, handler: CallHandler): void {
  let reply: ReplyValue = NIL;
  let size = 0;
  installCallHooks(module, {
    call(protectedCall, heap, ptr, len) {
      try {
        reply = handler(protectedCall, readArgs(heap, ptr, len));
      } catch (err) {
        reply = { type: 'error', value: err instanceof Error ? err.message : String(err) };
      }
      return (size = replySize(reply));
    },
    write(heap, at) {
      if (writeReply(heap, at, reply) - at !== size) throw new Error('redis.call reply size mismatch');
      reply = NIL;
    },
  });
}

const NIL: ReplyValue = { type: 'nil' };

/** A call's argument blob ([count u32le] then [len u32le][bytes] each) as latin1 strings. */
export function readArgs(b: Buffer, ptr: number, len: number): string[] {
  const end = ptr + len;
  const n = len >= 4 ? u32(b, ptr) : 0;
  const argv: string[] = new Array(n);
  let p = ptr + 4;
  for (let i = 0; i < n; i++) {
    const l = u32(b, p);
    p += 4;
    if (p + l > end) throw new Error('ERR invalid argument encoding');
    argv[i] = latin1(b, p, p + l);
    p += l;
  }
  return argv;
}

/** Bytes `writeReply` writes for `v`. */
export function replySize(v: ReplyValue): number {
  switch (v.type) {
    case 'nil':
      return 5;
    case 'int':
    case 'double':
      return 13;
    case 'bool':
      return 6;
    case 'simple':
    case 'error':
    case 'bulk':
    case 'bignum':
      return 5 + v.value.length;
    case 'verbatim':
      return 9 + v.format.length + v.value.length;
    case 'array':
    case 'push':
    case 'set':
    case 'map': {
      let n = 5;
      for (const x of v.items) n += replySize(x);
      return n;
    }
  }
}

function header(b: Buffer, at: number, tag: number, n: number): number {
  b[at] = tag;
  b.writeUInt32LE(n >>> 0, at + 1);
  return at + 5;
}

function bytes(b: Buffer, at: number, s: string): number {
  const n = s.length;
  if (n < 32) for (let i = 0; i < n; i++) b[at + i] = s.charCodeAt(i);
  else b.latin1Write(s, at, n);
  return at + n;
}

/** Writes `v` at `at` as the engine's reply format; returns the end. */
export function writeReply(b: Buffer, at: number, v: ReplyValue): number {
  switch (v.type) {
    case 'nil':
      return header(b, at, REPLY_NULL, 0);
    case 'int': {
      at = header(b, at, REPLY_INT, 8);
      const n = v.value;
      if (typeof n === 'number' && Number.isSafeInteger(n)) {
        b.writeUInt32LE(n >>> 0, at);
        b.writeInt32LE(Math.floor(n / 4294967296) | 0, at + 4);
      } else {
        b.writeBigInt64LE(BigInt(n), at);
      }
      return at + 8;
    }
    case 'double':
      at = header(b, at, REPLY_DOUBLE, 8);
      b.writeDoubleLE(v.value, at);
      return at + 8;
    case 'bool':
      at = header(b, at, REPLY_BOOL, 1);
      b[at] = v.value ? 1 : 0;
      return at + 1;
    case 'simple':
      return bytes(b, header(b, at, REPLY_STATUS, v.value.length), v.value);
    case 'error':
      return bytes(b, header(b, at, REPLY_ERROR, v.value.length), v.value);
    case 'bulk':
      return bytes(b, header(b, at, REPLY_BULK, v.value.length), v.value);
    case 'bignum':
      return bytes(b, header(b, at, REPLY_BIG_NUMBER, v.value.length), v.value);
    case 'verbatim':
      at = header(b, at, REPLY_VERBATIM, 4 + v.format.length + v.value.length);
      b.writeUInt32LE(v.format.length, at);
      return bytes(b, bytes(b, at + 4, v.format), v.value);
    case 'array':
    case 'push':
    case 'set':
      at = header(b, at, v.type === 'set' ? REPLY_SET : REPLY_ARRAY, v.items.length);
      for (const x of v.items) at = writeReply(b, at, x);
      return at;
    case 'map':
      at = header(b, at, REPLY_MAP, v.items.length / 2);
      for (const x of v.items) at = writeReply(b, at, x);
      return at;
  }
}
