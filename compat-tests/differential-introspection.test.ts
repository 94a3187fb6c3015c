/*
 * Introspection against a real redis-server: INFO commandstats / errorstats field names and
 * counts, total_error_replies, CONFIG RESETSTAT, keyspace hits and misses per command, SLOWLOG
 * shapes, CLIENT LIST / INFO fields, CLIENT REPLY, CLIENT PAUSE, DEBUG OBJECT. Each case starts
 * from CONFIG RESETSTAT on both servers; replies are compared byte for byte after the normalizer
 * named on the step (times, addresses and our memory figures differ by nature).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RawClient, decodeReply, encodeCommand, startKv, startRedis, type RealRedis } from './harness.js';
import type { RunningServer } from '../src/server/app.js';

interface Step {
  cmd: string[];
  normalize?: (raw: string) => string;
}
type Script = Array<Step | string[]>;

/** INFO's `field:value` lines of a reply, as a map. */
function infoFields(raw: string): Map<string, string> {
  const text = decodeReply(raw) as string;
  const out = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) out.set(line.slice(0, at), line.slice(at + 1));
  }
  return out;
}

/** commandstats without the times (usec, usec_per_call), sorted: Redis lists them in hash order. */
const commandstats = (raw: string): string =>
  [...infoFields(raw)]
    .map(([k, v]) => `${k}:${v.replace(/usec=\d+,usec_per_call=[\d.]+,/, '')}`)
    .sort()
    .join('\n');
const sortedInfo = (raw: string): string => [...infoFields(raw)].map(([k, v]) => `${k}:${v}`).sort().join('\n');
const stat = (...names: string[]) => (raw: string): string => {
  const f = infoFields(raw);
  return names.map((n) => `${n}=${f.get(n)}`).join(' ');
};
const hitsMisses = stat('keyspace_hits', 'keyspace_misses');

/** SLOWLOG GET entries with id, time, duration and client address masked. */
const slowlog = (raw: string): string => {
  const entries = decodeReply(raw);
  if (!Array.isArray(entries)) return raw;
  return JSON.stringify(entries.map((e) => (Array.isArray(e) ? ['id', 'time', 'usec', e[3], 'addr', e[5]] : e)));
};

/** A CLIENT LIST / INFO line: every field name in order; the values that must agree kept. */
const KEPT = new Set(['name', 'flags', 'db', 'sub', 'psub', 'ssub', 'multi', 'qbuf', 'argv-mem', 'multi-mem', 'obl', 'oll', 'omem', 'events', 'cmd', 'user', 'redir', 'resp']);
const clientLine = (raw: string): string => {
  const text = decodeReply(raw) as string;
  return text
    .trim()
    .split('\n')
    .map((line) =>
      line
        .split(' ')
        // lib-name and lib-ver are Redis 7.2's (we print its format)
        .filter((kv) => !/^lib-(name|ver)=/.test(kv))
        .map((kv) => {
          const [k] = kv.split('=');
          return KEPT.has(k!) ? kv : `${k}=*`;
        })
        .join(' '),
    )
    .join('\n');
};

/**
 * DEBUG OBJECT with the address, the LRU clock and the idle seconds masked: Redis's clock ticks
 * once a second in its cron, so a key written a moment ago may already read as idle for 1 s.
 */
const debugObject = (raw: string): string =>
  raw.replace(/at:0x[0-9a-f]+/, 'at:0x?').replace(/lru:\d+/, 'lru:?').replace(/lru_seconds_idle:\d+/, 'lru_seconds_idle:?');

