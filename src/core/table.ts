/*
 * The command table: the single source of truth for every command's name, arity, flags, key
 * positions, ACL categories and handler. Each family file exports its rows; this file joins
 * them. Dispatch, COMMAND and everything later (ACL, MULTI, cluster, binary protocol) read it.
 */
import type { Client } from './client.js';
import type { CommandRow, CommandSpec } from './command-types.js';
import { CommandCounters } from './command-stats.js';

export class CommandTable {
  /** lowercase name → row (also indexed by the uppercase name, the common spelling on the wire) */
  private readonly byName = new Map<string, CommandSpec>();
  readonly all: CommandSpec[] = [];

  add(rows: readonly CommandRow[]): void {
    for (const row of rows) {
      const spec = toSpec(row);
      if (this.byName.has(spec.name)) throw new Error(`command ${spec.name} declared twice`);
      this.all.push(spec);
      this.byName.set(spec.name, spec);
      this.byName.set(spec.name.toUpperCase(), spec);
    }
  }

  /**
   * Renames a command (the config file's `rename-command`): it answers to `to` only; an empty
   * `to` disables it. Its row keeps its name (COMMAND INFO, INFO commandstats), as in Redis.
   * Returns false when there is no such command.
   */
  rename(from: string, to: string): boolean {
    const spec = this.get(from);
    if (spec === undefined || this.byName.get(spec.name) !== spec) return false;
    this.byName.delete(spec.name);
    this.byName.delete(spec.name.toUpperCase());
    if (to !== '') {
      this.byName.set(to.toLowerCase(), spec);
      this.byName.set(to.toUpperCase(), spec);
    }
    return true;
  }

  /** The row for a command name in any case. */
  get(name: string): CommandSpec | undefined {
    return this.byName.get(name) ?? this.byName.get(name.toLowerCase());
  }
}

/** Redis's ACL categories in its own order (ACLCommandCategories), which COMMAND INFO follows. */
export const ACL_CATEGORIES = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog',
  'geo', 'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection',
  'transaction', 'scripting',
] as const;

/**
 * A row's ACL categories: those it declares (its data type, @dangerous, @connection…) plus those
 * its flags imply, as Redis's setImplicitACLCategories: write → @write; readonly → @read (not
 * for @scripting commands); admin → @admin @dangerous; pubsub → @pubsub; fast → @fast, else
 * @slow; blocking → @blocking. In Redis's order.
 */
export function aclCategories(declared: readonly string[], flags: readonly string[]): string[] {
  const cats = new Set(declared.map((c) => c.replace(/^@/, '')));
  if (flags.includes('write')) cats.add('write');
  if (flags.includes('readonly') && !cats.has('scripting')) cats.add('read');
  if (flags.includes('admin')) cats.add('admin').add('dangerous');
  if (flags.includes('pubsub')) cats.add('pubsub');
  if (flags.includes('fast')) cats.add('fast');
  if (flags.includes('blocking')) cats.add('blocking');
  if (!cats.has('fast')) cats.add('slow');
  for (const c of cats) if (!(ACL_CATEGORIES as readonly string[]).includes(c)) throw new Error(`unknown ACL category @${c}`);
  return ACL_CATEGORIES.filter((c) => cats.has(c)).map((c) => '@' + c);
}

/** What runs at once, not queued, inside MULTI (as Redis's processCommand); a subcommand as its container. */
const RUN_IN_MULTI = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);
/** What a RESP2 client may run while subscribed; a subcommand as its container. */
const SUBSCRIBED_CONTEXT = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);

/*
 * A row's spec. Its flags are also precomputed as booleans for dispatch's hot path, and every
 * spec has the same properties in the same order (`subcommands` too, undefined for most), so
 * that all of them share one hidden class and dispatch's property loads stay monomorphic.
 */
function toSpec(row: CommandRow, parent?: CommandSpec): CommandSpec {
  const flags = row.flags.split(/\s+/).filter(Boolean);
  const [firstKey, lastKey, step] = row.keys ?? [0, 0, 0];
  const root = parent?.name ?? row.name;
  const spec: CommandSpec = {
    name: parent ? `${parent.name}|${row.name}` : row.name,
    arity: row.arity,
    flags,
    firstKey,
    lastKey,
    step,
    categories: aclCategories(row.categories.split(/\s+/).filter(Boolean), flags),
    handler: row.handler,
    rangeHandler: row.rangeHandler,
    getKeys: row.getKeys,
    subcommands: undefined,
    parent,
    isWrite: flags.includes('write'),
    denyOom: flags.includes('denyoom'),
    isBounded: flags.includes('fast') || row.constantTime === true,
    noAuth: flags.includes('no_auth'),
    stats: new CommandCounters(),
    skipSlowlog: flags.includes('skip_slowlog'),
    mayReplicate: flags.includes('write') || flags.includes('may_replicate'),
    mayReplicateFor: row.mayReplicateFor,
    // refused inside MULTI: the command's own no_multi, a subcommand's by its container's
    noMulti: flags.includes('no_multi') || parent?.flags.includes('no_multi') === true,
    runsInMulti: RUN_IN_MULTI.has(root),
    subscribedContext: SUBSCRIBED_CONTEXT.has(root),
    isFast: flags.includes('fast'),
    isReadonly: flags.includes('readonly'),
    allowBusy: flags.includes('allow_busy'),
    runsScript: row.runsScript === true,
  };
  if (row.subcommands) {
    spec.subcommands = new Map();
    for (const sub of row.subcommands) spec.subcommands.set(sub.name, toSpec(sub, spec));
  }
  return spec;
}

/** Whether `argv`, a command of `spec` sent by `c`, may replicate (write or may_replicate, as this invocation's flags say). */
export function invocationMayReplicate(c: Client, spec: CommandSpec, argv: string[]): boolean {
  return spec.mayReplicateFor !== undefined ? spec.mayReplicateFor(c, argv) : spec.mayReplicate === true;
}

/** The key arguments of a command line, by the row's first/last/step (COMMAND GETKEYS). */
export function keyPositions(spec: CommandSpec, argc: number): number[] {
  if (spec.firstKey === 0) return [];
  const last = spec.lastKey < 0 ? argc + spec.lastKey : spec.lastKey;
  const out: number[] = [];
  for (let i = spec.firstKey; i <= last && i < argc; i += spec.step) out.push(i);
  return out;
}
