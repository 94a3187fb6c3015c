/*
 * The package as users install it: `npm pack`, then the tarball installed into an empty folder
 * from npm's cache (no network): `npx kv-server --port …` answers PING, `import { startServer }
 * from 'kv-server'` works from an .mjs file there (and the process exits by itself after
 * close()), and nothing is compiled at install time (dist/ ships; no TypeScript or sources in the
 * tarball; no install scripts). Also the `kv-server` launcher's checkout behaviour: in a git
 * checkout it brings dist/ up to date before running (an interrupted first `npx kv-server`
 * cannot leave later runs broken), and outside one it builds nothing.
 * Skipped with a message only when npm itself is unavailable.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findTool, freePort, IN_CI } from './harness.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const npm = findTool('npm');
if (!npm) {
  if (IN_CI) throw new Error('npm is required under CI=true');
  console.log('skipped: npm not available');
}
const work = mkdtempSync(join(tmpdir(), 'kv-pack-'));
const app = join(work, 'app');

/** Runs a program without blocking the event loop; resolves with its output and status. */
function run(cmd: string, args: string[], cwd: string, timeoutMs = 50_000): Promise<{ out: string; status: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, npm_config_update_notifier: 'false' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (status) => {
      clearTimeout(t);
      resolve({ out, status });
    });
  });
}

/** PING over TCP; resolves with the first reply line or rejects. */
function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => s.write('*1\r\n$4\r\nPING\r\n'));
    s.on('data', (d) => {
      s.destroy();
      resolve(String(d));
    });
    s.on('error', reject);
  });
}

let tarball = '';

test('npm pack ships dist/ and the launcher, no sources, no install scripts', async () => {
  if (!npm) return;
  // the test runner has built dist/; --ignore-scripts: no `prepare` racing other test files
  const r = await run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
  assert.is(r.status, 0, r.out);
  const info = JSON.parse(r.out.slice(r.out.indexOf('[')))[0];
  tarball = join(work, info.filename);
  const files: string[] = info.files.map((f: { path: string }) => f.path);
  for (const f of ['bin/kv-server.js', 'dist/index.js', 'dist/index.d.ts', 'dist/server/main.js', 'dist/commands/command-docs.json', 'package.json', 'README.md']) {
    assert.ok(files.includes(f), `${f} missing from the tarball`);
  }
  assert.equal(files.filter((f) => f.startsWith('src/') || (f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.includes('.test.')), []);
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  for (const s of ['preinstall', 'install', 'postinstall']) assert.is(manifest.scripts[s], undefined, `${s} script`);
});

/*
 * Installs offline: npm's cache holds the dependencies' tarballs, but not every registry document
 * npm would ask for when resolving versions, so the app gets a lockfile naming the versions
 * kv-server's own lockfile resolved (with their registry URL and integrity) and `npm ci --offline`
 * installs from tarballs alone — as a project with a lockfile installs.
 */
function writeApp(tgz: string): void {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const spec = `file:../${basename(tgz)}`;
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tgz)).digest('base64')}`;
  const packages: Record<string, unknown> = {
    '': { dependencies: { 'kv-server': spec } },
    'node_modules/kv-server': { version: manifest.version, resolved: spec, integrity, dependencies: manifest.dependencies, bin: manifest.bin, engines: manifest.engines },
  };
  const visit = (name: string) => {
    const key = `node_modules/${name}`;
    if (packages[key] !== undefined) return;
    const e = lock.packages[key];
    assert.ok(e, `${name} is not in package-lock.json`);
    packages[key] = { ...e, resolved: e.resolved ?? `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${e.version}.tgz` };
    for (const d of Object.keys(e.dependencies ?? {})) visit(d);
  };
  for (const d of Object.keys(manifest.dependencies)) visit(d);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, dependencies: { 'kv-server': spec } }));
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify({ name: 'app', lockfileVersion: 3, requires: true, packages }));
}

test('the tarball installs offline into an empty folder, with its dependencies from the cache', async () => {
  if (!npm) return;
  mkdirSync(app);
  writeApp(tarball);
  const r = await run(npm, ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel', 'info'], app);
  assert.is(r.status, 0, r.out);
  const pkg = join(app, 'node_modules', 'kv-server');
  for (const dep of ['cac', 'lua-redis-wasm', 'hash-wasm', 'hdr-histogram-js', 'generic-pool']) {
    assert.ok(existsSync(join(app, 'node_modules', dep, 'package.json')), `${dep} not installed`);
  }
  // nothing compiled: no lifecycle script of kv-server ran, and no compiler was installed
  assert.not.match(r.out, /kv-server@[^ ]+ (prepare|install|postinstall)/);
  assert.not.ok(existsSync(join(app, 'node_modules', 'typescript')), 'typescript installed');
  assert.not.ok(existsSync(join(pkg, 'src')), 'sources installed');
  assert.not.ok(existsSync(join(pkg, 'scripts')), 'build script installed');
});

test('npx kv-server --port … serves PING from the installed package', async () => {
  if (!npm) return;
  const port = await freePort();
  const npx = join(npm, '..', 'npx');
  const child = spawn(existsSync(npx) ? npx : 'npx', ['--offline', 'kv-server', '--port', String(port), '--save', ''], { cwd: app, detached: true, stdio: 'ignore' });
  try {
    let reply = '';
    for (let i = 0; i < 200 && reply === ''; i++) {
      reply = await ping(port).catch(() => '');
      if (reply === '') await new Promise((r) => setTimeout(r, 100));
    }
    assert.is(reply, '+PONG\r\n');
  } finally {
    // npx runs the server as its child: stop the whole process group
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {}
  }
});

test("import { startServer } from 'kv-server' works from an .mjs file, and the process exits after close()", async () => {
  if (!npm) return;
  writeFileSync(
    join(app, 'embed.mjs'),
    `import { startServer } from 'kv-server';