const CASES: Record<string, Script> = {
  'commandstats: calls, rejected and failed': [
    ['SET', 'a', '1'], ['GET', 'a'], ['GET'], ['INCR', 'a'], ['SET', 'b', 'x'], ['INCR', 'b'], ['NOSUCH'], ['CLIENT', 'NOSUCH'], ['CLIENT', 'KILL'],
    ['CONFIG', 'GET', 'hz'], ['OBJECT', 'ENCODING', 'a'], ['SET', 'a', 'b', 'EX', 'x'],
    { cmd: ['INFO', 'commandstats'], normalize: commandstats },
  ],
  'errorstats and total_error_replies': [
    ['GET'], ['NOSUCH'], ['SET', 'w', 'x'], ['INCR', 'w'], ['SELECT', '99'], ['AUTH', 'x'], ['OBJECT', 'FREQ', 'w'],
    { cmd: ['INFO', 'errorstats'], normalize: sortedInfo },
    { cmd: ['INFO', 'stats'], normalize: stat('total_error_replies') },
    ['CONFIG', 'RESETSTAT'],
    { cmd: ['INFO', 'errorstats'], normalize: sortedInfo },
    { cmd: ['INFO', 'stats'], normalize: stat('total_error_replies') },
    { cmd: ['INFO', 'commandstats'], normalize: commandstats },
  ],
  'keyspace hits and misses per command': [
    ['SET', 'a', '1'], ['SET', 'b', 'x'],
    ...[['GET', 'a'], ['GET', 'nope'], ['MGET', 'a', 'nope', 'b'], ['EXISTS', 'a', 'nope'], ['TYPE', 'a'], ['TYPE', 'nope'], ['TTL', 'a'], ['PTTL', 'nope'],
      ['COPY', 'a', 'c'], ['COPY', 'nope', 'd'], ['OBJECT', 'ENCODING', 'a'], ['OBJECT', 'ENCODING', 'nope'], ['SET', 'a', '2', 'GET'], ['SET', 'n', '2', 'GET'],
      ['STRLEN', 'b'], ['GETRANGE', 'b', '0', '1'], ['APPEND', 'b', 'y'], ['INCR', 'a'], ['GETDEL', 'c'], ['GETEX', 'b'], ['DUMP', 'nope'].slice(0, 0),
      ['TOUCH', 'a', 'nope'], ['RENAME', 'b', 'e'], ['EXPIRE', 'e', '100'], ['PERSIST', 'e'], ['DEL', 'e', 'nope'], ['RANDOMKEY'], ['KEYS', 'a'], ['DBSIZE'],
      ['SETNX', 'a', '3'], ['MSETNX', 'x', '1', 'a', '2'], ['GETSET', 'a', '4'], ['INCRBYFLOAT', 'a', '1.5'], ['SETRANGE', 'a', '0', 'z']]
      .filter((cmd) => cmd.length !== 0)
      .flatMap((cmd): Script => [
        ['CONFIG', 'RESETSTAT'],
        // RANDOMKEY picks at random: only its counting is compared
        cmd[0] === 'RANDOMKEY' ? { cmd, normalize: () => 'a key' } : cmd,
        { cmd: ['INFO', 'stats'], normalize: (raw) => `${cmd.join(' ')}: ${hitsMisses(raw)}` },
      ]),
  ],
  'slowlog shapes': [
    ['CONFIG', 'SET', 'slowlog-log-slower-than', '0'], ['SLOWLOG', 'RESET'], ['SET', 'a', 'x'.repeat(200)],
    ['MSET', ...Array.from({ length: 40 }, (_, i) => `k${i}`)], ['CLIENT', 'SETNAME', 'me'], ['GET', 'a'],
    // passwords never reach the slow log
    ['AUTH', 'secret'], { cmd: ['HELLO', '2', 'AUTH', 'default', 'secret'], normalize: (raw: string) => raw.slice(0, 4) /* names the server and its version */ }, ['CONFIG', 'SET', 'requirepass', ''],
    { cmd: ['SLOWLOG', 'GET'], normalize: slowlog }, { cmd: ['SLOWLOG', 'GET', '2'], normalize: slowlog },
    { cmd: ['SLOWLOG', 'GET', '-1'], normalize: slowlog }, ['SLOWLOG', 'GET', '0'], ['SLOWLOG', 'GET', '-2'], ['SLOWLOG', 'GET', 'x'],
    ['SLOWLOG', 'LEN'].slice(0, 0), ['SLOWLOG', 'HELP'], ['SLOWLOG', 'RESET'], ['CONFIG', 'SET', 'slowlog-log-slower-than', '-1'], ['GET', 'a'],
    ['SLOWLOG', 'LEN'], ['CONFIG', 'SET', 'slowlog-log-slower-than', '0'], ['CONFIG', 'SET', 'slowlog-max-len', '2'], ['PING'], ['PING'], ['PING'],
    ['SLOWLOG', 'LEN'], ['CONFIG', 'SET', 'slowlog-log-slower-than', '10000'], ['CONFIG', 'SET', 'slowlog-max-len', '128'], ['SLOWLOG', 'FOO'],
  ].filter((s) => !Array.isArray(s) || s.length !== 0),
  'client list and info fields': [
    ['CLIENT', 'SETNAME', 'probe'], ['SELECT', '3'],
    { cmd: ['CLIENT', 'INFO'], normalize: clientLine }, { cmd: ['CLIENT', 'LIST', 'ID', '999999'], normalize: clientLine },
    ['CLIENT', 'NO-EVICT', 'on'], { cmd: ['CLIENT', 'INFO'], normalize: clientLine }, ['CLIENT', 'NO-EVICT', 'off'],
    ['CLIENT', 'REPLY', 'FOO'], ['CLIENT', 'PAUSE', 'x'], ['CLIENT', 'PAUSE', '-1'], ['CLIENT', 'PAUSE', '10', 'FOO'], ['CLIENT', 'PAUSE', '10', 'WRITE', 'x'],
    ['CLIENT', 'PAUSE', '10', 'WRITE'], ['CLIENT', 'UNPAUSE'], ['CLIENT', 'UNPAUSE', 'x'],
  ],
  'debug object': [
    ['SET', 's', 'hello'], ['SET', 'i', '123'], ['SET', 'n', '-100000'], ['SET', 'big', '12345678901'], ['SET', 'e', ''], ['SET', 'l', 'y'.repeat(20)],
    ...['s', 'i', 'n', 'big', 'e', 'l'].map((k): Step => ({ cmd: ['DEBUG', 'OBJECT', k], normalize: debugObject })),
    ['DEBUG', 'OBJECT', 'nope'], ['DEBUG', 'OBJECT'], ['DEBUG', 'CHANGE-REPL-ID'], ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
    ['DEBUG', 'SET-ACTIVE-EXPIRE'],
  ],
};

