/*
 * A held lock (KvClient.lock): renews itself with KV.RENEW while held, releases with KV.UNLOCK on
 * `release()` or when an `await using` scope ends. `token` is the lock's fencing token: pass it
 * to the resource the lock protects, which rejects tokens lower than one it has seen.
 */
import type { KvClient, LockOptions } from './client.js';

const asyncDispose: typeof Symbol.asyncDispose =
  (Symbol as { asyncDispose?: typeof Symbol.asyncDispose }).asyncDispose ?? (Symbol.for('Symbol.asyncDispose') as typeof Symbol.asyncDispose);

export class LockHolder implements AsyncDisposable {
  /** a renewal found the lock gone or held by another owner (its TTL ran out) */
  lost = false;
  /** how many renewals succeeded */
  renewals = 0;
  private released = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly client: KvClient,
    readonly key: string,
    readonly owner: string,
    /** the fencing token KV.LOCK returned */
    readonly token: number | bigint,
    private readonly opts: LockOptions,
  ) {
    const every = opts.renewEveryMs ?? Math.max(1, Math.floor(opts.ttlMs / 3));
    this.timer = setInterval(() => void this.renew(), every);
    this.timer.unref();
  }

  /** Renews now (KV.RENEW); false when the lock is no longer this owner's. */
  async renew(): Promise<boolean> {
    if (this.released || this.lost) return false;
    let held: boolean;
    try {
      held = (await this.client.command('KV.RENEW', this.key, this.owner, this.opts.ttlMs)) === 1;
    } catch {
      // a lost connection or a timeout: the next tick tries again (within the TTL)
      return true;
    }
    if (held) {
      this.renewals++;
      return true;
    }
    if (!this.released) {
      this.lost = true;
      clearInterval(this.timer);
      this.opts.onLost?.();
    }
    return false;
  }

  /** Stops renewing and releases the lock (KV.UNLOCK); true when it was still held. */
  async release(): Promise<boolean> {
    if (this.released) return false;
    this.released = true;
    clearInterval(this.timer);
    return (await this.client.command('KV.UNLOCK', this.key, this.owner)) === 1;
  }

  async [asyncDispose](): Promise<void> {
    await this.release();
  }
}
