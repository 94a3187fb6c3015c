/*
 * Differential server and introspection commands: CONFIG, INFO's shape, TIME, LASTSAVE,
 * SHUTDOWN's errors, CLIENT and COMMAND, byte for byte against redis-server.
 */
import { differentialSuite } from './differential.js';

/** `*2 $n secs $n micros` → shape only: the two servers' clocks are read at different instants. */
const timeShape = (raw: string) => raw.replace(/\$\d+\r\n\d+\r\n/g, '$N\r\nDIGITS\r\n');
/** an integer reply → its sign only: LASTSAVE is each server's own start time */
const positiveInt = (raw: string) => (/^:[1-9]\d*\r\n$/.test(raw) ? ':positive\r\n' : raw);
/** CONFIG GET with several matches: Redis replies in its hash table's order, so compare sorted pairs */
const sortedPairs = (raw: string) => {
  const parts = raw.split('\r\n');
  const pairs: string[] = [];
  for (let i = 1; i + 3 < parts.length; i += 4) pairs.push(parts.slice(i, i + 4).join('|'));
  return parts[0] + ' ' + pairs.sort().join(' ');
};

/**
 * CLIENT LIST/INFO: ids, ports, fds, ages and buffer/memory sizes differ between any two servers,
 * so their values are masked; `lib-name`/`lib-ver` are Redis 7.2 fields that 7.0.15 does not print.
 */
const clientLine = (raw: string) =>
  raw
    .replace(/\b(id|addr|laddr|fd|age|idle|qbuf|qbuf-free|argv-mem|rbs|rbp|obl|omem|tot-mem)=\S*/g, '$1=X')
    .replace(/ lib-name=\S* lib-ver=\S*/g, '')
    .replace(/^[$=]\d+/, 'LEN');
/**
 * CLIENT HELP: the lines later versions added (KILL's ID and MAXAGE filters, SETINFO, NO-TOUCH;
 * kv-server reports 7.2) are dropped with their array count, the rest must equal 7.0.15's text.
 */
const LATER_HELP = /^\+(    \* (ID|MAXAGE) .*|      Kill connections (by client id|older than the specified age)\.|SETINFO .*|    Set client meta attr\. Options are:|    \* LIB-(NAME|VER): .*|NO-TOUCH .*|    Will not touch LRU\/LFU stats when this mode is on\.)$/;
const helpWithout72 = (raw: string) => {
  const lines = raw.split('\r\n').slice(1, -1).filter((l) => !LATER_HELP.test(l));
  return `*${lines.length}\r\n` + lines.join('\r\n') + '\r\n';
};
/** an integer reply → `:id`: client ids depend on how many connections each server has seen */
const anyInt = (raw: string) => raw.replace(/^:\d+\r\n$/, ':id\r\n');

