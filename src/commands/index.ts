/*
 * Joins every family's rows into the command table.
 */
import { connectionCommands } from './connection.js';
import { stringCommands } from './string.js';
import { CommandTable } from './table.js';

export function buildCommandTable(): CommandTable {
  const table = new CommandTable();
  table.add(connectionCommands);
  table.add(stringCommands);
  return table;
}
