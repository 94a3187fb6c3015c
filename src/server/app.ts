/*
 * Assembles a server from a configuration: keyspace, command table, dispatcher, listener and
 * the active expiry timer. Used by the CLI entry point and by tests that run a server in-process.
 */
import { ServerContext } from '../core/server-context.js';
import type { ScriptingState } from '../scripting/scripting-state.js';
import { Dispatcher } from '../core/dispatch.js';
import { buildCommandTable } from '../core/command-list.js';
import { systemClock, type Clock } from '../engine/clock.js';
import { Config } from '../core/config.js';
import { Logger, type LogLevel } from './log.js';
import { RespListener } from './listener.js';
import { BinaryListener, binaryUsesTls } from './binary-listener.js';
import { ServerCron } from './cron.js';
import { attachAofImages, loadAtStart } from '../commands/persistence.js';
import { rewriteConfigFile } from './config-rewrite.js';
import { initDigest } from '../engine/digest.js';
import { applyConfiguredUsers, installUsers, readAclFile } from '../security/acl-file.js';
import { TLS_CONTEXT_PARAMS, tlsServerSettings } from './tls-context.js';

export interface RunningServer {
  context: ServerContext;
  /** the TCP port bound (0: no TCP, a Unix socket or TLS only) */
  port: number;
  /** the binary protocol's port (0: `bin-port` is off) */
  binPort: number;
  /** the TLS port bound (0: no TLS) */
  tlsPort: number;
  stop(): Promise<void>;
}

export async function startServer(config: Config, opts: { clock?: Clock; logger?: Logger } = {}): Promise<RunningServer> {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? new Logger(config.get('loglevel') as LogLevel);
  const table = buildCommandTable();
  for (const [from, to] of config.renames) {
    if (!table.rename(from, to)) throw new Error(`rename-command: no such command '${from}'`);
  }
  const context = new ServerContext(config, clock, logger, table);
  // DIGEST's XXH3 hasher (WebAssembly, created asynchronously) exists before any command runs
  await initDigest();
  // ACL users: the config file's `user` lines or the ACL file (not both, as Redis refuses)
  const aclfile = config.get('aclfile');
  if (aclfile !== '' && config.users.length !== 0) {
    throw new Error('Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.');
  }
  applyConfiguredUsers(context.acl, config.users);
  if (aclfile !== '') {
    const users = readAclFile(context.acl, aclfile);
    if ('error' in users) throw new Error(`Aborting Redis startup because of ACL errors: ${users.error}`);
    installUsers(context.acl, users, () => {});
  }
  context.rewriteConfig = () => rewriteConfigFile(config);
  // appendonly yes: the append-only file when there is one, else the RDB file in `dir` (a file that
  // cannot be read stops the start, as in Redis); appending starts from what was loaded
  attachAofImages(context);
  const fromAof = config.get('appendonly') === 'yes' && context.aof.exists();
  if (fromAof) {
    const started = performance.now();
    context.aof.load();
    logger.notice(`DB loaded from append only file: ${((performance.now() - started) / 1000).toFixed(3)} seconds`);
  } else loadAtStart(context);
  if (config.get('appendonly') === 'yes') context.aof.start(fromAof);
  const dispatcher = new Dispatcher(context.commandTable);
  const listener = new RespListener(context, dispatcher);
  // As Redis, `port 0` with a Unix socket or a TLS port means "no plain TCP"; with neither, Redis
  // would refuse to start ("not listening anywhere"), and we pick a free port instead (tests and
  // embedding rely on it).
  const unixsocket = config.get('unixsocket');
  const tlsPortWanted = config.int('tls-port');
  const port = (unixsocket !== '' || tlsPortWanted !== 0) && config.port === 0 ? 0 : await listener.listen(config.bind, config.port);
  context.tcpPort = port;
  let tlsPort = 0;
  try {
    if (tlsPortWanted !== 0) tlsPort = await listener.listenTls(config.bind, tlsPortWanted, tlsServerSettings(config));
    if (unixsocket !== '') await listener.listenUnix(unixsocket, config.get('unixsocketperm'));
  } catch (e) {
    await listener.close();
    throw e;
  }
  // the binary protocol's listener (docs/protocol.md), on the same addresses
  const binaryListener = new BinaryListener(context, dispatcher);
  let binPort = 0;
  if (config.int('bin-port') !== 0) {
    try {
      // over TLS with the RESP TLS port's settings when bin-tls says so (auto: when tls-port is set)
      binPort = await binaryListener.listen(config.bind, config.int('bin-port'), binaryUsesTls(config) ? tlsServerSettings(config) : undefined);
    } catch (e) {
      await listener.close();
      throw e;
    }
  }
  const running: RunningServer = { context, port, tlsPort, binPort, stop: () => Promise.resolve() };

  /** CONFIG SET of a TLS setting: new connections get it; a bad one is logged, the old kept. */
  const applyTlsChange = (name: string, value: string): void => {
    if (name === 'tls-port') {
      void (async () => {
        await listener.closeTls();
        running.tlsPort = 0;
        if (value === '0') return;
        running.tlsPort = await listener.listenTls(config.bind, Number(value), tlsServerSettings(config));
      })().catch((e: Error) => logger.warning(`Failed listening on tls-port ${value}: ${e.message}`));
      return;
    }
    if (!listener.tlsListening && !binaryListener.secure) return;
    try {
      const settings = tlsServerSettings(config);
      if (listener.tlsListening) listener.reloadTls(settings);
      binaryListener.reloadTls(settings);
    } catch (e) {
      logger.warning(`Failed to update TLS configuration (${name}): ${(e as Error).message}; the previous one stays in use`);
    }
  };

  /** CONFIG SET port/bind: the plain listener moves (asynchronously; a failure is logged, the old address kept). */
  let tcpWhere = `${config.bind.join(' ')} port ${port}`;
  const moveTcp = (): void => {
    const where = `${config.bind.join(' ')} port ${config.port}`;
    if (where === tcpWhere) return;
    tcpWhere = where;
    listener
      .moveTcp(config.bind, config.port)
      .then((bound) => {
        running.port = bound;
        context.tcpPort = bound;
      })
      .catch((e: Error) => logger.warning(`Unable to listen on ${where}: ${e.message}`));
  };

  const cron = new ServerCron(context);
  cron.start();

  config.onChange = (name, value) => {
    context.configChanged(name, value);
    if (name === 'loglevel') logger.level = value as LogLevel;
    // every connection's decoder reads these limits, so new values apply to the next request
    else if (name === 'proto-max-bulk-len') context.decoderLimits.maxBulkLen = Number(value);
    else if (name === 'client-query-buffer-limit') context.decoderLimits.queryBufferLimit = Number(value);
    else if (name === 'notify-keyspace-events') context.configureNotifications();
    else if (name === 'tls-port' || TLS_CONTEXT_PARAMS.has(name)) applyTlsChange(name, value);
    else if (name === 'port' || name === 'bind') moveTcp();
  };

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      cron.stop();
      // the Lua worker thread, if a script ever ran
      (context.scripting as ScriptingState | null)?.runner.stopWorker();
      await Promise.all([listener.close(), binaryListener.close()]);
      // what the append-only file has buffered is written and synced
      context.aof.stop();
    })();
    return stopping;
  };
  running.stop = stop;
  return running;
}
