/*
 * The permission check a command line passes before it runs (Redis's ACLCheckAllUserCommandPerm):
 * for the root permissions and then each selector, the command (or subcommand, or an allowed
 * first argument), then its keys against the key patterns, then its channels against the channel
 * patterns; the first that allows all of it lets the command run.
 *
 * Keys are the row's key positions (first/last/step) plus, for commands whose keys move
 * (EVAL's numkeys…), the positions below. A key needs read permission for a command without the
 * `write` flag and write permission for one with it: Redis 7 reads each key's own flags from its
 * key specs; this approximation is listed in docs/compatibility.md.
 */
import type { CommandSpec } from '../core/command-types.js';
import type { Client } from '../core/client.js';
import type { AclLogContext } from './acl-store.js';
import { keyPositions } from '../core/table.js';
import { globMatch, globMatchRange } from '../engine/glob.js';
import { Err } from '../resp/errors.js';
import { KEY_READ, KEY_WRITE, KeyMatch, type AclSelector, type AclUser, type KeyPattern, type RangeGrant } from './acl-user.js';

export interface AclDenial {
  reason: 'command' | 'key' | 'channel';
  /** the command's full name, the key or the channel */
  object: string;
  /** argv position of the key or channel (0 for a command) */
  index: number;
}

/** How Redis 7.0 ranks denials when no selector allows a command: channel over key over command. */
const RANK = { command: 1, key: 2, channel: 4 } as const;

/**
 * Returns null when `u` may run argv (resolved to `spec`), else what it may not touch. The root
 * permissions are asked first, then each selector; when none allows the command, the denial
 * reported is the worst one (a channel over a key over the command), of the highest argv
 * position among equals — as Redis 7.0's ACLCheckAllUserCommandPerm picks it.
 */
export function checkCommand(u: AclUser, spec: CommandSpec, argv: readonly string[]): AclDenial | null {
  if (u.unrestricted) return null;
  let worst = checkSelector(u, spec, argv);
  if (worst === null) return null;
  for (const s of u.selectors) {
    const d = checkSelector(s, spec, argv);
    if (d === null) return null;
    if (RANK[d.reason] > RANK[worst.reason] || (d.reason === worst.reason && d.index > worst.index)) worst = d;
  }
  return worst;
}

/** One selector's answer (the root's or an extra one's): null when it allows argv whole. */
export function checkSelector(u: AclSelector, spec: CommandSpec, argv: readonly string[]): AclDenial | null {
  if (!u.allowed.has(spec)) {
    const args = u.firstArgs?.get(spec);
    if (args === undefined || argv.length < 2 || !args.includes(argv[1]!.toLowerCase())) return { reason: 'command', object: spec.name, index: 0 };
  }
  if (!u.allKeys) {
    const need = spec.isWrite === true ? KEY_WRITE : KEY_READ;
    if (spec.firstKey !== 0 && !NUMKEYS_AT.has(spec.name)) {
      // the row's fixed positions, without building a list (the common case: GET, SET, MGET…)
      const argc = argv.length;
      const last = spec.lastKey < 0 ? argc + spec.lastKey : spec.lastKey;
      for (let i = spec.firstKey; i <= last && i < argc; i += spec.step) {
        if (!keyAllowed(u, argv[i]!, need)) return { reason: 'key', object: argv[i]!, index: i };
      }
    } else {
      for (const i of commandKeys(spec, argv)) {
        const key = argv[i]!;
        if (!keyAllowed(u, key, need)) return { reason: 'key', object: key, index: i };
      }
    }
  }
  if (!u.allChannels && CHANNEL_ROWS.has(spec.parent?.name ?? spec.name)) {
    const root = spec.parent ?? spec;
    const kind = CHANNEL_COMMANDS.get(spec.name) ?? CHANNEL_COMMANDS.get(root.name);
    if (kind !== undefined) {
      const [from, all, literal] = kind;
      const to = all ? argv.length : Math.min(from + 1, argv.length);
      for (let i = from; i < to; i++) {
        if (!channelAllowed(u, argv[i]!, literal)) return { reason: 'channel', object: argv[i]!, index: i };
      }
    }
  }
  return null;
}

export function keyAllowed(u: AclSelector, key: string, need: number): boolean {
  if (u.allKeys) return true;
  const patterns = u.keyPatterns;
  for (let i = 0; i < patterns.length; i++) {
    const p = patterns[i]!;
    if ((p.flags & need) !== need) continue;
    if (p.match === KeyMatch.PREFIX ? key.startsWith(p.literal) : p.match === KeyMatch.EXACT ? key === p.literal : globMatch(p.pattern, key)) return true;
  }
  return false;
}

/**
 * For GET and SET run from the read buffer (core/dispatch.ts runRange): true when `u` may run
 * `spec` on the key `buf[start, end)` — then checkCommand would allow it too. False means "not
 * known here": the command goes through the ordinary path, whose check decides, answers NOPERM
 * and writes ACL LOG exactly as for any command. `spec` must be a row with one key at argv[1] and
 * no channels. The command permission is decided once per user change (AclUser.rangeGrants);
 * per request only the key patterns are matched, over the bytes.
 */
export function rangeKeyAllowed(u: AclUser, spec: CommandSpec, buf: Uint8Array, start: number, end: number): boolean {
  const grants = u.rangeGrants;
  let g: RangeGrant | undefined;
  for (let i = 0; i < grants.length; i++) {
    if (grants[i]!.spec === spec) {
      g = grants[i];
      break;
    }
  }
  if (g === undefined) grants.push((g = rangeGrant(u, spec)));
  if (g.allKeys) return true;
  const patterns = g.patterns;
  for (let i = 0; i < patterns.length; i++) if (keyRangeMatches(patterns[i]!, buf, start, end)) return true;
  return false;
}

