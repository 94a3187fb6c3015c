/*
 * Dispatch: finds the row, checks arity and authentication, fixes the command's clock, and runs
 * the handler. Handler exceptions are bugs: they are logged, the client gets
 * `-ERR`, and the server lives on.
 *
 * Command statistics (INFO commandstats, SLOWLOG, LATENCY) without a clock read per command:
 * the connection opens a batch per socket read (`beginBatch`, one high-resolution reading) and
 * closes it after the batch (`endBatch`, one more). A command that is neither `fast` nor
 * constant-time (KEYS, MSET, DEBUG SLEEP…) is timed on its own: a reading before and after it
 * (it already needed a new clock reading after it). The bounded commands between two readings
 * share the time between them evenly: their `usec` is that share — the mean time of a command
 * in its run of fast commands, dispatch and reply writing included — rather than Redis's time
 * inside the handler alone (docs/compatibility.md). performance.now() is the clock: as cheap as
 * Date.now() and sub-microsecond; process.hrtime.bigint() allocates a BigInt per reading.
 */
import { performance } from 'node:perf_hooks';
import { cString, Err } from '../resp/errors.js';
import type { Client, MultiState } from './client.js';
import { invocationMayReplicate, type CommandTable } from './table.js';
import type { CommandSpec, RequestRanges } from './command-types.js';
import { RespWriter, type Reply } from '../resp/writer.js';
import { latin1 } from '../resp/short-strings.js';
import { RANGE_GET, RANGE_SET } from '../resp/decoder.js';
import { feedMonitors } from './monitor.js';
import { emitEffects } from './effects.js';
import { enforce, noPermError, rangeKeyAllowed } from '../security/acl-check.js';
import { recordLatency } from './command-stats.js';

/** What `run` tells the connection about the command it was handed. */
export enum RunResult {
  /** ran, bounded in time: the clock reading may be shared with the next command */
  Bounded = 0,
  /** ran and may have taken long: read the clock again */
  Unbounded = 1,
  /** not run: clients are paused (CLIENT PAUSE); hold it and hand it again when the pause ends */
  Held = 2,
}

const NO_ARGV: string[] = [];
/** the commands a client in MULTI may still send over maxmemory */
const OOM_EXEMPT_IN_MULTI = new Set(['exec', 'discard', 'quit', 'reset']);

/** in pendingArgv: a command run by runRange, whose argv is built only if the slow log wants it */
const RANGE_ARGV: string[] = [];

/**
 * Rebuilds the argv of a command run from byte ranges of `buf` (for the slow log) from the six
 * numbers at `r[at]` the connection recorded with pendingRange (RESP: the kind, the command's
 * start, the key's and the value's bounds). The request's layout is the connection's to know.
 */
export type RangeArgv = (spec: CommandSpec, buf: Buffer, r: readonly number[], at: number) => string[];

/** RESP's: the name follows `*N\r\n$L\r\n` at the command's start (3 bytes for GET and SET, 4 for INCR and DECR). */
function respRangeArgv(_spec: CommandSpec, buf: Buffer, r: readonly number[], at: number): string[] {
  const kind = r[at]!;
  const name = r[at + 1]! + 8;
  const argv = [latin1(buf, name, name + (kind <= RANGE_SET ? 3 : 4)), latin1(buf, r[at + 2]!, r[at + 3]!)];
  if (kind === RANGE_SET) argv.push(latin1(buf, r[at + 4]!, r[at + 5]!));
  return argv;
}

export class Dispatcher {
  /** The bounded commands run since the last high-resolution reading, and that reading (ms). */
  private pendingSpecs: CommandSpec[] = [];
  private pendingArgv: string[][] = [];
  private pendingCount = 0;
  private pendingClient: Client | null = null;
  private segmentStart = 0;

  /** The last name looked up and its row: the decoder hands out the same string object for a
   *  repeated command name, so a pipeline of one command skips the table lookup. */
  private lastName = '';
  private lastSpec: CommandSpec | undefined;

