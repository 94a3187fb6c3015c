/*
 * BullMQ (a job queue built on Lua scripts: every add, move, retry and lock is an EVALSHA touching
 * many keys) against an in-process kv-server: a Queue and a Worker processing jobs, retries with
 * fixed and exponential backoff, delayed jobs, priorities, a job scheduler (repeatable job) and
 * QueueEvents (a stream consumer with XREAD BLOCK where streams exist; BullMQ falls back to
 * polling otherwise). Each scenario asserts what the worker saw, in order and in time.
 *
 * BullMQ's scripts record every state change in an events stream (XADD … MAXLEN ~), which
 * QueueEvents reads with XREAD BLOCK. (Without XADD in the command table every script would fail
 * with "Unknown Redis command called from script": the file then says so and skips.)
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { startKv } from './harness.js';
import type { RunningServer } from '../src/server/app.js';
import { buildCommandTable } from '../src/core/command-list.js';

const HAS_STREAMS = buildCommandTable().get('xadd') !== undefined;
if (!HAS_STREAMS) console.log('skipped: BullMQ needs streams (XADD in every script), which kv-server does not have yet');
/** The scenarios that need streams are registered only when the table has them. */
const scenario = (name: string, fn: () => Promise<void>) => {
  if (HAS_STREAMS) test(name, fn);
};

let kv: RunningServer;
let connection: { host: string; port: number; maxRetriesPerRequest: null };
const closers: Array<() => Promise<unknown>> = [];
let queueNo = 0;

/** A fresh queue name, with its Queue closed after the test. */
function newQueue(): Queue {
  const q = new Queue(`q${queueNo++}`, { connection });
  closers.push(() => q.close());
  return q;
}
function newWorker<T, R>(q: Queue, fn: (job: Job<T, R>) => Promise<R>, opts: Record<string, unknown> = {}): Worker<T, R> {
  const w = new Worker<T, R>(q.name, fn, { connection, ...opts });
  w.on('error', () => {});
  closers.push(() => w.close());
  return w;
}
/** Resolves when `predicate` holds (polled), rejects after `ms`. */
async function until(predicate: () => boolean | Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test.before(async () => {
  kv = await startKv();
  connection = { host: '127.0.0.1', port: kv.port, maxRetriesPerRequest: null };
});
test.after.each(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});
test.after(async () => {
  await kv.stop();
});

