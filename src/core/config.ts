/*
 * Configuration: one table of parameters, read by the CLI, the redis.conf-style config file,
 * CONFIG GET/SET/REWRITE and INFO. Each parameter has Redis's name, type and default.
 */
import { INERT_PARAMS, inertParam } from './config-inert.js';
import { parseOutputBufferLimits } from './pubsub.js';

/** Redis's log levels, least severe first. */
export const LOG_LEVELS = ['debug', 'verbose', 'notice', 'warning', 'nothing'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

type Kind =
  | { type: 'int'; min: number; max: number | bigint; clamp?: [number, number] }
  | { type: 'memory'; min: bigint; max: bigint }
  | { type: 'bool' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'string' }
  /** a parameter with its own syntax: returns the canonical text, or Redis's reason */
  | { type: 'special'; parse: (value: string) => { value: string } | { error: string } };

export interface Param {
  name: string;
  kind: Kind;
  /** the value at start, as CONFIG GET shows it (memory in bytes, as Redis does) */
  default: string;
  /** false: only at start (CONFIG SET answers Redis's "can't set immutable config" error) */
  mutable: boolean;
  /** Redis's older name, accepted wherever the name is (CONFIG GET/SET, the config file) */
  alias?: string;
  /** accepted and reported, without effect (config-inert.ts) */
  inert?: true;
  /** Redis's HIDDEN_CONFIG: CONFIG GET finds it by its exact name only, never by a pattern */
  hidden?: true;
  /**
   * kv-server's own parameter (not Redis's): when immutable, CONFIG SET to the value it has is
   * accepted and changes nothing (so a client setting every parameter of CONFIG GET * to its own
   * value — Redis's test suite does — meets only Redis's immutable ones)
   */
  own?: true;
}

const INT_MAX = 2147483647;
const LLONG_MAX = 9223372036854775807n;
const int = (min: number, max: number | bigint): Kind => ({ type: 'int', min, max });
const memory = (min = 0n, max = LLONG_MAX): Kind => ({ type: 'memory', min, max });
const bool: Kind = { type: 'bool' };
const oneOf = (...values: string[]): Kind => ({ type: 'enum', values });
const string: Kind = { type: 'string' };
const special = (parse: (value: string) => { value: string } | { error: string }): Kind => ({ type: 'special', parse });

/** `shards`: a power of two from 1 to 16384 (a shard is a range of hash slots). */
function parseShards(value: string): { value: string } | { error: string } {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 16384 && (n & (n - 1)) === 0)) return { error: 'argument must be a power of two from 1 to 16384' };
  return { value: String(n) };
}

/** A memory size, or a percentage up to 100 (`10%`, as Redis's PERCENT_CONFIG: maxmemory-clients). */
function parseMemoryOrPercent(value: string): { value: string } | { error: string } {
  const n = parseMemory(value);
  if (n !== null) return n <= LLONG_MAX ? { value: String(n) } : { error: `argument must be between -100 and ${LLONG_MAX} inclusive` };
  const m = /^(\d+)%$/.exec(value);
  if (m === null || BigInt(m[1]!) > LLONG_MAX) return { error: 'argument must be a memory or percent value' };
  if (BigInt(m[1]!) > 100n) return { error: 'percentage argument must be less or equal to 100' };
  return { value: `${BigInt(m[1]!)}%` };
}

/** `save`: pairs of `<seconds> <changes>`, or empty (Redis's "Invalid save parameters"). */
function parseSave(value: string): { value: string } | { error: string } {
  if (value === '') return { value };
  const parts = value.split(' ');
  if (parts.length % 2 !== 0 || !parts.every((p) => /^-?\d+$/.test(p))) {
    return { error: 'Invalid save parameters' };
  }
  return { value: parts.map(Number).join(' ') };
}

/** `unixsocketperm`: an octal mode such as 700 or 0770 (Redis reads it with strtol base 8). */
function parseOctalPerm(value: string): { value: string } | { error: string } {
  if (!/^[0-7]{1,4}$/.test(value)) return { error: 'argument must be an octal number' };
  return { value: String(parseInt(value, 8).toString(8)) };
}

/** The event classes of `notify-keyspace-events`, in the order Redis prints them. */
const EVENT_CLASSES = 'g$lshzxetd';
/**
 * `notify-keyspace-events`: any of `Ag$lshzxeKEtmdn`, shown canonically as Redis does
 * (`A` for all of `g$lshzxetd`, then `n`, `K`, `E`, `m`).
 */
