/*
 * Black-box tests of the server commands whose replies vary from run to run, so they cannot be
 * compared byte for byte with Redis: INFO's fields, CLIENT LIST/KILL over several connections,
 * MONITOR's lines, CONFIG REWRITE with a restart, SHUTDOWN's hook, TIME and DEBUG SLEEP.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RawClient, startKv } from './harness.js';
import { parseCli } from '../src/server/cli.js';
import { startServer, type RunningServer } from '../src/server/app.js';
import { Logger } from '../src/server/log.js';
import { REDIS_VERSION, VERSION } from '../src/core/version.js';
import type { ShutdownOptions } from '../src/core/server-context.js';

/** The payload of a bulk (RESP2) reply. */
function bulkText(raw: string): string {
  const nl = raw.indexOf('\r\n');
  assert.is(raw[0], '$', `not a bulk: ${JSON.stringify(raw.slice(0, 40))}`);
  return raw.slice(nl + 2, -2);
}

function infoFields(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) out.set(line.slice(0, at), line.slice(at + 1));
  }
  return out;
}

const test = suite('server commands (black box)');
let kv: RunningServer;
test.before(async () => {
  kv = await startKv();
});
test.after(async () => {
  await kv.stop();
});

test('INFO: sections, CRLF, the fields clients read', async () => {
  const c = await RawClient.connect(kv.port);
  await c.call('SET', 'k', 'v');
  const text = bulkText(await c.call('INFO'));
  assert.not.match(text.replace(/\r\n/g, ''), /[\r\n]/, 'every line ends with CRLF');
  const headers = text.split('\r\n').filter((l) => l.startsWith('# '));
  assert.equal(headers, ['# Server', '# Clients', '# Memory', '# Persistence', '# Stats', '# Replication', '# CPU', '# Modules', '# Errorstats', '# Cluster', '# Keyspace']);
  const f = infoFields(text);
  assert.is(f.get('redis_version'), REDIS_VERSION);
  assert.is(f.get('kv_server_version'), VERSION);
  assert.is(f.get('redis_mode'), 'standalone');
  assert.is(f.get('loading'), '0');
  assert.is(f.get('role'), 'master');
  assert.is(f.get('cluster_enabled'), '0');
  assert.is(f.get('maxmemory_policy'), 'noeviction');
  assert.is(f.get('tcp_port'), String(kv.port));
  assert.is(f.get('connected_clients'), '1');
  assert.is(f.get('db0'), 'keys=1,expires=0,avg_ttl=0');
  assert.ok(Number(f.get('used_memory')) > 0);
  assert.ok(Number(f.get('used_memory_dataset')) > 0);
  assert.ok(Number(f.get('uptime_in_seconds')) >= 0);
  assert.ok(Number(f.get('total_commands_processed')) >= 2);
  // sections by name, in any case, several at once, printed in Redis's order
  const two = bulkText(await c.call('info', 'KEYSPACE', 'server'));
  assert.ok(two.startsWith('# Server\r\n'));
  assert.ok(two.endsWith('\r\n# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n'));
  const everything = bulkText(await c.call('INFO', 'everything'));
  assert.ok(everything.includes('# Commandstats\r\n') && everything.includes('# Latencystats\r\n'));
  // RESP3: a verbatim string
  await c.call('HELLO', '3');
  const v = await c.call('INFO', 'cluster');
  assert.is(v, '=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n');
  c.close();
});

test('INFO: keyspace avg_ttl, expires, and CONFIG RESETSTAT', async () => {
  const c = await RawClient.connect(kv.port);
  await c.call('SELECT', '5');
  await c.call('SET', 'a', '1', 'EX', '100');
  await c.call('SET', 'b', '1');
  const f = infoFields(bulkText(await c.call('INFO', 'keyspace')));
  const m = /^keys=2,expires=1,avg_ttl=(\d+)$/.exec(f.get('db5') ?? '');
  assert.ok(m, f.get('db5'));
  assert.ok(Number(m![1]) > 90_000 && Number(m![1]) <= 100_000);
  assert.is(await c.call('CONFIG', 'RESETSTAT'), '+OK\r\n');
  const stats = infoFields(bulkText(await c.call('INFO', 'stats')));
  assert.is(stats.get('total_commands_processed'), '1', 'only this INFO counted since the reset');
  c.close();
});

