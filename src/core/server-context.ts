/*
 * The server as commands see it: keyspace, configuration, clock, connected clients and
 * statistics. The process layer (server/) creates one and supplies the hooks it owns.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../engine/clock.js';
import type { DecoderLimits } from '../resp/decoder.js';
import { Keyspace } from '../engine/keyspace.js';
import type { Config } from './config.js';
import type { Client } from './client.js';
import type { CommandTable } from './table.js';
import type { EffectSink } from './effects.js';

/** Where the server logs (server/log.ts writes Redis's line format). */
export interface Log {
  level: string;
  debug(message: string): void;
  verbose(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
}

export interface Stats {
  totalConnections: number;
  totalCommands: number;
  rejectedConnections: number;
  netInputBytes: number;
  netOutputBytes: number;
  expiredKeysActive: number;
  /** the highest used_memory INFO has reported */
  peakMemory: number;
}

export interface ShutdownOptions {
  save?: boolean;
  now?: boolean;
  force?: boolean;
  abort?: boolean;
}

export class ServerContext {
  readonly keyspace: Keyspace;
  readonly clients = new Map<number, Client>();
  readonly monitors = new Set<Client>();
  readonly startedAt: number;
  stats: Stats = newStats();
  private nextClientId = 1;
  /** Unix time in seconds of the last successful save (there is no persistence yet: start time). */
  lastSave: number;
  /** Supplied by the process: stops listeners, closes clients, exits. */
  shutdown: (opts: ShutdownOptions) => void = () => {};
  /** Supplied by the process: writes the configuration back to its file (CONFIG REWRITE); throws on failure. */
  rewriteConfig: () => void = () => {
    throw new Error('no config file');
  };
  /** The request limits every connection's decoder reads; CONFIG SET updates them in place. */
  readonly decoderLimits: DecoderLimits;
  /** A random id of this run (INFO run_id, master_replid). */
  readonly runId = randomBytes(20).toString('hex');
  /**
   * The effects stream: after each write command, what must be replayed elsewhere to reproduce
   * it (effects.ts). null while no one consumes it (no AOF, replica or MULTI propagation yet).
   */
  effects: EffectSink | null = null;
  /**
   * Keyspace notifications (notify-keyspace-events): set once pub/sub exists; null costs nothing.
   * `cls` is the event's class character (g $ l s h z x e t n m), `event` Redis's event name.
   */
  notifier: ((cls: string, event: string, key: string, db: number) => void) | null = null;
  /**
   * While a script runs past busy-reply-threshold: the BUSY error every other command gets
   * (commands flagged allow_busy excepted). null otherwise: dispatch tests it on its slow path.
   */
  busyError: string | null = null;
  /** The scripting engine's state (scripting/), created on first use. */
  scripting: unknown = null;
  /** Port and addresses actually bound, for INFO. */
  tcpPort = 0;

  constructor(
    readonly config: Config,
    readonly clock: Clock,
    readonly log: Log,
    /** every command's row (dispatch, COMMAND, ACL… read it) */
    readonly commandTable: CommandTable,
  ) {
    this.keyspace = new Keyspace(config.databases, config.shards);
    this.decoderLimits = {
      maxBulkLen: config.int('proto-max-bulk-len'),
      queryBufferLimit: config.int('client-query-buffer-limit'),
    };
    // a key removed by lazy or active expiry propagates as its deletion (Redis's propagateDeletion)
    this.keyspace.hooks.expired = (db, key) => {
      if (this.effects !== null) this.effects(db.id, ['DEL', key]);
    };
    this.startedAt = clock.now();
    this.lastSave = Math.floor(this.startedAt / 1000);
  }

  newClientId(): number {
    return this.nextClientId++;
  }

  resetStats(): void {
    this.stats = newStats();
    const ks = this.keyspace.stats;
    ks.hits = ks.misses = ks.expired = 0;
  }
}

function newStats(): Stats {
  return {
    totalConnections: 0,
    totalCommands: 0,
    rejectedConnections: 0,
    netInputBytes: 0,
    netOutputBytes: 0,
    expiredKeysActive: 0,
    peakMemory: 0,
  };
}
