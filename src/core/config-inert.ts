/*
 * Redis 7's configuration parameters that kv-server accepts and reports without acting on them
 * (replication, TLS, cluster, defragmentation, AOF tuning, process-title and OS knobs…), with
 * Redis 7.0's defaults, so that a stock redis.conf loads and CONFIG GET/SET of them works. Loading
 * one from a config file logs it once at `verbose` (docs/compatibility.md lists them).
 * Generated from `CONFIG GET *` of redis-server 7.0.15 (the old `slave`/`ziplist` alias names
 * are left to the aliases mechanism).
 */
import { parseMemory, type Param } from './config.js';

export const INERT_PARAMS: ReadonlyArray<readonly [name: string, defaultValue: string]> = [
  ['active-defrag-cycle-max', "25"],
  ['active-defrag-cycle-min', "1"],
  ['active-defrag-ignore-bytes', "104857600"],
  ['active-defrag-max-scan-fields', "1000"],
  ['active-defrag-threshold-lower', "10"],
  ['active-defrag-threshold-upper', "100"],
  ['activedefrag', "no"],
  ['always-show-logo', "no"],
  ['aof-disable-auto-gc', "no"],
  ['aof-load-truncated', "yes"],
  ['aof-rewrite-incremental-fsync', "yes"],
  ['aof-timestamp-enabled', "no"],
  ['aof-use-rdb-preamble', "yes"],
  ['aof_rewrite_cpulist', ""],
  ['auto-aof-rewrite-min-size', "67108864"],
  ['auto-aof-rewrite-percentage', "100"],
  ['bgsave_cpulist', ""],
  ['bind-source-addr', ""],
  ['bio_cpulist', ""],
  ['client-output-buffer-limit', "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"],
  ['cluster-allow-pubsubshard-when-down', "yes"],
  ['cluster-allow-reads-when-down', "no"],
  ['cluster-allow-replica-migration', "yes"],
  ['cluster-announce-bus-port', "0"],
  ['cluster-announce-hostname', ""],
  ['cluster-announce-ip', ""],
  ['cluster-announce-port', "0"],
  ['cluster-announce-tls-port', "0"],
  ['cluster-config-file', "nodes.conf"],
  ['cluster-link-sendbuf-limit', "0"],
  ['cluster-migration-barrier', "1"],
  ['cluster-node-timeout', "15000"],
  ['cluster-port', "0"],
  ['cluster-preferred-endpoint-type', "ip"],
  ['cluster-replica-no-failover', "no"],
  ['cluster-replica-validity-factor', "10"],
  ['cluster-require-full-coverage', "yes"],
  ['crash-log-enabled', "yes"],
  ['crash-memcheck-enabled', "yes"],
  ['disable-thp', "yes"],
  ['enable-module-command', "no"],
  ['enable-protected-configs', "no"],
  ['ignore-warnings', ""],
  ['io-threads-do-reads', "no"],
  ['jemalloc-bg-thread', "yes"],
  ['masterauth', ""],
  ['masteruser', ""],
  ['maxmemory-eviction-tenacity', "10"],
  ['min-replicas-max-lag', "10"],
  ['min-replicas-to-write', "0"],
  ['no-appendfsync-on-rewrite', "no"],
  ['oom-score-adj', "no"],
  ['oom-score-adj-values', "0 200 800"],
  ['proc-title-template', "{title} {listen-addr} {server-mode}"],
  ['propagation-error-behavior', "ignore"],
  ['rdb-del-sync-files', "no"],
  ['rdb-save-incremental-fsync', "yes"],
  ['repl-backlog-size', "1048576"],
  ['repl-backlog-ttl', "3600"],
  ['repl-disable-tcp-nodelay', "no"],
  ['repl-diskless-load', "disabled"],
  ['repl-diskless-sync', "yes"],
  ['repl-diskless-sync-delay', "5"],
  ['repl-diskless-sync-max-replicas', "0"],
  ['repl-ping-replica-period', "10"],
  ['repl-timeout', "60"],
  ['replica-announce-ip', ""],
  ['replica-announce-port', "0"],
  ['replica-announced', "yes"],
  ['replica-ignore-disk-write-errors', "no"],
  ['replica-ignore-maxmemory', "yes"],
  ['replica-lazy-flush', "no"],
  ['replica-priority', "100"],
  ['replica-serve-stale-data', "yes"],
  ['replicaof', ""],
  ['sanitize-dump-payload', "no"],
  ['server_cpulist', ""],
  ['set-proc-title', "yes"],
  ['shutdown-on-sigint', "default"],
  ['shutdown-on-sigterm', "default"],
  ['shutdown-timeout', "10"],
  ['socket-mark-id', "0"],
  ['syslog-enabled', "no"],
  ['syslog-facility', "local0"],
  ['syslog-ident', "redis"],
  ['tls-client-cert-file', ""],
  ['tls-client-key-file', ""],
  ['tls-client-key-file-pass', ""],
  ['tls-cluster', "no"],
  ['tls-dh-params-file', ""],
  ['tls-replication', "no"],
  ['tls-session-cache-size', "20480"],
  ['tls-session-cache-timeout', "300"],
  ['tls-session-caching', "yes"],
  ['unixsocketperm', "0"],
];

/** A number, or a memory size as Redis writes them (`64mb`), shown in bytes. */
function parseNumberOrMemory(value: string): { value: string } | { error: string } {
  if (/^-?\d+$/.test(value)) return { value: String(Number(value)) };
  const n = parseMemory(value);
  return n === null ? { error: "argument couldn't be parsed into an integer" } : { value: String(n) };
}

/** The parameter row of an inert parameter: its kind guessed from Redis's default. */
export function inertParam(name: string, value: string): Param {
  const kind: Param['kind'] =
    value === 'yes' || value === 'no'
      ? { type: 'bool' }
      : /^-?\d+$/.test(value)
        ? { type: 'special', parse: parseNumberOrMemory }
        : { type: 'string' };
  return { name, kind, default: value, mutable: true, inert: true };
}
