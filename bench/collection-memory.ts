/*
 * Memory per element of small and large hashes, sets, sorted sets and lists, kv-server against
 * redis-server: the memory before and after loading KEYS (default 10,000; env KEYS) keys of 10
 * elements each ("small": Redis's compact encodings) and KEYS/100 keys of 1,000 ("large").
 *
 * Redis's figure is its used_memory. kv-server runs in this process so that it can be measured
 * rather than estimated: the V8 heap that survives a full collection (node --expose-gc) plus the
 * arena's occupied chunks, the index and the handle table. Run: `npm run build && node
 * --expose-gc --import tsx bench/collection-memory.ts` (npm run bench:collections); ONLY=list,zset
 * for some types. Each workload is loaded once unmeasured first (V8's code for it then exists),
 * flushed, and loaded again between the two readings.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { startServer } from '../src/server/app.js';
import { Config } from '../src/core/config.js';
import { Logger } from '../src/server/log.js';

const KEYS = Number(process.env.KEYS ?? 10_000);
/** ONLY=list,zset: just the workloads of these types (the names starting so) */
const ONLY = process.env.ONLY?.split(',') ?? null;
const PER_KEY = 10;

function encode(args: string[]): string {
  let out = `*${args.length}\r\n`;
  for (const a of args) out += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
  return out;
}

/**
 * Sends `commands` pipelined and resolves with the text of the last reply (a bulk string). The
 * socket's handler does not hold `commands`: the socket may still be open when the caller
 * measures, and the last batch's arguments (20,000 strings) would then be counted as the server's.
 */
function send(port: number, commands: string[][]): Promise<string> {
  return sendEncoded(port, commands.map(encode).join(''), commands.length);
}

function sendEncoded(port: number, payload: string, count: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    let replies = 0;
    sock.setEncoding('latin1');
    sock.on('error', reject);
    sock.on('data', (chunk: string) => {
      data += chunk;
      // count complete replies: every reply here is one line except the last (a bulk)
      while (replies < count - 1) {
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
    sock.write(payload, 'latin1');
  });
}

interface Workload {
  keys: number;
  perKey: number;
  make: (key: number, perKey: number) => string[];
}

const pad = (k: number) => String(k).padStart(6, '0');
const small = (make: Workload['make']): Workload => ({ keys: KEYS, perKey: PER_KEY, make });
const large = (make: Workload['make']): Workload => ({ keys: Math.max(10, KEYS / 100), perKey: 1000, make });

const hash: Workload['make'] = (k, n) => ['HSET', `h:${k}`, ...Array.from({ length: n }, (_, i) => [`f${i}`, `value:${pad(k)}${i % 10}`]).flat()];
const intset: Workload['make'] = (k, n) => ['SADD', `s:${k}`, ...Array.from({ length: n }, (_, i) => String(k * n + i))];
const strset: Workload['make'] = (k, n) => ['SADD', `w:${k}`, ...Array.from({ length: n }, (_, i) => `member:${i}`)];
const zset: Workload['make'] = (k, n) => ['ZADD', `z:${k}`, ...Array.from({ length: n }, (_, i) => [String(i * 1.5), `member:${i}`]).flat()];
const list: Workload['make'] = (k, n) => ['RPUSH', `l:${k}`, ...Array.from({ length: n }, (_, i) => `element:${i}`)];

const WORKLOADS: Record<string, Workload> = {
  'hash, 10 fields (listpack)': small(hash),
  'set, 10 integers (intset)': small(intset),
  'set, 10 short strings (hashtable in 7.0)': small(strset),
  'zset, 10 members (listpack)': small(zset),
  'list, 10 elements (listpack)': small(list),
  'hash, 1000 fields (hashtable)': large(hash),
  'set, 1000 short strings (hashtable)': large(strset),
  'zset, 1000 members (skiplist)': large(zset),
  'list, 1000 elements (quicklist)': large(list),
};

/** Reads a server's memory: kv-server's is measured in process, Redis's is its used_memory. */
type MemoryProbe = () => Promise<number>;

async function measure(port: number, memory: MemoryProbe): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, w] of Object.entries(WORKLOADS)) {
    if (ONLY !== null && !ONLY.some((type) => name.startsWith(type))) continue;
    const batch = Math.max(1, Math.min(1000, Math.floor(20000 / w.perKey)));
    const load = async () => {
      for (let k = 0; k < w.keys; k += batch) {
        await send(port, [...Array.from({ length: Math.min(batch, w.keys - k) }, (_, i) => w.make(k + i, w.perKey)), ['INFO', 'memory']]);
      }
    };
    // a first load, not measured: kv-server's heap then grows by the code V8 compiles for the
    // workload (~0.4-1.5 MB, which at 200 keys of 1,000 elements is ~2-7 bytes an element)
    await send(port, [['FLUSHALL'], ['INFO', 'memory']]);
    await load();
    await send(port, [['FLUSHALL'], ['INFO', 'memory']]);
    const before = await memory();
    await load();
    const after = await memory();
    out[name] = (after - before) / (w.keys * w.perKey);
  }
  return out;
}

/** The bytes of the ArrayBuffers under the arena's pages (each slab counted once). */
function arenaBuffers(pages: readonly (Buffer | null)[]): number {
  const seen = new Set<ArrayBufferLike>();
  let n = 0;
  for (const p of pages) {
    if (p === null || seen.has(p.buffer)) continue;
    seen.add(p.buffer);
    n += p.buffer.byteLength;
  }
  return n;
}

async function main(): Promise<void> {
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function') throw new Error('run with node --expose-gc');
  const config = new Config();
  config.set('port', '0');
  const kv = await startServer(config, { logger: new Logger('warning') });
  // kv-server's own used_memory estimates what collections hold; here we measure it: the V8
  // heap that survives a full collection, plus the arena's occupied chunks, the shards' index and
  // the handle table (the off-heap part), and the other off-heap buffers (a large list's nodes,
  // a large set's or hash's entry table: process.memoryUsage's arrayBuffers less what it also
  // counts of the arena and the index). The arena's pages are cut from 64 MB slabs
  // (page-memory.ts): what the arena holds is every ArrayBuffer under its pages, not pageBytes.
  const keyspace = kv.context.keyspace;
  const ours = await measure(kv.port, async () => {
    for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc!();
    let index = 0;
    for (const db of keyspace.dbs) index += db.indexBytes;
    const m = process.memoryUsage();
    const otherBuffers = m.arrayBuffers - arenaBuffers(keyspace.arena.u8) - index;
    return m.heapUsed + otherBuffers + keyspace.arena.usedBytes + keyspace.arena.handleTableBytes + index;
  });
  await kv.stop();

  const port = 20000 + Math.floor(Math.random() * 20000);
  const redis = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let tries = 0; ; tries++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      await send(port, [['INFO', 'server']]);
      break;
    } catch (e) {
      if (tries > 50) throw e;
    }
  }
  const theirs = await measure(port, async () => Number(/used_memory:(\d+)/.exec(await send(port, [['INFO', 'memory']]))![1]));
  redis.kill();

  console.log(`bytes per element: small = ${KEYS} keys of ${PER_KEY} elements, large = ${Math.max(10, KEYS / 100)} keys of 1000`);
  for (const name of Object.keys(ours)) {
    console.log(`${name.padEnd(44)} kv-server ${ours[name]!.toFixed(1).padStart(7)}  redis ${theirs[name]!.toFixed(1).padStart(7)}  ratio ${(ours[name]! / theirs[name]!).toFixed(2)}`);
  }
}

await main();
