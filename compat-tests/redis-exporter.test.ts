/*
 * Debian's prometheus-redis-exporter (oliver006/redis_exporter) scraping kv-server: started on a
 * free port against an in-process kv-server, its /metrics must show the metric families it shows
 * for Redis — redis_up 1, per-db keys and expiring keys, commands processed and per-command stats,
 * connected clients, keyspace hits/misses, uptime, memory, and the latency percentiles it reads
 * from INFO latencystats — with the values kv-server holds. Skipped when the exporter is not
 * installed, except under CI=true (.ci/run installs it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { freePort, RawClient, requireTool, startKv } from './harness.js';

const exporter = requireTool('prometheus-redis-exporter');

async function scrape(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.is(res.status, 200);
  return res.text();
}

/** The value of the sample `name{labels}` (exact text before the value), or undefined. */
function sample(metrics: string, series: string): number | undefined {
  for (const line of metrics.split('\n')) {
    if (line.startsWith(series + ' ')) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

test('the exporter scrapes kv-server: up, keys, commands, clients, hits, latency percentiles', async () => {
  if (!exporter) return;
  const kv = await startKv();
  const webPort = await freePort();
  let child: ChildProcess | null = null;
  try {
    const c = await RawClient.connect(kv.port);
    await c.call('SET', 'a', '1');
    await c.call('SET', 'b', '2', 'EX', '100');
    await c.call('SELECT', '3');
    await c.call('SET', 'c', '3');
    await c.call('GET', 'c');
    await c.call('GET', 'nope');
    child = spawn(exporter, ['-redis.addr', `redis://127.0.0.1:${kv.port}`, '-web.listen-address', `127.0.0.1:${webPort}`, '-redis-only-metrics'], { stdio: 'ignore' });
    let metrics = '';
    for (let i = 0; i < 100; i++) {
      metrics = await scrape(webPort).catch(() => '');
      if (metrics !== '') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(metrics !== '', 'the exporter never answered');
    assert.is(sample(metrics, 'redis_up'), 1, metrics);
    assert.is(sample(metrics, 'redis_exporter_last_scrape_error{err=""}'), 0);
    assert.is(sample(metrics, 'redis_db_keys{db="db0"}'), 2);
    assert.is(sample(metrics, 'redis_db_keys_expiring{db="db0"}'), 1);
    assert.is(sample(metrics, 'redis_db_keys{db="db3"}'), 1);
    assert.is(sample(metrics, 'redis_db_keys{db="db5"}'), 0); // every configured database is listed
    assert.ok(sample(metrics, 'redis_commands_processed_total')! >= 6);
    assert.is(sample(metrics, 'redis_commands_total{cmd="set"}'), 3);
    assert.is(sample(metrics, 'redis_commands_total{cmd="get"}'), 2);
    // this test's connection and the exporter's
    assert.is(sample(metrics, 'redis_connected_clients'), 2);
    assert.is(sample(metrics, 'redis_keyspace_hits_total'), 1);
    assert.is(sample(metrics, 'redis_keyspace_misses_total'), 1);
    assert.ok(sample(metrics, 'redis_uptime_in_seconds')! >= 0);
    assert.ok(sample(metrics, 'redis_memory_used_bytes')! > 0);
    assert.match(metrics, /redis_instance_info\{[^}]*redis_mode="standalone",redis_version="7\.2\.4",role="master"/);
    // INFO latencystats, as a summary per command
    assert.ok(sample(metrics, 'redis_latency_percentiles_usec{cmd="set",quantile="99.9"}')! > 0, metrics);
    assert.is(sample(metrics, 'redis_latency_percentiles_usec_count{cmd="set"}'), 3);
    // a second scrape sees a change
    await c.call('SELECT', '0');
    await c.call('DEL', 'a');
    const again = await scrape(webPort);
    assert.is(sample(again, 'redis_db_keys{db="db0"}'), 1);
    assert.is(sample(again, 'redis_commands_total{cmd="del"}'), 1);
    c.close();
  } finally {
    child?.kill('SIGKILL');
    await kv.stop();
  }
});

test.run();
