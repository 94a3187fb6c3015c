/*
 * Running a Lua script for a client: the main-thread side of the Lua worker (lua-worker.ts).
 *
 * Lua implementation — lua-redis-wasm, chosen by compatibility first: it is Redis's own Lua 5.1
 * (with Redis's cjson, cmsgpack, struct and bit, the globals protection and Redis's Lua↔RESP
 * conversions) compiled to WebAssembly, so `"10"/2` is 5 as in Redis, numbers are doubles that
 * truncate to integers on the way out, and library behaviour matches byte for byte. wasmoon is
 * Lua 5.4 (integer/float subtypes: `"10"/2` is `5.0`, which PEXPIRE rejects; `//`, utf8, goto) and
 * fengari is Lua 5.3 in JavaScript (the same subtypes, and slower than WebAssembly); neither ships
 * the four libraries. Speed: a small EVALSHA costs ~10 µs in the engine (measured).
 *
 * Atomicity and BUSY. The interpreter runs in a worker thread; redis.call is a synchronous request
 * to this thread over a SharedArrayBuffer (channel.ts). While a script is quick, the main thread
 * waits for it synchronously (Atomics.wait), serving its redis.call requests in between: the
 * script is atomic because nothing else runs. Once it has run for busy-reply-threshold, the main
 * thread stops waiting: the script's client is suspended, the event loop runs again, other
 * clients get BUSY (dispatch asks `busyError`) except for allow_busy commands (SCRIPT KILL,
 * FUNCTION KILL, SHUTDOWN NOSAVE…), and the script's requests are served from the event loop
 * (Atomics.waitAsync) until it ends or is killed (the worker is terminated and replaced).
 */
import { enforce } from '../security/acl-check.js';
import { Worker } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { Client } from '../core/client.js';
import { detachedConnection } from '../core/detached-connection.js';
import type { ServerContext } from '../core/server-context.js';
import type { CommandSpec } from '../core/command-types.js';
import { execute } from '../core/dispatch.js';
import { CollectingReply, type ReplyValue } from '../resp/collecting-reply.js';
import type { Reply } from '../resp/writer.js';
import { Err } from '../resp/errors.js';
import { isOutOfFuel, runOnMain, type MainHost } from './main-engine.js';
import { scriptErrorLine } from './eval-chunk.js';
import { ChannelReader, ChannelWriter, Msg, newSharedChannel, SignalWait, TO_MAIN, TO_WORKER, type WireValue } from './channel.js';

/** Instructions a script may run before it is stopped with an error (a runaway guard far beyond
 *  busy-reply-threshold: SCRIPT KILL is the ordinary way to stop a long script). */
const MAX_FUEL = 2 ** 32 - 1;

/** A script whose run in the worker took less than this (ms) runs on the main thread next time. */
const SHORT_MS = 200;
const SHORT = true;
const LONG = false;

/** The lowercase hex SHA1 of a script's bytes (latin1 string). */
export function sha1hex(body: string): string {
  return createHash('sha1').update(body, 'latin1').digest('hex');
}

/** What a running script is: for BUSY, SCRIPT KILL / FUNCTION KILL and FUNCTION STATS. */
export interface RunningScript {
  caller: Client;
  /** 'eval' for EVAL/EVALSHA, 'function' for FCALL */
  mode: 'eval' | 'function';
  name: string;
  argv: string[];
  readOnly: boolean;
  startedAt: number;
  /** it ran a write command: SCRIPT KILL then answers UNKILLABLE */
  wrote: boolean;
  /** it passed busy-reply-threshold and is being served from the event loop */
  busy: boolean;
  /** how a script-aborting error is decorated: `script: <sha>, on @user_script:<line>.` */
  sha: string;
  /** receives the script's result (by default: replies it to the caller) */
  onDone: (value: WireValue, run: RunningScript) => void;
}

export interface RunOptions {
  readOnly: boolean;
  mode: 'eval' | 'function';
  /** the function's name (FCALL) */
  name: string;
  sha: string;
  /** compile the script alone first (its first run): a syntax error is answered as such */
  checkCompile: boolean;
  /** what to compile for that check, when `body` wraps the script (default: `body`) */
  source?: string;
  /** instead of replying: the result, as it came from the engine */
  onDone?: (value: WireValue, run: RunningScript) => void;
  /** at most this many ms, then the script is stopped (FUNCTION LOAD); never busy */
  timeoutMs?: number;
  /** the command that runs it (FUNCTION STATS) */
  argv?: string[];
}

