/*
 * The command table: the single source of truth for every command's name, arity, flags, key
 * positions, ACL categories and handler. Each family file exports its rows; this file joins
 * them. Dispatch, COMMAND and everything later (ACL, MULTI, cluster, binary protocol) read it.
 */
import type { CommandRow, CommandSpec } from './command-types.js';

export class CommandTable {
  /** lowercase name → row (also indexed by the uppercase name, the common spelling on the wire) */
  private readonly byName = new Map<string, CommandSpec>();
  readonly all: CommandSpec[] = [];

  add(rows: readonly CommandRow[]): void {
    for (const row of rows) {
      const spec = toSpec(row);
      if (this.byName.has(spec.name)) throw new Error(`command ${spec.name} declared twice`);
      this.all.push(spec);
      this.byName.set(spec.name, spec);
      this.byName.set(spec.name.toUpperCase(), spec);
    }
  }

  /** The row for a command name in any case. */
  get(name: string): CommandSpec | undefined {
    return this.byName.get(name) ?? this.byName.get(name.toLowerCase());
  }
}

function toSpec(row: CommandRow, parent?: CommandSpec): CommandSpec {
  const flags = row.flags.split(/\s+/).filter(Boolean);
  const [firstKey, lastKey, step] = row.keys ?? [0, 0, 0];
  const spec: CommandSpec = {
    name: parent ? `${parent.name}|${row.name}` : row.name,
    arity: row.arity,
    flags,
    firstKey,
    lastKey,
    step,
    categories: row.categories.split(/\s+/).filter(Boolean),
    handler: row.handler,
    parent,
    isWrite: flags.includes('write'),
    isBounded: flags.includes('fast') || row.constantTime === true,
    noAuth: flags.includes('no_auth'),
  };
  if (row.subcommands) {
    spec.subcommands = new Map();
    for (const sub of row.subcommands) spec.subcommands.set(sub.name, toSpec(sub, spec));
  }
  return spec;
}

/** The key arguments of a command line, by the row's first/last/step (COMMAND GETKEYS). */
export function keyPositions(spec: CommandSpec, argc: number): number[] {
  if (spec.firstKey === 0) return [];
  const last = spec.lastKey < 0 ? argc + spec.lastKey : spec.lastKey;
  const out: number[] = [];
  for (let i = spec.firstKey; i <= last && i < argc; i += spec.step) out.push(i);
  return out;
}