  /** the rows of peekRange's kinds (GET, SET, INCR, DECR) as the table names them (rename-command
   *  may remove them), looked up once, indexed by kind - RANGE_GET */
  private rangeRows: Array<CommandSpec | undefined> | null = null;
  /** per pending RANGE_ARGV command: the buffer it came in, how to rebuild its argv, and the six
   *  numbers that rebuilding reads (the connection's kind code, then its bounds in the buffer) */
  private readonly pendingBufs: Array<Buffer | null> = [];
  private readonly pendingArgvOf: RangeArgv[] = [];
  private readonly pendingRanges: number[] = [];

  constructor(readonly table: CommandTable) {}

  private get rows(): Array<CommandSpec | undefined> {
    return this.rangeRows ?? (this.rangeRows = ['get', 'set', 'incr', 'decr'].map((name) => this.table.get(name)));
  }

  /**
   * Whether GET, SET, INCR and DECR may run from the read buffer (runRange) for `c`: nothing about the client
   * or the server needs the ordinary path — no transaction, subscription, tracking, CLIENT REPLY
   * OFF/SKIP or NO-TOUCH, an authenticated client (a restricted ACL user too: runRange checks its
   * permission per command, over the key's bytes), no script running past its threshold, no pause, no effects consumer (AOF, replication), no
   * keyspace notifications, no MONITOR, no listener on the keyspace's write hooks (WATCH,
   * blocking, tracking), no blocked client ready. Only a command can change any of these, and
   * the commands of the path (GET, SET, INCR, DECR; the binary protocol's MGET, KV.GETT, KV.SETT)
   * change none, so the connection asks before a socket read's first command and
   * again after each command it ran through `run`.
   */
  rangeOpen(c: Client): boolean {
    const server = c.server;
    const hooks = server.keyspace.hooks;
    return (
      c.multi === null && c.subscriptions === null && c.tracking === null && c.replyMode === 0 && !c.noTouch && !server.oomRefusal &&
      c.authenticated && server.busyError === null && !server.pause.active &&
      server.effects === null && server.notifier === null && server.monitors.size === 0 && !server.blocking.hasReady &&
      hooks.modified === null && hooks.created === null
    );
  }

  /**
   * Runs the GET, SET, INCR or DECR the decoder recognised as byte ranges of `buf` (`kind`:
   * RANGE_GET…, resp/decoder.ts) through its row's rangeHandler, counting it as `run` does. Call
   * only while `rangeOpen(c)`. Returns false when it did not run it (no such row —
   * rename-command —, an ACL user whose permissions do not plainly allow it, or the handler
   * declined): the caller then decodes the command and hands it to `run`, whose ACL check answers
   * a denial (NOPERM, ACL LOG) as always.
   */
  runRange(c: Client, kind: number, out: RespWriter, buf: Buffer, r: RequestRanges & { commandStart: number }, now: number): boolean {
    const spec = this.rows[kind - RANGE_GET];
    if (spec === undefined) return false;
    if (!this.runRangeOf(c, spec, kind === RANGE_SET ? 3 : 2, out, buf, r, now)) return false;
    this.pendingRange(respRangeArgv, buf, kind, r.commandStart, r.keyStart, r.keyEnd, r.valueStart, r.valueEnd);
    return true;
  }

  /**
   * runRange for a row the connection chose itself (the binary protocol's GET, SET and MGET
   * frames run GET, KV.GETT, SET, KV.SETT or MGET: binary/requests.ts), whose request has `argc`
   * arguments. Call only while `rangeOpen(c)`. When it ran (true), the caller must record it at
   * once with `pendingRange` (how to rebuild its argv for the slow log).
   */
  runRangeOf(c: Client, spec: CommandSpec, argc: number, out: Reply, buf: Buffer, r: RequestRanges, now: number): boolean {
    if (spec.rangeHandler === undefined || spec.isBounded !== true || !arityOk(spec.arity, argc)) return false;
    // a restricted ACL user: the command bit is decided once per user change, the key matched here
    // (GET and SET only: INCR's key needs read and write permission, KV.GETT's and KV.SETT's key
    // specs are not theirs: left to the full check)
    const user = c.user;
    if (!user.unrestricted) {
      const rows = this.rows;
      if ((spec !== rows[0] && spec !== rows[1]) || !rangeKeyAllowed(user, spec, buf, r.keyStart, r.keyEnd)) return false;
    }
    c.now = now;
    c.server.keyspace.access.now = now;
    if (!spec.rangeHandler(c, out, buf, r)) return false;
    c.lastCommand = spec.name;
    c.server.stats.totalCommands++;
    spec.stats.calls++;
    const n = this.pendingCount++;
    this.pendingSpecs[n] = spec;
    this.pendingArgv[n] = RANGE_ARGV;
    this.pendingClient = c;
    return true;
  }

