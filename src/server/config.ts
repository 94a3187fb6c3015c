/*
 * Configuration: one table of parameters, read by the CLI, the redis.conf-style config file,
 * CONFIG GET/SET/REWRITE and INFO. Each parameter has Redis's name, type and default.
 */
import { LOG_LEVELS } from './log.js';

type Kind =
  | { type: 'int'; min: number; max: number }
  | { type: 'memory' }
  | { type: 'bool' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'string' };

export interface Param {
  name: string;
  kind: Kind;
  default: string;
  /** false: only at start (CONFIG SET answers Redis's "can't set immutable config" error) */
  mutable: boolean;
  /** CONFIG GET of the value as stored (memory is shown in bytes, as Redis does) */
}

const int = (min: number, max: number): Kind => ({ type: 'int', min, max });
const memory: Kind = { type: 'memory' };
const bool: Kind = { type: 'bool' };
const oneOf = (...values: string[]): Kind => ({ type: 'enum', values });
const string: Kind = { type: 'string' };

export const PARAMS: readonly Param[] = [
  { name: 'port', kind: int(0, 65535), default: '6380', mutable: false },
  { name: 'bind', kind: string, default: '127.0.0.1', mutable: false },
  { name: 'protected-mode', kind: bool, default: 'yes', mutable: true },
  { name: 'requirepass', kind: string, default: '', mutable: true },
  { name: 'databases', kind: int(1, 1 << 20), default: '16', mutable: false },
  { name: 'shards', kind: int(1, 16384), default: '256', mutable: false },
  { name: 'loglevel', kind: oneOf(...LOG_LEVELS), default: 'notice', mutable: true },
  { name: 'logfile', kind: string, default: '', mutable: false },
  { name: 'proto-max-bulk-len', kind: memory, default: '536870912', mutable: true },
  { name: 'client-query-buffer-limit', kind: memory, default: '1073741824', mutable: true },
  { name: 'maxclients', kind: int(1, 1 << 30), default: '10000', mutable: true },
  { name: 'maxmemory', kind: memory, default: '0', mutable: true },
  {
    name: 'maxmemory-policy',
    kind: oneOf('noeviction', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl'),
    default: 'noeviction',
    mutable: true,
  },
  { name: 'timeout', kind: int(0, 2147483647), default: '0', mutable: true },
  { name: 'tcp-keepalive', kind: int(0, 2147483647), default: '300', mutable: true },
  { name: 'hz', kind: int(1, 500), default: '10', mutable: true },
  { name: 'save', kind: string, default: '', mutable: true },
  { name: 'appendonly', kind: bool, default: 'no', mutable: true },
  { name: 'dir', kind: string, default: '.', mutable: true },
  { name: 'dbfilename', kind: string, default: 'dump.rdb', mutable: true },
  { name: 'daemonize', kind: bool, default: 'no', mutable: false },
  { name: 'notify-keyspace-events', kind: string, default: '', mutable: true },
  { name: 'lfu-log-factor', kind: int(0, 2147483647), default: '10', mutable: true },
  { name: 'lfu-decay-time', kind: int(0, 2147483647), default: '1', mutable: true },
  { name: 'slowlog-log-slower-than', kind: int(-1, Number.MAX_SAFE_INTEGER), default: '10000', mutable: true },
  { name: 'slowlog-max-len', kind: int(0, 2147483647), default: '128', mutable: true },
];

const BY_NAME = new Map(PARAMS.map((p) => [p.name, p]));

export function findParam(name: string): Param | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Parses a memory size as Redis's memtoull: 1k = 1000, 1kb = 1024, up to g/gb. */
export function parseMemory(s: string): number | null {
  const m = /^(\d+)(k|kb|m|mb|g|gb|b)?$/i.exec(s);
  if (!m) return null;
  const units: Record<string, number> = { b: 1, k: 1e3, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };
  const n = Number(m[1]) * (units[(m[2] ?? 'b').toLowerCase()] ?? 1);
  return Number.isSafeInteger(n) ? n : null;
}

/** The canonical stored text for `value`, or an error reason as Redis words it. */
export function normalizeValue(param: Param, value: string): { value: string } | { error: string } {
  const k = param.kind;
  switch (k.type) {
    case 'int': {
      if (!/^-?\d+$/.test(value)) return { error: 'argument couldn\'t be parsed into an integer' };
      const n = Number(value);
      if (n < k.min || n > k.max) return { error: `argument must be between ${k.min} and ${k.max} inclusive` };
      return { value: String(n) };
    }
    case 'memory': {
      const n = parseMemory(value);
      return n === null ? { error: 'argument must be a memory value' } : { value: String(n) };
    }
    case 'bool': {
      const v = value.toLowerCase();
      if (v === 'yes' || v === 'no') return { value: v };
      return { error: 'argument must be \'yes\' or \'no\'' };
    }
    case 'enum': {
      const v = value.toLowerCase();
      return k.values.includes(v) ? { value: v } : { error: 'argument(s) must be one of the following: ' + k.values.join(', ') };
    }
    case 'string':
      return { value };
  }
}

export class ConfigError extends Error {}

/** The live configuration. Typed getters serve the hot paths; `values` serves CONFIG. */
export class Config {
  readonly values = new Map<string, string>();
  /** Called after a parameter changes at runtime (so listeners, limits and logging follow). */
  onChange: (name: string, value: string) => void = () => {};
  /** Path of the config file the server was started with, for CONFIG REWRITE. */
  file: string | null = null;

  constructor() {
    for (const p of PARAMS) this.values.set(p.name, p.default);
  }

  get(name: string): string {
    return this.values.get(name)!;
  }

  /** Sets a parameter, validating it. Throws ConfigError with Redis's reason. */
  set(name: string, raw: string): void {
    const param = findParam(name);
    if (!param) throw new ConfigError(`Bad directive or wrong number of arguments`);
    const r = normalizeValue(param, raw);
    if ('error' in r) throw new ConfigError(r.error);
    this.values.set(param.name, r.value);
    this.onChange(param.name, r.value);
  }

  int(name: string): number {
    return Number(this.get(name));
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
