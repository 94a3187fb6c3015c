/*
 * Pub/Sub state, as Redis's pubsub.c: channels, patterns and shard channels with their
 * subscribers (in subscription order), message delivery, the output buffer limit of subscribers,
 * and keyspace notifications (notify.c), which are messages published on
 * `__keyspace@<db>__:<key>` (the event) and `__keyevent@<db>__:<event>` (the key).
 *
 * A message is written into the subscriber's own reply writer (a RESP3 push, a RESP2 array) and
 * its connection is asked to flush at the end of the event-loop turn. A subscriber that does not
 * read cannot hold unbounded memory: `client-output-buffer-limit` (its `pubsub` class for
 * subscribed clients, `normal` for others) disconnects it past the hard limit, or past the soft
 * limit for longer than its seconds, as Redis's checkClientOutputBufferLimits; the other
 * subscribers keep receiving.
 */
import { globMatch } from '../engine/glob.js';
import type { Client, Subscriptions } from './client.js';
import type { ServerContext } from './server-context.js';
import { RespWriter, type Reply } from '../resp/writer.js';

export type SubscriptionKind = 'channels' | 'patterns' | 'shardChannels';

interface BufferLimit {
  hard: number;
  soft: number;
  softSeconds: number;
}

/** The client classes of `client-output-buffer-limit`, in Redis's order. */
const LIMIT_CLASSES = ['normal', 'slave', 'pubsub'] as const;
const DEFAULT_LIMITS = 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60';

/** Parses a memory size as Redis's memtoull (1k = 1000, 1kb = 1024 … gb); null when invalid. */
function parseBytes(s: string): number | null {
  const m = /^(\d+)(k|kb|m|mb|g|gb|b)?$/i.exec(s);
  if (!m) return null;
  const units: Record<string, number> = { b: 1, k: 1e3, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };
  return Number(m[1]!) * units[(m[2] ?? 'b').toLowerCase()]!;
}

/**
 * `client-output-buffer-limit`: triples `<class> <hard> <soft> <soft seconds>`; classes not named
 * keep Redis's defaults here (Redis keeps their current values). Returns the canonical text
 * (all three classes, bytes) or Redis's reason.
 */
