/*
 * Protocol limits, byte for byte against a real redis-server 7.0.15: inline requests around
 * PROTO_INLINE_MAX_SIZE (64 KB) as Redis's reads see them (written at once a line of 81,910
 * bytes runs and one of 81,911 is "too big", because Redis reads 16 KB and then 65,526 bytes and
 * checks in between), written in pieces, with NUL bytes (Redis's strchr stops at them, so such a
 * line never ends); multibulk counts up to INT_MAX, bulk lengths (negative, `$-2`, leading zeros,
 * past proto-max-bulk-len), header lines too long, a type byte other than `$`. Each case runs on
 * a fresh connection to both servers; what comes back and whether the connection closes must match.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startRedis, type RealRedis } from '../harness.js';
import { exchange, spawnKv, type Outcome, type SpawnedKv } from './security-harness.js';

const b = (s: string) => Buffer.from(s, 'latin1');
/** an inline `ECHO aaa…` line of exactly `n` bytes, LF included */
const inline = (n: number, eol = '\n') => b('ECHO ' + 'a'.repeat(n - 5 - eol.length) + eol);
/** `buf` cut at the given offsets */
const cut = (buf: Buffer, ...at: number[]) => [0, ...at].map((from, i) => buf.subarray(from, i < at.length ? at[i] : buf.length));

const CASES: Record<string, Buffer[]> = {
  'inline line of 65,536 bytes in one write': [inline(65536)],
  'inline line of 65,537 bytes in one write': [inline(65537)],
  'inline line of 81,910 bytes (CRLF) in one write': [inline(81910, '\r\n')],
  'inline line of 81,910 bytes in one write: the longest Redis runs': [inline(81910)],
  'inline line of 81,911 bytes in one write: too big': [inline(81911)],
  'inline line of 100,000 bytes in one write: too big': [inline(100000)],
  'inline line of 131,072 bytes in one write: too big': [inline(131072)],
  'inline line of 131,073 bytes in one write: too big': [inline(131073)],
  'inline line of 65,537 bytes without its newline (waits)': [inline(65538).subarray(0, 65537)],
  'inline line of 90,000 bytes written as 10,000 + 80,000': cut(inline(90000), 10000),
  'inline line of 100,000 bytes written as 60,000 + 40,000': cut(inline(100000), 60000),
  'inline line of 75,000 bytes written as 40,000 + 35,000': cut(inline(75000), 40000),
  'a PING, then an inline line of 81,911 bytes': [b('PING\r\n'), inline(81911)],
  'pipelined small inline commands past 64 KB in one write': [b('PING\r\n'.repeat(20000))],
  'inline line with a NUL byte never ends (no reply)': [b('ECHO a\0b\r\nPING\r\n')],
  'NUL at the start of a line': [b('\0\r\nPING\r\n')],
  'a NUL line growing past 64 KB: too big inline request': [b('ECHO \0'), b('x'.repeat(70000) + '\r\n')],
  'multibulk count 1,048,577 is accepted (Redis 7: INT_MAX)': [b('*1048577\r\n$4\r\nPING\r\n')],
  'multibulk count 2,147,483,647 is accepted': [b('*2147483647\r\n')],
  'multibulk count 2,147,483,648: invalid multibulk length': [b('*2147483648\r\n')],
  'negative multibulk count is skipped': [b('*-5\r\nPING\r\n')],
  'multibulk count -0': [b('*-0\r\n')],
  'multibulk count with a leading zero': [b('*01\r\n$4\r\nPING\r\n')],
  'multibulk count with a plus sign': [b('*+1\r\n')],
  'empty multibulk count': [b('*\r\n')],
  'multibulk count of 20 digits': [b('*99999999999999999999\r\n')],
  '$-2 bulk length': [b('*1\r\n$-2\r\n')],
  '$-1 bulk length in a request': [b('*1\r\n$-1\r\n')],
  'bulk length with a leading zero': [b('*1\r\n$01\r\na\r\n')],
  'empty bulk length': [b('*1\r\n$\r\n')],
  'bulk length past proto-max-bulk-len': [b('*1\r\n$536870913\r\n')],
  'bulk length of 536,870,888 bytes declared (the longest V8 string), no data (waits)': [b('*1\r\n$536870888\r\n')],
  'a type byte other than $ once the line is complete': [b('*1\r\n:1\r\n')],
  'a type byte other than $ before its line ends (waits)': [b('*1\r\n:1')],
  'CR without LF after the count: the next byte is skipped': [b('*1\rX$4\r\nPING\r\n')],
  'CR then a stray byte: expected $ got a space': [b('*1\rX\r\n')],
  'the two bytes after a bulk are not checked': [b('*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n')],
  'multibulk count line of 70,000 digits: too big mbulk count string': [b('*' + '1'.repeat(70000))],
  'bulk length line of 70,000 digits: too big bulk count string': [b('*1\r\n$' + '1'.repeat(70000))],
  'a NUL in a bulk length line waits, then is too big': [b('*1\r\n$4\0'), b('x'.repeat(70000))],
  'a NUL in the multibulk count line': [b('*1\0\r\n$4\r\nPING\r\n')],
  'unbalanced quotes': [b('SET k "v\r\nPING\r\n')],
  'commands before a protocol error still run': [b('PING\r\n*1\r\n$4\r\nPING\r\n*x\r\nPING\r\n')],
  'a header split across writes': cut(b('*2\r\n$4\r\nECHO\r\n$3\r\nabc\r\n'), 1, 3, 9, 12),
};

