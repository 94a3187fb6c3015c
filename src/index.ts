/*
 * The embedding API: `import { startServer } from 'kv-server'` runs a server inside the caller's
 * process (a test suite's Redis), with the same configuration parameters as the CLI and the
 * config file. Every server owns its keyspace, clients, timers and sockets; `close()` resolves
 * once all of them are gone, so a test runner exits by itself.
 */
import { Config } from './core/config.js';
import { Logger, type LogLevel } from './server/log.js';
import { startServer as start } from './server/app.js';

/**
 * Configuration parameters by their redis.conf name (`'notify-keyspace-events'`) or in camelCase
 * (`notifyKeyspaceEvents`), as strings, numbers or booleans (`true` → `yes`). `port` defaults to
 * 0 here: a free port is picked.
 */
export type ServerOptions = Record<string, string | number | boolean>;

export interface EmbeddedServer {
  /** the address TCP clients connect to (127.0.0.1 unless `bind` says otherwise) */
  host: string;
  /** the TCP port bound (0 when only a Unix socket was asked for with `port: 0`) */
  port: number;
  /** the binary protocol's port (0 unless `binPort`/`bin-port` was given); `kv://host:binPort` */
  binPort: number;
  /** `redis://host:port` (with the password when `requirepass` is set), or `unix://path` */
  url: string;
  /** the TLS port bound when `tlsPort` was given (0 otherwise); clients connect with TLS there */
  tlsPort: number;
  /** Stops listening, closes every client and timer; resolves when all are gone. */
  close(): Promise<void>;
}

/** `notifyKeyspaceEvents` → `notify-keyspace-events`; redis.conf names pass unchanged. */
export function parameterName(option: string): string {
  return option.replace(/[A-Z]/g, (ch) => '-' + ch.toLowerCase());
}

function parameterValue(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/**
 * Starts a server with `options`; resolves once it accepts connections. Throws (rejects) with the
 * parameter's name for an unknown parameter or a bad value.
 */
export async function startServer(options: ServerOptions = {}): Promise<EmbeddedServer> {
  const config = new Config();
  config.set('port', '0');
  // embedded servers are quiet unless asked: a test suite's output is its own
  config.set('loglevel', 'warning');
  for (const [option, value] of Object.entries(options)) {
    const name = parameterName(option);
    try {
      config.set(name, parameterValue(value));
    } catch (e) {
      throw new Error(`kv-server: invalid option ${option} '${String(value)}': ${(e as Error).message}`);
    }
  }
  const running = await start(config, { logger: new Logger(config.get('loglevel') as LogLevel) });
  const host = config.bind[0] === '*' || config.bind[0] === '0.0.0.0' ? '127.0.0.1' : config.bind[0]!.replace(/^-/, '');
  const pass = config.requirepass;
  const unix = config.get('unixsocket');
  const url =
    running.port === 0 && unix !== ''
      ? `unix://${unix}`
      : `redis://${pass !== '' ? `:${encodeURIComponent(pass)}@` : ''}${host.includes(':') ? `[${host}]` : host}:${running.port}`;
  return { host, port: running.port, binPort: running.binPort, url, tlsPort: running.tlsPort, close: () => running.stop() };
}
