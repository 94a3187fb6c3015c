#!/usr/bin/env node
/*
 * Names the JIT-compiled JavaScript in a callgrind dump: callgrind sees V8's generated code as
 * bare addresses (`???:0x…`); a process run with `node --perf-basic-prof` writes
 * /tmp/perf-PID.map (start, size, name of every code object), which this reads to print the
 * dump's self cost per function, JS included. Code that V8 moved or freed after the dump can
 * name the wrong function: read it as a guide, not a measurement.
 *
 *   KV_CALLGRIND_NODE_ARGS=--perf-basic-prof node bench/callgrind-binary.mjs --side server …
 *   node bench/callgrind-jit-names.mjs DUMP [--per N] [--top 40]
 */
import { readFileSync } from 'node:fs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : process.argv[i + 1];
};
const dump = process.argv[2];
const per = Number(arg('per', '1'));
const top = Number(arg('top', '40'));
const text = readFileSync(dump, 'latin1');
const pid = /^pid: (\d+)/m.exec(text)[1];

/** perf map: sorted [start, end, name] */
const map = [];
try {
  for (const line of readFileSync(`/tmp/perf-${pid}.map`, 'latin1').split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
    if (m) map.push([parseInt(m[1], 16), parseInt(m[1], 16) + parseInt(m[2], 16), m[3]]);
  }
} catch {
  console.error(`no /tmp/perf-${pid}.map: JIT code stays unnamed`);
}
map.sort((a, b) => a[0] - b[0]);
const nameOf = (addr) => {
  let lo = 0;
  let hi = map.length - 1;
  let found = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (map[mid][0] <= addr) {
      found = map[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found !== null && addr < found[1] ? found[2] : null;
};

// callgrind's compressed names: fn=(id) name once, then fn=(id)
const names = new Map();
const self = new Map();
let fn = null;
let inCall = false;
for (const line of text.split('\n')) {
  let m;
  if ((m = /^fn=\((\d+)\)(?: (.*))?$/.exec(line))) {
    if (m[2] !== undefined) names.set(m[1], m[2]);
    fn = m[1];
    inCall = false;
  } else if (/^calls=/.test(line)) {
    inCall = true;
  } else if (/^(c?fn|c?fl|c?ob|fi|fe)=/.test(line)) {
    if ((m = /^cfn=\((\d+)\)(?: (.*))?$/.exec(line)) && m[2] !== undefined) names.set(m[1], m[2]);
  } else if ((m = /^(?:[+-]?\d+|\*) (\d+)$/.exec(line))) {
    // the line after calls= is the call's inclusive cost, not self cost
    if (inCall) inCall = false;
    else if (fn !== null) self.set(fn, (self.get(fn) ?? 0) + Number(m[1]));
  }
}
const rows = new Map();
for (const [id, cost] of self) {
  let name = names.get(id) ?? id;
  const a = /^0x([0-9a-f]+)$/.exec(name);
  if (a) name = nameOf(parseInt(a[1], 16)) ?? name;
  rows.set(name, (rows.get(name) ?? 0) + cost);
}
const total = [...rows.values()].reduce((x, y) => x + y, 0);
console.log(`${dump}: ${(total / per).toFixed(0)} instructions${per > 1 ? ` per request (/${per})` : ''}`);
for (const [name, cost] of [...rows].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${(cost / per).toFixed(0).padStart(8)}  ${name}`);