  /**
   * What the slow log needs of the range command runRangeOf just ran: `argvOf` rebuilds its argv
   * from `buf` and the six numbers given here (their meaning is the connection's: RangeArgv).
   */
  pendingRange(argvOf: RangeArgv, buf: Buffer, n0: number, n1: number, n2: number, n3: number, n4: number, n5: number): void {
    const n = this.pendingCount - 1;
    this.pendingBufs[n] = buf;
    this.pendingArgvOf[n] = argvOf;
    const ranges = this.pendingRanges;
    const at = n * 6;
    ranges[at] = n0;
    ranges[at + 1] = n1;
    ranges[at + 2] = n2;
    ranges[at + 3] = n3;
    ranges[at + 4] = n4;
    ranges[at + 5] = n5;
  }

  /** The argv of the pending range command `i` (for the slow log), from the buffer it came in. */
  private rangeArgv(i: number): string[] {
    return this.pendingArgvOf[i]!(this.pendingSpecs[i]!, this.pendingBufs[i]!, this.pendingRanges, i * 6);
  }

  /** Finds the row for argv (descending into subcommands); replies the error itself if none. */
  resolve(c: Client, argv: string[]): CommandSpec | null {
    const found = this.find(argv);
    if (typeof found !== 'string') return found;
    c.reply.error(found);
    return null;
  }

  /** The row for argv (descending into subcommands), or the error text when there is none. */
  private find(argv: string[]): CommandSpec | string {
    const name = argv[0]!;
    let spec: CommandSpec | undefined;
    if (name === this.lastName) {
      spec = this.lastSpec;
    } else {
      spec = this.table.get(name);
      this.lastName = name;
      this.lastSpec = spec;
    }
    if (spec === undefined) return Err.UNKNOWN_COMMAND(argv[0]!.slice(0, 128), argsPreview(argv));
    if (!arityOk(spec.arity, argv.length)) {
      spec.stats.rejected++;
      return Err.WRONG_ARITY(spec.name);
    }
    // a container called alone (COMMAND) runs its own handler
    if (spec.subcommands === undefined || argv.length === 1) return spec;
    const sub = spec.subcommands.get(argv[1]!.toLowerCase());
    if (sub === undefined) return Err.UNKNOWN_SUBCOMMAND(argv[1]!.slice(0, 128), spec.name.toUpperCase());
    if (!arityOk(sub.arity, argv.length)) {
      sub.stats.rejected++;
      return Err.WRONG_ARITY(sub.name);
    }
    return sub;
  }

  /** Opens a batch of commands (one socket read): one high-resolution clock reading. */
  beginBatch(): void {
    this.segmentStart = performance.now();
  }

  /** Closes the batch: the bounded commands run since the last reading share its time. */
  endBatch(): void {
    if (this.pendingCount !== 0) this.closeSegment(performance.now());
  }