function parseKeyspaceEvents(value: string): { value: string } | { error: string } {
  const set = new Set<string>();
  for (const ch of value) {
    if (ch === 'A') for (const all of EVENT_CLASSES) set.add(all);
    else if ('g$lshzxeKEtmdn'.includes(ch)) set.add(ch);
    else return { error: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." };
  }
  let out = '';
  if ([...EVENT_CLASSES].every((ch) => set.has(ch))) out = 'A';
  else for (const ch of EVENT_CLASSES + 'n') if (set.has(ch)) out += ch;
  for (const ch of 'KEm') if (set.has(ch)) out += ch;
  return { value: out };
}

/**
 * `latency-tracking-info-percentiles`: space-separated percentiles from 0 to 100 (strtod's
 * syntax), shown as C's `%f` trimmed (`50 99 99.9`), with Redis's two reasons.
 */
function parsePercentiles(value: string): { value: string } | { error: string } {
  const words = value.split(/[ \t\r\n]+/).filter((w) => w !== '');
  const out: string[] = [];
  for (const w of words) {
    const n = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(w) ? Number(w) : NaN;
    if (Number.isNaN(n)) return { error: 'Invalid latency-tracking-info-percentiles parameters' };
    if (n > 100 || n < 0) return { error: 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]' };
    out.push(n.toFixed(6).replace(/\.?0+$/, ''));
  }
  return { value: out.join(' ') };
}

/*
 * The parameters, with Redis 7's names, defaults, ranges and mutability. Many are accepted and
 * reported only (tuning knobs of Redis's encodings, persistence we do not have yet), so that
 * clients and tools that read or set them keep working.
 */
export const PARAMS: readonly Param[] = [
  // CONFIG SET moves the listener: the new address is bound first, then the old one closed
  { name: 'port', kind: int(0, 65535), default: '6380', mutable: true },
  { name: 'bind', kind: string, default: '127.0.0.1', mutable: true },
  { name: 'protected-mode', kind: bool, default: 'yes', mutable: true },
  { name: 'requirepass', kind: string, default: '', mutable: true },
  { name: 'databases', kind: int(1, INT_MAX), default: '16', mutable: false },
  { name: 'shards', kind: special(parseShards), default: '256', mutable: false, own: true },
  { name: 'loglevel', kind: oneOf(...LOG_LEVELS), default: 'notice', mutable: true },
  { name: 'logfile', kind: string, default: '', mutable: false },
  { name: 'proto-max-bulk-len', kind: memory(1024n * 1024n), default: '536870912', mutable: true },
  { name: 'client-query-buffer-limit', kind: memory(1024n * 1024n), default: '1073741824', mutable: true },
  { name: 'maxclients', kind: int(1, 4294967295), default: '10000', mutable: true },
  { name: 'maxmemory', kind: memory(), default: '0', mutable: true },
  {
    name: 'maxmemory-policy',
    kind: oneOf('volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'),
    default: 'noeviction',
    mutable: true,
  },
  { name: 'maxmemory-samples', kind: int(1, 64), default: '5', mutable: true },
  { name: 'maxmemory-clients', kind: special(parseMemoryOrPercent), default: '0', mutable: true },
  { name: 'timeout', kind: int(0, INT_MAX), default: '0', mutable: true },
  { name: 'tcp-keepalive', kind: int(0, INT_MAX), default: '300', mutable: true },
  { name: 'tcp-backlog', kind: int(0, INT_MAX), default: '511', mutable: false },
  // Redis accepts 0..INT_MAX and clamps to 1..500 (CONFIG GET shows the clamped value)
  { name: 'hz', kind: { type: 'int', min: 0, max: INT_MAX, clamp: [1, 500] }, default: '10', mutable: true },
  { name: 'dynamic-hz', kind: bool, default: 'yes', mutable: true },
  { name: 'active-expire-effort', kind: int(1, 10), default: '1', mutable: true },
  { name: 'save', kind: special(parseSave), default: '', mutable: true },
  { name: 'appendonly', kind: bool, default: 'no', mutable: true },
  { name: 'appendfsync', kind: oneOf('always', 'everysec', 'no'), default: 'everysec', mutable: true },
  { name: 'appendfilename', kind: string, default: 'appendonly.aof', mutable: false },
  { name: 'appenddirname', kind: string, default: 'appendonlydir', mutable: false },
  { name: 'dir', kind: string, default: '.', mutable: true },
  { name: 'dbfilename', kind: string, default: 'dump.rdb', mutable: true },
  { name: 'rdbcompression', kind: bool, default: 'yes', mutable: true },
  { name: 'rdbchecksum', kind: bool, default: 'yes', mutable: true },
  { name: 'stop-writes-on-bgsave-error', kind: bool, default: 'yes', mutable: true },
  { name: 'daemonize', kind: bool, default: 'no', mutable: false },
  { name: 'pidfile', kind: string, default: '', mutable: false },
  { name: 'supervised', kind: oneOf('upstart', 'systemd', 'auto', 'no'), default: 'no', mutable: false },
  { name: 'unixsocket', kind: string, default: '', mutable: false },
  { name: 'unixsocketperm', kind: special(parseOctalPerm), default: '0', mutable: false },
  { name: 'io-threads', kind: int(1, 128), default: '1', mutable: false },
  { name: 'cluster-enabled', kind: bool, default: 'no', mutable: false },
  { name: 'enable-debug-command', kind: oneOf('no', 'yes', 'local'), default: 'yes', mutable: false },
  { name: 'notify-keyspace-events', kind: special(parseKeyspaceEvents), default: '', mutable: true },
  { name: 'lfu-log-factor', kind: int(0, INT_MAX), default: '10', mutable: true },
  { name: 'lfu-decay-time', kind: int(0, INT_MAX), default: '1', mutable: true },
  { name: 'slowlog-log-slower-than', kind: int(-1, Number.MAX_SAFE_INTEGER), default: '10000', mutable: true },
  { name: 'slowlog-max-len', kind: int(0, Number.MAX_SAFE_INTEGER), default: '128', mutable: true },
  { name: 'latency-monitor-threshold', kind: int(0, Number.MAX_SAFE_INTEGER), default: '0', mutable: true },
  // INFO latencystats: per-command latency histograms and the percentiles INFO prints
  { name: 'latency-tracking', kind: bool, default: 'yes', mutable: true },
  { name: 'latency-tracking-info-percentiles', kind: special(parsePercentiles), default: '50 99 99.9', mutable: true },
  { name: 'lua-time-limit', kind: int(0, Number.MAX_SAFE_INTEGER), default: '5000', mutable: true },
  { name: 'busy-reply-threshold', kind: int(0, Number.MAX_SAFE_INTEGER), default: '5000', mutable: true },
  // client-side caching: the keys the tracking table remembers at most (0: no limit); core/tracking.ts
  { name: 'tracking-table-max-keys', kind: int(0, LLONG_MAX), default: '1000000', mutable: true },
  { name: 'replica-read-only', kind: bool, default: 'yes', mutable: true },
  { name: 'activerehashing', kind: bool, default: 'yes', mutable: true },
  { name: 'lazyfree-lazy-eviction', kind: bool, default: 'no', mutable: true },
  { name: 'lazyfree-lazy-expire', kind: bool, default: 'no', mutable: true },
  { name: 'lazyfree-lazy-server-del', kind: bool, default: 'no', mutable: true },
  { name: 'lazyfree-lazy-user-del', kind: bool, default: 'no', mutable: true },
  { name: 'lazyfree-lazy-user-flush', kind: bool, default: 'no', mutable: true },
  { name: 'list-max-listpack-size', alias: 'list-max-ziplist-size', kind: int(-2147483648, INT_MAX), default: '-2', mutable: true },
  { name: 'list-compress-depth', kind: int(0, INT_MAX), default: '0', mutable: true },
  // hashes and sets: the encoding thresholds (size_t in Redis, the value length a memory size);
  // Redis 7.0 knows no set-max-listpack-* (7.2 added the set listpack encoding)
  { name: 'hash-max-listpack-entries', alias: 'hash-max-ziplist-entries', kind: int(0, LLONG_MAX), default: '512', mutable: true },
  { name: 'hash-max-listpack-value', alias: 'hash-max-ziplist-value', kind: memory(0n, LLONG_MAX), default: '64', mutable: true },
  { name: 'set-max-intset-entries', kind: int(0, LLONG_MAX), default: '512', mutable: true },
  // sorted sets: as the hash thresholds (size_t, the value length a memory size), with aliases
  { name: 'zset-max-listpack-entries', alias: 'zset-max-ziplist-entries', kind: int(0, LLONG_MAX), default: '128', mutable: true },
  { name: 'zset-max-listpack-value', alias: 'zset-max-ziplist-value', kind: memory(0n, LLONG_MAX), default: '64', mutable: true },
  { name: 'hll-sparse-max-bytes', kind: memory(), default: '3000', mutable: true },
  { name: 'stream-node-max-bytes', kind: int(0, Number.MAX_SAFE_INTEGER), default: '4096', mutable: true },
  { name: 'stream-node-max-entries', kind: int(0, Number.MAX_SAFE_INTEGER), default: '100', mutable: true },
  // introspection: the rest of Redis 7's parameters, accepted without effect so a stock redis.conf loads
  ...INERT_PARAMS.map(([name, value]) => inertParam(name, value)),
  // Redis's hidden test knobs (its own test suite sets them), accepted without effect
  ...([
    ['rdb-key-save-delay', int(-INT_MAX - 1, INT_MAX), '0'],
    ['key-load-delay', int(-INT_MAX - 1, INT_MAX), '0'],
    ['watchdog-period', int(0, INT_MAX), '0'],
    ['loading-process-events-interval-bytes', int(1024, INT_MAX), '2097152'],
    ['use-exit-on-panic', bool, 'no'],
  ] as const).map(([name, kind, value]): Param => ({ name, kind, default: value, mutable: true, inert: true, hidden: true })),
  // ACL (security/): the ACL file (users.acl format), ACL LOG's length, new users' channels
  { name: 'aclfile', kind: string, default: '', mutable: false },
  { name: 'acllog-max-len', kind: int(0, Number.MAX_SAFE_INTEGER), default: '128', mutable: true },
  { name: 'acl-pubsub-default', kind: oneOf('allchannels', 'resetchannels'), default: 'resetchannels', mutable: true },
  // pub/sub: output buffer limits per client class (a slow subscriber is disconnected)
  {
    name: 'client-output-buffer-limit',
    kind: special(parseOutputBufferLimits),
    default: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
    mutable: true,
  },
  // binary protocol: the second listener (0: off) and its frame limit (docs/protocol.md)
  { name: 'bin-port', kind: int(0, 65535), default: '0', mutable: false, own: true },
  { name: 'bin-max-frame-size', kind: memory(16n, 4294967295n), default: '536870912', mutable: true },
  // binary protocol over TLS (security, docs/protocol.md): auto = TLS exactly when tls-port is set
  { name: 'bin-tls', kind: oneOf('auto', 'yes', 'no'), default: 'auto', mutable: false, own: true },
  // TLS (server/tls-context.ts): a TLS listener beside the plain one; changing a file or setting
  // reloads them for new connections, changing tls-port moves the listener (as Redis)
  { name: 'tls-port', kind: int(0, 65535), default: '0', mutable: true },
  { name: 'tls-cert-file', kind: string, default: '', mutable: true },
  { name: 'tls-key-file', kind: string, default: '', mutable: true },
  { name: 'tls-key-file-pass', kind: string, default: '', mutable: true },
  { name: 'tls-ca-cert-file', kind: string, default: '', mutable: true },
  { name: 'tls-ca-cert-dir', kind: string, default: '', mutable: true },
  { name: 'tls-auth-clients', kind: oneOf('no', 'yes', 'optional'), default: 'yes', mutable: true },
  { name: 'tls-protocols', kind: string, default: '', mutable: true },
  { name: 'tls-ciphers', kind: string, default: '', mutable: true },
  { name: 'tls-ciphersuites', kind: string, default: '', mutable: true },
  { name: 'tls-prefer-server-ciphers', kind: bool, default: 'no', mutable: true },
];

const BY_NAME = new Map(PARAMS.flatMap((p) => (p.alias === undefined ? [[p.name, p]] : [[p.name, p], [p.alias, p]]) as Array<[string, Param]>));

export function findParam(name: string): Param | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Parses a memory size as Redis's memtoull: 1k = 1000, 1kb = 1024, up to g/gb. */
export function parseMemory(s: string): bigint | null {
  const m = /^(\d+)(k|kb|m|mb|g|gb|b)?$/i.exec(s);
  if (!m) return null;
  const units: Record<string, bigint> = { b: 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1024n ** 2n, g: 1000000000n, gb: 1024n ** 3n };
  const n = BigInt(m[1]!) * units[(m[2] ?? 'b').toLowerCase()]!;
  return n <= 18446744073709551615n ? n : null;
}

/** The canonical stored text for `value`, or an error reason as Redis words it. */
export function normalizeValue(param: Param, value: string): { value: string } | { error: string } {
  const k = param.kind;
  switch (k.type) {
    case 'int': {
      if (!/^-?\d+$/.test(value)) return { error: "argument couldn't be parsed into an integer" };
      const big = BigInt(value);
      // strtoll's range: beyond it the text is not an integer at all
      if (big > LLONG_MAX || big < -LLONG_MAX - 1n) return { error: "argument couldn't be parsed into an integer" };
      const n = Number(value);
      if (big < BigInt(k.min) || big > BigInt(k.max)) return { error: `argument must be between ${k.min} and ${k.max} inclusive` };
      return { value: k.clamp ? String(Math.min(Math.max(n, k.clamp[0]), k.clamp[1])) : String(big) };
    }
    case 'memory': {
      const n = parseMemory(value);
      if (n === null) return { error: 'argument must be a memory value' };
      if (n < k.min || n > k.max) return { error: `argument must be between ${k.min} and ${k.max} inclusive` };
      return { value: String(n) };
    }
    case 'bool': {
      const v = value.toLowerCase();
      if (v === 'yes' || v === 'no') return { value: v };
      return { error: "argument must be 'yes' or 'no'" };
    }
    case 'enum': {
      const v = value.toLowerCase();
      return k.values.includes(v) ? { value: v } : { error: 'argument(s) must be one of the following: ' + k.values.join(', ') };
    }
    case 'string':
      return { value };
    case 'special':
      return k.parse(value);
  }
}

export class ConfigError extends Error {}

/**
 * The collections' encoding limits, which every write of a hash, set, sorted set or list reads:
 * parsed once and refreshed by `Config.set`, so a command reads a field instead of a Map lookup
 * and a string-to-number conversion per limit.
 */
export interface CollectionLimits {
  /** hash-max-listpack-entries, hash-max-listpack-value */
  hashEntries: number;
  hashValue: number;
  /** set-max-intset-entries */
  setIntsetEntries: number;
  /** zset-max-listpack-entries, zset-max-listpack-value */
  zsetEntries: number;
  zsetValue: number;
  /** list-max-listpack-size */
  listSize: number;
}

/** The live configuration. Typed getters serve the hot paths; `values` serves CONFIG. */
export class Config {
  readonly values = new Map<string, string>();
  /** Called after a parameter changes at runtime (so listeners, limits and logging follow). */
  onChange: (name: string, value: string) => void = () => {};
  /** Path of the config file the server was started with, for CONFIG REWRITE. */
  file: string | null = null;
  /** `rename-command` lines of the config file, in order: [name, new name ('' disables it)] */
  readonly renames: Array<[from: string, to: string]> = [];
  /** `user <name> <rules…>` lines of the config file, in order (applied to the ACL users at start) */
  readonly users: string[][] = [];
  /** inert parameters the config file set (logged once at start, at `verbose`) */
  readonly inertLoaded = new Set<string>();
  /** the collections' limits, kept equal to their parameters (refreshed by `set`) */
  readonly limits: CollectionLimits;
  /** `int`'s parsed values by the name asked for, emptied by `set` */
  private readonly ints = new Map<string, number>();

  constructor() {
    for (const p of PARAMS) this.values.set(p.name, p.default);
    this.limits = { hashEntries: 0, hashValue: 0, setIntsetEntries: 0, zsetEntries: 0, zsetValue: 0, listSize: 0 };
    this.refreshLimits();
  }

  private refreshLimits(): void {
    const l = this.limits;
    const n = (name: string): number => Number(this.values.get(name));
    l.hashEntries = n('hash-max-listpack-entries');
    l.hashValue = n('hash-max-listpack-value');
    l.setIntsetEntries = n('set-max-intset-entries');
    l.zsetEntries = n('zset-max-listpack-entries');
    l.zsetValue = n('zset-max-listpack-value');
    l.listSize = n('list-max-listpack-size');
  }

  get(name: string): string {
    return this.values.get(name) ?? this.values.get(findParam(name)!.name)!;
  }

  /** Sets a parameter, validating it. Throws ConfigError with Redis's reason. */
  set(name: string, raw: string): void {
    const param = findParam(name);
    if (!param) throw new ConfigError(`Bad directive or wrong number of arguments`);
    const r = normalizeValue(param, raw);
    if ('error' in r) throw new ConfigError(r.error);
    this.values.set(param.name, r.value);
    // scripting: lua-time-limit is busy-reply-threshold's old name, one value for both (as Redis)
    if (param.name === 'lua-time-limit') this.values.set('busy-reply-threshold', r.value);
    else if (param.name === 'busy-reply-threshold') this.values.set('lua-time-limit', r.value);
    this.ints.clear();
    this.refreshLimits();
    this.onChange(param.name, r.value);
  }

  /** A numeric parameter, parsed once until the next `set`. */
  int(name: string): number {
    let v = this.ints.get(name);
    if (v === undefined) {
      v = Number(this.get(name));
      this.ints.set(name, v);
    }
    return v;
  }

  get port(): number {
    return this.int('port');
  }
  get bind(): string[] {
    return this.get('bind').split(/\s+/).filter(Boolean);
  }
  get requirepass(): string {
    return this.get('requirepass');
  }
  get databases(): number {
    return this.int('databases');
  }
  get shards(): number {
    return this.int('shards');
  }
  get protectedMode(): boolean {
    return this.get('protected-mode') === 'yes';
  }
}
