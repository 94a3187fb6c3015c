/*
 * Differential runs with several connections per server: what one client does to another
 * (WATCH invalidated by a write from elsewhere, messages published to a subscriber, tracking
 * invalidations). Each step runs on connection `c` (0 by default) of both servers; its raw
 * replies must be equal. A step either sends `cmd` and reads its `replies` (1 by default), or
 * `read`s one reply that arrives unasked (a message), or checks that `none` is waiting.
 * An argument `$ID<n>` is replaced by the client id of connection n on that server (ids differ
 * between the two servers: CLIENT TRACKING … REDIRECT, CLIENT KILL ID).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeCommand, RawClient, startKv, startRedis, type RealRedis } from './harness.js';
import type { RunningServer } from '../src/server/app.js';

export interface ClientStep {
  /** which connection (0…clients-1) */
  c?: number;
  cmd?: Array<string | Buffer>;
  /** replies the command answers with (SUBSCRIBE a b: 2); 0 for none */
  replies?: number;
  /** read one reply without sending anything */
  read?: boolean;
  /** check that nothing is waiting on this connection (after a short pause) */
  none?: boolean;
  /** milliseconds to wait after this step on both sides */
  sleepAfter?: number;
  /** maps the raw replies to a comparable form (say in a comment why it is needed) */
  normalize?: (raw: string) => string;
}

export type ClientScript = Array<ClientStep | Array<string | Buffer>>;

/** Reads n replies; a missing one fails the step (both servers silent is not a match: use `none`). */
async function readN(c: RawClient, n: number): Promise<string> {
  let out = '';
  for (let i = 0; i < n; i++) out += await c.readReply(3000).catch((e: Error) => `<missing reply: ${e.message.slice(0, 60)}>`);
  return out;
}

async function nothingWaiting(c: RawClient): Promise<string> {
  return c.readReply(60).then((r) => `unexpected ${JSON.stringify(r)}`, () => 'none');
}

/** Registers one uvu suite: each case runs its steps on `clients` connections to each server. */
export function clientsDifferentialSuite(
  name: string,
  cases: Record<string, ClientScript>,
  opts: { clients?: number; settings?: Record<string, string> } = {},
): void {
  const s = suite(name);
  let kv: RunningServer;
  let redis: RealRedis | null = null;
  const n = opts.clients ?? 3;
  s.before(async () => {
    kv = await startKv(opts.settings ?? {});
    redis = await startRedis(opts.settings ?? {});
  });
  s.after(async () => {
    await kv?.stop();
    await redis?.stop();
  });
  for (const [title, script] of Object.entries(cases)) {
    s(title, async () => {
      if (!redis) return;
      const ours: RawClient[] = [];
      const theirs: RawClient[] = [];
      try {
        for (let i = 0; i < n; i++) {
          ours.push(await RawClient.connect(kv.port));
          theirs.push(await RawClient.connect(redis.port));
        }
        if (opts.settings?.requirepass) {
          for (const c of [...ours, ...theirs]) await c.call('AUTH', opts.settings.requirepass);
        }
        const ids = async (conns: RawClient[]) => Promise.all(conns.map(async (c) => /:(\d+)/.exec(await c.call('CLIENT', 'ID'))![1]!));
        const ourIds = await ids(ours);
        const theirIds = await ids(theirs);
        const withIds = (cmd: Array<string | Buffer>, idList: string[]) =>
          cmd.map((a) => (typeof a === 'string' && /^\$ID\d$/.test(a) ? idList[Number(a[3])]! : a));
        await ours[0]!.call('FLUSHALL');
        await theirs[0]!.call('FLUSHALL');
        for (const [i, raw] of script.entries()) {
          const step: ClientStep = Array.isArray(raw) ? { cmd: raw } : raw;
          const k = step.c ?? 0;
          const norm = step.normalize ?? ((x: string) => x);
          const one = async (c: RawClient, idList: string[]): Promise<string> => {
            if (step.none) return nothingWaiting(c);
            if (step.read) return readN(c, 1);
            c.write(encodeCommand(withIds(step.cmd!, idList)));
            return readN(c, step.replies ?? 1);
          };
          const [got, want] = await Promise.all([one(ours[k]!, ourIds), one(theirs[k]!, theirIds)]);
          const label = `#${i} c${k} ` + (step.cmd ? step.cmd.map((x) => (typeof x === 'string' ? x : `<${x.length} bytes>`)).join(' ').slice(0, 160) : step.read ? 'read' : 'none');
          assert.not.ok(want.includes('<missing reply'), `${title}: ${label}: redis-server did not answer: ${want}`);
          assert.is(JSON.stringify(norm(got)), JSON.stringify(norm(want)), `${title}: ${label}`);
          if (step.sleepAfter) await new Promise((r) => setTimeout(r, step.sleepAfter));
        }
      } finally {
        for (const c of [...ours, ...theirs]) c.close();
      }
    });
  }
  s.run();
}