const s = suite('differential: introspection');
let kv: RunningServer;
let redis: RealRedis | null = null;
s.before(async () => {
  kv = await startKv();
  redis = await startRedis({ 'enable-debug-command': 'yes' });
});
s.after(async () => {
  await kv?.stop();
  await redis?.stop();
});
for (const [title, script] of Object.entries(CASES)) {
  s(title, async () => {
    if (!redis) return;
    const a = await RawClient.connect(kv.port);
    const b = await RawClient.connect(redis.port);
    try {
      for (const c of [a, b]) {
        await c.call('FLUSHALL');
        await c.call('CONFIG', 'RESETSTAT');
      }
      for (const raw of script) {
        const step: Step = Array.isArray(raw) ? { cmd: raw } : raw;
        const norm = step.normalize ?? ((x: string) => x);
        const [got, want] = await Promise.all([a.call(...step.cmd), b.call(...step.cmd)]);
        assert.is(norm(got), norm(want), `${title}: ${step.cmd.join(' ').slice(0, 120)}`);
      }
    } finally {
      a.close();
      b.close();
    }
  });
}

/** Sends `cmds` pipelined, then PING, and returns every byte replied up to PING's reply. */
async function pipelined(c: RawClient, cmds: string[][]): Promise<string> {
  c.write(Buffer.concat([...cmds, ['PING']].map((cmd) => encodeCommand(cmd))));
  let out = '';
  for (;;) {
    const r = await c.readReply();
    if (r === '+PONG\r\n') return out;
    out += r;
  }
}

