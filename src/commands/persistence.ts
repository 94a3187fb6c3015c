/*
 * SAVE and BGSAVE, and the loads (start-up, DEBUG RELOAD) that need the function libraries
 * compiled: the commands and glue over core/persistence.ts.
 */
import { Err } from '../resp/errors.js';
import { Client } from '../core/client.js';
import { CollectingReply } from '../resp/collecting-reply.js';
import { detachedConnection } from '../core/detached-connection.js';
import { loadDataset, loadImage, rdbExists, saveDataset, snapshot } from '../core/persistence.js';
import type { ServerContext } from '../core/server-context.js';
import type { CommandRow } from '../core/command-types.js';
import { scriptingOf } from '../scripting/scripting-state.js';
import { compileLibrary, installLibrary } from './functions.js';

const librariesOf = (server: ServerContext): string[] => [...scriptingOf(server).libraries.values()].map((lib) => lib.code);

/**
 * Saves the dataset with its function libraries; null or the reason it failed. `counted: false`
 * leaves INFO's rdb_saves alone (FLUSHALL's save, as Redis's).
 */
export function saveAll(server: ServerContext, options: { counted?: boolean } = {}): string | null {
  return saveDataset(server, librariesOf(server), options.counted ?? true);
}

/** The RDB image of the dataset and its function libraries now (a replica's first payload). */
export function snapshotAll(server: ServerContext): Uint8Array {
  return snapshot(server, librariesOf(server));
}

/**
 * What the append-only file needs of RDB images: its base written from the dataset and read
 * back with the function libraries (core/aof.ts).
 */
export function attachAofImages(server: ServerContext): void {
  server.aof.images = {
    snapshot: () => snapshot(server, librariesOf(server), true),
    load: (bytes) => {
      const loaded = loadImage(server, bytes, false);
      if (typeof loaded === 'string') throw new Error(loaded);
      const err = installLibraries(server, loaded.libraries);
      if (err !== null) throw new Error(err);
    },
  };
}

/** Compiles and installs libraries read from a file (replacing ones of the same name); the first error or null. */
function installLibraries(server: ServerContext, codes: string[], c?: Client): string | null {
  if (codes.length === 0) return null;
  const state = scriptingOf(server);
  const loader = c ?? new Client(server, 0, new CollectingReply(2), detachedConnection({ addr: 'rdb', laddr: '' }));
  for (const code of codes) {
    const lib = compileLibrary(loader, state, code);
    if (typeof lib === 'string') return lib;
    const err = installLibrary(state, lib, true);
    if (err !== null) return err;
  }
  return null;
}

/**
 * Loads the RDB file at start-up when there is one (Redis refuses to start on a file it cannot
 * read: so does this, by throwing). Returns how many keys were loaded, or -1 without a file.
 */
export function loadAtStart(server: ServerContext): number {
  if (!rdbExists(server)) return -1;
  const started = performance.now();
  const loaded = loadDataset(server, false);
  if (typeof loaded === 'string') throw new Error(`Fatal error loading the DB: ${loaded}. Exiting.`);
  const err = installLibraries(server, loaded.libraries);
  if (err !== null) throw new Error(`Fatal error loading the DB: ${err}. Exiting.`);
  server.log.notice(`DB loaded from disk: ${((performance.now() - started) / 1000).toFixed(3)} seconds`);
  return loaded.keys;
}

/**
 * DEBUG RELOAD's work: save (unless `save` is false), empty the dataset (unless `flush` is
 * false), load the file back. Null, or the error to reply.
 */
export function reloadDataset(c: Client, save: boolean, flush: boolean, merge: boolean): string | null {
  const server = c.server;
  if (save && saveAll(server) !== null) return Err.SAVE_FAILED;
  if (flush) {
    for (const db of server.keyspace.dbs) db.clear();
    scriptingOf(server).flushFunctions();
  }
  const loaded = loadDataset(server, merge);
  if (typeof loaded === 'string') {
    server.log.warning(`Error loading the RDB for DEBUG RELOAD: ${loaded}`);
    return Err.DEBUG_RELOAD_LOAD;
  }
  if (installLibraries(server, loaded.libraries, c) !== null) return Err.DEBUG_RELOAD_LOAD;
  server.log.warning('DB reloaded by DEBUG RELOAD');
  return null;
}

/* SAVE */
function saveCommand(c: Client): void {
  if (saveAll(c.server) !== null) return c.reply.error(Err.SAVE_FAILED);
  c.reply.ok();
}

/*
 * BGSAVE [SCHEDULE]
 * The save runs at once, in this turn (there is no fork): when the reply is read it has ended.
 */
function bgsaveCommand(c: Client, argv: string[]): void {
  if (argv.length > 2 || (argv.length === 2 && argv[1]!.toLowerCase() !== 'schedule')) return c.reply.error(Err.SYNTAX);
  if (saveAll(c.server) !== null) return c.reply.error(Err.SAVE_FAILED);
  c.reply.simple('Background saving started');
}

/*
 * BGREWRITEAOF
 * The rewrite runs at once, in this turn (there is no fork): when the reply is read it has ended.
 */
function bgrewriteaofCommand(c: Client): void {
  try {
    c.server.aof.rewrite();
  } catch (e) {
    c.server.log.warning(`Can't rewrite append only file in background: ${(e as Error).message}`);
    return c.reply.error(Err.AOF_REWRITE_FAILED);
  }
  c.reply.simple('Background append only file rewriting started');
}

/**
 * DEBUG LOADAOF: writes what the append-only file has buffered, empties the dataset and loads it
 * back from the files. Null, or the error to reply (Redis exits on a file it cannot load).
 */
export function reloadFromAof(c: Client): string | null {
  const server = c.server;
  const aof = server.aof;
  if (aof.enabled) aof.flush();
  if (!aof.exists()) return Err.DEBUG_LOADAOF_FAILED;
  for (const db of server.keyspace.dbs) db.clear();
  scriptingOf(server).flushFunctions();
  try {
    aof.load();
  } catch (e) {
    server.log.warning(`Error loading the append only file for DEBUG LOADAOF: ${(e as Error).message}`);
    return Err.DEBUG_LOADAOF_FAILED;
  }
  server.log.warning('Append Only File loaded by DEBUG LOADAOF');
  return null;
}

export const persistenceCommands: CommandRow[] = [
  { name: 'bgrewriteaof', arity: 1, flags: 'admin noscript no_async_loading', categories: '@dangerous', handler: bgrewriteaofCommand },
  { name: 'save', arity: 1, flags: 'admin noscript no_async_loading no_multi', categories: '@dangerous', handler: saveCommand },
  { name: 'bgsave', arity: -1, flags: 'admin noscript no_async_loading', categories: '@dangerous', handler: bgsaveCommand },
];
