/*
 * Test certificates made with openssl in a temporary directory: a CA, a server certificate for
 * localhost/127.0.0.1 signed by it (its key also written encrypted, with a passphrase), a client
 * certificate signed by it, a client certificate that expired in 2020, and a client certificate
 * from another CA the server does not trust. Returns null (after "skipped: openssl not
 * installed") when openssl is missing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool } from '../harness.js';

export interface TestCerts {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  /** serverKey encrypted with `serverKeyPass` */
  serverKeyEncrypted: string;
  serverKeyPass: string;
  clientCert: string;
  clientKey: string;
  expiredCert: string;
  expiredKey: string;
  /** signed by a CA the server does not know */
  untrustedCert: string;
  untrustedKey: string;
  /** a directory holding the CA certificate (for tls-ca-cert-dir) */
  caDir: string;
  read(path: string): Buffer;
}

function run(openssl: string, args: string[], cwd: string): void {
  const r = spawnSync(openssl, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
}

export function makeTestCerts(): TestCerts | null {
  const openssl = requireTool('openssl');
  if (!openssl) return null;
  const dir = mkdtempSync(join(tmpdir(), 'kv-tls-'));
  const o = (...args: string[]) => run(openssl, args, dir);
  o('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3', '-subj', '/CN=kv-server test CA');
  o('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other-ca.key', '-out', 'other-ca.crt', '-days', '3', '-subj', '/CN=someone else');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  const sign = (name: string, cn: string, ca: string, ext?: string) => {
    o('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    o('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', ...(ext ? ['-extfile', ext] : []));
  };
  sign('server', 'localhost', 'ca', 'server.ext');
  sign('client', 'client', 'ca');
  sign('untrusted', 'intruder', 'other-ca');
  // an expired one: `openssl ca` takes explicit dates
  mkdirSync(join(dir, 'db'));
  writeFileSync(join(dir, 'db/index.txt'), '');
  writeFileSync(join(dir, 'db/serial'), '01\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    '[ca]\ndefault_ca = testca\n[testca]\ndatabase = db/index.txt\nserial = db/serial\nnew_certs_dir = db\ndefault_md = sha256\npolicy = any\n[any]\ncommonName = supplied\n',
  );
  o('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'expired.key', '-out', 'expired.csr', '-subj', '/CN=expired');
  o('ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.crt', '-keyfile', 'ca.key', '-in', 'expired.csr', '-out', 'expired.crt', '-startdate', '20200101000000Z', '-enddate', '20200102000000Z', '-notext');
  o('pkey', '-in', 'server.key', '-aes256', '-passout', 'pass:s3cret', '-out', 'server-enc.key');
  mkdirSync(join(dir, 'cadir'));
  writeFileSync(join(dir, 'cadir/ca.pem'), readFileSync(join(dir, 'ca.crt')));
  const p = (f: string) => join(dir, f);
  return {
    dir,
    caCert: p('ca.crt'),
    serverCert: p('server.crt'),
    serverKey: p('server.key'),
    serverKeyEncrypted: p('server-enc.key'),
    serverKeyPass: 's3cret',
    clientCert: p('client.crt'),
    clientKey: p('client.key'),
    expiredCert: p('expired.crt'),
    expiredKey: p('expired.key'),
    untrustedCert: p('untrusted.crt'),
    untrustedKey: p('untrusted.key'),
    caDir: p('cadir'),
    read: (path) => readFileSync(path),
  };
}

/** kv-server settings for a TLS port with these certificates (client certificates required). */
export function tlsSettings(certs: TestCerts, tlsPort: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'tls-port': String(tlsPort),
    'tls-cert-file': certs.serverCert,
    'tls-key-file': certs.serverKey,
    'tls-ca-cert-file': certs.caCert,
    ...extra,
  };
}