/** One Lua worker and the state of the script it runs; one per server. */
export class ScriptRunner {
  private worker: Worker | null = null;
  private sab!: SharedArrayBuffer;
  private signal!: Int32Array;
  private out!: ChannelWriter;
  private input!: ChannelReader;
  /** the worker's next message (adaptive spin, channel.ts) */
  private requests!: SignalWait;
  private ready = false;
  private readonly luaClients: { 2: Client; 3: Client };
  running: RunningScript | null = null;
  /** sha → whether the script finished quickly (SHORT: main thread) or ran long (LONG: worker) */
  private readonly history = new Map<string, boolean>();
  /** the effects the running script's commands emit, propagated together at its end */
  private effectsBuffer: Array<[number, readonly string[]]> | null = null;

  constructor(private readonly server: ServerContext) {
    this.luaClients = { 2: this.newLuaClient(2), 3: this.newLuaClient(3) };
  }

  private newLuaClient(proto: 2 | 3): Client {
    const c = new Client(this.server, 0, new CollectingReply(proto), detachedConnection({ addr: 'lua', laddr: '' }));
    c.authenticated = true;
    c.script = true;
    // blocking commands called by a script answer at once, as Redis's do
    c.denyBlocking = true;
    return c;
  }

  /** Starts the worker (if none) and waits until its engine is loaded. */
  private ensureWorker(): void {
    if (this.worker !== null && this.ready) return;
    if (this.worker === null) {
      this.sab = newSharedChannel();
      this.signal = new Int32Array(this.sab, 0, 4);
      this.out = new ChannelWriter(this.sab);
      this.input = new ChannelReader(this.sab, true);
      this.requests = new SignalWait(this.signal, TO_MAIN);
      // run from TypeScript sources (tests under tsx), the worker is the built one: loader hooks
      // do not reach worker threads reliably (`npm test` builds first)
      const ts = import.meta.url.endsWith('.ts');
      const url = new URL(ts ? '../../dist/scripting/lua-worker.js' : './lua-worker.js', import.meta.url);
      const worker = new Worker(url, {
        workerData: { sab: this.sab, maxFuel: MAX_FUEL },
        execArgv: [],
        resourceLimits: { maxOldGenerationSizeMb: 512 },
      });
      worker.unref();
      worker.on('error', (e) => this.server.log.warning(`Lua worker failed: ${e.message}`));
      worker.on('exit', () => this.workerExited(worker));
      this.worker = worker;
    }
    // the engine loads in well under a second; a worker that cannot start is a bug
    const deadline = Date.now() + 15_000;
    while (Atomics.load(this.signal, TO_MAIN) !== Msg.Ready) {
      if (Date.now() > deadline) throw new Error('the Lua engine did not start');
      Atomics.wait(this.signal, TO_MAIN, 0, 50);
    }
    Atomics.store(this.signal, TO_MAIN, 0);
    this.ready = true;
  }

  private workerExited(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.ready = false;
    const run = this.running;
    if (run !== null) this.finish(run, errorValue(Err.SCRIPT_ENGINE_STOPPED), 2);
  }

  /** Preloads the engine (server start), so the first EVAL does not wait for it. */
  warmUp(): void {
    this.ensureWorker();
  }

