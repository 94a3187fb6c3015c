/*
 * `npm run bench:parser`: our request decoder (src/resp/decoder.ts RequestDecoder) against
 * redis-parser on the same input.
 *
 * redis-parser decodes RESP2 replies; a multibulk request (`*3\r\n$3\r\nSET\r\n…`) is byte for
 * byte an array reply of bulk strings, so both decode the very same chunks. redis-parser runs in
 * its two modes: bulk strings as (UTF-8) strings, and as Buffers.
 *
 * Cases: 10k pipelined `SET key:N value` commands in 16 KB chunks, and one `SET k <8 MB>` in
 * 64 KB chunks. Each round decodes the input enough times to last ~50 ms; decoders take turns
 * round by round; after warm-up rounds, the figure is the median round.
 *
 * Options: --quick (fewer rounds, shorter rounds; does not touch RESULTS.md), --rounds <r>.
 */
import { performance } from 'node:perf_hooks';
import RedisParser from 'redis-parser';
import { RequestDecoder } from '../src/resp/decoder.js';
import { machineInfo, median, table, writeSection } from './lib.mjs';

interface Case {
  name: string;
  chunks: Buffer[];
  bytes: number;
  commands: number;
}

/** Decodes every chunk of a case once; returns how many commands came out. */
type Decode = (chunks: Buffer[]) => number;

const DECODERS: Array<{ name: string; decode: Decode }> = [
  {
    name: 'kv RequestDecoder',
    decode(chunks) {
      const d = new RequestDecoder();
      let n = 0;
      for (const chunk of chunks) {
        d.feed(chunk);
        while (d.next() !== null) n++;
      }
      if (d.protocolError !== null) throw new Error(d.protocolError);
      return n;
    },
  },
  { name: 'redis-parser (strings)', decode: redisParser(false) },
  { name: 'redis-parser (buffers)', decode: redisParser(true) },
];

function redisParser(returnBuffers: boolean): Decode {
  return (chunks) => {
    let n = 0;
    const p = new RedisParser({
      returnReply: () => n++,
      returnError: (e) => {
        throw e;
      },
      returnBuffers,
    });
    for (const chunk of chunks) p.execute(chunk);
    return n;
  };
}

function split(input: Buffer, chunkSize: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < input.length; i += chunkSize) out.push(input.subarray(i, i + chunkSize));
  return out;
}

function makeCase(name: string, input: Buffer, chunkSize: number, commands: number): Case {
  return { name, chunks: split(input, chunkSize), bytes: input.length, commands };
}

function pipelinedSets(count: number): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const key = `key:${i}`;
    parts.push(`*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$5\r\nvalue\r\n`);
  }
  return Buffer.from(parts.join(''), 'latin1');
}

function bigSet(size: number): Buffer {
  const head = Buffer.from(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${size}\r\n`, 'latin1');
  return Buffer.concat([head, Buffer.alloc(size, 'x'), Buffer.from('\r\n')]);
}

function parseArgs(argv: string[]): { quick: boolean; rounds: number; roundMs: number; warmup: number } {
  const opts = { quick: false, rounds: 15, roundMs: 50, warmup: 5 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') Object.assign(opts, { quick: true, rounds: 3, roundMs: 20, warmup: 2 });
    else if (a === '--rounds') opts.rounds = Number(argv[++i]);
    else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isInteger(opts.rounds) || opts.rounds < 1) throw new Error('--rounds needs a positive integer');
  return opts;
}

/** Times `reps` decodes of the case; checks every decode found every command. */
function timeRound(decode: Decode, c: Case, reps: number): number {
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) {
    const n = decode(c.chunks);
    if (n !== c.commands) throw new Error(`decoded ${n} commands of ${c.commands}`);
  }
  return (performance.now() - t0) / reps;
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const cases = [
    makeCase('10k pipelined SET, 16 KB chunks', pipelinedSets(10_000), 16 * 1024, 10_000),
    makeCase('one 8 MB SET, 64 KB chunks', bigSet(8 * 1024 * 1024), 64 * 1024, 1),
  ];
  const rows: string[][] = [];
  for (const c of cases) {
    // repetitions per round: enough for the slowest decoder's round to take about roundMs
    const slowest = Math.max(...DECODERS.map((d) => timeRound(d.decode, c, 1)));
    const reps = Math.max(1, Math.round(opts.roundMs / slowest));
    const times = DECODERS.map(() => [] as number[]);
    for (let round = 0; round < opts.warmup + opts.rounds; round++) {
      DECODERS.forEach((d, i) => {
        const ms = timeRound(d.decode, c, reps);
        if (round >= opts.warmup) times[i]!.push(ms);
      });
    }
    const msPerDecode = times.map(median);
    const kvMs = msPerDecode[0]!;
    DECODERS.forEach((d, i) => {
      const ms = msPerDecode[i]!;
      const ops = (c.commands / ms) * 1000;
      const mbs = (c.bytes / 1048576 / ms) * 1000;
      rows.push([c.name, d.name, Math.round(ops).toLocaleString('en-US'), mbs.toFixed(0), i === 0 ? '–' : `${(ms / kvMs).toFixed(2)}×`]);
    });
    console.log(`done: ${c.name} (${reps} decodes per round)`);
  }
  const markdown = [
    '## Request decoder vs redis-parser',
    '',
    `\`npm run bench:parser\`${opts.quick ? ' --quick' : ''}: median of ${opts.rounds} timed rounds after ${opts.warmup} warm-up rounds, ` +
      `decoders taking turns. "kv speed-up" is how many times faster kv's RequestDecoder was than that decoder (above 1× = kv faster). ` +
      `Note: for a bulk spanning chunks, redis-parser's strings mode returns a rope of per-chunk strings (\`res += …\`) that V8 ` +
      `flattens only when the string is used; kv's decoder returns a flat string.`,
    '',
    machineInfo(),
    '',
    table(['case', 'decoder', 'commands/s', 'MB/s', 'kv speed-up'], rows),
  ].join('\n');
  console.log('\n' + markdown);
  if (opts.quick) console.log('\n(--quick: RESULTS.md left unchanged)');
  else writeSection('parser', markdown);
}

main();
