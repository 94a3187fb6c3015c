/*
 * INFO [section ...]: the server's state as `# Section` blocks of `field:value` lines with CRLF
 * endings, as Redis 7 lays them out. Libraries parse this (ioredis reads `loading`, BullMQ
 * `redis_version` and `maxmemory_policy`), so field names follow Redis exactly; fields for
 * machinery we do not have (replication, persistence, forks) report Redis's idle values.
 */
import os from 'node:os';
import { REDIS_VERSION, VERSION } from '../core/version.js';
import type { Client } from '../core/client.js';
import type { ServerContext } from '../core/server-context.js';
import { wallClockMicros } from './wall-clock.js';
import { commandStatsFields, latencyStatsFields } from '../core/command-stats.js';
import { scriptingOf } from '../scripting/scripting-state.js';
import { mainLuaHeapBytes } from '../scripting/main-engine.js';

type Fields = Array<[string, string | number]>;
type Section = (server: ServerContext, now: number) => Fields;

const SECTIONS: Record<string, Section> = {
  server: serverSection,
  clients: clientsSection,
  memory: memorySection,
  persistence: persistenceSection,
  stats: statsSection,
  replication: replicationSection,
  cpu: cpuSection,
  modules: () => [],
  commandstats: (server) => commandStatsFields(server.commandTable.all),
  errorstats: errorStatsSection,
  latencystats: (server) => (server.latencyTracking ? latencyStatsFields(server.commandTable.all, server.latencyPercentiles) : []),
  cluster: () => [['cluster_enabled', 0]],
  keyspace: keyspaceSection,
};

/** Redis's order; INFO prints requested sections in this order whatever the request's. */
const ORDER = Object.keys(SECTIONS);
const DEFAULT = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'errorstats', 'cluster', 'keyspace'];
const TITLES: Record<string, string> = { cpu: 'CPU' };

/** Section names selected by INFO's arguments (case-insensitive; unknown names select nothing). */
export function selectSections(args: readonly string[]): Set<string> {
  const out = new Set<string>();
  if (args.length === 0) args = ['default'];
  for (const raw of args) {
    const name = raw.toLowerCase();
    if (name === 'default') DEFAULT.forEach((s) => out.add(s));
    else if (name === 'all' || name === 'everything') ORDER.filter((s) => s !== 'modules' || name === 'everything').forEach((s) => out.add(s));
    else if (name in SECTIONS) out.add(name);
  }
  return out;
}

/** The INFO text for the selected sections. */
export function infoText(server: ServerContext, now: number, sections: Set<string>): string {
  const blocks: string[] = [];
  for (const name of ORDER) {
    if (!sections.has(name)) continue;
    const title = TITLES[name] ?? name[0]!.toUpperCase() + name.slice(1);
    let block = `# ${title}\r\n`;
    for (const [k, v] of SECTIONS[name]!(server, now)) block += `${k}:${v}\r\n`;
    blocks.push(block);
  }
  return blocks.join('\r\n');
}

/* INFO [section [section ...]] */
export function infoCommand(c: Client, argv: string[]): void {
  c.reply.verbatim(infoText(c.server, c.now, selectSections(argv.slice(1))));
}

function serverSection(server: ServerContext, now: number): Fields {
  const uptime = Math.floor((now - server.startedAt) / 1000);
  const hz = server.config.get('hz');
  return [
    ['redis_version', REDIS_VERSION],
    ['kv_server_version', VERSION],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', '0'],
    ['redis_mode', 'standalone'],
    ['os', `${os.type()} ${os.release()} ${os.machine()}`],
    ['arch_bits', process.arch.endsWith('64') ? 64 : 32],
    ['monotonic_clock', 'POSIX clock_gettime'],
    ['multiplexing_api', 'libuv'],
    ['atomicvar_api', 'c11-builtin'],
    ['gcc_version', '0.0.0'],
    ['node_version', process.versions.node],
    ['process_id', process.pid],
    ['process_supervised', 'no'],
    ['run_id', server.runId],
    ['tcp_port', server.tcpPort],
    ['server_time_usec', wallClockMicros()],
    ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', hz],
    ['configured_hz', hz],
    ['lru_clock', Math.floor(now / 1000) & 0xffffff],
    ['executable', process.argv[1] ?? ''],
    ['config_file', server.config.file ?? ''],
    ['io_threads_active', 0],
  ];
}

function clientsSection(server: ServerContext): Fields {
  return [
    ['connected_clients', server.clients.size],
    ['cluster_connections', 0],
    ['maxclients', server.config.get('maxclients')],
    ['client_recent_max_input_buffer', 0],
    ['client_recent_max_output_buffer', 0],
    // clients held by CLIENT PAUSE are blocked too, as Redis's BLOCKED_POSTPONE
    ['blocked_clients', server.blocking.count + server.pause.heldCount],
    ['tracking_clients', server.tracking.clientCount],
    ['clients_in_timeout_table', server.blocking.withTimeout],
  ];
}