  /**
   * Runs `body` for `c` with KEYS and ARGV, replying its result (or, if it becomes busy, later:
   * `c` is then suspended until it ends). `sha` names the script in error texts.
   */
  run(c: Client, body: string, keys: string[], args: string[], opts: RunOptions): void {
    const run: RunningScript = {
      caller: c,
      mode: opts.mode,
      name: opts.name,
      argv: opts.argv ?? [],
      readOnly: opts.readOnly,
      startedAt: c.now,
      wrote: false,
      busy: false,
      sha: opts.sha,
      onDone: opts.onDone ?? ((value) => replyValue(c.reply, value, run)),
    };
    this.running = run;
    for (let proto = 2 as 2 | 3; proto <= 3; proto++) {
      const lc = this.luaClients[proto];
      if (lc.dbIndex !== c.dbIndex) lc.select(c.dbIndex);
      // a caller bound to a namespace (KV.NS) cannot leave it from a script either
      lc.boundNamespace = c.boundNamespace;
    }
    // the script's writes propagate together at its end, wrapped in MULTI/EXEC when several
    const server = this.server;
    if (server.effects !== null) {
      const buffer: Array<[number, readonly string[]]> = [];
      this.effectsBuffer = buffer;
      this.realSink = server.effects;
      server.effects = (db, argv) => buffer.push([db, argv]);
    }
    // a script that finished quickly before runs on this thread (main-engine.ts)
    const history = this.history.get(opts.sha);
    if (history === SHORT && opts.timeoutMs === undefined && !opts.checkCompile) {
      const value = this.runOnMainThread(run, body, keys, args);
      if (value !== undefined && !(isOutOfFuel(value) && !run.wrote)) {
        if (isOutOfFuel(value)) this.history.set(opts.sha, LONG);
        this.finish(run, value, 2);
        return;
      }
      // not loaded, or out of its instruction budget before writing anything: start again in
      // the worker (nothing it did is visible: it only read)
      if (value !== undefined) this.history.set(opts.sha, LONG);
    }
    this.ensureWorker();
    const out = this.out;
    out.begin();
    out.u8(opts.checkCompile ? 1 : 0);
    if (opts.checkCompile) out.str(opts.source ?? body);
    out.str(body);
    out.u32(keys.length);
    for (const k of keys) out.str(k);
    out.u32(args.length);
    for (const a of args) out.str(a);
    out.end();
    Atomics.store(this.signal, TO_MAIN, 0);
    Atomics.store(this.signal, TO_WORKER, Msg.Run);
    Atomics.notify(this.signal, TO_WORKER);
    const threshold = opts.timeoutMs ?? server.config.int('busy-reply-threshold');
    const started = performance.now();
    const done = this.serve(run, started + threshold);
    if (done) {
      if (history === undefined && performance.now() - started < SHORT_MS && opts.timeoutMs === undefined && !opts.checkCompile) this.history.set(opts.sha, SHORT);
      return;
    }
    this.history.set(opts.sha, LONG);
    if (opts.timeoutMs !== undefined) {
      this.finish(run, errorValue(Err.FUNCTION_LOAD_TIMEOUT), 2);
      this.stopWorker();
      return;
    }
    // past busy-reply-threshold: serve the script from the event loop
    run.busy = true;
    // the script's client sends nothing else until the script ends (Redis protects it)
    c.suspended = true;
    server.busyError = busyErrorOf(run);
    server.log.warning(
      `Slow script detected: still in execution after ${Math.round(performance.now() - started)} milliseconds. You can try killing the script using the ${run.mode === 'eval' ? 'SCRIPT KILL' : 'FUNCTION KILL'} command.`,
    );
    this.serveAsync(run);
  }

  /** the effects sink in place before the running script replaced it with its buffer */
  private realSink: ((db: number, argv: readonly string[]) => void) | null = null;

  /** the script the main thread's engine runs (its redis.call reaches `mainHost`) */
  private mainRun: RunningScript | null = null;
  private readonly mainHost: MainHost = {
    call: (_protected, argv, resp) => this.callValue(this.mainRun!, argv, resp),
    log: (level, message) => this.log(level, message.latin1Slice(0, message.length)),
  };

  /** Runs the script on the main thread's engine; undefined when that is not loaded yet. */
  private runOnMainThread(run: RunningScript, body: string, keys: string[], args: string[]): WireValue | undefined {
    this.mainRun = run;
    try {
      return runOnMain(this.mainHost, body, keys, args);
    } finally {
      this.mainRun = null;
    }
  }

