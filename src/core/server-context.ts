/*
 * The server as commands see it: keyspace, configuration, clock, connected clients and
 * statistics. The process layer (server/) creates one and supplies the hooks it owns.
 */
import { PersistenceState } from './persistence.js';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../engine/clock.js';
import type { DecoderLimits } from '../resp/decoder.js';
import { Keyspace, type Database } from '../engine/keyspace.js';
import type { Config } from './config.js';
import type { Client } from './client.js';
import type { CommandTable } from './table.js';
import type { EffectSink } from './effects.js';
import { ReplicationFeed } from './replication-feed.js';
import { AppendOnlyFile } from './aof.js';
import { ErrorStats, resetCommandStats } from './command-stats.js';
import { SlowLog } from './slowlog.js';
import { LatencyMonitor } from './latency.js';
import { ClientPause } from './client-pause.js';
import { WatchRegistry } from './watch.js';
import { PubSub } from './pubsub.js';
import { Tracking } from './tracking.js';
import { AclStore } from '../security/acl-store.js';

/** Told of every modification of `key` in `db` (null: every key of `db`: flush, swap). */
export type ModifiedListener = (db: Database, key: string | null) => void;
/** Told before `db` loses all its keys: flushed (`replacedWith` null) or swapped (SWAPDB). */
export type EmptyingListener = (db: Database, replacedWith: Database | null) => void;
import { Blocking } from './blocking.js';

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

/** the heap in use when the server module loaded: counted in used_memory as Redis counts its start-up memory */
const BASELINE_HEAP = process.memoryUsage().heapUsed;

export class ServerContext {
  readonly keyspace: Keyspace;
  readonly clients = new Map<number, Client>();
  readonly monitors = new Set<Client>();
  readonly startedAt: number;
  stats: Stats = newStats();
  private nextClientId = 1;
  /** Unix time in seconds of the last successful save (or of the start). */
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
   * it (effects.ts). null while no one consumes it (addEffectsConsumer: replicas, the append-only file).
   */
  effects: EffectSink | null = null;
  /** the effects stream's consumers (replicas, the append-only file): addEffectsConsumer */
  private readonly effectConsumers: EffectSink[] = [];
  /**
   * `effects` while there are consumers. EXEC and scripts replace `effects` for a while with a
   * buffer and put back what they found: a consumer that leaves meanwhile is dropped from the list
   * this reads, and with none left it sets `effects` back to null.
   */
  private readonly effectsFanout: EffectSink = (db, argv) => {
    const consumers = this.effectConsumers;
    if (consumers.length === 0 && this.effects === this.effectsFanout) this.effects = null;
    for (let i = 0; i < consumers.length; i++) consumers[i]!(db, argv);
  };
  /**
   * Keyspace notifications (notify-keyspace-events): set once pub/sub exists; null costs nothing.
   * `cls` is the event's class character (g $ l s h z x e t n m), `event` Redis's event name.
   */
  notifier: ((cls: string, event: string, key: string, db: number | string) => void) | null = null;
  /** Listeners of the keyspace's modification hook, in registration order (see onModified). */
  private readonly modifiedListeners: Array<(db: Database, key: string | null) => void> = [];
  /** Blocked clients (BLPOP and friends): core/blocking.ts. */
  readonly blocking: Blocking;
  /**
   * While a script runs past busy-reply-threshold: the BUSY error every other command gets
   * (commands flagged allow_busy excepted). null otherwise: dispatch tests it on its slow path.
   */
  busyError: string | null = null;
  /** The scripting engine's state (scripting/), created on first use. */
  scripting: unknown = null;
  /** Port and addresses actually bound, for INFO. */
  tcpPort = 0;
  /** INFO errorstats and total_error_replies: every error reply is counted here */
  readonly errorStats = new ErrorStats();
  readonly slowlog = new SlowLog();
  readonly latency = new LatencyMonitor();
  /** `latency-tracking` (INFO latencystats), kept in step with the config */
  latencyTracking = true;
  /** `latency-tracking-info-percentiles`, parsed */
  latencyPercentiles: number[] = [];
  /** CLIENT PAUSE state and the clients waiting on it */
  readonly pause = new ClientPause();
  /** DEBUG SET-ACTIVE-EXPIRE: the cron's active expiry cycle runs only while this is true */
  activeExpire = true;
  /** DEBUG SET-SKIP-CHECKSUM-VALIDATION: RESTORE payloads and RDB files are loaded unchecked */
  skipChecksum = false;
  /** DEBUG PAUSE-CRON: the server cron does nothing while this is true */
  cronPaused = false;
  /**
   * maxmemory is set and its policy is noeviction: denyoom commands are refused while used memory
   * is over it (dispatch). With an evicting policy nothing is refused or evicted yet.
   */
  oomRefusal = false;
  /** the append-only file (appendonly yes) */
  readonly aof = new AppendOnlyFile(this);
  /** replicas attached by SYNC/PSYNC and the stream they are fed */
  readonly replication = new ReplicationFeed(this);
  /** SAVE/BGSAVE bookkeeping (INFO persistence) */
  readonly persistence = new PersistenceState();
  /** WATCHed keys (MULTI/EXEC) */
  readonly watches: WatchRegistry;
  /** pub/sub channels, patterns and shard channels; publishes keyspace notifications */
  readonly pubsub: PubSub;
  /** client-side caching: what tracking clients read, and their invalidations */
  readonly tracking: Tracking;
  /** ACL users and ACL LOG (security/acl-store.ts) */
  readonly acl: AclStore;
  /** The client whose command is running (null between commands, and for expiry by the cron). */
  currentClient: Client | null = null;
  private readonly emptyingListeners: EmptyingListener[] = [];

