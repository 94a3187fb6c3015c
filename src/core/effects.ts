/*
 * Command effects: the stream of what must be replayed, in order, to reproduce every change to
 * the keyspace elsewhere (the append-only file, replicas, MULTI … EXEC propagation will consume
 * it). After each command, dispatch emits:
 *  - what the handler said it propagates instead (`Client.rewrite`: a relative expiry made
 *    absolute, INCRBYFLOAT as SET … KEEPTTL, GETDEL as DEL…), or
 *  - the command as received, when it changed the keyspace (the `dirty` counter moved), or
 *  - nothing, for a command that failed or changed nothing.
 * Keys removed by lazy or active expiry are emitted as DEL when they go (server-context.ts), so a
 * command's own effect always follows the expiries it caused. This is Redis's call() /
 * alsoPropagate / rewriteClientCommandVector.
 */
import type { Client } from './client.js';

/** Receives one effect: `argv` to run in database `db`. */
export type EffectSink = (db: number, argv: readonly string[]) => void;

/**
 * Emits the effect of the command `argv` that `c` just ran, `dirtyBefore` being the keyspace's
 * dirty count before it ran. Called by dispatch only while a sink is set.
 */
export function emitEffects(c: Client, argv: readonly string[], dirtyBefore: number): void {
  const sink = c.server.effects!;
  const rewritten = c.rewritten;
  if (rewritten !== null) {
    for (const effect of rewritten) sink(c.db.id, effect);
  } else if (c.server.keyspace.stats.dirty !== dirtyBefore) {
    sink(c.db.id, argv);
  }
}