  /** Serves the script from the event loop while it is busy. */
  private serveAsync(run: RunningScript): void {
    if (this.running !== run) return;
    const waiter = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> | string } }).waitAsync(
      this.signal,
      TO_MAIN,
      0,
    );
    const next = () => {
      if (this.running !== run) return;
      // serve for a short slice, then give the event loop a turn
      const done = this.serve(run, performance.now() + 5);
      if (!done) setImmediate(() => this.serveAsync(run));
    };
    if (waiter.async) (waiter.value as Promise<string>).then(next);
    else next();
  }

  /**
   * Serves the worker's requests until the script is done (true) or `deadline` (a
   * performance.now() time) passes (false). On done, the caller has its reply.
   */
  private serve(run: RunningScript, deadline: number): boolean {
    const signal = this.signal;
    const requests = this.requests;
    for (;;) {
      const kind = requests.next(deadline);
      if (kind === 0) return false;
      Atomics.store(signal, TO_MAIN, 0);
      const input = this.input;
      input.begin();
      if (kind === Msg.Done) {
        const flags = input.u8();
        const value = input.value() as WireValue;
        this.finish(run, value, (flags & 3) as 2 | 3);
        // the engine aborted: a fresh worker serves the next script
        if ((flags & 0x80) !== 0) this.stopWorker();
        return true;
      }
      const out = this.out;
      if (kind === Msg.Call || kind === Msg.PCall) {
        const resp = input.u8() as 2 | 3;
        const n = input.u32();
        const argv: string[] = new Array(n);
        for (let i = 0; i < n; i++) argv[i] = input.str();
        const reply = this.callValue(run, argv, resp);
        // in the engine's reply format: the worker copies it into its heap as it is
        out.begin();
        out.engineReply(reply);
      } else if (kind === Msg.Log) {
        const level = input.u8();
        const message = input.str();
        this.log(level, message);
        out.begin();
      } else {
        throw new Error(`unexpected message ${kind} from the Lua worker`);
      }
      out.end();
      Atomics.store(signal, TO_WORKER, Msg.CallReply);
      Atomics.notify(signal, TO_WORKER);
    }
  }

  private log(level: number, message: string): void {
    const log = this.server.log;
    if (level <= 0) log.debug(message);
    else if (level === 1) log.verbose(message);
    else if (level === 2) log.notice(message);
    else log.warning(message);
  }

  /**
   * redis.call: the same dispatch as the network, after the checks Redis makes for scripts.
   * Returns the command's reply as collected.
   */
  private callValue(run: RunningScript, argv: string[], resp: 2 | 3): ReplyValue {
    if (argv.length === 0) return errorReply(Err.SCRIPT_CALL_NO_ARGS);
    const spec = this.resolve(argv);
    if (spec === null) return errorReply(Err.SCRIPT_UNKNOWN_COMMAND);
    if (!arityOk(spec.arity, argv.length)) return errorReply(Err.SCRIPT_WRONG_ARITY);
    const root = spec.parent ?? spec;
    if (root.flags.includes('noscript') || (root !== spec && spec.flags.includes('noscript'))) return errorReply(Err.SCRIPT_COMMAND_NOT_ALLOWED);
    // the script runs as its caller's user: redis.call is checked as the caller's commands are
    // (the default user with +@all ~* &* passes on one test, as in dispatch)
    const user = run.caller.user;
    const denied = user.unrestricted ? null : enforce(run.caller, spec, argv, 'lua');
    if (denied !== null) return errorReply(denied.reason === 'command' ? Err.SCRIPT_NOPERM_COMMAND : denied.reason === 'key' ? Err.SCRIPT_NOPERM_KEY : Err.SCRIPT_NOPERM_CHANNEL);
    // a read-only script refuses what may replicate (PUBLISH, PFCOUNT…) as well as writes, as Redis
    if (spec.mayReplicate === true) {
      if (run.readOnly) return errorReply(Err.SCRIPT_WRITE_IN_READONLY);
      if (spec.isWrite) run.wrote = true;
    }
    const lc = this.luaClients[resp];
    const other = this.luaClients[resp === 2 ? 3 : 2];
    lc.user = user;
    if (lc.dbIndex !== other.dbIndex) lc.select(other.dbIndex);
    const server = this.server;
    const busy = run.busy;
    if (busy) server.busyError = null;
    // the checks above are dispatch's for scripts; execute is the path every command takes
    execute(lc, spec, argv, run.startedAt);
    if (busy) server.busyError = busyErrorOf(run);
    if (lc.dbIndex !== other.dbIndex) other.select(lc.dbIndex);
    // the command's one reply, taken from the collector without copying the list
    const values = (lc.reply as CollectingReply).values;
    const got = values.length === 0 ? NIL_REPLY : values[0]!;
    values.length = 0;
    return got;
  }

  private resolve(argv: string[]): CommandSpec | null {
    const spec = this.server.commandTable.get(argv[0]!);
    if (spec === undefined) return null;
    if (spec.subcommands === undefined || argv.length === 1) return spec;
    return spec.subcommands.get(argv[1]!.toLowerCase()) ?? null;
  }

  /** The script ended with `value`: reply it to the caller, propagate its effects. */
  private finish(run: RunningScript, value: WireValue, _resp: 2 | 3): void {
    if (this.running !== run) return;
    this.running = null;
    const server = this.server;
    server.busyError = null;
    const buffered = this.effectsBuffer;
    this.effectsBuffer = null;
    const c = run.caller;
    run.onDone(value, run);
    if (buffered !== null) {
      const sink = this.realSink!;
      server.effects = sink;
      this.realSink = null;
      if (buffered.length > 1) sink(buffered[0]![0], ['MULTI']);
      for (const [db, argv] of buffered) sink(db, argv);
      if (buffered.length > 1) sink(buffered[buffered.length - 1]![0], ['EXEC']);
    }
    if (run.busy) {
      c.suspended = false;
      c.conn.flushSoon();
      c.conn.resume?.();
    }
  }

  /** SCRIPT KILL / FUNCTION KILL: stops the running script unless it wrote. Replies itself. */
  kill(c: Client, mode: 'eval' | 'function'): void {
    const run = this.running;
    if (run === null || !run.busy) {
      c.reply.error(Err.NOTBUSY);
      return;
    }
    if (run.wrote) {
      c.reply.error(Err.UNKILLABLE);
      return;
    }
    if (run.mode !== mode) {
      // SCRIPT KILL cannot stop a function, nor FUNCTION KILL a script
      c.reply.error(busyErrorOf(run));
      return;
    }
    this.finish(run, { err: Err.SCRIPT_KILLED(mode === 'eval' ? 'SCRIPT' : 'FUNCTION') as unknown as Buffer, meta: { line: 1, sha: run.sha } }, 2);
    this.stopWorker();
    c.reply.ok();
  }

  /** Stops the worker (server shutdown, SCRIPT KILL); the next script starts a new one. */
  stopWorker(): void {
    const worker = this.worker;
    this.worker = null;
    this.ready = false;
    void worker?.terminate();
    // a script still running there ends with an error
    const run = this.running;
    if (run !== null && worker !== null) this.finish(run, errorValue(Err.SCRIPT_ENGINE_STOPPED), 2);
  }
}

