/*
 * MEMORY USAGE | STATS | DOCTOR | MALLOC-STATS | PURGE | HELP, with Redis 7.0's reply shapes and
 * errors. The figures are kv-server's own accounting (info.ts memoryFigures: the arena's pages,
 * the indexes, the collections' estimate on top of the process's baseline heap); there is no
 * jemalloc, so the allocator.* fields report what the process can see (heap and RSS) — see
 * docs/compatibility.md.
 */
import { Err } from '../resp/errors.js';
import { parseInt64 } from '../engine/int64.js';
import { sizeOf } from '../engine/values.js';
import { memoryFigures } from './info.js';
import { replyHelp } from './admin.js';
import type { Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';
import type { Database } from '../engine/keyspace.js';

/** Bytes a key costs besides its value: the record header (20, or 32 with a TTL) and its share of
 *  the index (a 16-byte slot in a table kept at most 3/4 full). */
const RECORD_HEADER = 20;
const TTL_FIELD = 12;
const INDEX_SLOT = 16;

/** What MEMORY USAGE answers for a stored value: record, key bytes, value estimate, index share. */
export function keyUsage(db: Database, key: string, value: Parameters<typeof sizeOf>[0]): number {
  const ttl = db.expireAt(key) !== undefined ? TTL_FIELD : 0;
  return RECORD_HEADER + ttl + key.length + sizeOf(value) + INDEX_SLOT;
}

/* MEMORY USAGE key [SAMPLES count] */
function memoryUsageCommand(c: Client, argv: string[]): void {
  // SAMPLES steers Redis's estimate of large collections; ours is kept exactly, so it is validated
  // and has no further effect
  for (let i = 3; i < argv.length; i++) {
    if (argv[i]!.toLowerCase() === 'samples' && i + 1 < argv.length) {
      const n = parseInt64(argv[++i]!);
      if (n === null) return c.reply.error(Err.NOT_INTEGER);
      if (n < 0) return c.reply.error(Err.SYNTAX);
    } else return c.reply.error(Err.SYNTAX);
  }
  const key = argv[2]!;
  const v = c.db.lookupRead(key, c.now, false);
  if (v === undefined) return c.reply.nil();
  c.reply.int(keyUsage(c.db, key, v));
}

/* MEMORY STATS */
function memoryStatsCommand(c: Client): void {
  const m = memoryFigures(c.server);
  const dbs = [...c.server.keyspace.dbs].filter((db) => db.size > 0);
  let keys = 0;
  let overheadDbs = 0;
  for (const db of dbs) {
    keys += db.size;
    overheadDbs += db.indexBytes;
  }
  const net = Math.max(0, m.used - m.startup);
  const overhead = m.startup + overheadDbs;
  // Redis computes these ratios in single precision and prints the float widened to a double
  const ratio = (x: number) => Math.fround(x);
  c.reply.map(27 + dbs.length);
  const int = (name: string, n: number) => {
    c.reply.bulk(name);
    c.reply.int(Math.round(n));
  };
  const dbl = (name: string, d: number) => {
    c.reply.bulk(name);
    c.reply.double(ratio(Number.isFinite(d) ? d : 0));
  };
  int('peak.allocated', m.peak);
  int('total.allocated', m.used);
  int('startup.allocated', m.startup);
  int('replication.backlog', 0);
  int('clients.slaves', 0);
  int('clients.normal', 0);
  int('cluster.links', 0);
  int('aof.buffer', 0);
  int('lua.caches', 0);
  int('functions.caches', 0);
  for (const db of dbs) {
    c.reply.bulk(`db.${db.id}`);
    c.reply.map(3);
    int('overhead.hashtable.main', db.indexBytes);
    int('overhead.hashtable.expires', 0);
    int('overhead.hashtable.slot-to-keys', 0);
  }
  int('overhead.total', overhead);
  int('keys.count', keys);
  int('keys.bytes-per-key', keys > 0 ? Math.floor(net / keys) : 0);
  int('dataset.bytes', m.dataset);
  dbl('dataset.percentage', net > 0 ? (m.dataset * 100) / net : 0);
  dbl('peak.percentage', m.peak > 0 ? (m.used * 100) / m.peak : 0);
  // no jemalloc: "allocated" is our accounting, "active" the V8 heap in use, "resident" the RSS
  const active = Math.max(m.used, m.heapUsed);
  int('allocator.allocated', m.used);
  int('allocator.active', active);
  int('allocator.resident', m.rss);
  dbl('allocator-fragmentation.ratio', active / m.used);
  int('allocator-fragmentation.bytes', active - m.used);
  dbl('allocator-rss.ratio', m.rss / active);
  int('allocator-rss.bytes', m.rss - active);
  dbl('rss-overhead.ratio', 1);
  int('rss-overhead.bytes', 0);
  dbl('fragmentation', m.rss / m.used);
  int('fragmentation.bytes', m.rss - m.used);
}

/** Below this much data Redis's doctor declines to judge (its threshold is 5 MB allocated in all;
 *  ours counts the dataset, since the process's baseline heap alone is larger than that). */
const DOCTOR_MIN_BYTES = 5 * 1024 * 1024;

/* MEMORY DOCTOR */
function memoryDoctorCommand(c: Client): void {
  const m = memoryFigures(c.server);
  if (m.dataset < DOCTOR_MIN_BYTES) {
    return c.reply.verbatim(
      "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n",
    );
  }
  const issues: string[] = [];
  if (m.peak / m.used > 1.5) {
    issues.push(
      ' * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n',
    );
  }
  if (m.rss / m.used > 1.4) {
    issues.push(
      ' * High total RSS: This instance has a memory fragmentation and RSS overhead greater than 1.4 (this means that the Resident Set Size of the Redis process is much larger than the sum of the logical allocations Redis performed). This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. If the problem is a large peak memory, then there is no issue. Otherwise, make sure you are using the Jemalloc allocator and not the default libc malloc.\n\n',
    );
  }
  if (issues.length === 0) {
    return c.reply.verbatim("Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n");
  }
  c.reply.verbatim(
    `Sam, I detected a few issues in this Redis instance memory implants:\n\n${issues.join('')}I'm here to keep you safe, Sam. I want to help you.\n`,
  );
}

/* MEMORY MALLOC-STATS: what Redis answers when it is not built with jemalloc */
function memoryMallocStatsCommand(c: Client): void {
  c.reply.bulk('Stats not supported for the current allocator');
}

/* MEMORY PURGE: Redis asks jemalloc to return dirty pages; the arena keeps its pages for reuse */
function memoryPurgeCommand(c: Client): void {
  c.reply.ok();
}

/* MEMORY HELP */
function memoryHelpCommand(c: Client): void {
  replyHelp(c, 'MEMORY', [
    'DOCTOR',
    '    Return memory problems reports.',
    'MALLOC-STATS',
    '    Return internal statistics report from the memory allocator.',
    'PURGE',
    '    Attempt to purge dirty pages for reclamation by the allocator.',
    'STATS',
    '    Return information about the memory usage of the server.',
    'USAGE <key> [SAMPLES <count>]',
    '    Return memory in bytes used by <key> and its value. Nested values are',
    '    sampled up to <count> times (default: 5, 0 means sample all).',
  ]);
}

export const memoryCommands: CommandRow[] = [
  {
    name: 'memory', arity: -2, flags: '', categories: '',
    subcommands: [
      { name: 'usage', arity: -3, flags: 'readonly', keys: [2, 2, 1], categories: '', handler: memoryUsageCommand },
      { name: 'stats', arity: 2, flags: '', categories: '', handler: memoryStatsCommand },
      { name: 'doctor', arity: 2, flags: '', categories: '', handler: memoryDoctorCommand },
      { name: 'malloc-stats', arity: 2, flags: '', categories: '', handler: memoryMallocStatsCommand },
      { name: 'purge', arity: 2, flags: '', categories: '', handler: memoryPurgeCommand },
      { name: 'help', arity: 2, flags: 'loading stale', categories: '', handler: memoryHelpCommand },
    ],
  },
];
