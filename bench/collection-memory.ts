/*
 * Memory per element of small hashes and sets, kv-server against redis-server: INFO memory's
 * used_memory before and after loading 10k keys of 10 elements each (a hash of 10 fields, a set
 * of 10 integers, a set of 10 short strings), per element.
 *
 * kv-server runs in this process so that the garbage collector can be run before each reading
 * (node --expose-gc): used_memory is the V8 heap in use, and without a collection it would
 * count the garbage the loading left. Run: `npm run build && node --expose-gc --import tsx
 * bench/collection-memory.ts`.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { startServer } from '../src/server/app.js';
import { Config } from '../src/core/config.js';
import { Logger } from '../src/server/log.js';

const KEYS = 10_000;
const PER_KEY = 10;

function encode(args: string[]): string {
  let out = `*${args.length}\r\n`;
  for (const a of args) out += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
  return out;
}

/** Sends `commands` pipelined and resolves with the text of the last reply (a bulk string). */
function send(port: number, commands: string[][]): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    let replies = 0;
    sock.setEncoding('latin1');
    sock.on('error', reject);
    sock.on('data', (chunk: string) => {
      data += chunk;
      // count complete replies: every reply here is one line except the last (a bulk)
      while (replies < commands.length - 1) {
        const eol = data.indexOf('\r\n');
        if (eol < 0) return;
        data = data.slice(eol + 2);
        replies++;
      }
      const m = /^\$(\d+)\r\n/.exec(data);
      if (m && data.length >= m[0].length + Number(m[1]) + 2) {
        sock.end();
        resolve(data.slice(m[0].length, m[0].length + Number(m[1])));
      }
    });
    sock.write(commands.map(encode).join(''), 'latin1');
  });
}

async function usedMemory(port: number, gc: boolean): Promise<number> {
  if (gc) for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc!();
  const info = await send(port, [['INFO', 'memory']]);
  return Number(/used_memory:(\d+)/.exec(info)![1]);
}

const WORKLOADS: Record<string, (key: number) => string[]> = {
  'hash, 10 fields (f0..f9 = 10-byte values)': (k) => ['HSET', `h:${k}`, ...Array.from({ length: PER_KEY }, (_, i) => [`f${i}`, `value:${String(k).padStart(4, '0')}${i}`]).flat()],
  'set, 10 integers (intset)': (k) => ['SADD', `s:${k}`, ...Array.from({ length: PER_KEY }, (_, i) => String(k * 10 + i))],
  'set, 10 short strings (hashtable in 7.0)': (k) => ['SADD', `w:${k}`, ...Array.from({ length: PER_KEY }, (_, i) => `member:${i}`)],
};

async function measure(port: number, gc: boolean): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, make] of Object.entries(WORKLOADS)) {
    await send(port, [['FLUSHALL'], ['INFO', 'memory']]);
    const before = await usedMemory(port, gc);
    for (let k = 0; k < KEYS; k += 1000) {
      await send(port, [...Array.from({ length: 1000 }, (_, i) => make(k + i)), ['INFO', 'memory']]);
    }
    const after = await usedMemory(port, gc);
    out[name] = (after - before) / (KEYS * PER_KEY);
  }
  return out;
}

async function main(): Promise<void> {
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function') throw new Error('run with node --expose-gc');
  const config = new Config();
  config.set('port', '0');
  const kv = await startServer(config, { logger: new Logger('warning') });
  const ours = await measure(kv.port, true);
  await kv.stop();

  const port = 20000 + Math.floor(Math.random() * 20000);
  const redis = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  const theirs = await measure(port, false);
  redis.kill();

  console.log(`bytes per element (used_memory delta / ${KEYS * PER_KEY}), ${KEYS} keys of ${PER_KEY} elements`);
  for (const name of Object.keys(WORKLOADS)) {
    console.log(`${name.padEnd(44)} kv-server ${ours[name]!.toFixed(1).padStart(7)}  redis ${theirs[name]!.toFixed(1).padStart(7)}  ratio ${(ours[name]! / theirs[name]!).toFixed(2)}`);
  }
}

await main();
