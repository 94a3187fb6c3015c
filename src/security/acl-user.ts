/*
 * An ACL user as Redis 7.0 models one: enabled or not, its passwords
 * (SHA-256 digests in hex, never the passwords), the commands it may run (a set of command-table
 * rows, subcommands included, plus the deprecated `+cmd|first-arg` allowances), its key patterns
 * with read/write permissions, its channel patterns — its root permissions — plus its extra
 * selectors (Redis 7's `(…)` rules: more permission sets, any of which may allow a command), and
 * kv-server's namespace binding.
 *
 * `describe*` turn a user back into rules, as ACL LIST, ACL GETUSER and the ACL file show them.
 */
import { ACL_CATEGORIES } from '../core/table.js';
import type { CommandSpec } from '../core/command-types.js';
import type { CommandUniverse } from './acl-commands.js';

/** Key pattern permissions (Redis's ACL_READ_PERMISSION / ACL_WRITE_PERMISSION). */
export const KEY_READ = 1;
export const KEY_WRITE = 2;
export const KEY_ALL = KEY_READ | KEY_WRITE;

export interface KeyPattern {
  pattern: string;
  /** KEY_READ, KEY_WRITE or both */
  flags: number;
  /** how `pattern` is matched: a glob, or (compiled once, no glob needed) a literal or a prefix */
  match: KeyMatch;
  /** the literal, or the prefix before the final `*` */
  literal: string;
}

export const KeyMatch = { GLOB: 0, EXACT: 1, PREFIX: 2 } as const;
export type KeyMatch = (typeof KeyMatch)[keyof typeof KeyMatch];

/**
 * How a key pattern is matched cheaply with the same answers as Redis's stringmatchlen: a
 * pattern without glob characters is the key itself; `literal*` (a non-empty literal, then one
 * or more trailing `*`) matches exactly the keys starting with the literal; anything else is a glob.
 */
