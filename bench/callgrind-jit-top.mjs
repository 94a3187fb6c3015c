/*
 * The functions a callgrind dump of kv-server spends its instructions in (self cost), with V8's
 * JIT code named: run the server with `node --perf-basic-prof` (KV_NODE_FLAGS for
 * bench/callgrind-collections.mjs), which writes /tmp/perf-<pid>.map (start, size, name per code
 * object); callgrind names JIT code only by address (`0x…`), so each such function is looked up
 * in the map by the address.
 *
 * Run: `node bench/callgrind-jit-top.mjs <dump file> [perf map] [--requests n] [--top 40]`
 * (the map defaults to /tmp/perf-<pid>.map, the pid from the dump's name `cg.out.<pid>.…`).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const REQUESTS = Number(opt('--requests', '1'));
const TOP = Number(opt('--top', '40'));
const [dump, mapArg] = args;
const pid = /cg\.out\.(\d+)/.exec(dump)?.[1];
const mapFile = mapArg ?? `/tmp/perf-${pid}.map`;

/** the map's code objects, sorted by start address */
const code = readFileSync(mapFile, 'latin1')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => {
    const [start, size, ...name] = l.split(' ');
    return { start: parseInt(start, 16), end: parseInt(start, 16) + parseInt(size, 16), name: name.join(' ') };
  })
  .sort((a, b) => a.start - b.start);

function nameAt(addr) {
  let lo = 0;
  let hi = code.length - 1;
  let found = null;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (code[mid].start <= addr) {
      found = code[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // V8 reuses code space: the newest object covering the address is the likeliest
  return found !== null && addr < found.end ? found.name : null;
}

const out = execFileSync('callgrind_annotate', ['--inclusive=no', '--threshold=100', dump], { encoding: 'latin1', maxBuffer: 1 << 28 });
const costs = new Map();
let total = 0;
for (const line of out.split('\n')) {
  const m = /^\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(.*)$/.exec(line);
  if (m === null) continue;
  const n = Number(m[1].replace(/,/g, ''));
  let fn = m[2];
  if (/PROGRAM TOTALS/.test(fn)) {
    total = n;
    continue;
  }
  // callgrind cannot follow JIT frames' returns: the event loop's callers come out with the total
  if (!/[:\]]/.test(fn) || n === total) continue;
  const addr = /0x([0-9a-f]+)/i.exec(fn);
  if (addr !== null && /\?\?\?/.test(fn)) fn = nameAt(parseInt(addr[1], 16)) ?? 'JIT (unmapped)';
  fn = fn.replace(/\s+\[[^\]]*\]$/, '');
  costs.set(fn, (costs.get(fn) ?? 0) + n);
}
const rows = [...costs].sort((a, b) => b[1] - a[1]).slice(0, TOP);
console.log(`total ${(total / REQUESTS).toFixed(0)} per request`);
for (const [fn, n] of rows) console.log(`${(n / REQUESTS).toFixed(0).padStart(8)}  ${fn}`);
