/*
 * SLOWLOG GET [count] | LEN | RESET | HELP and LATENCY LATEST | HISTORY | RESET | DOCTOR | HELP:
 * what core/slowlog.ts and core/latency.ts recorded (dispatch feeds both).
 */
import { Err } from '../resp/errors.js';
import { parseInt64 } from '../engine/int64.js';
import type { Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';
import { replyHelp } from './admin.js';
import { histogramBuckets, latencyGraph } from '../core/latency-report.js';
import type { CommandSpec } from '../core/command-types.js';
import type { Float64Histogram } from 'hdr-histogram-js';

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

/* LATENCY GRAPH event */
function latencyGraphCommand(c: Client, argv: string[]): void {
  const name = argv[2]!;
  const e = c.server.latency.events.get(name);
  if (e === undefined || e.samples.length === 0) return c.reply.error(Err.LATENCY_NO_SAMPLES(name));
  c.reply.verbatim(latencyGraph(name, e, Math.floor(c.now / 1000)));
}

/** One command's LATENCY HISTOGRAM entry: its full name, then calls and the buckets. */
function replyHistogram(c: Client, spec: CommandSpec, h: Float64Histogram): void {
  c.reply.bulk(spec.name);
  c.reply.map(2);
  c.reply.bulk('calls');
  c.reply.int(h.totalCount);
  c.reply.bulk('histogram_usec');
  const buckets = histogramBuckets(h);
  c.reply.map(buckets.length);
  for (const [usec, count] of buckets) {
    c.reply.int(usec);
    c.reply.int(count);
  }
}

/** A command by its full name (`get`, `config|set`), as Redis's lookupCommandBySds. */
function lookupFullName(c: Client, name: string): CommandSpec | undefined {
  const parts = name.split('|');
  if (parts.length > 2) return undefined;
  const spec = c.server.commandTable.get(parts[0]!);
  return parts.length === 1 ? spec : spec?.subcommands?.get(parts[1]!.toLowerCase());
}

/*
 * LATENCY HISTOGRAM [command ...]: every command with recorded latencies (in table order; Redis's
 * is its hash order), or the named ones — a container name also reports its subcommands, unknown
 * names are skipped, a name given twice is reported twice (all as Redis).
 */
function latencyHistogramCommand(c: Client, argv: string[]): void {
  const picked: Array<[CommandSpec, Float64Histogram]> = [];
  const visit = (spec: CommandSpec, withSubs: boolean) => {
    if (spec.stats.latency !== null) picked.push([spec, spec.stats.latency]);
    if (withSubs && spec.subcommands !== undefined) for (const sub of spec.subcommands.values()) visit(sub, false);
  };
  if (argv.length === 2) {
    for (const spec of c.server.commandTable.all) visit(spec, true);
  } else {
    for (let i = 2; i < argv.length; i++) {
      const spec = lookupFullName(c, argv[i]!);
      if (spec !== undefined) visit(spec, true);
    }
  }
  c.reply.map(picked.length);
  for (const [spec, h] of picked) replyHistogram(c, spec, h);
}

/* LATENCY HELP */
function latencyHelpCommand(c: Client): void {
  replyHelp(c, 'LATENCY', [
    'DOCTOR',
    '    Return a human readable latency analysis report.',
    'GRAPH <event>',
    '    Return an ASCII latency graph for the <event> class.',
    'HISTORY <event>',
    '    Return time-latency samples for the <event> class.',
    'LATEST',
    '    Return the latest latency samples for all events.',
    'RESET [<event> ...]',
    '    Reset latency data of one or more <event> classes.',
    '    (default: reset all data for all event classes)',
    'HISTOGRAM [COMMAND ...]',
    '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
    '    If no commands are specified then all histograms are replied.',
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
      { name: 'graph', arity: 3, flags: ADMIN_NOSCRIPT, categories: '', handler: latencyGraphCommand },
      { name: 'histogram', arity: -2, flags: ADMIN_NOSCRIPT, categories: '', handler: latencyHistogramCommand },
      { name: 'help', arity: 2, flags: 'loading stale', categories: '', handler: latencyHelpCommand },
    ],
  },
];