test('CLIENT LIST shows both connections; CLIENT INFO shows itself', async () => {
  const a = await RawClient.connect(kv.port);
  const b = await RawClient.connect(kv.port);
  await a.call('CLIENT', 'SETNAME', 'alpha');
  await b.call('CLIENT', 'SETNAME', 'beta');
  await b.call('SELECT', '3');
  await b.call('CLIENT', 'SETINFO', 'LIB-NAME', 'mylib');
  await b.call('CLIENT', 'SETINFO', 'lib-ver', '1.2.3');
  const idA = Number((await a.call('CLIENT', 'ID')).slice(1, -2));
  const idB = Number((await b.call('CLIENT', 'ID')).slice(1, -2));
  const lines = bulkText(await a.call('CLIENT', 'LIST')).split('\n');
  assert.is(lines.pop(), '', 'each line ends with a newline');
  const mine = lines.filter((l) => / name=(alpha|beta) /.test(l));
  assert.is(mine.length, 2);
  const la = mine.find((l) => l.includes('name=alpha'))!;
  const lb = mine.find((l) => l.includes('name=beta'))!;
  assert.match(la, new RegExp(`^id=${idA} addr=127\\.0\\.0\\.1:\\d+ laddr=127\\.0\\.0\\.1:${kv.port} fd=-?\\d+ name=alpha age=\\d+ idle=\\d+ flags=N db=0 `));
  assert.match(la, / cmd=client\|list user=default redir=-1 resp=2 lib-name= lib-ver=$/);
  assert.match(lb, new RegExp(`^id=${idB} .* db=3 .* cmd=client\\|id .* lib-name=mylib lib-ver=1\\.2\\.3$`));
  const fields = la.split(' ').map((kv) => kv.slice(0, kv.indexOf('=')));
  assert.equal(fields, ['id', 'addr', 'laddr', 'fd', 'name', 'age', 'idle', 'flags', 'db', 'sub', 'psub', 'ssub', 'multi', 'qbuf', 'qbuf-free', 'argv-mem', 'multi-mem', 'rbs', 'rbp', 'obl', 'oll', 'omem', 'tot-mem', 'events', 'cmd', 'user', 'redir', 'resp', 'lib-name', 'lib-ver']);
  const info = bulkText(await b.call('CLIENT', 'INFO'));
  assert.match(info, new RegExp(`^id=${idB} .* name=beta .* cmd=client\\|info .*\\n$`));
  const byId = bulkText(await a.call('CLIENT', 'LIST', 'ID', String(idB), '999999'));
  assert.is(byId.split('\n').length, 2);
  assert.ok(byId.startsWith(`id=${idB} `));
  // CLIENT SETINFO errors
  assert.is(await a.call('CLIENT', 'SETINFO', 'Lib-Foo', 'x'), "-ERR Unrecognized option 'Lib-Foo'\r\n");
  assert.is(await a.call('CLIENT', 'SETINFO', 'lib-NAME', 'a b'), '-ERR lib-NAME cannot contain spaces, newlines or special characters.\r\n');
  a.close();
  b.close();
});

