#!/usr/bin/env node
/*
 * The one build: tsc → dist/, the command docs copied beside their code, then a stamp. Flags:
 *   --if-stale       build only when a file under src/ (or a tsconfig) is newer than the stamp
 *   --checkout-only  build only in a git checkout (npm's `prepare`: an installed package ships
 *                    dist/ and compiles nothing, and npx's cache copy never builds)
 * A build interrupted half-way leaves no stamp, so the next run builds again.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(root, 'dist', '.build-stamp');
const args = new Set(process.argv.slice(2));

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = st.mtimeMs;
  for (const name of readdirSync(path)) t = Math.max(t, newest(join(path, name)));
  return t;
}

if (args.has('--checkout-only') && !existsSync(join(root, '.git'))) process.exit(0);
if (args.has('--if-stale') && existsSync(STAMP)) {
  const sources = Math.max(newest(join(root, 'src')), newest(join(root, 'tsconfig.json')), newest(join(root, 'tsconfig.build.json')));
  if (sources <= statSync(STAMP).mtimeMs) process.exit(0);
}
rmSync(STAMP, { force: true });
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
copyFileSync(join(root, 'src/commands/command-docs.json'), join(root, 'dist/commands/command-docs.json'));
writeFileSync(STAMP, `${new Date().toISOString()}\n`);
