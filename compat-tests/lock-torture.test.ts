/*
 * Lock torture: many ioredis clients contend for one KV.LOCK (WAIT: parked, first come first
 * served), hold it for a few milliseconds while checking a shared record of holders, and release
 * it — or "crash": close their connection without releasing, so that only the TTL frees the lock.
 * Half-way the server is stopped and a new kv-server is started on the same port and directory;
 * the clients reconnect on their own. Proven:
 *  - mutual exclusion while TTLs hold: no holder is granted the lock while another holder of the
 *    same server run is inside and its TTL (counted from before it asked) has not run out;
 *  - fencing tokens strictly increase in the order the grants are received, across crashes,
 *    expiries and the restart; a resource that rejects stale tokens rejects the pre-restart holder;
 *  - progress: crashed holders' locks pass on once their TTL runs out (no client waits for long).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { RunningServer } from '../src/server/app.js';
import { startKv } from './harness.js';

const CLIENTS = 10;
const TTL = 300;
const RUN_MS = 7000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Holder {
  epoch: number;
  /** when the holder asked for the lock: its TTL ran out no earlier than this + TTL */
  askedAt: number;
  released: boolean;
}

test('many contending clients, crashes, TTL expiry and a restart: exclusion and increasing tokens', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kv-lock-torture-'));
  let kv: RunningServer = await startKv({ dir });
  const port = kv.port;
  let epoch = 0;
  let restarting = false;
  const holders: Holder[] = [];
  const tokens: Array<{ token: number; epoch: number }> = [];
  const violations: string[] = [];
  const resource = { maxToken: 0, accepted: 0, rejected: 0 };
  let crashes = 0;
  let acquisitions = 0;
  let longestWait = 0;
  let timeouts = 0;
  const started = Date.now();
  const deadline = started + RUN_MS;

  const connect = () =>
    new Redis(port, '127.0.0.1', { retryStrategy: () => 20, maxRetriesPerRequest: null, enableOfflineQueue: true });

  async function worker(id: number): Promise<void> {
    let r = connect();
    let n = 0;
    while (Date.now() < deadline) {
      const owner = `c${id}-${n++}`;
      const askedAt = Date.now();
      const askedEpoch = epoch;
      let token: number | null;
      try {
        token = (await r.call('KV.LOCK', 'resource', owner, String(TTL), 'WAIT', '3000')) as number | null;
      } catch {
        await sleep(10);
        continue;
      }
      const now = Date.now();
      if (askedEpoch !== epoch || restarting) {
        // asked of the server that went away (ioredis resent it to the new one): give it back
        if (token !== null) await r.call('KV.UNLOCK', 'resource', owner).catch(() => 0);
        continue;
      }
      longestWait = Math.max(longestWait, now - askedAt);
      if (token === null) {
        timeouts++;
        continue;
      }
      acquisitions++;
      const mine: Holder = { epoch, askedAt, released: false };
      for (const h of holders) {
        if (h.epoch === epoch && !h.released && now < h.askedAt + TTL) {
          violations.push(`${owner} granted at +${now - started} ms while a holder asked at +${h.askedAt - started} ms holds it`);
        }
      }
      const last = tokens[tokens.length - 1];
      if (last !== undefined && token <= last.token) violations.push(`token ${token} after ${last.token}`);
      tokens.push({ token, epoch });
      holders.push(mine);
      if (holders.length > 200) holders.splice(0, 100);
      // the protected resource takes writes only from the newest token
      const write = () => {
        if (token! < resource.maxToken) resource.rejected++;
        else {
          resource.maxToken = token!;
          resource.accepted++;
        }
      };
      write();
      await sleep(1 + Math.floor(Math.random() * 8));
      if (Math.random() < 0.06) {
        // crash: the connection goes away holding the lock; only its TTL frees it
        crashes++;
        r.disconnect();
        r = connect();
        continue;
      }
      write();
      mine.released = true;
      try {
        await r.call('KV.UNLOCK', 'resource', owner);
      } catch {
        /* the server restarted under us */
      }
    }
    r.disconnect();
  }

  // a holder of the first run that is still inside when the server restarts
  const stale = { token: 0 };
  const restart = (async () => {
    await sleep(RUN_MS / 2);
    const r = connect();
    stale.token = (await r.call('KV.LOCK', 'stale-holder', 'old', '60000')) as number;
    r.disconnect();
    restarting = true;
    await kv.stop();
    epoch++;
    kv = await startKv({ dir, port: String(port) });
    restarting = false;
  })();

  await Promise.all([...Array.from({ length: CLIENTS }, (_, i) => worker(i)), restart]);
  await kv.stop();

  const elapsed = Date.now() - started;
  assert.equal(violations, []);
  assert.ok(elapsed < 30_000, `took ${elapsed} ms`);
  assert.ok(crashes >= 3, `only ${crashes} crashes`);
  assert.ok(acquisitions >= 50, `only ${acquisitions} acquisitions`);
  const before = tokens.filter((t) => t.epoch === 0);
  const after = tokens.filter((t) => t.epoch === 1);
  assert.ok(before.length > 10 && after.length > 10, `${before.length} / ${after.length} acquisitions per run`);
  // tokens after the restart exceed every token of the first run, the stale holder's included
  assert.ok(after[0]!.token > Math.max(stale.token, ...before.map((t) => t.token)));
  // the stale holder's write is refused by a resource that saw a newer token
  assert.ok(stale.token < resource.maxToken);
  // a crashed holder's lock passed on within its TTL plus scheduling slack
  assert.is(timeouts, 0, `${timeouts} waits timed out; longest ${longestWait} ms`);
  console.log(`  ${acquisitions} acquisitions, ${crashes} crashes, ${timeouts} timeouts, ${resource.rejected} stale writes refused, longest wait ${longestWait} ms, ${elapsed} ms`);
});

test.run();
