/*
 * How both Lua engines (main thread and worker) are created: Redis 7.0's sandbox, and the redis.*
 * members lua-redis-wasm leaves to its host.
 */
import { createHash } from 'node:crypto';
import { REDIS_VERSION } from '../core/version.js';
import { Err } from '../resp/errors.js';

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
    const heap = exports.HEAPU8;
    const data = heap.subarray(ptr, ptr + len);
    let entry = cache.get(len);
    if (entry === undefined || Buffer.compare(entry.bytes, data) !== 0) {
      entry = { bytes: Buffer.from(data), hex: Buffer.from(createHash('sha1').update(data).digest('hex'), 'latin1') };
      if (cache.size >= 64) cache.clear();
      cache.set(len, entry);
    }
    const out = exports._alloc(40);
    exports.HEAPU8.set(entry.hex, out);
    if (hasRet) {
      const view = new DataView(exports.HEAPU8.buffer, exports.HEAPU8.byteOffset);
      view.setUint32(args[0]!, out, true);
      view.setUint32(args[0]! + 4, 40, true);
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
 */
export function fastEval(engine: unknown, script: string, keys: readonly string[], args: readonly string[]): unknown {
  const e = engine as EngineInternals;
  const ex = e.exports;
  let argLen = 4;
  for (const k of keys) argLen += 4 + k.length;
  for (const a of args) argLen += 4 + a.length;
  const scriptPtr = ex._alloc(script.length);
  const argsPtr = ex._alloc(argLen);
  const heap = ex.HEAPU8;
  const buf = Buffer.from(heap.buffer, heap.byteOffset, heap.byteLength);
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
    return e.decodeResult(e.callEvalWithArgs(scriptPtr, script.length, argsPtr, argLen, keys.length), '');
  } finally {
    ex._free_mem(scriptPtr);
    ex._free_mem(argsPtr);
  }
}
