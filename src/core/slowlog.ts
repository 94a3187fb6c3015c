/*
 * The slow log (SLOWLOG): commands that took at least `slowlog-log-slower-than` microseconds
 * (-1: none, 0: every command), newest first, at most `slowlog-max-len` entries. Each entry is
 * Redis's: id, unix time, duration in µs, the arguments (at most 32, each at most 128 bytes, with
 * Redis's "... (N more arguments)" / "... (N more bytes)" forms), client address and name.
 */

/** Redis's SLOWLOG_ENTRY_MAX_ARGC and SLOWLOG_ENTRY_MAX_STRING. */
export const SLOWLOG_MAX_ARGC = 32;
export const SLOWLOG_MAX_STRING = 128;

export interface SlowlogEntry {
  id: number;
  /** unix time in seconds */
  time: number;
  usec: number;
  args: string[];
  addr: string;
  name: string;
}

export class SlowLog {
  /** newest first */
  readonly entries: SlowlogEntry[] = [];
  private nextId = 0;
  /** the live `slowlog-log-slower-than` (µs; negative: off), kept in step by the server */
  threshold = 10000;
  maxLen = 128;

  /** Logs a command that took `usec` µs, if that is slow enough. */
  offer(argv: readonly string[], usec: number, nowMs: number, addr: string, name: string): void {
    if (this.threshold < 0 || usec < this.threshold) return;
    this.push({ id: this.nextId++, time: Math.floor(nowMs / 1000), usec: Math.floor(usec), args: slowlogArgs(argv), addr, name });
  }

  private push(entry: SlowlogEntry): void {
    this.entries.unshift(entry);
    this.trim();
  }

  /** Drops the oldest entries past `maxLen`. */
  trim(): void {
    if (this.entries.length > this.maxLen) this.entries.length = this.maxLen;
  }

  reset(): void {
    this.entries.length = 0;
  }
}

/** Configuration parameters whose values Redis never shows (its sensitive configs). */
const SENSITIVE_PARAMS = new Set(['requirepass', 'masterauth', 'masteruser']);

/**
 * The argument positions Redis redacts (`(redacted)`) before logging: AUTH's, HELLO … AUTH's
 * user and password, CONFIG SET's values of sensitive parameters.
 */
function redactedPositions(argv: readonly string[]): Set<number> {
  const out = new Set<number>();
  const name = argv[0]!.toLowerCase();
  if (name === 'auth') for (let i = 1; i < argv.length; i++) out.add(i);
  else if (name === 'hello') {
    for (let i = 2; i < argv.length; i++) {
      if (argv[i]!.toLowerCase() === 'auth') {
        out.add(i + 1).add(i + 2);
        i += 2;
      }
    }
  } else if (name === 'config' && argv[1]?.toLowerCase() === 'set') {
    for (let i = 2; i + 1 < argv.length; i += 2) if (SENSITIVE_PARAMS.has(argv[i]!.toLowerCase())) out.add(i + 1);
  }
  return out;
}

/** The arguments as a slow log entry keeps them. */
export function slowlogArgs(argv: readonly string[]): string[] {
  const redacted = redactedPositions(argv);
  const argc = Math.min(argv.length, SLOWLOG_MAX_ARGC);
  const out: string[] = [];
  for (let i = 0; i < argc; i++) {
    if (argc !== argv.length && i === argc - 1) {
      out.push(`... (${argv.length - argc + 1} more arguments)`);
      break;
    }
    if (redacted.has(i)) {
      out.push('(redacted)');
      continue;
    }
    const a = argv[i]!;
    out.push(a.length > SLOWLOG_MAX_STRING ? `${a.slice(0, SLOWLOG_MAX_STRING)}... (${a.length - SLOWLOG_MAX_STRING} more bytes)` : a);
  }
  return out;
}
