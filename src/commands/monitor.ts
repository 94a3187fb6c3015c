/*
 * MONITOR: every command run by any client is shown to monitoring clients as Redis shows it,
 * `+1339518083.107412 [0 127.0.0.1:60866] "set" "k" "v"`.
 */
import type { Client } from './client.js';
import type { CommandSpec } from './types.js';

export function feedMonitors(c: Client, spec: CommandSpec, argv: string[]): void {
  if (spec.flags.includes('skip_monitor') || spec.flags.includes('admin')) return;
  const now = c.now;
  const stamp = `${Math.floor(now / 1000)}.${String((now % 1000) * 1000).padStart(6, '0')}`;
  const line = `${stamp} [${c.dbIndex} ${c.conn.addr}] ${argv.map(quoteArg).join(' ')}`;
  for (const m of c.server.monitors) {
    if (m === c) continue;
    m.reply.simple(line);
    m.conn.flush();
  }
}

/** Quotes an argument as Redis's sdscatrepr: printable bytes as is, escapes for the rest. */
export function quoteArg(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    if (ch === '\\' || ch === '"') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code === 7) out += '\\a';
    else if (code === 8) out += '\\b';
    else if (code >= 32 && code < 127) out += ch;
    else out += '\\x' + code.toString(16).padStart(2, '0');
  }
  return out + '"';
}
