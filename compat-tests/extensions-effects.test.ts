/*
 * Replay equivalence for CAS, versions and locks (as effects-replay.test.ts for Redis's commands,
 * whose fuzz grammar is shared with the differential fuzzer against Redis 7.0 and so cannot hold
 * these): seeded random sequences of CAS, SET IF*, DELEX, DELIFEQ, MSETEX, KV.SETV, KV.IFVERSION,
 * KV.LOCK/RENEW/UNLOCK mixed with ordinary writes and clock jumps run against one server while its
 * effects stream is recorded; the stream replayed into a fresh server (its clock set to each
 * effect's time) must give the same keys, types, values and absolute expire times.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../src/engine/clock.js';
import { rng } from './fuzz-grammar.js';
import { RawClient, decodeReply, encodeCommand, startKv } from './harness.js';

const KEYS = ['a', 'b', 'c', 'h', 'l'];
const VALUES = ['x', 'y', '1', '', 'owner-1', 'owner-2'];
const DIGESTS = ['2d06800538d394c2', 'B6ACB9D84A38FF74', '0000000000000000'];
const STEPS_MS = [0, 0, 1, 50, 999, 5000, 120_000];

async function snapshot(c: RawClient): Promise<string[]> {
  const out: string[] = [JSON.stringify((decodeReply(await c.call('KEYS', '*')) as string[]).sort())];
  for (const key of KEYS) {
    const type = (await c.call('TYPE', key)).trim();
    let value = '';
    if (type === '+string') value = await c.call('GET', key);
    else if (type === '+hash') value = JSON.stringify(((decodeReply(await c.call('HGETALL', key)) as string[]) ?? []).join(','));
    else if (type === '+list') value = await c.call('LRANGE', key, '0', '-1');
    out.push(`${key} ${type} ${JSON.stringify(value)} ${(await c.call('PEXPIRETIME', key)).trim()}`);
  }
  return out;
}

function generator(seed: number): (lastVersion: string) => string[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const key = () => pick(KEYS);
  const val = () => pick(VALUES);
  const expiry = (): string[] => pick([[], [], ['EX', '100'], ['PX', '1500'], ['KEEPTTL'], ['PXAT', String(1_700_000_000_000 + Math.floor(r() * 400_000))]]);
  return (lastVersion) => {
    const version = pick([lastVersion, '0', '1', lastVersion]);
    const k = key();
    const choices: Array<() => string[]> = [
      () => ['SET', k, val(), ...expiry()],
      () => ['HSET', 'h', val(), val()],
      () => ['RPUSH', 'l', val()],
      () => ['DEL', k],
      () => ['PEXPIRE', k, pick(['10', '2000', '100000'])],
      () => ['CAS', k, val(), val(), ...expiry()],
      () => ['SET', k, val(), pick(['IFEQ', 'IFNE']), val(), ...expiry()],
      () => ['SET', k, val(), pick(['IFDEQ', 'IFDNE']), pick(DIGESTS), ...pick([[], ['GET']])],
      () => ['DELEX', k, ...pick([[], ['IFEQ', val()], ['IFNE', val()], ['IFDNE', pick(DIGESTS)]])],
      () => ['DELIFEQ', k, val()],
      () => ['MSETEX', '2', k, val(), key(), val(), ...pick([[], ['NX'], ['XX']]), ...expiry().filter((x) => x !== 'KEEPTTL')],
      () => ['KV.SETV', k, val(), ...pick([[], ['IFVERSION', version]]), ...expiry()],
      () => ['KV.VERSION', k],
      () => ['KV.IFVERSION', k, version, ...pick([['SET', k, val(), ...expiry()], ['DEL', k], ['PEXPIRE', k, '700']])],
      () => ['KV.IFVERSION', 'h', version, 'HSET', 'h', val(), val()],
      () => ['KV.LOCK', k, pick(['owner-1', 'owner-2']), pick(['100', '3000'])],
      () => ['KV.RENEW', k, pick(['owner-1', 'owner-2']), pick(['100', '3000'])],
      () => ['KV.UNLOCK', k, pick(['owner-1', 'owner-2'])],
    ];
    return pick(choices)();
  };
}

async function runSeed(seed: number, steps: number): Promise<number> {
  const start = 1_700_000_000_000;
  const clock = new FakeClock(start);
  const kv = await startKv({}, clock);
  const recorded: Array<{ argv: string[]; at: number }> = [];
  kv.context.effects = (_db, argv) => recorded.push({ argv: [...argv], at: clock.ms });
  const replayClock = new FakeClock(start);
  const fresh = await startKv({}, replayClock);
  try {
    const c = await RawClient.connect(kv.port);
    const r = rng(seed ^ 0xabc);
    const next = generator(seed);
    let lastVersion = '0';
    const seen = new Set<string>();
    for (let i = 0; i < steps; i++) {
      clock.advance(STEPS_MS[Math.floor(r() * STEPS_MS.length)]!);
      const cmd = next(lastVersion);
      c.write(encodeCommand(cmd));
      const reply = await c.readReply();
      if (!reply.startsWith('-')) seen.add(cmd[0]!);
      if (cmd[0] === 'KV.VERSION' || (cmd[0] === 'KV.SETV' && reply.startsWith(':'))) lastVersion = reply.slice(1, -2);
    }
    const want = await snapshot(c);
    c.close();
    const replay = await RawClient.connect(fresh.port);
    for (const e of recorded) {
      replayClock.ms = e.at;
      const reply = await replay.call(...e.argv);
      assert.not.ok(reply.startsWith('-'), `seed ${seed}: replaying ${JSON.stringify(e.argv)} failed: ${reply}`);
    }
    replayClock.ms = clock.ms;
    const got = await snapshot(replay);
    replay.close();
    assert.equal(got, want, `seed ${seed}: stream ${JSON.stringify(recorded.slice(-20).map((e) => e.argv))}`);
    return seen.size;
  } finally {
    await kv.stop();
    await fresh.stop();
  }
}

test('the effects of CAS, versions and locks replay to the same dataset', async () => {
  let kinds = 0;
  for (let seed = 1; seed <= 20; seed++) kinds = Math.max(kinds, await runSeed(seed, 200));
  // the sequences really exercise the commands (most kinds succeed at least once in a seed)
  assert.ok(kinds >= 12, `only ${kinds} command kinds succeeded`);
});

test.run();
