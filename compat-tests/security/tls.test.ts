/*
 * TLS: kv-server's TLS port (node:tls) beside its plain port, with certificates openssl makes for
 * the run. Clients that should get in (redis-cli --tls, ioredis `tls`, redis-py `ssl=True`, a
 * trusted client certificate) do; clients that should not (plain text on the TLS port, no, an
 * untrusted or an expired client certificate when tls-auth-clients is yes) are dropped during the
 * handshake while a healthy TLS client keeps getting answers.
 */
import { spawn } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis } from 'ioredis';
import { freePort, requireRedisPy, requireTool, startKv } from '../harness.js';
import type { RunningServer } from '../../src/server/app.js';
import { makeTestCerts, tlsSettings, type TestCerts } from './tls-certs.js';
import { connectPlain, connectTls, healthyPinger, tlsPingWorks, type SocketClient } from './security-harness.js';

const certs: TestCerts | null = makeTestCerts();

/** Runs a tool without blocking the event loop (the server runs in this process). */
function run(cmd: string, args: string[], timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** a kv-server with a plain port and a TLS port that requires client certificates */
async function startTlsKv(extra: Record<string, string> = {}): Promise<{ kv: RunningServer; plainPort: number; tlsPort: number }> {
  const plainPort = await freePort();
  const tlsPort = await freePort();
  const kv = await startKv({ port: String(plainPort), ...tlsSettings(certs!, tlsPort, extra) });
  return { kv, plainPort, tlsPort };
}

function trusted(): { ca: Buffer; cert: Buffer; key: Buffer } {
  return { ca: certs!.read(certs!.caCert), cert: certs!.read(certs!.clientCert), key: certs!.read(certs!.clientKey) };
}

async function healthyTlsClient(port: number): Promise<SocketClient> {
  return connectTls(port, trusted());
}

test('TLS and plain ports side by side serve one keyspace', async () => {
  if (!certs) return;
  const { kv, plainPort, tlsPort } = await startTlsKv();
  try {
    assert.is(kv.tlsPort, tlsPort);
    const secure = await healthyTlsClient(tlsPort);
    assert.is(await secure.call('SET', 'k', 'over tls'), '+OK\r\n');
    const plain = await connectPlain(plainPort);
    assert.is(await plain.call('GET', 'k'), '$8\r\nover tls\r\n');
    secure.close();
    plain.close();
  } finally {
    await kv.stop();
  }
});

test('port 0 with a tls-port: no plain TCP listener, TLS only', async () => {
  if (!certs) return;
  const tlsPort = await freePort();
  const kv = await startKv(tlsSettings(certs, tlsPort));
  try {
    assert.is(kv.port, 0);
    const c = await healthyTlsClient(tlsPort);
    assert.match(await c.call('INFO', 'server'), /tcp_port:0\r\n/);
    c.close();
  } finally {
    await kv.stop();
  }
});

test('plain text sent to the TLS port is dropped without a reply; a healthy TLS client is unaffected', async () => {
  if (!certs) return;
  const { kv, tlsPort } = await startTlsKv();
  try {
    const healthy = await healthyTlsClient(tlsPort);
    const pinger = healthyPinger(healthy, 2);
    for (let i = 0; i < 20; i++) {
      const intruder = await connectPlain(tlsPort);
      intruder.write('PING\r\n*1\r\n$4\r\nPING\r\n');
      const got = await intruder.readUntilClose(3000);
      assert.not.match(got, /PONG/);
    }
    const latencies = await pinger.stop();
    assert.ok(latencies.length > 0);
    assert.is(await healthy.call('PING'), '+PONG\r\n');
    healthy.close();
  } finally {
    await kv.stop();
  }
});

test('tls-auth-clients yes: a client certificate from an unknown CA is refused', async () => {
  if (!certs) return;
  const { kv, tlsPort } = await startTlsKv();
  try {
    const healthy = await healthyTlsClient(tlsPort);
    const ca = certs.read(certs.caCert);
    for (let i = 0; i < 5; i++) {
      assert.is(await tlsPingWorks(tlsPort, { ca, cert: certs.read(certs.untrustedCert), key: certs.read(certs.untrustedKey) }), false);
    }
    assert.is(await healthy.call('PING'), '+PONG\r\n');
    assert.is(await tlsPingWorks(tlsPort, trusted()), true);
    healthy.close();
  } finally {
    await kv.stop();
  }
});

test('tls-auth-clients yes: an expired client certificate is refused', async () => {
  if (!certs) return;
  const { kv, tlsPort } = await startTlsKv();
  try {
    const healthy = await healthyTlsClient(tlsPort);
    const ca = certs.read(certs.caCert);
    assert.is(await tlsPingWorks(tlsPort, { ca, cert: certs.read(certs.expiredCert), key: certs.read(certs.expiredKey) }), false);
    assert.is(await healthy.call('SET', 'still', 'here'), '+OK\r\n');
    healthy.close();
  } finally {
    await kv.stop();
  }
});

test('tls-auth-clients yes refuses a client without a certificate; no and optional accept it; optional still refuses a bad one', async () => {
  if (!certs) return;
  const ca = certs.read(certs.caCert);
  const untrusted = { ca, cert: certs.read(certs.untrustedCert), key: certs.read(certs.untrustedKey) };
  for (const [mode, noCert, bad] of [['yes', false, false], ['no', true, true], ['optional', true, false]] as const) {
    const { kv, tlsPort } = await startTlsKv({ 'tls-auth-clients': mode });
    try {
      assert.is(await tlsPingWorks(tlsPort, { ca }), noCert, `${mode}: no certificate`);
      assert.is(await tlsPingWorks(tlsPort, trusted()), true, `${mode}: trusted certificate`);
      // with `no` the server does not ask for one, so an untrusted certificate is never sent
      assert.is(await tlsPingWorks(tlsPort, untrusted), bad, `${mode}: untrusted certificate`);
    } finally {
      await kv.stop();
    }
  }
});

test('a client that does not trust the server certificate cannot connect (no downgrade to plain)', async () => {
  if (!certs) return;
  const { kv, tlsPort } = await startTlsKv({ 'tls-auth-clients': 'no' });
  try {
    assert.is(await tlsPingWorks(tlsPort, {}), false);
    assert.is(await tlsPingWorks(tlsPort, { ca: certs.read(certs.caCert) }), true);
  } finally {
    await kv.stop();
  }
});

test('CLIENT LIST over TLS shows the TCP endpoints in addr and laddr', async () => {
  if (!certs) return;
  const { kv, tlsPort } = await startTlsKv();
  try {
    const c = await healthyTlsClient(tlsPort);
    const list = await c.call('CLIENT', 'LIST');
    const addr = `127.0.0.1:${c.socket.localPort}`;
    const laddr = `127.0.0.1:${tlsPort}`;
    assert.ok(list.includes(` addr=${addr} laddr=${laddr} `), list);
    assert.match(list, / fd=\d+ /);
    assert.not.match(list, / fd=-1 /);
    c.close();
  } finally {
    await kv.stop();
  }
});

test('an encrypted server key with tls-key-file-pass, CAs from tls-ca-cert-dir', async () => {
  if (!certs) return;
  const { kv, tlsPort } = await startTlsKv({
    'tls-key-file': certs.serverKeyEncrypted,
    'tls-key-file-pass': certs.serverKeyPass,
    'tls-ca-cert-file': '',
    'tls-ca-cert-dir': certs.caDir,
  });
  try {
    assert.is(await tlsPingWorks(tlsPort, trusted()), true);
  } finally {
    await kv.stop();
  }
});

test('a wrong tls-key-file-pass or a missing certificate file stops start-up', async () => {
  if (!certs) return;
  const tlsPort = await freePort();
  const bad: Array<Record<string, string>> = [{ 'tls-key-file': certs.serverKeyEncrypted, 'tls-key-file-pass': 'wrong' }, { 'tls-cert-file': '/nonexistent/cert.pem' }];
  for (const extra of bad) {
    let failed = false;
    try {
      const kv = await startKv(tlsSettings(certs, tlsPort, extra));
      await kv.stop();
    } catch {
      failed = true;
    }
    assert.ok(failed, JSON.stringify(extra));
  }
});

test('tls-protocols TLSv1.3 refuses a TLS 1.2 client; tls-ciphers/ciphersuites/prefer-server-ciphers accepted', async () => {
  if (!certs) return;
  const { kv, tlsPort } = await startTlsKv({
    'tls-protocols': 'TLSv1.3',
    'tls-ciphersuites': 'TLS_AES_128_GCM_SHA256',
    'tls-ciphers': 'ECDHE-RSA-AES128-GCM-SHA256',
    'tls-prefer-server-ciphers': 'yes',
  });
  try {
    assert.is(await tlsPingWorks(tlsPort, { ...trusted(), maxVersion: 'TLSv1.2' }), false);
    const c = await connectTls(tlsPort, trusted());
    const s = c.socket as import('node:tls').TLSSocket;
    assert.is(s.getProtocol(), 'TLSv1.3');
    assert.is(s.getCipher().name, 'TLS_AES_128_GCM_SHA256');
    c.close();
  } finally {
    await kv.stop();
  }
});

test('CONFIG GET/SET tls-*: tls-auth-clients no lets certificate-less clients in from then on; a bad value is refused', async () => {
  if (!certs) return;
  const { kv, tlsPort } = await startTlsKv();
  try {
    const c = await healthyTlsClient(tlsPort);
    assert.is(await c.call('CONFIG', 'GET', 'tls-auth-clients'), '*2\r\n$16\r\ntls-auth-clients\r\n$3\r\nyes\r\n');
    assert.is(await c.call('CONFIG', 'GET', 'tls-port'), `*2\r\n$8\r\ntls-port\r\n$${String(tlsPort).length}\r\n${tlsPort}\r\n`);
    const ca = certs.read(certs.caCert);
    assert.is(await tlsPingWorks(tlsPort, { ca }), false);
    assert.is(await c.call('CONFIG', 'SET', 'tls-auth-clients', 'no'), '+OK\r\n');
    assert.is(await tlsPingWorks(tlsPort, { ca }), true);
    assert.match(await c.call('CONFIG', 'SET', 'tls-auth-clients', 'maybe'), /^-ERR CONFIG SET failed \(possibly related to argument 'tls-auth-clients'\) - argument\(s\) must be one of the following: no, yes, optional\r\n$/);
    // a bad file is logged and the working certificates stay in use
    assert.is(await c.call('CONFIG', 'SET', 'tls-cert-file', '/nonexistent.pem'), '+OK\r\n');
    assert.is(await tlsPingWorks(tlsPort, { ca }), true);
    c.close();
  } finally {
    await kv.stop();
  }
});

test('CONFIG SET tls-port moves the TLS listener; tls-port 0 closes it', async () => {
  if (!certs) return;
  const { kv, plainPort, tlsPort } = await startTlsKv({ 'tls-auth-clients': 'no' });
  try {
    const ca = certs.read(certs.caCert);
    const c = await connectPlain(plainPort);
    const moved = await freePort();
    assert.is(await c.call('CONFIG', 'SET', 'tls-port', String(moved)), '+OK\r\n');
    let ok = false;
    for (let i = 0; i < 50 && !ok; i++) {
      ok = await tlsPingWorks(moved, { ca });
      if (!ok) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(ok, 'the new TLS port answers');
    assert.is(await tlsPingWorks(tlsPort, { ca }), false);
    assert.is(await c.call('CONFIG', 'SET', 'tls-port', '0'), '+OK\r\n');
    await new Promise((r) => setTimeout(r, 50));
    assert.is(await tlsPingWorks(moved, { ca }), false);
    c.close();
  } finally {
    await kv.stop();
  }
});

test('redis-cli --tls --cacert --cert --key against the TLS port', async () => {
  if (!certs) return;
  const cli = requireTool('redis-cli');
  if (!cli) return;
  const { kv, tlsPort } = await startTlsKv();
  try {
    const base = ['--tls', '--cacert', certs.caCert, '--cert', certs.clientCert, '--key', certs.clientKey, '-h', '127.0.0.1', '-p', String(tlsPort)];
    const cliRun = (...args: string[]) => run(cli, [...base, ...args]);
    assert.is((await cliRun('SET', 'cli', 'tls value')).stdout, 'OK\n');
    assert.is((await cliRun('GET', 'cli')).stdout, 'tls value\n');
    assert.is((await cliRun('PING')).stdout, 'PONG\n');
    // without a client certificate the server refuses it
    const refused = await run(cli, ['--tls', '--cacert', certs.caCert, '-h', '127.0.0.1', '-p', String(tlsPort), 'PING']);
    assert.not.match(refused.stdout, /PONG/);
  } finally {
    await kv.stop();
  }
});

test('ioredis with tls: { ca, cert, key }', async () => {
  if (!certs) return;
  const { kv, tlsPort } = await startTlsKv();
  const redis = new Redis({ host: '127.0.0.1', port: tlsPort, tls: { ...trusted(), servername: 'localhost' }, lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await redis.connect();
    assert.is(await redis.set('io', 'redis'), 'OK');
    assert.is(await redis.get('io'), 'redis');
    const [[, a], [, b]] = (await redis.pipeline().incr('n').incr('n').exec())!;
    assert.equal([a, b], [1, 2]);
    assert.is(await redis.hset('h', 'f', 'v'), 1);
  } finally {
    redis.disconnect();
    await kv.stop();
  }
});

test('redis-py with ssl=True and a client certificate', async () => {
  if (!certs) return;
  const python = requireRedisPy();
  if (!python) return;
  const { kv, tlsPort } = await startTlsKv();
  try {
    const script = [
      'import redis, sys',
      `r = redis.Redis(host="localhost", port=${tlsPort}, ssl=True, ssl_ca_certs=sys.argv[1], ssl_certfile=sys.argv[2], ssl_keyfile=sys.argv[3])`,
      'assert r.set("py", "ssl") is True',
      'assert r.get("py") == b"ssl", r.get("py")',
      'assert r.incr("pn") == 1',
      'print("ok")',
    ].join('\n');
    const r = await run(python, ['-c', script, certs.caCert, certs.clientCert, certs.clientKey]);
    assert.is(r.stdout.trim(), 'ok', r.stderr);
  } finally {
    await kv.stop();
  }
});

test.run();
