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
      c.reply.error(Err.WRONG_ARITY(sub.name));
      return null;
    }
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
    const server = c.server;
    const spec = this.resolve(c, argv);
    if (spec === null) return false;
    if (!c.authenticated && !spec.noAuth) {
      c.reply.error(Err.NOAUTH);
      return false;
    }
    if (server.busyError !== null && !spec.flags.includes('allow_busy')) {
      c.reply.error(server.busyError);
      return false;
    }
    c.now = now;
    c.lastCommand = spec.name;
    server.stats.totalCommands++;
    const effects = server.effects !== null;
    const dirty = effects ? server.keyspace.stats.dirty : 0;
    if (effects) c.rewritten = null;
    try {
      spec.handler!(c, argv);
    } catch (e) {
      server.log.warning(`command '${spec.name}' failed: ${(e as Error).stack ?? e}`);
      c.reply.error(Err.INTERNAL(spec.name, (e as Error).message));
    }
    if (effects) emitEffects(c, argv, dirty);
    // after the command, as Redis: the line shows the database it left selected
    if (server.monitors.size !== 0) feedMonitors(c, spec, argv);
    return !spec.isBounded;
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
