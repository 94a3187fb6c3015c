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
import type { Client } from './client.js';
import type { CommandTable } from './table.js';
import type { CommandSpec } from './command-types.js';
import { feedMonitors } from './monitor.js';
import { emitEffects } from './effects.js';

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

  constructor(readonly table: CommandTable) {}

  /** Finds the row for argv (descending into subcommands); replies the error itself if none. */
  resolve(c: Client, argv: string[]): CommandSpec | null {
    const name = argv[0]!;
    let spec: CommandSpec | undefined;
    if (name === this.lastName) {
      spec = this.lastSpec;
    } else {
      spec = this.table.get(name);
      this.lastName = name;
      this.lastSpec = spec;
    }
    if (spec === undefined) {
      c.reply.error(Err.UNKNOWN_COMMAND(argv[0]!.slice(0, 128), argsPreview(argv)));
      return null;
    }
    if (!arityOk(spec.arity, argv.length)) {
      spec.stats.rejected++;
      c.reply.error(Err.WRONG_ARITY(spec.name));
      return null;
    }
    // a container called alone (COMMAND) runs its own handler
    if (spec.subcommands === undefined || argv.length === 1) return spec;
    const sub = spec.subcommands.get(argv[1]!.toLowerCase());
    if (sub === undefined) {
      c.reply.error(Err.UNKNOWN_SUBCOMMAND(argv[1]!.slice(0, 128), spec.name.toUpperCase()));
      return null;
    }
    if (!arityOk(sub.arity, argv.length)) {
      sub.stats.rejected++;
      c.reply.error(Err.WRONG_ARITY(sub.name));
      return null;
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
    const server = c.server;
    const spec = this.resolve(c, argv);
    if (spec === null) return RunResult.Bounded;
    if (!c.authenticated && !spec.noAuth) {
      spec.stats.rejected++;
      c.reply.error(Err.NOAUTH);
      return RunResult.Bounded;
    }
    if (server.pause.active && server.pause.holds(spec)) return RunResult.Held;
    c.now = now;
    c.lastCommand = spec.name;
    server.stats.totalCommands++;
    const bounded = spec.isBounded === true;
    if (!bounded) this.closeSegment(performance.now());
    const effects = server.effects !== null;
    const dirty = effects ? server.keyspace.stats.dirty : 0;
    if (effects) c.rewritten = null;
    const reply = c.reply;
    const errors = reply.errors;
    const policy = server.keyspace.policy;
    if (policy.tracked) policy.now = now;
    // CLIENT NO-TOUCH: the client's reads leave access clocks alone, except TOUCH's
    if (c.noTouch) policy.suppressed = spec.name !== 'touch';
    try {
      spec.handler!(c, argv);
    } catch (e) {
      server.log.warning(`command '${spec.name}' failed: ${(e as Error).stack ?? e}`);
      reply.error(Err.INTERNAL(spec.name, (e as Error).message));
    }
    if (c.noTouch) policy.suppressed = false;
    const stats = spec.stats;
    stats.calls++;
    if (reply.errors !== errors) stats.failed++;
    if (effects) emitEffects(c, argv, dirty);
    // after the command, as Redis: the line shows the database it left selected
    if (server.monitors.size !== 0) feedMonitors(c, spec, argv);
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
      for (let i = 0; i < n; i++) {
        this.account(c, specs[i]!, argvs[i]!, share);
        argvs[i] = NO_ARGV;
      }
      this.pendingCount = 0;
      this.pendingClient = null;
    }
    this.segmentStart = end;
  }

  /** Adds `usec` to the command's statistics; the slow log and latency monitor may record it. */
  private account(c: Client, spec: CommandSpec, argv: string[], usec: number): void {
    spec.stats.usec += usec;
    const server = c.server;
    if (usec >= server.slowlog.threshold && server.slowlog.threshold >= 0 && spec.skipSlowlog !== true) {
      server.slowlog.offer(argv, usec, c.now, c.conn.addr, c.name);
    }
    if (server.latency.threshold !== 0) {
      server.latency.offer(spec.flags.includes('fast') ? 'fast-command' : 'command', usec / 1000, c.now);
    }
  }
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
