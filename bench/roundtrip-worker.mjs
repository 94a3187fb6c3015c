/*
 * The client process of bench/roundtrip-cpu.mjs and bench/callgrind-binary.mjs: one connection
 * (kv-server/client over the binary port, or ioredis over RESP), then one measurement per stdin
 * line `{"op":"GET","n":10000}`: n sequential requests (1 in flight), answered with one JSON line
 * (rate, user and system CPU µs per request). `node bench/roundtrip-worker.mjs '{"client":…}'`.
 */
const KEYS = Array.from({ length: 10 }, (_, i) => `bench:k${i}`);
const VALUE = 'v'.repeat(16);

const { client, port, binPort } = JSON.parse(process.argv[2]);
let calls;
let close;
if (client === 'binary') {
  const { connect } = await import('../dist/client/index.js');
  const c = await connect(`kv://127.0.0.1:${binPort}`);
  await c.mset(KEYS.map((k) => [k, VALUE]));
  calls = { GET: () => c.get(KEYS[0]), SET: () => c.set(KEYS[0], VALUE), MGET: () => c.mget(KEYS) };
  close = () => c.close();
} else {
  const { default: Redis } = await import('ioredis');
  const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true });
  await r.connect();
  await r.mset(...KEYS.flatMap((k) => [k, VALUE]));
  calls = { GET: () => r.get(KEYS[0]), SET: () => r.set(KEYS[0], VALUE), MGET: () => r.mget(KEYS) };
  close = async () => void r.disconnect();
}
process.stdout.write('{"ready":true}\n');
const { createInterface } = await import('node:readline');
for await (const line of createInterface({ input: process.stdin })) {
  const { op, n } = JSON.parse(line);
  const call = calls[op];
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await call();
  const c = process.cpuUsage(c0);
  const elapsed = performance.now() - t0;
  process.stdout.write(JSON.stringify({ rate: (n / elapsed) * 1000, user: c.user / n, sys: c.system / n }) + '\n');
}
await close();
process.exit(0);
