/*
 * A seeded differential fuzzer for the list family: random pipelined sequences of list commands
 * (valid and invalid arguments, edge-case integers, binary and empty elements, a small key space
 * with a string key among the lists, blocking commands with short timeouts) go to kv-server and
 * to a real redis-server after FLUSHALL, half of them in RESP3, and every reply must be equal byte
 * for byte. FUZZ_SEED and FUZZ_LIST_COMMANDS change the run; a mismatch prints the sequence.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeCommand, RawClient, startKv, startRedis, type RealRedis } from './harness.js';
import { INTS, rng } from './fuzz-grammar.js';
import type { RunningServer } from '../src/server/app.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const COMMANDS = Number(process.env.FUZZ_LIST_COMMANDS ?? 3000);
const SEQUENCE_LENGTH = 40;

const KEYS = ['l0', 'l1', 'l2', 's', '\x00\xff'];
const ELEMENTS = ['a', 'b', 'c', '', '1', '-1', '128', '\x00\xff\r\n', 'x'.repeat(70), '9223372036854775807'];
const SMALL = ['0', '1', '2', '3', '-1', '-2', '-3', '5', '10', '-10', '100'];

class ListGrammar {
  constructor(private readonly rnd: () => number) {}
  private int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  private pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  private chance(p: number): boolean {
    return this.rnd() < p;
  }
  private key(): string {
    return this.pick(KEYS);
  }
  private index(): string {
    return this.chance(0.85) ? this.pick(SMALL) : this.pick(INTS);
  }
  private elements(min: number, max: number): string[] {
    return Array.from({ length: min + this.int(max - min + 1) }, () => this.pick(ELEMENTS));
  }
  private where(): string {
    return this.chance(0.95) ? this.pick(['LEFT', 'RIGHT', 'left', 'Right']) : this.pick(['UP', '']);
  }
  private timeout(): string {
    return this.chance(0.9) ? '0.01' : this.pick(['-1', 'x', 'inf', 'nan', '']);
  }

  command(): string[] {
    const k = () => this.key();
    switch (this.int(24)) {
      case 0: case 1: case 2: return ['RPUSH', k(), ...this.elements(1, 4)];
      case 3: case 4: return ['LPUSH', k(), ...this.elements(1, 4)];
      case 5: return [this.pick(['LPUSHX', 'RPUSHX']), k(), ...this.elements(1, 3)];
      case 6: return this.chance(0.5) ? [this.pick(['LPOP', 'RPOP']), k()] : [this.pick(['LPOP', 'RPOP']), k(), this.index()];
      case 7: return ['LLEN', k()];
      case 8: case 9: return ['LRANGE', k(), this.index(), this.index()];
      case 10: return ['LINDEX', k(), this.index()];
      case 11: return ['LSET', k(), this.index(), this.pick(ELEMENTS)];
      case 12: return ['LINSERT', k(), this.chance(0.95) ? this.pick(['BEFORE', 'after']) : 'MIDDLE', this.pick(ELEMENTS), this.pick(ELEMENTS)];
      case 13: return ['LREM', k(), this.index(), this.pick(ELEMENTS)];
      case 14: return ['LTRIM', k(), this.index(), this.index()];
      case 15: {
        const opts: string[] = [];
        while (this.chance(0.5)) opts.push(this.pick(['RANK', 'COUNT', 'MAXLEN', 'rank', 'FOO']), this.index());
        if (this.chance(0.05)) opts.push('COUNT');
        return ['LPOS', k(), this.pick(ELEMENTS), ...opts];
      }
      case 16: return ['LMOVE', k(), k(), this.where(), this.where()];
      case 17: return ['RPOPLPUSH', k(), k()];
      case 18: {
        const keys = this.chance(0.5) ? [k()] : [k(), k()];
        const numkeys = this.chance(0.9) ? String(keys.length) : this.pick(['0', '-1', '3', 'x']);
        const count = this.chance(0.5) ? [] : ['COUNT', this.index()];
        return this.chance(0.5) ? ['LMPOP', numkeys, ...keys, this.where(), ...count] : ['BLMPOP', this.timeout(), numkeys, ...keys, this.where(), ...count];
      }
      case 19: return [this.pick(['BLPOP', 'BRPOP']), ...(this.chance(0.5) ? [k()] : [k(), k()]), this.timeout()];
      case 20: return this.chance(0.5) ? ['BLMOVE', k(), k(), this.where(), this.where(), this.timeout()] : ['BRPOPLPUSH', k(), k(), this.timeout()];
      case 21: return this.chance(0.5) ? ['SET', 's', 'string'] : ['DEL', k()];
      case 22: return [this.pick(['TYPE', 'EXISTS']), k()];
      default: return ['LRANGE', k(), '0', '-1'];
    }
  }
}

const s = suite('differential fuzzer: list commands');
let kv: RunningServer;
let redis: RealRedis | null = null;
s.before(async () => {
  kv = await startKv();
  redis = await startRedis();
});
s.after(async () => {
  await kv?.stop();
  await redis?.stop();
});

/** Sends `cmds` pipelined on a fresh connection after FLUSHALL; returns the raw replies. */
async function replies(port: number, cmds: string[][], resp3: boolean): Promise<string[]> {
  const c = await RawClient.connect(port);
  try {
    await c.call('FLUSHALL');
    if (resp3) await c.call('HELLO', '3');
    c.write(Buffer.concat(cmds.map((cmd) => encodeCommand(cmd))));
    const out: string[] = [];
    for (let i = 0; i < cmds.length; i++) out.push(await c.readReply());
    return out;
  } finally {
    c.close();
  }
}

s(`${COMMANDS} commands, seed ${SEED}`, async () => {
  if (!redis) return;
  const grammar = new ListGrammar(rng(SEED));
  for (let done = 0, seq = 0; done < COMMANDS; done += SEQUENCE_LENGTH, seq++) {
    const cmds = Array.from({ length: SEQUENCE_LENGTH }, () => grammar.command());
    const resp3 = seq % 2 === 1;
    const [ours, theirs] = await Promise.all([replies(kv.port, cmds, resp3), replies(redis.port, cmds, resp3)]);
    for (let i = 0; i < cmds.length; i++) {
      if (ours[i] !== theirs[i]) {
        const shown = cmds.slice(0, i + 1).map((c) => JSON.stringify(c)).join('\n  ');
        assert.unreachable(`seed ${SEED} sequence ${seq}${resp3 ? ' (RESP3)' : ''}, step ${i}:\n  ${shown}\nours ${JSON.stringify(ours[i])}\nredis ${JSON.stringify(theirs[i])}`);
      }
    }
  }
});

s.run();
