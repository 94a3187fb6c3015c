/*
 * The command grammar of the differential fuzzer: seeded random sequences of string and keyspace
 * commands (valid and invalid options, edge-case integers and floats, empty and binary strings,
 * a small key space so that commands interact), and how each reply is compared.
 *
 * Everything generated is deterministic on both servers except what a step's `check` says:
 *  - relative expire times are taken from sets whose values lie far apart (seconds ≥ 100), so that
 *    the few milliseconds between the two servers never change an NX/XX/GT/LT decision or make a
 *    key expire on one server only; absolute times are either long past or far in the future.
 */
import { decodeReply, type Decoded } from './harness.js';

/** mulberry32: a small seeded PRNG (deterministic across platforms). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * How a reply is compared:
 *  - exact: raw bytes;
 *  - ttl: integer replies may differ by `tol` (the servers' clocks are read a few ms apart);
 *  - sortedKeys: an array of keys in hash-table order (KEYS): compared sorted;
 *  - scan: SCAN with a COUNT above the key space: the cursor and the sorted keys;
 *  - randomKey: RANDOMKEY picks at random: only nil vs a key is compared;
 *  - anyInt: OBJECT IDLETIME/FREQ depend on access clocks, EXPIRE GT/LT ties on the clock's
 *    milliseconds: only "an integer" vs an error is compared;
 *  - ignore: HELLO's reply holds the server's id and version.
 */
export type Check = 'exact' | 'ttl' | 'sortedKeys' | 'scan' | 'randomKey' | 'anyInt' | 'ignore';

export interface FuzzStep {
  cmd: string[];
  check: Check;
  tol?: number;
}

const KEYS = ['k0', 'k1', 'k2', 'k3', '', '\x00\xff\r\n'];

export const INTS = [
  '0', '1', '-1', '2', '10', '100', '-100', '44', '45',
  '9007199254740991', '9007199254740992', '9007199254740993',
  '-9007199254740991', '-9007199254740992', '-9007199254740993',
  '9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809',
  '9223372036854775806', '-9223372036854775807',
  '2147483647', '2147483648', '-2147483648', '-2147483649', '4294967296',
  '18446744073709551615', '99999999999999999999', '123456789012345678',
  '01', '+1', ' 1', '1 ', '1e3', '0x10', '-0', '', '1.5', '- 1', '--1',
];

const FLOATS = [
  '0', '1', '-1', '1.5', '-0', '0.1', '-0.1', '1e308', '-1e308', '1e309', 'inf', '-inf', '+inf', 'nan',
  '1e-300', '5e-324', '3.0e3', ' 1', '1 ', '.5', '5.', '+1.5', '0x10', '0x1p3', '1.7976931348623157e308',
  '123456789012345678901234567890', '0.30000000000000004', '1e', '', 'abc', '100', '-5000000000',
  '9223372036854775807', '1.23456789012345678901',
];

const VALUES = [
  ...INTS.slice(0, 24), ...FLOATS.slice(3, 12), '', 'abc', 'foo bar', '\x00\r\n\xff\x80', 'x'.repeat(44), 'y'.repeat(45),
  '10', '-10', '020', 'hello world',
];

/** Relative expire times far apart (see the header); plus times that are invalid or in the past. */
const EX_SECONDS = ['100', '1000', '100000', '0', '-1', '-100', '9223372036854775', '9223372036854776', '9223372036854775807', 'x', '1.5', '01'];
const PX_MS = ['300000', '3000000', '50000000', '0', '-1', '9223372036854775807', '9223372036850000000', 'x', ''];
const EXAT_SECONDS = ['1', '1000', '4000000000', '4100000000', '0', '-1', '9223372036854775', '9223372036854776', 'x'];
const PXAT_MS = ['1', '1000000', '4000000000000', '4200000000000', '0', '-1', '9223372036854775807', 'x'];

const DBS = ['0', '1', '2', '15', '16', '-1', 'x', '2147483648', '-2147483649', '01'];
const PATTERNS = ['*', 'k*', 'k?', 'k[0-1]', 'k[^0]', '\\k*', '', '*\x00*', '[', 'k[', '?', 'K*'];

type Pick = <T>(xs: readonly T[]) => T;

/** Generates sequences of FuzzSteps from one seed. */
export class Grammar {
  private readonly r: () => number;

  constructor(seed: number) {
    this.r = rng(seed);
  }