/** The union of the permissions for `spec` of the root and the selectors of `u` (see RangeGrant). */
export function rangeGrant(u: AclUser, spec: CommandSpec): RangeGrant {
  const need = spec.isWrite === true ? KEY_WRITE : KEY_READ;
  const patterns: KeyPattern[] = [];
  for (const s of [u as AclSelector, ...u.selectors]) {
    // (a `+cmd|first-arg` allowance is left to the full check)
    if (!s.allowed.has(spec)) continue;
    if (s.allKeys) return { spec, allKeys: true, patterns: [] };
    for (const p of s.keyPatterns) if ((p.flags & need) === need) patterns.push(p);
  }
  return { spec, allKeys: false, patterns };
}

/** keyAllowed's match of one pattern, over the key's bytes (latin1: one char per byte). */
function keyRangeMatches(p: KeyPattern, buf: Uint8Array, start: number, end: number): boolean {
  if (p.match === KeyMatch.GLOB) return globMatchRange(p.pattern, buf, start, end);
  const lit = p.literal;
  const n = lit.length;
  if (p.match === KeyMatch.EXACT ? end - start !== n : end - start < n) return false;
  for (let i = 0; i < n; i++) if (buf[start + i] !== lit.charCodeAt(i)) return false;
  return true;
}

/** A channel matches a pattern by glob; a PSUBSCRIBE pattern must be one of the user's patterns as written. */
export function channelAllowed(u: AclSelector, channel: string, literal: boolean): boolean {
  if (u.allChannels) return true;
  for (const p of u.channels) {
    if (literal ? p === channel : globMatch(p, channel)) return true;
  }
  return false;
}

/** Whether the root or any selector of `u` allows the channel (or, literal, the pattern). */
export function anySelectorAllowsChannel(u: AclUser, channel: string, literal: boolean): boolean {
  if (channelAllowed(u, channel, literal)) return true;
  for (const s of u.selectors) if (channelAllowed(s, channel, literal)) return true;
  return false;
}

/** Commands that name channels: [first channel argument, all arguments after it, patterns compared literally]. */
const CHANNEL_COMMANDS = new Map<string, readonly [number, boolean, boolean]>([
  ['publish', [1, false, false]],
  ['spublish', [1, false, false]],
  ['subscribe', [1, true, false]],
  ['ssubscribe', [1, true, false]],
  ['psubscribe', [1, true, true]],
]);

/** The (top-level) names of the commands above: one lookup skips the channel check for all others. */
const CHANNEL_ROWS: ReadonlySet<string> = new Set([...CHANNEL_COMMANDS.keys()].map((n) => n.split('|')[0]!));

/** Commands whose keys follow a `numkeys` argument: [its position, where the keys start after it]. */
const NUMKEYS_AT = new Map<string, number>([
  ['eval', 2], ['evalsha', 2], ['eval_ro', 2], ['evalsha_ro', 2], ['fcall', 2], ['fcall_ro', 2],
  ['lmpop', 1], ['zmpop', 1], ['sintercard', 1], ['zintercard', 1], ['zunion', 1], ['zinter', 1], ['zdiff', 1],
  ['blmpop', 2], ['bzmpop', 2], ['zunionstore', 2], ['zinterstore', 2], ['zdiffstore', 2],
]);

/** The positions of argv's keys. */
export function commandKeys(spec: CommandSpec, argv: readonly string[]): number[] {
  const at = NUMKEYS_AT.get(spec.name);
  if (at === undefined) return keyPositions(spec, argv.length);
  // the destination of the …STORE forms is a key too
  const out: number[] = spec.name.endsWith('store') ? [1] : [];
  const n = Number(argv[at]);
  if (!Number.isInteger(n) || n < 0) return out;
  for (let i = at + 1; i <= at + n && i < argv.length; i++) out.push(i);
  return out;
}

/** The NOPERM error of a denial, as Redis 7.0 words it. */
export function noPermError(d: AclDenial): string {
  return d.reason === 'command' ? Err.NOPERM_COMMAND(d.object) : d.reason === 'key' ? Err.NOPERM_KEY : Err.NOPERM_CHANNEL;
}

/**
 * EXEC's error for a queued command its user may no longer run (the ACL changed since MULTI).
 * It exists only inside EXEC's array reply, which the error catalogue's test (top-level replies)
 * cannot reach, so its text is here rather than in resp/errors.ts; acl-multi tests it.
 */
export function execNoPermError(d: AclDenial): string {
  return (
    'NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. ' +
    'This command is no longer allowed for the following reason: ' +
    (d.reason === 'command'
      ? 'no permission to execute the command or subcommand'
      : d.reason === 'key'
        ? 'no permission to touch the specified keys'
        : 'no permission to access one of the channels used as arguments')
  );
}

/**
 * Checks argv for `c`'s user; on a denial records it in ACL LOG (in `context`) and returns the
 * denial, else null. The caller answers it in its own words (NOPERM, or a script's error).
 */
export function enforce(c: Client, spec: CommandSpec, argv: readonly string[], context: AclLogContext): AclDenial | null {
  const u = c.user;
  if (u.unrestricted || spec.noAuth === true) return null;
  const d = checkCommand(u, spec, argv);
  if (d !== null) c.server.acl.addLogEntry(c, d.reason, context, d.object, u.name);
  return d;
}