let kv: SpawnedKv;
let redis: RealRedis | null;

test.before(async () => {
  kv = await spawnKv();
  redis = await startRedis();
  // a fresh Node process runs its first pipelines cold (hundreds of ms before the JIT warms up):
  // warm it so each case's quiet period measures the protocol, not the compiler
  for (let i = 0; i < 3; i++) {
    await exchange(kv.port, [b('PING\r\n'.repeat(20000) + '*1\r\n$4\r\nPING\r\n'.repeat(20000)), inline(70000)], 10, 300);
  }
});
test.after(async () => {
  await kv.stop();
  await redis?.stop();
});

const show = (o: Outcome) => `${o.closed ? 'closed' : 'open'} ${JSON.stringify(o.reply.length > 300 ? o.reply.slice(0, 120) + `…(${o.reply.length} bytes)…` + o.reply.slice(-60) : o.reply)}`;

test('inline, multibulk and bulk limits match redis-server 7.0.15 byte for byte', async () => {
  if (!redis) return;
  const failures: string[] = [];
  const names = Object.keys(CASES).filter((n) => !process.env.ONLY || n.includes(process.env.ONLY));
  // a few at a time: each waits for a quiet period
  const parallel = Number(process.env.PARALLEL ?? 8);
  for (let i = 0; i < names.length; i += parallel) {
    await Promise.all(
      names.slice(i, i + parallel).map(async (name) => {
        const pieces = CASES[name]!;
        let [ours, theirs] = await Promise.all([exchange(kv.port, pieces), exchange(redis!.port, pieces)]);
        // the machine may be loaded: a difference is checked again with a long quiet period
        if (ours.reply !== theirs.reply || ours.closed !== theirs.closed) {
          [ours, theirs] = await Promise.all([exchange(kv.port, pieces, 60, 4000), exchange(redis!.port, pieces, 60, 4000)]);
        }
        if (ours.reply !== theirs.reply || ours.closed !== theirs.closed) failures.push(`${name}:\n  kv-server: ${show(ours)}\n  redis:     ${show(theirs)}`);
      }),
    );
  }
  assert.is(failures.join('\n'), '', `${failures.length} of ${names.length} cases differ`);
});

test('unauthenticated clients: multibulk count over 10 and bulks over 16 KB refused as Redis', async () => {
  if (!redis) return;
  const kvAuth = await spawnKv({ requirepass: 'pw' });
  const redisAuth = await startRedis({ requirepass: 'pw' });
  try {
    for (const input of ['*11\r\n', '*10\r\n', '*1\r\n$16385\r\n', '*1\r\n$16384\r\n', 'AUTH pw\r\n*11\r\n$4\r\nPING\r\n']) {
      const [ours, theirs] = await Promise.all([exchange(kvAuth.port, [b(input)]), exchange(redisAuth!.port, [b(input)])]);
      assert.is(show(ours), show(theirs), JSON.stringify(input));
    }
  } finally {
    await kvAuth.stop();
    await redisAuth?.stop();
  }
});

test.run();
