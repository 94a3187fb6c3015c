/*
 * The Lua worker thread: runs scripts in lua-redis-wasm (Redis's own Lua 5.1 with cjson, cmsgpack,
 * struct and bit, compiled to WebAssembly) and turns redis.call / redis.pcall / redis.log into
 * synchronous requests to the main thread over the shared channel (channel.ts). Its event loop
 * is never used after start-up: it waits on the channel for the next script.
 *
 * Why a worker: a script runs atomically but may run for seconds; the main thread must keep
 * reading sockets meanwhile to answer BUSY and obey SCRIPT KILL / SHUTDOWN NOSAVE. The main thread
 * waits synchronously while the script is quick (script-runner.ts) and only falls back to
 * serving it from its event loop once it passes busy-reply-threshold. SCRIPT KILL terminates this
 * thread (V8 stops even a tight Lua loop inside WebAssembly) and a fresh one is started.
 */
import { workerData } from 'node:worker_threads';
import { load } from 'lua-redis-wasm';
import { engineOptions, installFastSha1, engineFailure, fastEval, installCallHooks } from './engine-options.js';
import { ChannelReader, ChannelWriter, Msg, SignalWait, TO_MAIN, TO_WORKER, type WireValue } from './channel.js';

interface WorkerData {
  sab: SharedArrayBuffer;
  maxFuel: number;
}

const data = workerData as WorkerData;
const signal = new Int32Array(data.sab, 0, 4);
const out = new ChannelWriter(data.sab);
const input = new ChannelReader(data.sab, false);

/** the main thread's answers to redis.call (adaptive spin), and its next script (idle: no spin to speak of) */
const answers = new SignalWait(signal, TO_WORKER);
const jobs = new SignalWait(signal, TO_WORKER, 32, 32);

/** Sends a message to the main thread and waits for its answer's kind. */
function send(kind: Msg): number {
  out.end();
  Atomics.store(signal, TO_WORKER, 0);
  Atomics.store(signal, TO_MAIN, kind);
  Atomics.notify(signal, TO_MAIN);
  let answer: number;
  while ((answer = answers.next(Infinity)) === 0);
  return answer;
}

let resp = 2;

const COMPILE_CHECK = "local f, e = loadstring(ARGV[1], '@user_script') if f then return nil end return e";

const wasm = await load(engineOptions(data.maxFuel));
const engine = wasm.create({
  // replaced by installCallHooks below
  redisCall: () => null,
  redisPcall: () => null,
  log(level, message) {
    out.begin();
    out.u8(level);
    out.buf(message);
    send(Msg.Log);
  },
  onSetResp(version) {
    resp = version;
  },
});

installFastSha1(wasm);

// redis.call / redis.pcall: the engine's argument blob goes to the main thread as it is (the
// channel's own encoding of an argv), and its answer comes back already in the engine's reply
// format, copied into the engine's heap as it is: no JS value per argument or reply
let reply: Buffer | null = null;
installCallHooks(wasm, {
  call(protectedCall, heap, ptr, len) {
    out.begin();
    out.u8(resp);
    out.raw(heap.subarray(ptr, ptr + len));
    send(protectedCall ? Msg.PCall : Msg.Call);
    input.begin();
    reply = input.rest();
    return reply.length;
  },
  write(heap, at) {
    heap.set(reply!, at);
    reply = null;
  },
});

out.begin();
out.end();
Atomics.store(signal, TO_MAIN, Msg.Ready);
Atomics.notify(signal, TO_MAIN);

for (;;) {
  while (jobs.next(Infinity) === 0);
  input.begin();
  resp = 2;
  const checkCompile = input.u8() === 1;
  const source = checkCompile ? input.str() : null;
  const body = input.str();
  const nkeys = input.u32();
  const keys: string[] = [];
  for (let i = 0; i < nkeys; i++) keys.push(input.str());
  const nargs = input.u32();
  const args: string[] = [];
  for (let i = 0; i < nargs; i++) args.push(input.str());
  let result: WireValue;
  let dead = false;
  try {
    // a script seen for the first time is compiled alone first, so that a syntax error is told
    // apart from a runtime one (Redis answers "Error compiling script" for those)
    const compileError = source !== null ? fastEval(engine, COMPILE_CHECK, [], [source]) : null;
    if (compileError !== null && (compileError as Buffer).length !== undefined) {
      result = { err: compileError as Buffer, code: Buffer.from('COMPILE') };
    } else {
      result = fastEval(engine, body, keys, args) as WireValue;
    }
  } catch (e) {
    // the engine aborted (its fixed heap exhausted…): answer, then the main thread replaces us
    result = { err: Buffer.from(engineFailure(e), 'latin1') };
    dead = true;
  }
  out.begin();
  out.u8(resp | (dead ? 0x80 : 0));
  try {
    out.value(result);
  } catch (e) {
    out.begin();
    out.u8(resp);
    out.value({ err: Buffer.from(`ERR ${(e as Error).message}`) });
  }
  Atomics.store(signal, TO_WORKER, 0);
  out.end();
  Atomics.store(signal, TO_MAIN, Msg.Done);
  Atomics.notify(signal, TO_MAIN);
}
