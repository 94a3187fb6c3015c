/*
 * MONITOR: every command run by any client (the monitoring one included) is shown to monitoring
 * clients as Redis shows it, after the command ran, with the database it left selected:
 * `+1339518083.107412 [0 127.0.0.1:60866] "set" "k" "v"`; a script's commands show the client
 * `lua` (`[0 lua]`), after the line of the EVAL/FCALL that runs them. Commands flagged admin or
 * skip_monitor are not shown; passwords are shown as "(redacted)". A monitoring client leaves
 * the mode with RESET or by disconnecting.
 */
import { quoteArg } from '../resp/quoting.js';
import type { Client } from './client.js';
import type { CommandSpec } from './command-types.js';
import { formatMicros, wallClockMicros } from '../commands/wall-clock.js';

/* MONITOR */
export function monitorCommand(c: Client): void {
  if (c.monitor) return; // Redis ignores a repeated MONITOR without replying
  c.monitor = true;
  c.server.monitors.add(c);
  c.reply.ok();
}

/** Sends the line for `argv`, just run by `c`, to every monitoring client (written at the end of this event-loop turn). */
export function feedMonitors(c: Client, spec: CommandSpec, argv: string[]): void {
  const flags = (spec.parent ?? spec).flags;
  if (flags.includes('skip_monitor') || flags.includes('admin') || spec.flags.includes('admin')) return;
  showToMonitors(c, argv);
}

/**
 * Sends the line for `argv` of `c` to every monitoring client, whatever the command's flags.
 * EVAL, EVALSHA and FCALL (skip_monitor) call it themselves before their script runs, so that
 * their line comes before those of the commands the script calls, as Redis's evalCommand does.
 */
export function showToMonitors(c: Client, argv: string[]): void {
  if (c.server.monitors.size === 0) return;
  const shown = redact(argv);
  const line = `${formatMicros(wallClockMicros())} [${c.db.label} ${c.conn.addr}] ${shown.map(quoteArg).join(' ')}`;
  for (const m of c.server.monitors) {
    m.reply.simple(line);
    if (m !== c) m.conn.flushSoon();
  }
}

const REDACTED = '(redacted)';

/** argv with passwords replaced, as Redis's redactClientCommandArgument leaves it for AUTH and HELLO. */
function redact(argv: string[]): string[] {
  const name = argv[0]!.toLowerCase();
  if (name === 'auth') return [argv[0]!, ...argv.slice(1).map(() => REDACTED)];
  if (name !== 'hello') return argv;
  const out = argv.slice();
  for (let i = 2; i < out.length; i++) {
    if (out[i]!.toLowerCase() === 'auth' && i + 2 < out.length) {
      out[i + 1] = out[i + 2] = REDACTED;
      i += 2;
    }
  }
  return out;
}
