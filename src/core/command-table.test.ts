/*
 * Our command table against Redis's own: for every command both have, arity, flags, key
 * positions and ACL categories must agree with what redis-server 7.0.15 reported (captured in
 * command-docs.json by scripts/gen-command-docs.mjs), in Redis's order, so that COMMAND INFO is
 * byte-exact. Intended differences are listed here, each with its reason.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildCommandTable } from './command-list.js';
import { capturedCommands, reportedFlags } from '../commands/command-command.js';
import type { CommandSpec } from './command-types.js';

/** full name → the fields where we differ from Redis 7.0.15 on purpose */
const INTENDED: Record<string, { why: string; fields: string[] }> = {};

/** Commands we have that Redis 7.0.15 does not (newer Redis versions, or our own). */
const NOT_IN_REDIS_7_0 = new Set(['client|setinfo', 'client|no-touch', 'client|maint_notifications',
  // our namespaces and typed values (commands/namespaces.ts, commands/typed.ts)
  'kv.ns', 'kv.ns|use', 'kv.ns|current', 'kv.ns|list', 'kv.ns|drop', 'kv.ns|help', 'kv.sett', 'kv.gett', 'kv.typeof', 'kv.incrbydec',
  // CAS, locks, versions (commands/cas.ts, locks.ts, versions.ts)
  'cas', 'delex', 'delifeq', 'digest', 'msetex', 'kv.lock', 'kv.unlock', 'kv.renew', 'kv.lockinfo', 'kv.setv', 'kv.getv', 'kv.version', 'kv.ifversion']);

function allSpecs(): CommandSpec[] {
  const out: CommandSpec[] = [];
  for (const spec of buildCommandTable().all) {
    out.push(spec);
    if (spec.subcommands) out.push(...spec.subcommands.values());
  }
  return out;
}

test('every row agrees with Redis 7.0.15 on arity, flags, keys and categories', () => {
  const redis = capturedCommands();
  const problems: string[] = [];
  for (const spec of allSpecs()) {
    const theirs = redis[spec.name];
    if (theirs === undefined) {
      if (!NOT_IN_REDIS_7_0.has(spec.name)) problems.push(`${spec.name}: not a Redis 7.0 command (list it in NOT_IN_REDIS_7_0 if intended)`);
      continue;
    }
    const ours = { arity: spec.arity, flags: reportedFlags(spec), first: spec.firstKey, last: spec.lastKey, step: spec.step, categories: spec.categories };
    const skip = INTENDED[spec.name]?.fields ?? [];
    for (const field of Object.keys(ours) as Array<keyof typeof ours>) {
      if (skip.includes(field)) continue;
      if (JSON.stringify(ours[field]) !== JSON.stringify(theirs.info[field])) {
        problems.push(`${spec.name}.${field}: ours ${JSON.stringify(ours[field])}, Redis ${JSON.stringify(theirs.info[field])}`);
      }
    }
  }
  assert.equal(problems, []);
});

test('the captured data covers the commands redis-cli asks about', () => {
  const redis = capturedCommands();
  for (const name of ['get', 'set', 'client|list', 'config|get', 'command|docs']) {
    assert.ok(redis[name]?.docs, name);
  }
});

test("dispatch's precomputed flags agree with the row's flags and its container's name", () => {
  const runsInMulti = ['exec', 'discard', 'multi', 'watch', 'quit', 'reset'];
  const subscribed = ['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset'];
  for (const spec of allSpecs()) {
    const root = spec.parent?.name ?? spec.name;
    assert.is(spec.runsInMulti, runsInMulti.includes(root), `${spec.name} runsInMulti`);
    assert.is(spec.subscribedContext, subscribed.includes(root), `${spec.name} subscribedContext`);
    assert.is(spec.isFast, spec.flags.includes('fast'), `${spec.name} isFast`);
    assert.is(spec.isReadonly, spec.flags.includes('readonly'), `${spec.name} isReadonly`);
    assert.is(spec.allowBusy, spec.flags.includes('allow_busy'), `${spec.name} allowBusy`);
  }
});

test('every spec has the same properties in the same order (one hidden class for dispatch)', () => {
  const specs = allSpecs();
  const shape = Object.keys(specs[0]!).join(',');
  for (const spec of specs) assert.is(Object.keys(spec).join(','), shape, spec.name);
});

test.run();
