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
import { ServerCron } from './cron.js';
import { rewriteConfigFile } from './config-rewrite.js';

export interface RunningServer {
  context: ServerContext;
  port: number;
  stop(): Promise<void>;
}

export async function startServer(config: Config, opts: { clock?: Clock; logger?: Logger } = {}): Promise<RunningServer> {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? new Logger(config.get('loglevel') as LogLevel);
  const context = new ServerContext(config, clock, logger, buildCommandTable());
  context.rewriteConfig = () => rewriteConfigFile(config);
  const dispatcher = new Dispatcher(context.commandTable);
  const listener = new RespListener(context, dispatcher);
  const port = await listener.listen(config.bind, config.port);
  context.tcpPort = port;

  const cron = new ServerCron(context);
  cron.start();

  config.onChange = (name, value) => {
    if (name === 'loglevel') logger.level = value as LogLevel;
    // every connection's decoder reads these limits, so new values apply to the next request
    else if (name === 'proto-max-bulk-len') context.decoderLimits.maxBulkLen = Number(value);
    else if (name === 'client-query-buffer-limit') context.decoderLimits.queryBufferLimit = Number(value);
  };

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      cron.stop();
      // the Lua worker thread, if a script ever ran
      (context.scripting as ScriptingState | null)?.runner.stopWorker();
      await listener.close();
    })();
    return stopping;
  };
  return { context, port, stop };
}