  private pick: Pick = (xs) => xs[Math.floor(this.r() * xs.length)]!;
  private chance(p: number): boolean {
    return this.r() < p;
  }
  private key(): string {
    return this.pick(KEYS);
  }
  private keys(min: number, max: number): string[] {
    const n = min + Math.floor(this.r() * (max - min + 1));
    return Array.from({ length: n }, () => this.key());
  }
  private value(): string {
    return this.pick(VALUES);
  }
  private int(): string {
    return this.pick(INTS);
  }

  /** One expire option pair for SET/GETEX: [unit, time]. */
  private expireOption(): string[] {
    switch (this.pick(['ex', 'px', 'exat', 'pxat'])) {
      case 'ex': return [this.cased('EX'), this.pick(EX_SECONDS)];
      case 'px': return [this.cased('PX'), this.pick(PX_MS)];
      case 'exat': return [this.cased('EXAT'), this.pick(EXAT_SECONDS)];
      default: return [this.cased('PXAT'), this.pick(PXAT_MS)];
    }
  }

  /** A name in upper, lower or mixed case. */
  private cased(name: string): string {
    const x = this.r();
    if (x < 0.6) return name;
    if (x < 0.85) return name.toLowerCase();
    return [...name].map((ch) => (this.chance(0.5) ? ch.toUpperCase() : ch.toLowerCase())).join('');
  }

  private setOptions(): string[] {
    const out: string[] = [];
    const n = Math.floor(this.r() * 4);
    for (let i = 0; i < n; i++) {
      const o = this.pick(['NX', 'XX', 'GET', 'KEEPTTL', 'EXP', 'EXP', 'EXP', 'BAD', 'EXNOARG']);
      if (o === 'EXP') out.push(...this.expireOption());
      else if (o === 'BAD') out.push(this.pick(['FOO', 'PERSIST', 'EXX', '']));
      else if (o === 'EXNOARG') out.push(this.cased(this.pick(['EX', 'PX'])));
      else out.push(this.cased(o));
    }
    return out;
  }

  private expireFlags(): string[] {
    const out: string[] = [];
    while (this.chance(0.35)) out.push(this.cased(this.pick(['NX', 'XX', 'GT', 'LT', 'GT', 'LT', 'FOO'])));
    return out;
  }

  /**
   * EXPIRE/PEXPIRE with a relative time. With GT or LT, the same relative time given twice makes
   * a tie decided by whether the server's clock moved by a millisecond in between: only "an
   * integer" is compared then (a TTL that differs by those milliseconds stays within tolerance).
   */
  private relativeExpire(name: string, key: string, time: string, flags: string[]): FuzzStep {
    const tie = flags.some((f) => /^(gt|lt)$/i.test(f));
    return { cmd: [name, key, time, ...flags], check: tie ? 'anyInt' : 'exact' };
  }

