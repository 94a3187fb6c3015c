/*
 * The latency monitor (LATENCY): events whose duration reached `latency-monitor-threshold` ms
 * (0: off) are sampled per event class, one sample per second (the highest of that second), the
 * last 160 kept, as Redis's latency.c. Classes recorded here:
 *  - `command`, `fast-command`: a command's duration (dispatch.ts), by Redis's `fast` flag;
 *  - `event-loop`: the event loop stalled (the server cron ran that much later than its period:
 *    anything that held the loop, a command or garbage collection) — kv-server's own class.
 */

/** Redis's LATENCY_TS_LEN. */
export const LATENCY_HISTORY_LEN = 160;

export interface LatencySample {
  /** unix time in seconds */
  time: number;
  ms: number;
}

export class LatencyEvent {
  readonly samples: LatencySample[] = [];
  max = 0;

  add(time: number, ms: number): void {
    if (ms > this.max) this.max = ms;
    const last = this.samples[this.samples.length - 1];
    if (last !== undefined && last.time === time) {
      if (ms > last.ms) last.ms = ms;
      return;
    }
    this.samples.push({ time, ms });
    if (this.samples.length > LATENCY_HISTORY_LEN) this.samples.shift();
  }

  get latest(): LatencySample {
    return this.samples[this.samples.length - 1]!;
  }
}

export class LatencyMonitor {
  readonly events = new Map<string, LatencyEvent>();
  /** the live `latency-monitor-threshold` in ms (0: off), kept in step by the server */
  threshold = 0;

  /** Records `ms` for `event` at `nowMs` when the monitor is on and it reaches the threshold. */
  offer(event: string, ms: number, nowMs: number): void {
    if (this.threshold === 0 || ms < this.threshold) return;
    let e = this.events.get(event);
    if (e === undefined) this.events.set(event, (e = new LatencyEvent()));
    e.add(Math.floor(nowMs / 1000), Math.floor(ms));
  }

  /** Forgets the given events (all when none); returns how many there were. */
  reset(events: readonly string[]): number {
    if (events.length === 0) {
      const n = this.events.size;
      this.events.clear();
      return n;
    }
    let n = 0;
    for (const name of events) if (this.events.delete(name)) n++;
    return n;
  }

  /** LATENCY DOCTOR, short form: Redis's opening, one line per event, and the advice on the slow log. */
  doctor(slowlogThreshold: number): string {
    if (this.threshold === 0 && this.events.size === 0) {
      return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
    }
    if (this.events.size === 0) return 'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sleep tonight.\n';
    let text = "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
    let i = 1;
    for (const [name, e] of this.events) {
      const n = e.samples.length;
      const avg = Math.floor(e.samples.reduce((s, x) => s + x.ms, 0) / n);
      const dev = Math.floor(e.samples.reduce((s, x) => s + Math.abs(x.ms - avg), 0) / n);
      const period = n > 1 ? ((e.latest.time - e.samples[0]!.time) / (n - 1)).toFixed(2) : '1.00';
      text += `${i++}. ${name}: ${n} latency spikes (average ${avg}ms, mean deviation ${dev}ms, period ${period} sec). Worst all time event ${e.max}ms.\n`;
    }
    text += '\nI have a few advices for you:\n\n';
    if (slowlogThreshold < 0 || slowlogThreshold / 1000 >= this.threshold) {
      text += `- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ${this.threshold * 1000}'.\n`;
    }
    text += '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n';
    return text;
  }
}
