/*
 * Differential LATENCY HISTOGRAM / GRAPH / HELP: which commands are reported (named ones, a
 * container's subcommands, unknown names skipped, duplicates repeated), the calls and the last
 * cumulative count, RESP2 and RESP3 shapes. Bucket labels are each server's measured latencies and
 * differ by nature; the normalizer keeps everything else (the bucket arithmetic is unit-tested in
 * src/core/latency-report.test.ts against figures taken from redis-server).
 */
import { differentialSuite, type Step } from './differential.js';
import { decodeReply } from './harness.js';

/** name, calls and the final cumulative count of each entry (RESP2 flat arrays or RESP3 maps). */
const histogram = (raw: string): string => {
  // RESP3 maps decode through the same flat form once '%' is read as '*' with twice the length
  const flat = raw.replace(/^%(\d+)\r\n/gm, (_m, n) => `*${Number(n) * 2}\r\n`);
  const top = decodeReply(flat) as unknown[];
  if (!Array.isArray(top)) return raw;
  const out: string[] = [];
  for (let i = 0; i < top.length; i += 2) {
    const body = top[i + 1] as unknown[];
    const buckets = body[3] as number[];
    out.push(`${top[i]} calls=${body[1]} last=${buckets[buckets.length - 1]} ${raw[0]}`);
  }
  // a container's subcommands come in the order of Redis's subcommand dict, whose hash seed is
  // random per start: only the set of them is comparable, so each run of `a|b` entries is sorted
  const sorted: string[] = [];
  for (let i = 0; i < out.length; ) {
    let j = i;
    while (j < out.length && out[j].includes('|')) j++;
    if (j > i) { sorted.push(...out.slice(i, j).sort()); i = j; } else sorted.push(out[i++]);
  }
  return sorted.join('\n');
};
const h = (...names: string[]): Step => ({ cmd: ['LATENCY', 'HISTOGRAM', ...names], normalize: histogram });
const hello3: Step = { cmd: ['HELLO', '3'], normalize: (raw) => raw.slice(0, 2) };

differentialSuite('differential: latency', {
  'HISTOGRAM of named commands, containers, unknown names and duplicates': [
    ['CONFIG', 'RESETSTAT'],
    ['SET', 'a', '1'], ['SET', 'b', '2'], ['GET', 'a'], ['CONFIG', 'GET', 'maxmemory'],
    h('set'), h('SET', 'get'), h('nosuch'), h('get', 'get'), h('config'), h('config|get'), h('CONFIG|GET'), h('config|get|x'), h('set|x'),
    hello3,
    h('set', 'get'), h('nosuch'),
  ],
  'GRAPH without samples, HELP, arity': [
    ['LATENCY', 'GRAPH', 'command'], ['LATENCY', 'GRAPH'], ['LATENCY', 'GRAPH', 'a', 'b'], ['LATENCY', 'HELP'],
  ],
});
