/*
 * TLS on the binary listener (docs/protocol.md): `bin-tls auto` (the default) runs the binary
 * port over TLS exactly when a tls-port is configured, with the RESP TLS port's certificate, CAs
 * and tls-auth-clients; `bin-tls yes|no` force it. The TypeScript client connects with `kvs://`
 * or `tls: { ca, cert, key }`. Clients that should not get in (plain frames on the TLS binary
 * port, a client certificate from an unknown CA, none when tls-auth-clients is yes) are dropped
 * in the handshake while a healthy TLS client keeps its answers. Named for what each covers.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { freePort, startKv, startKvWithBinPort } from '../harness.js';
import type { RunningServer } from '../../src/server/app.js';
import { connect, ConnectionError, ErrorCode, KvError, type KvClient } from '../../src/client/index.js';
import { makeTestCerts, tlsSettings, type TestCerts } from './tls-certs.js';
import { connectPlain, connectTls } from './security-harness.js';

const certs: TestCerts | null = makeTestCerts();

function trusted(): { ca: Buffer; cert: Buffer; key: Buffer } {
  return { ca: certs!.read(certs!.caCert), cert: certs!.read(certs!.clientCert), key: certs!.read(certs!.clientKey) };
}

/** kv-server with a TLS port and a binary port (bin-tls as given, default auto). */
async function startBinTls(extra: Record<string, string> = {}): Promise<{ kv: RunningServer; binPort: number; tlsPort: number }> {
  const tlsPort = await freePort();
  const binPort = await freePort();
  const kv = await startKv({ 'bin-port': String(binPort), ...tlsSettings(certs!, tlsPort, extra) });
  return { kv, binPort: kv.binPort, tlsPort };
}

/** What connecting yields: the client, or the error it was refused with. */
async function attempt(url: string, tls: object | boolean | undefined): Promise<KvClient | Error> {
  return connect(url, { reconnect: false, connectTimeoutMs: 3000, ...(tls === undefined ? {} : { tls: tls as never }) }).catch((e: Error) => e);
}

test('bin-tls auto with a tls-port: the binary port speaks TLS, kvs:// with ca/cert/key gets in and shares the keyspace with RESP over TLS', async () => {
  if (!certs) return;
  const { kv, binPort, tlsPort } = await startBinTls();
  try {
    assert.is(kv.context.config.get('bin-tls'), 'auto');
    const c = await connect(`kvs://127.0.0.1:${binPort}`, { tls: trusted(), reconnect: false });
    assert.is(await c.set('bt:k', 42), true);
    assert.is(await c.get('bt:k'), 42);
    const resp = await connectTls(tlsPort, trusted());
    assert.is(await resp.call('GET', 'bt:k'), '$2\r\n42\r\n');
    resp.close();
    // `kv://` with `tls: {…}` is the same thing; `localhost` is checked against the certificate
    const byOption = await connect(`kv://localhost:${binPort}`, { tls: trusted(), reconnect: false });
    assert.is(await byOption.get('bt:k'), 42);
    await byOption.close();
    await c.close();
  } finally {
    await kv.stop();
  }
});

