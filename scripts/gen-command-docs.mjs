#!/usr/bin/env node
/*
 * Captures what COMMAND DOCS and COMMAND INFO answer that our command table does not hold — the
 * documentation (summary, since, group, complexity, arguments, history…), the command tips and
 * the key specs — from a real redis-server 7.0.15 (BSD-licensed), into
 * src/commands/command-docs.json. Our table stays the source of truth for name, arity, flags,
 * key positions and ACL categories; `info` is kept only so a unit test can compare the two.
 *
 * Usage: node scripts/gen-command-docs.mjs [path/to/redis-server]
 *
 * Values keep their RESP3 type so they can be replayed exactly:
 *   bulk string → "text", integer → 123, null → null, array → [...],
 *   map → {"m": [k1, v1, k2, v2, ...]}, set → {"t": [...]}, simple string → {"s": "text"}.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';

const OUT = new URL('../src/commands/command-docs.json', import.meta.url);
const bin = process.argv[2] ?? 'redis-server';

async function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Parses one RESP3 value from buf at pos; returns [value, next] or null when incomplete. */
function parse(buf, pos) {
  const nl = buf.indexOf('\r\n', pos);
  if (nl < 0) return null;
  const type = String.fromCharCode(buf[pos]);
  const head = buf.toString('latin1', pos + 1, nl);
  let at = nl + 2;
  const many = (n) => {
    const items = [];
    for (let i = 0; i < n; i++) {
      const r = parse(buf, at);
      if (r === null) return null;
      items.push(r[0]);
      at = r[1];
    }
    return items;
  };
  switch (type) {
    case '+': return [{ s: head }, at];
    case '-': throw new Error(`redis error: ${head}`);
    case ':': return [Number(head), at];
    case '_': return [null, at];
    case '$': {
      const n = Number(head);
      if (buf.length < at + n + 2) return null;
      return [buf.toString('latin1', at, at + n), at + n + 2];
    }
    case '*': case '~': case '%': {
      const items = many(type === '%' ? 2 * Number(head) : Number(head));
      if (items === null) return null;
      return [type === '*' ? items : type === '~' ? { t: items } : { m: items }, at];
    }
    default: throw new Error(`unexpected RESP type ${type}`);
  }
}

function encode(args) {
  return `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');
}

async function query(sock, state, args) {
  sock.write(encode(args));
  for (;;) {
    const r = parse(state.buf, 0);
    if (r !== null) {
      state.buf = state.buf.subarray(r[1]);
      return r[0];
    }
    await new Promise((resolve) => sock.once('data', resolve));
  }
}

/** A RESP3 map value as [key, value] pairs. */
const pairs = (m) => Array.from({ length: m.m.length / 2 }, (_, i) => [m.m[2 * i], m.m[2 * i + 1]]);

const port = await freePort();
const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
let sock;
for (let i = 0; i < 100 && !sock; i++) {
  await new Promise((r) => setTimeout(r, 50));
  sock = await new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => resolve(s));
    s.once('error', () => resolve(undefined));
  });
}
const state = { buf: Buffer.alloc(0) };
sock.on('data', (d) => (state.buf = Buffer.concat([state.buf, d])));
try {
  const hello = pairs(await query(sock, state, ['HELLO', '3']));
  const version = hello.find(([k]) => k === 'version')[1];
  const commands = {};
  /** Records one COMMAND INFO entry (and its subcommands). */
  const addInfo = (entry) => {
    const [name, arity, flags, first, last, step, categories, tips, keySpecs, subs] = entry;
    commands[name] = {
      info: { arity, flags: flags.t.map((f) => f.s), first, last, step, categories: categories.t.map((c) => c.s) },
      tips,
      keySpecs,
    };
    for (const sub of subs.t ?? subs) addInfo(sub);
  };
  for (const entry of await query(sock, state, ['COMMAND'])) addInfo(entry);
  /** Records one doc map without its nested subcommands (rebuilt from our table at run time). */
  const addDocs = (name, doc) => {
    const own = pairs(doc);
    const kept = own.filter(([k]) => k !== 'subcommands');
    commands[name].docs = { m: kept.flat() };
    const subs = own.find(([k]) => k === 'subcommands');
    if (subs) for (const [sub, subDoc] of pairs(subs[1])) addDocs(sub, subDoc);
  };
  for (const [name, doc] of pairs(await query(sock, state, ['COMMAND', 'DOCS']))) addDocs(name, doc);
  const sorted = Object.fromEntries(Object.keys(commands).sort().map((k) => [k, commands[k]]));
  const text = '{\n  "redis": ' + JSON.stringify(version) + ',\n  "commands": {\n' +
    Object.entries(sorted).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n') + '\n  }\n}\n';
  writeFileSync(OUT, text);
  console.log(`wrote ${Object.keys(sorted).length} commands from redis ${version} to ${OUT.pathname}`);
} finally {
  sock?.destroy();
  child.kill('SIGKILL');
}
