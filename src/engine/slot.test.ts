import { test } from 'uvu';
import * as assert from 'uvu/assert';
import calculateSlot from 'cluster-key-slot';
import { keySlot } from './slot.js';
import { bytesSlot, hashedSlot, hashKey, hashKeyBytes, hashKeySlot } from './shard.js';

test('matches Redis Cluster slots (reference values from CLUSTER KEYSLOT)', () => {
  assert.is(keySlot('123456789'), 0x31c3 & 16383);
  assert.is(keySlot('foo'), 12182);
  assert.is(keySlot('bar'), 5061);
  assert.is(keySlot('{user1000}.following'), keySlot('user1000'));
  assert.is(keySlot('foo{}{bar}'), keySlot('foo{}{bar}'.slice(0)));
  assert.is(keySlot(''), 0);
});

test('agrees with cluster-key-slot on ASCII keys, hash tags included', () => {
  const keys = ['a', 'key:000000000001', 'foo{bar}', '{}x', 'x{}', '{a}{b}', 'a{b', 'a}b{c}', '{{x}}', 'user:{42}:name'];
  for (let i = 0; i < 2000; i++) keys.push(`k${i}:${(i * 7919).toString(36)}`);
  for (const k of keys) assert.is(keySlot(k), calculateSlot(k), k);
});

test('binary keys hash their bytes', () => {
  const bytes = Buffer.from([0, 0x80, 0xff, 0x7b, 0x41, 0x7d]); // "\0\x80\xff{A}"
  assert.is(keySlot(bytes.toString('latin1')), calculateSlot(bytes));
  const raw = Buffer.from([0xc3, 0xa9, 0x01]);
  assert.is(keySlot(raw.toString('latin1')), calculateSlot(raw));
});

test('hashKeySlot and hashKeyBytes give hashKey and keySlot in one pass (odd and even lengths, hash tags, every byte)', () => {
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  const keys = ['', 'a', 'ab', '{', '}', '{}', '{a}', 'x{ab}y', 'x{a', 'user:{42}:name', '{{x}}', 'key:000000000001', 'counter'];
  for (let i = 0; i < 3000; i++) {
    let k = '';
    const n = Math.floor(next() * 40);
    // mostly bytes from a small alphabet with braces, some from all 256 values
    for (let j = 0; j < n; j++) k += String.fromCharCode(next() < 0.8 ? '{}ab:'.charCodeAt(Math.floor(next() * 5)) : Math.floor(next() * 256));
    keys.push(k);
  }
  for (const k of keys) {
    assert.is(hashKeySlot(k), hashKey(k), JSON.stringify(k));
    assert.is(hashedSlot, keySlot(k), JSON.stringify(k));
    // and the same from the key's bytes inside a larger buffer (the range path's hashKeyBytes)
    const buf = Buffer.from('xx' + k + 'y', 'latin1');
    assert.is(hashKeyBytes(buf, 2, 2 + k.length), hashKey(k), `bytes ${JSON.stringify(k)}`);
    assert.is(bytesSlot, keySlot(k), `bytes ${JSON.stringify(k)}`);
  }
});

test.run();
