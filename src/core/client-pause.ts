/*
 * CLIENT PAUSE / UNPAUSE: while a pause is on, commands of every client (ALL) or only the write
 * and may-replicate ones (WRITE) wait — without blocking the event loop: dispatch hands the
 * command back and the connection holds it, stops reading, and waits here until the pause ends.
 * A second pause keeps the later end and the stricter mode, as Redis's pauseClients.
 * A client holding a command is blocked as Redis sees it (BLOCKED_POSTPONE): INFO
 * blocked_clients counts it and CLIENT LIST shows its `b` flag.
 */
import type { Client } from './client.js';
import type { CommandSpec } from './command-types.js';
import { invocationMayReplicate } from './table.js';

export class ClientPause {
  /** true while a pause is on: the one field dispatch tests on the hot path */
  active = false;
  /** ALL (true) or WRITE (false) */
  all = false;
  /** when the pause ends, ms (the server clock's time) */
  endMs = 0;
  private timer: NodeJS.Timeout | null = null;
  /** connections holding a command until the pause ends */
  private readonly waiters = new Set<() => void>();

  /** Whether `argv` (a command of `spec`) sent by `c` must wait now. */
  holds(c: Client, spec: CommandSpec, argv: string[]): boolean {
    return this.active && (this.all || invocationMayReplicate(c, spec, argv));
  }

  /** Connections holding a command (counted in INFO blocked_clients, as Redis's postponed clients). */
  get heldCount(): number {
    return this.waiters.size;
  }

  /** Pauses until `endMs` (keeping a later end already set), ALL or WRITE (ALL wins). */
  start(nowMs: number, endMs: number, all: boolean): void {
    if (!this.active) {
      this.active = true;
      this.all = all;
      this.endMs = endMs;
    } else {
      this.all ||= all;
      this.endMs = Math.max(this.endMs, endMs);
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.end(), Math.max(0, this.endMs - nowMs));
    this.timer.unref();
  }

  /** Ends the pause (CLIENT UNPAUSE, or its time is up) and lets every held command run. */
  end(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.active = false;
    this.all = false;
    this.endMs = 0;
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const resume of waiting) {
      // a resumed command may pause again: the rest wait for that pause
      if (this.active) this.waiters.add(resume);
      else resume();
    }
  }

  /** Registers a connection's `resume` to call when the pause ends. */
  wait(resume: () => void): void {
    this.waiters.add(resume);
  }

  /** Forgets a connection that closed while holding a command. */
  forget(resume: () => void): void {
    this.waiters.delete(resume);
  }
}
