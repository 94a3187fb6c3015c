/*
 * A seeded differential fuzzer: random sequences of string and keyspace commands (fuzz-grammar.ts)
 * go to kv-server and to a real redis-server, pipelined on fresh connections after FLUSHALL, and
 * every reply is compared (raw bytes, except where the grammar marks a reply nondeterministic).
 *
 * The default seed is fixed so that CI is deterministic. For longer local runs:
 *   FUZZ_SEED=123 FUZZ_COMMANDS=50000 node --import tsx compat-tests/fuzz-differential.test.ts
 * On a mismatch the test prints the seed, the sequence number and a minimal failing sequence
 * (greedy removal of steps while the last reply still differs).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeCommand, RawClient, startKv, startRedis, type RealRedis } from './harness.js';
import { compareReplies, Grammar, showStep, type FuzzStep } from './fuzz-grammar.js';
import type { RunningServer } from '../src/server/app.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const COMMANDS = Number(process.env.FUZZ_COMMANDS ?? 10000);
const SEQUENCE_LENGTH = 30;

const test = suite('differential fuzzer: string and keyspace commands');
let kv: RunningServer;
let redis: RealRedis | null = null;
test.before(async () => {
  kv = await startKv();
  redis = await startRedis();
});
test.after(async () => {
  await kv?.stop();
  await redis?.stop();
});

/** Sends `steps` pipelined on a fresh connection after FLUSHALL; returns the raw replies. */
async function replies(port: number, steps: FuzzStep[]): Promise<string[]> {
  const c = await RawClient.connect(port);
  try {
    await c.call('FLUSHALL');
    c.write(Buffer.concat(steps.map((s) => encodeCommand(s.cmd))));
    const out: string[] = [];
    for (let i = 0; i < steps.length; i++) out.push(await c.readReply());
    return out;
  } finally {
    c.close();
  }
}

interface Mismatch {
  index: number;
  detail: string;
}

async function firstMismatch(steps: FuzzStep[]): Promise<Mismatch | null> {
  const [a, b] = await Promise.all([replies(kv.port, steps), replies(redis!.port, steps)]);
  for (let i = 0; i < steps.length; i++) {
    const d = compareReplies(steps[i]!, a[i]!, b[i]!);
    if (d !== null) return { index: i, detail: d };
  }
  return null;
}

/** The shortest prefix ending at the mismatch, then every step removed that is not needed for it. */
async function minimize(steps: FuzzStep[], at: number): Promise<{ steps: FuzzStep[]; detail: string }> {
  let cur = steps.slice(0, at + 1);
  let detail = (await firstMismatch(cur))?.detail ?? '(not reproducible in isolation)';
  for (let i = cur.length - 2; i >= 0; i--) {
    const trial = cur.slice(0, i).concat(cur.slice(i + 1));
    const m = await firstMismatch(trial);
    if (m !== null && m.index === trial.length - 1) {
      cur = trial;
      detail = m.detail;
    }
  }
  return { steps: cur, detail };
}

test(`${COMMANDS} random commands agree with redis-server (seed ${SEED})`, async () => {
  if (!redis) return;
  const g = new Grammar(SEED);
  let sent = 0;
  for (let seq = 0; sent < COMMANDS; seq++) {
    const steps = g.sequence(SEQUENCE_LENGTH);
    sent += SEQUENCE_LENGTH;
    const m = await firstMismatch(steps);
    if (m === null) continue;
    const min = await minimize(steps, m.index);
    const lines = min.steps.map((s, i) => `  ${i === min.steps.length - 1 ? '>' : ' '} ${showStep(s)}`);
    assert.unreachable(
      `FUZZ_SEED=${SEED}, sequence ${seq}: replies differ at ${showStep(steps[m.index]!)}\n` +
        `minimal sequence (after FLUSHALL, on a fresh connection):\n${lines.join('\n')}\n${min.detail}`,
    );
  }
});

test.run();