test('CLIENT MAINT_NOTIFICATIONS (what 2026 clients send on every RESP3 connection) is accepted quietly and checked', async () => {
  const c = await RawClient.connect(kv.port);
  await c.call('HELLO', '3');
  assert.is(await c.call('CLIENT', 'MAINT_NOTIFICATIONS', 'ON', 'moving-endpoint-type', 'internal-ip'), '+OK\r\n');
  assert.is(await c.call('CLIENT', 'MAINT_NOTIFICATIONS', 'on'), '+OK\r\n');
  assert.is(await c.call('CLIENT', 'maint_notifications', 'OFF'), '+OK\r\n');
  assert.is(await c.call('CLIENT', 'MAINT_NOTIFICATIONS', 'maybe'), '-ERR syntax error\r\n');
  assert.is(await c.call('CLIENT', 'MAINT_NOTIFICATIONS', 'on', 'moving-endpoint-type'), '-ERR syntax error\r\n');
  assert.is(await c.call('CLIENT', 'MAINT_NOTIFICATIONS', 'on', 'moving-endpoint-type', 'moon'), '-ERR syntax error\r\n');
  assert.is(await c.call('CLIENT', 'MAINT_NOTIFICATIONS'), "-ERR wrong number of arguments for 'client|maint_notifications' command\r\n");
  // nothing is pushed afterwards: the next reply is the next command's
  assert.is(await c.call('PING'), '+PONG\r\n');
  c.close();
});

test('CLIENT KILL closes the other connection (old and new forms)', async () => {
  const a = await RawClient.connect(kv.port);
  const b = await RawClient.connect(kv.port);
  const c = await RawClient.connect(kv.port);
  const idB = (await b.call('CLIENT', 'ID')).slice(1, -2);
  assert.is(await a.call('CLIENT', 'KILL', 'ID', idB), ':1\r\n');
  await b.readUntilClose();
  assert.ok(b.closed);
  const addrC = /addr=(\S+)/.exec(bulkText(await c.call('CLIENT', 'INFO')))![1]!;
  assert.is(await a.call('CLIENT', 'KILL', addrC), '+OK\r\n');
  await c.readUntilClose();
  assert.is(await a.call('CLIENT', 'KILL', addrC), '-ERR No such client\r\n');
  // filters combine; MAXAGE keeps clients younger than the age; LADDR is the server's side
  const d = await RawClient.connect(kv.port);
  const idD = (await d.call('CLIENT', 'ID')).slice(1, -2);
  assert.is(await a.call('CLIENT', 'KILL', 'ID', idD, 'MAXAGE', '1000'), ':0\r\n');
  assert.is(await a.call('CLIENT', 'KILL', 'ID', idD, 'LADDR', '127.0.0.1:1'), ':0\r\n');
  assert.is(await a.call('CLIENT', 'KILL', 'ID', idD, 'TYPE', 'pubsub'), ':0\r\n');
  assert.is(await a.call('CLIENT', 'KILL', 'MAXAGE', 'x'), '-ERR value is not an integer or out of range\r\n');
  assert.is(await a.call('CLIENT', 'KILL', 'LADDR', `127.0.0.1:${kv.port}`, 'ID', idD, 'USER', 'default', 'TYPE', 'normal'), ':1\r\n');
  await d.readUntilClose();
  // SKIPME no: the caller gets its reply, then is closed too
  const myId = (await a.call('CLIENT', 'ID')).slice(1, -2);
  assert.is(await a.call('CLIENT', 'KILL', 'ID', myId, 'SKIPME', 'no'), ':1\r\n');
  await a.readUntilClose();
});

