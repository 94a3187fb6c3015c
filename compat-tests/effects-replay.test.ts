/*
 * Replay equivalence of the effects stream: random command sequences (the fuzz grammar) run
 * against one server while its effects stream is recorded, each effect with the (fake) clock's
 * time; the stream is then replayed into a fresh server, its clock set to each effect's time as
 * the append-only file or a replica would see it (SELECT before an effect when the database
 * changes); finally both datasets — keys, types, values and absolute expire times — must be equal.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../src/engine/clock.js';
import { Grammar, rng } from './fuzz-grammar.js';
import { RawClient, decodeReply, encodeCommand, startKv } from './harness.js';

interface Recorded {
  db: number;
  argv: string[];
  at: number;
}

const KEYS = ['k0', 'k1', 'k2', 'k3', '', '\x00\xff\r\n'];
const DBS = ['0', '1', '2', '15'];
/** how far the clock moves between two steps: mostly not at all, sometimes past the grammar's TTLs */
const STEPS_MS = [0, 0, 0, 1, 7, 999, 60_000, 150_000, 2_000_000, 60_000_000];

/** Everything the dataset holds for the grammar's keys, read at the clock's time. */
async function snapshot(c: RawClient): Promise<string[]> {
  const out: string[] = [];
  for (const db of DBS) {
    await c.call('SELECT', db);
    out.push(`db${db} keys=${JSON.stringify((decodeReply(await c.call('KEYS', '*')) as string[]).sort())}`);
    for (const key of KEYS) {
      const type = await c.call('TYPE', key);
      const value = type === '+string\r\n' ? await c.call('GET', key) : '';
      out.push(`db${db} ${JSON.stringify(key)} ${type.trim()} ${JSON.stringify(value)} ${(await c.call('PEXPIRETIME', key)).trim()}`);
    }
  }
  return out;
}

async function runSeed(seed: number, steps: number): Promise<void> {
  const start = 1_700_000_000_000;
  const clock = new FakeClock(start);
  const kv = await startKv({}, clock);
  const recorded: Recorded[] = [];
  kv.context.effects = (db, argv) => recorded.push({ db, argv: [...argv], at: clock.ms });
  const replayClock = new FakeClock(start);
  const fresh = await startKv({}, replayClock);
  try {
    const c = await RawClient.connect(kv.port);
    const r = rng(seed ^ 0x5eed);
    const grammar = new Grammar(seed);
    for (const step of grammar.sequence(steps)) {
      clock.advance(STEPS_MS[Math.floor(r() * STEPS_MS.length)]!);
      c.write(encodeCommand(step.cmd));
      await c.readReply();
    }
    const want = await snapshot(c);
    c.close();

    const replay = await RawClient.connect(fresh.port);
    let db = 0;
    for (const e of recorded) {
      replayClock.ms = e.at;
      if (e.db !== db) {
        assert.is(await replay.call('SELECT', String(e.db)), '+OK\r\n');
        db = e.db;
      }
      const reply = await replay.call(...e.argv);
      assert.not.ok(reply.startsWith('-'), `seed ${seed}: replaying ${JSON.stringify(e.argv)} failed: ${reply}`);
    }
    replayClock.ms = clock.ms;
    const got = await snapshot(replay);
    replay.close();
    const diff = got.map((line, i) => (line === want[i] ? null : `replayed: ${line}\n original: ${want[i]}`)).filter(Boolean);
    assert.equal(diff, [], `seed ${seed}: ${recorded.length} effects replayed, first differences:\n${diff.slice(0, 5).join('\n')}\nstream: ${JSON.stringify(recorded.slice(-30).map((e) => [e.db, ...e.argv]))}`);
  } finally {
    await kv.stop();
    await fresh.stop();
  }
}

test('the effects stream replayed into a fresh server reproduces the dataset', async () => {
  for (let seed = 1; seed <= 25; seed++) await runSeed(seed, 150);
});

test('a relative expiry is propagated as an absolute time', async () => {
  const clock = new FakeClock(1_700_000_000_000);
  const kv = await startKv({}, clock);
  const recorded: string[][] = [];
  kv.context.effects = (_db, argv) => recorded.push([...argv]);
  try {
    const c = await RawClient.connect(kv.port);
    await c.call('SET', 'a', 'v', 'EX', '100');
    await c.call('EXPIRE', 'a', '200');
    await c.call('SETEX', 'b', '10', 'v');
    await c.call('GET', 'a');
    c.close();
    assert.equal(recorded, [
      ['SET', 'a', 'v', 'PXAT', String(1_700_000_100_000)],
      ['PEXPIREAT', 'a', String(1_700_000_200_000)],
      ['SET', 'b', 'v', 'PXAT', String(1_700_000_010_000)],
    ]);
  } finally {
    await kv.stop();
  }
});

test.run();