import net from 'node:net';
const server = await startServer({ port: 0, requirepass: 'pw' });
const reply = await new Promise((resolve, reject) => {
  const s = net.connect(server.port, server.host);
  s.on('connect', () => s.write('*2\\r\\n$4\\r\\nAUTH\\r\\n$2\\r\\npw\\r\\n*1\\r\\n$4\\r\\nPING\\r\\n'));
  let out = '';
  s.on('data', (d) => { out += d; if (out.split('\\r\\n').length > 2) { s.destroy(); resolve(out); } });
  s.on('error', reject);
});
console.log(JSON.stringify({ url: server.url, reply }));
await server.close();
`,
  );
  const started = Date.now();
  const r = await run(process.execPath, ['embed.mjs'], app, 20_000);
  assert.is(r.status, 0, r.out);
  const out = JSON.parse(r.out.trim().split('\n').pop()!);
  assert.is(out.reply, '+OK\r\n+PONG\r\n');
  assert.match(out.url, /^redis:\/\/:pw@127\.0\.0\.1:\d+$/);
  assert.ok(Date.now() - started < 15_000, 'the process did not exit by itself');
});

/*
 * The launcher in a checkout, without compiling anything: a fake checkout whose build script
 * records its calls and writes a main that prints a line.
 */
function fakeCheckout(withGit: boolean): string {
  const dir = mkdtempSync(join(work, 'checkout-'));
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(join(ROOT, 'bin/kv-server.js'), join(dir, 'bin/kv-server.js'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  if (withGit) mkdirSync(join(dir, '.git'));
  writeFileSync(
    join(dir, 'scripts/build.mjs'),
    `import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
appendFileSync(new URL('../builds.log', import.meta.url), process.argv.slice(2).join(' ') + '\\n');
mkdirSync(new URL('../dist/server', import.meta.url), { recursive: true });
writeFileSync(new URL('../dist/server/main.js', import.meta.url), "console.log('main ran ' + process.argv.slice(2).join(' '))");
`,
  );
  return dir;
}

test('in a checkout the launcher builds (if stale) before running, so a missing dist/ is rebuilt', () => {
  const dir = fakeCheckout(true);
  // no dist/ at all (an interrupted first run, or git clean): built, then run
  let r = spawnSync(process.execPath, [join(dir, 'bin/kv-server.js'), '--port', '1'], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, 'main ran --port 1\n');
  rmSync(join(dir, 'dist'), { recursive: true });
  r = spawnSync(process.execPath, [join(dir, 'bin/kv-server.js'), '--version'], { encoding: 'utf8' });
  assert.is(r.stdout, 'main ran --version\n');
  assert.is(readFileSync(join(dir, 'builds.log'), 'utf8'), '--if-stale\n--if-stale\n');
});

test('outside a checkout (an installed package) the launcher builds nothing', () => {
  const dir = fakeCheckout(false);
  mkdirSync(join(dir, 'dist/server'), { recursive: true });
  writeFileSync(join(dir, 'dist/server/main.js'), "console.log('shipped main')");
  const r = spawnSync(process.execPath, [join(dir, 'bin/kv-server.js')], { encoding: 'utf8' });
  assert.is(r.stdout, 'shipped main\n');
  assert.not.ok(existsSync(join(dir, 'builds.log')));
});

test.after(() => rmSync(work, { recursive: true, force: true }));
test.run();