test('MONITOR: +OK, then a line per command of another client, binary args quoted; RESET ends it', async () => {
  const m = await RawClient.connect(kv.port);
  const c = await RawClient.connect(kv.port);
  assert.is(await m.call('MONITOR'), '+OK\r\n');
  await c.call('SET', 'k\x00\xff"\\\n\x07', 'v v');
  await c.call('SELECT', '2');
  await c.call('CONFIG', 'GET', 'save'); // admin: not shown
  await c.call('AUTH', 'secret');
  await c.call('NOSUCH'); // rejected before running: not shown
  await c.call('PING');
  const addr = /addr=(\S+)/.exec(bulkText(await c.call('CLIENT', 'INFO')))![1]!;
  const expected = [
    `[0 ${addr}] "SET" "k\\x00\\xff\\"\\\\\\n\\a" "v v"`,
    `[2 ${addr}] "SELECT" "2"`,
    `[2 ${addr}] "AUTH" "(redacted)"`,
    `[2 ${addr}] "PING"`,
    `[2 ${addr}] "CLIENT" "INFO"`,
  ];
  for (const want of expected) {
    const line = await m.readReply();
    const match = /^\+(\d+)\.(\d{6}) (.*)\r\n$/.exec(line);
    assert.ok(match, line);
    assert.ok(Math.abs(Number(match![1]) - Date.now() / 1000) < 10);
    assert.is(match![3], want);
  }
  // the monitoring client sees its own commands too, after their reply
  assert.is(await m.call('PING'), '+PONG\r\n');
  assert.match(await m.readReply(), /^\+\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "PING"\r\n$/);
  assert.is(await m.call('RESET'), '+RESET\r\n');
  await c.call('PING');
  assert.is(await m.call('PING'), '+PONG\r\n', 'no more monitor lines after RESET');
  // QUIT from a monitoring client closes it cleanly and stops the feed
  assert.is(await m.call('MONITOR'), '+OK\r\n');
  assert.is(await m.call('QUIT'), '+OK\r\n');
  await m.readUntilClose();
  assert.is(await c.call('PING'), '+PONG\r\n');
  assert.is(kv.context.monitors.size, 0);
  c.close();
});

test('TIME is microseconds of wall-clock time; DEBUG SLEEP blocks the server', async () => {
  const c = await RawClient.connect(kv.port);
  const m = /^\*2\r\n\$\d+\r\n(\d+)\r\n\$\d+\r\n(\d+)\r\n$/.exec(await c.call('TIME'));
  assert.ok(m);
  assert.ok(Math.abs(Number(m![1]) + Number(m![2]) / 1e6 - Date.now() / 1000) < 2);
  assert.ok(Number(m![2]) < 1e6);
  const other = await RawClient.connect(kv.port);
  const started = Date.now();
  c.write('*3\r\n$5\r\nDEBUG\r\n$5\r\nSLEEP\r\n$3\r\n0.3\r\n');
  await new Promise((r) => setTimeout(r, 20));
  assert.is(await other.call('PING'), '+PONG\r\n');
  assert.ok(Date.now() - started >= 280, 'the other client waited for the sleep');
  assert.is(await c.readReply(), '+OK\r\n');
  assert.is(await c.call('DEBUG', 'SLEEP', '0'), '+OK\r\n');
  assert.is(await c.call('DEBUG', 'JMAP'), "-ERR unknown subcommand or wrong number of arguments for 'JMAP'. Try DEBUG HELP.\r\n");
  assert.match(await c.call('DEBUG', 'HELP'), /^\*59\r\n\+DEBUG <subcommand> \[<arg> \[value\] \[opt\] \.\.\.\]\. Subcommands are:\r\n\+CHANGE-REPL-ID\r\n[^]*\+SLEEP <seconds>\r\n/);
  c.close();
  other.close();
});

test('SHUTDOWN calls the process hook with its options', async () => {
  const calls: ShutdownOptions[] = [];
  const previous = kv.context.shutdown;
  kv.context.shutdown = (o) => calls.push(o);
  const c = await RawClient.connect(kv.port);
  c.write('*1\r\n$8\r\nSHUTDOWN\r\n*3\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n$3\r\nNOW\r\n*2\r\n$8\r\nSHUTDOWN\r\n$4\r\nSAVE\r\n');
  await c.call('PING');
  kv.context.shutdown = previous;
  // plain SHUTDOWN saves only with save points configured (none here); SHUTDOWN SAVE saved the file first
  assert.equal(calls, [{ save: false }, { now: true, save: false }, { save: true }]);
  assert.ok(existsSync(join(kv.context.config.get('dir'), 'dump.rdb')));
  c.close();
});

