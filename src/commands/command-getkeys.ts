/*
 * The keys of a command line, for COMMAND GETKEYS and GETKEYSANDFLAGS, found as Redis 7.0 finds
 * them (getKeysFromCommandWithSpecs): first from the command's key specs — the ones COMMAND INFO
 * reports, captured from Redis in command-docs.json — unless one of them has variable flags;
 * when the specs cannot tell (an `unknown` or `incomplete` spec, a key count that is not a clean
 * integer, a range past the end), from the row's own `getKeys` (Redis's getkeys_proc). A command
 * Redis 7.0 does not have (no captured specs) uses its row's first/last/step.
 */
import { parseInt64 } from '../engine/int64.js';
import { keyPositions } from '../core/table.js';
import type { CommandSpec, KeyRef } from '../core/command-types.js';
import { capturedCommands, type DocValue } from './command-command.js';

type BeginSearch = { type: 'index'; pos: number } | { type: 'keyword'; keyword: string; startFrom: number } | { type: 'unknown' };
type FindKeys =
  | { type: 'range'; lastKey: number; keyStep: number; limit: number }
  | { type: 'keynum'; keyNumIdx: number; firstKey: number; keyStep: number }
  | { type: 'unknown' };

interface KeySpec {
  flags: string[];
  begin: BeginSearch;
  find: FindKeys;
}

/** A captured RESP3 map as a JS object of its values. */
function mapOf(v: DocValue | undefined): Record<string, DocValue> {
  const out: Record<string, DocValue> = {};
  if (v !== null && typeof v === 'object' && 'm' in v) for (let i = 0; i + 1 < v.m.length; i += 2) out[String(v.m[i])] = v.m[i + 1]!;
  return out;
}

function parseSpec(raw: DocValue): KeySpec {
  const m = mapOf(raw);
  const flagSet = m['flags'];
  const flags = flagSet !== null && typeof flagSet === 'object' && 't' in flagSet ? flagSet.t.map((f) => (typeof f === 'object' && f !== null && 's' in f ? f.s : String(f))) : [];
  const bs = mapOf(m['begin_search']);
  const bsSpec = mapOf(bs['spec']);
  let begin: BeginSearch = { type: 'unknown' };
  if (bs['type'] === 'index') begin = { type: 'index', pos: Number(bsSpec['index']) };
  else if (bs['type'] === 'keyword') begin = { type: 'keyword', keyword: String(bsSpec['keyword']), startFrom: Number(bsSpec['startfrom']) };
  const fk = mapOf(m['find_keys']);
  const fkSpec = mapOf(fk['spec']);
  let find: FindKeys = { type: 'unknown' };
  if (fk['type'] === 'range') find = { type: 'range', lastKey: Number(fkSpec['lastkey']), keyStep: Number(fkSpec['keystep']), limit: Number(fkSpec['limit']) };
  else if (fk['type'] === 'keynum') find = { type: 'keynum', keyNumIdx: Number(fkSpec['keynumidx']), firstKey: Number(fkSpec['firstkey']), keyStep: Number(fkSpec['keystep']) };
  return { flags, begin, find };
}

const specCache = new Map<string, KeySpec[] | null>();

/** The key specs Redis 7.0 declares for a command (null when it has no such command). */
function keySpecsOf(spec: CommandSpec): KeySpec[] | null {
  let specs = specCache.get(spec.name);
  if (specs === undefined) {
    const captured = capturedCommands()[spec.name];
    const raw = captured?.keySpecs;
    specs = captured === undefined ? null : raw !== null && typeof raw === 'object' && 't' in raw ? raw.t.map(parseSpec) : [];
    specCache.set(spec.name, specs);
  }
  return specs;
}

/** Whether a command has key arguments at all (Redis's doesCommandHaveKeys). */
export function commandHasKeys(spec: CommandSpec): boolean {
  if (spec.getKeys !== undefined) return true;
  const specs = keySpecsOf(spec);
  if (specs === null) return spec.firstKey !== 0;
  return specs.some((s) => !s.flags.includes('not_key'));
}

/**
 * The keys the specs find in `argv` (argv[0] the command name), or null when a spec cannot tell
 * (Redis's getKeysUsingKeySpecs answering -1).
 */
function keysFromSpecs(specs: readonly KeySpec[], argv: readonly string[]): KeyRef[] | null {
  const argc = argv.length;
  const keys: KeyRef[] = [];
  for (const spec of specs) {
    if (spec.flags.includes('not_key')) continue;
    let first = 0;
    const b = spec.begin;
    if (b.type === 'index') first = b.pos;
    else if (b.type === 'keyword') {
      const startIndex = b.startFrom > 0 ? b.startFrom : argc + b.startFrom;
      const endIndex = b.startFrom > 0 ? argc - 1 : 1;
      const keyword = b.keyword.toLowerCase();
      for (let i = startIndex; i !== endIndex; i = startIndex <= endIndex ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (argv[i]!.toLowerCase() === keyword) {
          first = i + 1;
          break;
        }
      }
      if (first === 0) continue; // keyword not found
    } else return null;

    let last: number;
    let step: number;
    const f = spec.find;
    if (f.type === 'range') {
      step = f.keyStep;
      if (f.lastKey >= 0) last = first + f.lastKey;
      else if (f.limit === 0) last = argc + f.lastKey;
      else last = first + (Math.trunc((argc - first) / f.limit) + f.lastKey);
    } else if (f.type === 'keynum') {
      step = f.keyStep;
      if (f.keyNumIdx >= argc || first + f.keyNumIdx >= argc) return null;
      const n = parseInt64(argv[first + f.keyNumIdx]!);
      if (n === null || n < 0) return null;
      first += f.firstKey;
      last = first + Number(BigInt.asIntN(32, BigInt(n))) - 1;
    } else return null;

    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) keys.push({ pos: i, flags: spec.flags });
    if (spec.flags.includes('incomplete')) return null;
  }
  return keys;
}

/**
 * The keys of `argv` (argv[0] the command, whose row is `spec`), with their flags. Empty when
 * there are none or the arguments are invalid (GETKEYS then answers by the row's
 * no_mandatory_keys flag).
 */
export function commandKeys(spec: CommandSpec, argv: readonly string[]): KeyRef[] {
  const specs = keySpecsOf(spec);
  if (specs === null) return keyPositions(spec, argv.length).map((pos) => ({ pos, flags: [] }));
  const hasKeySpec = specs.some((s) => !s.flags.includes('not_key'));
  const hasVariableFlags = specs.some((s) => s.flags.includes('variable_flags'));
  if (hasKeySpec && !hasVariableFlags) {
    const found = keysFromSpecs(specs, argv);
    if (found !== null) return found;
  }
  return spec.getKeys !== undefined ? spec.getKeys(argv) : [];
}
