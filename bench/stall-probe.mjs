/*
 * Loaded into kv-server by bench/keyspace.mjs (`node --import`): measures the event loop's delay
 * with perf_hooks.monitorEventLoopDelay (1 ms resolution) and writes the longest stall seen since
 * the last reset, in ms, to the file named by KV_STALL_FILE every 100 ms. SIGUSR2 resets it (the
 * bench does so right before the run it measures).
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.KV_STALL_FILE;
if (file) {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  process.on('SIGUSR2', () => h.reset());
  const timer = setInterval(() => writeFileSync(file, String(h.max / 1e6)), 100);
  timer.unref();
}