test('CONFIG REWRITE writes the config file and a restart reads it back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kv-config-'));
  const file = join(dir, 'kv.conf');
  writeFileSync(file, '# my settings\nport 0\nhz 20\nmaxmemory 1mb\nmaxmemory 2mb\nbind 127.0.0.1\n');
  const first = parseCli(['--config', file], VERSION).config;
  const server = await startServer(first, { logger: new Logger('warning') });
  const c = await RawClient.connect(server.port);
  assert.is(await c.call('CONFIG', 'SET', 'hz', '15', 'maxmemory-policy', 'allkeys-lru', 'requirepass', 'p"w d'), '+OK\r\n');
  assert.is(await c.call('CONFIG', 'SET', 'notify-keyspace-events', 'Ex', 'save', '60 100'), '+OK\r\n');
  assert.is(await c.call('CONFIG', 'REWRITE'), '+OK\r\n');
  c.close();
  await server.stop();
  const text = readFileSync(file, 'latin1');
  assert.is(
    text,
    '# my settings\nport 0\nhz 15\nmaxmemory 2097152\nbind "127.0.0.1"\n# Generated by CONFIG REWRITE\n' +
      'requirepass "p\\"w d"\nmaxmemory-policy allkeys-lru\nsave "60 100"\nnotify-keyspace-events "xE"\n',
  );
  const second = parseCli(['--config', file], VERSION).config;
  for (const [name, value] of [['hz', '15'], ['maxmemory-policy', 'allkeys-lru'], ['requirepass', 'p"w d'], ['notify-keyspace-events', 'xE'], ['save', '60 100'], ['maxmemory', '2097152']]) {
    assert.is(second.get(name!), value, name);
  }
  // without a config file
  const c2 = await RawClient.connect(kv.port);
  assert.is(await c2.call('CONFIG', 'REWRITE'), '-ERR The server is running without a config file\r\n');
  // a file that cannot be written
  kv.context.config.file = join(dir, 'no-such-dir', 'kv.conf');
  assert.is(await c2.call('CONFIG', 'REWRITE'), '-ERR Rewriting config file: No such file or directory\r\n');
  kv.context.config.file = null;
  c2.close();
});

test('CONFIG GET in RESP3 is a map; CONFIG SET loglevel reaches the logger', async () => {
  const c = await RawClient.connect(kv.port);
  await c.call('HELLO', '3');
  assert.is(await c.call('CONFIG', 'GET', 'appendonly'), '%1\r\n$10\r\nappendonly\r\n$2\r\nno\r\n');
  assert.is(await c.call('CONFIG', 'SET', 'loglevel', 'debug'), '+OK\r\n');
  assert.is(kv.context.log.level, 'debug');
  assert.is(await c.call('CONFIG', 'SET', 'loglevel', 'warning'), '+OK\r\n');
  c.close();
});

test('CONFIG SET applies at once: proto-max-bulk-len on open connections, requirepass for new ones, maxclients', async () => {
  const a = await RawClient.connect(kv.port);
  const b = await RawClient.connect(kv.port);
  assert.is(await a.call('CONFIG', 'SET', 'proto-max-bulk-len', '1mb'), '+OK\r\n');
  b.write('*2\r\n$4\r\nECHO\r\n$2000000\r\n');
  assert.is(await b.readReply(), '-ERR Protocol error: invalid bulk length\r\n');
  await b.readUntilClose();
  assert.is(await a.call('CONFIG', 'SET', 'proto-max-bulk-len', '512mb', 'requirepass', 'pw'), '+OK\r\n');
  const c = await RawClient.connect(kv.port);
  assert.is(await c.call('PING'), '-NOAUTH Authentication required.\r\n');
  assert.is(await a.call('PING'), '+PONG\r\n', 'connections already open stay authenticated');
  assert.is(await a.call('CONFIG', 'SET', 'requirepass', '', 'maxclients', String(kv.context.clients.size)), '+OK\r\n');
  const d = await RawClient.connect(kv.port);
  assert.is(await d.readReply(), '-ERR max number of clients reached\r\n');
  assert.is(await a.call('CONFIG', 'SET', 'maxclients', '10000'), '+OK\r\n');
  a.close();
  c.close();
  d.close();
});

test.run();
