// The README's node:test example, run as a user would (`node --test`), against the built package.
// It must pass and the process must exit by itself: no --test-force-exit, no handle left open.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../../dist/index.js';

/** One RESP command over a fresh socket; resolves with the raw reply. */
function call(port, ...args) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let out = '';
    s.on('data', (d) => {
      out += d;
      if (out.endsWith('\r\n')) {
        s.end();
        resolve(out);
      }
    });
    s.on('error', reject);
    s.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  });
}

let server;
before(async () => {
  server = await startServer({ databases: 4 });
});
after(() => server.close());

test('the embedded server answers', async () => {
  assert.equal(await call(server.port, 'SET', 'k', 'v'), '+OK\r\n');
  assert.equal(await call(server.port, 'GET', 'k'), '$1\r\nv\r\n');
  assert.equal(await call(server.port, 'CONFIG', 'GET', 'databases'), '*2\r\n$9\r\ndatabases\r\n$1\r\n4\r\n');
});

test('a second server in the same process shares nothing', async () => {
  const other = await startServer();
  try {
    assert.notEqual(other.port, server.port);
    assert.equal(await call(other.port, 'GET', 'k'), '$-1\r\n');
  } finally {
    await other.close();
  }
});
