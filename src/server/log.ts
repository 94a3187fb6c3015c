/*
 * Logging at Redis's levels (debug < verbose < notice < warning), in Redis's line format
 * (`pid:M 28 Nov 2026 17:46:59.123 * message`), to stderr or to the `logfile` setting's file.
 */
import { openSync, writeSync } from 'node:fs';

import type { Log } from '../core/server-context.js';
import { LOG_LEVELS, type LogLevel } from '../core/config.js';

export { LOG_LEVELS, type LogLevel };

const MARK: Record<LogLevel, string> = { debug: '.', verbose: '-', notice: '*', warning: '#', nothing: '' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A log sink appending lines to the file at `path` (the `logfile` setting). Throws if it cannot open it. */
export function appendingTo(path: string): (line: string) => void {
  const fd = openSync(path, 'a');
  return (line) => {
    writeSync(fd, line);
  };
}

export class Logger implements Log {
  constructor(
    public level: LogLevel = 'notice',
    private readonly write: (line: string) => void = (line) => process.stderr.write(line),
  ) {}

  private log(level: LogLevel, message: string): void {
    if (LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(this.level)) return;
    const d = new Date();
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    const stamp = `${pad(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
    this.write(`${process.pid}:M ${stamp} ${MARK[level]} ${message}\n`);
  }

  debug(message: string): void {
    this.log('debug', message);
  }
  verbose(message: string): void {
    this.log('verbose', message);
  }
  notice(message: string): void {
    this.log('notice', message);
  }
  warning(message: string): void {
    this.log('warning', message);
  }
}
