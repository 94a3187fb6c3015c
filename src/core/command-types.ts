/*
 * The shapes shared by the command table, dispatch and handlers.
 */
import type { Reply } from '../resp/writer.js';
import type { Client } from './client.js';
import type { CommandCounters } from './command-stats.js';

/** A handler runs one command for `c`, writing its reply through `c.reply`. */
export type Handler = (c: Client, argv: string[]) => void;

/**
 * Where a byte-range request's arguments lie in `buf` (resp/decoder.ts peekRange, the binary
 * protocol's GET and SET frames): the key, and for a request with a value the value.
 */
export interface RequestRanges {
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly valueStart: number;
  readonly valueEnd: number;
  /** the value's typed-value tag (value-type.ts) as the request gave it (KV.SETT's type; the
   *  binary protocol's value tag); undefined when the request names none (RESP's SET) */
  readonly valueType?: number;
  /** a request of `keyCount` keys (the binary protocol's MGET): each key's start and end in
   *  turn from `keys[0]`; undefined for a request of one key */
  readonly keys?: readonly number[];
  readonly keyCount?: number;
}

/**
 * A handler for the request's arguments as bytes of the read buffer (GET, SET, INCR, DECR over
 * RESP; GET, SET, MGET, KV.GETT, KV.SETT over the binary protocol: dispatch's runRange), replying into
 * `out` (the connection's writer, `c.reply`). It either runs the command exactly as `handler`
 * would, returning true, or declines before any side effect (false), and the ordinary handler runs.
 */
export type RangeHandler = (c: Client, out: Reply, buf: Buffer, r: RequestRanges) => boolean;

/** One key argument of a command line: its position in argv and its key-spec flags (RW, access…). */
export interface KeyRef {
  pos: number;
  flags: readonly string[];
}

/**
 * Finds the keys of a command line (argv[0] is the command) whose key positions depend on its
 * arguments (Redis's getkeys_proc): COMMAND GETKEYS uses it where the key specs cannot tell.
 * An empty result means "no keys" (then GETKEYS answers Redis's invalid-arguments error unless
 * the row is `no_mandatory_keys`).
 */
export type GetKeys = (argv: readonly string[]) => KeyRef[];

/**
 * Whether this invocation of the command may replicate, for commands whose flags depend on their
 * arguments (Redis's getCommandFlags): a script by its declared flags, EXEC by its queued commands.
 */
export type MayReplicateFor = (c: Client, argv: string[]) => boolean;

/** One row of the command table; every consumer (dispatch, COMMAND, ACL, MULTI…) reads it. */
export interface CommandSpec {
  /** lowercase; subcommands are `container|sub` */
  name: string;
  /** counts the command name; negative means "at least" */
  arity: number;
  /** Redis command flags: write, readonly, denyoom, admin, pubsub, noscript, blocking, loading,
   *  stale, skip_monitor, skip_slowlog, fast, no_auth, may_replicate, no_mandatory_keys,
   *  allow_busy, no_multi … */
  flags: readonly string[];
  firstKey: number;
  lastKey: number;
  step: number;
  /** ACL categories, with their `@` */
  categories: readonly string[];
  handler?: Handler;
  /** the row's byte-range handler, if any (see CommandRow) */
  rangeHandler?: RangeHandler;
  /** the row's getKeys, if any (see CommandRow) */
  getKeys?: GetKeys;
  /** for container commands (CLIENT, CONFIG, OBJECT, COMMAND): rows keyed by subcommand */
  subcommands?: Map<string, CommandSpec>;
  /** the container's row, for subcommands */
  parent?: CommandSpec;
  /** has the `fast` flag etc. precomputed: dispatch checks these on the hot path */
  readonly isWrite?: boolean;
  /** refused with -OOM while used memory is over maxmemory (flag denyoom) */
  readonly denyOom?: boolean;
  /** Redis's `fast` flag, or a row's `constantTime`: never long-running here, so dispatch does
   *  not read the clock again after it */
  readonly isBounded?: boolean;
  readonly noAuth?: boolean;
  /** INFO commandstats counters (command-stats.ts) */
  readonly stats: CommandCounters;
  /** skip_slowlog: never logged by SLOWLOG */
  readonly skipSlowlog?: boolean;
  /** write or may_replicate: held while clients are paused for WRITE (CLIENT PAUSE … WRITE),
   *  refused in read-only scripts */
  readonly mayReplicate?: boolean;
  /** the row's mayReplicateFor, if any (see CommandRow): decides instead of `mayReplicate` */
  readonly mayReplicateFor?: MayReplicateFor;
  /** no_multi (a subcommand: its container's): refused inside MULTI, checked per queued command */
  readonly noMulti?: boolean;
  /** runs at once inside MULTI instead of being queued (EXEC, DISCARD, WATCH…: table.ts RUN_IN_MULTI) */
  readonly runsInMulti?: boolean;
  /** allowed to a RESP2 client while subscribed (table.ts SUBSCRIBED_CONTEXT) */
  readonly subscribedContext?: boolean;
  /** Redis's `fast` flag (the latency monitor's fast-command event) */
  readonly isFast?: boolean;
  /** `readonly`: client-side caching remembers the keys it read */
  readonly isReadonly?: boolean;
  /** `allow_busy`: runs while a script is past busy-reply-threshold */
  readonly allowBusy?: boolean;
  /** the row's runsScript (see CommandRow) */
  readonly runsScript?: boolean;
}

/** What a family file declares for each command; the table fills in the rest. */
export interface CommandRow {
  name: string;
  arity: number;
  flags: string;
  /** [firstKey, lastKey, step]; omitted for commands without keys */
  keys?: readonly [number, number, number];
  categories: string;
  handler?: Handler;
  /** GET, SET, INCR, DECR, MGET, KV.GETT and KV.SETT taken straight from the read buffer (see RangeHandler) */
  rangeHandler?: RangeHandler;
  subcommands?: CommandRow[];
  /** for commands whose key positions depend on their arguments (movablekeys): see GetKeys */
  getKeys?: GetKeys;
  /** Not `fast` in Redis, but constant-time in kv-server (SET replacing a big value frees nothing
   *  here: the garbage collector does); dispatch then keeps the clock reading it shares. */
  constantTime?: true;
  /** for commands whose write flags depend on the invocation (see MayReplicateFor) */
  mayReplicateFor?: MayReplicateFor;
  /** EVAL, FCALL and their variants: client-side caching remembers the keys they declare when
   *  their script reads, never on their own (core/tracking.ts) */
  runsScript?: true;
}

export type { Reply };