  constructor(
    readonly config: Config,
    readonly clock: Clock,
    readonly log: Log,
    /** every command's row (dispatch, COMMAND, ACL… read it) */
    readonly commandTable: CommandTable,
  ) {
    this.keyspace = new Keyspace(config.databases, config.shards);
    this.acl = new AclStore(commandTable);
    this.acl.logMaxLen = config.int('acllog-max-len');
    this.acl.ruleContext.allChannelsByDefault = config.get('acl-pubsub-default') === 'allchannels';
    if (config.requirepass !== '') this.acl.setRequirePass(config.requirepass);
    this.applyAccessClockConfig();
    this.keyspace.access.startShared(clock.now());
    this.decoderLimits = {
      maxBulkLen: config.int('proto-max-bulk-len'),
      queryBufferLimit: config.int('client-query-buffer-limit'),
    };
    // a key removed by lazy or active expiry propagates as its deletion (Redis's propagateDeletion)
    // and is the `expired` keyspace event
    this.keyspace.hooks.expired = (db, key) => {
      if (this.notifier !== null) this.notifier('x', 'expired', key, db.label);
      if (this.effects !== null) this.effects(db.id, ['DEL', key]);
    };
    this.slowlog.threshold = config.int('slowlog-log-slower-than');
    this.slowlog.maxLen = config.int('slowlog-max-len');
    this.latency.threshold = config.int('latency-monitor-threshold');
    this.configChanged('latency-tracking', config.get('latency-tracking'));
    this.oomRefusal = config.int('maxmemory') > 0 && config.get('maxmemory-policy') === 'noeviction';
    this.configChanged('latency-tracking-info-percentiles', config.get('latency-tracking-info-percentiles'));
    this.watches = new WatchRegistry(this);
    this.pubsub = new PubSub(this);
    this.tracking = new Tracking(this);
    this.tracking.maxKeys = config.int('tracking-table-max-keys');
    this.configureNotifications();
    this.blocking = new Blocking(this);
    this.startedAt = clock.now();
    this.lastSave = Math.floor(this.startedAt / 1000);
  }

  /**
   * Adds a listener to the keyspace's modification hook (every write of every key, expiry, and
   * key null for flushes and swaps); returns the function that removes it. The hook is one slot
   * of the keyspace: the server owns it and fans out to these listeners. With none the slot is
   * null (nothing is called per write); with one it is that listener itself. A listener may
   * remove itself (or another) while being called: the calls of that round go on as listed.
   * WATCH, tracking and blocking wake-ups attach here.
   */
  onModified(listener: ModifiedListener): () => void {
    this.modifiedListeners.push(listener);
    this.installModifiedHook();
    return () => {
      const i = this.modifiedListeners.indexOf(listener);
      if (i < 0) return;
      this.modifiedListeners.splice(i, 1);
      this.installModifiedHook();
    };
  }

  /** As onModified, for the keyspace's `emptying` hook (before a flush or SWAPDB). */
  onEmptying(listener: EmptyingListener): () => void {
    this.emptyingListeners.push(listener);
    this.installEmptyingHook();
    return () => {
      const i = this.emptyingListeners.indexOf(listener);
      if (i < 0) return;
      this.emptyingListeners.splice(i, 1);
      this.installEmptyingHook();
    };
  }

  private installModifiedHook(): void {
    const all = this.modifiedListeners.slice();
    this.keyspace.hooks.modified =
      all.length === 0 ? null : all.length === 1 ? all[0]! : (db, key) => {
        for (let i = 0; i < all.length; i++) all[i]!(db, key);
      };
  }

  private installEmptyingHook(): void {
    const all = this.emptyingListeners.slice();
    this.keyspace.hooks.emptying =
      all.length === 0 ? null : (db, replacedWith) => {
        for (let i = 0; i < all.length; i++) all[i]!(db, replacedWith);
      };
  }