/** Whether a script's result is the compile error of its first run. */
export function isCompileError(v: WireValue): boolean {
  return v !== null && typeof v === 'object' && 'err' in v && v.code !== undefined && text(v.code) === 'COMPILE';
}

/** Replies what a script returned, as Redis converts Lua values (see replyValue). */
export function replyScriptResult(r: Reply, v: WireValue, run: RunningScript): void {
  replyValue(r, v, run);
}

export function busyErrorOf(run: RunningScript): string {
  return run.mode === 'eval' ? Err.BUSY_SCRIPT : Err.BUSY_FUNCTION;
}

function arityOk(arity: number, argc: number): boolean {
  return arity >= 0 ? argc === arity : argc >= -arity;
}


function errorValue(message: string): WireValue {
  return { err: message as unknown as Buffer };
}

const NIL_REPLY: ReplyValue = { type: 'nil' };

function errorReply(message: string): ReplyValue {
  return { type: 'error', value: message };
}

/** A byte string that may come as a Buffer (main-thread engine) or a latin1 string (channel). */
function text(x: unknown): string {
  return typeof x === 'string' ? x : Buffer.isBuffer(x) ? x.latin1Slice(0, x.length) : String(x);
}

/** Writes what a script returned (strings are latin1 JS strings on this side). */
function replyValue(r: Reply, v: WireValue, run: RunningScript): void {
  if (v === null) return r.nil();
  switch (typeof v) {
    case 'number':
      return r.int(v);
    case 'bigint':
      // a double at or past 2^63 (or ±inf) converted by WebAssembly's saturating truncation;
      // Redis's x86 conversion gives INT64_MIN for those ("integer indefinite")
      return r.int(v === 9223372036854775807n ? -9223372036854775808n : v);
    case 'boolean':
      return r.bool(v);
    case 'string':
      return r.bulk(v);
  }
  if (Buffer.isBuffer(v)) return r.bulk(v.latin1Slice(0, v.length));
  if (Array.isArray(v)) {
    r.array(v.length);
    for (const x of v) replyValue(r, x, run);
    return;
  }
  const o = v as Record<string, unknown>;
  // a returned status or error is read as a C string (cut at a NUL); an error's trailing newlines
  // are trimmed (addReplyErrorFormatEx), the writer maps the others to spaces
  if ('ok' in o) return r.simple(cString(text(o.ok)).replace(/[\r\n]/g, ' '));
  if ('err' in o && (o as { meta?: unknown }).meta === undefined) return r.error(cString(scriptError(o as unknown as { err: string }, run)).replace(/[\r\n]+$/, ''));
  if ('err' in o) return r.error(scriptError(v as unknown as { err: string; code?: string; meta?: { kind?: string; name?: string; line: number } }, run));
  if ('double' in o) return r.double(o.double as number);
  if ('big_number' in o) return r.bigNumber(text(o.big_number));
  if ('verbatim_string' in o) {
    const vs = o.verbatim_string as { format: unknown; string: unknown };
    return r.verbatim(text(vs.string), text(vs.format));
  }
  if ('map' in o) {
    const m = o.map as [WireValue, WireValue][];
    r.map(m.length);
    for (const [k, x] of m) {
      replyValue(r, k, run);
      replyValue(r, x, run);
    }
    return;
  }
  if ('set' in o) {
    const s = o.set as WireValue[];
    r.set(s.length);
    for (const x of s) replyValue(r, x, run);
  }
}

