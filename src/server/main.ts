#!/usr/bin/env node
/*
 * The `kv-server` entry point: parse flags and config, start, and stop cleanly on SIGINT/SIGTERM
 * (listeners closed, clients answered or closed, exit 0).
 */
import { saveAll } from '../commands/persistence.js';
import { startServer } from './app.js';
import { VERSION } from '../core/version.js';
import { parseCli } from './cli.js';
import { appendingTo, Logger, type LogLevel } from './log.js';

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseCli(process.argv.slice(2), VERSION);
  } catch (e) {
    process.stderr.write(`kv-server: ${(e as Error).message}\n`);
    process.exit(1);
  }
  if (parsed.exitEarly) return;
  const { config } = parsed;
  // Redis forks into the background; a Node process cannot fork itself: refuse rather than pretend
  if (config.get('daemonize') === 'yes') {
    process.stderr.write(`kv-server: daemonize yes is not supported: run kv-server in the foreground under a supervisor (set daemonize no, or --daemonize no)\n`);
    process.exit(1);
  }
  const logfile = config.get('logfile');
  let logger: Logger;
  try {
    logger = new Logger(config.get('loglevel') as LogLevel, logfile === '' ? undefined : appendingTo(logfile));
  } catch (e) {
    process.stderr.write(`kv-server: can't open the log file: ${(e as Error).message}\n`);
    process.exit(1);
  }
  for (const name of config.inertLoaded) logger.verbose(`Config directive '${name}' is accepted but has no effect in kv-server`);
  // accepted so that existing redis.conf files load, but an operator counting on them must know
  if (config.get('maxmemory') !== '0' && config.get('maxmemory-policy') !== 'noeviction') {
    logger.warning(`maxmemory-policy ${config.get('maxmemory-policy')} is not enforced: kv-server does not evict keys yet (noeviction's refusal of writes over maxmemory is)`);
  }
  let server;
  try {
    server = await startServer(config, { logger });
  } catch (e) {
    logger.warning(`Failed to start: ${(e as Error).message}`);
    // an error while starting reaches stderr even when the log goes to a file
    if (logfile !== '') process.stderr.write(`kv-server: failed to start: ${(e as Error).message}\n`);
    process.exit(1);
  }
  const unix = config.get('unixsocket');
  const where = [
    server.port !== 0 ? `${config.bind.join(' ')} port ${server.port}` : '',
    server.tlsPort !== 0 ? `${config.bind.join(' ')} TLS port ${server.tlsPort}` : '',
    unix !== '' ? `unix socket ${unix}` : '',
  ];
  logger.notice(`kv-server ${VERSION} started, pid=${process.pid}, listening on ${where.filter(Boolean).join(' and ')}`);

  let exiting = false;
  const shutdown = async (reason: string) => {
    if (exiting) return;
    exiting = true;
    logger.notice(`${reason}: shutting down`);
    // a signal saves when save points are configured, as Redis does (SHUTDOWN saved already)
    if (reason !== 'SHUTDOWN' && config.get('save') !== '') saveAll(server.context);
    await server.stop();
    logger.notice('kv-server is now ready to exit, bye bye...');
    process.exit(0);
  };
  server.context.shutdown = () => void shutdown('SHUTDOWN');
  process.on('SIGINT', () => void shutdown('Received SIGINT'));
  process.on('SIGTERM', () => void shutdown('Received SIGTERM'));
}

void main();