test('BullMQ connects: version check passes (INFO redis_version, maxmemory_policy), counts read', async () => {
  const q = newQueue();
  const warnings: unknown[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args);
  try {
    await q.waitUntilReady();
    assert.equal(await q.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed'), { waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 });
  } finally {
    console.warn = warn;
  }
  // no "Redis version" or eviction-policy warning
  assert.equal(warnings, []);
});

scenario('a worker processes added jobs; results and counts are stored', async () => {
  const q = newQueue();
  const seen: number[] = [];
  const w = newWorker<{ n: number }, number>(q, async (job) => {
    seen.push(job.data.n);
    return job.data.n * 2;
  });
  const jobs = await q.addBulk([1, 2, 3, 4, 5].map((n) => ({ name: 'double', data: { n } })));
  await q.add('double', { n: 6 });
  await until(async () => (await q.getCompletedCount()) === 6, 10_000, '6 completed');
  assert.equal([...seen].sort(), [1, 2, 3, 4, 5, 6]);
  const done = await q.getJob(jobs[2]!.id!);
  assert.is(done!.returnvalue, 6);
  assert.is(done!.attemptsMade, 1);
  assert.ok(done!.finishedOn! >= done!.processedOn!);
  assert.equal(await q.getJobCounts('waiting', 'active', 'completed', 'failed'), { waiting: 0, active: 0, completed: 6, failed: 0 });
  await w.close();
});

scenario('a failing job is retried with fixed backoff, then with exponential backoff, until attempts run out', async () => {
  const q = newQueue();
  const tries: Record<string, number[]> = {};
  newWorker<{ failTimes: number }, string>(q, async (job) => {
    (tries[job.name] ??= []).push(Date.now());
    if (job.attemptsMade < job.data.failTimes) throw new Error(`boom ${job.attemptsMade}`);
    return 'ok';
  });
  const fixed = await q.add('fixed', { failTimes: 2 }, { attempts: 3, backoff: { type: 'fixed', delay: 150 } });
  const expo = await q.add('expo', { failTimes: 2 }, { attempts: 3, backoff: { type: 'exponential', delay: 100 } });
  const doomed = await q.add('doomed', { failTimes: 99 }, { attempts: 2, backoff: { type: 'fixed', delay: 50 } });
  await until(async () => (await q.getCompletedCount()) === 2 && (await q.getFailedCount()) === 1, 15_000, 'retries');
  const f = await q.getJob(fixed.id!);
  assert.is(f!.returnvalue, 'ok');
  assert.is(f!.attemptsMade, 3);
  const t = tries.fixed!;
  assert.is(t.length, 3);
  assert.ok(t[1]! - t[0]! >= 140 && t[2]! - t[1]! >= 140, `fixed gaps ${t[1]! - t[0]!}, ${t[2]! - t[1]!}`);
  const e = tries.expo!;
  // exponential: 100 ms, then 200 ms
  assert.ok(e[1]! - e[0]! >= 90 && e[2]! - e[1]! >= 190, `exponential gaps ${e[1]! - e[0]!}, ${e[2]! - e[1]!}`);
  const d = (await q.getJob(doomed.id!))!;
  assert.is(d.attemptsMade, 2);
  assert.is(d.failedReason, 'boom 1');
  assert.ok((d.stacktrace ?? []).length >= 1);
  assert.is(await d.getState(), 'failed');
  // a failed job retried by hand runs again
  await d.retry();
  await until(async () => (await q.getFailedCount()) === 1 && (tries.doomed?.length ?? 0) >= 3, 10_000, 'manual retry');
});

scenario('a delayed job waits in the delayed set, then runs after its delay', async () => {
  const q = newQueue();
  const ran: Array<{ name: string; at: number }> = [];
  newWorker(q, async (job) => {
    ran.push({ name: job.name, at: Date.now() });
  });
  const added = Date.now();
  const job = await q.add('later', {}, { delay: 600 });
  await q.add('now', {});
  assert.is(await job.getState(), 'delayed');
  assert.is(await q.getDelayedCount(), 1);
  await until(() => ran.length === 2, 10_000, 'both ran');
  assert.equal(ran.map((r) => r.name), ['now', 'later']);
  assert.ok(ran[1]!.at - added >= 590, `ran after ${ran[1]!.at - added} ms`);
  // a delayed job can be promoted to run at once
  const far = await q.add('far', {}, { delay: 60_000 });
  await far.promote();
  await until(() => ran.length === 3, 10_000, 'promoted');
  assert.is(ran[2]!.name, 'far');
});

scenario('jobs run by priority (1 first), FIFO within a priority, after plain jobs', async () => {
  const q = newQueue();
  await q.pause();
  await q.add('p5-a', {}, { priority: 5 });
  await q.add('p1', {}, { priority: 1 });
  await q.add('p5-b', {}, { priority: 5 });
  await q.add('p3', {}, { priority: 3 });
  await q.add('plain', {});
  assert.is(await q.getPrioritizedCount(), 4);
  const order: string[] = [];
  newWorker(q, async (job) => {
    order.push(job.name);
  }, { concurrency: 1 });
  await q.resume();
  await until(() => order.length === 5, 10_000, 'five jobs');
  assert.equal(order, ['plain', 'p1', 'p3', 'p5-a', 'p5-b']);
});

scenario('a job scheduler repeats a job every interval until removed', async () => {
  const q = newQueue();
  const runs: number[] = [];
  newWorker<{ tag: string }, void>(q, async (job) => {
    assert.is(job.data.tag, 'tick');
    runs.push(Date.now());
  });
  const created = Date.now();
  await q.upsertJobScheduler('ticker', { every: 250 }, { name: 'tick', data: { tag: 'tick' } });
  const schedulers = await q.getJobSchedulers();
  assert.is(schedulers.length, 1);
  assert.is(schedulers[0]!.key, 'ticker');
  await until(() => runs.length >= 3, 10_000, 'three runs');
  // the runs are due at fixed slots 250 ms apart: however late a worker is (a loaded machine
  // bunches late runs together), the third cannot come before a full interval has passed
  assert.ok(runs[2]! - created >= 240, `third run ${runs[2]! - created} ms after the scheduler was created`);
  assert.ok(await q.removeJobScheduler('ticker'));
  assert.equal(await q.getJobSchedulers(), []);
  const count = runs.length;
  await new Promise((r) => setTimeout(r, 700));
  assert.ok(runs.length <= count + 1, 'stopped repeating');
});

scenario('QueueEvents (XREAD BLOCK on the events stream) sees added, delayed, retried, failed and completed jobs', async () => {
  const q = newQueue();
  const events = new QueueEvents(q.name, { connection });
  closers.push(() => events.close());
  const seen: string[] = [];
  for (const name of ['added', 'delayed', 'active', 'completed', 'failed', 'retries-exhausted'] as const) {
    events.on(name, (e: { jobId: string }) => void seen.push(`${name}:${e.jobId}`));
  }
  await events.waitUntilReady();
  // QueueEvents reads from `$`: wait until its XREAD BLOCK is blocked
  const admin = new Redis(kv.port, { lazyConnect: false });
  closers.push(() => admin.quit());
  await until(async () => / flags=b /.test(String(await admin.call('CLIENT', 'LIST'))), 5_000, 'QueueEvents blocked');
  newWorker<{ fail: boolean }, string>(q, async (job) => {
    if (job.data.fail) throw new Error('boom');
    return 'ok';
  });
  const ok = await q.add('ok', { fail: false });
  const later = await q.add('later', { fail: false }, { delay: 200 });
  const bad = await q.add('bad', { fail: true }, { attempts: 2, backoff: { type: 'fixed', delay: 50 } });
  const want = [`completed:${ok.id}`, `completed:${later.id}`, `failed:${bad.id}`, `delayed:${later.id}`, `added:${ok.id}`];
  await until(() => want.every((w) => seen.includes(w)), 10_000, `events ${want.join(', ')} (saw ${seen.join(', ')})`);
  // the job that failed twice went through active twice
  await until(() => seen.filter((x) => x === `active:${bad.id}`).length === 2, 5_000, 'two attempts');
  // the events stream is trimmed approximately (MAXLEN ~ 10000) and readable with XRANGE
  const raw = await admin.xrange(`bull:${q.name}:events`, '-', '+');
  assert.ok(raw.length >= 10, `events stream holds ${raw.length} entries`);
  assert.ok(raw.some(([, fields]) => fields.includes('completed')));
});

test.run();
