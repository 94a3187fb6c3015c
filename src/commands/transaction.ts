/*
 * Transactions, after Redis's multi.c: MULTI, EXEC, DISCARD, WATCH, UNWATCH.
 *
 * MULTI gives the client a queue; dispatch queues every command but EXEC, DISCARD, MULTI, WATCH,
 * QUIT and RESET (answering `+QUEUED`), and a command it rejects while queueing (unknown, wrong
 * arity, NOAUTH, no_multi…) dooms the transaction: EXEC then answers EXECABORT. EXEC runs the
 * queue through dispatch's one execution path, every command at EXEC's time, each reply one
 * element of EXEC's array; a runtime error is just that command's reply. WATCHed keys modified
 * from anywhere before EXEC (watch.ts) make EXEC answer the null array.
 */
import { enforce, execNoPermError } from '../security/acl-check.js';
import { Err } from '../resp/errors.js';
import type { Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';
import { NestedRun } from '../core/dispatch.js';

/* MULTI */
function multiCommand(c: Client): void {
  if (c.multi !== null) return c.reply.error(Err.MULTI_NESTED);
  c.multi = { specs: [], argvs: [], aborted: false, mayReplicate: false };
  c.reply.ok();
}

/** Ends the transaction of `c`: forgets its queue, its watched keys and their dirty flag. */
function discardTransaction(c: Client): void {
  c.server.releaseTransaction(c);
}

/* DISCARD */
function discardCommand(c: Client): void {
  if (c.multi === null) return c.reply.error(Err.DISCARD_WITHOUT_MULTI);
  discardTransaction(c);
  c.reply.ok();
}

/* EXEC */
function execCommand(c: Client): void {
  const multi = c.multi;
  if (multi === null) return c.reply.error(Err.EXEC_WITHOUT_MULTI);
  const server = c.server;
  const now = c.now;
  // a watched key that has expired by now counts as modified (Redis 7)
  if (!c.watchDirty && server.watches.anyExpired(c, now)) c.watchDirty = true;
  if (multi.aborted || c.watchDirty) {
    if (multi.aborted) c.reply.error(Err.EXECABORT);
    else c.reply.nilArray();
    discardTransaction(c);
    return;
  }
  server.watches.unwatchAll(c);
  // the transaction's effects go out together, wrapped in MULTI … EXEC when there are several
  const sink = server.effects;
  const collected: Array<[number, readonly string[]]> | null = sink === null ? null : [];
  if (collected !== null) server.effects = (db, argv) => void collected.push([db, argv]);
  c.denyBlocking = true;
  const specs = multi.specs;
  const argvs = multi.argvs;
  const n = specs.length;
  c.reply.array(n);
  // each command is accounted as a command of its own
  const timing = new NestedRun(c);
  try {
    for (let i = 0; i < n; i++) {
      const spec = specs[i]!;
      const argv = argvs[i]!;
      // permissions are checked again at EXEC time, as Redis does: they may have changed since
      // queueing (the queue-time checks that cannot change — the row, its arity, no_multi — are not redone)
      const denied = c.user.unrestricted ? null : enforce(c, spec, argv, 'multi');
      if (denied !== null) c.reply.error(execNoPermError(denied));
      else timing.run(spec, argv, now);
    }
  } finally {
    timing.close();
    c.denyBlocking = false;
    c.multi = null;
    c.watchDirty = false;
    if (sink !== null && collected !== null) {
      server.effects = sink;
      // EXEC itself propagates nothing but its commands' effects
      c.rewritten = [];
      if (collected.length > 1) sink(collected[0]![0], ['MULTI']);
      for (const [db, argv] of collected) sink(db, argv);
      if (collected.length > 1) sink(collected[collected.length - 1]![0], ['EXEC']);
    }
  }
}

/* WATCH key [key ...] */
function watchCommand(c: Client, argv: string[]): void {
  if (c.multi !== null) return c.reply.error(Err.WATCH_IN_MULTI);
  // no point watching once a watched key has changed: EXEC will fail anyway
  if (!c.watchDirty) {
    for (let i = 1; i < argv.length; i++) c.server.watches.watch(c, c.db, argv[i]!, c.now);
  }
  c.reply.ok();
}

/* UNWATCH */
function unwatchCommand(c: Client): void {
  c.server.watches.unwatchAll(c);
  c.watchDirty = false;
  c.reply.ok();
}

const TX = 'noscript loading stale fast allow_busy';

export const transactionCommands: CommandRow[] = [
  { name: 'multi', arity: 1, flags: TX, categories: '@transaction', handler: multiCommand },
  {
    name: 'exec', arity: 1, flags: 'noscript loading stale skip_slowlog', categories: '@transaction', handler: execCommand,
    mayReplicateFor: (c) => c.multi?.mayReplicate === true,
  },
  { name: 'discard', arity: 1, flags: TX, categories: '@transaction', handler: discardCommand },
  { name: 'watch', arity: -2, flags: TX, keys: [1, -1, 1], categories: '@transaction', handler: watchCommand },
  { name: 'unwatch', arity: 1, flags: TX, categories: '@transaction', handler: unwatchCommand },
];
