/*
 * DUMP and RESTORE with Redis 7.0's payloads (engine/rdb/): a value dumped here restores in
 * Redis and the other way round, and for the compact encodings the bytes are Redis's own.
 */
import { Err } from '../resp/errors.js';
import { parseInt64, int64Text } from '../engine/int64.js';
import { dumpPayload, loadPayload } from '../engine/rdb/dump-payload.js';
import type { RdbLimits } from '../engine/rdb/rdb-value.js';
import { latin1Of } from '../engine/rdb/bytes.js';
import { rdbLimitsOf } from '../core/persistence.js';
import { LRU_CLOCK_MAX } from '../engine/access-clock.js';
import { typeName } from '../engine/values.js';
import type { Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';

/** The configuration that decides how values are cut (lists) and encoded when read back. */
export const rdbLimits = (c: Client): RdbLimits => rdbLimitsOf(c.server);

/* DUMP key */
function dumpCommand(c: Client, argv: string[]): void {
  const v = c.db.lookupRead(argv[1]!, c.now);
  if (v === undefined) return c.reply.nil();
  const payload = dumpPayload(v, rdbLimits(c));
  if (payload === null) return c.reply.error(Err.DUMP_UNSUPPORTED(typeName(v)));
  c.reply.bulk(latin1Of(payload));
}

/* RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency] */
function restoreCommand(c: Client, argv: string[]): void {
  let replace = false;
  let absTtl = false;
  let idle = -1;
  let freq = -1;
  for (let j = 4; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    const more = argv.length - j - 1;
    if (opt === 'replace') replace = true;
    else if (opt === 'absttl') absTtl = true;
    else if (opt === 'idletime' && more >= 1 && freq === -1) {
      const n = parseInt64(argv[++j]!);
      if (n === null) return c.reply.error(Err.NOT_INTEGER);
      if (n < 0) return c.reply.error(Err.RESTORE_IDLETIME);
      idle = Number(n);
    } else if (opt === 'freq' && more >= 1 && idle === -1) {
      const n = parseInt64(argv[++j]!);
      if (n === null) return c.reply.error(Err.NOT_INTEGER);
      if (n < 0 || n > 255) return c.reply.error(Err.RESTORE_FREQ);
      freq = Number(n);
    } else return c.reply.error(Err.SYNTAX);
  }
  const key = argv[1]!;
  const db = c.db;
  if (!replace && db.lookupWrite(key, c.now) !== undefined) return c.reply.error(Err.BUSYKEY);
  const ttlArg = parseInt64(argv[2]!);
  if (ttlArg === null) return c.reply.error(Err.NOT_INTEGER);
  if (ttlArg < 0) return c.reply.error(Err.RESTORE_TTL);
  const loaded = loadPayload(Buffer.from(argv[3]!, 'latin1'), rdbLimits(c), c.server.skipChecksum);
  if (loaded === 'checksum') return c.reply.error(Err.DUMP_PAYLOAD);
  if (loaded === 'format') return c.reply.error(Err.RESTORE_BAD_FORMAT);

  const deleted = replace && db.lookupWrite(key, c.now) !== undefined && db.delete(key);
  let ttl = Number(ttlArg);
  if (ttl !== 0 && !absTtl) ttl += c.now;
  if (ttl !== 0 && ttl <= c.now) {
    // already expired: nothing is stored; a replaced key is gone, and that is what propagates
    if (deleted) {
      c.rewrite(c.server.config.get('lazyfree-lazy-server-del') === 'yes' ? 'UNLINK' : 'DEL', key);
      c.notify('g', 'del', key);
    } else c.rewrite();
    return c.reply.ok();
  }
  db.set(key, loaded, false, 0, ttl !== 0 ? ttl : undefined);
  if (ttl !== 0) {
    // propagated with the absolute time, as Redis rewrites it
    if (!absTtl) c.rewrite(...argv.slice(0, 2), int64Text(ttl), ...argv.slice(3), 'ABSTTL');
  }
  const access = c.server.keyspace.access;
  if (access.lfu) {
    if (freq >= 0) db.setAccessOf(key, (Math.floor(c.now / 60000) & 65535) * 256 + freq);
  } else if (idle >= 0) {
    const clock = Math.floor(c.now / 1000) & LRU_CLOCK_MAX;
    db.setAccessOf(key, Math.max(0, clock - idle));
  }
  c.notify('g', 'restore', key);
  c.reply.ok();
}

export const dumpCommands: CommandRow[] = [
  { name: 'dump', arity: 2, flags: 'readonly', keys: [1, 1, 1], categories: '@keyspace', handler: dumpCommand },
  { name: 'restore', arity: -4, flags: 'write denyoom', keys: [1, 1, 1], categories: '@keyspace @dangerous', handler: restoreCommand },
];