differentialSuite('differential: server', {
  'config get': [
    ['CONFIG', 'GET', 'maxmemory'], ['CONFIG', 'GET', 'save'], ['CONFIG', 'GET', 'appendonly'], ['CONFIG', 'GET', 'nosuch'],
    ['CONFIG', 'GET', 'MAXMEMORY-policy'], ['CONFIG', 'GET', 'databases'], ['CONFIG', 'GET', 'hz'], ['CONFIG', 'GET', 'timeout'],
    ['config', 'get', 'maxmemory-p*'], ['CONFIG', 'GET', 'notify-keyspace-events'], ['CONFIG', 'GET'],
    { cmd: ['CONFIG', 'GET', 'maxmemory', 'timeout', 'hz', 'nosuch'], normalize: sortedPairs },
    { cmd: ['CONFIG', 'GET', 'lazyfree-lazy-*'], normalize: sortedPairs },
    // hidden parameters: by exact name only
    ['CONFIG', 'GET', 'rdb-key-save-delay'], ['CONFIG', 'GET', 'rdb-key*'], ['CONFIG', 'GET', 'key-load-delay'], ['CONFIG', 'GET', 'use-exit-on-panic'],
    ['CONFIG', 'GET', 'loading-process-events-interval-bytes'], ['CONFIG', 'GET', 'watchdog*'],
  ],
  'config set': [
    ['CONFIG', 'SET', 'maxmemory', '1gb'], ['CONFIG', 'GET', 'maxmemory'], ['CONFIG', 'SET', 'maxmemory', '0'],
    ['CONFIG', 'SET', 'maxmemory-clients', '10%'], ['CONFIG', 'GET', 'maxmemory-clients'], ['CONFIG', 'SET', 'maxmemory-clients', '101%'],
    ['CONFIG', 'SET', 'maxmemory-clients', '-1'], ['CONFIG', 'SET', 'maxmemory-clients', '5%x'], ['CONFIG', 'SET', 'maxmemory-clients', '%'],
    ['CONFIG', 'SET', 'maxmemory-clients', '1mb'], ['CONFIG', 'GET', 'maxmemory-clients'], ['CONFIG', 'SET', 'maxmemory-clients', '0'],
    ['CONFIG', 'SET', 'key-load-delay', '-5'], ['CONFIG', 'GET', 'key-load-delay'], ['CONFIG', 'SET', 'key-load-delay', '0'], ['CONFIG', 'SET', 'rdb-key-save-delay', 'x'],
    ['CONFIG', 'SET', 'loading-process-events-interval-bytes', '10'], ['CONFIG', 'SET', 'rdb-key-save-delay', '100'], ['CONFIG', 'SET', 'rdb-key-save-delay', '0'],
    ['CONFIG', 'SET', 'nosuch', 'x'], ['CONFIG', 'SET', 'NoSuch', 'x', 'hz', '10'], ['CONFIG', 'SET', 'hz'], ['CONFIG', 'SET', 'hz', '10', 'x'],
    ['CONFIG', 'SET', 'hz', 'x'], ['CONFIG', 'SET', 'HZ', '-1'], ['CONFIG', 'SET', 'hz', '1000'], ['CONFIG', 'GET', 'hz'], ['CONFIG', 'SET', 'hz', '0'], ['CONFIG', 'GET', 'hz'],
    ['CONFIG', 'SET', 'hz', '10', 'hz', '11'], ['CONFIG', 'SET', 'hz', '12', 'maxclients', 'x'], ['CONFIG', 'GET', 'hz'], ['CONFIG', 'SET', 'hz', '10'],
    ['CONFIG', 'SET', 'maxclients', '0'], ['CONFIG', 'SET', 'maxclients', '100000000000'], ['CONFIG', 'SET', 'timeout', '-1'],
    ['CONFIG', 'SET', 'databases', '4'], ['CONFIG', 'SET', 'daemonize', 'no'], ['CONFIG', 'SET', 'tcp-backlog', '1'],
    ['CONFIG', 'SET', 'protected-mode', 'maybe'], ['CONFIG', 'SET', 'maxmemory', '1x'], ['CONFIG', 'SET', 'maxmemory', '-1'], ['CONFIG', 'SET', 'maxmemory', '1.5k'],
    ['CONFIG', 'SET', 'proto-max-bulk-len', '10'], ['CONFIG', 'SET', 'maxmemory-policy', 'nope'], ['CONFIG', 'SET', 'maxmemory-policy', 'ALLKEYS-LRU'],
    ['CONFIG', 'GET', 'maxmemory-policy'], ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
    ['CONFIG', 'SET', 'maxmemory', '10mb', 'maxmemory-policy', 'allkeys-lru'], ['CONFIG', 'GET', 'maxmemory'], ['CONFIG', 'SET', 'maxmemory', '0', 'maxmemory-policy', 'noeviction'],
  ],
  'config set notify-keyspace-events and save': [
    ['CONFIG', 'SET', 'notify-keyspace-events', 'Ex'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'Ag$lshzxeKEtmdn'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'tdmn'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'Q'], ['CONFIG', 'SET', 'notify-keyspace-events', ''], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'save', '100'], ['CONFIG', 'SET', 'save', 'a 1'], ['CONFIG', 'SET', 'save', '  '], ['CONFIG', 'SET', 'save', '1  1 2 2'],
    ['CONFIG', 'GET', 'save'], ['CONFIG', 'SET', 'save', ''], ['CONFIG', 'GET', 'save'],
  ],
  'config misc': [
    ['CONFIG'], ['CONFIG', 'HELP'], ['CONFIG', 'help', 'x'], ['CONFIG', 'NOSUCH'], ['CONFIG', 'RESETSTAT'], ['CONFIG', 'REWRITE'], ['CONFIG', 'RESETSTAT', 'x'],
  ],
  'time and lastsave': [{ cmd: ['TIME'], normalize: timeShape }, ['TIME', 'x'], { cmd: ['LASTSAVE'], normalize: positiveInt }, ['LASTSAVE', 'x']],
  'shutdown errors': [
    ['SHUTDOWN', 'foo'], ['SHUTDOWN', 'NOSAVE', 'SAVE'], ['SHUTDOWN', 'ABORT'], ['SHUTDOWN', 'ABORT', 'NOW'], ['shutdown', 'abort'],
  ],
  'info shape': [['INFO', 'keyspace'], ['INFO', 'cluster'], ['INFO', 'CLUSTER', 'cluster'], ['INFO', 'nosuch'], ['INFO', 'nosuch', 'cluster'], ['INFO', 'keyspace', 'cluster'], ['INFO', 'modules'],
    ['SET', 'k', 'v'], ['INFO', 'keyspace'], ['SELECT', '3'], ['SET', 'k', 'v'], ['SET', 'k2', 'v'], ['INFO', 'keyspace'],
    // HELLO's reply carries the version and the client id, which differ by design
    { cmd: ['HELLO', '3'], normalize: () => 'hello' }, ['INFO', 'keyspace', 'cluster'], { cmd: ['CLIENT', 'INFO'], normalize: clientLine },
    ['CONFIG', 'GET', 'hz'], ['CONFIG', 'GET', 'nosuch'], ['CLIENT', 'GETNAME']],
  'client names and ids': [
    { cmd: ['CLIENT', 'ID'], normalize: anyInt }, ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME', 'conn-1'], ['CLIENT', 'GETNAME'],
    ['CLIENT', 'SETNAME', 'a b'], ['CLIENT', 'SETNAME', 'caf\xe9'], ['CLIENT', 'SETNAME', ''], ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME'],
    ['CLIENT', 'NOSUCH'], ['CLIENT'], { cmd: ['CLIENT', 'HELP'], normalize: helpWithout72 }, ['CLIENT', 'ID', 'x'], ['client', 'getname', 'x'],
  ],
  'client list and info': [
    ['CLIENT', 'SETNAME', 'me'], ['SELECT', '2'],
    { cmd: ['CLIENT', 'INFO'], normalize: clientLine }, { cmd: ['CLIENT', 'LIST'], normalize: clientLine },
    { cmd: ['CLIENT', 'LIST', 'TYPE', 'normal'], normalize: clientLine }, ['CLIENT', 'LIST', 'TYPE', 'pubsub'], ['CLIENT', 'LIST', 'TYPE', 'master'],
    ['CLIENT', 'LIST', 'TYPE', 'slave'], ['CLIENT', 'LIST', 'TYPE', 'foo'], ['CLIENT', 'LIST', 'TYPE'], ['CLIENT', 'LIST', 'ID', '0'],
    ['CLIENT', 'LIST', 'ID', 'x'], ['CLIENT', 'LIST', 'ID', '999999'], ['CLIENT', 'LIST', 'ID', '-5', '99999999999999999999'], ['CLIENT', 'LIST', 'foo'], ['CLIENT', 'LIST', 'TYPE', 'normal', 'ID', '1'],
  ],
  'client kill errors': [
    ['CLIENT', 'KILL', '1.2.3.4:5'], ['CLIENT', 'KILL', 'ID', '999999'], ['CLIENT', 'KILL', 'ID', 'x'], ['CLIENT', 'KILL', 'ID', '0'],
    ['CLIENT', 'KILL', 'TYPE', 'foo'], ['CLIENT', 'KILL', 'TYPE', 'pubsub'], ['CLIENT', 'KILL', 'USER', 'nobody'], ['CLIENT', 'KILL', 'USER', 'default'],
    ['CLIENT', 'KILL', 'SKIPME', 'maybe'], ['CLIENT', 'KILL', 'ADDR', '1.2.3.4:5', 'SKIPME'], ['CLIENT', 'KILL', 'FOO', 'bar'], ['CLIENT', 'KILL'],
    ['CLIENT', 'KILL', 'ADDR', '1.2.3.4:5', 'LADDR', '1.2.3.4:6'],
  ],
  'client no-evict': [['CLIENT', 'NO-EVICT', 'on'], ['CLIENT', 'NO-EVICT', 'OFF'], ['CLIENT', 'NO-EVICT', 'maybe'], ['CLIENT', 'NO-EVICT']],
  'command info and docs': [
    ['COMMAND', 'INFO', 'get'], ['COMMAND', 'INFO', 'GET', 'nosuch', 'set'], ['COMMAND', 'INFO', 'config|get'], ['COMMAND', 'INFO', 'CLIENT|LIST', 'client|nosuch'],
    ['COMMAND', 'INFO', 'time', 'lastsave', 'info', 'monitor', 'shutdown', 'debug'],
    ['COMMAND', 'DOCS', 'get'], ['COMMAND', 'DOCS', 'set', 'nosuch'], ['COMMAND', 'DOCS', 'nosuch'], ['COMMAND', 'DOCS', 'config|set', 'client|kill'],
    // HELLO's reply carries the version and the client id, which differ by design
    { cmd: ['HELLO', '3'], normalize: () => 'hello' }, ['COMMAND', 'INFO', 'get', 'nosuch'], ['COMMAND', 'DOCS', 'set'], ['COMMAND', 'INFO', 'client|kill'],
  ],
  'command getkeys and list': [
    ['COMMAND', 'GETKEYS', 'get', 'a'], ['COMMAND', 'GETKEYS', 'set', 'a', 'b', 'EX', '10'], ['COMMAND', 'GETKEYS', 'get', 'a', 'b'],
    ['COMMAND', 'GETKEYS', 'nosuch', 'a'], ['COMMAND', 'GETKEYS', 'ping', 'x'], ['COMMAND', 'GETKEYS', 'get'], ['COMMAND', 'GETKEYS', 'config', 'get'],
    ['COMMAND', 'GETKEYS', 'config', 'nosuch', 'x'],
    ['COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'x'], ['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'nosuch'], ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'nosuch*'],
    ['COMMAND', 'LIST', 'FILTERBY', 'x', 'y'], ['COMMAND', 'LIST', 'x'], ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN'], ['COMMAND', 'COUNT', 'x'], ['COMMAND', 'NOSUCH'],
  ],
  'debug is not a container': [['DEBUG']],
  'monitor arity': [['MONITOR', 'x']],
});
