/*
 * The commands as ACL rules see them, built once from the command table: every row and
 * subcommand row, by its original name (`config|get`; rename-command does not change what a
 * rule names, as Redis's ACLs read its original command table), and by ACL category.
 */
import { ACL_CATEGORIES, type CommandTable } from '../core/table.js';
import type { CommandSpec } from '../core/command-types.js';

export class CommandUniverse {
  /** the top-level rows, in table order */
  readonly top: readonly CommandSpec[];
  /** every row, subcommands included */
  readonly all: readonly CommandSpec[];
  private readonly byName = new Map<string, CommandSpec>();
  /** category name (without `@`) → the rows (subcommands included) that carry it */
  readonly byCategory = new Map<string, CommandSpec[]>();

  constructor(table: CommandTable) {
    this.top = table.all.slice();
    const all: CommandSpec[] = [];
    for (const cat of ACL_CATEGORIES) this.byCategory.set(cat, []);
    const add = (spec: CommandSpec) => {
      all.push(spec);
      this.byName.set(spec.name, spec);
      for (const cat of spec.categories) this.byCategory.get(cat.slice(1))?.push(spec);
    };
    for (const spec of this.top) {
      add(spec);
      if (spec.subcommands !== undefined) for (const sub of spec.subcommands.values()) add(sub);
    }
    this.all = all;
  }

  /** A row by its name in any case: `get`, or `config|get` for a subcommand. */
  lookup(name: string): CommandSpec | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** Whether `name` (without `@`, any case) is one of Redis's ACL categories. */
  isCategory(name: string): boolean {
    return this.byCategory.has(name.toLowerCase());
  }
}
