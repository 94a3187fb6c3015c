/*
 * Command-line options and the redis.conf-style config file. CLI flags override the file.
 * cac prints --help and --version; the flags themselves are read as redis-server reads them.
 */
import { readFileSync } from 'node:fs';
import { cac } from 'cac';
import { splitArgs } from '../resp/quoting.js';
import { Config, ConfigError, findParam } from '../core/config.js';

export interface CliResult {
  config: Config;
  /** set when the process should only print and exit (--help, --version) */
  exitEarly: boolean;
}

/** The flags --help lists (any other config parameter works the same way). */
const FLAGS: Array<[flag: string, help: string]> = [
  ['--port <port>', 'TCP port to listen on (default 6380)'],
  ['--bind <addresses>', 'addresses to bind, space separated (default 127.0.0.1)'],
  ['--shards <n>', 'shards per database, a power of two (default 256)'],
  ['--databases <n>', 'number of databases (default 16)'],
  ['--requirepass <password>', 'password clients must AUTH with'],
  ['--loglevel <level>', 'debug, verbose, notice or warning (default notice)'],
  ['--protected-mode <yes|no>', 'refuse non-loopback clients when no password is set (default yes)'],
  ['--maxclients <n>', 'maximum connected clients (default 10000)'],
];

/**
 * Parses the command line as redis-server does: an optional config file first (or `--config
 * file`), then `--name value…` for any config parameter (the values up to the next `--` option,
 * joined by spaces; `--save ''` passes an empty one). The file is applied first, flags override it.
 * Throws ConfigError naming the bad option. `--help` and `--version` print through `out`.
 */
export function parseCli(argv: string[], version: string, out: (s: string) => void = console.log): CliResult {
  const config = new Config();
  if (argv.some((a) => a === '--help' || a === '-h' || a === '--version' || a === '-v')) {
    printHelpOrVersion(argv, version, out);
    return { config, exitEarly: true };
  }
  let file: string | null = null;
  let i = 0;
  if (argv[0] !== undefined && !argv[0].startsWith('--')) file = argv[i++]!;
  const flags: Array<[name: string, values: string[]]> = [];
  while (i < argv.length) {
    const arg = argv[i++]!;
    if (!arg.startsWith('--') || arg.length === 2) throw new ConfigError(`unexpected argument '${arg}'`);
    const values: string[] = [];
    while (i < argv.length && !argv[i]!.startsWith('--')) values.push(argv[i++]!);
    flags.push([arg.slice(2), values]);
  }
  for (const [name, values] of flags) {
    if (name === 'config') {
      if (values.length !== 1) throw new ConfigError(`option '--config' needs exactly one file name`);
      file = values[0]!;
    } else if (findParam(name) === undefined) {
      throw new ConfigError(`unknown option '--${name}' (see --help; any config parameter can be given as --name value)`);
    } else if (values.length === 0) {
      throw new ConfigError(`option '--${name}' needs a value`);
    }
  }
  if (file !== null) {
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch (e) {
      throw new ConfigError(`can't open config file '${file}': ${(e as Error).message}`);
    }
    try {
      loadConfigFile(config, text);
    } catch (e) {
      throw new ConfigError(`config file '${file}', ${(e as Error).message}`);
    }
    config.file = file;
  }
  for (const [name, values] of flags) {
    if (name === 'config') continue;
    const value = values.join(' ');
    try {
      config.set(name, value);
    } catch (e) {
      throw new ConfigError(`invalid --${name} '${value}': ${(e as Error).message}`);
    }
  }
  return { config, exitEarly: false };
}

/** Prints cac's help (listing the common flags) or version line through `out`. */
function printHelpOrVersion(argv: string[], version: string, out: (s: string) => void): void {
  const cli = cac('kv-server');
  cli.usage('[config-file] [options]\n\n  Any config parameter can be given as --name value (as redis-server takes them).');
  cli.option('--config <file>', 'config file in redis.conf syntax (flags override it)');
  for (const [flag, help] of FLAGS) cli.option(flag, help);
  cli.help();
  cli.version(version);
  const log = console.log;
  console.log = out;
  try {
    cli.parse(['node', 'kv-server', ...argv], { run: false });
  } finally {
    console.log = log;
  }
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
