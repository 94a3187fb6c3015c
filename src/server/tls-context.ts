/*
 * TLS settings (`tls-*` parameters) turned into node:tls server options, as Redis's tls.c reads
 * them: the server certificate and key (with the key's passphrase), the CAs that client
 * certificates must chain to (a file and/or every certificate file of a directory), whether
 * clients must present one (`tls-auth-clients yes|no|optional`), the protocol versions, the
 * TLS 1.2 ciphers, the TLS 1.3 cipher suites and whether the server's cipher order wins.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import tls from 'node:tls';
import type { Config } from '../core/config.js';

/** The TLS versions `tls-protocols` may name, oldest first. */
const PROTOCOLS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;

export type TlsAuthClients = 'yes' | 'no' | 'optional';

export interface TlsServerSettings {
  options: tls.TlsOptions;
  /** `optional`: a certificate is not required, but one presented must verify */
  authClients: TlsAuthClients;
}

/** The TLS parameters: a change to any of them reloads the certificates and settings. */
export const TLS_CONTEXT_PARAMS: ReadonlySet<string> = new Set([
  'tls-cert-file',
  'tls-key-file',
  'tls-key-file-pass',
  'tls-ca-cert-file',
  'tls-ca-cert-dir',
  'tls-auth-clients',
  'tls-protocols',
  'tls-ciphers',
  'tls-ciphersuites',
  'tls-prefer-server-ciphers',
]);

/**
 * Reads the files and builds the options. Throws an Error saying what is wrong (a missing file,
 * no certificate configured, an unknown protocol name), in Redis's words where it has them.
 */
export function tlsServerSettings(config: Config): TlsServerSettings {
  const certFile = config.get('tls-cert-file');
  const keyFile = config.get('tls-key-file');
  if (certFile === '') throw new Error('No tls-cert-file configured!');
  if (keyFile === '') throw new Error('No tls-key-file configured!');
  const caFile = config.get('tls-ca-cert-file');
  const caDir = config.get('tls-ca-cert-dir');
  const authClients = config.get('tls-auth-clients') as TlsAuthClients;
  if (authClients !== 'no' && caFile === '' && caDir === '') {
    throw new Error('Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-auth-clients is set.');
  }
  const options: tls.TlsOptions = {
    cert: readFile(certFile, 'tls-cert-file'),
    key: readFile(keyFile, 'tls-key-file'),
    requestCert: authClients !== 'no',
    rejectUnauthorized: authClients === 'yes',
    honorCipherOrder: config.get('tls-prefer-server-ciphers') === 'yes',
  };
  const pass = config.get('tls-key-file-pass');
  if (pass !== '') options.passphrase = pass;
  const ca: Buffer[] = [];
  if (caFile !== '') ca.push(readFile(caFile, 'tls-ca-cert-file'));
  if (caDir !== '') ca.push(...certificatesIn(caDir));
  if (ca.length > 0) options.ca = ca;
  const protocols = config.get('tls-protocols');
  if (protocols.trim() !== '') {
    const named = protocols.split(/\s+/).filter(Boolean);
    const indexes = named.map((p) => PROTOCOLS.findIndex((known) => known.toLowerCase() === p.toLowerCase()));
    if (indexes.some((i) => i < 0)) {
      throw new Error("Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.");
    }
    options.minVersion = PROTOCOLS[Math.min(...indexes)]!;
    options.maxVersion = PROTOCOLS[Math.max(...indexes)]!;
  }
  const ciphers = cipherString(config.get('tls-ciphers'), config.get('tls-ciphersuites'));
  if (ciphers !== null) options.ciphers = ciphers;
  return { options, authClients };
}

/**
 * node:tls takes TLS 1.2 ciphers and TLS 1.3 suites (`TLS_…`) in one string; each part not
 * configured keeps Node's default (as each keeps OpenSSL's in Redis).
 */
function cipherString(ciphers: string, suites: string): string | null {
  if (ciphers === '' && suites === '') return null;
  const defaults = tls.DEFAULT_CIPHERS.split(':');
  const defaultSuites = defaults.filter((c) => c.startsWith('TLS_')).join(':');
  const defaultCiphers = defaults.filter((c) => !c.startsWith('TLS_')).join(':');
  return `${suites === '' ? defaultSuites : suites}:${ciphers === '' ? defaultCiphers : ciphers}`;
}

function readFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new Error(`Failed to load ${what} '${path}': ${(e as Error).message}`);
  }
}

/** Every file of `dir` holding a PEM certificate (OpenSSL's CApath also holds hash-named links to them). */
function certificatesIn(dir: string): Buffer[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    throw new Error(`Failed to load tls-ca-cert-dir '${dir}': ${(e as Error).message}`);
  }
  const out: Buffer[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      if (!statSync(path).isFile()) continue;
      const pem = readFileSync(path);
      if (pem.includes('-----BEGIN CERTIFICATE-----')) out.push(pem);
    } catch {
      // unreadable entries are skipped, as OpenSSL skips them
    }
  }
  return out;
}
