#!/usr/bin/env node
/*
 * The test command (`npm test`): runs every uvu test file — unit tests beside the code
 * (src/**\/*.test.ts) and black-box tests (compat-tests/*.test.ts) — each in its own Node process
 * through tsx, two at a time, then prints the sum of uvu's totals as `N passed, N failed`.
 * Arguments filter the files by substring: `npm test -- decoder`.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOTS = ['src', 'compat-tests'];
const PARALLEL = 2;
const FILE_TIMEOUT_MS = 10 * 60 * 1000;

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = ROOTS.flatMap(findTests)
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n${file}: killed after ${FILE_TIMEOUT_MS / 1000}s\n`;
      child.kill('SIGKILL');
    }, FILE_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const num = (label) => Number((output.match(new RegExp(`${label}:\\s+(\\d+)`)) ?? [])[1] ?? 0);
      const total = num('Total');
      const passed = num('Passed');
      const skipped = num('Skipped');
      let failed = total - passed - skipped;
      // a file that crashed or never reported counts as one failure
      if (code !== 0 && failed === 0) failed = 1;
      if (total === 0 && code === 0 && !/Total:/.test(output)) failed = 1;
      resolve({ file, output, passed, failed, skipped, ms: Date.now() - started });
    });
  });
}

const results = [];
let next = 0;
async function worker() {
  while (next < files.length) {
    const file = files[next++];
    const r = await runFile(file);
    results.push(r);
    const status = r.failed > 0 ? 'FAIL' : 'ok  ';
    process.stdout.write(`${status} ${r.file}  (${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped, ${(r.ms / 1000).toFixed(1)}s)\n`);
    for (const line of r.output.split('\n')) {
      if (/skipped:/i.test(line) && !/^\s*Skipped:/.test(line)) process.stdout.write(`       ${line.trim()}\n`);
    }
    if (r.failed > 0) process.stdout.write(r.output.replace(/^/gm, '     | ') + '\n');
  }
}
await Promise.all(Array.from({ length: PARALLEL }, worker));

const sum = (k) => results.reduce((n, r) => n + r[k], 0);
const skipped = sum('skipped');
console.log(`${sum('passed')} passed, ${sum('failed')} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(sum('failed') > 0 ? 1 : 0);