export function compileKeyPattern(pattern: string): { match: KeyMatch; literal: string } {
  const special = /[*?[\\]/;
  if (!special.test(pattern)) return { match: KeyMatch.EXACT, literal: pattern };
  const m = /^([^*?[\\]+)\*+$/.exec(pattern);
  if (m !== null) return { match: KeyMatch.PREFIX, literal: m[1]! };
  return { match: KeyMatch.GLOB, literal: '' };
}

/**
 * A user's permission for one single-key command without channels (GET, SET), as the union of
 * what its root and selectors allow: the command's row, whether any selector allowing the
 * command allows every key, else the key patterns (with the permission the command needs) of
 * those selectors. A key one of them matches is allowed; any other answer is left to the full
 * check (security/acl-check.ts checkCommand), which also words the denial.
 */
export interface RangeGrant {
  readonly spec: CommandSpec;
  readonly allKeys: boolean;
  readonly patterns: readonly KeyPattern[];
}

/** sanitize-payload / skip-sanitize-payload, neither for a user never told. */
export type SanitizeFlag = '' | 'sanitize-payload' | 'skip-sanitize-payload';

/**
 * A set of permissions (Redis 7's selector): the commands, key patterns and channel patterns it
 * allows. A user's root permissions are one (the user itself); its extra selectors, written
 * `(…)` in ACL rules, are more. A command runs when the root or any selector allows it whole.
 */
export class AclSelector {
  /** +@all (or allcommands) was the last all-or-nothing rule: Redis's "future commands" bit */
  allCommands = false;
  /** the rows (commands and subcommands) this selector allows */
  allowed = new Set<CommandSpec>();
  /** `+cmd|arg` for a command without subcommands: the first arguments allowed (lowercase) */
  firstArgs: Map<CommandSpec, string[]> | null = null;
  allKeys = false;
  keyPatterns: KeyPattern[] = [];
  allChannels = false;
  channels: string[] = [];

  constructor(readonly universe: CommandUniverse) {}

  /** A deep copy of the permissions. */
  cloneSelector(): AclSelector {
    const s = new AclSelector(this.universe);
    s.copyPermissionsFrom(this);
    return s;
  }

  /** Takes the permissions (commands, keys, channels) of `other`. */
  copyPermissionsFrom(other: AclSelector): void {
    this.allCommands = other.allCommands;
    this.allowed = new Set(other.allowed);
    this.firstArgs = other.firstArgs === null ? null : new Map([...other.firstArgs].map(([k, v]) => [k, v.slice()]));
    this.allKeys = other.allKeys;
    this.keyPatterns = other.keyPatterns.map((p) => ({ ...p }));
    this.allChannels = other.allChannels;
    this.channels = other.channels.slice();
  }

  /** Allows or denies one row; a container takes its subcommands along (Redis's ACLChangeSelectorPerm). */
  changePerm(spec: CommandSpec, allow: boolean): void {
    setBit(this.allowed, spec, allow);
    this.firstArgs?.delete(spec);
    if (spec.subcommands !== undefined) for (const sub of spec.subcommands.values()) setBit(this.allowed, sub, allow);
  }

  /** Allows or denies every row of a category (a container in it takes all its subcommands). */
  changeCategory(category: string, allow: boolean): void {
    applyCategory(this.allowed, this.universe, category, allow, (spec) => this.firstArgs?.delete(spec));
  }

  /**
   * The permissions as rules, as Redis 7.0's ACLDescribeSelector writes them: key patterns, then
   * channels (`&*`, or `resetchannels` and the patterns), then the commands — `(…)` in ACL LIST
   * for an extra selector, the tail of the line for the root.
   */
  describePermissions(): string {
    const parts: string[] = [];
    const keys = this.describeKeys();
    if (keys !== '') parts.push(keys);
    parts.push(this.allChannels ? '&*' : ['resetchannels', ...this.channels.map((c) => '&' + c)].join(' '));
    parts.push(this.describeCommands());
    return parts.join(' ');
  }

  /** The key patterns as rules (`~*`, `~app:*`, `%R~logs:*`…), space-separated. */
  describeKeys(): string {
    if (this.allKeys) return '~*';
    return this.keyPatterns.map((p) => (p.flags === KEY_ALL ? '~' : p.flags === KEY_READ ? '%R~' : '%W~') + p.pattern).join(' ');
  }

  /** The channel patterns as ACL GETUSER shows them (`&*`, `&a &b`, or empty). */
  describeChannels(): string {
    if (this.allChannels) return '&*';
    return this.channels.map((c) => '&' + c).join(' ');
  }

  /**
   * The command rules as Redis 7.0 regenerates them from the permission bits: `+@all` or
   * `-@all`, then categories chosen by best fit (each time the category with the fewest
   * differences among those with more commands in common than not), then the single commands
   * still differing, in command-table order (Redis walks its command dict, whose order is a hash
   * order that changes from one process to the next), then first-arg allowances.
   */
  describeCommands(): string {
    const universe = this.universe;
    const additive = !this.allCommands;
    const rules: string[] = [additive ? '-@all' : '+@all'];
    const fake = new Set<CommandSpec>(additive ? [] : universe.all);
    const temp = new Set(this.allowed);
    const applied = new Set<string>();
    for (;;) {
      let best: string | null = null;
      let minDiff = Infinity;
      let maxSame = 0;
      for (const cat of ACL_CATEGORIES) {
        if (applied.has(cat)) continue;
        let on = 0;
        let off = 0;
        for (const spec of universe.byCategory.get(cat)!) {
          if (temp.has(spec)) on++;
          else off++;
        }
        const diff = additive ? off : on;
        const same = additive ? on : off;
        if (same > diff && (diff < minDiff || (diff === minDiff && same > maxSame))) {
          best = cat;
          minDiff = diff;
          maxSame = same;
        }
      }
      if (best === null) break;
      applyCategory(fake, universe, best, additive, () => {});
      applyCategory(temp, universe, best, !additive, () => {});
      rules.push((additive ? '+@' : '-@') + best);
      applied.add(best);
    }
    for (const spec of universe.top) {
      const mine = this.allowed.has(spec);
      if (mine !== fake.has(spec)) {
        rules.push((mine ? '+' : '-') + spec.name);
        // the rule as ACL SETUSER applies it: a container takes its subcommands along
        setBit(fake, spec, mine);
        if (spec.subcommands !== undefined) for (const sub of spec.subcommands.values()) setBit(fake, sub, mine);
      }
      if (spec.subcommands !== undefined) {
        for (const sub of spec.subcommands.values()) {
          const subMine = this.allowed.has(sub);
          if (subMine !== fake.has(sub)) {
            rules.push((subMine ? '+' : '-') + sub.name);
            setBit(fake, sub, subMine);
          }
        }
      }
      const args = this.firstArgs?.get(spec);
      if (!mine && args !== undefined) for (const a of args) rules.push(`+${spec.name}|${a}`);
    }
    return rules.join(' ');
  }
}


export class AclUser extends AclSelector {
  enabled = false;
  nopass = false;
  sanitize: SanitizeFlag = '';
  /** SHA-256 digests (64 lowercase hex characters), in the order they were added */
  passwords: string[] = [];
  /** the extra selectors (`(…)` rules), in the order they were added; the root is the user itself */
  selectors: AclSelector[] = [];
  /** kv-server's extension: the keyspace namespace this user is bound to (`namespace=<name>`) */
  namespace: string | undefined = undefined;
  /**
   * Every command, every key and every channel by the root permissions: dispatch's fast path is
   * this one boolean (recomputed by `refresh` after each change).
   */
  unrestricted = false;
  /**
   * What the byte-range path of GET and SET knows of this user (security/acl-check.ts
   * rangeKeyAllowed): per command row, whether it may run and on which key patterns. Built on
   * first use, dropped by `refresh` (every rule applied, ACL SETUSER's commit, ACL LOAD).
   */
  rangeGrants: RangeGrant[] = [];

  constructor(
    readonly name: string,
    universe: CommandUniverse,
  ) {
    super(universe);
  }

  /** A deep copy (ACL SETUSER works on one, and commits it only when every rule applied). */
  clone(name = this.name): AclUser {
    const u = new AclUser(name, this.universe);
    u.copyFrom(this);
    return u;
  }

  /** Takes every property of `other` (ACL SETUSER's commit; ACL LOAD's new default user). */
  copyFrom(other: AclUser): void {
    this.enabled = other.enabled;
    this.nopass = other.nopass;
    this.sanitize = other.sanitize;
    this.passwords = other.passwords.slice();
    this.copyPermissionsFrom(other);
    this.selectors = other.selectors.map((s) => s.cloneSelector());
    this.namespace = other.namespace;
    this.refresh();
  }

  /** Recomputes `unrestricted` and forgets the range grants. */
  refresh(): void {
    this.unrestricted = this.allKeys && this.allChannels && this.allowed.size === this.universe.all.length;
    if (this.rangeGrants.length !== 0) this.rangeGrants = [];
  }

  /** ACL LIST's line after `user <name> `: flags, passwords, the root permissions, the selectors. */
  describe(): string {
    const parts: string[] = [this.enabled ? 'on' : 'off'];
    if (this.nopass) parts.push('nopass');
    if (this.sanitize === 'skip-sanitize-payload') parts.push('skip-sanitize-payload');
    if (this.sanitize === 'sanitize-payload') parts.push('sanitize-payload');
    for (const p of this.passwords) parts.push('#' + p);
    parts.push(this.describePermissions());
    for (const s of this.selectors) parts.push('(' + s.describePermissions() + ')');
    if (this.namespace !== undefined) parts.push('namespace=' + this.namespace);
    return parts.join(' ');
  }
}

function setBit(set: Set<CommandSpec>, spec: CommandSpec, on: boolean): void {
  if (on) set.add(spec);
  else set.delete(spec);
}

/** Redis's ACLSetSelectorCommandBitsForCategory over `set`: rows in the category, containers whole. */
function applyCategory(set: Set<CommandSpec>, universe: CommandUniverse, category: string, allow: boolean, touched: (spec: CommandSpec) => void): void {
  const tag = '@' + category;
  for (const spec of universe.top) {
    if (spec.categories.includes(tag)) {
      setBit(set, spec, allow);
      touched(spec);
      if (spec.subcommands !== undefined) for (const sub of spec.subcommands.values()) setBit(set, sub, allow);
    }
    if (spec.subcommands !== undefined) {
      for (const sub of spec.subcommands.values()) if (sub.categories.includes(tag)) setBit(set, sub, allow);
    }
  }
}
