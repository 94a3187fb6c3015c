/*
 * The Lua engine of the main thread: the fast path for scripts known to finish quickly. A handoff
 * to the worker thread costs a thread wake-up each way per redis.call (~20 µs on a busy machine),
 * which would make a small EVALSHA several times slower than Redis; on this thread a redis.call
 * is a function call. Scripts run here under an instruction budget (MAIN_FUEL); one that exhausts
 * it before writing anything is run again in the worker, where BUSY and SCRIPT KILL work
 * (script-runner.ts decides).
 *
 * lua-redis-wasm loads asynchronously; loading starts when this module is imported (with the
 * command table, at process start). Until it is ready every script runs in the worker.
 */
import { load } from 'lua-redis-wasm';
import { engineFailure, engineOptions, fastEval, installFastCalls, installFastSha1 } from './engine-options.js';
import type { WireValue } from './channel.js';
import type { ReplyValue } from '../resp/collecting-reply.js';

/** Instructions a script may run on the main thread (~0.2–1 s) before it is handed to the worker
 *  (or, if it already wrote, stopped with an error). */
export const MAIN_FUEL = 1e8;

/** What the running script's redis.call / redis.log reach (set by the runner around each eval).
 *  A call answers with the command's collected reply, which goes into the engine's heap as it is
 *  (engine-options.ts installFastCalls). */
export interface MainHost {
  call(protectedCall: boolean, args: string[], resp: 2 | 3): ReplyValue;
  log(level: number, message: Buffer): void;
}

interface Engine {
  evalWithArgs(script: Buffer | string, keys: Buffer[], args: Buffer[]): unknown;
}

let engine: Engine | null = null;
let host: MainHost | null = null;
let resp: 2 | 3 = 2;

let loading: Promise<void> | null = null;

function startLoading(): void {
  if (loading !== null) return;
  loading = load(engineOptions(MAIN_FUEL))
    .then((wasm) => {
      engine = wasm.create({
        // replaced by installFastCalls below
        redisCall: () => null,
        redisPcall: () => null,
        log: (level, message) => host?.log(level, message),
        onSetResp: (version) => {
          resp = version;
        },
      }) as unknown as Engine;
      installFastSha1(wasm);
      installFastCalls(wasm, (protectedCall, args) => host!.call(protectedCall, args, resp));
    })
    .catch(() => {
      // the worker path still works; a later script retries
      loading = null;
    });
}

startLoading();

/**
 * Runs a script on the main thread with `h` serving its calls; null when the engine is not
 * loaded yet. The result is the engine's value; a thrown exception (the engine's memory
 * exhausted…) drops the engine, to be loaded afresh.
 */
export function runOnMain(h: MainHost, lua: string, keys: readonly string[], args: readonly string[]): WireValue | undefined {
  const e = engine;
  if (e === null) {
    startLoading();
    return undefined;
  }
  host = h;
  resp = 2;
  try {
    // byte strings of the result come as latin1 strings: the runner replies them at once
    return fastEval(e, lua, keys, args, true) as WireValue;
  } catch (err) {
    engine = null;
    loading = null;
    startLoading();
    return { err: Buffer.from(engineFailure(err), 'latin1') };
  } finally {
    host = null;
  }
}

/**
 * The main-thread Lua heap in bytes (`collectgarbage('count')`, what Redis's used_memory_lua
 * reads with lua_gc), 0 before the engine is loaded. Not while a script runs on it (INFO from
 * redis.call): the last reading is given then.
 */
let lastHeap = 0;
export function mainLuaHeapBytes(): number {
  if (engine === null || host !== null) return lastHeap;
  try {
    const kb = fastEval(engine, "return tostring(collectgarbage('count'))", [], [], true);
    lastHeap = Math.round(Number(kb) * 1024) || 0;
  } catch {
    // an engine failure is handled by the next script
  }
  return lastHeap;
}

/** The protocol the running script selected (redis.setresp). */
export function mainResp(): 2 | 3 {
  return resp;
}

/** Whether a result is the engine's out-of-instructions error. */
export function isOutOfFuel(v: WireValue | undefined): boolean {
  if (v === null || v === undefined || typeof v !== 'object' || !('err' in v) || v.meta === undefined) return false;
  return Buffer.isBuffer(v.err) ? v.err.latin1Slice(0, v.err.length) === 'Script killed by fuel limit' : String(v.err) === 'Script killed by fuel limit';
}
