/*
 * Command-line options and the redis.conf-style config file. CLI flags override the file.
 * cac prints --help and --version; the flags themselves are read as redis-server reads them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { cac } from 'cac';
import { splitArgs } from '../resp/quoting.js';
import { Config, ConfigError, findParam, parseMemory } from '../core/config.js';

export interface CliResult {
  config: Config;
  /** set when the process should only print and exit (--help, --version) */
  exitEarly: boolean;
}

/** The flags --help lists (any other config parameter works the same way). */
const FLAGS: Array<[flag: string, help: string]> = [
  ['--port <port>', 'TCP port to listen on (default 6380)'],
  ['--bin-port <port>', 'binary protocol port (docs/protocol.md; default 0: off)'],
  ['--bind <addresses>', 'addresses to bind, space separated (default 127.0.0.1)'],
  ['--shards <n>', 'shards per database, a power of two (default 256)'],
  ['--databases <n>', 'number of databases (default 16)'],
  ['--requirepass <password>', 'password clients must AUTH with'],
  ['--loglevel <level>', 'debug, verbose, notice, warning or nothing (default notice)'],
  ['--protected-mode <yes|no>', 'refuse non-loopback clients while the default user has no password (default yes)'],
  ['--maxclients <n>', 'maximum connected clients (default 10000)'],
  ['--tls-port <port>', 'TLS port to listen on (default 0: none; --port 0 then turns plain TCP off)'],
  ['--tls-cert-file <file>', 'the server certificate (PEM), with --tls-key-file <file>'],
  ['--tls-ca-cert-file <file>', 'CA certificates client certificates must chain to'],
  ['--tls-auth-clients <yes|no|optional>', 'require client certificates (default yes)'],
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

/** Files included at most this deep (a file including itself is an error, not a hang). */
const MAX_INCLUDE_DEPTH = 16;

/**
 * Applies a config file: `name value…` lines, `#` comments, quoting as redis.conf. Besides the
 * parameters: `include path` (a `*` pattern in the file name includes every match, in order),
 * `rename-command name new-name` (applied to the command table at start), and
 * `client-output-buffer-limit <class> …` lines that add up per class, as Redis reads them.
 * `readFile` reads included files (tests substitute it).
 */
export function loadConfigFile(config: Config, text: string, readFile: (path: string) => string = (p) => readFileSync(p, 'latin1'), depth = 0): void {
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const args = splitArgs(trimmed);
    if (args === null || args.length < 1) throw new ConfigError(`line ${i + 1}: unbalanced quotes`);
    const [name, ...values] = args;
    const directive = name!.toLowerCase();
    try {
      if (directive === 'include') {
        if (values.length !== 1) throw new ConfigError('Bad directive or wrong number of arguments');
        if (depth >= MAX_INCLUDE_DEPTH) throw new ConfigError('includes nested too deeply');
        for (const path of includedFiles(values[0]!)) {
          let included: string;
          try {
            included = readFile(path);
          } catch (e) {
            throw new ConfigError(`can't open included file '${path}': ${(e as Error).message}`);
          }
          try {
            loadConfigFile(config, included, readFile, depth + 1);
          } catch (e) {
            throw new ConfigError(`in '${path}', ${(e as Error).message}`);
          }
        }
        return;
      }
      if (directive === 'rename-command') {
        if (values.length !== 2) throw new ConfigError('Bad directive or wrong number of arguments');
        config.renames.push([values[0]!.toLowerCase(), values[1]!]);
        return;
      }
      if (directive === 'user') {
        if (values.length < 1) throw new ConfigError('Bad directive or wrong number of arguments');
        config.users.push(values);
        return;
      }
      if (directive === 'client-output-buffer-limit') {
        config.set(name!, mergeOutputBufferLimits(config.get('client-output-buffer-limit'), values));
        config.inertLoaded.add(directive);
        return;
      }
      config.set(name!, values.join(' '));
      if (findParam(directive)?.inert) config.inertLoaded.add(directive);
    } catch (e) {
      throw new ConfigError(`line ${i + 1}: '${trimmed}': ${(e as Error).message}`);
    }
  });
}

/** The files an `include` names: the path itself, or every match of a `*` pattern in its file name. */
function includedFiles(path: string): string[] {
  const name = basename(path);
  if (!name.includes('*')) return [path];
  const re = new RegExp('^' + name.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  const dir = dirname(path);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.filter((f) => re.test(f)).sort().map((f) => join(dir, f));
}

/** `client-output-buffer-limit` with one class's line merged in (`replica` is `slave`, as Redis shows it). */
function mergeOutputBufferLimits(current: string, values: string[]): string {
  if (values.length % 4 !== 0) throw new ConfigError('Wrong number of arguments in buffer limit configuration.');
  const parts = current.split(' ');
  const classes = new Map<string, string[]>();
  for (let i = 0; i + 3 < parts.length; i += 4) classes.set(parts[i]!, parts.slice(i + 1, i + 4));
  for (let i = 0; i < values.length; i += 4) {
    let cls = values[i]!.toLowerCase();
    if (cls === 'replica') cls = 'slave';
    if (!['normal', 'slave', 'pubsub'].includes(cls)) throw new ConfigError('Invalid client class specified in buffer limit configuration.');
    const [hard, soft] = [parseMemory(values[i + 1]!), parseMemory(values[i + 2]!)];
    if (hard === null || soft === null || !/^\d+$/.test(values[i + 3]!)) throw new ConfigError('Error in hard, soft or soft_seconds setting in buffer limit configuration.');
    classes.set(cls, [String(hard), String(soft), values[i + 3]!]);
  }
  return [...classes].map(([cls, v]) => [cls, ...v].join(' ')).join(' ');
}
