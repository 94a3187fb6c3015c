#!/usr/bin/env node
/*
 * `npm run bench:many-keys`: kv-server holding more keys than one V8 Map can (2^24 = 16,777,216).
 *
 * Starts kv-server with a large heap, loads 17M short keys with 1-byte values (pipelined SET over
 * two connections), then checks DBSIZE > 2^24 and reads back a sample of keys spread over the
 * whole range. Reports load time, keys/s and RSS (VmRSS and peak VmHWM). Stops by itself: the
 * whole run has a deadline, and the server is killed at the end whatever happened.
 *
 * Options: --quick (1M keys, 2 GiB heap: a smoke check; does not touch RESULTS.md),
 *          --keys <n>, --heap-mb <mb> (node --max-old-space-size), --deadline-s <s>.
 */
import { Conn, errorText, loadKeys, machineInfo, mib, startKv, table, writeSection } from './lib.mjs';
import { readFileSync } from 'node:fs';

const V8_MAP_LIMIT = 2 ** 24;
const SAMPLE = 1000;

function parseArgs(argv) {
  const opts = { quick: false, keys: 17_000_000, heapMb: 4096, deadlineS: 900 };
  const given = new Set();
  const int = (flag, s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer`);
    given.add(flag);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--keys') opts.keys = int(a, argv[++i]);
    else if (a === '--heap-mb') opts.heapMb = int(a, argv[++i]);
    else if (a === '--deadline-s') opts.deadlineS = int(a, argv[++i]);
    else throw new Error(`unknown option ${a}`);
  }
  if (opts.quick) {
    if (!given.has('--keys')) opts.keys = 1_000_000;
    if (!given.has('--heap-mb')) opts.heapMb = 2048;
  }
  return opts;
}

/** Short distinct keys: "k" and the index in base 36 (at most 6 characters up to 2 billion). */
const keyOf = (i) => `k${i.toString(36)}`;

function procStatus(pid, field) {
  const m = readFileSync(`/proc/${pid}/status`, 'latin1').match(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** GETs SAMPLE keys spread evenly over [0, count), the last one included; returns how many held "x". */
async function checkSample(port, count) {
  const conn = await Conn.open(port);
  try {
    const idx = Array.from({ length: SAMPLE }, (_, j) => Math.floor(((count - 1) * j) / (SAMPLE - 1)));
    const payload = idx.map((i) => { const k = keyOf(i); return `*2\r\n$3\r\nGET\r\n$${k.length}\r\n${k}\r\n`; }).join('');
    const r = await conn.send(Buffer.from(payload, 'latin1'), idx.length, true);
    return r.replies.filter((v) => v === 'x').length;
  } finally {
    conn.close();
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const deadline = setTimeout(() => {
    console.error(`many-keys: deadline of ${opts.deadlineS} s passed, giving up`);
    process.exit(2); // lib.mjs kills the server on exit
  }, opts.deadlineS * 1000);
  deadline.unref();

  const kv = await startKv({ nodeArgs: [`--max-old-space-size=${opts.heapMb}`] });
  console.log(`kv-server pid ${kv.pid} on port ${kv.port}, heap limit ${opts.heapMb} MB; loading ${opts.keys.toLocaleString('en-US')} keys`);
  let lastReport = 0;
  let result;
  try {
    const load = await loadKeys(kv.port, {
      count: opts.keys,
      key: keyOf,
      value: 'x',
      connections: 2,
      batch: 20_000,
      onProgress: (done) => {
        if (done - lastReport >= 1_000_000 || done === opts.keys) {
          lastReport = done;
          console.log(`  ${done.toLocaleString('en-US')} keys, ${mib(procStatus(kv.pid, 'VmRSS'))} RSS`);
        }
      },
    });
    const conn = await Conn.open(kv.port);
    const size = await conn.call('DBSIZE');
    conn.close();
    const found = await checkSample(kv.port, opts.keys);
    result = { load, size, found, rss: procStatus(kv.pid, 'VmRSS'), hwm: procStatus(kv.pid, 'VmHWM') };
  } catch (e) {
    const status = kv.exitStatus();
    console.error(`many-keys failed: ${e.message}${status ? `; kv-server ended: ${JSON.stringify(status)}` : ''}\n${kv.stderr().trim()}`);
    process.exitCode = 1;
    return;
  } finally {
    await kv.stop();
    clearTimeout(deadline);
  }

  const { load, size, found } = result;
  const sizeText = size instanceof Error ? `error: ${errorText(size)}` : size.toLocaleString('en-US');
  const aboveLimit = typeof size === 'number' && size > V8_MAP_LIMIT;
  const rows = [
    ['keys sent (SET)', opts.keys.toLocaleString('en-US')],
    ['SET errors', load.errors ? `${load.errors} (first: ${load.firstError})` : '0'],
    ['DBSIZE', `${sizeText}${typeof size === 'number' ? (aboveLimit ? ' (> 2^24)' : ' (not above 2^24)') : ''}`],
    [`sampled keys read back (of ${SAMPLE})`, String(found)],
    ['load time', `${(load.ms / 1000).toFixed(1)} s (${Math.round(opts.keys / (load.ms / 1000)).toLocaleString('en-US')} keys/s)`],
    ['RSS after load (VmRSS)', mib(result.rss)],
    ['peak RSS (VmHWM)', mib(result.hwm)],
    ['RSS per key', `${(result.rss / opts.keys).toFixed(0)} B`],
  ];
  const markdown = [
    '## More keys than one V8 Map holds',
    '',
    `\`npm run bench:many-keys\`${opts.quick ? ' --quick' : ''}: kv-server under \`node --max-old-space-size=${opts.heapMb}\`, ` +
      `keys \`k<base-36 index>\` with 1-byte values, pipelined SET over 2 connections (batches of 20,000, two in flight each). ` +
      `A single V8 Map stops at 2^24 = 16,777,216 entries; kv-server's shards lift that.`,
    '',
    machineInfo(),
    '',
    table(['', 'kv-server'], rows),
  ].join('\n');
  console.log('\n' + markdown);
  const ok = load.errors === 0 && size === opts.keys && found === SAMPLE;
  if (!ok) {
    console.error('\nmany-keys: FAILED (errors, DBSIZE or sample mismatch)');
    process.exitCode = 1;
  } else if (!opts.quick && !aboveLimit) {
    console.log(`\nnote: ${opts.keys} keys do not exceed 2^24; RESULTS.md left unchanged`);
  }
  if (opts.quick) console.log('\n(--quick: RESULTS.md left unchanged)');
  else if (ok && aboveLimit) writeSection('many-keys', markdown);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