/**
 * The error text of a script's result: an error value it returned passes as it is; an error that
 * aborted it is decorated as Redis 7.0 does: `<message> script: <sha>, on @user_script:<line>.`
 */
function scriptError(e: { err: string; code?: string; meta?: { kind?: string; name?: string; line: number } }, run: RunningScript): string {
  let message = text(e.err);
  const meta = e.meta;
  // raised for the script by the chunk's prologue (eval-chunk.ts), naming the script's line
  const own = meta !== undefined ? scriptErrorLine(message) : null;
  if (own !== null) return decorate(own.message, own.line, run);
  if (meta !== undefined) {
    if (meta.kind === 'global-read') return decorate(Err.SCRIPT_GLOBAL_READ(meta.line, meta.name ?? ''), meta.line, run);
    if (meta.kind === 'command-arg-type') return decorate(Err.SCRIPT_ARG_TYPE, meta.line, run);
  }
  if (e.code !== undefined && text(e.code) === 'COMPILE') return Err.SCRIPT_COMPILE(message.replace(/user_script:/g, run.mode === 'eval' ? 'user_script:' : 'user_function:'));
  if (run.mode === 'function') message = message.replace(/user_script:/g, 'user_function:');
  const code = e.code !== undefined ? text(e.code) : '';
  const full = code !== '' ? `${code} ${message}` : message;
  if (meta === undefined) return full;
  return decorate(full, meta.line, run);
}

/** `s` up to its first NUL byte. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/** `<message> script: <sha>, on @user_script:<line>.` (functions: the function's name and @user_function). */
function decorate(message: string, line: number, run: RunningScript): string {
  if (run.mode === 'function') {
    message = message.replace(/user_script:/g, 'user_function:');
    // line 1 of a function's script is the wrapper's prologue (function-library.ts), never the
    // user's code: an error raised there for the user (a missing global's stand-in) names the
    // user's line in its message, and that is the line Redis reports
    const at = line === 1 ? /^(?:[A-Z]+ )?user_function:(\d+):/.exec(message) : null;
    if (at !== null) line = Number(at[1]);
  }
  const where = run.mode === 'eval' ? `script: ${run.sha}, on @user_script:${line}.` : `script: ${run.name}, on @user_function:${line}.`;
  return `${message} ${where}`;
}
