/*
 * ROLE and WAIT as a master without replicas answers them (there is no replication yet): ROLE
 * says `master` at offset 0 with no replicas; WAIT counts 0 acknowledging replicas — at once
 * when 0 are asked for (or the client may not block: MULTI, scripts), else after its timeout.
 */
import { Err } from '../resp/errors.js';
import { parseInt64 } from '../engine/int64.js';
import type { Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';

/* ROLE */
function roleCommand(c: Client): void {
  c.reply.array(3);
  c.reply.bulk('master');
  c.reply.int(0);
  c.reply.array(0);
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
  { name: 'wait', arity: 3, flags: 'noscript', categories: '@connection', handler: waitCommand },
];