export function parseOutputBufferLimits(value: string): { value: string } | { error: string } {
  const limits = parseLimitTable(DEFAULT_LIMITS);
  const words = value.split(' ').filter((w) => w !== '');
  if (words.length === 0) return { value: DEFAULT_LIMITS };
  if (words.length % 4 !== 0) return { error: 'Wrong number of arguments in buffer limit configuration.' };
  for (let i = 0; i < words.length; i += 4) {
    let cls = words[i]!.toLowerCase();
    if (cls === 'replica') cls = 'slave';
    if (!(LIMIT_CLASSES as readonly string[]).includes(cls)) return { error: 'Invalid client class specified in buffer limit configuration.' };
    const hard = parseBytes(words[i + 1]!);
    const soft = parseBytes(words[i + 2]!);
    const secs = /^\d+$/.test(words[i + 3]!) ? Number(words[i + 3]) : null;
    if (hard === null || soft === null || secs === null) return { error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
    limits.set(cls, { hard, soft, softSeconds: secs });
  }
  return { value: LIMIT_CLASSES.map((c) => { const l = limits.get(c)!; return `${c} ${l.hard} ${l.soft} ${l.softSeconds}`; }).join(' ') };
}

function parseLimitTable(canonical: string): Map<string, BufferLimit> {
  const w = canonical.split(' ');
  const out = new Map<string, BufferLimit>();
  for (let i = 0; i + 3 < w.length; i += 4) out.set(w[i]!, { hard: Number(w[i + 1]), soft: Number(w[i + 2]), softSeconds: Number(w[i + 3]) });
  return out;
}

/** notify-keyspace-events parsed: which classes, and whether K and/or E channels are used. */
interface EventFlags {
  classes: string;
  keyspace: boolean;
  keyevent: boolean;
}

export class PubSub {
  readonly channels = new Map<string, Set<Client>>();
  readonly patterns = new Map<string, Set<Client>>();
  readonly shardChannels = new Map<string, Set<Client>>();
  /** the limits text last parsed, and its table */
  private limitsText = '';
  private pubsubLimit: BufferLimit = { hard: 0, soft: 0, softSeconds: 0 };
  private normalLimit: BufferLimit = { hard: 0, soft: 0, softSeconds: 0 };
  private replicaLimit: BufferLimit = { hard: 0, soft: 0, softSeconds: 0 };
  private events: EventFlags = { classes: '', keyspace: false, keyevent: false };

  constructor(private readonly server: ServerContext) {}

  /** Channels with at least one subscriber (INFO pubsub_channels). */
  get channelCount(): number {
    return this.channels.size;
  }

  /** Patterns with at least one subscriber (PUBSUB NUMPAT, INFO pubsub_patterns: Redis 7 counts distinct patterns). */
  get patternCount(): number {
    return this.patterns.size;
  }

  /**
   * Subscribes `c` to `name` of `kind`. Returns false when it already was. The client's
   * subscription count follows (`subscriptionCount`).
   */
  subscribe(c: Client, kind: SubscriptionKind, name: string): boolean {
    const subs = (c.subscriptions ??= { channels: new Set(), patterns: new Set(), shardChannels: new Set() });
    const own = subs[kind];
    if (own.has(name)) return false;
    own.add(name);
    const table = this[kind];
    let set = table.get(name);
    if (set === undefined) table.set(name, (set = new Set()));
    set.add(c);
    return true;
  }

  /** Unsubscribes `c` from `name` of `kind`; returns whether it was subscribed. */
  unsubscribe(c: Client, kind: SubscriptionKind, name: string): boolean {
    const subs = c.subscriptions;
    if (subs === null || !subs[kind].delete(name)) return false;
    const table = this[kind];
    const set = table.get(name)!;
    set.delete(c);
    if (set.size === 0) table.delete(name);
    this.dropIfEmpty(c, subs);
    return true;
  }

  /** What `c` is subscribed to of `kind`, in subscription order. */
  subscribed(c: Client, kind: SubscriptionKind): string[] {
    return c.subscriptions === null ? [] : [...c.subscriptions[kind]];
  }

  /** Removes every subscription of `c`, without replies (RESET, disconnection). */
  unsubscribeAll(c: Client): void {
    const subs = c.subscriptions;
    if (subs === null) return;
    for (const kind of ['channels', 'patterns', 'shardChannels'] as const) {
      for (const name of subs[kind]) {
        const set = this[kind].get(name)!;
        set.delete(c);
        if (set.size === 0) this[kind].delete(name);
      }
    }
    c.subscriptions = null;
  }

  private dropIfEmpty(c: Client, subs: Subscriptions): void {
    if (subs.channels.size === 0 && subs.patterns.size === 0 && subs.shardChannels.size === 0) c.subscriptions = null;
  }

  /**
   * Publishes `message` on `channel`: to its subscribers, then to matching patterns. Returns the
   * receivers. Each message is encoded once (per protocol its subscribers speak, as Redis builds
   * the message object once) and its bytes appended to each subscriber's writer; the subscriber's
   * connection writes it with whatever else it has at the end of the event-loop turn, one socket
   * write per subscriber per turn however many messages it got.
   */
  publish(channel: string, message: string): number {
    let receivers = 0;
    const set = this.channels.get(channel);
    if (set !== undefined) {
      this.refreshLimits();
      receivers += this.deliverAll(set, new MessageFrame('message', null, channel, message));
    }
    if (this.patterns.size !== 0) {
      for (const [pattern, clients] of this.patterns) {
        if (!globMatch(pattern, channel)) continue;
        this.refreshLimits();
        receivers += this.deliverAll(clients, new MessageFrame('pmessage', pattern, channel, message));
      }
    }
    return receivers;
  }

  /**
   * Writes `frame` to every client of `clients` (subscribers: the `pubsub` class of the output
   * buffer limit, refreshLimits first) and returns how many. The per-subscriber work is the
   * append of bytes encoded once per protocol, a flush request (one socket write per subscriber
   * per turn) and, when the limit is set, its check. A subscriber disconnected by the limit
   * leaves the set as we go: a Set's iteration skips what is deleted, so no copy is needed.
   */
  private deliverAll(clients: Set<Client>, frame: MessageFrame): number {
    const limit = this.pubsubLimit;
    const limited = limit.hard !== 0 || limit.soft !== 0;
    let resp2: Buffer | null = null;
    let resp3: Buffer | null = null;
    let n = 0;
    for (const c of clients) {
      const r = c.reply;
      if (r instanceof RespWriter) r.preencoded(r.proto === 3 ? (resp3 ??= frame.bytes(3)) : (resp2 ??= frame.bytes(2)));
      else frame.write(r);
      c.conn.flushSoon();
      if (limited) this.enforceLimit(c);
      n++;
    }
    return n;
  }

  /** SPUBLISH: to the shard channel's subscribers. Returns the receivers. */
  spublish(channel: string, message: string): number {
    const set = this.shardChannels.get(channel);
    if (set === undefined) return 0;
    this.refreshLimits();
    return this.deliverAll(set, new MessageFrame('smessage', null, channel, message));
  }

  /** Reads `client-output-buffer-limit` again if it changed since it was last parsed. */
  private refreshLimits(): void {
    const text = this.server.config.get('client-output-buffer-limit');
    if (text !== this.limitsText) {
      const table = parseLimitTable(text);
      this.pubsubLimit = table.get('pubsub')!;
      this.normalLimit = table.get('normal')!;
      this.replicaLimit = table.get('slave')!;
      this.limitsText = text;
    }
  }

  /**
   * Disconnects `c` (dropping what it has not read) when its output buffer is over the limit of
   * its class: the hard limit at once, the soft limit once exceeded for longer than its seconds.
   */
  checkOutputLimit(c: Client): void {
    this.refreshLimits();
    this.enforceLimit(c);
  }

  /** checkOutputLimit with the limits already refreshed. */
  private enforceLimit(c: Client): void {
    const limit = c.replica ? this.replicaLimit : c.subscriptions !== null ? this.pubsubLimit : this.normalLimit;
    if (limit.hard === 0 && limit.soft === 0) return;
    const used = c.conn.outputBufferBytes();
    let over = limit.hard !== 0 && used >= limit.hard;
    if (!over && limit.soft !== 0 && used >= limit.soft) {
      const now = this.server.clock.now();
      if (c.softLimitSince === 0) c.softLimitSince = now;
      else over = now - c.softLimitSince > limit.softSeconds * 1000;
    } else if (!over) {
      c.softLimitSince = 0;
    }
    if (!over) return;
    this.server.log.warning(
      `Client id=${c.id} addr=${c.conn.addr} scheduled to be closed ASAP for overcoming of output buffer limits.`,
    );
    this.server.releaseClientState(c);
    c.conn.destroy();
  }

  /**
   * Parses `notify-keyspace-events` (its canonical text) and returns the notifier to install,
   * or null when notifications are off (no class, or neither K nor E).
   */
  configureNotifications(text: string): ((cls: string, event: string, key: string, db: number | string) => void) | null {
    let classes = text.replace(/[KE]/g, '');
    if (classes.includes('A')) classes = classes.replace('A', 'g$lshzxetd');
    this.events = { classes, keyspace: text.includes('K'), keyevent: text.includes('E') };
    if (classes === '' || (!this.events.keyspace && !this.events.keyevent)) return null;
    return (cls, event, key, db) => this.notifyKeyspaceEvent(cls, event, key, db);
  }

  /** Whether notifications of class `cls` are on (the `new` event's hook is set only then). */
  notifiesClass(cls: string): boolean {
    return this.events.classes.includes(cls);
  }

  /** Redis's notifyKeyspaceEvent: publishes the event when its class is enabled. */
  private notifyKeyspaceEvent(cls: string, event: string, key: string, db: number | string): void {
    const ev = this.events;
    if (!ev.classes.includes(cls)) return;
    if (ev.keyspace) this.publish(`__keyspace@${db}__:${key}`, event);
    if (ev.keyevent) this.publish(`__keyevent@${db}__:${event}`, key);
  }
}

/**
 * One published message: `[type, (pattern,) channel, message]`, a RESP2 array or a RESP3 push.
 * Its RESP bytes are built on first use for each protocol and shared by every subscriber.
 */
class MessageFrame {
  private resp2: Buffer | null = null;
  private resp3: Buffer | null = null;

  constructor(
    private readonly type: string,
    private readonly pattern: string | null,
    private readonly channel: string,
    private readonly message: string,
  ) {}

  /** The message encoded for a writer of protocol `proto`. */
  bytes(proto: 2 | 3): Buffer {
    if (proto === 3) return (this.resp3 ??= this.encode(3));
    return (this.resp2 ??= this.encode(2));
  }

  /** Through the writer every reply goes through, into bytes of their own (`take` copies them out:
   *  the scratch writer is free again for a message published while this one is delivered). */
  private encode(proto: 2 | 3): Buffer {
    const w = scratch;
    w.proto = proto;
    this.write(w);
    return w.take()!;
  }

  /** The message through any writer (a scratch RespWriter for the shared bytes; the binary protocol's). */
  write(r: Reply): void {
    r.push(this.pattern === null ? 3 : 4);
    r.bulk(this.type);
    if (this.pattern !== null) r.bulk(this.pattern);
    r.bulk(this.channel);
    r.bulk(this.message);
  }
}

/** Where MessageFrame encodes: its buffer is reused from message to message. */
const scratch = new RespWriter();
