/*
 * The server cron, after Redis's serverCron: runs `hz` times a second. Each run gives the active
 * expiry cycle its time budget and keeps client-side caching's tracking table within its limit;
 * once a second it closes clients idle past `timeout` and saves the dataset when a `save` point
 * is due.
 */
import { performance } from 'node:perf_hooks';
import type { ServerContext } from '../core/server-context.js';
import { systemClock } from '../engine/clock.js';
import { ActiveExpiry } from '../engine/expiry.js';
import { savePointDue } from '../core/persistence.js';
import { saveAll } from '../commands/persistence.js';

/** Share of each 1000/hz ms period the active expiry cycle may use (Redis: 25%). */
const EXPIRE_CYCLE_SHARE = 0.25;

export class ServerCron {
  private timer: NodeJS.Timeout | null = null;
  private readonly expiry: ActiveExpiry;
  private lastClientsCheck = 0;

  constructor(private readonly context: ServerContext) {
    // the budget is measured in real time even when a test drives expiry with a fake clock
    this.expiry = new ActiveExpiry(context.keyspace, systemClock);
  }

  start(): void {
    const period = 1000 / this.context.config.int('hz');
    const due = performance.now() + period;
    this.timer = setTimeout(() => {
      // how late this run is: the event loop was held (a long command, garbage collection…)
      const stall = performance.now() - due;
      if (stall >= 1) this.context.latency.offer('event-loop', stall, this.context.clock.now());
      this.run(this.context.clock.now(), period);
      this.start();
    }, period);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One cron run at time `now`, for a period of `periodMs`. */
  run(now: number, periodMs: number): void {
    if (this.context.cronPaused) return;
    if (this.context.activeExpire) {
      const r = this.expiry.run(now, periodMs * EXPIRE_CYCLE_SHARE);
      this.context.stats.expiredKeysActive += r.expired;
    }
    if (this.context.tracking.overLimit) this.context.tracking.limitTable();
    this.context.replication.cron(now);
    this.context.aof.cron(now);
    if (now - this.lastClientsCheck >= 1000) {
      this.lastClientsCheck = now;
      this.closeIdleClients(now);
      if (savePointDue(this.context, Math.floor(now / 1000))) saveAll(this.context);
    }
  }

  /** Closes clients idle for more than `timeout` seconds (0: never). MONITOR clients, clients
   *  blocked by BLPOP and friends and subscribed clients are exempt, as in Redis. */
  private closeIdleClients(now: number): void {
    const timeout = this.context.config.int('timeout');
    if (timeout === 0) return;
    for (const c of this.context.clients.values()) {
      if (c.monitor || c.blockedBy !== null || c.subscriptions !== null || now - c.lastInteraction <= timeout * 1000) continue;
      this.context.log.verbose(`Closing idle client id=${c.id} addr=${c.conn.addr}`);
      c.conn.close();
    }
  }
}