/** Bytes as Redis's bytesToHuman: `992.27K`, `6.93M`, `0B`. */
export function bytesToHuman(n: number): string {
  const units = ['B', 'K', 'M', 'G', 'T', 'P'];
  if (n < 1024) return `${n}B`;
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(2)}${units[i]}`;
}

/*
 * used_memory is the keyspace's memory, counted exactly where it can be (engine/keyspace.ts
 * `memory`: the arena's pages, the shards' indexes and the handle table, plus the collections'
 * size estimate) on top of the process's own JavaScript heap as it was when this module loaded
 * (code, tables, the server's own state): what maxmemory will be enforced against.
 * used_memory_dataset is the keys' and values' share: the chunks records occupy and the
 * collections' estimate.
 */

/** The figures INFO memory and MEMORY STATS report (bytes); reading them updates the peak. */
export function memoryFigures(server: ServerContext): { used: number; peak: number; dataset: number; startup: number; rss: number; heapUsed: number } {
  const m = process.memoryUsage();
  const ks = server.keyspace;
  const used = server.usedMemory();
  server.stats.peakMemory = Math.max(server.stats.peakMemory, used);
  return { used, peak: server.stats.peakMemory, dataset: ks.datasetBytes, startup: used - ks.memory, rss: m.rss, heapUsed: m.heapUsed };
}

/**
 * INFO memory's scripting fields, as Redis 7.0: the Lua heap of the engine EVAL scripts run on
 * (the main thread's; functions share it: there is no separate functions VM here), the cached
 * scripts' and libraries' code bytes, and their counts.
 */
function scriptsMemory(server: ServerContext): Fields {
  const state = scriptingOf(server);
  const vm = mainLuaHeapBytes();
  let evalBytes = 0;
  for (const body of state.scripts.values()) evalBytes += body.length;
  let fnBytes = 0;
  for (const lib of state.libraries.values()) fnBytes += lib.code.length;
  return [
    ['used_memory_lua', vm],
    ['used_memory_vm_eval', vm],
    ['used_memory_lua_human', bytesToHuman(vm)],
    ['used_memory_scripts_eval', evalBytes],
    ['number_of_cached_scripts', state.scripts.size],
    ['number_of_functions', state.functions.size],
    ['number_of_libraries', state.libraries.size],
    ['used_memory_vm_functions', 0],
    ['used_memory_vm_total', vm],
    ['used_memory_vm_total_human', bytesToHuman(vm)],
    ['used_memory_functions', fnBytes],
    ['used_memory_scripts', evalBytes + fnBytes],
    ['used_memory_scripts_human', bytesToHuman(evalBytes + fnBytes)],
  ];
}

function memorySection(server: ServerContext): Fields {
  const m = memoryFigures(server);
  const { used, peak, dataset } = m;
  const maxmemory = Number(server.config.get('maxmemory'));
  const total = os.totalmem();
  return [
    ['used_memory', used],
    ['used_memory_human', bytesToHuman(used)],
    ['used_memory_rss', m.rss],
    ['used_memory_rss_human', bytesToHuman(m.rss)],
    ['used_memory_peak', peak],
    ['used_memory_peak_human', bytesToHuman(peak)],
    ['used_memory_peak_perc', `${((used / peak) * 100).toFixed(2)}%`],
    ['used_memory_overhead', Math.max(0, used - dataset)],
    ['used_memory_dataset', dataset],
    ['used_memory_dataset_perc', `${((dataset / used) * 100).toFixed(2)}%`],
    ['total_system_memory', total],
    ['total_system_memory_human', bytesToHuman(total)],
    ...scriptsMemory(server),
    ['maxmemory', maxmemory],
    ['maxmemory_human', bytesToHuman(maxmemory)],
    ['maxmemory_policy', server.config.get('maxmemory-policy')],
    ['mem_fragmentation_ratio', (m.rss / used).toFixed(2)],
    ['mem_not_counted_for_evict', 0],
    ['mem_clients_normal', 0],
  ];
}

function persistenceSection(server: ServerContext): Fields {
  return [
    ['loading', 0],
    ['async_loading', 0],
    ['rdb_changes_since_last_save', server.keyspace.stats.dirty - server.persistence.dirtyAtSave],
    ['rdb_bgsave_in_progress', 0],
    ['rdb_last_save_time', server.lastSave],
    ['rdb_last_bgsave_status', server.persistence.lastStatus],
    ['rdb_last_bgsave_time_sec', server.persistence.lastSaveSeconds],
    ['rdb_current_bgsave_time_sec', -1],
    ['rdb_saves', server.persistence.saves],
    ...aofFields(server),
  ];
}

/** INFO persistence's aof_ fields; a rewrite is over by the time it is asked about (no fork). */
function aofFields(server: ServerContext): Fields {
  const aof = server.aof;
  const fields: Fields = [
    ['aof_enabled', aof.enabled ? 1 : 0],
    ['aof_rewrite_in_progress', 0],
    ['aof_rewrite_scheduled', 0],
    ['aof_last_rewrite_time_sec', aof.lastRewriteSeconds],
    ['aof_current_rewrite_time_sec', -1],
    ['aof_last_bgrewrite_status', 'ok'],
    ['aof_rewrites', aof.rewrites],
    ['aof_rewrites_consecutive_failures', 0],
    ['aof_last_write_status', aof.lastWriteStatus],
    ['aof_last_cow_size', 0],
  ];
  if (aof.enabled) {
    fields.push(
      ['aof_current_size', aof.currentSize],
      ['aof_base_size', aof.baseSize],
      ['aof_pending_rewrite', 0],
      ['aof_buffer_length', aof.bufferLength],
      ['aof_pending_bio_fsync', 0],
      ['aof_delayed_fsync', 0],
    );
  }
  return fields;
}

function statsSection(server: ServerContext): Fields {
  const s = server.stats;
  return [
    ['total_connections_received', s.totalConnections],
    ['total_commands_processed', s.totalCommands],
    ['instantaneous_ops_per_sec', 0],
    ['total_net_input_bytes', s.netInputBytes],
    ['total_net_output_bytes', s.netOutputBytes],
    ['instantaneous_input_kbps', '0.00'],
    ['instantaneous_output_kbps', '0.00'],
    ['rejected_connections', s.rejectedConnections],
    ['sync_full', 0],
    ['sync_partial_ok', 0],
    ['sync_partial_err', 0],
    ['expired_keys', server.keyspace.stats.expired],
    ['expired_stale_perc', '0.00'],
    ['expired_time_cap_reached_count', 0],
    ['evicted_keys', 0],
    ['evicted_clients', 0],
    ['keyspace_hits', server.keyspace.stats.hits],
    ['keyspace_misses', server.keyspace.stats.misses],
    ['pubsub_channels', server.pubsub.channelCount],
    ['pubsub_patterns', server.pubsub.patternCount],
    ['pubsubshard_channels', server.pubsub.shardChannels.size],
    ['latest_fork_usec', 0],
    ['total_forks', 0],
    ['tracking_total_keys', server.tracking.keyCount],
    ['tracking_total_items', server.tracking.itemCount],
    ['tracking_total_prefixes', server.tracking.prefixCount],
    ['total_error_replies', server.errorStats.total],
  ];
}

/** `errorstat_ERR:count=3` for each error code replied since the start (or CONFIG RESETSTAT). */
function errorStatsSection(server: ServerContext): Fields {
  const out: Fields = [];
  for (const [code, n] of server.errorStats.byCode) out.push([`errorstat_${code}`, `count=${n}`]);
  return out;
}

function replicationSection(server: ServerContext, now: number): Fields {
  const feed = server.replication;
  return [
    ['role', 'master'],
    ['connected_slaves', feed.replicas.size],
    ...feed.replicaInfo(now).map((line, i): [string, string] => [`slave${i}`, line]),
    ['master_failover_state', 'no-failover'],
    ['master_replid', server.runId],
    ['master_replid2', '0'.repeat(40)],
    ['master_repl_offset', feed.offset],
    ['second_repl_offset', -1],
    ['repl_backlog_active', 0],
    ['repl_backlog_size', 1048576],
    ['repl_backlog_first_byte_offset', 0],
    ['repl_backlog_histlen', 0],
  ];
}

function cpuSection(): Fields {
  const u = process.cpuUsage();
  const sys = (u.system / 1e6).toFixed(6);
  const user = (u.user / 1e6).toFixed(6);
  return [
    ['used_cpu_sys', sys],
    ['used_cpu_user', user],
    ['used_cpu_sys_children', '0.000000'],
    ['used_cpu_user_children', '0.000000'],
    ['used_cpu_sys_main_thread', sys],
    ['used_cpu_user_main_thread', user],
  ];
}

/** `db0:keys=1,expires=0,avg_ttl=0` for each non-empty database. */
function keyspaceSection(server: ServerContext, now: number): Fields {
  const out: Fields = [];
  for (const db of server.keyspace.dbs) {
    const keys = db.size;
    if (keys === 0) continue;
    out.push([`db${db.id}`, `keys=${keys},expires=${db.expiresCount},avg_ttl=${db.averageTtl(now)}`]);
  }
  // then the namespaces (KV.NS), named: ns_<name>:keys=…
  for (const db of server.keyspace.namespaces.values()) {
    const keys = db.size;
    if (keys === 0) continue;
    out.push([`ns_${db.name}`, `keys=${keys},expires=${db.expiresCount},avg_ttl=${db.averageTtl(now)}`]);
  }
  return out;
}
