/*
 * Joins every family's rows into the command table.
 */
import { clientCommands } from '../commands/client-command.js';
import { commandCommands } from '../commands/command-command.js';
import { connectionCommands } from '../commands/connection.js';
import { keyspaceCommands } from '../commands/keys.js';
import { serverCommands } from '../commands/admin.js';
import { stringCommands } from '../commands/string.js';
import { scriptingCommands } from '../commands/scripting.js';
import { functionCommands } from '../commands/functions.js';
import { CommandTable } from './table.js';

export function buildCommandTable(): CommandTable {
  const table = new CommandTable();
  table.add(connectionCommands);
  table.add(stringCommands);
  table.add(keyspaceCommands);
  table.add(serverCommands);
  table.add(clientCommands);
  table.add(commandCommands);
  table.add(scriptingCommands);
  table.add(functionCommands);
  return table;
}