  /** One command of the grammar. */
  step(): FuzzStep {
    const exact = (...cmd: string[]): FuzzStep => ({ cmd, check: 'exact' });
    const k = () => this.key();
    const c = (name: string) => this.cased(name);
    const x = this.pick([
      'get', 'get', 'set', 'set', 'set', 'setnx', 'setex', 'psetex', 'getset', 'getdel', 'getex', 'mget', 'mset', 'msetnx',
      'append', 'append', 'strlen', 'getrange', 'substr', 'setrange', 'incr', 'decr', 'incrby', 'incrby', 'decrby',
      'incrbyfloat', 'incrbyfloat', 'del', 'unlink', 'exists', 'touch', 'type', 'expire', 'pexpire', 'expireat',
      'pexpireat', 'ttl', 'pttl', 'expiretime', 'pexpiretime', 'persist', 'keys', 'scan', 'rename', 'renamenx', 'move',
      'copy', 'randomkey', 'dbsize', 'flushdb', 'swapdb', 'select', 'object', 'object', 'arity', 'echo',
    ]);
    switch (x) {
      case 'get': case 'getdel': case 'strlen': case 'incr': case 'decr': case 'type': case 'persist':
        return exact(c(x.toUpperCase()), k());
      case 'set': return exact(c('SET'), k(), this.value(), ...this.setOptions());
      case 'setnx': case 'getset': return exact(c(x.toUpperCase()), k(), this.value());
      case 'setex': return exact(c('SETEX'), k(), this.pick(EX_SECONDS), this.value());
      case 'psetex': return exact(c('PSETEX'), k(), this.pick(PX_MS), this.value());
      case 'getex': {
        const opts: string[] = [];
        while (this.chance(0.4)) opts.push(...(this.chance(0.7) ? this.expireOption() : [c(this.pick(['PERSIST', 'NX', 'KEEPTTL', 'EX']))]));
        return exact(c('GETEX'), k(), ...opts);
      }
      case 'mget': return exact(c('MGET'), ...this.keys(1, 5));
      case 'mset': case 'msetnx': {
        const args = this.keys(1, 3).flatMap((key) => [key, this.value()]);
        if (this.chance(0.1)) args.pop(); // odd count: wrong number of arguments
        return exact(c(x.toUpperCase()), ...args);
      }
      case 'append': return exact(c('APPEND'), k(), this.pick([...VALUES.slice(-8), '1', '23', '']));
      case 'getrange': case 'substr': return exact(c(x.toUpperCase()), k(), this.int(), this.int());
      case 'setrange':
        // offsets stay small, or large enough to be refused before any allocation
        return exact(c('SETRANGE'), k(), this.pick(['0', '1', '3', '44', '45', '100', '-1', 'x', '01', '536870912', '9223372036854775807']), this.pick(['', 'ab', '\x00', 'x'.repeat(50), '7']));
      case 'incrby': case 'decrby': return exact(c(x.toUpperCase()), k(), this.int());
      case 'incrbyfloat': return exact(c('INCRBYFLOAT'), k(), this.pick(FLOATS));
      case 'del': case 'unlink': case 'exists': case 'touch': return exact(c(x.toUpperCase()), ...this.keys(1, 4));
      case 'expire': return this.relativeExpire(c('EXPIRE'), k(), this.pick(EX_SECONDS), this.expireFlags());
      case 'pexpire': return this.relativeExpire(c('PEXPIRE'), k(), this.pick(PX_MS), this.expireFlags());
      case 'expireat': return exact(c('EXPIREAT'), k(), this.pick(EXAT_SECONDS), ...this.expireFlags());
      case 'pexpireat': return exact(c('PEXPIREAT'), k(), this.pick(PXAT_MS), ...this.expireFlags());
      // TTL rounds to seconds; times relative to "now" are read a few ms apart on the two servers
      case 'ttl': case 'expiretime': return { cmd: [c(x.toUpperCase()), k()], check: 'ttl', tol: 1 };
      case 'pttl': case 'pexpiretime': return { cmd: [c(x.toUpperCase()), k()], check: 'ttl', tol: 1000 };
      // KEYS walks the hash table: the order is the implementation's
      case 'keys': return { cmd: [c('KEYS'), this.pick(PATTERNS)], check: 'sortedKeys' };
      case 'scan': {
        // SCAN cursors are the implementation's: COUNT 1000 covers the key space in one call
        if (this.chance(0.3)) return exact(c('SCAN'), this.pick(['x', '-1', '18446744073709551616', '0']), ...this.pick([['COUNT', '0'], ['COUNT', 'x'], ['MATCH'], ['FOO', '1'], ['COUNT', '-1']]));
        const opts = ['COUNT', '1000'];
        if (this.chance(0.5)) opts.push(c('MATCH'), this.pick(PATTERNS));
        if (this.chance(0.3)) opts.push(c('TYPE'), this.pick(['string', 'STRING', 'list', 'foo']));
        return { cmd: [c('SCAN'), '0', ...opts], check: 'scan' };
      }
      case 'rename': case 'renamenx': return exact(c(x.toUpperCase()), k(), k());
      case 'move': return exact(c('MOVE'), k(), this.pick(DBS));
      case 'copy': {
        const opts: string[] = [];
        if (this.chance(0.4)) opts.push(c('DB'), this.pick(DBS));
        if (this.chance(0.4)) opts.push(c('REPLACE'));
        if (this.chance(0.1)) opts.push(this.pick(['FOO', 'DB']));
        return exact(c('COPY'), k(), k(), ...opts);
      }
      // RANDOMKEY picks a key at random
      case 'randomkey': return { cmd: [c('RANDOMKEY')], check: 'randomKey' };
      case 'dbsize': return exact(c('DBSIZE'));
      case 'flushdb': return this.chance(0.3) ? exact(c('FLUSHDB'), ...(this.chance(0.5) ? [this.pick(['ASYNC', 'sync', 'foo'])] : [])) : exact(c('DBSIZE'));
      case 'swapdb': return exact(c('SWAPDB'), this.pick(DBS.slice(0, 3)), this.pick(DBS));
      case 'select': return exact(c('SELECT'), this.pick(['0', '0', '0', '1', '2', '16', '-1', 'x']));
      case 'object': {
        const sub = this.pick(['ENCODING', 'ENCODING', 'REFCOUNT', 'IDLETIME', 'FREQ', 'HELP', 'FOO']);
        if (sub === 'HELP') return exact(c('OBJECT'), c(sub));
        // access clocks: the idle time and the LFU counter are not comparable
        const check: Check = sub === 'IDLETIME' || sub === 'FREQ' ? 'anyInt' : 'exact';
        return { cmd: [c('OBJECT'), c(sub), k(), ...(this.chance(0.05) ? ['extra'] : [])], check };
      }
      case 'arity': {
        // a command with one argument too few or too many
        const name = this.pick(['GET', 'SET', 'SETEX', 'GETRANGE', 'INCRBY', 'RENAME', 'TTL', 'OBJECT', 'SWAPDB', 'DBSIZE', 'STRLEN']);
        return exact(c(name), ...this.keys(0, 1));
      }
      default: return exact(c('ECHO'), this.value());
    }
  }

