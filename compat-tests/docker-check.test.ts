/*
 * The Docker image without a Docker engine: scripts/docker-check.sh replays the Dockerfile's
 * build and start steps in a temp folder (npm ci, build, production-only install, entrypoint on
 * a loopback port, PING, HEALTHCHECK, SIGTERM). Also checks the Dockerfile and docker/kv.conf
 * say what the image promises.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfigFile } from '../src/server/cli.js';
import { Config } from '../src/core/config.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const KV_CONF = readFileSync(join(ROOT, 'docker/kv.conf'), 'latin1');
const TIMEOUT_MS = 180_000;

const s = suite('docker');

s('Dockerfile: multi-stage on node:20-slim, non-root, port 6380, healthcheck, compiled entrypoint', () => {
  const froms = DOCKERFILE.match(/^FROM .*$/gm) ?? [];
  assert.equal(froms, ['FROM node:20-slim AS build', 'FROM node:20-slim AS runtime']);
  const runtime = DOCKERFILE.slice(DOCKERFILE.indexOf('AS runtime'));
  assert.match(runtime, /npm ci --omit=dev --ignore-scripts/);
  assert.match(runtime, /^COPY --from=build \/app\/dist \.\/dist$/m);
  assert.not.match(runtime, /^COPY src/m);
  assert.match(runtime, /^USER node$/m);
  assert.match(runtime, /^EXPOSE 6380$/m);
  assert.match(runtime, /^HEALTHCHECK .* CMD \["node", "-e", .*PING/m);
  assert.match(runtime, /^ENTRYPOINT \["node", "dist\/server\/main\.js", "\/etc\/kv-server\/kv\.conf"\]$/m);
});

s('docker/kv.conf: 0.0.0.0:6380, protected mode off, a commented requirepass example', () => {
  const config = new Config();
  loadConfigFile(config, KV_CONF);
  assert.equal(config.bind, ['0.0.0.0']);
  assert.is(config.port, 6380);
  assert.is(config.protectedMode, false);
  assert.is(config.requirepass, '');
  assert.match(KV_CONF, /^# requirepass \S+/m);
});

s('scripts/docker-check.sh builds, starts, PINGs, health-checks and stops the image\'s steps', async () => {
  const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn('bash', [join(ROOT, 'scripts/docker-check.sh')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    // the whole process group: npm and the server it started go too
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
  assert.is(code, 0, out);
  assert.match(out, /PING -> PONG on 127\.0\.0\.1:\d+/);
  assert.match(out, /HEALTHCHECK fails once stopped/);
  assert.is(out.trim().split('\n').pop(), 'docker-check: ok', out);
});

s.run();