  /**
   * Sets `notifier` from `notify-keyspace-events` (at start and whenever it changes): null
   * while notifications are off, so families' c.notify calls cost a null check.
   */
  configureNotifications(): void {
    const notifier = this.pubsub.configureNotifications(this.config.get('notify-keyspace-events'));
    this.notifier = notifier;
    // the `new` event (class n) comes from the keyspace's key-creation hook
    this.keyspace.hooks.created =
      notifier !== null && this.pubsub.notifiesClass('n') ? (db, key) => notifier('n', 'new', key, db.label) : null;
  }

  /** used_memory: what the keyspace counts (pages, indexes, collections) plus the heap at start */
  usedMemory(): number {
    return BASELINE_HEAP + this.keyspace.memory;
  }

  /** CONFIG SET appendonly: yes rewrites the file from the dataset and appends from then on. */
  private switchAof(on: boolean): void {
    if (!on) return this.aof.stop();
    try {
      this.aof.start(false);
    } catch (e) {
      this.log.warning(`Redis needs to enable the AOF but can't open the append only file: ${(e as Error).message}`);
    }
  }

  /** Adds a consumer of the effects stream; returns the function that removes it. */
  addEffectsConsumer(sink: EffectSink): () => void {
    this.effectConsumers.push(sink);
    if (this.effects === null) this.effects = this.effectsFanout;
    return () => {
      const i = this.effectConsumers.indexOf(sink);
      if (i >= 0) this.effectConsumers.splice(i, 1);
      if (this.effectConsumers.length === 0 && this.effects === this.effectsFanout) this.effects = null;
    };
  }

  /**
   * Drops what `c` holds in shared server state: its transaction, watched keys, subscriptions
   * and tracking. RESET and disconnection call it.
   */
  releaseClientState(c: Client): void {
    this.releaseTransaction(c);
    this.pubsub.unsubscribeAll(c);
    this.tracking.disable(c);
    this.replication.detach(c);
  }

  /** Ends the transaction of `c`: forgets its queue, its watched keys and their dirty flag. */
  releaseTransaction(c: Client): void {
    c.multi = null;
    c.watchDirty = false;
    this.watches.unwatchAll(c);
  }

  /**
   * The keys' access clock follows maxmemory-policy (LRU or LFU), lfu-log-factor and
   * lfu-decay-time; integers are shared (one clock each) unless maxmemory is set with an LRU or
   * LFU policy, as Redis's OBJ_SHARED_INTEGERS.
   */
  applyAccessClockConfig(): void {
    const access = this.keyspace.access;
    const policy = this.config.get('maxmemory-policy');
    access.lfu = policy.endsWith('-lfu');
    access.sharing = this.config.get('maxmemory') === '0' || !(policy.endsWith('-lru') || policy.endsWith('-lfu'));
    access.logFactor = this.config.int('lfu-log-factor');
    access.decayTime = this.config.int('lfu-decay-time');
  }

  newClientId(): number {
    return this.nextClientId++;
  }

  resetStats(): void {
    this.stats = newStats();
    const ks = this.keyspace.stats;
    ks.hits = ks.misses = ks.expired = 0;
    this.errorStats.reset();
    resetCommandStats(this.commandTable.all);
  }

  /** Keeps the cached copies of parameters in step (called on CONFIG SET and at start). */
  configChanged(name: string, value: string): void {
    if (name === 'maxmemory' || name === 'maxmemory-policy') {
      this.oomRefusal = this.config.int('maxmemory') > 0 && this.config.get('maxmemory-policy') === 'noeviction';
    }
    if (name === 'appendonly') this.switchAof(value === 'yes');
    else if (name === 'slowlog-log-slower-than') this.slowlog.threshold = Number(value);
    else if (name === 'slowlog-max-len') {
      this.slowlog.maxLen = Number(value);
      this.slowlog.trim();
    } else if (name === 'latency-monitor-threshold') this.latency.threshold = Number(value);
    else if (name === 'requirepass') this.acl.setRequirePass(value);
    else if (name === 'acllog-max-len') this.acl.logMaxLen = Number(value);
    else if (name === 'acl-pubsub-default') this.acl.ruleContext.allChannelsByDefault = value === 'allchannels';
    else if (name === 'latency-tracking') this.latencyTracking = value === 'yes';
    else if (name === 'tracking-table-max-keys') this.tracking.maxKeys = Number(value);
    else if (name === 'latency-tracking-info-percentiles') this.latencyPercentiles = value === '' ? [] : value.split(' ').map(Number);
    else if (name === 'maxmemory' || name === 'maxmemory-policy' || name === 'lfu-log-factor' || name === 'lfu-decay-time') {
      this.applyAccessClockConfig();
    }
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
