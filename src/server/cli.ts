/*
 * Command-line options (cac) and the redis.conf-style config file. CLI flags override the file.
 */
import { readFileSync } from 'node:fs';
import { cac } from 'cac';
import { splitArgs } from '../resp/decoder.js';
import { Config, ConfigError } from './config.js';

export interface CliResult {
  config: Config;
  /** set when the process should only print and exit (--help, --version) */
  exitEarly: boolean;
}

/** Flags and the config parameters they set. */
const FLAGS: Array<[flag: string, param: string, help: string]> = [
  ['--port <port>', 'port', 'TCP port to listen on (default 6380)'],
  ['--bind <addresses>', 'bind', 'addresses to bind, space separated (default 127.0.0.1)'],
  ['--shards <n>', 'shards', 'shards per database, a power of two (default 256)'],
  ['--databases <n>', 'databases', 'number of databases (default 16)'],
  ['--requirepass <password>', 'requirepass', 'password clients must AUTH with'],
  ['--loglevel <level>', 'loglevel', 'debug, verbose, notice or warning (default notice)'],
  ['--protected-mode <yes|no>', 'protected-mode', 'refuse non-loopback clients when no password is set (default yes)'],
  ['--maxclients <n>', 'maxclients', 'maximum connected clients (default 10000)'],
];

export function parseCli(argv: string[], version: string, out: (s: string) => void = console.log): CliResult {
  const cli = cac('kv-server');
  cli.usage('[options]');
  cli.option('--config <file>', 'config file in redis.conf syntax');
  for (const [flag, , help] of FLAGS) cli.option(flag, help);
  cli.help();
  cli.version(version);
  // cac prints help/version itself; route it through `out` for testability
  const log = console.log;
  console.log = out;
  let parsed;
  try {
    parsed = cli.parse(['node', 'kv-server', ...argv], { run: false });
  } finally {
    console.log = log;
  }
  const config = new Config();
  const opts = parsed.options as Record<string, unknown>;
  if (opts.help || opts.version) return { config, exitEarly: true };
  if (parsed.args.length > 0) throw new ConfigError(`unexpected argument '${parsed.args[0]}'`);
  if (typeof opts.config === 'string') {
    loadConfigFile(config, readFileSync(opts.config, 'latin1'));
    config.file = opts.config;
  }
  for (const [flag, param] of FLAGS) {
    const key = camel(flag.slice(2, flag.indexOf(' ')));
    const value = opts[key];
    if (value !== undefined) config.set(param, String(value));
  }
  return { config, exitEarly: false };
}

function camel(s: string): string {
  return s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Applies a config file: `name value…` lines, `#` comments, quoting as redis.conf. */
export function loadConfigFile(config: Config, text: string): void {
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const args = splitArgs(trimmed);
    if (args === null || args.length < 1) throw new ConfigError(`line ${i + 1}: unbalanced quotes`);
    const [name, ...values] = args;
    try {
      config.set(name!, values.join(' '));
    } catch (e) {
      throw new ConfigError(`line ${i + 1}: '${trimmed}': ${(e as Error).message}`);
    }
  });
}
