/*
 * Dispatch: finds the row, checks arity and authentication, fixes the command's clock, and runs
 * the handler. Handler exceptions are bugs: they are logged, the client gets
 * `-ERR`, and the server lives on.
 */
import { cString, Err } from '../resp/errors.js';
import type { Client } from './client.js';
import type { CommandTable } from './table.js';
import type { CommandSpec } from './command-types.js';
import { feedMonitors } from './monitor.js';
import { emitEffects } from './effects.js';

export class Dispatcher {
  /** The last name looked up and its row: the decoder hands out the same string object for a
   *  repeated command name, so a pipeline of one command skips the table lookup. */
  private lastName = '';
  private lastSpec: CommandSpec | undefined;

  constructor(readonly table: CommandTable) {}

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
    if (!arityOk(spec.arity, argv.length)) return Err.WRONG_ARITY(spec.name);
    // a container called alone (COMMAND) runs its own handler
    if (spec.subcommands === undefined || argv.length === 1) return spec;
    const sub = spec.subcommands.get(argv[1]!.toLowerCase());
    if (sub === undefined) return Err.UNKNOWN_SUBCOMMAND(argv[1]!.slice(0, 128), spec.name.toUpperCase());
    if (!arityOk(sub.arity, argv.length)) return Err.WRONG_ARITY(sub.name);
    return sub;
  }

  /**
   * Runs one command line for `c` at time `now` (the one clock reading the command sees). Returns
   * true when the command may have taken long (DEBUG SLEEP, KEYS…: neither `fast` nor constant-time
   * here): the caller then reads the clock again for the next one. Commands of one socket read
   * share a reading while they are bounded, as the commands queued by MULTI share EXEC's: no clock
   * call per command.
   */
  run(c: Client, argv: string[], now: number): boolean {
    const spec = this.find(argv);
    if (typeof spec === 'string') return reject(c, spec, argv[0]!.length === 4 && argv[0]!.toLowerCase() === 'exec');
    if (!c.authenticated && !spec.noAuth) return reject(c, Err.NOAUTH, spec.name === 'exec');
    // CLIENT LIST's cmd=: a queued command too, and EXEC (not its commands) while it runs
    c.lastCommand = spec.name;
    // the slow branch: a transaction being queued, or a subscribed client
    if (c.multi !== null || c.subscriptions !== null) {
      if (!this.admit(c, spec, argv)) return false;
    }
    const bounded = execute(c, spec, argv, now);
    if (c.tracking !== null) c.server.tracking.afterCommand(c, spec);
    return !bounded;
  }

  /**
   * The checks for a client in MULTI or subscribed: commands refused inside a transaction, the
   * RESP2 subscriber context, and queueing. Returns true when the command is to run now; else
   * it has been answered (an error, or `+QUEUED`).
   */
  private admit(c: Client, spec: CommandSpec, argv: string[]): boolean {
    const multi = c.multi;
    const root = spec.parent ?? spec;
    if (multi !== null && root.flags.includes('no_multi')) {
      reject(c, Err.NOT_ALLOWED_IN_MULTI, false);
      return false;
    }
    if (c.subscriptions !== null && c.proto === 2 && !SUBSCRIBED_CONTEXT.has(root.name)) {
      reject(c, Err.SUBSCRIBED_CONTEXT(spec.name), spec.name === 'exec');
      return false;
    }
    if (multi === null || RUN_IN_MULTI.has(root.name)) return true;
    multi.commands.push({ spec, argv });
    c.reply.simple('QUEUED');
    return false;
  }
}

/** What a RESP2 client may run while subscribed. */
const SUBSCRIBED_CONTEXT = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);
/** What runs at once, not queued, inside MULTI (as Redis's processCommand). */
const RUN_IN_MULTI = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

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
 * Runs the handler of a resolved and admitted command for `c` at time `now`: counts it, emits its
 * effects, feeds MONITOR. The one path every command takes, from the network or queued by MULTI
 * (EXEC calls it for each). Returns whether the command is bounded (see `run`).
 */
export function execute(c: Client, spec: CommandSpec, argv: string[], now: number): boolean {
  const server = c.server;
  c.now = now;
  server.stats.totalCommands++;
  const effects = server.effects !== null;
  const dirty = effects ? server.keyspace.stats.dirty : 0;
  if (effects) c.rewritten = null;
  const caller = server.currentClient;
  server.currentClient = c;
  try {
    spec.handler!(c, argv);
  } catch (e) {
    server.log.warning(`command '${spec.name}' failed: ${(e as Error).stack ?? e}`);
    c.reply.error(Err.INTERNAL(spec.name, (e as Error).message));
  }
  server.currentClient = caller;
  // client-side caching remembers the keys a read-only command read
  if (c.tracking !== null && spec.flags.includes('readonly')) server.tracking.remember(c, spec, argv);
  if (effects) emitEffects(c, argv, dirty);
  // after the command, as Redis: the line shows the database it left selected
  if (server.monitors.size !== 0) feedMonitors(c, spec, argv);
  return spec.isBounded === true;
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