  /**
   * Runs one command line for `c` at time `now` (the one clock reading the command sees). Returns
   * Unbounded when the command may have taken long (DEBUG SLEEP, KEYS…: neither `fast` nor
   * constant-time here): the caller then reads the clock again for the next one. Commands of one
   * socket read share a reading while they are bounded, as the commands queued by MULTI share
   * EXEC's: no clock call per command. Held: clients are paused, the command did not run.
   */
  run(c: Client, argv: string[], now: number): RunResult {
    const spec = this.find(argv);
    if (typeof spec === 'string') {
      reject(c, spec, argv[0]!.length === 4 && argv[0]!.toLowerCase() === 'exec');
      return RunResult.Bounded;
    }
    // CLIENT LIST's cmd= (and ACL LOG's client-info): a refused or queued command too, and EXEC
    // (not its commands) while it runs
    c.lastCommand = spec.name;
    if (!c.authenticated && !spec.noAuth && c.server.acl.authRequired) {
      spec.stats.rejected++;
      reject(c, Err.NOAUTH, spec.name === 'exec');
      return RunResult.Bounded;
    }
    // ACL: the default user with +@all ~* &* passes on this one test
    if (!c.user.unrestricted) {
      const denied = enforce(c, spec, argv, c.multi !== null ? 'multi' : 'toplevel');
      if (denied !== null) {
        spec.stats.rejected++;
        reject(c, noPermError(denied), spec.name === 'exec');
        return RunResult.Bounded;
      }
    }
    // a script running past busy-reply-threshold: only allow_busy commands run (SCRIPT KILL…)
    if (c.server.busyError !== null && spec.allowBusy !== true) {
      reject(c, c.server.busyError, spec.name === 'exec');
      return RunResult.Bounded;
    }
    const server = c.server;
    // maxmemory with noeviction: over it, denyoom commands are refused, and in MULTI everything
    // queued but EXEC, DISCARD, QUIT and RESET (queueing would grow without bound), as Redis
    if (server.oomRefusal && (spec.denyOom === true || (c.multi !== null && !OOM_EXEMPT_IN_MULTI.has(spec.name))) && server.usedMemory() > server.config.int('maxmemory')) {
      reject(c, Err.OOM, spec.name === 'exec');
      return RunResult.Bounded;
    }
    // client-side caching's table past tracking-table-max-keys: trimmed before the command (as Redis)
    if (server.tracking.overLimit) server.tracking.limitTable();
    // the slow branch: a transaction being queued, or a subscribed client
    if (c.multi !== null || c.subscriptions !== null) {
      if (!this.admissible(c, spec)) return RunResult.Bounded;
    }
    // paused clients: held before queueing too (a write queued by MULTI waits, as in Redis)
    if (server.pause.active && server.pause.holds(c, spec, argv)) return RunResult.Held;
    if (c.multi !== null && spec.runsInMulti !== true) {
      queue(c, c.multi, spec, argv);
      return RunResult.Bounded;
    }
    const bounded = spec.isBounded === true;
    if (!bounded) this.closeSegment(performance.now());
    execute(c, spec, argv, now);
    // a command that blocked (BLPOP…) is logged and timed in full when it is served (recordServed)
    if (c.blockedBy !== null) c.blockedBy.blockedCall(spec, argv);
    if (c.tracking !== null) server.tracking.afterCommand(c, spec);
    // clients blocked on keys this command made ready are served now, before the next command —
    // at the time after it (a long one — EXEC with DEBUG SLEEP — may have let the key expire), as Redis
    if (server.blocking.hasReady) server.blocking.serveReady(bounded ? now : server.clock.now());
    if (bounded) {
      const n = this.pendingCount++;
      this.pendingSpecs[n] = spec;
      this.pendingArgv[n] = argv;
      this.pendingClient = c;
      return RunResult.Bounded;
    }
    const end = performance.now();
    this.account(c, spec, argv, (end - this.segmentStart) * 1000);
    this.segmentStart = end;
    return RunResult.Unbounded;
  }

  /** The bounded commands run since `segmentStart` share the time up to `end` evenly. */
  private closeSegment(end: number): void {
    const n = this.pendingCount;
    if (n !== 0) {
      const share = ((end - this.segmentStart) * 1000) / n;
      const c = this.pendingClient!;
      const specs = this.pendingSpecs;
      const argvs = this.pendingArgv;
      const bufs = this.pendingBufs;
      for (let i = 0; i < n; i++) {
        const argv = argvs[i]!;
        this.account(c, specs[i]!, argv, share, i);
        argvs[i] = NO_ARGV;
        if (argv === RANGE_ARGV) bufs[i] = null;
      }
      this.pendingCount = 0;
      this.pendingClient = null;
    }
    this.segmentStart = end;
  }

  /** Accounts the command's `usec` (recordCall); a range command's argv is built only if the slow log keeps it. */
  private account(c: Client, spec: CommandSpec, argv: string[], usec: number, pending = -1): void {
    if (argv === RANGE_ARGV && slowlogWants(c, spec, usec)) argv = this.rangeArgv(pending);
    recordCall(c, spec, argv, usec);
  }

