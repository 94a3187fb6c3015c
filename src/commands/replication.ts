/*
 * The master side of replication: SYNC and PSYNC make the client a replica fed by
 * core/replication-feed.ts (full resynchronisation only), REPLCONF takes what a replica says of
 * itself, ROLE lists the replicas. WAIT counts 0 acknowledging replicas — at once when 0 are asked
 * for (or the client may not block: MULTI, scripts), else after its timeout (replicas' ACKs are
 * recorded but do not end a WAIT early).
 */
import { Err } from '../resp/errors.js';
import { parseInt64 } from '../engine/int64.js';
import { ReplyMode, type Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';
import { RespWriter } from '../resp/writer.js';
import { snapshotAll } from './persistence.js';

/* ROLE */
function roleCommand(c: Client): void {
  const feed = c.server.replication;
  c.reply.array(3);
  c.reply.bulk('master');
  c.reply.int(feed.offset);
  c.reply.array(feed.replicas.size);
  for (const [replica, state] of feed.replicas) {
    const addr = replica.conn.addr;
    c.reply.array(3);
    c.reply.bulk(addr.slice(0, addr.lastIndexOf(':')) || addr);
    c.reply.bulk(String(state.port));
    c.reply.bulk(String(state.ackOffset));
  }
}

/* SYNC, PSYNC replicationid offset */
function syncCommand(c: Client, argv: string[]): void {
  // a replica asking again is ignored, as Redis does
  if (c.replica) return;
  const psync = argv[0]!.toLowerCase() === 'psync';
  // the offset must parse even though every PSYNC is answered with a full resynchronisation
  if (psync && parseInt64(argv[2]!) === null) return c.reply.error(Err.NOT_INTEGER);
  if (!(c.reply instanceof RespWriter)) return c.reply.error(Err.SYNC_NEEDS_RESP);
  if (c.reply.pending !== 0 || c.conn.outputBufferBytes() !== 0) return c.reply.error(Err.SYNC_PENDING_OUTPUT);
  c.server.replication.attach(c, snapshotAll(c.server), psync);
  // from now on the replica's own commands are answered with nothing (REPLCONF ACK included)
  c.replyMode = ReplyMode.OffNext;
}

/* REPLCONF [option value ...] */
function replconfCommand(c: Client, argv: string[]): void {
  if (argv.length % 2 === 0) return c.reply.error(Err.SYNTAX);
  const feed = c.server.replication;
  for (let i = 1; i < argv.length; i += 2) {
    const option = argv[i]!.toLowerCase();
    const value = argv[i + 1]!;
    if (option === 'listening-port') {
      const port = parseInt64(value);
      if (port === null) return c.reply.error(Err.NOT_INTEGER);
      feed.replicaConf(c, Number(port), null);
    } else if (option === 'ack') {
      // only a replica acknowledges, and nothing answers it
      const offset = parseInt64(value);
      if (offset !== null) feed.replicaConf(c, null, Number(offset));
      return;
    } else if (option === 'getack') {
      // asks a replica for its offset: this server is never one
      return;
    } else if (option !== 'ip-address' && option !== 'capa' && option !== 'rdb-only') {
      return c.reply.error(Err.REPLCONF_OPTION(argv[i]!));
    }
  }
  c.reply.ok();
}

/* WAIT numreplicas timeout (milliseconds, 0: forever) */
function waitCommand(c: Client, argv: string[]): void {
  const wanted = parseInt64(argv[1]!);
  if (wanted === null) return c.reply.error(Err.NOT_INTEGER);
  const timeout = parseInt64(argv[2]!);
  if (timeout === null) return c.reply.error(Err.TIMEOUT_NOT_INTEGER);
  if (timeout < 0n) return c.reply.error(Err.TIMEOUT_NEGATIVE);
  if (wanted <= 0n || c.denyBlocking) return c.reply.int(0);
  const deadline = timeout === 0n ? 0 : c.now + Number(timeout);
  // no key to wait on: only the timeout (or CLIENT UNBLOCK) ends it, with the count of acks
  c.server.blocking.block(c, { keys: [], deadline, serve: () => false, timedOut: (client) => client.reply.int(0) });
}

export const replicationCommands: CommandRow[] = [
  { name: 'role', arity: 1, flags: 'noscript loading stale fast', categories: '@admin @dangerous', handler: roleCommand },
  { name: 'sync', arity: 1, flags: 'admin noscript no_async_loading no_multi', categories: '@dangerous', handler: syncCommand },
  { name: 'psync', arity: -3, flags: 'admin noscript no_async_loading no_multi', categories: '@dangerous', handler: syncCommand },
  { name: 'replconf', arity: -1, flags: 'admin noscript loading stale allow_busy', categories: '@dangerous', handler: replconfCommand },
  { name: 'wait', arity: 3, flags: 'noscript', categories: '@connection', handler: waitCommand },
];
