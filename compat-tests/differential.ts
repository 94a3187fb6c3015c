/*
 * Differential runs: the same command scripts go to kv-server and to a real redis-server, and
 * their raw reply bytes must be equal. Each case gets fresh connections and flushed servers.
 *
 * A step may carry a `normalize` function for replies that are truly nondeterministic (times,
 * ids, addresses); each use must say in a comment why the reply cannot be compared as is.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RawClient, startKv, startRedis, type RealRedis } from './harness.js';
import type { RunningServer } from '../src/server/app.js';

export interface Step {
  cmd: Array<string | Buffer>;
  /** maps a raw reply to a comparable form; both servers' replies go through it */
  normalize?: (raw: string) => string;
  /** integer replies may differ by this much (TTLs tick between the two servers' replies) */
  tolerance?: number;
  /** milliseconds to wait after this step on both sides (for TTL cases; keep it small) */
  sleepAfter?: number;
}

export type Script = Array<Step | Array<string | Buffer>>;

/**
 * Registers one uvu suite whose tests each run a script against both servers.
 * Prints "skipped: redis-server not installed" (and runs nothing) when Redis is missing.
 */
export function differentialSuite(name: string, cases: Record<string, Script>, kvSettings: Record<string, string> = {}, redisSettings: Record<string, string> = {}): void {
  const s = suite(name);
  let kv: RunningServer;
  let redis: RealRedis | null = null;
  s.before(async () => {
    kv = await startKv(kvSettings);
    redis = await startRedis(redisSettings);
  });
  s.after(async () => {
    await kv?.stop();
    await redis?.stop();
  });
  for (const [title, script] of Object.entries(cases)) {
    s(title, async () => {
      if (!redis) return;
      const a = await RawClient.connect(kv.port);
      const b = await RawClient.connect(redis.port);
      try {
        await a.call('FLUSHALL');
        await b.call('FLUSHALL');
        for (const raw of script) {
          const step: Step = Array.isArray(raw) ? { cmd: raw } : raw;
          const norm = step.normalize ?? ((x: string) => x);
          const [got, want] = await Promise.all([a.call(...step.cmd), b.call(...step.cmd)]);
          const label = step.cmd.map((x) => (typeof x === 'string' ? x : `<${x.length} bytes>`)).join(' ').slice(0, 200);
          if (step.tolerance !== undefined && /^:-?\d+\r\n$/.test(got) && /^:-?\d+\r\n$/.test(want)) {
            const diff = Math.abs(Number(got.slice(1, -2)) - Number(want.slice(1, -2)));
            assert.ok(diff <= step.tolerance, `${title}: ${label}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
          } else {
            assert.is(JSON.stringify(norm(got)), JSON.stringify(norm(want)), `${title}: ${label}`);
          }
          if (step.sleepAfter) await new Promise((r) => setTimeout(r, step.sleepAfter));
        }
      } finally {
        a.close();
        b.close();
      }
    });
  }
  s.run();
}