  /**
   * The checks for a client in MULTI or subscribed: commands refused inside a transaction and
   * the RESP2 subscriber context. Returns true when the command may go on (to run, or be queued);
   * else it has been answered with an error.
   */
  private admissible(c: Client, spec: CommandSpec): boolean {
    if (c.multi !== null && spec.noMulti === true) {
      reject(c, Err.NOT_ALLOWED_IN_MULTI, false);
      return false;
    }
    if (c.subscriptions !== null && c.proto === 2 && spec.subscribedContext !== true) {
      reject(c, Err.SUBSCRIBED_CONTEXT(spec.name), spec.name === 'exec');
      return false;
    }
    return true;
  }
}

/** Queues a command of a transaction and answers `+QUEUED`. */
function queue(c: Client, multi: MultiState, spec: CommandSpec, argv: string[]): void {
  multi.specs.push(spec);
  multi.argvs.push(argv);
  if (!multi.mayReplicate && invocationMayReplicate(c, spec, argv)) multi.mayReplicate = true;
  const reply = c.reply;
  if (reply instanceof RespWriter) reply.preencoded(QUEUED);
  else reply.simple('QUEUED');
}

/** The reply to a queued command, the same bytes in RESP2 and RESP3. */
const QUEUED = Buffer.from('+QUEUED\r\n', 'latin1');


/**
 * Answers a command refused before running; inside MULTI this dooms the transaction (EXECABORT).
 * A refused EXEC itself ends the transaction, with Redis's EXECABORT naming the reason.
 */
function reject(c: Client, error: string, isExec: boolean): false {
  if (isExec) {
    c.server.releaseTransaction(c);
    c.reply.error(Err.EXECABORT_BECAUSE(error));
    return false;
  }
  if (c.multi !== null) c.multi.aborted = true;
  c.reply.error(error);
  return false;
}

/**
 * Runs the handler of a resolved and admitted command for `c` at time `now`: counts it (calls,
 * failed), emits its effects, feeds MONITOR and client tracking. The one path every command
 * takes, from the network or queued by MULTI (EXEC calls it for each).
 */
export function execute(c: Client, spec: CommandSpec, argv: string[], now: number): void {
  const server = c.server;
  c.now = now;
  server.stats.totalCommands++;
  const effects = server.effects !== null;
  const dirty = effects ? server.keyspace.stats.dirty : 0;
  if (effects) c.rewritten = null;
  const reply = c.reply;
  const errors = reply.errors;
  // the time writes stamp on the access clock of the keys they create (engine/access-clock.ts)
  const access = server.keyspace.access;
  access.now = now;
  // CLIENT NO-TOUCH: the client's reads leave access clocks alone, except TOUCH's
  if (c.noTouch) access.suppressed = spec.name !== 'touch';
  // the client whose command runs; a script's commands run for its caller (Redis's current_client)
  const caller = server.currentClient;
  server.currentClient = c.script && caller !== null ? caller : c;
  // a tracking client's script: its reads remember the keys the script declares (tracking.ts)
  const tracking = c.tracking;
  if (tracking !== null && spec.runsScript === true) {
    tracking.scriptSpec = spec;
    tracking.scriptArgv = argv;
  }
  try {
    spec.handler!(c, argv);
  } catch (e) {
    server.log.warning(`command '${spec.name}' failed: ${(e as Error).stack ?? e}`);
    reply.error(Err.INTERNAL(spec.name, (e as Error).message));
  }
  server.currentClient = caller;
  // small collections the command unpacked go back into their records (engine/packed-collections.ts)
  server.keyspace.settle();
  if (c.noTouch) access.suppressed = false;
  const stats = spec.stats;
  stats.calls++;
  if (reply.errors !== errors) stats.failed++;
  // client-side caching remembers the keys a read-only command read; a script's reads, the keys
  // its caller declared (EVAL_RO and FCALL_RO themselves remember nothing)
  if (spec.isReadonly === true) {
    if (c.tracking !== null) {
      if (spec.runsScript !== true) server.tracking.remember(c, spec, argv);
    } else if (c.script && server.currentClient !== null) server.tracking.scriptRead(server.currentClient);
  }
  if (tracking !== null && spec.runsScript === true) {
    tracking.scriptSpec = null;
    tracking.scriptArgv = null;
  }
  if (effects) emitEffects(c, argv, dirty);
  // after the command, as Redis: the line shows the database it left selected
  if (server.monitors.size !== 0) feedMonitors(c, spec, argv);
}

