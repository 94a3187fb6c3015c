#!/usr/bin/env node
/*
 * The `kv-server` entry point: parse flags and config, start, and stop cleanly on SIGINT/SIGTERM
 * (listeners closed, clients answered or closed, exit 0).
 */
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
  const logfile = config.get('logfile');
  let logger: Logger;
  try {
    logger = new Logger(config.get('loglevel') as LogLevel, logfile === '' ? undefined : appendingTo(logfile));
  } catch (e) {
    process.stderr.write(`kv-server: can't open the log file: ${(e as Error).message}\n`);
    process.exit(1);
  }
  if (config.get('daemonize') === 'yes') logger.warning('daemonize yes is not supported: running in the foreground');
  let server;
  try {
    server = await startServer(config, { logger });
  } catch (e) {
    logger.warning(`Failed to start: ${(e as Error).message}`);
    process.exit(1);
  }
  const unix = config.get('unixsocket');
  const where = [server.port !== 0 ? `${config.bind.join(' ')} port ${server.port}` : '', unix !== '' ? `unix socket ${unix}` : ''];
  logger.notice(`kv-server ${VERSION} started, pid=${process.pid}, listening on ${where.filter(Boolean).join(' and ')}`);

  let exiting = false;
  const shutdown = async (reason: string) => {
    if (exiting) return;
    exiting = true;
    logger.notice(`${reason}: shutting down`);
    await server.stop();
    logger.notice('kv-server is now ready to exit, bye bye...');
    process.exit(0);
  };
  server.context.shutdown = () => void shutdown('SHUTDOWN');
  process.on('SIGINT', () => void shutdown('Received SIGINT'));
  process.on('SIGTERM', () => void shutdown('Received SIGTERM'));
}

void main();
