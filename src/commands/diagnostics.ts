/*
 * SLOWLOG GET [count] | LEN | RESET | HELP and LATENCY LATEST | HISTORY | RESET | DOCTOR | HELP:
 * what core/slowlog.ts and core/latency.ts recorded (dispatch feeds both).
 */
import { Err } from '../resp/errors.js';
import { parseInt64 } from '../engine/int64.js';
import type { Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';
import { replyHelp } from './admin.js';

/* SLOWLOG GET [count] */
function slowlogGetCommand(c: Client, argv: string[]): void {
  let count = 10;
  if (argv.length === 3) {
    const n = parseInt64(argv[2]!);
    if (n === null || n < -1) return c.reply.error(Err.SLOWLOG_COUNT);
    count = Number(n);
  }
  const entries = c.server.slowlog.entries;
  const n = count === -1 ? entries.length : Math.min(count, entries.length);
  c.reply.array(n);
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    c.reply.array(6);
    c.reply.int(e.id);
    c.reply.int(e.time);
    c.reply.int(e.usec);
    c.reply.bulks(e.args);
    c.reply.bulk(e.addr);
    c.reply.bulk(e.name);
  }
}

/* SLOWLOG LEN */
function slowlogLenCommand(c: Client): void {
  c.reply.int(c.server.slowlog.entries.length);
}

/* SLOWLOG RESET */
function slowlogResetCommand(c: Client): void {
  c.server.slowlog.reset();
  c.reply.ok();
}

/* SLOWLOG HELP */
function slowlogHelpCommand(c: Client): void {
  replyHelp(c, 'SLOWLOG', [
    'GET [<count>]',
    '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
    '    Entries are made of:',
    '    id, timestamp, time in microseconds, arguments array, client IP and port,',
    '    client name',
    'LEN',
    '    Return the length of the slowlog.',
    'RESET',
    '    Reset the slowlog.',
  ]);
}

/* LATENCY LATEST */
function latencyLatestCommand(c: Client): void {
  const events = c.server.latency.events;
  c.reply.array(events.size);
  for (const [name, e] of events) {
    c.reply.array(4);
    c.reply.bulk(name);
    c.reply.int(e.latest.time);
    c.reply.int(e.latest.ms);
    c.reply.int(e.max);
  }
}

/* LATENCY HISTORY event */
function latencyHistoryCommand(c: Client, argv: string[]): void {
  const e = c.server.latency.events.get(argv[2]!);
  if (e === undefined) return c.reply.array(0);
  c.reply.array(e.samples.length);
  for (const s of e.samples) {
    c.reply.array(2);
    c.reply.int(s.time);
    c.reply.int(s.ms);
  }
}

/* LATENCY RESET [event ...] */
function latencyResetCommand(c: Client, argv: string[]): void {
  c.reply.int(c.server.latency.reset(argv.slice(2)));
}

/* LATENCY DOCTOR (a short form of Redis's report) */
function latencyDoctorCommand(c: Client): void {
  c.reply.verbatim(c.server.latency.doctor(c.server.slowlog.threshold));
}

/* LATENCY HELP */
function latencyHelpCommand(c: Client): void {
  replyHelp(c, 'LATENCY', [
    'DOCTOR',
    '    Return a human readable latency analysis report.',
    'HISTORY <event>',
    '    Return time-latency samples for the <event> class.',
    'LATEST',
    '    Return the latest latency samples for all events.',
    'RESET [<event> ...]',
    '    Reset latency data of one or more <event> classes.',
    '    (default: reset all data for all event classes)',
  ]);
}

const ADMIN = 'admin loading stale';
const ADMIN_NOSCRIPT = 'admin noscript loading stale';

export const diagnosticsCommands: CommandRow[] = [
  {
    name: 'slowlog', arity: -2, flags: '', categories: '',
    subcommands: [
      { name: 'get', arity: -2, flags: ADMIN, categories: '', handler: slowlogGetCommand },
      { name: 'len', arity: 2, flags: ADMIN, categories: '', handler: slowlogLenCommand },
      { name: 'reset', arity: 2, flags: ADMIN, categories: '', handler: slowlogResetCommand },
      { name: 'help', arity: 2, flags: 'loading stale', categories: '', handler: slowlogHelpCommand },
    ],
  },
  {
    name: 'latency', arity: -2, flags: '', categories: '',
    subcommands: [
      { name: 'latest', arity: 2, flags: ADMIN_NOSCRIPT, categories: '', handler: latencyLatestCommand },
      { name: 'history', arity: 3, flags: ADMIN_NOSCRIPT, categories: '', handler: latencyHistoryCommand },
      { name: 'reset', arity: -2, flags: ADMIN_NOSCRIPT, categories: '', handler: latencyResetCommand },
      { name: 'doctor', arity: 2, flags: ADMIN_NOSCRIPT, categories: '', handler: latencyDoctorCommand },
      { name: 'help', arity: 2, flags: 'loading stale', categories: '', handler: latencyHelpCommand },
    ],
  },
];