/**
 * Runs the commands one command runs for its client (EXEC's), each accounted as a command of its
 * own — INFO commandstats and latencystats, the slow log, the latency monitor list them one by
 * one, as Redis's call() does for them (EXEC itself is skip_slowlog; its time includes theirs) —
 * with dispatch's clock discipline: the bounded commands between two readings share the time
 * between them evenly, any other is timed on its own. `close` after the last one.
 */
export class NestedRun {
  private start = performance.now();
  /** the bounded commands run since `start`: the first `count` entries (the arrays are never
   *  shortened: `length = 0` is a runtime call through the length accessor) */
  private readonly specs: CommandSpec[] = [];
  private readonly argvs: string[][] = [];
  private count = 0;

  constructor(private readonly c: Client) {}

  /** `execute` for the client at time `now`, timed as above. */
  run(spec: CommandSpec, argv: string[], now: number): void {
    const c = this.c;
    if (spec.isBounded === true) {
      execute(c, spec, argv, now);
      const n = this.count++;
      this.specs[n] = spec;
      this.argvs[n] = argv;
      return;
    }
    const start = this.close();
    execute(c, spec, argv, now);
    const end = performance.now();
    recordCall(c, spec, argv, (end - start) * 1000);
    this.start = end;
  }

  /** Accounts the bounded commands run since the last reading; returns the new reading. */
  close(): number {
    const end = performance.now();
    const n = this.count;
    if (n !== 0) {
      const share = ((end - this.start) * 1000) / n;
      const specs = this.specs;
      const argvs = this.argvs;
      for (let i = 0; i < n; i++) recordCall(this.c, specs[i]!, argvs[i]!, share);
      this.count = 0;
    }
    this.start = end;
    return end;
  }
}

/** Whether the slow log keeps a command of `spec` that took `usec` µs. */
function slowlogWants(c: Client, spec: CommandSpec, usec: number): boolean {
  const threshold = c.server.slowlog.threshold;
  return usec >= threshold && threshold >= 0 && spec.skipSlowlog !== true;
}

/**
 * Accounts `usec` µs to a command of `spec` that `c` ran: INFO commandstats and latencystats,
 * the slow log, the latency monitor. A command that left `c` blocked goes into the slow log and
 * latencystats when it is served instead (recordServed), as Redis's updateStatsOnUnblock.
 */
function recordCall(c: Client, spec: CommandSpec, argv: string[], usec: number): void {
  spec.stats.usec += usec;
  const server = c.server;
  const w = c.blockedBy;
  if (w !== null && w.argv === argv) w.callUsec = usec;
  else {
    // INFO latencystats: the same duration, into the row's histogram
    if (server.latencyTracking) recordLatency(spec.stats, usec);
    if (slowlogWants(c, spec, usec)) server.slowlog.offer(argv, usec, c.now, c.conn.addr, c.name);
  }
  if (server.latency.threshold !== 0) {
    server.latency.offer(spec.isFast === true ? 'fast-command' : 'command', usec / 1000, c.now);
  }
}

/**
 * Accounts a blocked command that has just been served in `serveUsec` µs: commandstats adds
 * the serving time, latencystats and the slow log take the whole command — its first run plus
 * its serving, not the time it waited — as Redis's updateStatsOnUnblock.
 */
export function recordServed(c: Client, spec: CommandSpec, argv: string[], callUsec: number, serveUsec: number): void {
  spec.stats.usec += serveUsec;
  const usec = callUsec + serveUsec;
  if (c.server.latencyTracking) recordLatency(spec.stats, usec);
  if (slowlogWants(c, spec, usec)) c.server.slowlog.offer(argv, usec, c.now, c.conn.addr, c.name);
}

function arityOk(arity: number, argc: number): boolean {
  return arity >= 0 ? argc === arity : argc >= -arity;
}

/** `'a' 'b' ` as Redis lists the first arguments of an unknown command (128 chars at most). */
function argsPreview(argv: string[]): string {
  let out = '';
  for (let i = 1; i < argv.length && out.length < 128; i++) {
    // C's '%.*s': the argument stops at its first NUL byte
    out += `'${cString(argv[i]!).slice(0, 128 - out.length)}' `;
  }
  return out;
}
