/*
 * The ACL rule parser and the rules it writes back, against what redis-server 7.0.15 answers for
 * the same rules (ACL LIST lines captured by hand; single-command rules in Redis come in its
 * command dict's hash order, so cases keep at most one of them or compare them as a set).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildCommandTable } from '../core/command-list.js';
import fc from 'fast-check';
import { AclStore } from './acl-store.js';
import { globMatch } from '../engine/glob.js';
import { compileKeyPattern, KeyMatch } from './acl-user.js';
import { applyRules, RuleError, hashPassword } from './acl-rules.js';
import { checkCommand } from './acl-check.js';
import type { AclUser } from './acl-user.js';

const store = new AclStore(buildCommandTable());
const ctx = store.ruleContext;

function user(...rules: string[]): AclUser {
  const r = applyRules(store.newUser('u'), ['reset', ...rules], ctx);
  if ('reason' in r) throw new Error(`${r.rule}: ${r.reason}`);
  if ('unmatched' in r) throw new Error(`unmatched ${r.unmatched}`);
  return r;
}

function refused(...rules: string[]): { rule: string; reason: string } {
  const r = applyRules(store.newUser('u'), rules, ctx);
  if (!('reason' in r)) throw new Error('accepted');
  return r;
}

const may = (u: AclUser, ...argv: string[]) => {
  const spec = store.universe.lookup(argv[0]!)!;
  const sub = spec.subcommands?.get(argv[1]?.toLowerCase() ?? '') ?? spec;
  const d = checkCommand(u, sub, argv);
  return d === null ? null : { reason: d.reason, object: d.object };
};

test('the default user is everything, and unrestricted (the fast path)', () => {
  assert.is(store.defaultUser.describe(), 'on nopass ~* &* +@all');
  assert.ok(store.defaultUser.unrestricted);
});

test('a new user is off, without commands, keys or channels', () => {
  assert.is(store.newUser('n').describe(), 'off resetchannels -@all');
  assert.not.ok(store.newUser('n').unrestricted);
});

test('reset gives sanitize-payload, off and nothing else', () => {
  assert.is(user().describe(), 'off sanitize-payload resetchannels -@all');
});

test('command rules are regenerated from the permissions as Redis 7.0 does', () => {
  const cases: Array<[string[], string]> = [
    [['+@all', '-get'], '+@all -get'],
    [['+get', '+get'], '-@all +get'],
    [['+get', '-get'], '-@all'],
    [['+@read', '-@read'], '-@all'],
    [['allcommands', 'nocommands'], '-@all'],
    [['+@all', '+@read'], '+@all'],
    [['+config|get'], '-@all +config|get'],
    [['+@all', '-@all', '+get'], '-@all +get'],
    [['+config|get', '+config'], '-@all +config'],
    [['+config', '-config|set'], '-@all +config -config|set'],
    [['+select|0'], '-@all +select|0'],
    [['+@read', '-get'], '-@all +@read -get'],
    [['+@read', '-get', '+get'], '-@all +@read'],
    [['+get', '-@read'], '-@all'],
    [['+@all', '-@read', '-@write'], '+@all -@write -@read'],
    [['+@write', '+@read'], '-@all +@write +@read'],
    [['+@hash', '-hset'], '-@all +@hash -hset'],
    [['+@string'], '-@all +@string'],
    [['+@keyspace'], '-@all +@keyspace'],
    [['+GET'], '-@all +get'],
    [['+@READ'], '-@all +@read'],
    [['+get|x', '-get'], '-@all'],
    [['+get', '+get|x'], '-@all +get'],
  ];
  for (const [rules, want] of cases) assert.is(user(...rules).describeCommands(), want, rules.join(' '));
});

test('passwords are kept as SHA-256 digests only, >pw <pw #hash !hash nopass resetpass', () => {
  const u = user('on', '>a', '>b', '<a');
  assert.is(u.describe(), `on sanitize-payload #${hashPassword('b')} resetchannels -@all`);
  assert.not.ok(u.describe().includes(' >'));
  assert.is(user('nopass', '>x').describe(), `off sanitize-payload #${hashPassword('x')} resetchannels -@all`);
  assert.is(user('>x', 'nopass').describe(), 'off nopass sanitize-payload resetchannels -@all');
  assert.is(user('>x', 'resetpass').passwords.length, 0);
  const h = '0'.repeat(64);
  assert.equal(user('#' + h).passwords, [h]);
  assert.equal(user('#' + h, '!' + h).passwords, []);
});

test('wrong password rules are refused with Redis reasons', () => {
  assert.is(refused('#00').reason, RuleError.BAD_HASH);
  assert.is(refused('#' + 'A'.repeat(64)).reason, RuleError.BAD_HASH);
  assert.is(refused('!' + '0'.repeat(64)).reason, RuleError.NO_SUCH_PASSWORD);
  assert.is(refused('<nosuch').reason, RuleError.NO_SUCH_PASSWORD);
});

test('key patterns: ~, %R~, %W~, %RW~ merge per pattern; allkeys is final', () => {
  assert.is(user('%R~a', '%W~a').describeKeys(), '~a');
  assert.is(user('%RW~a').describeKeys(), '~a');
  assert.is(user('~b', '~a', '%R~c', '~b').describeKeys(), '~b ~a %R~c');
  assert.is(user('~a', 'allkeys').describeKeys(), '~*');
  assert.is(refused('allkeys', '~a').reason, RuleError.KEY_AFTER_ALL);
  for (const bad of ['%X~a', '%~a', '%Ra', '~a b']) assert.is(refused(bad).reason, RuleError.SYNTAX, bad);
});

test('channel patterns: & adds, allchannels is final, resetchannels clears', () => {
  assert.is(user('&a', '&b', '&a').describeChannels(), '&a &b');
  assert.is(refused('&a', 'allchannels', '&b').reason, RuleError.CHANNEL_AFTER_ALL);
  assert.is(user('allchannels', 'resetchannels').describeChannels(), '');
});

test('unknown commands, categories and words are refused', () => {
  assert.is(refused('+nosuch').reason, RuleError.UNKNOWN);
  assert.is(refused('+@nosuch').reason, RuleError.UNKNOWN);
  assert.is(refused('-get|x').reason, RuleError.UNKNOWN);
  assert.is(refused('+config|nosuch').reason, RuleError.UNKNOWN);
  assert.is(refused('bogus').reason, RuleError.SYNTAX);
  assert.is(refused('+config|get|x').reason, RuleError.FIRST_ARG_OF_SUB);
});

test('a refused rule leaves the user untouched (all or nothing)', () => {
  const u = user('on', '+get');
  const r = applyRules(u, ['+set', 'bogus'], ctx);
  assert.ok('reason' in r);
  assert.is(u.describeCommands(), '-@all +get');
});

test('namespace=<name> is stored, printed after the command rules, and cleared by namespace=', () => {
  const u = user('namespace=tenant1', '+get');
  assert.is(u.namespace, 'tenant1');
  assert.is(u.describe(), 'off sanitize-payload resetchannels -@all +get namespace=tenant1');
  assert.is(applyRules(u, ['namespace='], ctx) instanceof Object && (applyRules(u, ['namespace='], ctx) as AclUser).namespace, undefined);
});

test('checks: command, subcommand, first-arg, read/write keys, channels', () => {
  const u = user('+get', '+set', '+config|get', '+select|0', '%R~r:*', '%W~w:*', '~app:*', '&news.*', '+publish', '+psubscribe');
  assert.is(may(u, 'get', 'app:1'), null);
  assert.equal(may(u, 'del', 'app:1'), { reason: 'command', object: 'del' });
  assert.equal(may(u, 'config', 'set', 'a', 'b'), { reason: 'command', object: 'config|set' });
  assert.is(may(u, 'config', 'get', 'a'), null);
  assert.is(may(u, 'select', '0'), null);
  assert.equal(may(u, 'select', '1'), { reason: 'command', object: 'select' });
  assert.is(may(u, 'get', 'r:1'), null);
  assert.equal(may(u, 'set', 'r:1', 'v'), { reason: 'key', object: 'r:1' });
  assert.is(may(u, 'set', 'w:1', 'v'), null);
  assert.equal(may(u, 'get', 'w:1'), { reason: 'key', object: 'w:1' });
  assert.is(may(u, 'publish', 'news.a', 'm'), null);
  assert.equal(may(u, 'publish', 'other', 'm'), { reason: 'channel', object: 'other' });
  assert.is(may(u, 'psubscribe', 'news.*'), null);
  assert.equal(may(u, 'psubscribe', 'news.a*'), { reason: 'channel', object: 'news.a*' });
});

test("EVAL's keys (after numkeys) are checked", () => {
  const u = user('+eval', '~app:*');
  assert.is(may(u, 'eval', 'return 1', '1', 'app:1'), null);
  assert.equal(may(u, 'eval', 'return 1', '2', 'app:1', 'other'), { reason: 'key', object: 'other' });
  assert.is(may(u, 'eval', 'return 1', '0', 'other'), null);
});

test('compiled key patterns (exact, prefix*) answer as the glob does, for any key', () => {
  assert.is(compileKeyPattern('app:*').match, KeyMatch.PREFIX);
  assert.is(compileKeyPattern('app:**').literal, 'app:');
  assert.is(compileKeyPattern('exact').match, KeyMatch.EXACT);
  for (const glob of ['a*b', '*x', 'a?*', 'a[bc]*', 'a\\**', '*']) assert.is(compileKeyPattern(glob).match, KeyMatch.GLOB, glob);
  // patterns may not hold NUL or spaces (a rule error); keys may hold any byte
  const inPattern = fc.constantFrom('a', 'b', ':', '*', '?', '[', ']', '\\', '\u00ff');
  const inKey = fc.constantFrom('a', 'b', ':', '*', '?', '[', ']', '\\', '\u00ff', '\u0000', ' ');
  fc.assert(
    fc.property(fc.string({ unit: inPattern, maxLength: 6 }), fc.string({ unit: inKey, maxLength: 8 }), (pattern, key) => {
      const u = user('+get', '~' + pattern);
      const p = u.keyPatterns[0];
      if (p === undefined) return true; // `~*` is allkeys
      const compiled = may(u, 'get', key) === null;
      return compiled === globMatch(pattern, key);
    }),
    { numRuns: 3000 },
  );
});

test('selectors: the root or any selector allows a command whole; the denial reported is the worst, last one', () => {
  const u = user('~a*', '+get', '(+set ~b*)', '(+get %R~c*)');
  assert.is(may(u, 'get', 'a1'), null);
  assert.is(may(u, 'set', 'b1', 'v'), null);
  assert.is(may(u, 'get', 'c1'), null);
  assert.equal(may(u, 'set', 'a1', 'v'), { reason: 'key', object: 'a1' });
  assert.equal(may(u, 'mget', 'a1'), { reason: 'command', object: 'mget' });
  assert.equal(may(u, 'set', 'c1', 'v'), { reason: 'key', object: 'c1' });
  assert.is(u.describe(), 'off sanitize-payload ~a* resetchannels -@all +get (~b* resetchannels -@all +set) (%R~c* resetchannels -@all +get)');
  assert.ok(!u.unrestricted);
  // a copy (ACL SETUSER works on one) does not share its selectors
  const copy = u.clone();
  copy.selectors[0]!.changePerm(store.universe.lookup('del')!, true);
  assert.equal(may(u, 'del', 'b1'), { reason: 'command', object: 'del' });
});

test.run();