  /** A sequence of `n` steps: sometimes in RESP3, ending with a read of every key's state. */
  sequence(n: number): FuzzStep[] {
    const out: FuzzStep[] = [];
    // HELLO's reply carries the server's id and version: switch protocols without comparing it
    if (this.chance(0.25)) out.push({ cmd: ['HELLO', '3'], check: 'ignore' });
    for (let i = 0; i < n; i++) {
      const step = this.step();
      if (step.cmd[0]!.toUpperCase() === 'DBSIZE' && step.cmd.length === 1) out.push(EXPIRE_ALL);
      out.push(step);
    }
    out.push(...finalChecks());
    return out;
  }
}

/**
 * DBSIZE counts keys whose time has passed until something expires them, and the active expiry
 * cycles of the two servers run at different moments: a full SCAN first removes them on both.
 */
const EXPIRE_ALL: FuzzStep = { cmd: ['SCAN', '0', 'COUNT', '1000'], check: 'scan' };

/** Reads every key's state in the databases the grammar touches. */
export function finalChecks(): FuzzStep[] {
  const out: FuzzStep[] = [];
  for (const db of ['0', '1', '2']) {
    out.push({ cmd: ['SELECT', db], check: 'exact' }, EXPIRE_ALL, { cmd: ['DBSIZE'], check: 'exact' }, { cmd: ['KEYS', '*'], check: 'sortedKeys' });
    for (const key of KEYS) {
      out.push({ cmd: ['GET', key], check: 'exact' }, { cmd: ['OBJECT', 'ENCODING', key], check: 'exact' }, { cmd: ['PTTL', key], check: 'ttl', tol: 1000 });
    }
  }
  return out;
}

/**
 * Compares two raw replies under `step.check`; returns null when they agree, else a description.
 */
export function compareReplies(step: FuzzStep, got: string, want: string): string | null {
  const differ = () => `got ${JSON.stringify(got.slice(0, 300))}, want ${JSON.stringify(want.slice(0, 300))}`;
  switch (step.check) {
    case 'ignore':
      return null;
    case 'exact':
      return got === want ? null : differ();
    case 'ttl': {
      if (/^:-?\d+\r\n$/.test(got) && /^:-?\d+\r\n$/.test(want)) {
        const a = BigInt(got.slice(1, -2));
        const b = BigInt(want.slice(1, -2));
        // -1 and -2 are states, not times
        if (a < 0n || b < 0n) return a === b ? null : differ();
        // kv-server holds expire times as doubles: beyond 2^53 ms (year 287,000) they are rounded
        // (an intended difference, docs/compatibility.md)
        const tol = BigInt(step.tol ?? 0) + (a > 2n ** 53n || b > 2n ** 53n ? 10000n : 0n);
        const d = a > b ? a - b : b - a;
        return d <= tol ? null : differ();
      }
      return got === want ? null : differ();
    }
    case 'sortedKeys': {
      const a = decodeReply(got);
      const b = decodeReply(want);
      if (!Array.isArray(a) || !Array.isArray(b)) return got === want ? null : differ();
      if (got[0] !== want[0]) return differ();
      return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort()) ? null : differ();
    }
    case 'scan': {
      const a = decodeReply(got);
      const b = decodeReply(want);
      if (!Array.isArray(a) || !Array.isArray(b)) return got === want ? null : differ();
      const norm = (r: Decoded[]) => JSON.stringify([r[0], [...(r[1] as Decoded[])].sort()]);
      return norm(a) === norm(b) ? null : differ();
    }
    case 'randomKey': {
      const kind = (r: string) => (r === '$-1\r\n' || r === '_\r\n' ? r : r[0] === '$' ? 'a key' : r);
      return kind(got) === kind(want) ? null : differ();
    }
    case 'anyInt': {
      const kind = (r: string) => (r[0] === ':' ? 'an integer' : r);
      return kind(got) === kind(want) ? null : differ();
    }
  }
}

/** A step as a readable command line. */
export function showStep(step: FuzzStep): string {
  return step.cmd.map((a) => (/^[\x21-\x7e]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}
