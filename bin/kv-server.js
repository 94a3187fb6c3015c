#!/usr/bin/env node
/*
 * The `kv-server` command. An installed package runs its compiled dist/ as it is. In a git
 * checkout (`npx kv-server` there links npx's cache to the checkout) the build is brought up to
 * date first — so a first run interrupted half-way, a `git clean` or an edited source never
 * leave a missing or stale dist/ behind (npx would not run `prepare` again for a folder it has
 * already linked). The build's output goes to stderr; the server's own output is untouched.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = `${root}scripts/build.mjs`;
if (existsSync(`${root}.git`) && existsSync(build)) {
  const r = spawnSync(process.execPath, [build, '--if-stale'], { stdio: ['ignore', 2, 2] });
  if (r.status !== 0) {
    process.stderr.write(`kv-server: the build failed (node scripts/build.mjs exited ${r.status ?? r.signal})\n`);
    process.exit(1);
  }
}
await import('../dist/server/main.js');