test('a plain-text binary client on the TLS binary port is refused; a healthy TLS client keeps being answered', async () => {
  if (!certs) return;
  const { kv, binPort } = await startBinTls();
  try {
    const healthy = await connect(`kvs://127.0.0.1:${binPort}`, { tls: trusted(), reconnect: false });
    let answered = 0;
    let failed = 0;
    let running = true;
    const pinger = (async () => {
      while (running) {
        await healthy.ping().then(() => answered++, () => failed++);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    for (let i = 0; i < 10; i++) {
      const plain = await attempt(`kv://127.0.0.1:${binPort}`, undefined);
      assert.ok(plain instanceof ConnectionError, `the plain client does not get in: ${String(plain)}`);
      // raw frame bytes: no reply, the connection is dropped
      const raw = await connectPlain(binPort);
      raw.write(Buffer.from('00000010010000000100010001', 'hex'));
      assert.is(await raw.readUntilClose(3000), '');
    }
    running = false;
    await pinger;
    assert.ok(answered > 0);
    assert.is(failed, 0, 'the healthy TLS client never failed');
    assert.is(await healthy.set('bt:after', 'v'), true);
    assert.is(kv.context.clients.size, 1, 'no refused client became a connection');
    await healthy.close();
  } finally {
    await kv.stop();
  }
});

test('tls-auth-clients yes on the binary port: an untrusted client certificate or none is refused; the server certificate must be trusted', async () => {
  if (!certs) return;
  const { kv, binPort } = await startBinTls();
  try {
    const ca = certs.read(certs.caCert);
    const untrusted = await attempt(`kvs://127.0.0.1:${binPort}`, { ca, cert: certs.read(certs.untrustedCert), key: certs.read(certs.untrustedKey) });
    assert.ok(untrusted instanceof Error, 'untrusted client certificate');
    const expired = await attempt(`kvs://127.0.0.1:${binPort}`, { ca, cert: certs.read(certs.expiredCert), key: certs.read(certs.expiredKey) });
    assert.ok(expired instanceof Error, 'expired client certificate');
    const none = await attempt(`kvs://127.0.0.1:${binPort}`, { ca });
    assert.ok(none instanceof Error, 'no client certificate');
    // the client refuses a server it does not trust (no CA given): no fallback to plain
    const distrust = await attempt(`kvs://127.0.0.1:${binPort}`, { cert: certs.read(certs.clientCert), key: certs.read(certs.clientKey) });
    assert.ok(distrust instanceof Error, 'untrusted server');
    // CONFIG SET tls-auth-clients no reloads the binary listener too: no certificate needed now
    const admin = await connect(`kvs://127.0.0.1:${binPort}`, { tls: trusted(), reconnect: false });
    assert.is(await admin.command('CONFIG', 'SET', 'tls-auth-clients', 'no'), 'OK');
    const anonymous = await attempt(`kvs://127.0.0.1:${binPort}`, { ca });
    assert.ok(!(anonymous instanceof Error), String(anonymous));
    await (anonymous as KvClient).close();
    await admin.close();
  } finally {
    await kv.stop();
  }
});

test('credentials and ACL over the TLS binary port: kvs://user:pass@ authenticates, a wrong password is WRONGPASS', async () => {
  if (!certs) return;
  const { kv, binPort } = await startBinTls({ requirepass: 'pw' });
  try {
    const ok = await connect(`kvs://default:pw@127.0.0.1:${binPort}`, { tls: trusted(), reconnect: false });
    assert.is(await ok.set('bt:auth', 'v'), true);
    await ok.close();
    const wrong = await attempt(`kvs://default:nope@127.0.0.1:${binPort}`, trusted());
    assert.ok(wrong instanceof KvError && wrong.code === ErrorCode.WRONGPASS, String(wrong));
  } finally {
    await kv.stop();
  }
});

test('bin-tls no keeps the binary port plain beside a tls-port; bin-tls auto without a tls-port is plain; bin-tls yes without a tls-port is TLS', async () => {
  if (!certs) return;
  const { kv, binPort } = await startBinTls({ 'bin-tls': 'no' });
  try {
    const plain = await connect(`kv://127.0.0.1:${binPort}`, { reconnect: false });
    assert.is(await plain.ping(), 'PONG');
    await plain.close();
    assert.ok((await attempt(`kvs://127.0.0.1:${binPort}`, trusted())) instanceof Error, 'TLS to a plain port fails');
  } finally {
    await kv.stop();
  }
  const plainOnly = await startKvWithBinPort();
  try {
    const c = await connect(`kv://127.0.0.1:${plainOnly.binPort}`, { reconnect: false });
    assert.is(await c.ping(), 'PONG');
    await c.close();
  } finally {
    await plainOnly.stop();
  }
  const forced = await startKv({
    'bin-port': String(await freePort()),
    'bin-tls': 'yes',
    'tls-cert-file': certs.serverCert,
    'tls-key-file': certs.serverKey,
    'tls-ca-cert-file': certs.caCert,
  });
  try {
    const c = await connect(`kvs://127.0.0.1:${forced.binPort}`, { tls: trusted(), reconnect: false });
    assert.is(await c.ping(), 'PONG');
    await c.close();
    assert.is(forced.tlsPort, 0);
  } finally {
    await forced.stop();
  }
});

test('bin-tls is not changeable at run time and takes only auto, yes or no', async () => {
  const kv = await startKvWithBinPort();
  try {
    const c = await connect(`kv://127.0.0.1:${kv.binPort}`, { reconnect: false });
    const e = await c.command('CONFIG', 'SET', 'bin-tls', 'yes').catch((x: unknown) => x);
    assert.ok(e instanceof KvError && /can't set immutable config/.test(e.message), String(e));
    const got = (await c.command('CONFIG', 'GET', 'bin-tls')) as Map<unknown, unknown>;
    assert.equal([...got].map(([k, v]) => [String(k), String(v)]), [['bin-tls', 'auto']]);
    await c.close();
  } finally {
    await kv.stop();
  }
  let refused: unknown = null;
  await startKv({ 'bin-tls': 'maybe' }).then((s) => s.stop(), (e: unknown) => (refused = e));
  assert.ok(refused instanceof Error, 'bin-tls maybe is refused');
});

test.run();