s('client reply off, skip and on drop exactly the replies Redis drops', async () => {
  if (!redis) return;
  const script = [
    ['SET', 'a', '1'], ['CLIENT', 'REPLY', 'OFF'], ['SET', 'a', '2'], ['GET', 'a'], ['GET'], ['CLIENT', 'REPLY', 'ON'], ['GET', 'a'],
    ['CLIENT', 'REPLY', 'SKIP'], ['GET', 'a'], ['GET', 'a'], ['CLIENT', 'REPLY', 'SKIP'], ['CLIENT', 'REPLY', 'ON'], ['GET', 'a'],
    ['CLIENT', 'REPLY', 'SKIP'], ['NOSUCH'], ['INCR', 'a'], ['CLIENT', 'REPLY', 'OFF'], ['CLIENT', 'REPLY', 'SKIP'], ['GET', 'a'], ['CLIENT', 'REPLY', 'ON'],
    ['INFO', 'errorstats'].slice(0, 0),
  ].filter((x) => x.length !== 0);
  const a = await RawClient.connect(kv.port);
  const b = await RawClient.connect(redis.port);
  try {
    await a.call('FLUSHALL');
    await b.call('FLUSHALL');
    const [got, want] = await Promise.all([pipelined(a, script), pipelined(b, script)]);
    assert.is(got, want);
  } finally {
    a.close();
    b.close();
  }
});

s('client reply off and skip keep (un)subscribe confirmations, RESP2 and RESP3', async () => {
  if (!redis) return;
  const script = [
    ['CLIENT', 'REPLY', 'OFF'], ['SUBSCRIBE', 'ch1', 'ch2'], ['PSUBSCRIBE', 'p*'], ['PING'], ['UNSUBSCRIBE', 'ch1'], ['PUNSUBSCRIBE'],
    // the channels named: UNSUBSCRIBE without names lists them in each server's own order
    ['CLIENT', 'REPLY', 'SKIP'], ['SUBSCRIBE', 'ch3'], ['CLIENT', 'REPLY', 'ON'], ['UNSUBSCRIBE', 'ch2', 'ch3'],
  ];
  const a = await RawClient.connect(kv.port);
  const b = await RawClient.connect(redis.port);
  // RESP2: subscribed, the client can run only (un)subscribe commands, so each confirmation is read alone
  const c = await RawClient.connect(kv.port);
  const d = await RawClient.connect(redis.port);
  try {
    // HELLO's reply names each server: read and dropped
    await Promise.all([a.call('HELLO', '3'), b.call('HELLO', '3')]);
    const [got, want] = await Promise.all([pipelined(a, script), pipelined(b, script)]);
    assert.is(got, want, 'RESP3');
    assert.match(got, /subscribe/);
    for (const first of [['CLIENT', 'REPLY', 'OFF'], ['CLIENT', 'REPLY', 'SKIP']]) {
      const sent = Buffer.concat([encodeCommand(first), encodeCommand(['PSUBSCRIBE', `${first[2]}*`])]);
      c.write(sent);
      d.write(sent);
      const [x, y] = await Promise.all([c.readReply(), d.readReply()]);
      assert.is(x, y, `RESP2 after ${first.join(' ')}`);
    }
  } finally {
    for (const conn of [a, b, c, d]) conn.close();
  }
});

s('client pause holds writes (WRITE) or everything (ALL) until it ends, without blocking others', async () => {
  if (!redis) return;
  for (const port of [kv.port, redis.port]) {
    const admin = await RawClient.connect(port);
    const writer = await RawClient.connect(port);
    try {
      assert.is(await admin.call('CLIENT', 'PAUSE', '100000', 'WRITE'), '+OK\r\n');
      writer.write(encodeCommand(['SET', 'p', '1']));
      assert.is(await admin.call('GET', 'p'), '$-1\r\n', `port ${port}: reads run during a WRITE pause`);
      const early = await writer.readReply(300).catch((e: Error) => e.message);
      assert.match(early, /no reply within/, `port ${port}: the write waits`);
      assert.is(await admin.call('CLIENT', 'UNPAUSE'), '+OK\r\n');
      assert.is(await writer.readReply(), '+OK\r\n');
      assert.is(await admin.call('CLIENT', 'PAUSE', '300', 'ALL'), '+OK\r\n');
      const started = Date.now();
      assert.is(await writer.call('GET', 'p'), '$1\r\n1\r\n');
      assert.ok(Date.now() - started >= 200, `port ${port}: an ALL pause holds reads until its timeout`);
    } finally {
      admin.close();
      writer.close();
    }
  }
});

s.run();
